// Benchmark: SIP over UDP on loopback, received + parsed + answered by SipTransport on its own
// WorkerThread, with a device simulator sending from another thread. Prints messages per second
// (median of several rounds) and how many datagrams were lost.
//
//   flood:    the sender sends every message as fast as it can; losses show where the receive
//             buffer overflows.
//   windowed: the sender keeps at most --window requests unanswered, like many devices at once
//             that each wait for their answer; nothing should be lost.
//   drain:    the cost of reading one datagram with readDatagram() into a reused buffer versus
//             receiveDatagram(), which allocates a QNetworkDatagram each time, and versus reading
//             without asking hasPendingDatagrams() first (one syscall less; no parsing).
//
// Usage: bench_siptransport [--count N] [--rounds R] [--window W]

#include "common/workerthread.h"
#include "sip/messagebuilder.h"
#include "sip/sipmessage.h"
#include "transport/siptransport.h"
#include "benchutil.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QNetworkDatagram>
#include <QThread>
#include <QUdpSocket>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

using namespace Vigil;
using namespace Qt::StringLiterals;

using Vigil::Bench::median;

namespace {

using Clock = std::chrono::steady_clock;

const QHostAddress kLocalhost(QHostAddress::LocalHost);

std::int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

/// A device keepalive, as sent every 60 s by each camera (about 500 bytes).
QByteArray keepalive(int n)
{
    const QByteArray id = "3402000000132" + QByteArray::number(1000000 + n % 1000000).rightJustified(7, '0');
    const QByteArray body = "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n<SN>"
        + QByteArray::number(n) + "</SN>\r\n<DeviceID>" + id + "</DeviceID>\r\n<Status>OK</Status>\r\n</Notify>\r\n";
    return "MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\r\n"
           "Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK" + QByteArray::number(n) + "\r\n"
           "From: <sip:" + id + "@3402000000>;tag=" + QByteArray::number(n * 7) + "\r\n"
           "To: <sip:34020000002000000001@3402000000>\r\n"
           "Call-ID: " + QByteArray::number(n) + "@192.168.1.64\r\n"
           "CSeq: 20 MESSAGE\r\n"
           "Max-Forwards: 70\r\n"
           "User-Agent: IP Camera\r\n"
           "Content-Type: Application/MANSCDP+xml\r\n"
           "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

/// What the transport's handler saw, written on the signalling thread.
struct Counters {
    std::atomic<int> handled = 0;
    std::atomic<std::int64_t> firstNs = 0;
    std::atomic<std::int64_t> lastNs = 0;

    void reset()
    {
        handled = 0;
        firstNs = 0;
        lastNs = 0;
    }
};

struct Round {
    double ratePerSec = 0;
    int handled = 0;
    int lost = 0;
    int answers = 0;
};

/// Waits until `counters.handled` reaches `expected` or stops moving for 300 ms.
void waitForQuiet(const Counters &counters, int expected)
{
    int last = -1;
    QElapsedTimer still;
    still.start();
    while (counters.handled.load() < expected && still.elapsed() < 300) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        const int now = counters.handled.load();
        if (now != last) {
            last = now;
            still.restart();
        }
    }
}

int drainAnswers(QUdpSocket &socket, std::vector<char> &buffer)
{
    int answers = 0;
    while (socket.hasPendingDatagrams()) {
        if (socket.readDatagram(buffer.data(), qint64(buffer.size())) < 0)
            break;
        ++answers;
    }
    return answers;
}

Round runRound(const std::vector<QByteArray> &messages, std::uint16_t port, Counters &counters, int window)
{
    counters.reset();
    int answers = 0;
    std::thread sender([&] {
        QUdpSocket socket;
        socket.bind(kLocalhost, 0);
        socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 8 * 1024 * 1024);
        std::vector<char> buffer(65536);
        int sent = 0;
        for (const QByteArray &message : messages) {
            if (window > 0) {
                QElapsedTimer stuck;
                stuck.start();
                while (sent - answers >= window && stuck.elapsed() < 2000) {
                    if (socket.waitForReadyRead(50))
                        answers += drainAnswers(socket, buffer);
                }
            }
            socket.writeDatagram(message, kLocalhost, port);
            ++sent;
            if (window == 0 && sent % 64 == 0)
                answers += drainAnswers(socket, buffer); // keep our own buffer from overflowing
        }
        QElapsedTimer tail;
        tail.start();
        while (answers < sent && tail.elapsed() < 1000) {
            if (socket.waitForReadyRead(50))
                answers += drainAnswers(socket, buffer);
            else if (counters.handled.load() == answers)
                break;
        }
    });
    sender.join();
    waitForQuiet(counters, int(messages.size()));

    Round round;
    round.handled = counters.handled.load();
    round.lost = int(messages.size()) - round.handled;
    round.answers = answers;
    const double seconds = double(counters.lastNs.load() - counters.firstNs.load()) / 1e9;
    round.ratePerSec = seconds > 0 ? (round.handled - 1) / seconds : 0;
    return round;
}

void report(const char *mode, const std::vector<Round> &rounds, int count)
{
    std::vector<double> rates;
    std::vector<int> lost;
    for (std::size_t i = 0; i < rounds.size(); ++i) {
        std::printf("  %-8s round %zu: %9.0f msg/s, %6d handled, %6d lost, %6d answers received\n", mode, i + 1,
                    rounds[i].ratePerSec, rounds[i].handled, rounds[i].lost, rounds[i].answers);
        rates.push_back(rounds[i].ratePerSec);
        lost.push_back(rounds[i].lost);
    }
    std::printf("%-8s median %.0f msg/s received+parsed+answered, median %d of %d lost\n\n", mode, median(rates),
                median(lost), count);
}

/// ns per datagram to read `count` datagrams already waiting in the socket, both ways.
void benchDrain(int count)
{
    const std::vector<QByteArray> messages = [&] {
        std::vector<QByteArray> list;
        for (int i = 0; i < count; ++i)
            list.push_back(keepalive(i));
        return list;
    }();
    static constexpr const char *kMethods[] = {
        "hasPendingDatagrams + readDatagram(buffer):",
        "hasPendingDatagrams + receiveDatagram():",
        "readDatagram(buffer) until it fails, no peek:",
    };
    for (int method = 0; method < 3; ++method) {
        std::vector<double> perDatagram;
        for (int round = 0; round < 5; ++round) {
            QUdpSocket receiver;
            receiver.bind(kLocalhost, 0, QAbstractSocket::DontShareAddress);
            receiver.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 16 * 1024 * 1024);
            QUdpSocket sender;
            for (const QByteArray &m : messages)
                sender.writeDatagram(m, kLocalhost, receiver.localPort());
            int read = 0;
            QByteArray buffer(65536, Qt::Uninitialized);
            QElapsedTimer timer;
            timer.start();
            while (method == 2 || receiver.hasPendingDatagrams()) {
                if (method != 1) {
                    QHostAddress from;
                    quint16 port = 0;
                    if (receiver.readDatagram(buffer.data(), buffer.size(), &from, &port) < 0)
                        break;
                } else {
                    const QNetworkDatagram datagram = receiver.receiveDatagram();
                    if (!datagram.isValid())
                        break;
                }
                ++read;
            }
            perDatagram.push_back(read ? double(timer.nsecsElapsed()) / read : 0);
            if (read != count)
                std::printf("  (drain round %d read %d of %d: the receive buffer overflowed)\n", round + 1, read, count);
        }
        std::printf("drain    %-46s median %6.0f ns per datagram\n", kMethods[method], median(perDatagram));
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"vigil.transport.info=false"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"SIP over UDP on loopback: messages per second and losses"_s);
    parser.addHelpOption();
    const QCommandLineOption countOption(u"count"_s, u"Messages per round (default 20000)."_s, u"N"_s, u"20000"_s);
    const QCommandLineOption roundsOption(u"rounds"_s, u"Rounds per mode (default 5)."_s, u"R"_s, u"5"_s);
    const QCommandLineOption windowOption(u"window"_s, u"Unanswered requests in windowed mode (default 64)."_s,
                                          u"W"_s, u"64"_s);
    parser.addOptions({countOption, roundsOption, windowOption});
    parser.process(app);
    const int count = std::clamp(parser.value(countOption).toInt(), 100, 1000000);
    const int rounds = std::clamp(parser.value(roundsOption).toInt(), 1, 50);
    const int window = std::clamp(parser.value(windowOption).toInt(), 1, 100000);

    Counters counters; // outlives the transport that writes it
    WorkerThread signalling(u"signalling"_s);
    Transport::SipTransportConfig config;
    config.bindAddress = kLocalhost;
    config.port = 0;
    config.tcpEnabled = false;
    auto *transport = signalling.create<Transport::SipTransport>(config);
    const auto started = signalling.run([&] {
        transport->setMessageHandler([&counters, transport](const Sip::SipMessage &message, const Sip::Peer &peer) {
            const std::int64_t now = nowNs();
            if (counters.handled.load(std::memory_order_relaxed) == 0)
                counters.firstNs = now;
            counters.lastNs = now;
            transport->send(peer, Sip::MessageBuilder::responseTo(message, 200, "bench").serialize());
            counters.handled.fetch_add(1, std::memory_order_release);
        });
        return transport->start();
    });
    if (!started) {
        std::fprintf(stderr, "cannot start: %s\n", qPrintable(started.error().message));
        return 1;
    }
    const std::uint16_t port = signalling.run([&] { return transport->port(); });
    const int granted = signalling.run([&] { return transport->stats().udpReceiveBufferBytes; });

    std::vector<QByteArray> messages;
    messages.reserve(std::size_t(count));
    for (int i = 0; i < count; ++i)
        messages.push_back(keepalive(i));
    std::printf("SIP over UDP on 127.0.0.1:%u, %d keepalive MESSAGEs of ~%lld bytes per round, receive buffer %d bytes, "
                "%d CPU threads\n\n",
                unsigned(port), count, static_cast<long long>(messages.front().size()), granted,
                QThread::idealThreadCount());

    std::vector<Round> results;
    for (int r = 0; r < rounds; ++r)
        results.push_back(runRound(messages, port, counters, 0));
    report("flood", results, count);

    results.clear();
    for (int r = 0; r < rounds; ++r)
        results.push_back(runRound(messages, port, counters, window));
    report("windowed", results, count);

    benchDrain(std::min(count, 5000));

    const Transport::SipTransportStats stats = signalling.run([&] { return transport->stats(); });
    std::printf("\ntransport: %llu datagrams in, %llu out, %llu parse failures, %llu send failures\n",
                static_cast<unsigned long long>(stats.udpDatagramsIn),
                static_cast<unsigned long long>(stats.udpDatagramsOut),
                static_cast<unsigned long long>(stats.parseFailures),
                static_cast<unsigned long long>(stats.sendFailures));
    return 0;
}
