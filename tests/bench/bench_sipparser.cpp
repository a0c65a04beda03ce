// Parse and serialise throughput of typical GB/T 28181 SIP messages.
// Prints messages per second of CPU time for parse alone, for serialise alone and for both, as
// the median of several rounds. CPU time, not wall time, so that a busy machine (other builds,
// other benchmarks) does not halve the numbers; the process is single-threaded, so this is the
// rate per core. Usage: bench_sipparser [CPU seconds per round, default 0.5]

#include "sip/messagebuilder.h"
#include "sip/sipmessage.h"

#include <QByteArray>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

using namespace Vigil::Sip;

namespace {

const QByteArray kRegister =
    "REGISTER sip:34020000002000000001@3402000000 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1837420266\r\n"
    "From: <sip:34020000001320000001@3402000000>;tag=1109863470\r\n"
    "To: <sip:34020000001320000001@3402000000>\r\n"
    "Call-ID: 2082571306\r\n"
    "CSeq: 2 REGISTER\r\n"
    "Contact: <sip:34020000001320000001@192.168.1.64:5060>\r\n"
    "Authorization: Digest username=\"34020000001320000001\", realm=\"3402000000\", "
    "nonce=\"9bd055a2b1c3e4f5a6b7c8d9e0f1a2b3\", uri=\"sip:34020000002000000001@3402000000\", "
    "response=\"db3547e2a215fc012b010536a6829ece\", algorithm=MD5, cnonce=\"0a4f113b\", qop=auth, nc=00000001\r\n"
    "Max-Forwards: 70\r\n"
    "User-Agent: IP Camera\r\n"
    "Expires: 3600\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

const QByteArray kKeepalive =
    "MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK401718733\r\n"
    "From: <sip:34020000001320000001@3402000000>;tag=1540385633\r\n"
    "To: <sip:34020000002000000001@3402000000>\r\n"
    "Call-ID: 1270981113\r\n"
    "CSeq: 20 MESSAGE\r\n"
    "Content-Type: Application/MANSCDP+xml\r\n"
    "Max-Forwards: 70\r\n"
    "User-Agent: IP Camera\r\n"
    "Content-Length: 169\r\n"
    "\r\n"
    "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n"
    "<Notify>\r\n"
    "<CmdType>Keepalive</CmdType>\r\n"
    "<SN>43</SN>\r\n"
    "<DeviceID>34020000001320000001</DeviceID>\r\n"
    "<Status>OK</Status>\r\n"
    "</Notify>\r\n";

double cpuSeconds()
{
    return double(std::clock()) / CLOCKS_PER_SEC;
}

template <typename F>
double medianRate(double secondsPerRound, F &&work)
{
    std::vector<double> rates;
    for (int round = 0; round < 7; ++round) {
        const double start = cpuSeconds();
        double elapsed = 0;
        long long count = 0;
        while (elapsed < secondsPerRound) {
            for (int i = 0; i < 1000; ++i)
                work();
            count += 1000;
            elapsed = cpuSeconds() - start;
        }
        rates.push_back(double(count) / elapsed);
    }
    std::sort(rates.begin(), rates.end());
    return rates[rates.size() / 2];
}

volatile std::size_t g_sink; // keeps the optimiser from dropping the work

void run(const char *name, const QByteArray &bytes, double seconds)
{
    const auto parsed = SipMessage::parse(bytes);
    if (!parsed) {
        std::fprintf(stderr, "%s does not parse: %s\n", name, qPrintable(parsed.error().message));
        std::exit(1);
    }
    const double parseRate = medianRate(seconds, [&] {
        auto m = SipMessage::parse(bytes);
        g_sink = g_sink + m->headers().size();
    });
    const double responseRate = medianRate(seconds, [&] {
        auto response = MessageBuilder::responseTo(*parsed, 200, "610934221")
                            .stampTopVia("198.51.100.23", 40122)
                            .add(HeaderId::Date, "2024-05-20T08:00:03.512")
                            .serialize();
        g_sink = g_sink + std::size_t(response.size());
    });
    const double bothRate = medianRate(seconds, [&] {
        auto m = SipMessage::parse(bytes);
        auto response = MessageBuilder::responseTo(*m, 200, "610934221")
                            .stampTopVia("198.51.100.23", 40122)
                            .add(HeaderId::Date, "2024-05-20T08:00:03.512")
                            .serialize();
        g_sink = g_sink + std::size_t(response.size());
    });
    const double roundTripRate = medianRate(seconds, [&] {
        auto m = SipMessage::parse(bytes);
        auto out = MessageBuilder::copyOf(*m).serialize();
        g_sink = g_sink + std::size_t(out.size());
    });
    std::printf("%-10s %5lld B  parse %9.0f/s  build 200 OK %9.0f/s  parse+200 OK %9.0f/s  "
                "parse+reserialise %9.0f/s\n",
                name, static_cast<long long>(bytes.size()), parseRate, responseRate, bothRate, roundTripRate);
}

} // namespace

int main(int argc, char **argv)
{
    const double seconds = argc > 1 ? std::atof(argv[1]) : 0.5;
    std::printf("SIP parse/serialise throughput per core (CPU time), median of 7 rounds of %.2f s\n", seconds);
    run("REGISTER", kRegister, seconds);
    run("MESSAGE", kKeepalive, seconds);
    return 0;
}
