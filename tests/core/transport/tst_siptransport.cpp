// SipTransport over real sockets on 127.0.0.1: a QUdpSocket or QTcpSocket in the test plays the
// device, and what it receives is what a device would see.

#include "common/workerthread.h"
#include "sip/messagebuilder.h"
#include "sip/sipmessage.h"
#include "transport/siptransport.h"

#include <QFile>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUdpSocket>

#include <atomic>
#include <memory>
#include <set>

using namespace Vigil;
using namespace Vigil::Sip;
using namespace Vigil::Transport;
using namespace Qt::StringLiterals;

namespace {

const QHostAddress kLocalhost(QHostAddress::LocalHost);

/// A device's request. The Via host is bogus on purpose: replies must go to the source.
QByteArray request(QByteArrayView method, int cseq, QByteArrayView transport = "UDP", QByteArrayView body = {})
{
    QByteArray m = method.toByteArray() + " sip:34020000002000000001@3402000000 SIP/2.0\r\n"
        "Via: SIP/2.0/" + transport.toByteArray() + " 192.0.2.99:5999;rport;branch=z9hG4bK-" + QByteArray::number(cseq) + "\r\n"
        "From: <sip:34020000001320000001@3402000000>;tag=dev" + QByteArray::number(cseq) + "\r\n"
        "To: <sip:34020000002000000001@3402000000>\r\n"
        "Call-ID: call-" + QByteArray::number(cseq) + "@192.168.1.64\r\n"
        "CSeq: " + QByteArray::number(cseq) + " " + method.toByteArray() + "\r\n"
        "Max-Forwards: 70\r\n";
    if (!body.isEmpty())
        m += "Content-Type: Application/MANSCDP+xml\r\n";
    m += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    return m;
}

const QByteArray kKeepalive = "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n"
                              "<SN>7</SN>\r\n<DeviceID>34020000001320000001</DeviceID>\r\n<Status>OK</Status>\r\n</Notify>\r\n";

struct Received {
    SipMessage message;
    Peer peer;
};

SipTransportConfig localConfig()
{
    SipTransportConfig config;
    config.bindAddress = kLocalhost;
    config.port = 0;
    return config;
}

/// A started transport that records what its handler gets.
struct Server {
    explicit Server(SipTransportConfig config = localConfig())
        : transport(std::make_unique<SipTransport>(std::move(config)))
    {
        transport->setMessageHandler([this](const SipMessage &message, const Peer &peer) {
            received.push_back(Received{message, peer});
        });
    }

    Result<void> start() { return transport->start(); }
    std::uint16_t port() const { return transport->port(); }
    SipTransport *operator->() const { return transport.get(); }

    std::unique_ptr<SipTransport> transport;
    std::vector<Received> received;
};

/// A UDP "device" bound to an ephemeral port on 127.0.0.1.
std::unique_ptr<QUdpSocket> udpDevice()
{
    auto socket = std::make_unique<QUdpSocket>();
    if (!socket->bind(kLocalhost, 0))
        qFatal("cannot bind a UDP socket on 127.0.0.1");
    return socket;
}

/// A TCP "device" connected to `port` on 127.0.0.1 (null when it could not connect).
std::unique_ptr<QTcpSocket> tcpDevice(std::uint16_t port)
{
    auto socket = std::make_unique<QTcpSocket>();
    socket->connectToHost(kLocalhost, port);
    if (!socket->waitForConnected(5000))
        return nullptr;
    return socket;
}

QByteArray readDatagram(QUdpSocket &socket)
{
    QByteArray datagram(65536, Qt::Uninitialized);
    const qint64 size = socket.readDatagram(datagram.data(), datagram.size());
    datagram.truncate(std::max<qint64>(size, 0));
    return datagram;
}

/// Reads what arrives on `socket` until `predicate(data)` holds or 5 s pass.
template <typename Predicate>
QByteArray readUntil(QTcpSocket &socket, Predicate predicate)
{
    QByteArray data;
    (void)QTest::qWaitFor([&] { // the caller checks what arrived
        data += socket.readAll();
        return predicate(data);
    }, 5000);
    return data;
}

} // namespace

class TestSipTransport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(u"vigil.transport.debug=true"_s);
    }

    // ---- UDP -------------------------------------------------------------------------------

    void udpRequestReachesHandlerAndReplyGoesToSource()
    {
        SipTransportConfig config = localConfig();
        config.localSocket = 3;
        Server server(config);
        QVERIFY(server.start());
        QVERIFY(server.port() != 0);
        auto device = udpDevice();

        const QByteArray register1 = request("REGISTER", 1);
        device->writeDatagram(register1, kLocalhost, server.port());
        QTRY_COMPARE(server.received.size(), size_t(1));
        const Received &in = server.received.front();
        QCOMPARE(in.message.method(), Method::Register);
        QCOMPARE(in.message.callId(), QByteArrayView("call-1@192.168.1.64"));
        QCOMPARE(in.peer.address, kLocalhost);
        QCOMPARE(in.peer.port, device->localPort());
        QCOMPARE(in.peer.transport, TransportKind::Udp);
        QCOMPARE(in.peer.connectionId, 0u);
        QCOMPARE(in.peer.localSocket, 3);

        // The Via says 192.0.2.99:5999; the answer must still reach the device's real port.
        const QByteArray ok = MessageBuilder::responseTo(in.message, 200, "srv1")
                                  .stampTopVia(in.peer.address.toString().toLatin1(), in.peer.port)
                                  .serialize();
        QVERIFY(server->send(in.peer, ok));
        QTRY_VERIFY(device->hasPendingDatagrams());
        auto reply = SipMessage::parse(readDatagram(*device));
        QVERIFY(reply);
        QCOMPARE(reply->statusCode(), 200);
        QCOMPARE(reply->callId(), QByteArrayView("call-1@192.168.1.64"));
        QCOMPARE(reply->topVia().received, QByteArrayView("127.0.0.1"));

        const SipTransportStats stats = server->stats();
        QCOMPARE(stats.udpDatagramsIn, 1u);
        QCOMPARE(stats.udpDatagramsOut, 1u);
        QCOMPARE(stats.udpBytesIn, std::uint64_t(register1.size()));
        QCOMPARE(stats.udpBytesOut, std::uint64_t(ok.size()));
        QVERIFY(stats.udpReceiveBufferBytes > 0);
    }

    void udpBurstIsDrained()
    {
        Server server;
        QVERIFY(server.start());
        auto device = udpDevice();
        constexpr int count = 500;
        for (int i = 1; i <= count; ++i)
            QCOMPARE(device->writeDatagram(request("MESSAGE", i, "UDP", kKeepalive), kLocalhost, server.port()),
                     qint64(request("MESSAGE", i, "UDP", kKeepalive).size()));
        QTRY_COMPARE_WITH_TIMEOUT(server.received.size(), size_t(count), 10000);
        std::set<std::uint32_t> numbers;
        for (const Received &r : server.received)
            numbers.insert(r.message.cseq().number);
        QCOMPARE(numbers.size(), size_t(count));
        QCOMPARE(server->stats().udpDatagramsIn, std::uint64_t(count));
        QCOMPARE(server->stats().parseFailures, 0u);
    }

    void udpMalformedRequestGets400()
    {
        Server server;
        QVERIFY(server.start());
        auto device = udpDevice();

        QByteArray bad = request("MESSAGE", 5, "UDP", kKeepalive);
        bad.replace("Max-Forwards: 70", "Max-Forwards: lots");
        QTest::ignoreMessage(QtDebugMsg, QRegularExpression(u"^bad SIP message from udp:127\\.0\\.0\\.1:%1: Max-Forwards: "
                                                            u".*; answering 400; it starts \"MESSAGE sip:"_s
                                                                .arg(device->localPort())));
        device->writeDatagram(bad, kLocalhost, server.port());
        QTRY_VERIFY(device->hasPendingDatagrams());
        auto reply = SipMessage::parse(readDatagram(*device));
        QVERIFY(reply);
        QCOMPARE(reply->statusCode(), 400);
        QVERIFY(reply->reasonPhrase().startsWith("Bad Request"));
        // Like every response: Via stamped with where the request really came from (RFC 3581).
        QCOMPARE(reply->header(HeaderId::Via).toByteArray(),
                 "SIP/2.0/UDP 192.0.2.99:5999;rport=" + QByteArray::number(device->localPort())
                     + ";branch=z9hG4bK-5;received=127.0.0.1");
        QCOMPARE(reply->header(HeaderId::From), QByteArrayView("<sip:34020000001320000001@3402000000>;tag=dev5"));
        QVERIFY(reply->header(HeaderId::To).startsWith("<sip:34020000002000000001@3402000000>;tag="));
        QVERIFY(!reply->to().tag().isEmpty());
        QCOMPARE(reply->callId(), QByteArrayView("call-5@192.168.1.64"));
        QCOMPARE(reply->cseq().number, 5u);
        QCOMPARE(reply->cseq().method, Method::Message);
        QVERIFY(server.received.empty());
        QCOMPARE(server->stats().parseFailures, 1u);
        QCOMPARE(server->stats().badRequestsSent, 1u);
    }

    void udpMalformedResponseAndGarbageGetNothing()
    {
        Server server;
        QVERIFY(server.start());
        auto device = udpDevice();

        const QByteArray brokenResponse = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.99:5999;branch=z9hG4bK1\r\n"
                                          "CSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n";
        const QByteArray garbage("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
        const QByteArray noCallId = QByteArray(request("MESSAGE", 2)).replace("Call-ID: call-2@192.168.1.64\r\n", "");
        for (const QByteArray &bytes : {brokenResponse, garbage, noCallId, QByteArray("\r\n\r\n")})
            device->writeDatagram(bytes, kLocalhost, server.port());
        // A good request after them: once it is handled, the bad ones have been dealt with.
        device->writeDatagram(request("MESSAGE", 3), kLocalhost, server.port());
        QTRY_COMPARE(server.received.size(), size_t(1));
        QCOMPARE(server.received.front().message.cseq().number, 3u);
        QVERIFY(!device->hasPendingDatagrams());
        QCOMPARE(server->stats().parseFailures, 3u);
        QCOMPARE(server->stats().badRequestsSent, 0u);
        QCOMPARE(server->stats().keepAlivesIn, 1u);
    }

    void udpBadInputIsRateLimited()
    {
        SipTransportConfig config = localConfig();
        config.badInputLimits.burst = 3;
        config.badInputLimits.perSecond = 0.001;
        Server server(config);
        QVERIFY(server.start());
        auto device = udpDevice();

        QByteArray bad = request("MESSAGE", 9);
        bad.replace("Max-Forwards: 70", "Max-Forwards: -1");
        for (int i = 0; i < 20; ++i)
            device->writeDatagram(bad, kLocalhost, server.port());
        device->writeDatagram(request("MESSAGE", 10), kLocalhost, server.port());
        QTRY_COMPARE(server.received.size(), size_t(1));
        int answers = 0;
        while (device->hasPendingDatagrams()) {
            auto reply = SipMessage::parse(readDatagram(*device));
            QVERIFY(reply);
            QCOMPARE(reply->statusCode(), 400);
            ++answers;
        }
        QCOMPARE(answers, 3);
        QCOMPARE(server->stats().parseFailures, 20u);
        QCOMPARE(server->stats().badRequestsSent, 3u);
        QCOMPARE(server->stats().badInputSuppressed, 17u);
    }

    // ---- TCP -------------------------------------------------------------------------------

    void tcpFramingAndReplyOnTheSameConnection()
    {
        Server server;
        QVERIFY(server.start());
        auto deviceSocket = tcpDevice(server.port());
        QVERIFY(deviceSocket);
        QTcpSocket &device = *deviceSocket;

        // One message dribbled out a few bytes at a time...
        const QByteArray first = request("REGISTER", 1, "TCP");
        for (qsizetype pos = 0; pos < first.size(); pos += 7) {
            device.write(first.mid(pos, 7));
            device.flush();
            QCoreApplication::processEvents();
        }
        QTRY_COMPARE(server.received.size(), size_t(1));
        // ...then a keep-alive ping, and three messages in one write with CRLFs between them.
        device.write("\r\n\r\n");
        QCOMPARE(readUntil(device, [](const QByteArray &d) { return d.size() >= 2; }), QByteArray("\r\n")); // pong
        device.write(request("MESSAGE", 2, "TCP", kKeepalive) + "\r\n" + request("MESSAGE", 3, "TCP", kKeepalive)
                     + request("MESSAGE", 4, "TCP"));
        QTRY_COMPARE(server.received.size(), size_t(4));

        const Peer peer = server.received.front().peer;
        QCOMPARE(peer.transport, TransportKind::Tcp);
        QCOMPARE(peer.address, kLocalhost);
        QCOMPARE(peer.port, device.localPort());
        QVERIFY(peer.connectionId != 0);
        for (std::uint32_t i = 0; i < 4; ++i) {
            QCOMPARE(server.received[i].message.cseq().number, i + 1);
            QCOMPARE(server.received[i].peer, peer);
        }
        QCOMPARE(server.received[1].message.body(), QByteArrayView(kKeepalive));

        QVERIFY(server->send(peer, MessageBuilder::responseTo(server.received[3].message, 200, "t").serialize()));
        const QByteArray answer = readUntil(device, [](const QByteArray &d) { return d.endsWith("\r\n\r\n"); });
        auto reply = SipMessage::parse(answer, Framing::Stream);
        QVERIFY(reply);
        QCOMPARE(reply->statusCode(), 200);
        QCOMPARE(reply->cseq().number, 4u);

        const SipTransportStats stats = server->stats();
        QCOMPARE(stats.tcpConnectionsAccepted, 1u);
        QCOMPARE(stats.tcpConnectionsOpen, 1);
        QCOMPARE(stats.tcpMessagesIn, 4u);
        QCOMPARE(stats.tcpMessagesOut, 1u);
        QCOMPARE(stats.keepAlivesIn, 1u);
    }

    void tcpMalformedRequestGets400AndTheConnectionStays()
    {
        Server server;
        QVERIFY(server.start());
        auto deviceSocket = tcpDevice(server.port());
        QVERIFY(deviceSocket);
        QTcpSocket &device = *deviceSocket;

        QByteArray bad = request("MESSAGE", 1, "TCP");
        bad.replace("CSeq: 1 MESSAGE", "CSeq: 1 INVITE"); // method differs from the request line
        device.write(bad);
        const QByteArray answer = readUntil(device, [](const QByteArray &d) { return d.endsWith("\r\n\r\n"); });
        auto reply = SipMessage::parse(answer, Framing::Stream);
        QVERIFY(reply);
        QCOMPARE(reply->statusCode(), 400);
        QCOMPARE(reply->callId(), QByteArrayView("call-1@192.168.1.64"));

        device.write(request("MESSAGE", 2, "TCP"));
        QTRY_COMPARE(server.received.size(), size_t(1));
        QCOMPARE(device.state(), QAbstractSocket::ConnectedState);
    }

    void tcpMissingContentLengthMeansNoBody()
    {
        Server server;
        QVERIFY(server.start());
        auto deviceSocket = tcpDevice(server.port());
        QVERIFY(deviceSocket);
        QByteArray lazy = request("MESSAGE", 1, "TCP");
        lazy.replace("Content-Length: 0\r\n", "");
        deviceSocket->write(lazy + request("MESSAGE", 2, "TCP"));
        QTRY_COMPARE(server.received.size(), size_t(2));
        QVERIFY(server.received[0].message.body().isEmpty());
        QCOMPARE(server.received[1].message.cseq().number, 2u);
    }

    void tcpHandlerClosingTheConnectionStopsDelivery()
    {
        Server server;
        QVERIFY(server.start());
        QSignalSpy closed(server.transport.get(), &SipTransport::connectionClosed);
        server->setMessageHandler([&](const SipMessage &message, const Peer &peer) {
            server.received.push_back(Received{message, peer});
            server->closeConnection(peer, u"device unregistered"_s);
        });
        auto deviceSocket = tcpDevice(server.port());
        QVERIFY(deviceSocket);
        deviceSocket->write(request("REGISTER", 1, "TCP") + request("MESSAGE", 2, "TCP") + request("MESSAGE", 3, "TCP"));
        QTRY_COMPARE(closed.size(), 1);
        QCOMPARE(closed.front().at(1).toString(), u"device unregistered"_s);
        QCOMPARE(server.received.size(), size_t(1)); // nothing after the close
        QTRY_COMPARE(deviceSocket->state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(server->stats().tcpConnectionsOpen, 0);
    }

    void tcpOversizeMessageClosesTheConnection()
    {
        Server server;
        QVERIFY(server.start());
        QSignalSpy closed(server.transport.get(), &SipTransport::connectionClosed);
        auto deviceSocket = tcpDevice(server.port());
        QVERIFY(deviceSocket);
        QTcpSocket &device = *deviceSocket;

        const std::uint16_t devicePort = device.localPort();
        QByteArray huge = request("MESSAGE", 1, "TCP");
        huge.replace("Content-Length: 0", "Content-Length: 70000");
        QTest::ignoreMessage(QtInfoMsg, QRegularExpression(u"^TCP connection \\d+ with tcp:127\\.0\\.0\\.1:%1 closed: "
                                                           u"cannot frame the SIP stream: Content-Length 70000 makes a "
                                                           u"message of \\d+ bytes, larger than the limit of 65535$"_s
                                                               .arg(devicePort)));
        device.write(huge);
        QTRY_COMPARE(closed.size(), 1);
        QCOMPARE(closed.front().at(0).value<Peer>().port, devicePort);
        QVERIFY(closed.front().at(1).toString().contains(u"larger than the limit"_s));
        QTRY_COMPARE(device.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(server->stats().framingErrors, 1u);
        QCOMPARE(server->stats().tcpConnectionsOpen, 0);
        QVERIFY(server.received.empty());
    }

    void tcpPeerCloseIsReported()
    {
        Server server;
        QVERIFY(server.start());
        QSignalSpy closed(server.transport.get(), &SipTransport::connectionClosed);
        auto deviceSocket = tcpDevice(server.port());
        QVERIFY(deviceSocket);
        QTcpSocket &device = *deviceSocket;
        device.write(request("REGISTER", 1, "TCP"));
        QTRY_COMPARE(server.received.size(), size_t(1));
        const Peer peer = server.received.front().peer;

        device.disconnectFromHost();
        QTRY_COMPARE(closed.size(), 1);
        QCOMPARE(closed.front().at(0).value<Peer>(), peer);
        QCOMPARE(closed.front().at(1).toString(), u"the peer closed the connection"_s);
        // The device is gone: nothing can be sent to it on that connection any more.
        QVERIFY(!server->send(peer, "SIP/2.0 200 OK\r\n\r\n"));
        QCOMPARE(server->stats().sendFailures, 1u);
        QCOMPARE(server->stats().tcpConnectionsClosed, 1u);
    }

    void tcpOutboundToAnotherTransport()
    {
        Server a;
        Server b;
        QVERIFY(a.start());
        QVERIFY(b.start());
        const Peer target{kLocalhost, b.port(), TransportKind::Tcp, 0, 0};
        QCOMPARE(a->viaSentBy(target), QByteArray("127.0.0.1:" + QByteArray::number(a.port())));

        QVERIFY(a->send(target, request("MESSAGE", 1, "TCP")));
        QTRY_COMPARE(b.received.size(), size_t(1));
        const Peer atB = b.received.front().peer;
        QVERIFY(atB.connectionId != 0);
        QVERIFY(b->send(atB, MessageBuilder::responseTo(b.received.front().message, 200, "b").serialize()));
        QTRY_COMPARE(a.received.size(), size_t(1));
        const Received &answer = a.received.front();
        QCOMPARE(answer.message.statusCode(), 200);
        QCOMPARE(answer.peer.port, b.port());
        QCOMPARE(answer.peer.transport, TransportKind::Tcp);
        QVERIFY(answer.peer.connectionId != 0);

        // Later requests to the same address reuse the connection, by id or by address.
        QVERIFY(a->send(target, request("MESSAGE", 2, "TCP")));
        QVERIFY(a->send(answer.peer, request("MESSAGE", 3, "TCP")));
        QTRY_COMPARE(b.received.size(), size_t(3));
        QCOMPARE(b.received[2].peer, atB);
        QCOMPARE(a->stats().tcpConnectionsOutbound, 1u);
        QCOMPARE(b->stats().tcpConnectionsAccepted, 1u);
        QCOMPARE(a->viaSentBy(answer.peer), QByteArray("127.0.0.1:" + QByteArray::number(a.port())));
    }

    void tcpOutboundFailureIsReported()
    {
        QTcpServer closedPort;
        QVERIFY(closedPort.listen(kLocalhost, 0));
        const std::uint16_t port = closedPort.serverPort();
        closedPort.close();

        Server a;
        QVERIFY(a.start());
        QSignalSpy failed(a.transport.get(), &SipTransport::connectFailed);
        QTest::ignoreMessage(QtInfoMsg, QRegularExpression(u"^cannot connect to tcp:127\\.0\\.0\\.1:%1"_s.arg(port)));
        a->send(Peer{kLocalhost, port, TransportKind::Tcp, 0, 0}, request("MESSAGE", 1, "TCP"));
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(failed.front().at(0).value<Peer>().port, port);
        QCOMPARE(a->stats().tcpConnectFailures, 1u);
        QCOMPARE(a->stats().tcpConnectionsOpen, 0);
    }

    void tcpIdleConnectionIsClosed()
    {
        SipTransportConfig config = localConfig();
        config.tcpIdleTimeoutSec = 1;
        Server server(config);
        QVERIFY(server.start());
        QSignalSpy closed(server.transport.get(), &SipTransport::connectionClosed);
        auto deviceSocket = tcpDevice(server.port());
        QVERIFY(deviceSocket);
        QTcpSocket &device = *deviceSocket;
        QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, 10000);
        QCOMPARE(closed.front().at(1).toString(), u"no traffic for 1 s"_s);
        QTRY_COMPARE(device.state(), QAbstractSocket::UnconnectedState);
    }

    void tcpConnectionLimit()
    {
        SipTransportConfig config = localConfig();
        config.maxTcpConnections = 1;
        Server server(config);
        QVERIFY(server.start());
        auto firstSocket = tcpDevice(server.port());
        QVERIFY(firstSocket);
        QTcpSocket &first = *firstSocket;
        first.write(request("REGISTER", 1, "TCP"));
        QTRY_COMPARE(server.received.size(), size_t(1));

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"^refusing TCP connection from tcp:127\\.0\\.0\\.1"_s));
        QTcpSocket second;
        second.connectToHost(kLocalhost, server.port());
        QTRY_COMPARE(server->stats().tcpConnectionsRejected, 1u);
        QTRY_COMPARE(second.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(first.state(), QAbstractSocket::ConnectedState);
    }

    // ---- ports -----------------------------------------------------------------------------

    void portInUse_data()
    {
        QTest::addColumn<QString>("taken");
        QTest::newRow("UDP") << u"UDP"_s;
        QTest::newRow("TCP") << u"TCP"_s;
    }

    void portInUse()
    {
        QFETCH(QString, taken);
        // Another program holds the port (with SO_REUSEADDR, as QUdpSocket and QTcpServer set it).
        QUdpSocket udpOwner;
        QTcpServer tcpOwner;
        const bool udp = taken == u"UDP"_s;
        QVERIFY(udp ? udpOwner.bind(kLocalhost, 0) : tcpOwner.listen(kLocalhost, 0));
        SipTransportConfig config = localConfig();
        config.port = udp ? udpOwner.localPort() : tcpOwner.serverPort();

        SipTransport transport(config);
        auto started = transport.start();
        QVERIFY(!started);
        QCOMPARE(started.error().message, u"SIP port %1 (%2) is already in use by another program; close that "
                                          u"program or choose another SIP port in the settings."_s
                                              .arg(config.port)
                                              .arg(taken));
        QVERIFY(!transport.isRunning());
        if (!udp) { // the UDP half was given back
            QUdpSocket again;
            QVERIFY(again.bind(kLocalhost, config.port, QAbstractSocket::DontShareAddress));
        }
    }

    void udpReceiveBufferAsGranted()
    {
        SipTransportConfig config = localConfig();
        config.udpReceiveBufferBytes = 256 * 1024;
        SipTransport transport(config);
        QVERIFY(transport.start());
#ifdef Q_OS_LINUX
        QFile rmemMax(u"/proc/sys/net/core/rmem_max"_s);
        if (rmemMax.open(QIODevice::ReadOnly)) {
            const int limit = rmemMax.readAll().trimmed().toInt();
            QCOMPARE(transport.stats().udpReceiveBufferBytes, std::min(limit, config.udpReceiveBufferBytes));
            return;
        }
#endif
        QVERIFY(transport.stats().udpReceiveBufferBytes > 0);
    }

    void advertisedAddress()
    {
        SipTransportConfig config = localConfig();
        config.advertisedHost = u"203.0.113.7"_s;
        config.advertisedPort = 15060;
        SipTransport transport(config);
        QVERIFY(transport.start());
        QCOMPARE(transport.viaSentBy(Peer{kLocalhost, 5060, TransportKind::Udp, 0, 0}), QByteArray("203.0.113.7:15060"));
    }

    void reusePortSharesThePort()
    {
        if (!SipTransport::canSharePort())
            QSKIP("SO_REUSEPORT load sharing is not available on this platform");
        SipTransportConfig config = localConfig();
        config.portSharing = PortSharing::ReusePort;
        config.localSocket = 1;
        Server first(config);
        QVERIFY(first.start());
        config.port = first.port();
        config.localSocket = 2;
        Server second(config);
        QVERIFY(second.start());
        QCOMPARE(second.port(), first.port());

        SipTransportConfig exclusive = localConfig();
        exclusive.port = first.port();
        QVERIFY(!SipTransport(exclusive).start());

        // The kernel spreads senders over both; together they see everything.
        std::vector<std::unique_ptr<QUdpSocket>> devices;
        for (int i = 0; i < 16; ++i) {
            devices.push_back(udpDevice());
            devices.back()->writeDatagram(request("MESSAGE", i + 1), kLocalhost, first.port());
        }
        QTRY_COMPARE(first.received.size() + second.received.size(), size_t(16));
        for (const Received &r : first.received)
            QCOMPARE(r.peer.localSocket, 1);
        for (const Received &r : second.received)
            QCOMPARE(r.peer.localSocket, 2);

        // TCP too.
        QTcpSocket device;
        device.connectToHost(kLocalhost, first.port());
        QVERIFY(device.waitForConnected(5000));
        device.write(request("REGISTER", 99, "TCP"));
        QTRY_COMPARE(first.received.size() + second.received.size(), size_t(17));
    }

    // ---- threads ---------------------------------------------------------------------------

    void runsOnAWorkerThread()
    {
        WorkerThread signalling(u"signalling"_s);
        auto *transport = signalling.create<SipTransport>(localConfig());
        QCOMPARE(transport->thread(), signalling.thread());
        std::atomic<int> handled = 0;
        std::atomic<bool> onWorker = true;
        QThread *const worker = signalling.thread();
        const bool started = signalling.run([&] {
            transport->setMessageHandler([&, transport](const SipMessage &message, const Peer &peer) {
                onWorker = onWorker && QThread::currentThread() == worker;
                transport->send(peer, MessageBuilder::responseTo(message, 200, "w").serialize());
                ++handled;
            });
            return bool(transport->start());
        });
        QVERIFY(started);
        const std::uint16_t port = signalling.run([&] { return transport->port(); });

        auto device = udpDevice();
        device->writeDatagram(request("MESSAGE", 1), kLocalhost, port);
        QTRY_VERIFY(device->hasPendingDatagrams());
        auto reply = SipMessage::parse(readDatagram(*device));
        QVERIFY(reply);
        QCOMPARE(reply->statusCode(), 200);
        QCOMPARE(handled.load(), 1);
        QVERIFY(onWorker);
        signalling.stop(); // deletes the transport on its thread
    }
};

QTEST_GUILESS_MAIN(TestSipTransport)
#include "tst_siptransport.moc"
