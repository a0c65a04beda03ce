// The simulated PTZ head: motion integrated over time, limits, presets, the command record.

#include "ptzstate.h"

#include <QTest>

using namespace Vigil;
using namespace Vigil::CamSim;
using namespace Qt::StringLiterals;

class TestPtzState : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void movesUntilStopped()
    {
        PtzState head;
        head.apply(Gb::PtzCommand::move(Gb::PanRight, 0xFF, 0, 0), 0);
        QCOMPARE(head.motion(), std::uint8_t(Gb::PanRight));
        QCOMPARE(head.position(1000).panDeg, PtzState::kMaxPanDegPerSec); // full speed for 1 s
        head.apply(Gb::PtzCommand::stop(), 2000);
        QCOMPARE(head.motion(), 0);
        QCOMPARE(head.position(2000).panDeg, 2 * PtzState::kMaxPanDegPerSec);
        QCOMPARE(head.position(9000).panDeg, 2 * PtzState::kMaxPanDegPerSec); // still after stop
    }

    void panWrapsTiltAndZoomClamp()
    {
        PtzState head;
        head.apply(Gb::PtzCommand::move(Gb::PanLeft | Gb::TiltDown | Gb::ZoomOut, 0xFF, 0xFF, 0xF), 0);
        const PtzPosition after = head.position(1000);
        QCOMPARE(after.panDeg, 360.0 - PtzState::kMaxPanDegPerSec);
        QCOMPARE(after.tiltDeg, -PtzState::kMaxTiltDegPerSec);
        QCOMPARE(after.zoom, 1.0); // already wide
        QCOMPARE(head.position(100000).tiltDeg, PtzState::kMinTiltDeg);

        head.apply(Gb::PtzCommand::move(Gb::ZoomIn | Gb::TiltUp, 0, 0xFF, 0xF), 100000);
        QCOMPARE(head.position(200000).zoom, PtzState::kMaxZoom);
        QCOMPARE(head.position(200000).tiltDeg, PtzState::kMaxTiltDeg);
    }

    void presets()
    {
        PtzState head;
        head.apply(Gb::PtzCommand::move(Gb::PanRight, 0x80, 0, 0), 0);
        head.apply(Gb::PtzCommand::stop(), 1000);
        const PtzPosition here = head.position(1000);
        QVERIFY(head.apply(Gb::PtzCommand::presetSet(7), 1000).contains(u"preset 7 set"_s));
        head.apply(Gb::PtzCommand::move(Gb::TiltUp, 0, 0x80, 0), 1000);
        QVERIFY(head.position(1500) != here);
        // Calling a preset stops the motion and jumps there.
        QVERIFY(head.apply(Gb::PtzCommand::presetCall(7), 1500).contains(u"called"_s));
        QCOMPARE(head.motion(), 0);
        QCOMPARE(head.position(5000), here);
        QCOMPARE(head.presetNumbers(), QList<int>{7});
        QVERIFY(head.apply(Gb::PtzCommand::presetDelete(7), 5000).contains(u"deleted"_s));
        QVERIFY(!head.preset(7));
        QVERIFY(head.apply(Gb::PtzCommand::presetCall(7), 5000).contains(u"never set"_s));
        QCOMPARE(head.position(5000), here);
    }

    void recordsWhatArrived()
    {
        PtzState head;
        for (int i = 0; i < PtzState::kRecentCommands + 3; ++i)
            head.apply(Gb::PtzCommand::presetSet(std::uint8_t(i + 1)), i);
        QCOMPARE(head.commandCount(), qint64(PtzState::kRecentCommands + 3));
        QCOMPARE(head.recentCommands().size(), qsizetype(PtzState::kRecentCommands));
        QCOMPARE(head.recentCommands().front(), Gb::PtzCommand::presetSet(4).toHex());
        QCOMPARE(head.recentCommands().back(), Gb::PtzCommand::presetSet(std::uint8_t(PtzState::kRecentCommands + 3)).toHex());
        // Commands the head does not simulate are recorded and said so.
        QVERIFY(head.apply(Gb::PtzCommand::auxiliary(1, true), 100).contains(u"accepted"_s));
        QCOMPARE(head.recentCommands().back(), "A50F018C01000042");
    }
};

QTEST_APPLESS_MAIN(TestPtzState)
#include "tst_ptzstate.moc"
