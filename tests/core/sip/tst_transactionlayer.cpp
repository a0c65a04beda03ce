// RFC 3261 §17 transactions as Vigil runs them: two TransactionLayers (UAC and UAS) wired to
// each other through a recording TransportSink, with T1 = 20 ms so that every timer runs for
// real in well under two seconds. Assertions count what went over the wire and what the TUs
// saw; none of them depends on how fast the machine is. One test runs over real UDP sockets
// on 127.0.0.1.

#include "sip/dialog.h"
#include "sip/transactionlayer.h"

#include <QElapsedTimer>
#include <QNetworkDatagram>
#include <QRegularExpression>
#include <QTest>
#include <QThread>
#include <QUdpSocket>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

using namespace Vigil;
using namespace Vigil::Sip;
using namespace Qt::StringLiterals;

namespace {

constexpr int kT1 = 20;
constexpr int kWaitMs = 5000;

TransactionConfig testConfig()
{
    TransactionConfig config;
    config.t1Ms = kT1;
    config.t2Ms = 8 * kT1; // the default ratio: 500 ms / 4 s
    config.t4Ms = 100;
    config.inviteTryingDelayMs = 50;
    config.nonInviteAnswerTimeoutMs = 300;
    config.inviteAnswerTimeoutMs = 600;
    config.inviteProceedingTimeoutMs = 800;
    return config;
}

/// One message handed to the sink.
struct Sent {
    Peer to;
    QByteArray bytes;
    SipMessage message;
    qint64 atMs = 0;
};

/// A TransportSink that records every message and, like a network, delivers it to the layer
/// on the other end on a later event-loop pass, unless `drop` says it gets lost.
class WireSink : public TransportSink {
public:
    WireSink(QByteArray sentBy, Peer seenAs) : m_sentBy(std::move(sentBy)), m_seenAs(std::move(seenAs))
    {
        m_clock.start();
    }

    bool send(const Peer &peer, QByteArrayView bytes) override
    {
        if (failSends)
            return false;
        auto message = SipMessage::parse(bytes);
        if (!message) {
            qWarning() << "the layer sent something unparsable:" << message.error().message;
            return false;
        }
        sent.push_back(Sent{peer, bytes.toByteArray(), *message, m_clock.elapsed()});
        if (!target || (drop && drop(*message)))
            return true;
        QMetaObject::invokeMethod(
            &m_context, [this, m = *message] { target->receive(m, m_seenAs); }, Qt::QueuedConnection);
        return true;
    }

    QByteArray viaSentBy(const Peer &) const override { return m_sentBy; }

    int requests(Method method) const
    {
        return int(std::count_if(sent.begin(), sent.end(), [&](const Sent &s) {
            return s.message.isRequest() && s.message.method() == method;
        }));
    }
    int responses(int status) const
    {
        return int(std::count_if(sent.begin(), sent.end(),
                                 [&](const Sent &s) { return s.message.statusCode() == status; }));
    }
    const Sent *first(Method method) const
    {
        for (const Sent &s : sent) {
            if (s.message.isRequest() && s.message.method() == method)
                return &s;
        }
        return nullptr;
    }
    const Sent *firstResponse(int status) const
    {
        for (const Sent &s : sent) {
            if (s.message.statusCode() == status)
                return &s;
        }
        return nullptr;
    }

    std::vector<Sent> sent;
    TransactionLayer *target = nullptr;
    std::function<bool(const SipMessage &)> drop;
    bool failSends = false;

private:
    QObject m_context;
    QByteArray m_sentBy;
    Peer m_seenAs;
    QElapsedTimer m_clock;
};

Peer makePeer(const char *ip, std::uint16_t port, TransportKind transport, std::uint64_t connectionId = 0)
{
    return Peer{QHostAddress(QString::fromLatin1(ip)), port, transport,
                transport == TransportKind::Tcp ? connectionId : 0, 0};
}

/// A platform (UAC) and a device (UAS) wired together. The device sits behind NAT: it writes
/// 192.168.1.64:5060 into its Via, the platform sees it as 127.0.0.1:40000.
struct Wire {
    explicit Wire(TransportKind transport = TransportKind::Udp, TransactionConfig config = testConfig())
        : uacSink("10.10.0.5:5060", makePeer("127.0.0.1", 40000, transport, 7))
        , uasSink("192.168.1.64:5060", makePeer("127.0.0.2", 5060, transport, 7))
        , uac(uacSink, config)
        , uas(uasSink, config)
        , toUas(makePeer("127.0.0.2", 5060, transport, 7))
    {
        uacSink.target = &uas;
        uasSink.target = &uac;
    }

    /// The device's TU answers every request with `status` at once and remembers it.
    void answerEverything(int status = 200)
    {
        uas.setRequestHandler([this, status](const IncomingRequest &request) {
            received.push_back(request);
            QVERIFY(uas.respond(request, MessageBuilder::responseTo(request.message(), status, uas.newTag())));
        });
    }
    /// The device's TU only remembers requests; the test answers them.
    void holdEverything()
    {
        uas.setRequestHandler([this](const IncomingRequest &request) { received.push_back(request); });
    }

    WireSink uacSink;
    WireSink uasSink;
    TransactionLayer uac;
    TransactionLayer uas;
    Peer toUas;
    std::vector<IncomingRequest> received;
};

MessageBuilder keepalive(TransactionLayer &layer, int sn = 1)
{
    const QByteArray body = "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n<SN>"
        + QByteArray::number(sn) + "</SN>\r\n<DeviceID>34020000001320000001</DeviceID>\r\n<Status>OK</Status>\r\n</Notify>\r\n";
    MessageBuilder b = MessageBuilder::request(Method::Message, "sip:34020000002000000001@3402000000");
    b.add(HeaderId::From, QByteArray("<sip:34020000001320000001@3402000000>;tag=" + layer.newTag()));
    b.add(HeaderId::To, "<sip:34020000002000000001@3402000000>");
    b.add(HeaderId::CallId, layer.newCallId("192.168.1.64"));
    b.add(HeaderId::CSeq, QByteArray(QByteArray::number(sn) + " MESSAGE"));
    b.setBody(body, "Application/MANSCDP+xml");
    return b;
}

MessageBuilder invite(TransactionLayer &layer)
{
    MessageBuilder b = MessageBuilder::request(Method::Invite, "sip:34020000001310000001@127.0.0.2:5060");
    b.add(HeaderId::From, QByteArray("<sip:34020000002000000001@3402000000>;tag=" + layer.newTag()));
    b.add(HeaderId::To, "<sip:34020000001310000001@127.0.0.2:5060>");
    b.add(HeaderId::CallId, layer.newCallId("10.10.0.5"));
    b.add(HeaderId::CSeq, "3 INVITE");
    b.add(HeaderId::Contact, "<sip:34020000002000000001@10.10.0.5:5060>");
    b.add(HeaderId::Subject, "34020000001310000001:0200000001,34020000002000000001:0");
    b.setBody("v=0\r\no=34020000002000000001 0 0 IN IP4 10.10.0.5\r\ns=Play\r\nc=IN IP4 10.10.0.5\r\n"
              "t=0 0\r\nm=video 30010 RTP/AVP 96\r\na=recvonly\r\na=rtpmap:96 PS/90000\r\ny=0200000001\r\n",
              "Application/SDP");
    return b;
}

/// The device's 200 OK to an INVITE, with its LAN Contact and an SDP answer.
MessageBuilder inviteOk(const IncomingRequest &request, QByteArrayView tag)
{
    MessageBuilder b = MessageBuilder::responseTo(request.message(), 200, tag);
    b.add(HeaderId::Contact, "<sip:34020000001310000001@192.168.1.64:5060>");
    b.setBody("v=0\r\no=34020000001310000001 0 0 IN IP4 192.168.1.64\r\ns=Play\r\nc=IN IP4 192.168.1.64\r\n"
              "t=0 0\r\nm=video 15060 RTP/AVP 96\r\na=sendonly\r\na=rtpmap:96 PS/90000\r\ny=0200000001\r\nf=\r\n",
              "application/sdp");
    return b;
}

/// What a client callback saw.
struct Outcome {
    std::vector<ClientEvent> events;
    ClientCallback callback()
    {
        return [this](const ClientEvent &event) { events.push_back(event); };
    }
    bool done() const { return !events.empty() && events.back().kind != ClientEvent::Kind::Provisional; }
    const ClientEvent &last() const { return events.back(); }
    int provisionals() const
    {
        return int(std::count_if(events.begin(), events.end(),
                                 [](const ClientEvent &e) { return e.kind == ClientEvent::Kind::Provisional; }));
    }
};

SipMessage parsed(const QByteArray &bytes)
{
    auto message = SipMessage::parse(bytes);
    Q_ASSERT(message);
    return *message;
}

/// A TransportSink over a real QUdpSocket on 127.0.0.1, feeding a layer.
class UdpSink : public TransportSink {
public:
    UdpSink()
    {
        m_socket.bind(QHostAddress::LocalHost, 0);
        QObject::connect(&m_socket, &QUdpSocket::readyRead, &m_socket, [this] {
            while (m_socket.hasPendingDatagrams()) {
                const QNetworkDatagram datagram = m_socket.receiveDatagram();
                auto message = SipMessage::parse(datagram.data());
                if (message && layer)
                    layer->receive(*message, Peer{datagram.senderAddress(), std::uint16_t(datagram.senderPort()),
                                                  TransportKind::Udp, 0, 0});
            }
        });
    }
    bool send(const Peer &peer, QByteArrayView bytes) override
    {
        ++datagramsSent;
        return m_socket.writeDatagram(bytes.data(), bytes.size(), peer.address, peer.port) == bytes.size();
    }
    QByteArray viaSentBy(const Peer &) const override { return "127.0.0.1:" + QByteArray::number(port()); }
    std::uint16_t port() const { return m_socket.localPort(); }

    TransactionLayer *layer = nullptr;
    int datagramsSent = 0;

private:
    QUdpSocket m_socket;
};

} // namespace

class TestTransactionLayer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // --- client retransmission and timeouts ------------------------------------------------

    void nonInviteRetransmitsOnUdpUntilTimerF()
    {
        Wire wire;
        wire.uacSink.target = nullptr; // a device that never answers
        Outcome outcome;
        QVERIFY(wire.uac.sendRequest(keepalive(wire.uac), wire.toUas, outcome.callback()));
        QTRY_VERIFY_WITH_TIMEOUT(outcome.done(), kWaitMs);
        QCOMPARE(outcome.last().kind, ClientEvent::Kind::Timeout);

        // Timer E: T1, 2T1, 4T1, then T2 (= 8T1) until Timer F at 64T1: sends at
        // 0, 1, 3, 7, 15, 23, 31, 39, 47, 55, 63 T1.
        const std::vector<int> expectedT1 = {0, 1, 3, 7, 15, 23, 31, 39, 47, 55, 63};
        const auto &sent = wire.uacSink.sent;
        QCOMPARE(int(sent.size()), int(expectedT1.size()));
        for (std::size_t i = 0; i < sent.size(); ++i) {
            QCOMPARE(sent[i].bytes, sent[0].bytes); // the same bytes every time
            // A timer never fires early; allow 2 ms for clock granularity.
            QVERIFY2(sent[i].atMs - sent[0].atMs >= expectedT1[i] * kT1 - 2,
                     qPrintable(u"copy %1 after %2 ms"_s.arg(i).arg(sent[i].atMs - sent[0].atMs)));
        }
        const TransactionStats stats = wire.uac.stats();
        QCOMPARE(stats.requestsOut, 1u);
        QCOMPARE(stats.retransmissionsSent, 10u);
        QCOMPARE(stats.timeouts, 1u);
        QCOMPARE(stats.liveClientTransactions, 0u);
    }

    void nonInviteIsSentOnceOverTcp()
    {
        Wire wire(TransportKind::Tcp);
        wire.uacSink.target = nullptr;
        Outcome outcome;
        QVERIFY(wire.uac.sendRequest(keepalive(wire.uac), wire.toUas, outcome.callback()));
        QTRY_VERIFY_WITH_TIMEOUT(outcome.done(), kWaitMs);
        QCOMPARE(outcome.last().kind, ClientEvent::Kind::Timeout);
        QCOMPARE(int(wire.uacSink.sent.size()), 1);
        QCOMPARE(wire.uacSink.sent[0].message.topVia().transport.toByteArray(), "TCP"_ba);
    }

    void inviteRetransmitsUntilTimerB()
    {
        Wire wire;
        wire.uacSink.target = nullptr;
        Outcome outcome;
        QVERIFY(wire.uac.sendRequest(invite(wire.uac), wire.toUas, outcome.callback()));
        QTRY_VERIFY_WITH_TIMEOUT(outcome.done(), kWaitMs);
        QCOMPARE(outcome.last().kind, ClientEvent::Kind::Timeout);
        // Timer A doubles without a cap: 0, 1, 3, 7, 15, 31, 63 T1, then Timer B at 64 T1.
        QCOMPARE(wire.uacSink.requests(Method::Invite), 7);
        QCOMPARE(wire.uac.stats().timeouts, 1u);
    }

    void requestGetsViaBranchAndRport()
    {
        Wire wire;
        wire.answerEverything();
        Outcome outcome;
        QVERIFY(wire.uac.sendRequest(keepalive(wire.uac), wire.toUas, outcome.callback()));
        QTRY_VERIFY_WITH_TIMEOUT(outcome.done(), kWaitMs);
        const SipMessage &request = wire.uacSink.sent.front().message;
        QCOMPARE(request.viaCount(), 1);
        QCOMPARE(request.topVia().host.toByteArray(), "10.10.0.5"_ba);
        QCOMPARE(int(request.topVia().port), 5060);
        QVERIFY(request.topVia().hasRfc3261Branch());
        QCOMPARE(request.topVia().rport, 0);
        QCOMPARE(request.maxForwards().value_or(0), 70u);
        QCOMPARE(outcome.last().kind, ClientEvent::Kind::Final);
        QCOMPARE(outcome.last().response.statusCode(), 200);
    }

    // --- server: response cache, NAT, RFC 2543 -------------------------------------------------

    void responseGoesToSourceWithReceivedAndRport()
    {
        Wire wire;
        wire.answerEverything();
        const QByteArray bytes = "MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\r\n"
                                 "Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK401718733\r\n"
                                 "From: <sip:34020000001320000001@3402000000>;tag=1540385633\r\n"
                                 "To: <sip:34020000002000000001@3402000000>\r\n"
                                 "Call-ID: 1270981113\r\n"
                                 "CSeq: 20 MESSAGE\r\n"
                                 "Content-Length: 0\r\n\r\n";
        const Peer natted = makePeer("198.51.100.23", 40122, TransportKind::Udp);
        wire.uas.receive(parsed(bytes), natted);
        QCOMPARE(int(wire.received.size()), 1);
        QCOMPARE(wire.received[0].peer(), natted);
        QCOMPARE(int(wire.uasSink.sent.size()), 1);
        const Sent &response = wire.uasSink.sent[0];
        QCOMPARE(response.to, natted); // the source address, not the Via host
        QCOMPARE(response.message.topVia().received.toByteArray(), "198.51.100.23"_ba);
        QCOMPARE(response.message.topVia().rport, 40122);
        QVERIFY(!response.message.to().tag().isEmpty());
    }

    void retransmittedRequestGetsCachedResponse()
    {
        Wire wire;
        wire.answerEverything();
        const QByteArray bytes = keepalive(wire.uac).prepend(HeaderId::Via, "SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK77").serialize();
        const Peer device = makePeer("198.51.100.23", 40122, TransportKind::Udp);
        wire.uas.receive(parsed(bytes), device);
        wire.uas.receive(parsed(bytes), device);
        wire.uas.receive(parsed(bytes), device);
        QCOMPARE(int(wire.received.size()), 1); // the TU saw it once
        QCOMPARE(int(wire.uasSink.sent.size()), 3);
        QCOMPARE(wire.uasSink.sent[1].bytes, wire.uasSink.sent[0].bytes); // verbatim
        QCOMPARE(wire.uasSink.sent[2].bytes, wire.uasSink.sent[0].bytes);
        const TransactionStats stats = wire.uas.stats();
        QCOMPARE(stats.requestsIn, 3u);
        QCOMPARE(stats.responsesOut, 1u);
        QCOMPARE(stats.retransmissionsAbsorbed, 2u);
        QCOMPARE(stats.retransmissionsSent, 2u);

        // A new request (new branch) from the same device is new work for the TU.
        const QByteArray next = keepalive(wire.uac, 2).prepend(HeaderId::Via, "SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK78").serialize();
        wire.uas.receive(parsed(next), device);
        QCOMPARE(int(wire.received.size()), 2);
    }

    void lostResponseIsResentOverTheWire()
    {
        Wire wire;
        wire.answerEverything();
        int dropped = 0;
        wire.uasSink.drop = [&](const SipMessage &m) { return m.isResponse() && dropped++ == 0; };
        Outcome outcome;
        QVERIFY(wire.uac.sendRequest(keepalive(wire.uac), wire.toUas, outcome.callback()));
        QTRY_VERIFY_WITH_TIMEOUT(outcome.done(), kWaitMs);
        QCOMPARE(outcome.last().kind, ClientEvent::Kind::Final);
        QCOMPARE(int(wire.received.size()), 1);
        // Every copy of the request got the cached response (the first one was lost).
        QVERIFY(wire.uacSink.requests(Method::Message) >= 2);
        QCOMPARE(wire.uasSink.responses(200), wire.uacSink.requests(Method::Message));
        QCOMPARE(wire.uas.stats().retransmissionsAbsorbed, quint64(wire.uacSink.requests(Method::Message) - 1));
    }

    void rfc2543RequestsMatchWithoutMagicCookie_data()
    {
        QTest::addColumn<QByteArray>("via");
        QTest::newRow("old-style branch") << QByteArray("SIP/2.0/UDP 192.168.1.64:5060;branch=1837420266");
        QTest::newRow("no branch") << QByteArray("SIP/2.0/UDP 192.168.1.64:5060");
    }

    void rfc2543RequestsMatchWithoutMagicCookie()
    {
        QFETCH(QByteArray, via);
        Wire wire;
        wire.answerEverything();
        const auto request = [&](int cseq, const QByteArray &fromTag) -> QByteArray {
            return "REGISTER sip:34020000002000000001@3402000000 SIP/2.0\r\nVia: " + via
                + "\r\nFrom: <sip:34020000001320000001@3402000000>;tag=" + fromTag
                + "\r\nTo: <sip:34020000001320000001@3402000000>\r\nCall-ID: 2082571306\r\nCSeq: "
                + QByteArray::number(cseq) + " REGISTER\r\nExpires: 3600\r\nContent-Length: 0\r\n\r\n";
        };
        const Peer device = makePeer("198.51.100.23", 5060, TransportKind::Udp);
        wire.uas.receive(parsed(request(1, "a")), device);
        wire.uas.receive(parsed(request(1, "a")), device); // retransmission
        QCOMPARE(int(wire.received.size()), 1);
        QCOMPARE(wire.uasSink.sent[1].bytes, wire.uasSink.sent[0].bytes);
        wire.uas.receive(parsed(request(2, "a")), device); // refresh: new CSeq
        QCOMPARE(int(wire.received.size()), 2);
        wire.uas.receive(parsed(request(2, "b")), device); // another From tag
        QCOMPARE(int(wire.received.size()), 3);
    }

    void tcpKeepsNoResponseCache()
    {
        Wire wire(TransportKind::Tcp);
        wire.answerEverything();
        const QByteArray bytes = keepalive(wire.uac).prepend(HeaderId::Via, "SIP/2.0/TCP 192.168.1.64:5060;branch=z9hG4bK9").serialize();
        wire.uas.receive(parsed(bytes), makePeer("127.0.0.1", 40000, TransportKind::Tcp, 3));
        QCOMPARE(wire.uas.stats().liveServerTransactions, 0u); // Timer J is 0 on TCP
        QCOMPARE(int(wire.uasSink.sent.size()), 1);
        QCOMPARE(wire.uasSink.sent[0].to.connectionId, 3u); // the same connection
    }

    void timerJEndsCompletedTransactions()
    {
        Wire wire;
        wire.answerEverything();
        const QByteArray bytes = keepalive(wire.uac).prepend(HeaderId::Via, "SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1").serialize();
        const Peer device = makePeer("198.51.100.23", 40122, TransportKind::Udp);
        wire.uas.receive(parsed(bytes), device);
        QCOMPARE(wire.uas.stats().liveServerTransactions, 1u);
        QTRY_COMPARE_WITH_TIMEOUT(wire.uas.stats().liveServerTransactions, 0u, kWaitMs);
        // After Timer J the same request is new again.
        wire.uas.receive(parsed(bytes), device);
        QCOMPARE(int(wire.received.size()), 2);
    }

    void capacityEvictsOldestCompleted()
    {
        TransactionConfig config = testConfig();
        config.maxServerTransactions = 3;
        Wire wire(TransportKind::Udp, config);
        wire.answerEverything();
        std::vector<QByteArray> requests;
        for (int i = 0; i < 5; ++i)
            requests.push_back(keepalive(wire.uac, i)
                                   .prepend(HeaderId::Via, QByteArray("SIP/2.0/UDP 192.168.1.64:5060;branch=z9hG4bKcap" + QByteArray::number(i)))
                                   .serialize());
        const Peer device = makePeer("198.51.100.23", 40122, TransportKind::Udp);
        for (const QByteArray &bytes : requests)
            wire.uas.receive(parsed(bytes), device);
        QCOMPARE(int(wire.received.size()), 5);
        QCOMPARE(wire.uas.stats().liveServerTransactions, 3u);
        QCOMPARE(wire.uas.stats().evictions, 2u);

        wire.uas.receive(parsed(requests[4]), device); // still cached: absorbed
        QCOMPARE(int(wire.received.size()), 5);
        wire.uas.receive(parsed(requests[0]), device); // evicted: processed again (documented)
        QCOMPARE(int(wire.received.size()), 6);
    }

    void overloadAnswers503WhenNothingCanBeEvicted()
    {
        TransactionConfig config = testConfig();
        config.maxServerTransactions = 2;
        Wire wire(TransportKind::Udp, config);
        wire.holdEverything();
        const Peer device = makePeer("198.51.100.23", 40122, TransportKind::Udp);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"table full; answering 503"_s));
        for (int i = 0; i < 3; ++i)
            wire.uas.receive(parsed(keepalive(wire.uac, i)
                                        .prepend(HeaderId::Via, QByteArray("SIP/2.0/UDP 192.168.1.64:5060;branch=z9hG4bKov" + QByteArray::number(i)))
                                        .serialize()),
                             device);
        QCOMPARE(int(wire.received.size()), 2);
        QCOMPARE(wire.uasSink.responses(503), 1);
        QCOMPARE(wire.uas.stats().overloadRejections, 1u);
    }

    void unansweredRequestGets500()
    {
        Wire wire;
        wire.holdEverything();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"did not answer .* in time; answering 500"_s));
        Outcome outcome;
        QVERIFY(wire.uac.sendRequest(keepalive(wire.uac), wire.toUas, outcome.callback()));
        QTRY_VERIFY_WITH_TIMEOUT(outcome.done(), kWaitMs);
        QCOMPARE(outcome.last().kind, ClientEvent::Kind::Final);
        QCOMPARE(outcome.last().response.statusCode(), 500);
        QCOMPARE(int(wire.received.size()), 1); // retransmissions meanwhile were absorbed
        QCOMPARE(wire.uas.stats().unanswered, 1u);
        QVERIFY(!wire.uas.respond(wire.received[0], MessageBuilder::responseTo(wire.received[0].message(), 200, "x")));
    }

    void discardedRequestHoldsNothingAndIsJudgedAgain()
    {
        // A TU that ignores a stranger on purpose: no answer, no transaction left behind, and
        // each retransmission is a new request for the TU (which may let it in by then).
        Wire wire;
        int seen = 0;
        wire.uas.setRequestHandler([&](const IncomingRequest &request) {
            if (++seen < 3) {
                wire.uas.discard(request);
                QVERIFY(!wire.uas.respond(request, MessageBuilder::responseTo(request.message(), 200, "x")));
                return;
            }
            QVERIFY(wire.uas.respond(request, MessageBuilder::responseTo(request.message(), 200, wire.uas.newTag())));
        });
        const QByteArray bytes = keepalive(wire.uac).prepend(HeaderId::Via, "SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK79").serialize();
        const Peer device = makePeer("198.51.100.23", 40122, TransportKind::Udp);
        wire.uas.receive(parsed(bytes), device);
        QCOMPARE(wire.uas.stats().liveServerTransactions, 0u);
        QCOMPARE(int(wire.uasSink.sent.size()), 0);
        wire.uas.receive(parsed(bytes), device);
        wire.uas.receive(parsed(bytes), device);
        QCOMPARE(seen, 3);
        QCOMPARE(wire.uas.stats().discarded, 2u);
        QCOMPARE(wire.uas.stats().retransmissionsAbsorbed, 0u);
        QCOMPARE(wire.uasSink.responses(200), 1);
        wire.uas.receive(parsed(bytes), device); // answered now: from here on it is absorbed
        QCOMPARE(seen, 3);
        QCOMPARE(wire.uasSink.responses(200), 2);
    }

    void secondFinalResponseIsRefused()
    {
        Wire wire;
        wire.answerEverything();
        const QByteArray bytes = keepalive(wire.uac).prepend(HeaderId::Via, "SIP/2.0/UDP 192.168.1.64:5060;branch=z9hG4bK5").serialize();
        wire.uas.receive(parsed(bytes), makePeer("198.51.100.23", 40122, TransportKind::Udp));
        const auto second = wire.uas.respond(wire.received[0], MessageBuilder::responseTo(wire.received[0].message(), 200, "x"));
        QVERIFY(!second);
        QCOMPARE(second.error().code, ErrorCode::InvalidArgument);
    }

    // --- INVITE ------------------------------------------------------------------------------

    void inviteWithTryingRingingOkAndAck()
    {
        Wire wire;
        wire.holdEverything();
        std::vector<SipMessage> acks;
        int oksBeforeAck = 0;
        wire.uas.setAckHandler([&](const SipMessage &ack, const Peer &) {
            acks.push_back(ack);
            oksBeforeAck = wire.uasSink.responses(200);
        });
        std::optional<Dialog> dialog;
        Outcome outcome;
        const auto handle = wire.uac.sendRequest(invite(wire.uac), wire.toUas, [&](const ClientEvent &event) {
            outcome.events.push_back(event);
            if (event.kind == ClientEvent::Kind::Final && event.response.statusCode() == 200) {
                auto made = Dialog::fromInviteResponse(event.response, event.peer);
                QVERIFY(made);
                dialog = *made;
                QVERIFY(wire.uac.sendAck(dialog->ack(), dialog->peer()));
            }
        });
        QVERIFY(handle);

        // The device's TU says nothing: the layer sends 100 Trying, which stops Timer A.
        QTRY_VERIFY_WITH_TIMEOUT(outcome.provisionals() >= 1, kWaitMs);
        QCOMPARE(outcome.events[0].response.statusCode(), 100);
        QVERIFY(wire.uasSink.responses(100) >= 1);
        QVERIFY(wire.uasSink.firstResponse(100)->message.to().tag().isEmpty());
        QCOMPARE(int(wire.received.size()), 1);
        const int invitesSent = wire.uacSink.requests(Method::Invite);

        const IncomingRequest request = wire.received[0];
        MessageBuilder ringing = MessageBuilder::responseTo(request.message(), 180, "dev-tag");
        QVERIFY(wire.uas.respond(request, ringing));
        QTRY_VERIFY_WITH_TIMEOUT(outcome.events.back().response.statusCode() == 180, kWaitMs);

        QVERIFY(wire.uas.respond(request, inviteOk(request, "dev-tag")));
        QTRY_VERIFY_WITH_TIMEOUT(outcome.done(), kWaitMs);
        QCOMPARE(outcome.last().response.statusCode(), 200);
        QVERIFY(!outcome.last().afterCancel);
        QTRY_COMPARE_WITH_TIMEOUT(int(acks.size()), 1, kWaitMs);

        // The ACK: a new branch, the INVITE's CSeq number, Request-URI = Contact of the 200,
        // sent to where the 200 came from (the NAT address).
        const Sent *ack = wireAck(wire);
        QVERIFY(ack);
        QCOMPARE(ack->message.requestUriText().toByteArray(), "sip:34020000001310000001@192.168.1.64:5060"_ba);
        QCOMPARE(ack->message.cseq().number, 3u);
        QCOMPARE(ack->message.cseq().method, Method::Ack);
        QCOMPARE(ack->message.to().tag().toByteArray(), "dev-tag"_ba);
        QVERIFY(ack->message.topVia().branch != wire.uacSink.first(Method::Invite)->message.topVia().branch);
        QCOMPARE(ack->to, wire.toUas);
        QCOMPARE(acks[0].callId().toByteArray(), wire.uacSink.first(Method::Invite)->message.callId().toByteArray());

        // No INVITE copies after the provisional; the 200 is not resent after the ACK.
        QCOMPARE(wire.uacSink.requests(Method::Invite), invitesSent);
        QTRY_COMPARE_WITH_TIMEOUT(wire.uas.stats().liveServerTransactions, 0u, kWaitMs);
        QCOMPARE(wire.uasSink.responses(200), oksBeforeAck);
        QCOMPARE(int(acks.size()), 1);
    }

    void retransmittedInviteGetsTryingAtOnce()
    {
        Wire wire;
        wire.holdEverything();
        const QByteArray bytes = invite(wire.uac).prepend(HeaderId::Via, "SIP/2.0/UDP 10.10.0.5:5060;branch=z9hG4bKinv1").serialize();
        const Peer platform = makePeer("127.0.0.1", 5060, TransportKind::Udp);
        wire.uas.receive(parsed(bytes), platform);
        QCOMPARE(int(wire.uasSink.sent.size()), 0);
        wire.uas.receive(parsed(bytes), platform);
        QCOMPARE(int(wire.received.size()), 1);
        QCOMPARE(wire.uasSink.responses(100), 1);
        QVERIFY(wire.uasSink.sent[0].message.to().tag().isEmpty());
    }

    void inviteRejectedGetsAutomaticAck()
    {
        Wire wire;
        wire.answerEverything(486);
        int acksToTu = 0;
        wire.uas.setAckHandler([&](const SipMessage &, const Peer &) { ++acksToTu; });
        Outcome outcome;
        QVERIFY(wire.uac.sendRequest(invite(wire.uac), wire.toUas, outcome.callback()));
        QTRY_VERIFY_WITH_TIMEOUT(outcome.done(), kWaitMs);
        QCOMPARE(outcome.last().kind, ClientEvent::Kind::Final);
        QCOMPARE(outcome.last().response.statusCode(), 486);
        QCOMPARE(outcome.provisionals(), 0);

        const Sent *ack = wire.uacSink.first(Method::Ack);
        QVERIFY(ack);
        const SipMessage &inv = wire.uacSink.first(Method::Invite)->message;
        QCOMPARE(ack->message.topVia().branch.toByteArray(), inv.topVia().branch.toByteArray()); // same transaction
        QCOMPARE(ack->message.requestUriText().toByteArray(), inv.requestUriText().toByteArray());
        QCOMPARE(ack->message.cseq().number, inv.cseq().number);
        QVERIFY(!ack->message.to().tag().isEmpty());

        // The device absorbs the ACK; its TU never sees it. Both sides end by themselves.
        QTRY_COMPARE_WITH_TIMEOUT(wire.uas.stats().liveServerTransactions, 0u, kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(wire.uac.stats().liveClientTransactions, 0u, kWaitMs);
        QCOMPARE(acksToTu, 0);
        QCOMPARE(wire.uasSink.responses(486), wire.uacSink.requests(Method::Ack)); // one ACK per copy
        QCOMPARE(int(outcome.events.size()), 1);
    }

    void lostAckForRejectionIsResent()
    {
        Wire wire;
        wire.answerEverything(486);
        int dropped = 0;
        wire.uacSink.drop = [&](const SipMessage &m) { return m.method() == Method::Ack && dropped++ == 0; };
        Outcome outcome;
        QVERIFY(wire.uac.sendRequest(invite(wire.uac), wire.toUas, outcome.callback()));
        // Timer G resends the 486 until the second ACK gets through.
        QTRY_VERIFY_WITH_TIMEOUT(wire.uacSink.requests(Method::Ack) >= 2, kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(wire.uas.stats().liveServerTransactions, 0u, kWaitMs);
        QCOMPARE(wire.uasSink.responses(486), wire.uacSink.requests(Method::Ack)); // one ACK per copy
        QCOMPARE(int(outcome.events.size()), 1); // the 486 reported once
        QVERIFY(wire.uac.stats().retransmissionsAbsorbed >= 1);
    }

    void okRetransmissionsAreEachAckedThroughTheDialog()
    {
        Wire wire;
        wire.uas.setRequestHandler([&](const IncomingRequest &request) {
            wire.received.push_back(request);
            QVERIFY(wire.uas.respond(request, inviteOk(request, "dev-tag")));
        });
        int acksToTu = 0;
        wire.uas.setAckHandler([&](const SipMessage &, const Peer &) { ++acksToTu; });
        int dropped = 0;
        wire.uacSink.drop = [&](const SipMessage &m) { return m.method() == Method::Ack && dropped++ < 2; };

        std::optional<Dialog> dialog;
        int oksSeen = 0;
        const auto ackOk = [&](const SipMessage &response, const Peer &peer) {
            if (response.statusCode() / 100 != 2 || response.cseq().method != Method::Invite)
                return;
            ++oksSeen;
            if (!dialog) {
                auto made = Dialog::fromInviteResponse(response, peer);
                QVERIFY(made);
                dialog = *made;
            }
            QVERIFY(dialog->matchesResponse(response));
            QVERIFY(wire.uac.sendAck(dialog->ack(), dialog->peer()));
        };
        wire.uac.setStrayResponseHandler(ackOk);
        QVERIFY(wire.uac.sendRequest(invite(wire.uac), wire.toUas, [&](const ClientEvent &event) {
            if (event.kind == ClientEvent::Kind::Final)
                ackOk(event.response, event.peer);
        }));

        QTRY_COMPARE_WITH_TIMEOUT(acksToTu, 1, kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(wire.uas.stats().liveServerTransactions, 0u, kWaitMs);
        // The 200 was resent until an ACK got through (the first two were lost), and every
        // copy got its own ACK.
        QVERIFY(oksSeen >= 3);
        QCOMPARE(wire.uasSink.responses(200), oksSeen);
        QCOMPARE(wire.uacSink.requests(Method::Ack), oksSeen);
        QCOMPARE(wire.uac.stats().strayResponses, quint64(oksSeen - 1));
        QCOMPARE(acksToTu, 1);
    }

    void okWithoutAckIsReportedAfter64T1()
    {
        Wire wire;
        wire.answerEverything();
        wire.uacSink.drop = [](const SipMessage &m) { return m.method() == Method::Ack; };
        std::vector<IncomingRequest> unacked;
        wire.uas.setAckTimeoutHandler([&](const IncomingRequest &request) { unacked.push_back(request); });
        std::optional<Dialog> dialog;
        QVERIFY(wire.uac.sendRequest(invite(wire.uac), wire.toUas, [&](const ClientEvent &event) {
            if (event.kind == ClientEvent::Kind::Final) {
                dialog = *Dialog::fromInviteResponse(event.response, event.peer);
                (void)wire.uac.sendAck(dialog->ack(), dialog->peer());
            }
        }));
        QTRY_COMPARE_WITH_TIMEOUT(int(unacked.size()), 1, kWaitMs);
        QCOMPARE(unacked[0].message().method(), Method::Invite);
        // Timer G spacing capped at T2: sends at 0, 1, 3, 7, 15, 23, ... 63 T1 before giving up.
        QCOMPARE(wire.uasSink.responses(200), 11);
        QCOMPARE(wire.uas.stats().liveServerTransactions, 0u);
    }

    // --- CANCEL ------------------------------------------------------------------------------

    void cancelAfterProvisional()
    {
        Wire wire;
        wire.uas.setRequestHandler([&](const IncomingRequest &request) {
            wire.received.push_back(request);
            QVERIFY(wire.uas.respond(request, MessageBuilder::responseTo(request.message(), 180, "dev-tag")));
        });
        std::vector<IncomingRequest> cancelled;
        wire.uas.setCancelHandler([&](const IncomingRequest &request) { cancelled.push_back(request); });
        Outcome outcome;
        ClientTransaction handle;
        handle = *wire.uac.sendRequest(invite(wire.uac), wire.toUas, [&](const ClientEvent &event) {
            outcome.events.push_back(event);
            if (event.kind == ClientEvent::Kind::Provisional)
                QVERIFY(wire.uac.cancel(handle));
        });
        QTRY_VERIFY_WITH_TIMEOUT(outcome.done(), kWaitMs);
        QCOMPARE(outcome.last().kind, ClientEvent::Kind::Final);
        QCOMPARE(outcome.last().response.statusCode(), 487);
        QCOMPARE(int(cancelled.size()), 1);
        QCOMPARE(cancelled[0].message().method(), Method::Invite);
        QCOMPARE(int(wire.received.size()), 1); // the TU never sees the CANCEL itself

        const SipMessage &inv = wire.uacSink.first(Method::Invite)->message;
        const SipMessage &cancel = wire.uacSink.first(Method::Cancel)->message;
        QCOMPARE(cancel.topVia().branch.toByteArray(), inv.topVia().branch.toByteArray());
        QCOMPARE(cancel.cseq().number, inv.cseq().number);
        QCOMPARE(cancel.cseq().method, Method::Cancel);
        QCOMPARE(cancel.requestUriText().toByteArray(), inv.requestUriText().toByteArray());
        QCOMPARE(wire.uasSink.firstResponse(200)->message.cseq().method, Method::Cancel);
        QCOMPARE(wire.uasSink.firstResponse(487)->message.to().tag().toByteArray(), "dev-tag"_ba);
        QCOMPARE(wire.uasSink.firstResponse(200)->message.to().tag().toByteArray(), "dev-tag"_ba);
        QTRY_VERIFY_WITH_TIMEOUT(wire.uacSink.first(Method::Ack) != nullptr, kWaitMs); // ACK for the 487
        QVERIFY(!wire.uac.cancel(handle)); // nothing left to cancel
    }

    void cancelBeforeProvisionalWaitsForOne()
    {
        Wire wire;
        wire.holdEverything(); // the layer's own 100 Trying is the first provisional
        int cancelledToTu = 0;
        wire.uas.setCancelHandler([&](const IncomingRequest &) { ++cancelledToTu; });
        Outcome outcome;
        const auto handle = wire.uac.sendRequest(invite(wire.uac), wire.toUas, outcome.callback());
        QVERIFY(handle);
        QVERIFY(wire.uac.cancel(*handle));
        QCOMPARE(wire.uacSink.requests(Method::Cancel), 0); // RFC 3261 §9.1: not yet
        QTRY_VERIFY_WITH_TIMEOUT(outcome.done(), kWaitMs);
        QVERIFY(outcome.provisionals() >= 1);
        QCOMPARE(outcome.events[0].response.statusCode(), 100);
        QCOMPARE(outcome.last().response.statusCode(), 487);
        QVERIFY(wire.uacSink.requests(Method::Cancel) >= 1);
        QCOMPARE(cancelledToTu, 1);
    }

    void okArrivingAfterCancelIsReported()
    {
        Wire wire;
        wire.uas.setRequestHandler([&](const IncomingRequest &request) {
            wire.received.push_back(request);
            if (request.message().method() == Method::Invite)
                QVERIFY(wire.uas.respond(request, MessageBuilder::responseTo(request.message(), 180, "dev-tag")));
            else
                QVERIFY(wire.uas.respond(request, MessageBuilder::responseTo(request.message(), 200)));
        });
        std::vector<SipMessage> acks;
        wire.uas.setAckHandler([&](const SipMessage &ack, const Peer &) { acks.push_back(ack); });
        // The device answers 200 before the CANCEL reaches it (here: the CANCEL is lost).
        wire.uacSink.drop = [](const SipMessage &m) { return m.method() == Method::Cancel; };

        Outcome outcome;
        Outcome bye;
        ClientTransaction handle;
        handle = *wire.uac.sendRequest(invite(wire.uac), wire.toUas, [&](const ClientEvent &event) {
            outcome.events.push_back(event);
            if (event.kind == ClientEvent::Kind::Provisional) {
                QVERIFY(wire.uac.cancel(handle));
            } else if (event.kind == ClientEvent::Kind::Final && event.afterCancel) {
                // What the TU does with a call it no longer wants: ACK, then BYE.
                Dialog dialog = *Dialog::fromInviteResponse(event.response, event.peer);
                QVERIFY(wire.uac.sendAck(dialog.ack(), dialog.peer()));
                QVERIFY(wire.uac.sendRequest(dialog.request(Method::Bye), dialog.peer(), bye.callback()));
            }
        });
        QTRY_COMPARE_WITH_TIMEOUT(wire.uacSink.requests(Method::Cancel), 1, kWaitMs);
        QVERIFY(wire.uas.respond(wire.received[0], inviteOk(wire.received[0], "dev-tag")));

        QTRY_VERIFY_WITH_TIMEOUT(outcome.done(), kWaitMs);
        QCOMPARE(outcome.last().kind, ClientEvent::Kind::Final);
        QCOMPARE(outcome.last().response.statusCode(), 200);
        QVERIFY(outcome.last().afterCancel);
        QTRY_VERIFY_WITH_TIMEOUT(bye.done(), kWaitMs);
        QCOMPARE(bye.last().response.statusCode(), 200);
        QCOMPARE(int(acks.size()), 1);
        QCOMPARE(int(wire.received.size()), 2);
        QCOMPARE(wire.received[1].message().method(), Method::Bye);
        QCOMPARE(wire.received[1].message().cseq().number, 4u);
    }

    void cancelForUnknownInviteGets481()
    {
        Wire wire;
        wire.holdEverything();
        const QByteArray bytes = "CANCEL sip:34020000001310000001@127.0.0.2:5060 SIP/2.0\r\n"
                                 "Via: SIP/2.0/UDP 10.10.0.5:5060;branch=z9hG4bKnothing\r\n"
                                 "From: <sip:34020000002000000001@3402000000>;tag=1\r\n"
                                 "To: <sip:34020000001310000001@127.0.0.2:5060>\r\n"
                                 "Call-ID: c1\r\nCSeq: 3 CANCEL\r\nContent-Length: 0\r\n\r\n";
        wire.uas.receive(parsed(bytes), makePeer("127.0.0.1", 5060, TransportKind::Udp));
        QCOMPARE(wire.uasSink.responses(481), 1);
        QVERIFY(wire.received.empty());
    }

    void inviteWithoutFinalIsCancelledByTimerC()
    {
        TransactionConfig config = testConfig();
        config.inviteAnswerTimeoutMs = 60000; // the device's TU keeps the call ringing
        Wire wire(TransportKind::Udp, config);
        wire.uas.setRequestHandler([&](const IncomingRequest &request) {
            wire.received.push_back(request);
            QVERIFY(wire.uas.respond(request, MessageBuilder::responseTo(request.message(), 183, "dev-tag")));
        });
        Outcome outcome;
        QVERIFY(wire.uac.sendRequest(invite(wire.uac), wire.toUas, outcome.callback()));
        QTRY_VERIFY_WITH_TIMEOUT(outcome.done(), kWaitMs);
        QCOMPARE(outcome.last().kind, ClientEvent::Kind::Timeout); // not the 487 it provoked
        QVERIFY(wire.uacSink.requests(Method::Cancel) >= 1);
        QVERIFY(wire.uasSink.responses(487) >= 1);
    }

    // --- failures and strays -----------------------------------------------------------------

    void sendFailureIsReportedAsynchronously()
    {
        Wire wire;
        wire.uacSink.failSends = true;
        Outcome outcome;
        QVERIFY(wire.uac.sendRequest(keepalive(wire.uac), wire.toUas, outcome.callback()));
        QVERIFY(outcome.events.empty()); // never from inside sendRequest()
        QTRY_VERIFY_WITH_TIMEOUT(outcome.done(), kWaitMs);
        QCOMPARE(outcome.last().kind, ClientEvent::Kind::TransportError);
        QCOMPARE(wire.uac.stats().transportErrors, 1u);
        QCOMPARE(wire.uac.stats().liveClientTransactions, 0u);
    }

    void closedConnectionFailsItsTransactions()
    {
        Wire wire(TransportKind::Tcp);
        wire.uacSink.target = nullptr;
        Outcome onClosed;
        Outcome onOther;
        const Peer other = makePeer("127.0.0.3", 5060, TransportKind::Tcp, 8);
        QVERIFY(wire.uac.sendRequest(keepalive(wire.uac), wire.toUas, onClosed.callback()));
        QVERIFY(wire.uac.sendRequest(keepalive(wire.uac), other, onOther.callback()));
        wire.uac.connectionClosed(wire.toUas);
        QVERIFY(onClosed.events.empty());
        QTRY_VERIFY_WITH_TIMEOUT(onClosed.done(), kWaitMs);
        QCOMPARE(onClosed.last().kind, ClientEvent::Kind::TransportError);
        QVERIFY(!onOther.done()); // a different connection is unaffected
        QCOMPARE(wire.uac.stats().liveClientTransactions, 1u);
    }

    void strayResponsesGoToTheirHandler()
    {
        Wire wire;
        std::vector<SipMessage> strays;
        wire.uac.setStrayResponseHandler([&](const SipMessage &m, const Peer &) { strays.push_back(m); });
        const QByteArray bytes = "SIP/2.0 200 OK\r\n"
                                 "Via: SIP/2.0/UDP 10.10.0.5:5060;rport=5060;branch=z9hG4bKunknown\r\n"
                                 "From: <sip:34020000002000000001@3402000000>;tag=1\r\n"
                                 "To: <sip:34020000001310000001@3402000000>;tag=2\r\n"
                                 "Call-ID: x\r\nCSeq: 3 INVITE\r\nContent-Length: 0\r\n\r\n";
        wire.uac.receive(parsed(bytes), wire.toUas);
        QCOMPARE(int(strays.size()), 1);
        QCOMPARE(wire.uac.stats().strayResponses, 1u);
    }

    void clientCapacityIsEnforced()
    {
        TransactionConfig config = testConfig();
        config.maxClientTransactions = 2;
        Wire wire(TransportKind::Udp, config);
        wire.uacSink.target = nullptr;
        QVERIFY(wire.uac.sendRequest(keepalive(wire.uac), wire.toUas, {}));
        QVERIFY(wire.uac.sendRequest(keepalive(wire.uac), wire.toUas, {}));
        const auto third = wire.uac.sendRequest(keepalive(wire.uac), wire.toUas, {});
        QVERIFY(!third);
        QVERIFY(third.error().message.contains(u"too many"_s));
        QCOMPARE(int(wire.uacSink.sent.size()), 2);
    }

    void unmatchedAckGoesToTheTu()
    {
        Wire wire;
        std::vector<SipMessage> acks;
        wire.uas.setAckHandler([&](const SipMessage &ack, const Peer &) { acks.push_back(ack); });
        const QByteArray bytes = "ACK sip:34020000001310000001@192.168.1.64:5060 SIP/2.0\r\n"
                                 "Via: SIP/2.0/UDP 10.10.0.5:5060;branch=z9hG4bKlateack\r\n"
                                 "From: <sip:34020000002000000001@3402000000>;tag=1\r\n"
                                 "To: <sip:34020000001310000001@3402000000>;tag=2\r\n"
                                 "Call-ID: gone\r\nCSeq: 3 ACK\r\nContent-Length: 0\r\n\r\n";
        wire.uas.receive(parsed(bytes), makePeer("127.0.0.1", 5060, TransportKind::Udp));
        QCOMPARE(int(acks.size()), 1);
        QVERIFY(wire.uasSink.sent.empty()); // an ACK is never answered
    }

    void ipv6PeerIsStampedWithoutBrackets()
    {
        Wire wire;
        wire.answerEverything();
        const QByteArray bytes = keepalive(wire.uac).prepend(HeaderId::Via, "SIP/2.0/UDP [2001:db8::64]:5060;rport;branch=z9hG4bK6").serialize();
        const Peer device{QHostAddress(u"2001:db8::1"_s), 5070, TransportKind::Udp, 0, 0};
        wire.uas.receive(parsed(bytes), device);
        QCOMPARE(int(wire.uasSink.sent.size()), 1);
        QCOMPARE(wire.uasSink.sent[0].message.topVia().received.toByteArray(), "2001:db8::1"_ba);
        QCOMPARE(wire.uasSink.sent[0].message.topVia().rport, 5070);
    }

    void lateFinalRetransmissionsAreAbsorbed()
    {
        Wire wire;
        wire.answerEverything();
        Outcome outcome;
        QVERIFY(wire.uac.sendRequest(keepalive(wire.uac), wire.toUas, outcome.callback()));
        QTRY_VERIFY_WITH_TIMEOUT(outcome.done(), kWaitMs);
        // Timer K: a copy of the final arriving now is absorbed, not reported again.
        wire.uac.receive(wire.uasSink.sent[0].message, wire.toUas);
        QCOMPARE(int(outcome.events.size()), 1);
        QCOMPARE(wire.uac.stats().retransmissionsAbsorbed, 1u);
        QTRY_COMPARE_WITH_TIMEOUT(wire.uac.stats().liveClientTransactions, 0u, kWaitMs);
    }

    void thousandsOfConcurrentClientTransactions()
    {
        Wire wire;
        wire.answerEverything();
        int finals = 0;
        for (int i = 0; i < 3000; ++i)
            QVERIFY(wire.uac.sendRequest(keepalive(wire.uac, i), wire.toUas, [&](const ClientEvent &event) {
                finals += event.kind == ClientEvent::Kind::Final;
            }));
        QCOMPARE(wire.uac.stats().liveClientTransactions, 3000u);
        QTRY_COMPARE_WITH_TIMEOUT(finals, 3000, kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(wire.uac.stats().liveClientTransactions, 0u, kWaitMs);
        QCOMPARE(int(wire.received.size()), 3000);
    }

    void runsOnItsOwnThread()
    {
        // The signalling thread adopts the layer with moveToThread(); its one timer must follow.
        WireSink sink("10.10.0.5:5060", makePeer("127.0.0.1", 40000, TransportKind::Udp));
        TransactionLayer layer(sink, testConfig());
        QThread signalling;
        layer.moveToThread(&signalling);
        signalling.start();
        std::atomic<int> outcome{-1};
        std::atomic<bool> onLayerThread{false};
        QMetaObject::invokeMethod(
            &layer,
            [&] {
                (void)layer.sendRequest(keepalive(layer), makePeer("127.0.0.2", 5060, TransportKind::Udp),
                                        [&](const ClientEvent &event) {
                                            onLayerThread = QThread::currentThread() == &signalling;
                                            outcome = int(event.kind);
                                        });
            },
            Qt::BlockingQueuedConnection);
        QTRY_COMPARE_WITH_TIMEOUT(outcome.load(), int(ClientEvent::Kind::Timeout), kWaitMs);
        QVERIFY(onLayerThread);
        QMetaObject::invokeMethod(&layer, [&] { layer.moveToThread(QCoreApplication::instance()->thread()); },
                                  Qt::BlockingQueuedConnection);
        signalling.quit();
        signalling.wait();
        QCOMPARE(int(sink.sent.size()), 11); // Timer E ran on the signalling thread
    }

    // --- over real sockets -------------------------------------------------------------------

    void realUdpSockets()
    {
        UdpSink platformSink;
        UdpSink deviceSink;
        TransactionLayer platform(platformSink); // default timers: nothing is retransmitted on loopback
        TransactionLayer device(deviceSink);
        platformSink.layer = &platform;
        deviceSink.layer = &device;
        const Peer toDevice{QHostAddress::LocalHost, deviceSink.port(), TransportKind::Udp, 0, 0};

        std::optional<Dialog> deviceDialog;
        int acks = 0;
        device.setAckHandler([&](const SipMessage &, const Peer &) { ++acks; });
        device.setRequestHandler([&](const IncomingRequest &request) {
            const SipMessage &m = request.message();
            if (m.method() == Method::Invite) {
                MessageBuilder ok = inviteOk(request, "cam-1");
                deviceDialog = *Dialog::fromInviteRequest(m, "cam-1", request.peer());
                QVERIFY(device.respond(request, std::move(ok)));
            } else if (m.method() == Method::Bye) {
                QVERIFY(deviceDialog && deviceDialog->matches(m) && deviceDialog->acceptRemoteCSeq(m));
                QVERIFY(device.respond(request, MessageBuilder::responseTo(m, 200)));
            } else {
                QVERIFY(device.respond(request, MessageBuilder::responseTo(m, 200, "cam-1")));
            }
        });

        Outcome message;
        QVERIFY(platform.sendRequest(keepalive(platform), toDevice, message.callback()));
        QTRY_VERIFY_WITH_TIMEOUT(message.done(), kWaitMs);
        QCOMPARE(message.last().response.statusCode(), 200);
        QCOMPARE(message.last().response.topVia().rport, int(platformSink.port()));

        std::optional<Dialog> dialog;
        Outcome call;
        QVERIFY(platform.sendRequest(invite(platform), toDevice, [&](const ClientEvent &event) {
            call.events.push_back(event);
            if (event.kind == ClientEvent::Kind::Final && event.response.statusCode() == 200) {
                dialog = *Dialog::fromInviteResponse(event.response, event.peer);
                QVERIFY(platform.sendAck(dialog->ack(), dialog->peer()));
            }
        }));
        QTRY_COMPARE_WITH_TIMEOUT(acks, 1, kWaitMs);
        QVERIFY(dialog);
        QCOMPARE(dialog->peer().port, deviceSink.port());

        Outcome bye;
        QVERIFY(platform.sendRequest(dialog->request(Method::Bye), dialog->peer(), bye.callback()));
        QTRY_VERIFY_WITH_TIMEOUT(bye.done(), kWaitMs);
        QCOMPARE(bye.last().kind, ClientEvent::Kind::Final);
        QCOMPARE(bye.last().response.statusCode(), 200);
        QCOMPARE(device.stats().responsesOut, 3u); // 200 to MESSAGE, INVITE and BYE
    }

private:
    static const Sent *wireAck(const Wire &wire) { return wire.uacSink.first(Method::Ack); }
};

QTEST_GUILESS_MAIN(TestTransactionLayer)
#include "tst_transactionlayer.moc"
