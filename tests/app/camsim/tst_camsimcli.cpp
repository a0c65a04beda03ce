// The vigil-camsim program itself against Vigil's registrar in this process: the load mode's
// report, a clean stop on SIGTERM (devices unregister), the demo clips as default media (main
// and sub stream), and clear errors for bad options.

#include "testplatform.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTest>

using namespace Vigil;
using namespace CamSimTest;
using namespace Qt::StringLiterals;

namespace {

QStringList serverArguments(const TestPlatform &platform)
{
    return {u"--server"_s, u"127.0.0.1:%1"_s.arg(platform.port()), u"--bind"_s, u"127.0.0.1"_s};
}

} // namespace

class TestCamsimCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void loadModeReports()
    {
        TestPlatform platform;
        QProcess camsim;
        camsim.start(QStringLiteral(VIGIL_CAMSIM_BINARY),
                     serverArguments(platform)
                         + QStringList{u"--load"_s, u"--devices"_s, u"20"_s, u"--rate"_s, u"100"_s, u"--duration"_s, u"3"_s,
                                       u"--keepalive"_s, u"1"_s, u"--no-media"_s});
        QVERIFY(camsim.waitForStarted());
        // The registrar runs on this thread: keep the event loop going while camsim works.
        QVERIFY(QTest::qWaitFor([&] { return camsim.state() == QProcess::NotRunning; }, 20000));
        QCOMPARE(camsim.exitStatus(), QProcess::NormalExit);
        QCOMPARE(camsim.exitCode(), 0);
        const QString out = QString::fromUtf8(camsim.readAllStandardOutput());
        QVERIFY2(out.contains(u"registrations: 20 succeeded, 0 failed"_s), qPrintable(out));
        QVERIFY2(out.contains(u"REGISTER round trip (one transaction): p50 "_s), qPrintable(out));
        QVERIFY2(out.contains(u"registration time (first REGISTER to 200 OK, challenge included): p50 "_s), qPrintable(out));
        QVERIFY2(out.contains(u"registrations/s"_s), qPrintable(out));
        QVERIFY2(out.contains(u"] registered 20/20"_s), qPrintable(out)); // the per-second lines
        QVERIFY2(out.contains(u"keepalives: "_s) && out.contains(u" 0 failed; round trip p50"_s), qPrintable(out));
        QCOMPARE(platform.registrar.stats().registered, 20u);
        QCOMPARE(platform.registrar.stats().unregistered, 20u); // stopped cleanly at the end
        QVERIFY(platform.keepalives.size() >= 20);
    }

    void stopsOnSigtermAfterUnregistering()
    {
        TestPlatform platform;
        QProcess camsim;
        camsim.start(QStringLiteral(VIGIL_CAMSIM_BINARY),
                     serverArguments(platform) + QStringList{u"--type"_s, u"nvr"_s, u"--channels"_s, u"2"_s, u"--ipcs"_s, u"1"_s});
        QVERIFY(camsim.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(platform.registrar.stats().sessions, 2u, 10000);
        QVERIFY(platform.isOnline(u"34020000001180000001"_s));
        QVERIFY(platform.isOnline(u"34020000001320000002"_s));
        camsim.terminate();
        QVERIFY(QTest::qWaitFor([&] { return camsim.state() == QProcess::NotRunning; }, 10000));
        QCOMPARE(camsim.exitStatus(), QProcess::NormalExit);
        QCOMPARE(platform.registrar.stats().sessions, 0u);
        QCOMPARE(platform.registry.device(*DeviceId::parse(u"34020000001180000001"_s))->offlineReason,
                 Devices::OfflineReason::Unregistered);
    }

    void streamsTheDemoClipByDefault()
    {
        // Built with the project when ffmpeg is there (app/CMakeLists.txt).
        if (!QFile::exists(QStringLiteral(VIGIL_DEMO_VIDEO)))
            QSKIP("the demo clip was not generated (ffmpeg missing at build time)");
        TestPlatform platform;
        QProcess camsim;
        camsim.setProcessChannelMode(QProcess::MergedChannels);
        camsim.start(QStringLiteral(VIGIL_CAMSIM_BINARY), serverArguments(platform));
        QVERIFY(camsim.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(platform.registrar.stats().sessions, 1u, 10000);
        RtpCollector collector(RtpCollector::Mode::Udp);
        const auto offer = Gb::MediaSdp::offer(Gb::SdpSessionName::Play, kServerId, QHostAddress::LocalHost, collector.port(),
                                               Devices::MediaTransport::Udp, Gb::Ssrc(200000001));
        auto invite = platform.invite(u"34020000001320000001"_s, u"34020000001310000001"_s, offer);
        QTRY_VERIFY_WITH_TIMEOUT(invite->done, 10000);
        QCOMPARE(invite->status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(collector.packets().size() > 20, 10000);
        QCOMPARE(platform.bye(*invite), 200);

        // The sub stream plays the demo's sub-stream clip, built next to the main one.
        const bool subBuilt = QFileInfo::exists(QFileInfo(QStringLiteral(VIGIL_DEMO_VIDEO)).dir().filePath(u"demo-sub-h264.h264"_s));
        RtpCollector subCollector(RtpCollector::Mode::Udp);
        Gb::MediaSdp subOffer = Gb::MediaSdp::offer(Gb::SdpSessionName::Play, kServerId, QHostAddress::LocalHost,
                                                    subCollector.port(), Devices::MediaTransport::Udp, Gb::Ssrc(200000002));
        subOffer.streamNumber = 1;
        auto subInvite = platform.invite(u"34020000001320000001"_s, u"34020000001310000001"_s, subOffer);
        QTRY_VERIFY_WITH_TIMEOUT(subInvite->done, 10000);
        QCOMPARE(subInvite->status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(subCollector.packets().size() > 5, 10000);
        QCOMPARE(platform.bye(*subInvite), 200);

        camsim.terminate();
        QVERIFY(QTest::qWaitFor([&] { return camsim.state() == QProcess::NotRunning; }, 10000));
        const QString log = QString::fromUtf8(camsim.readAll());
        QVERIFY2(log.contains(u"media: demo-h264.h264: H.264"_s) && log.contains(u"audio demo-g711a.alaw"_s), qPrintable(log));
        QVERIFY2(log.contains(u"main stream from demo-h264.h264"_s), qPrintable(log));
        if (subBuilt) {
            QVERIFY2(log.contains(u"sub-stream media: demo-sub-h264.h264: H.264"_s), qPrintable(log));
            QVERIFY2(log.contains(u"sub stream from demo-sub-h264.h264"_s), qPrintable(log));
        } else {
            QVERIFY2(log.contains(u"sub stream from demo-h264.h264"_s), qPrintable(log));
        }
    }

    void badOptionsSayWhatToFix_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("transport") << QStringList{u"--sip-transport"_s, u"sctp"_s} << u"--sip-transport is udp or tcp"_s;
        QTest::newRow("charset") << QStringList{u"--charset"_s, u"big5"_s} << u"--charset is gb2312 or utf-8"_s;
        QTest::newRow("loss") << QStringList{u"--loss"_s, u"120"_s} << u"--loss takes a number from 0 to 100"_s;
        QTest::newRow("base id") << QStringList{u"--base-id"_s, u"1234"_s} << u"--base-id:"_s;
        QTest::newRow("server") << QStringList{u"--server"_s, u"127.0.0.1:99999"_s} << u"--server:"_s;
        QTest::newRow("media") << QStringList{u"--media"_s, u"/nonexistent/clip.h264"_s} << u"/nonexistent/clip.h264"_s;
        QTest::newRow("sub media") << QStringList{u"--sub-media"_s, u"/nonexistent/sub.h264"_s} << u"--sub-media"_s;
    }

    void badOptionsSayWhatToFix()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        QProcess camsim;
        camsim.start(QStringLiteral(VIGIL_CAMSIM_BINARY), arguments);
        QVERIFY(camsim.waitForFinished(10000));
        QCOMPARE(camsim.exitCode(), 2);
        const QString error = QString::fromUtf8(camsim.readAllStandardError());
        QVERIFY2(error.contains(message), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestCamsimCli)
#include "tst_camsimcli.moc"
