// vigil-camsim devices against Vigil's real registrar over loopback: the REGISTER exchanges a
// real device has (401 then 200, 401 then 403 for a wrong password, digest without qop,
// Hikvision digest URIs), refresh, keepalives, re-registration after a 404, unregistering,
// TCP signalling, and the signalling faults.

#include "simulateddevice.h"
#include "simulator.h"
#include "testplatform.h"

#include <QSignalSpy>
#include <QTest>

using namespace Vigil;
using namespace Vigil::CamSim;
using namespace CamSimTest;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kIpc = "34020000001320000001";

SimulatorConfig configFor(const TestPlatform &platform, Sip::TransportKind transport = Sip::TransportKind::Udp)
{
    SimulatorConfig config;
    config.server.address = QHostAddress::LocalHost;
    config.server.port = platform.port();
    config.server.transport = transport;
    config.bindAddress = QHostAddress::LocalHost;
    config.mediaEnabled = false;
    config.timers.keepaliveIntervalSec = 1;
    config.timers.retryDelayMs = 60000; // a failed device must not come back within a test
    return config;
}

QByteArray authorizationOf(const Sip::SipMessage &request)
{
    return request.header(Sip::HeaderId::Authorization).toByteArray();
}

} // namespace

class TestCamsimRegistration : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void registersLikeADevice_data()
    {
        QTest::addColumn<int>("transport");
        QTest::newRow("udp") << int(Sip::TransportKind::Udp);
        QTest::newRow("tcp") << int(Sip::TransportKind::Tcp);
    }

    void registersLikeADevice()
    {
        QFETCH(int, transport);
        TestPlatform platform;
        Simulator simulator(configFor(platform, Sip::TransportKind(transport)));
        QSignalSpy registered(&simulator, &Simulator::deviceRegistered);
        QVERIFY(simulator.start());
        QVERIFY(registered.wait(5000));
        QCOMPARE(registered.front().front().toString(), QString::fromLatin1(kIpc));

        // REGISTER -> 401 -> REGISTER with credentials -> 200, in one dialog of requests.
        QCOMPARE(platform.sink.statuses(Sip::Method::Register, kIpc), (QList<int>{401, 200}));
        const QList<Sip::SipMessage> requests = platform.registersOf(kIpc);
        QCOMPARE(requests.size(), 2);
        QVERIFY(authorizationOf(requests[0]).isEmpty());
        const auto credentials = Sip::DigestCredentials::parse(authorizationOf(requests[1]));
        QVERIFY(credentials);
        QCOMPARE(credentials->username, kIpc);
        QCOMPARE(credentials->realm, "3402000000");
        QCOMPARE(credentials->qop, "auth");
        QCOMPARE(credentials->uri, "sip:34020000002000000001@3402000000");
        QCOMPARE(requests[1].callId(), requests[0].callId());
        QCOMPARE(requests[1].from().tag(), requests[0].from().tag());
        QCOMPARE(requests[1].cseq().number, requests[0].cseq().number + 1);
        QCOMPARE(requests[0].expires(), 3600u);
        QVERIFY(requests[0].header(Sip::HeaderId::Contact).contains(QByteArray(kIpc + "@127.0.0.1:")));
        QCOMPARE(requests[0].topVia().transport.toByteArray(), transport == int(Sip::TransportKind::Tcp) ? "TCP" : "UDP");

        QVERIFY(platform.isOnline(QString::fromLatin1(kIpc)));
        const SimulatedDevice *device = simulator.device(kIpc);
        QVERIFY(device);
        QCOMPARE(device->state(), RegistrationState::Registered);
        QCOMPARE(device->callId(), requests[0].callId().toByteArray());
        // The GB Date header set the device clock: same host, so (almost) no offset.
        QVERIFY2(std::abs(device->clockOffsetMs()) < 2000, qPrintable(QString::number(device->clockOffsetMs())));

        // Keepalives every second with a growing SN, each answered 200.
        QTRY_VERIFY_WITH_TIMEOUT(platform.keepalives.size() >= 2, 5000);
        const Gb::Envelope first = platform.keepalives[0].manscdp.envelope;
        const Gb::Envelope second = platform.keepalives[1].manscdp.envelope;
        QCOMPARE(first.messageClass, Gb::MessageClass::Notify);
        QCOMPARE(first.deviceId.text(), QString::fromLatin1(kIpc));
        QCOMPARE(second.sn, first.sn + 1);
        QCOMPARE(platform.keepalives[0].manscdp.get<Gb::KeepaliveNotify>()->status, Gb::ResultCode::Ok);
        QTRY_VERIFY(simulator.stats().keepalivesAnswered >= 2);
        QCOMPARE(simulator.stats().keepalivesFailed, 0);

        // Stopping unregisters: Expires 0 on the same Call-ID, and the platform marks it offline.
        QSignalSpy stopped(&simulator, &Simulator::stopped);
        simulator.stop();
        QVERIFY(stopped.wait(5000));
        const QList<Sip::SipMessage> all = platform.registersOf(kIpc);
        QCOMPARE(all.back().expires(), 0u);
        QCOMPARE(all.back().callId(), requests[0].callId());
        QVERIFY(!platform.isOnline(QString::fromLatin1(kIpc)));
        QCOMPARE(platform.registry.device(*DeviceId::parse(kIpc))->offlineReason, Devices::OfflineReason::Unregistered);
        QCOMPARE(simulator.stats().unregistrations, 1);
    }

    void wrongPasswordGets403AndNoLoop()
    {
        TestPlatform platform;
        SimulatorConfig config = configFor(platform);
        config.faults.wrongPassword = true;
        Simulator simulator(config);
        QSignalSpy failed(&simulator, &Simulator::registrationFailed);
        QVERIFY(simulator.start());
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.front().at(1).toString(), u"403 Forbidden"_s);
        QCOMPARE(platform.sink.statuses(Sip::Method::Register, kIpc), (QList<int>{401, 403}));
        QCOMPARE(simulator.device(kIpc)->state(), RegistrationState::RetryWait);
        QVERIFY(!platform.isOnline(QString::fromLatin1(kIpc)));
        // The device waits its retry delay instead of hammering the platform.
        QTest::qWait(300);
        QCOMPARE(platform.registersOf(kIpc).size(), 2);
        QCOMPARE(simulator.stats().failuresByCause.value(u"403 Forbidden"_s), 1);
    }

    void retriesWithANewCallIdAfterAFailure()
    {
        TestPlatform platform;
        SimulatorConfig config = configFor(platform);
        config.faults.wrongPassword = true;
        config.timers.retryDelayMs = 100;
        Simulator simulator(config);
        QVERIFY(simulator.start());
        QTRY_VERIFY_WITH_TIMEOUT(platform.registersOf(kIpc).size() >= 4, 5000);
        const QList<Sip::SipMessage> requests = platform.registersOf(kIpc);
        QCOMPARE(requests[1].callId(), requests[0].callId());
        QVERIFY(requests[2].callId() != requests[0].callId()); // a new attempt is a new "boot"
        QVERIFY(requests[2].from().tag() != requests[0].from().tag());
    }

    void digestWithoutQop()
    {
        TestPlatform platform;
        SimulatorConfig config = configFor(platform);
        config.faults.noQop = true;
        Simulator simulator(config);
        QSignalSpy registered(&simulator, &Simulator::deviceRegistered);
        QVERIFY(simulator.start());
        QVERIFY(registered.wait(5000));
        const QList<Sip::SipMessage> requests = platform.registersOf(kIpc);
        const auto credentials = Sip::DigestCredentials::parse(authorizationOf(requests.back()));
        QVERIFY(credentials);
        QVERIFY(credentials->qop.isEmpty());
        QVERIFY(credentials->nc.isEmpty());
        QVERIFY(credentials->cnonce.isEmpty());
        QCOMPARE(platform.sink.statuses(Sip::Method::Register, kIpc), (QList<int>{401, 200}));
    }

    void hikvisionDigestUri()
    {
        TestPlatform platform;
        SimulatorConfig config = configFor(platform);
        config.faults.hikvisionAuthUri = true;
        Simulator simulator(config);
        QSignalSpy registered(&simulator, &Simulator::deviceRegistered);
        QVERIFY(simulator.start());
        QVERIFY(registered.wait(5000));
        const Sip::SipMessage request = platform.registersOf(kIpc).back();
        // The Request-URI names the server by address, the digest by domain: the platform must
        // hash the uri as sent.
        QCOMPARE(request.requestUriText().toByteArray(), "sip:34020000002000000001@127.0.0.1:" + QByteArray::number(platform.port()));
        QCOMPARE(Sip::DigestCredentials::parse(authorizationOf(request))->uri, "sip:34020000002000000001@3402000000");
        QCOMPARE(platform.sink.statuses(Sip::Method::Register, kIpc), (QList<int>{401, 200}));
    }

    void refreshesOnTheSameCallId()
    {
        TestPlatform platform;
        SimulatorConfig config = configFor(platform);
        config.timers.registerExpiresSec = 3; // refresh after 2 s
        Simulator simulator(config);
        QVERIFY(simulator.start());
        QTRY_VERIFY_WITH_TIMEOUT(simulator.stats().refreshes >= 1, 8000);
        const QList<Sip::SipMessage> requests = platform.registersOf(kIpc);
        QVERIFY(requests.size() >= 3);
        QCOMPARE(requests[2].callId(), requests[0].callId());
        QCOMPARE(requests[2].from().tag(), requests[0].from().tag());
        QCOMPARE(requests[2].cseq().number, requests[1].cseq().number + 1);
        QCOMPARE(requests[2].expires(), 3u);
        QCOMPARE(platform.registrar.stats().refreshed, 1u);
        QCOMPARE(simulator.stats().registrations, 1);
        QVERIFY(platform.isOnline(QString::fromLatin1(kIpc)));
    }

    void registersAgainWhenAKeepaliveGets404()
    {
        TestPlatform platform;
        Simulator simulator(configFor(platform));
        QSignalSpy registered(&simulator, &Simulator::deviceRegistered);
        QVERIFY(simulator.start());
        QVERIFY(registered.wait(5000));
        const QByteArray firstCallId = simulator.device(kIpc)->callId();

        // The platform forgets the device (as after a restart without its database): the next
        // keepalive gets 404 and the device registers again at once, as a fresh boot.
        platform.registrar.forget(*DeviceId::parse(kIpc));
        QVERIFY(registered.wait(5000));
        QVERIFY(platform.sink.statuses(Sip::Method::Message, kIpc).contains(404));
        QVERIFY(simulator.device(kIpc)->callId() != firstCallId);
        QCOMPARE(platform.registersOf(kIpc).back().callId().toByteArray(), simulator.device(kIpc)->callId());
        QVERIFY(platform.registrar.isRegistered(*DeviceId::parse(kIpc)));
        QVERIFY(simulator.stats().keepalivesFailed >= 1);
    }

    void skipsKeepalivesOnRequest()
    {
        TestPlatform platform;
        SimulatorConfig config = configFor(platform);
        config.faults.skipKeepalives = 2;
        Simulator simulator(config);
        QVERIFY(simulator.start());
        QTRY_VERIFY_WITH_TIMEOUT(platform.keepalives.size() >= 2, 8000);
        // One keepalive, two left out, then on again; the SN counts only what was sent.
        QCOMPARE(simulator.stats().keepalivesSkipped, 2);
        QCOMPARE(platform.keepalives[1].manscdp.envelope.sn, platform.keepalives[0].manscdp.envelope.sn + 1);
    }

    void lyingContentLength()
    {
        TestPlatform platform;
        SimulatorConfig config = configFor(platform);
        config.faults.lyingContentLength = true;
        Simulator simulator(config);
        QVERIFY(simulator.start());
        QTRY_VERIFY_WITH_TIMEOUT(platform.rawMessages.size() >= 2, 5000);
        // The datagrams declare the wrong length, too short and too long in turn...
        for (const Sip::SipMessage &message : std::as_const(platform.rawMessages)) {
            QVERIFY(message.contentLength());
            const qint64 declared = *message.contentLength();
            QVERIFY2(std::abs(declared - qint64(message.body().size())) == 10 || message.bodyLengthMismatch(),
                     qPrintable(u"declared %1, body %2"_s.arg(declared).arg(message.body().size())));
        }
        // ...and Vigil still reads each keepalive from the datagram.
        QTRY_VERIFY_WITH_TIMEOUT(platform.keepalives.size() >= 2, 5000);
    }

    void devicesSharingSockets()
    {
        TestPlatform platform;
        SimulatorConfig config = configFor(platform);
        config.deviceCount = 6;
        config.devicesPerSocket = 3;
        Simulator simulator(config);
        QSignalSpy registered(&simulator, &Simulator::deviceRegistered);
        QVERIFY(simulator.start());
        QCOMPARE(simulator.socketCount(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(registered.size(), 6, 5000);
        QCOMPARE(platform.registrar.stats().sessions, 6u);
        // Requests from the platform reach the right device on a shared socket.
        const QString third = u"34020000001320000003"_s;
        QCOMPARE(platform.sendMessage(third, Gb::ManscdpBuilder().queryDeviceInfo(*GbId::parse(third.toLatin1()), 7).bytes), 200);
        QTRY_COMPARE_WITH_TIMEOUT(platform.received(Gb::MessageClass::Response, Gb::CmdType::DeviceInfo).size(), 1, 5000);
        QCOMPARE(platform.received(Gb::MessageClass::Response, Gb::CmdType::DeviceInfo).front().manscdp.envelope.deviceId.text(),
                 third);
    }

    void registrationRate()
    {
        TestPlatform platform;
        SimulatorConfig config = configFor(platform);
        config.deviceCount = 20;
        config.registrationsPerSec = 40; // half a second for all of them
        Simulator simulator(config);
        QVERIFY(simulator.start());
        QVERIFY(simulator.stats().registerRequests < 20); // not all at once
        QTRY_COMPARE_WITH_TIMEOUT(simulator.stats().registrations, 20, 10000);
        const SimulatorStats stats = simulator.stats();
        QCOMPARE(stats.registrationFailures, 0);
        QCOMPARE(stats.registerRoundTrip.count, 40); // each: a challenged and an authenticated one
        QCOMPARE(stats.registrationTime.count, 20);
        QVERIFY(stats.registerRoundTrip.p50Ms > 0.0);
        QVERIFY(stats.registerRoundTrip.p99Ms >= stats.registerRoundTrip.p50Ms);
    }
};

QTEST_GUILESS_MAIN(TestCamsimRegistration)
#include "tst_camsimregistration.moc"
