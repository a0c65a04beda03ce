// What a simulated device answers once registered to Vigil's registrar: a catalog split over
// several MESSAGEs with one SN and the right SumNum, read back with Vigil's MANSCDP parser in
// both charsets; DeviceInfo; DeviceStatus; PTZ commands applied to the channel's head.

#include "ptzstate.h"
#include "simulateddevice.h"
#include "simulator.h"
#include "testplatform.h"

#include "gb28181/ptzcommand.h"

#include <QSignalSpy>
#include <QTest>

using namespace Vigil;
using namespace Vigil::CamSim;
using namespace CamSimTest;
using namespace Qt::StringLiterals;

namespace {

const QString kNvr = u"34020000001180000001"_s;

SimulatorConfig nvrConfig(const TestPlatform &platform, int channels, TextEncoding charset = TextEncoding::Gb18030)
{
    SimulatorConfig config;
    config.server.address = QHostAddress::LocalHost;
    config.server.port = platform.port();
    config.bindAddress = QHostAddress::LocalHost;
    config.mediaEnabled = false;
    config.kind = DeviceKind::Nvr;
    config.channelsPerDevice = channels;
    config.charset = charset;
    config.catalogItemsPerMessage = 2;
    return config;
}

GbId gbId(const QString &text)
{
    return *GbId::parse(text);
}

} // namespace

class TestCamsimQueries : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void catalogOverSeveralMessages_data()
    {
        QTest::addColumn<int>("charset");
        QTest::newRow("gb2312") << int(TextEncoding::Gb18030);
        QTest::newRow("utf-8") << int(TextEncoding::Utf8);
    }

    void catalogOverSeveralMessages()
    {
        QFETCH(int, charset);
        TestPlatform platform;
        Simulator simulator(nvrConfig(platform, 10, TextEncoding(charset)));
        QSignalSpy registered(&simulator, &Simulator::deviceRegistered);
        QVERIFY(simulator.start());
        QVERIFY(registered.wait(5000));

        QCOMPARE(platform.sendMessage(kNvr, Gb::ManscdpBuilder().queryCatalog(gbId(kNvr), 17430).bytes), 200);
        QTRY_COMPARE_WITH_TIMEOUT(platform.received(Gb::MessageClass::Response, Gb::CmdType::Catalog).size(), 5, 5000);
        const QList<ReceivedMessage> parts = platform.received(Gb::MessageClass::Response, Gb::CmdType::Catalog);

        QStringList ids;
        QStringList names;
        QList<int> counts;
        for (const ReceivedMessage &part : parts) {
            QCOMPARE(part.manscdp.envelope.sn, 17430u);
            QCOMPARE(part.manscdp.envelope.deviceId.text(), kNvr);
            const auto *list = part.manscdp.get<Gb::CatalogList>();
            QVERIFY(list);
            QCOMPARE(list->sumNum, 10);
            QCOMPARE(list->listNum, int(list->items.size()));
            counts.append(int(list->items.size()));
            for (const Gb::CatalogItem &item : list->items) {
                ids.append(item.deviceId.text());
                names.append(item.name);
                QCOMPARE(item.parentIds, QStringList{kNvr});
                QCOMPARE(item.status, Gb::CatalogStatus::On);
                QCOMPARE(item.ptzType, 1);
            }
            // Declared charset and bytes agree, so the parser needed no repair.
            QVERIFY(!part.manscdp.xmlRepaired);
            const QByteArray body = part.sip.body().toByteArray();
            QVERIFY(body.size() <= 1300); // RFC 3428's advice for MESSAGE over UDP
            QVERIFY(body.contains(charset == int(TextEncoding::Utf8) ? "encoding=\"UTF-8\"" : "encoding=\"GB2312\""));
        }
        QCOMPARE(counts, (QList<int>{2, 2, 2, 2, 2}));
        QCOMPARE(ids.first(), u"34020000001310000001"_s);
        QCOMPARE(ids.last(), u"34020000001310000010"_s);
        QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), 10);
        QCOMPARE(names.first(), u"大门口"_s);
        QCOMPARE(names.at(1), u"一号楼东侧"_s);
        QCOMPARE(simulator.stats().queriesAnswered, 1);
        QCOMPARE(simulator.stats().responseMessagesSent, 5);
    }

    void deviceInfoAndStatus()
    {
        TestPlatform platform;
        Simulator simulator(nvrConfig(platform, 4));
        QSignalSpy registered(&simulator, &Simulator::deviceRegistered);
        QVERIFY(simulator.start());
        QVERIFY(registered.wait(5000));

        QCOMPARE(platform.sendMessage(kNvr, Gb::ManscdpBuilder().queryDeviceInfo(gbId(kNvr), 5).bytes), 200);
        QCOMPARE(platform.sendMessage(kNvr, Gb::ManscdpBuilder().queryDeviceStatus(gbId(kNvr), 6).bytes), 200);
        QTRY_COMPARE_WITH_TIMEOUT(platform.messages.size(), 2, 5000);

        const auto info = platform.received(Gb::MessageClass::Response, Gb::CmdType::DeviceInfo);
        QCOMPARE(info.size(), 1);
        QCOMPARE(info.front().manscdp.envelope.sn, 5u);
        const auto *deviceInfo = info.front().manscdp.get<Gb::DeviceInfoResponse>();
        QVERIFY(deviceInfo);
        QCOMPARE(deviceInfo->result, Gb::ResultCode::Ok);
        QCOMPARE(deviceInfo->deviceName, u"网络录像机 1"_s);
        QCOMPARE(deviceInfo->manufacturer, u"Vigil"_s);
        QCOMPARE(deviceInfo->channel, 4);

        const auto status = platform.received(Gb::MessageClass::Response, Gb::CmdType::DeviceStatus);
        QCOMPARE(status.size(), 1);
        const auto *deviceStatus = status.front().manscdp.get<Gb::DeviceStatusResponse>();
        QVERIFY(deviceStatus);
        QCOMPARE(deviceStatus->online, Gb::OnOff::On);
        QCOMPARE(deviceStatus->status, Gb::ResultCode::Ok);
        const QDateTime deviceTime = Gb::parseDeviceTime(deviceStatus->deviceTime);
        QVERIFY(deviceTime.isValid());
        QVERIFY(std::abs(deviceTime.secsTo(QDateTime::currentDateTime())) < 10);
    }

    void ptzCommandsMoveTheHead()
    {
        TestPlatform platform;
        Simulator simulator(nvrConfig(platform, 4));
        QSignalSpy registered(&simulator, &Simulator::deviceRegistered);
        QSignalSpy applied(&simulator, &Simulator::ptzCommandApplied);
        QVERIFY(simulator.start());
        QVERIFY(registered.wait(5000));
        const QString channel = u"34020000001310000002"_s;
        const auto control = [&](const Gb::PtzCommand &command) {
            return platform.sendMessage(kNvr, Gb::ManscdpBuilder().controlPtz(gbId(channel), 11, command.toHex(), 5).bytes,
                                        channel.toLatin1());
        };

        // Remember where we are as preset 5, pan right at full speed, stop.
        QCOMPARE(control(Gb::PtzCommand::presetSet(5)), 200);
        QCOMPARE(control(Gb::PtzCommand::move(Gb::PanRight | Gb::TiltUp, 0xFF, 0x80, 0)), 200);
        QTRY_COMPARE_WITH_TIMEOUT(applied.size(), 2, 5000);
        const PtzState *head = simulator.ptz(channel.toLatin1());
        QVERIFY(head);
        QCOMPARE(head->motion(), std::uint8_t(Gb::PanRight | Gb::TiltUp));
        QTest::qWait(200);
        QCOMPARE(control(Gb::PtzCommand::stop()), 200);
        QTRY_COMPARE_WITH_TIMEOUT(applied.size(), 3, 5000);
        QCOMPARE(head->motion(), 0);
        const PtzPosition moved = head->position(simulator.nowMs());
        QVERIFY2(moved.panDeg > 1.0 && moved.tiltDeg > 0.5, qPrintable(u"%1 %2"_s.arg(moved.panDeg).arg(moved.tiltDeg)));

        // Back to preset 5, then delete it.
        QCOMPARE(control(Gb::PtzCommand::presetCall(5)), 200);
        QCOMPARE(control(Gb::PtzCommand::presetDelete(5)), 200);
        QTRY_COMPARE_WITH_TIMEOUT(applied.size(), 5, 5000);
        QCOMPARE(head->position(simulator.nowMs()), PtzPosition{});
        QVERIFY(!head->preset(5));

        // What arrived, exactly, per channel; and what was reported.
        const QByteArray move = Gb::PtzCommand::move(Gb::PanRight | Gb::TiltUp, 0xFF, 0x80, 0).toHex();
        QCOMPARE(move, "A50F0109FF80003D");
        QCOMPARE(head->recentCommands(), (QList<QByteArray>{"A50F01810005003B", move, "A50F0100000000B5",
                                                            "A50F01820005003C", "A50F01830005003D"}));
        QCOMPARE(applied.at(1).at(0).toString(), channel);
        QCOMPARE(applied.at(1).at(1).toByteArray(), move);
        QVERIFY(applied.at(3).at(2).toString().contains(u"preset 5 called"_s));
        QCOMPARE(simulator.ptz("34020000001310000001")->commandCount(), 0); // other channels untouched
        QCOMPARE(simulator.stats().ptzCommands, 5);
    }

    void ipcAnswersPtzUnderItsOwnId()
    {
        TestPlatform platform;
        SimulatorConfig config = nvrConfig(platform, 1);
        config.kind = DeviceKind::Ipc;
        Simulator simulator(config);
        QSignalSpy registered(&simulator, &Simulator::deviceRegistered);
        QSignalSpy applied(&simulator, &Simulator::ptzCommandApplied);
        QVERIFY(simulator.start());
        QVERIFY(registered.wait(5000));
        const QString ipc = u"34020000001320000001"_s;
        QCOMPARE(platform.sendMessage(ipc, Gb::ManscdpBuilder().controlPtz(gbId(ipc), 1, Gb::PtzCommand::move(Gb::ZoomIn, 0, 0, 8).toHex()).bytes),
                 200);
        QTRY_COMPARE_WITH_TIMEOUT(applied.size(), 1, 5000);
        QCOMPARE(applied.front().front().toString(), u"34020000001310000001"_s); // its channel
        QCOMPARE(simulator.ptz(ipc.toLatin1())->motion(), std::uint8_t(Gb::ZoomIn));
    }

    void badPtzCommandIsIgnored()
    {
        TestPlatform platform;
        Simulator simulator(nvrConfig(platform, 2));
        QSignalSpy registered(&simulator, &Simulator::deviceRegistered);
        QSignalSpy applied(&simulator, &Simulator::ptzCommandApplied);
        QVERIFY(simulator.start());
        QVERIFY(registered.wait(5000));
        const QString channel = u"34020000001310000001"_s;
        // Wrong checksum: answered 200 (the MESSAGE arrived) but nothing moves.
        QCOMPARE(platform.sendMessage(kNvr, Gb::ManscdpBuilder().controlPtz(gbId(channel), 2, "A50F010800800000").bytes,
                                      channel.toLatin1()),
                 200);
        QTest::qWait(200);
        QCOMPARE(applied.size(), 0);
        QCOMPARE(simulator.ptz(channel.toLatin1())->commandCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCamsimQueries)
#include "tst_camsimqueries.moc"
