// vigil-camsim against the whole server as vigild and the console run it (GbServer: signalling
// and storage threads, GbService, registrar, SQLite): simulated devices register, the server
// queries their DeviceInfo and catalog by itself and shows their Chinese channel names, PTZ
// from the server's API moves a simulated head, and stopping camsim takes them offline.

#include "gb28181/gbserver.h"
#include "gb28181/gbservice.h"
#include "ptzstate.h"
#include "simulator.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Vigil;
using namespace Vigil::CamSim;
using namespace Qt::StringLiterals;

namespace {

const DeviceId kNvr = *DeviceId::parse(u"34020000001180000001"_s);
const DeviceId kIpc = *DeviceId::parse(u"34020000001320000002"_s);

template <typename T>
bool finished(const QFuture<T> &future)
{
    return QTest::qWaitFor([&] { return future.isFinished(); }, 10000);
}

} // namespace

class TestCamsimGbServer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void devicesAppearWithTheirCatalogs_data()
    {
        QTest::addColumn<int>("charset");
        QTest::addColumn<int>("transport");
        QTest::newRow("gb2312 udp") << int(TextEncoding::Gb18030) << int(Sip::TransportKind::Udp);
        QTest::newRow("utf-8 tcp") << int(TextEncoding::Utf8) << int(Sip::TransportKind::Tcp);
    }

    void devicesAppearWithTheirCatalogs()
    {
        QFETCH(int, charset);
        QFETCH(int, transport);
        QTemporaryDir data;
        QVERIFY(data.isValid());
        Gb::GbServer::Options options;
        options.dataDir = data.path();
        options.config.sipBindAddress = QHostAddress::LocalHost;
        options.config.sipPort = 0;
        Gb::GbServer server(options);
        QVERIFY(server.start());

        SimulatorConfig config;
        config.server.address = QHostAddress::LocalHost;
        config.server.port = server.sipPort();
        config.server.transport = Sip::TransportKind(transport);
        config.bindAddress = QHostAddress::LocalHost;
        config.kind = DeviceKind::Nvr;
        config.channelsPerDevice = 6;
        config.extraIpcs = 1;
        config.charset = TextEncoding(charset);
        config.catalogItemsPerMessage = 2;
        config.mediaEnabled = false;
        Simulator simulator(config);
        QSignalSpy registered(&simulator, &Simulator::deviceRegistered);
        QVERIFY(simulator.start());
        QTRY_COMPARE_WITH_TIMEOUT(registered.size(), 2, 10000);

        // The server asks DeviceInfo and Catalog after each fresh registration by itself.
        const Devices::DeviceRegistry &registry = server.registry();
        QTRY_COMPARE_WITH_TIMEOUT(registry.channels(kNvr).size(), qsizetype(6), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(registry.device(kNvr)->name, u"网络录像机 1"_s, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(registry.channels(kIpc).size(), qsizetype(1), 10000);
        const QList<Devices::Channel> channels = registry.channels(kNvr);
        QStringList names;
        for (const Devices::Channel &channel : channels)
            names.append(channel.name);
        QVERIFY2(names.contains(u"大门口"_s) && names.contains(u"停车场出口"_s), qPrintable(names.join(u", "_s)));
        QVERIFY(registry.device(kNvr)->online);
        QCOMPARE(registry.device(kNvr)->manufacturer, u"Vigil"_s);
        QCOMPARE(registry.device(kIpc)->name, u"东门入口"_s); // the IPC's own channel's name

        // A catalog refresh by hand counts the same six channels.
        const auto refresh = server.refreshCatalog(kNvr);
        QVERIFY(finished(refresh));
        QVERIFY(refresh.result());
        QCOMPARE(*refresh.result(), 6);

        // DeviceStatus through the server.
        const auto status = server.queryDeviceStatus(kNvr);
        QVERIFY(finished(status));
        QVERIFY(status.result());
        QCOMPARE(status.result()->online, Gb::OnOff::On);

        // PTZ from the server's API reaches the channel's head.
        QSignalSpy applied(&simulator, &Simulator::ptzCommandApplied);
        const QString channel = u"34020000001310000003"_s;
        const auto ptz = server.ptz(channel, Gb::PtzCommand::move(Gb::PanLeft, 0x40, 0, 0));
        QVERIFY(finished(ptz));
        QVERIFY2(ptz.result(), qPrintable(ptz.result() ? QString() : ptz.result().error().message));
        QTRY_COMPARE_WITH_TIMEOUT(applied.size(), 1, 5000);
        QCOMPARE(applied.front().front().toString(), channel);
        QCOMPARE(simulator.ptz(channel.toLatin1())->motion(), std::uint8_t(Gb::PanLeft));

        // camsim stops: its devices unregister and the server shows them offline at once.
        QSignalSpy stopped(&simulator, &Simulator::stopped);
        simulator.stop();
        QVERIFY(stopped.wait(5000));
        QTRY_VERIFY_WITH_TIMEOUT(!registry.device(kNvr)->online, 5000);
        QCOMPARE(registry.device(kNvr)->offlineReason, Devices::OfflineReason::Unregistered);
        QTRY_VERIFY_WITH_TIMEOUT(!registry.device(kIpc)->online, 5000);
        server.stop();
    }
};

QTEST_GUILESS_MAIN(TestCamsimGbServer)
#include "tst_camsimgbserver.moc"
