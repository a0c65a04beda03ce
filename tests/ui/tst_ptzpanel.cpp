// The PTZ panel: a press sends the move with the slider's speed, the release a stop (also
// when the pointer leaves the button, the panel hides or the channel changes while held);
// presets; and why the panel is disabled for cameras that cannot move.

#include "ptz/ptzpanel.h"
#include "uitestsupport.h"

#include <QAbstractButton>
#include <QApplication>
#include <QListWidget>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Vigil;
using Vigil::Gb::PtzCommand;
using Vigil::Ui::PtzPanel;
using UiTest::channel;
using UiTest::deviceId;

namespace {

const DeviceId kNvr = deviceId("34020000001180000001");
const QString kDome = u"34020000001310000001"_s;
const QString kBullet = u"34020000001310000002"_s;
const QString kUnknown = u"34020000001310000003"_s;
const QString kAlarm = u"34020000001340000001"_s;

struct Fixture {
    UiTest::TestBackend backend;
    std::unique_ptr<PtzPanel> panel;

    Fixture()
    {
        backend.addDevice(kNvr, u"Gate NVR"_s,
                          {channel(kDome, u"Dome"_s, kNvr.toString(), 1), channel(kBullet, u"Bullet"_s, kNvr.toString(), 3),
                           channel(kUnknown, u"Unknown"_s, kNvr.toString(), 0),
                           channel(kAlarm, u"Door contact"_s, kNvr.toString(), 0)});
        panel = std::make_unique<PtzPanel>(backend);
        panel->show();
    }
    QByteArray lastHex() const { return backend.ptzCommands.constLast().second.toHex(); }
};

} // namespace

class TestPtzPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { UiTest::isolateSettings(); }

    void pressMovesReleaseStops_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<QByteArray>("stop");
        const QByteArray motionStop = PtzCommand::stop().toHex();
        const QByteArray lensStop = PtzCommand::focusIris(0, 0, 0).toHex();
        for (const char *action : {"up", "down", "left", "right", "upleft", "upright", "downleft", "downright", "zoomin", "zoomout"})
            QTest::newRow(action) << QString::fromLatin1(action) << motionStop;
        for (const char *action : {"focusnear", "focusfar", "irisopen", "irisclose"})
            QTest::newRow(action) << QString::fromLatin1(action) << lensStop;
    }

    void pressMovesReleaseStops()
    {
        QFETCH(QString, action);
        QFETCH(QByteArray, stop);
        Fixture f;
        f.panel->setChannel(kDome);
        QVERIFY(f.panel->isControllable());
        f.panel->setSpeed(10);
        QCOMPARE(f.panel->commandSpeed(), 255);
        QAbstractButton *button = f.panel->button(action);
        QVERIFY(button);
        QVERIFY(button->isEnabled());

        QTest::mousePress(button, Qt::LeftButton);
        QCOMPARE(f.backend.ptzCommands.size(), 1);
        QCOMPARE(f.backend.ptzCommands[0].first, kDome);
        QCOMPARE(f.lastHex(), PtzCommand::fromAction(action, 255, 0)->toHex());
        QTest::mouseRelease(button, Qt::LeftButton);
        QCOMPARE(f.backend.ptzCommands.size(), 2);
        QCOMPARE(f.lastHex(), stop);
    }

    void speedSliderSetsTheCommandSpeed()
    {
        Fixture f;
        f.panel->setChannel(kDome);
        f.panel->setSpeed(4);
        QCOMPARE(f.panel->commandSpeed(), 102);
        QTest::mousePress(f.panel->button(u"left"_s), Qt::LeftButton);
        // A5 0F 01 | 02 pan left | 66 pan speed | 00 tilt | 00 zoom | 1D checksum
        QCOMPARE(f.lastHex(), QByteArray("A50F01026600001D"));
        QCOMPARE(f.backend.ptzCommands.constLast().second.panSpeed(), 102);
        QTest::mouseRelease(f.panel->button(u"left"_s), Qt::LeftButton);
        QCOMPARE(f.lastHex(), QByteArray("A50F0100000000B5"));
    }

    void stopsWhenHoldingEndsAnyOtherWay()
    {
        Fixture f;
        f.panel->setChannel(kDome);
        QAbstractButton *up = f.panel->button(u"up"_s);

        // The pointer slides off the button while pressed.
        QTest::mousePress(up, Qt::LeftButton);
        QTest::mouseMove(up, QPoint(up->width() * 3, up->height() * 3));
        QCOMPARE(f.backend.ptzCommands.size(), 2);
        QCOMPARE(f.lastHex(), PtzCommand::stop().toHex());
        QTest::mouseRelease(up, Qt::LeftButton, {}, QPoint(up->width() * 3, up->height() * 3));
        QCOMPARE(f.backend.ptzCommands.size(), 2); // one stop, not two

        // The operator selects another tile while holding: the stop goes to the first camera.
        QTest::mousePress(up, Qt::LeftButton);
        f.panel->setChannel(kUnknown);
        QCOMPARE(f.backend.ptzCommands.size(), 4);
        QCOMPARE(f.backend.ptzCommands[3].first, kDome);
        QCOMPARE(f.lastHex(), PtzCommand::stop().toHex());
        QTest::mouseRelease(up, Qt::LeftButton);
        QCOMPARE(f.backend.ptzCommands.size(), 4);

        // The dock is closed while holding.
        QTest::mousePress(f.panel->button(u"zoomin"_s), Qt::LeftButton);
        f.panel->hide();
        QCOMPARE(f.backend.ptzCommands.size(), 6);
        QCOMPARE(f.lastHex(), PtzCommand::stop().toHex());
    }

    void explainsWhyItIsDisabled()
    {
        Fixture f;
        QVERIFY(!f.panel->isControllable());
        QVERIFY(f.panel->reason().contains(u"Select a video tile"_s));
        QVERIFY(!f.panel->button(u"up"_s)->isEnabled());

        f.panel->setChannel(kBullet);
        QVERIFY(!f.panel->isControllable());
        QVERIFY2(f.panel->reason().contains(u"fixed camera"_s), qPrintable(f.panel->reason()));
        QTest::mouseClick(f.panel->button(u"up"_s), Qt::LeftButton);
        QVERIFY(f.backend.ptzCommands.isEmpty());

        f.panel->setChannel(kAlarm);
        QVERIFY(!f.panel->isControllable());
        QVERIFY(f.panel->reason().contains(u"not a camera"_s));

        // PTZType not reported: usable, with a note.
        f.panel->setChannel(kUnknown);
        QVERIFY(f.panel->isControllable());
        QVERIFY(f.panel->reason().contains(u"does not say"_s));

        f.panel->setChannel(kDome);
        QVERIFY(f.panel->isControllable());
        QVERIFY(f.panel->reason().isEmpty());
        f.backend.registryObject.markOffline(kNvr, Devices::OfflineReason::TcpConnectionClosed);
        QTRY_VERIFY(!f.panel->isControllable());
        QVERIFY(f.panel->reason().contains(u"offline"_s));
    }

    void presetsWithLocalNames()
    {
        Fixture f;
        f.panel->setChannel(kDome);
        f.panel->setPreset(3, u"Main gate"_s);
        QCOMPARE(f.lastHex(), PtzCommand::presetSet(3).toHex());
        f.panel->setPreset(7, u"停车场"_s);
        QCOMPARE(PtzPanel::presetNames(kDome), (QMap<int, QString>{{3, u"Main gate"_s}, {7, u"停车场"_s}}));
        QCOMPARE(f.panel->presetList()->count(), 2);
        QCOMPARE(f.panel->presetList()->item(1)->text(), u"7: 停车场"_s);

        f.panel->callPreset(3);
        QCOMPARE(f.lastHex(), PtzCommand::presetCall(3).toHex());
        f.panel->presetList()->setCurrentRow(0);
        QTest::mouseDClick(f.panel->presetList()->viewport(),
                           Qt::LeftButton, {}, f.panel->presetList()->visualItemRect(f.panel->presetList()->item(0)).center());
        QCOMPARE(f.lastHex(), PtzCommand::presetCall(3).toHex());

        f.panel->renamePreset(3, u"North gate"_s);
        QCOMPARE(PtzPanel::presetNames(kDome).value(3), u"North gate"_s);
        const auto before = f.backend.ptzCommands.size();
        f.panel->deletePreset(7);
        QCOMPARE(f.backend.ptzCommands.size(), before + 1);
        QCOMPARE(f.lastHex(), PtzCommand::presetDelete(7).toHex());
        QCOMPARE(PtzPanel::presetNames(kDome).keys(), QList<int>{3});

        // Names are per channel.
        f.panel->setChannel(kUnknown);
        QCOMPARE(f.panel->presetList()->count(), 0);
        f.panel->setChannel(kDome);
        QCOMPARE(f.panel->presetList()->count(), 1);
    }
};

QTEST_MAIN(TestPtzPanel)
#include "tst_ptzpanel.moc"
