// The registrar over real sockets on 127.0.0.1: a device built from Vigil's own SIP stack
// registers, refreshes, sends keepalives, goes silent, moves behind NAT, guesses passwords.

#include "gb28181/registrar.h"
#include "testdevice.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Vigil;
using namespace Vigil::Gb;
using namespace Vigil::TestSupport;
using namespace Qt::StringLiterals;

namespace {

/// The registrar with what surrounds it in GbService: a transport, a transaction layer, and a
/// dispatcher answering other requests 200 (registered) or 404.
class TestServer {
public:
    explicit TestServer(ServerConfig config = ServerConfig())
        : transport(loopback())
        , layer(transport)
        , registrar(config, layer, registry, events)
    {
        QVERIFY(transport.start());
        transport.setMessageHandler([this](const Sip::SipMessage &m, const Sip::Peer &p) { layer.receive(m, p); });
        QObject::connect(&transport, &Transport::SipTransport::connectionClosed, &transport,
                         [this](const Sip::Peer &peer, const QString &) { registrar.connectionClosed(peer); });
        layer.setRequestHandler([this](const Sip::IncomingRequest &request) {
            if (request.message().method() == Sip::Method::Register)
                return registrar.handleRegister(request);
            const int code = registrar.admit(request) ? 200 : 404;
            layer.respond(request, Sip::MessageBuilder::responseTo(request.message(), code, layer.newTag()));
        });
        Registrar::Hooks hooks;
        hooks.freshRegistration = [this](const DeviceId &id) { fresh.append(id); };
        hooks.probe = [this](const DeviceId &id) { probes.append(id); };
        registrar.setHooks(hooks);
    }

    std::uint16_t port() const { return transport.port(); }

    Devices::DeviceRegistry registry;
    Devices::EventLog events;
    Transport::SipTransport transport;
    Sip::TransactionLayer layer;
    Registrar registrar;
    QList<DeviceId> fresh;
    QList<DeviceId> probes;
};

bool hasEvent(const Devices::EventLog &log, Devices::EventKind kind)
{
    const auto all = log.since(0);
    return std::any_of(all.begin(), all.end(), [kind](const Devices::Event &e) { return e.kind == kind; });
}

} // namespace

class TestRegistrar : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void registersWithQop()
    {
        TestServer server;
        TestDevice device(server.port());
        const auto ok = device.registerWith("12345678");
        QVERIFY(ok);
        QCOMPARE(ok->statusCode(), 200);
        // The challenge is what GB devices expect.
        QCOMPARE(device.challenges.size(), 1);
        const QByteArray challenge = device.challenges.first().header(Sip::HeaderId::WwwAuthenticate).toByteArray();
        QVERIFY2(challenge.contains("realm=\"3402000000\"") && challenge.contains("qop=\"auth\""), challenge.constData());
        // The 200 OK: GB time sync, granted Expires, Contact echoed.
        const QString date = QString::fromLatin1(ok->header(Sip::HeaderId::Date));
        QVERIFY2(QRegularExpression(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}$"_s).match(date).hasMatch(),
                 qPrintable(date));
        QCOMPARE(ok->expires(), 3600u);
        QVERIFY(ok->header(Sip::HeaderId::Contact).contains("34020000001320000001@127.0.0.1"));
        QVERIFY(!ok->to().tag().isEmpty());

        const auto registered = server.registry.device(kCamera);
        QVERIFY(registered);
        QVERIFY(registered->online);
        QCOMPARE(registered->route.port, device.transport.port());
        QCOMPARE(registered->userAgent, u"TestCam"_s);
        QCOMPARE(server.fresh, QList<DeviceId>{kCamera});
        QVERIFY(hasEvent(server.events, Devices::EventKind::DeviceRegistered));
        QVERIFY(server.registrar.isRegistered(kCamera));
    }

    void registersWithoutQop()
    {
        TestServer server;
        TestDevice device(server.port());
        Sip::DigestClient::Quirks quirks;
        quirks.qop = Sip::DigestClient::QopUse::Never;
        const auto ok = device.registerWith("12345678", 3600, quirks);
        QVERIFY(ok);
        QCOMPARE(ok->statusCode(), 200);
    }

    void hikvisionDigestUri()
    {
        TestServer server;
        TestDevice device(server.port());
        Sip::DigestClient::Quirks quirks;
        quirks.digestUri = "sip:34020000002000000001@127.0.0.1:" + QByteArray::number(server.port());
        const auto ok = device.registerWith("12345678", 3600, quirks);
        QVERIFY(ok);
        QCOMPARE(ok->statusCode(), 200);
    }

    void wrongPasswordIsRefused()
    {
        TestServer server;
        server.registry.addDevice(kCamera, Devices::DeviceSettings{});
        TestDevice device(server.port());
        const auto refused = device.registerWith("not-the-password");
        QVERIFY(refused);
        QCOMPARE(refused->statusCode(), 403);
        QVERIFY(!server.registry.device(kCamera)->online);
        QVERIFY(hasEvent(server.events, Devices::EventKind::AuthFailed));
    }

    void perDevicePasswordWins()
    {
        TestServer server;
        server.registry.addDevice(kCamera, Devices::DeviceSettings{u"own-secret"_s, {}, {}, {}});
        TestDevice device(server.port());
        QCOMPARE(device.registerWith("12345678")->statusCode(), 403);
        TestDevice again(server.port());
        QCOMPARE(again.registerWith("own-secret")->statusCode(), 200);
    }

    void unknownDeviceLooksLikeWrongPassword()
    {
        ServerConfig config;
        config.registrationPolicy = RegistrationPolicy::KnownDevicesOnly;
        TestServer server(config);
        server.registry.addDevice(kCamera, Devices::DeviceSettings{});

        TestDevice known(server.port());
        const auto knownAnswer = known.registerWith("wrong");
        TestDevice stranger(server.port());
        stranger.id = *DeviceId::parse(u"34020000001320000999"_s);
        const auto strangerAnswer = stranger.registerWith("12345678"); // right global password, unknown ID
        QVERIFY(knownAnswer && strangerAnswer);
        // The same exchange: a challenge of the same form, then 403.
        QCOMPARE(known.challenges.size(), 1);
        QCOMPARE(stranger.challenges.size(), 1);
        QCOMPARE(strangerAnswer->statusCode(), knownAnswer->statusCode());
        QCOMPARE(strangerAnswer->statusCode(), 403);
        QCOMPARE(strangerAnswer->reasonPhrase(), knownAnswer->reasonPhrase());
        QCOMPARE(stranger.challenges.first().header(Sip::HeaderId::WwwAuthenticate).size(),
                 known.challenges.first().header(Sip::HeaderId::WwwAuthenticate).size());
        QVERIFY(!server.registry.contains(stranger.id));
    }

    void refreshAndReboot()
    {
        TestServer server;
        TestDevice device(server.port());
        QCOMPARE(device.registerWith("12345678")->statusCode(), 200);
        // Same Call-ID and From tag: accepted without a challenge.
        const auto refresh = device.send(device.registerRequest(3600));
        QVERIFY(refresh);
        QCOMPARE(refresh->statusCode(), 200);
        QCOMPARE(server.fresh.size(), 1);
        QCOMPARE(server.registrar.stats().refreshed, 1u);
        // A new Call-ID is a reboot: challenged, and a fresh registration (catalog queried again).
        device.callId = device.layer.newCallId();
        device.challenges.clear();
        QCOMPARE(device.registerWith("12345678")->statusCode(), 200);
        QCOMPARE(device.challenges.size(), 1);
        QCOMPARE(server.fresh.size(), 2);
    }

    void unregister()
    {
        TestServer server;
        TestDevice device(server.port());
        QCOMPARE(device.registerWith("12345678")->statusCode(), 200);
        const auto bye = device.send(device.registerRequest(0));
        QVERIFY(bye);
        QCOMPARE(bye->statusCode(), 200);
        QCOMPARE(bye->expires(), 0u);
        QVERIFY(!server.registry.device(kCamera)->online);
        QCOMPARE(server.registry.device(kCamera)->offlineReason, Devices::OfflineReason::Unregistered);
        QVERIFY(!server.registrar.isRegistered(kCamera));
        // Keepalives after unregistering are refused so that the device registers again.
        QCOMPARE(device.keepalive()->statusCode(), 404);
    }

    void keepaliveNeedsRegistration()
    {
        TestServer server;
        TestDevice device(server.port());
        QCOMPARE(device.keepalive()->statusCode(), 404);
        QVERIFY(!server.registry.contains(kCamera)); // never auto-created
        QCOMPARE(device.registerWith("12345678")->statusCode(), 200);
        QCOMPARE(device.keepalive()->statusCode(), 200);
    }

    void silenceTakesDeviceOffline()
    {
        ServerConfig config;
        config.keepaliveIntervalSec = 1;
        config.keepaliveTimeoutCount = 2;
        config.probeTimeoutSec = 1;
        TestServer server(config);
        TestDevice device(server.port());
        QCOMPARE(device.registerWith("12345678")->statusCode(), 200);
        // 2 s of silence, one probe, 1 s more: offline with the reason operators understand.
        QTRY_VERIFY_WITH_TIMEOUT(!server.registry.device(kCamera)->online, 10000);
        QCOMPARE(server.probes, QList<DeviceId>{kCamera});
        QCOMPARE(server.registry.device(kCamera)->offlineReason, Devices::OfflineReason::KeepalivesMissed);
        QCOMPARE(Devices::Device::offlineReasonText(Devices::OfflineReason::KeepalivesMissed, 2),
                 u"2 keepalives missed"_s);
        // Its registration still stands: the next keepalive brings it back.
        QCOMPARE(device.keepalive()->statusCode(), 200);
        QVERIFY(server.registry.device(kCamera)->online);
        QVERIFY(hasEvent(server.events, Devices::EventKind::DeviceOnline));
    }

    void registrationExpires()
    {
        ServerConfig config;
        config.minExpiresSec = 1;
        TestServer server(config);
        TestDevice device(server.port());
        QCOMPARE(device.registerWith("12345678", 2)->statusCode(), 200);
        QTRY_VERIFY_WITH_TIMEOUT(!server.registry.device(kCamera)->online, 10000);
        QCOMPARE(server.registry.device(kCamera)->offlineReason, Devices::OfflineReason::RegistrationExpired);
        QCOMPARE(device.keepalive()->statusCode(), 404);
    }

    void routeFollowsNatRebinding()
    {
        TestServer server;
        TestDevice device(server.port());
        QCOMPARE(device.registerWith("12345678")->statusCode(), 200);
        // The NAT gives the camera a new public port: its next keepalive comes from elsewhere.
        TestDevice moved(server.port());
        QCOMPARE(moved.keepalive()->statusCode(), 200);
        QCOMPARE(server.registrar.route(kCamera)->port, moved.transport.port());
        QCOMPARE(server.registry.device(kCamera)->route.port, moved.transport.port());
        QVERIFY(hasEvent(server.events, Devices::EventKind::AddressChanged));
    }

    void repeatedFailuresBan()
    {
        ServerConfig config;
        config.admission.authFailureLimit = 2;
        TestServer server(config);
        server.registry.addDevice(kCamera, Devices::DeviceSettings{});
        TestDevice guesser(server.port());
        QCOMPARE(guesser.registerWith("guess-1")->statusCode(), 403);
        QCOMPARE(guesser.registerWith("guess-2")->statusCode(), 403);
        // Banned: no answer at all now, not even with the right password.
        QVERIFY(!guesser.registerWith("12345678"));
        QVERIFY(hasEvent(server.events, Devices::EventKind::SourceBanned));
        QVERIFY(server.registrar.stats().ignored >= 1);
    }

    void registeredSourceIsNoStranger()
    {
        // A gateway (or a NAT port, or sipp) that registered one device may challenge-register
        // many more at once; a source that never authenticated is capped at the try limit.
        ServerConfig config;
        config.admission.strangerTryLimit = 3;
        TestServer server(config);
        TestDevice gateway(server.port());
        QCOMPARE(gateway.registerWith("12345678")->statusCode(), 200);
        TestDevice stranger(server.port());
        for (int i = 0; i < 8; ++i) {
            const auto suffix = QByteArray::number(100 + i);
            gateway.id = *DeviceId::parse(QByteArray("34020000001320000" + suffix));
            gateway.callId = gateway.layer.newCallId("127.0.0.1");
            const auto challenged = gateway.send(gateway.registerRequest(3600));
            QVERIFY2(challenged, "a source with a registered device was ignored");
            QCOMPARE(challenged->statusCode(), 401);
            stranger.id = gateway.id;
            stranger.callId = stranger.layer.newCallId("127.0.0.1");
            const auto answer = stranger.send(stranger.registerRequest(3600));
            QCOMPARE(bool(answer), i < config.admission.strangerTryLimit);
        }
        // Once its last device is gone, the source is a stranger again.
        gateway.id = kCamera;
        gateway.callId = gateway.layer.newCallId("127.0.0.1");
        QCOMPARE(gateway.registerWith("12345678", 0)->statusCode(), 200);
        for (int i = 0; i < config.admission.strangerTryLimit; ++i)
            QVERIFY(gateway.send(gateway.registerRequest(3600)));
        QVERIFY(!gateway.send(gateway.registerRequest(3600)));
    }

    void tcpConnectionClosedGoesOffline()
    {
        TestServer server;
        auto device = std::make_unique<TestDevice>(server.port(), Sip::TransportKind::Tcp);
        QCOMPARE(device->registerWith("12345678")->statusCode(), 200);
        QCOMPARE(server.registry.device(kCamera)->route.transport, Sip::TransportKind::Tcp);
        device.reset(); // the camera's connection goes away
        QTRY_VERIFY_WITH_TIMEOUT(!server.registry.device(kCamera)->online, 10000);
        QCOMPARE(server.registry.device(kCamera)->offlineReason, Devices::OfflineReason::TcpConnectionClosed);
    }

    void restoresSessionsAfterRestart()
    {
        TestServer server;
        Devices::Device stored;
        stored.id = kCamera;
        stored.online = true;
        stored.offlineReason = Devices::OfflineReason::None;
        stored.registrationExpiresAt = QDateTime::currentDateTimeUtc().addSecs(600);
        stored.registrationCallId = u"abc@1.2.3.4"_s;
        stored.route.address = QHostAddress::LocalHost;
        stored.route.port = 5999;
        Devices::Device expired = stored;
        expired.id = *DeviceId::parse(u"34020000001320000002"_s);
        expired.registrationExpiresAt = QDateTime::currentDateTimeUtc().addSecs(-5);
        server.registry.restore({stored, expired}, {});
        server.registrar.restoreSessions();
        QVERIFY(server.registrar.isRegistered(kCamera));
        QVERIFY(server.registry.device(kCamera)->online);
        QVERIFY(!server.registrar.isRegistered(expired.id));
        QCOMPARE(server.registry.device(expired.id)->offlineReason, Devices::OfflineReason::RegistrationExpired);
        // A restored device's keepalive is accepted without registering again.
        TestDevice device(server.port());
        QCOMPARE(device.keepalive()->statusCode(), 200);
    }
};

QTEST_GUILESS_MAIN(TestRegistrar)
#include "tst_registrar.moc"
