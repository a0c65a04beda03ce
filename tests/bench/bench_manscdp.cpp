// MANSCDP parse and build throughput. The registrar parses a keepalive body for every device
// every interval (30,000/s for 30,000 devices at 1 s, or 1.8 M devices at 60 s); this prints how
// many one thread manages through ManscdpMessage::parse() (fast path), through the general
// tinyxml2 path, and for catalog bodies and the builder. Median of several rounds, in thread
// CPU time where the platform has it.
// Usage: bench_manscdp [seconds-per-round, default 0.5]

#include "gb28181/manscdpbuilder.h"
#include "gb28181/manscdpparser_p.h"

#include <QByteArray>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

using namespace Vigil;
using namespace Vigil::Gb;

namespace {

const QByteArray kKeepalive = "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n"
                              "<Notify>\r\n"
                              "<CmdType>Keepalive</CmdType>\r\n"
                              "<SN>43</SN>\r\n"
                              "<DeviceID>34020000001320000001</DeviceID>\r\n"
                              "<Status>OK</Status>\r\n"
                              "</Notify>\r\n";

// A keepalive the fast path declines (faulty sub-device list), as some NVRs send.
const QByteArray kKeepaliveWithInfo = "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n"
                                      "<Notify>\r\n"
                                      "<CmdType>Keepalive</CmdType>\r\n"
                                      "<SN>44</SN>\r\n"
                                      "<DeviceID>34020000001180000001</DeviceID>\r\n"
                                      "<Status>ERROR</Status>\r\n"
                                      "<Info>\r\n<DeviceID>34020000001310000003</DeviceID>\r\n</Info>\r\n"
                                      "</Notify>\r\n";

/// CPU time of this thread in seconds: the machines these run on are shared, and wall time
/// would count other people's work.
double threadCpuSeconds()
{
#ifdef CLOCK_THREAD_CPUTIME_ID
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
#else
    static const QElapsedTimer wall = [] {
        QElapsedTimer timer;
        timer.start();
        return timer;
    }();
    return double(wall.nsecsElapsed()) / 1e9;
#endif
}

template <typename F>
double medianRate(double secondsPerRound, F &&work)
{
    std::vector<double> rates;
    for (int round = 0; round < 7; ++round) {
        const double start = threadCpuSeconds();
        long long count = 0;
        double elapsed = 0;
        while (elapsed < secondsPerRound) {
            for (int i = 0; i < 100; ++i)
                work();
            count += 100;
            elapsed = threadCpuSeconds() - start;
        }
        rates.push_back(double(count) / elapsed);
    }
    std::sort(rates.begin(), rates.end());
    return rates[rates.size() / 2];
}

volatile std::size_t g_sink; // keeps the optimiser from dropping the work

void requireParses(const char *name, const QByteArray &bytes)
{
    const auto parsed = ManscdpMessage::parse(bytes);
    if (!parsed) {
        std::fprintf(stderr, "%s does not parse: %s\n", name, qPrintable(parsed.error().message));
        std::exit(1);
    }
}

void parseRates(const char *name, const QByteArray &bytes, double seconds)
{
    requireParses(name, bytes);
    const bool fast = detail::parseKeepaliveFast(bytes, CharsetOverride::Auto).has_value();
    const double parse = medianRate(seconds, [&] {
        auto m = ManscdpMessage::parse(bytes);
        g_sink = g_sink + m->envelope.sn;
    });
    const double dom = medianRate(seconds, [&] {
        auto m = detail::parseWithDom(bytes, CharsetOverride::Auto);
        g_sink = g_sink + m->envelope.sn;
    });
    std::printf("%-28s %6lld B  parse %9.0f/s (%s)  general path %9.0f/s  %7.1f MB/s\n", name,
                static_cast<long long>(bytes.size()), parse, fast ? "fast path" : "general path", dom,
                parse * double(bytes.size()) / 1e6);
}

QList<CatalogItem> cameras(int count)
{
    QList<CatalogItem> items;
    for (int i = 1; i <= count; ++i) {
        CatalogItem item;
        item.deviceId = ChannelId(*GbId::parse(QStringLiteral("3402000000131%1").arg(i, 7, 10, QChar(u'0'))));
        item.name = QStringLiteral("大门口摄像机 %1").arg(i);
        item.manufacturer = QStringLiteral("Hikvision");
        item.model = QStringLiteral("DS-2CD2T47");
        item.civilCode = QStringLiteral("340200");
        item.address = QStringLiteral("一号楼东侧");
        item.parental = false;
        item.parentIds = {QStringLiteral("34020000001180000001")};
        item.registerWay = 1;
        item.secrecy = 0;
        item.status = CatalogStatus::On;
        item.longitude = 117.2272;
        item.latitude = 31.8206;
        item.ptzType = 1;
        items.append(item);
    }
    return items;
}

} // namespace

int main(int argc, char **argv)
{
    const double seconds = argc > 1 ? std::atof(argv[1]) : 0.5;
    std::printf("MANSCDP throughput, one thread, CPU time, median of 7 rounds of %.2f s\n", seconds);

    parseRates("Keepalive", kKeepalive, seconds);
    parseRates("Keepalive, LF, no prolog", QByteArray(kKeepalive).replace("\r\n", "\n").mid(40), seconds);
    parseRates("Keepalive with Info", kKeepaliveWithInfo, seconds);

    const DeviceId nvr = DeviceId(*GbId::parse(QByteArrayView("34020000001180000001")));
    const QByteArray oneGb = ManscdpBuilder(TextEncoding::Gb18030).responseCatalog(nvr, 7, cameras(1)).first().bytes;
    const QByteArray oneUtf8 = ManscdpBuilder(TextEncoding::Utf8).responseCatalog(nvr, 7, cameras(1)).first().bytes;
    const QByteArray hundredGb =
        ManscdpBuilder(TextEncoding::Gb18030).responseCatalog(nvr, 7, cameras(100), CatalogSplit{100, 1 << 20}).first().bytes;
    parseRates("Catalog, 1 item, GB18030", oneGb, seconds);
    parseRates("Catalog, 1 item, UTF-8", oneUtf8, seconds);
    parseRates("Catalog, 1 item, bare &", QByteArray(oneGb).replace("Hikvision", "Hik & Co"), seconds);
    parseRates("Catalog, 1 item, < in Address", QByteArray(oneGb).replace("<Address>", "<Address><3 "), seconds);
    parseRates("Catalog, 100 items, GB18030", hundredGb, seconds);

    // Hostile bodies near the size limit: the time per message stays proportional to its size.
    QByteArray attributes = "<Notify";
    for (int i = 0; attributes.size() < 65000; ++i)
        attributes += " a" + QByteArray::number(i) + "=\"\"";
    attributes += "><CmdType>Keepalive</CmdType></Notify>";
    parseRates("Hostile: 64 KB of attributes", attributes, seconds / 10);
    parseRates("Hostile: 64 KB of '<?'", "<Notify><CmdType>Keepalive</CmdType>" + QByteArray("<?").repeated(32000) + "</Notify>",
               seconds / 10);
    QByteArray deep;
    for (int i = 0; deep.size() < 64000; ++i)
        deep += "<Item>";
    parseRates("Hostile: 64 KB of open tags", "<Notify><CmdType>Keepalive</CmdType>" + deep, seconds / 10);

    const ManscdpBuilder builder;
    const double keepalive = medianRate(seconds, [&] {
        g_sink = g_sink + std::size_t(builder.notifyKeepalive(nvr, 43).bytes.size());
    });
    const double query = medianRate(seconds, [&] {
        g_sink = g_sink + std::size_t(builder.queryCatalog(nvr, 17430).bytes.size());
    });
    const QList<CatalogItem> items = cameras(100);
    const double catalog = medianRate(seconds / 10, [&] {
        g_sink = g_sink + std::size_t(builder.responseCatalog(nvr, 7, items).size());
    });
    std::printf("build: Keepalive %9.0f/s  Query Catalog %9.0f/s  Response Catalog of 100 items (split at 1300 B) %7.0f/s\n",
                keepalive, query, catalog);
    return 0;
}
