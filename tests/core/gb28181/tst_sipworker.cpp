// A SIP worker thread in front of the registrar: devices register and keep alive through a
// UDP socket served on another thread, the registry (written on this thread only) follows,
// and what the worker does not finish is handed back here.

#include "common/workerthread.h"
#include "gb28181/registrar.h"
#include "gb28181/sipworker.h"
#include "testdevice.h"

#include <QMutex>
#include <QTest>

using namespace Vigil;
using namespace Vigil::Gb;
using namespace Vigil::TestSupport;
using namespace Qt::StringLiterals;

namespace {

/// The registrar on this thread (with a transport of its own, as in GbService) and a SipWorker
/// on a worker thread, sharing nothing but the registrar and the registry.
class Fixture {
public:
    Fixture()
        : transport(loopback())
        , layer(transport)
        , registrar(ServerConfig(), layer, registry, events)
    {
        QVERIFY(transport.start());
        Registrar::Hooks hooks;
        hooks.freshRegistration = [this](const DeviceId &id) {
            Q_ASSERT(QThread::currentThread() == registrar.thread());
            fresh.append(id);
        };
        registrar.setHooks(hooks);
        Transport::SipTransportConfig config = loopback();
        config.tcpEnabled = false;
        config.portSharing = Transport::PortSharing::ReusePort;
        config.localSocket = 1;
        SipWorker::Handoff handoff;
        handoff.message = [this](const Sip::SipMessage &message, const Sip::Peer &) {
            QMutexLocker locker(&handedLock);
            handedMessages.append(message.isRequest() ? message.methodText().toByteArray() : QByteArray("response"));
        };
        handoff.body = [this](const DeviceId &, ManscdpMessage body) {
            QMutexLocker locker(&handedLock);
            handedBodies.append(body.envelope.cmdType);
        };
        worker = thread.create<SipWorker>(config, registrar, registry, handoff);
        SipWorker *w = worker;
        QVERIFY(thread.run([w] { return w->start(); }));
        port = thread.run([w] { return w->port(); });
    }
    ~Fixture()
    {
        SipWorker *w = worker;
        thread.run([w] { w->stop(); });
        thread.stop();
    }

    Devices::DeviceRegistry registry;
    Devices::EventLog events;
    Transport::SipTransport transport;
    Sip::TransactionLayer layer;
    Registrar registrar;
    WorkerThread thread{u"test-sip-worker"_s};
    SipWorker *worker = nullptr;
    std::uint16_t port = 0;
    QList<DeviceId> fresh;
    QMutex handedLock;
    QList<QByteArray> handedMessages;
    QList<CmdType> handedBodies;
};

} // namespace

class TestSipWorker : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void registersAndKeepsAliveOnAnotherThread()
    {
        Fixture f;
        QVERIFY(f.port != 0);
        QVERIFY(f.port != f.transport.port());
        TestDevice device(f.port);
        const auto ok = device.registerWith("12345678");
        QVERIFY(ok);
        QCOMPARE(ok->statusCode(), 200);
        QVERIFY(!ok->header(Sip::HeaderId::Date).isEmpty());
        QVERIFY(f.registrar.isRegistered(kCamera));
        // The registry is written on the registrar's thread, once its queued work ran.
        QTRY_VERIFY(f.registry.device(kCamera) && f.registry.device(kCamera)->online);
        QCOMPARE(f.registry.device(kCamera)->route.port, device.transport.port());
        QCOMPARE(f.registry.device(kCamera)->route.localSocket, std::uint16_t(1));
        QTRY_COMPARE(f.fresh, QList<DeviceId>{kCamera});

        QCOMPARE(device.keepalive()->statusCode(), 200);
        QTRY_COMPARE(f.worker->keepalives(), 1u);
        QVERIFY(f.registrar.stats().registered >= 1);

        // A refresh on the same Call-ID needs no challenge, on the worker too.
        QCOMPARE(device.send(device.registerRequest(3600))->statusCode(), 200);
        QCOMPARE(device.challenges.size(), 1);
    }

    void unknownDevicesAndWrongPasswords()
    {
        Fixture f;
        TestDevice stranger(f.port);
        stranger.id = *DeviceId::parse(u"34020000001320000777"_s);
        QCOMPARE(stranger.keepalive()->statusCode(), 404);
        QCOMPARE(stranger.registerWith("wrong")->statusCode(), 403);
        QVERIFY(!f.registrar.isRegistered(stranger.id));
        QTRY_COMPARE(f.registrar.stats().rejected, 1u);
        QVERIFY(!f.registry.device(stranger.id) || !f.registry.device(stranger.id)->online);
    }

    void handsOverWhatItDoesNotFinish()
    {
        Fixture f;
        TestDevice device(f.port);
        QCOMPARE(device.registerWith("12345678")->statusCode(), 200);
        // A Catalog notification: answered 200 here, the body goes to the signalling thread.
        Gb::ManscdpBuilder builder(TextEncoding::Utf8);
        device.sendBody(builder.responseDeviceInfo(device.id, 7, Gb::DeviceInfoResponse{}));
        QTRY_VERIFY([&] {
            QMutexLocker locker(&f.handedLock);
            return f.handedBodies == QList<CmdType>{CmdType::DeviceInfo};
        }());
        // An INVITE is not the worker's business: handed over as received, unanswered.
        auto invite = Sip::MessageBuilder::request(Sip::Method::Invite, "sip:34020000002000000001@3402000000");
        invite.add(Sip::HeaderId::From, QByteArray("<sip:" + device.id.toByteArray() + "@3402000000>;tag=1"));
        invite.add(Sip::HeaderId::To, "<sip:34020000002000000001@3402000000>");
        invite.add(Sip::HeaderId::CallId, device.layer.newCallId());
        invite.add(Sip::HeaderId::CSeq, "1 INVITE");
        (void)device.layer.sendRequest(std::move(invite), device.server, [](const Sip::ClientEvent &) {});
        QTRY_VERIFY([&] {
            QMutexLocker locker(&f.handedLock);
            return f.handedMessages.contains("INVITE");
        }());
        QCOMPARE(f.worker->handedOff() >= 1, true);
    }
};

QTEST_GUILESS_MAIN(TestSipWorker)
#include "tst_sipworker.moc"
