#include "gb28181/ptzcommand.h"

#include <QTest>

using namespace Vigil::Gb;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(PtzCommand)

class TestPtzCommand : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The worked examples of GB/T 28181-2016 A.3 (../shared/docs/gb28181.md §5.1).
    void encodesReferenceExamples_data()
    {
        QTest::addColumn<PtzCommand>("command");
        QTest::addColumn<QByteArray>("hex");
        QTest::newRow("stop") << PtzCommand::stop() << QByteArray("A50F0100000000B5");
        QTest::newRow("up 0x80") << PtzCommand::move(TiltUp, 0, 0x80, 0) << QByteArray("A50F01080080003D");
        QTest::newRow("left 0x80") << PtzCommand::move(PanLeft, 0x80, 0, 0) << QByteArray("A50F010280000037");
        QTest::newRow("up-right") << PtzCommand::move(TiltUp | PanRight, 0x40, 0x40, 0) << QByteArray("A50F01094040003E");
        QTest::newRow("zoom in 8") << PtzCommand::move(ZoomIn, 0, 0, 8) << QByteArray("A50F011000008045");
        QTest::newRow("zoom out F") << PtzCommand::move(ZoomOut, 0, 0, 0xF) << QByteArray("A50F01200000F0C5");
        QTest::newRow("focus near") << PtzCommand::focusIris(FocusNear, 0x80, 0) << QByteArray("A50F014280000077");
        QTest::newRow("iris open") << PtzCommand::focusIris(IrisOpen, 0, 0x80) << QByteArray("A50F014400800079");
        QTest::newRow("FI stop") << PtzCommand::focusIris(0, 0, 0) << QByteArray("A50F0140000000F5");
        QTest::newRow("set preset 5") << PtzCommand::presetSet(5) << QByteArray("A50F01810005003B");
        QTest::newRow("call preset 5") << PtzCommand::presetCall(5) << QByteArray("A50F01820005003C");
        QTest::newRow("delete preset 5") << PtzCommand::presetDelete(5) << QByteArray("A50F01830005003D");
        QTest::newRow("cruise add") << PtzCommand::cruiseAddPoint(1, 5) << QByteArray("A50F01840105003F");
        QTest::newRow("cruise speed 300") << PtzCommand::cruiseSetSpeed(1, 300) << QByteArray("A50F0186012C1078");
        QTest::newRow("cruise start") << PtzCommand::cruiseStart(1) << QByteArray("A50F01880100003E");
        QTest::newRow("scan start") << PtzCommand::scan(1, PtzScanMode::Start) << QByteArray("A50F01890100003F");
        QTest::newRow("wiper on") << PtzCommand::auxiliary(1, true) << QByteArray("A50F018C01000042");
    }

    void encodesReferenceExamples()
    {
        QFETCH(PtzCommand, command);
        QFETCH(QByteArray, hex);
        QCOMPARE(command.toHex(), hex);
        const auto decoded = PtzCommand::fromHex(QString::fromLatin1(hex));
        QVERIFY(decoded);
        QCOMPARE(*decoded, command);
        QCOMPARE(PtzCommand::fromHex(QString::fromLatin1(hex.toLower()))->toHex(), hex); // lower case accepted
    }

    void decodesFields()
    {
        const auto upRight = PtzCommand::fromHex(u"A50F01094040003E");
        QCOMPARE(upRight->kind(), PtzKind::Move);
        QCOMPARE(upRight->motion(), std::uint8_t(TiltUp | PanRight));
        QCOMPARE(upRight->panSpeed(), 0x40);
        QCOMPARE(upRight->describe(), u"up+right pan=64 tilt=64 zoom=0"_s);
        const auto cruise = PtzCommand::fromHex(u"A50F0186012C1078");
        QCOMPARE(cruise->kind(), PtzKind::CruiseSetSpeed);
        QCOMPARE(cruise->group(), 1);
        QCOMPARE(cruise->value12(), 300);
        // wvp writes 01 in byte 5 of preset commands; the preset is byte 6 either way
        const auto wvpPreset = PtzCommand::fromHex(u"A50F01820105003D");
        QVERIFY(wvpPreset);
        QCOMPARE(wvpPreset->kind(), PtzKind::PresetCall);
        QCOMPARE(wvpPreset->preset(), 5);
    }

    void rejectsBadCommands_data()
    {
        QTest::addColumn<QString>("hex");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("short") << u"A50F0100"_s << u"16 hex digits"_s;
        QTest::newRow("not hex") << u"A50F01000000ZZB5"_s << u"not hexadecimal"_s;
        QTest::newRow("header") << u"A40F0100000000B4"_s << u"A5"_s;
        QTest::newRow("check nibble") << u"A50E0100000000B4"_s << u"check nibble"_s;
        QTest::newRow("checksum") << u"A50F0100000000B6"_s << u"checksum"_s;
        QTest::newRow("left and right") << u"A50F0103000000B8"_s << u"unknown instruction"_s;
    }

    void rejectsBadCommands()
    {
        QFETCH(QString, hex);
        QFETCH(QString, messagePart);
        const auto result = PtzCommand::fromHex(hex);
        QVERIFY(!result);
        QVERIFY2(result.error().message.contains(messagePart), qPrintable(result.error().message));
    }

    void apiActions()
    {
        QCOMPARE(PtzCommand::fromAction(u"up", 128, 0)->toHex(), QByteArray("A50F01080080003D"));
        QCOMPARE(PtzCommand::fromAction(u"stop", 0, 0)->toHex(), QByteArray("A50F0100000000B5"));
        QCOMPARE(PtzCommand::fromAction(u"zoomin", 128, 0)->toHex(), QByteArray("A50F011000008045"));
        QCOMPARE(PtzCommand::fromAction(u"preset-call", 0, 5)->toHex(), QByteArray("A50F01820005003C"));
        QCOMPARE(PtzCommand::fromAction(u"downleft", 0x40, 0)->motion(), std::uint8_t(TiltDown | PanLeft));
        QCOMPARE(PtzCommand::fromAction(u"irisclose", 0x10, 0)->lens(), std::uint8_t(IrisClose));
        QVERIFY(!PtzCommand::fromAction(u"preset-call", 0, 0));
        QVERIFY(!PtzCommand::fromAction(u"sideways", 10, 0));
        QVERIFY(!PtzCommand::fromAction(u"up", 256, 0));
    }
};

QTEST_GUILESS_MAIN(TestPtzCommand)
#include "tst_ptzcommand.moc"
