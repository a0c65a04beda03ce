// Cost of the transaction layer at registrar scale, with a sink that sends nothing.
//   server: receive -> TU handler -> respond (stamp Via, serialise, send, cache), per request
//   absorb: a retransmitted request answered from the cache
//   client: sendRequest (Via, serialise, send, timers) and matching its response
//   memory: heap bytes per cached server transaction and per live client transaction (glibc
//           mallinfo2, so Linux only)
// Messages are parsed before the clock starts; parsing is bench_sipparser's business. Times are
// thread CPU time.
// Usage: bench_transactions [requests per round, default 100000]

#include "sip/messagebuilder.h"
#include "sip/sipmessage.h"
#include "sip/transactionlayer.h"
#include "benchutil.h"

#include <QCoreApplication>

#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace Vigil::Sip;

using Vigil::Bench::median;

namespace {

class NullSink : public TransportSink {
public:
    bool send(const Peer &, QByteArrayView data) override
    {
        ++messages;
        bytes += std::size_t(data.size());
        return true;
    }
    QByteArray viaSentBy(const Peer &) const override { return "10.10.0.5:5060"; }

    std::size_t messages = 0;
    std::size_t bytes = 0;
};

/// Like NullSink, but keeps what was sent so that responses can be made for it.
class RecordingSink : public NullSink {
public:
    bool send(const Peer &peer, QByteArrayView data) override
    {
        sent.push_back(data.toByteArray());
        return NullSink::send(peer, data);
    }
    std::vector<QByteArray> sent;
};

/// CPU time of this thread: the machine may be shared, and wall-clock time would count the
/// other tenants' work.
class CpuTimer {
public:
    void start() { m_start = now(); }
    void restart() { m_start = now(); }
    qint64 nsecsElapsed() const { return now() - m_start; }

private:
    static qint64 now()
    {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
    }
    qint64 m_start = 0;
};

std::size_t heapInUse()
{
    return mallinfo2().uordblks;
}

/// A device keepalive, as cameras send one every 60 s; `i` makes branch, Call-ID and tag unique.
QByteArray keepalive(int i)
{
    const QByteArray n = QByteArray::number(i);
    return "MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\r\n"
           "Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK" + n + "\r\n"
           "From: <sip:34020000001320000001@3402000000>;tag=1540" + n + "\r\n"
           "To: <sip:34020000002000000001@3402000000>\r\n"
           "Call-ID: 1270981113" + n + "\r\n"
           "CSeq: 20 MESSAGE\r\n"
           "Content-Type: Application/MANSCDP+xml\r\n"
           "Max-Forwards: 70\r\n"
           "User-Agent: IP Camera\r\n"
           "Content-Length: 145\r\n"
           "\r\n"
           "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n"
           "<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n<SN>43</SN>\r\n"
           "<DeviceID>34020000001320000001</DeviceID>\r\n<Status>OK</Status>\r\n</Notify>\r\n";
}

MessageBuilder query(int i)
{
    MessageBuilder b = MessageBuilder::request(Method::Message, "sip:34020000001320000001@3402000000");
    b.add(HeaderId::From, QByteArray("<sip:34020000002000000001@3402000000>;tag=q" + QByteArray::number(i)));
    b.add(HeaderId::To, "<sip:34020000001320000001@3402000000>");
    b.add(HeaderId::CallId, QByteArray("query" + QByteArray::number(i)));
    b.add(HeaderId::CSeq, "1 MESSAGE");
    b.setBody("<?xml version=\"1.0\"?>\r\n<Query>\r\n<CmdType>Catalog</CmdType>\r\n<SN>1</SN>\r\n"
              "<DeviceID>34020000001320000001</DeviceID>\r\n</Query>\r\n",
              "Application/MANSCDP+xml");
    return b;
}

const Peer kDevice{QHostAddress(QStringLiteral("198.51.100.23")), 40122, TransportKind::Udp, 0, 0};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? std::max(1000, std::atoi(argv[1])) : 100000;

    std::vector<SipMessage> requests;
    requests.reserve(std::size_t(count));
    for (int i = 0; i < count; ++i)
        requests.push_back(*SipMessage::parse(keepalive(i)));

    TransactionConfig config;
    config.maxServerTransactions = count;
    config.maxClientTransactions = count;

    std::vector<double> serverNs, absorbNs, bytesPerServerTx, tcpNs;
    std::size_t responseSize = 0;
    for (int round = 0; round < 5; ++round) {
        NullSink sink;
        const std::size_t heapBefore = heapInUse();
        {
            TransactionLayer layer(sink, config);
            layer.setRequestHandler([&layer](const IncomingRequest &request) {
                (void)layer.respond(request, MessageBuilder::responseTo(request.message(), 200, "610934221"));
            });
            CpuTimer timer;
            timer.start();
            for (const SipMessage &request : requests)
                layer.receive(request, kDevice);
            serverNs.push_back(double(timer.nsecsElapsed()) / count);
            bytesPerServerTx.push_back(double(heapInUse() - heapBefore) / count);
            responseSize = sink.bytes / sink.messages;

            timer.restart();
            for (const SipMessage &request : requests)
                layer.receive(request, kDevice);
            absorbNs.push_back(double(timer.nsecsElapsed()) / count);
            if (layer.stats().retransmissionsAbsorbed != quint64(count) || layer.stats().liveServerTransactions != quint32(count)) {
                std::fprintf(stderr, "unexpected statistics\n");
                return 1;
            }
        }
        {
            TransactionLayer layer(sink, config);
            layer.setRequestHandler([&layer](const IncomingRequest &request) {
                (void)layer.respond(request, MessageBuilder::responseTo(request.message(), 200, "610934221"));
            });
            const Peer tcpDevice{kDevice.address, kDevice.port, TransportKind::Tcp, 1, 0};
            CpuTimer timer;
            timer.start();
            for (const SipMessage &request : requests)
                layer.receive(request, tcpDevice);
            tcpNs.push_back(double(timer.nsecsElapsed()) / count);
        }
    }

    // Client side: start `count` transactions, then feed each its 200.
    std::vector<double> sendNs, matchNs, bytesPerClientTx;
    for (int round = 0; round < 5; ++round) {
        std::vector<MessageBuilder> queries;
        queries.reserve(std::size_t(count));
        for (int i = 0; i < count; ++i)
            queries.push_back(query(i));
        RecordingSink sink;
        sink.sent.reserve(std::size_t(count));
        TransactionLayer layer(sink, config);
        int finals = 0;
        CpuTimer timer;
        timer.start();
        for (int i = 0; i < count; ++i)
            (void)layer.sendRequest(std::move(queries[std::size_t(i)]), kDevice,
                                    [&finals](const ClientEvent &event) { finals += event.kind == ClientEvent::Kind::Final; });
        sendNs.push_back(double(timer.nsecsElapsed()) / count);

        std::vector<SipMessage> responses;
        responses.reserve(std::size_t(count));
        for (const QByteArray &bytes : sink.sent)
            responses.push_back(*SipMessage::parse(MessageBuilder::responseTo(*SipMessage::parse(bytes), 200, "dev").serialize()));
        timer.restart();
        for (const SipMessage &response : responses)
            layer.receive(response, kDevice);
        matchNs.push_back(double(timer.nsecsElapsed()) / count);
        if (finals != count) {
            std::fprintf(stderr, "only %d of %d client transactions completed\n", finals, count);
            return 1;
        }
    }

    // Client memory, with a sink that keeps nothing itself.
    std::size_t requestSize = 0;
    for (int round = 0; round < 5; ++round) {
        NullSink sink;
        TransactionLayer layer(sink, config);
        const std::size_t heapBefore = heapInUse();
        for (int i = 0; i < count; ++i) // each builder is gone again before the next
            (void)layer.sendRequest(query(i), kDevice, [](const ClientEvent &) {});
        bytesPerClientTx.push_back(double(heapInUse() - heapBefore) / count);
        requestSize = sink.bytes / sink.messages;
    }

    std::printf("transactions per round: %d (median of 5 rounds)\n", count);
    std::printf("server, UDP, new request answered and cached: %8.0f ns/request  (%7.0f requests/s)\n",
                median(serverNs), 1e9 / median(serverNs));
    std::printf("server, UDP, retransmission answered from cache: %6.0f ns/request  (%7.0f requests/s)\n",
                median(absorbNs), 1e9 / median(absorbNs));
    std::printf("server, TCP, new request answered (no cache): %9.0f ns/request  (%7.0f requests/s)\n",
                median(tcpNs), 1e9 / median(tcpNs));
    std::printf("server, heap per cached transaction:          %9.0f bytes (response itself: %zu bytes)\n",
                median(bytesPerServerTx), responseSize);
    std::printf("client, sendRequest (UDP, timers armed):      %9.0f ns/request\n", median(sendNs));
    std::printf("client, response matched and reported:        %9.0f ns/response\n", median(matchNs));
    std::printf("client, heap per live transaction:            %9.0f bytes (request itself: %zu bytes)\n",
                median(bytesPerClientTx), requestSize);
    return 0;
}
