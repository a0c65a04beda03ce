// vigil-camsim: simulated GB/T 28181 cameras and NVRs.

#include "camsimlog.h"
#include "common/version.h"
#include "simulator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostInfo>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <optional>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;
using namespace Vigil;
using namespace Vigil::CamSim;

namespace {

void print(const QString &line)
{
    std::fputs(qPrintable(line + u'\n'), stdout);
    std::fflush(stdout);
}

[[noreturn]] void die(const QString &message)
{
    std::fputs(qPrintable(u"vigil-camsim: "_s + message + u'\n'), stderr);
    std::exit(2);
}

#ifdef Q_OS_UNIX
int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}
#endif

/// HOST[:PORT] (IPv6 in brackets); a host name is looked up once.
std::optional<std::pair<QHostAddress, std::uint16_t>> parseServer(const QString &text)
{
    QString host = text.trimmed();
    QString portText;
    if (host.startsWith(u'[')) { // [IPv6]:port
        const qsizetype close = host.indexOf(u']');
        if (close < 0)
            return std::nullopt;
        if (host.mid(close + 1).startsWith(u':'))
            portText = host.mid(close + 2);
        host = host.mid(1, close - 1);
    } else if (host.count(u':') == 1) { // host:port; more colons is a bare IPv6 address
        const qsizetype colon = host.indexOf(u':');
        portText = host.mid(colon + 1);
        host.truncate(colon);
    }
    std::uint16_t port = 5060;
    if (!portText.isEmpty()) {
        bool ok = false;
        const uint value = portText.toUInt(&ok);
        if (!ok || value == 0 || value > 65535)
            return std::nullopt;
        port = std::uint16_t(value);
    }
    QHostAddress address;
    if (!address.setAddress(host)) {
        const QHostInfo info = QHostInfo::fromName(host);
        if (info.addresses().isEmpty())
            return std::nullopt;
        address = info.addresses().front();
    }
    return std::pair{address, port};
}

QString ms(double value)
{
    return QString::number(value, 'f', value < 10 ? 2 : 1) + u" ms"_s;
}

QString percentiles(const LatencySamples::Summary &summary)
{
    if (summary.count == 0)
        return u"none"_s;
    return u"p50 %1, p95 %2, p99 %3, max %4 (%5 samples)"_s.arg(ms(summary.p50Ms), ms(summary.p95Ms), ms(summary.p99Ms),
                                                               ms(summary.maxMs))
        .arg(summary.count);
}

QString intervalLine(double atSec, const SimulatorStats &interval, const SimulatorStats &total)
{
    const double seconds = std::max(interval.elapsedSec, 0.001);
    QString line = u"[%1 s] registered %2/%3 (+%4/s), failed %5"_s.arg(atSec, 5, 'f', 1)
                       .arg(total.devicesRegistered)
                       .arg(total.devicesTotal)
                       .arg(double(interval.registrations) / seconds, 0, 'f', 0)
                       .arg(interval.registrationFailures);
    if (interval.registerRoundTrip.count)
        line += u", REGISTER p50 %1 p99 %2"_s.arg(ms(interval.registerRoundTrip.p50Ms), ms(interval.registerRoundTrip.p99Ms));
    line += u" | keepalives %1/s, answered %2, failed %3"_s.arg(double(interval.keepalivesSent) / seconds, 0, 'f', 0)
                .arg(interval.keepalivesAnswered)
                .arg(interval.keepalivesFailed);
    if (interval.keepaliveRoundTrip.count)
        line += u", p99 %1"_s.arg(ms(interval.keepaliveRoundTrip.p99Ms));
    return line;
}

void printReport(const SimulatorConfig &config, const SimulatorStats &total, double durationSec)
{
    print(u"== vigil-camsim load report =="_s);
    print(u"devices: %1 (%2), SIP over %3 to %4:%5, target rate %6/s, %7 s"_s.arg(total.devicesTotal)
              .arg(config.kind == DeviceKind::Nvr ? u"NVRs with %1 channels"_s.arg(config.channelsPerDevice) : u"IPCs"_s)
              .arg(config.server.transport == Sip::TransportKind::Tcp ? u"TCP"_s : u"UDP"_s, config.server.address.toString())
              .arg(config.server.port)
              .arg(config.registrationsPerSec > 0 ? QString::number(config.registrationsPerSec) : u"unlimited"_s)
              .arg(durationSec, 0, 'f', 1));
    const double registrationSpan = total.lastRegistrationSec > 0 ? total.lastRegistrationSec : durationSec;
    print(u"registrations: %1 succeeded, %2 failed; %3 registered at the end; achieved %4 registrations/s "
          u"(first REGISTER to last 200 OK: %5 s)"_s.arg(total.registrations)
              .arg(total.registrationFailures)
              .arg(total.devicesRegistered)
              .arg(registrationSpan > 0 ? double(total.registrations) / registrationSpan : 0.0, 0, 'f', 1)
              .arg(registrationSpan, 0, 'f', 2));
    if (!total.failuresByCause.isEmpty()) {
        QStringList causes;
        for (auto it = total.failuresByCause.cbegin(); it != total.failuresByCause.cend(); ++it)
            causes.append(u"%1: %2"_s.arg(it.key()).arg(it.value()));
        print(u"failures by cause: "_s + causes.join(u", "_s));
    }
    print(u"REGISTER round trip (one transaction): "_s + percentiles(total.registerRoundTrip));
    print(u"registration time (first REGISTER to 200 OK, challenge included): "_s + percentiles(total.registrationTime));
    print(u"refreshes: %1; REGISTER requests sent: %2; unregistered at the end: %3"_s.arg(total.refreshes)
              .arg(total.registerRequests)
              .arg(total.unregistrations));
    print(u"keepalives: %1 sent (%2/s), %3 answered, %4 failed; round trip %5"_s.arg(total.keepalivesSent)
              .arg(durationSec > 0 ? double(total.keepalivesSent) / durationSec : 0.0, 0, 'f', 1)
              .arg(total.keepalivesAnswered)
              .arg(total.keepalivesFailed)
              .arg(percentiles(total.keepaliveRoundTrip)));
    print(u"queries answered: %1 (%2 response MESSAGEs); PTZ commands: %3; INVITEs: %4"_s.arg(total.queriesAnswered)
              .arg(total.responseMessagesSent)
              .arg(total.ptzCommands)
              .arg(total.invites));
}

} // namespace

int main(int argc, char *argv[])
{
    // Thousands of devices mean thousands of sockets on one event loop. The glib event
    // dispatcher keeps socket notifiers in a list (every write-notifier toggle of a TCP socket
    // walks it); Qt's own UNIX dispatcher keeps them in a hash. With SIP over TCP at 500
    // registrations/s that is the difference between 70 ms and 1.7 s at p99.
    if (qEnvironmentVariableIsEmpty("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"Vigil"_s);
    QCoreApplication::setApplicationName(u"vigil-camsim"_s);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(Vigil::kVersion));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"vigil-camsim: simulated GB/T 28181 cameras and NVRs for tests, demos and load.\n"
        "Each device registers with digest authentication, keeps alive, answers Catalog, DeviceInfo,\n"
        "DeviceStatus and PTZ, and streams PS over RTP (UDP, TCP passive or active) on INVITE.\n"
        "Stop with Ctrl+C: registered devices unregister first."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QList<QCommandLineOption> options = {
        {u"server"_s, u"The platform's SIP address (default 127.0.0.1:5060)."_s, u"host:port"_s, u"127.0.0.1:5060"_s},
        {u"server-id"_s, u"The platform's 20-digit SIP server ID."_s, u"id"_s, u"34020000002000000001"_s},
        {u"domain"_s, u"SIP domain and realm (default: first 10 digits of the server ID)."_s, u"domain"_s},
        {u"password"_s, u"The SIP password."_s, u"password"_s, u"12345678"_s},
        {u"sip-transport"_s, u"udp or tcp (default udp)."_s, u"transport"_s, u"udp"_s},
        {u"devices"_s, u"Number of devices (default 1)."_s, u"n"_s, u"1"_s},
        {u"type"_s, u"ipc or nvr (default: nvr when --channels is above 1, else ipc)."_s, u"type"_s},
        {u"channels"_s, u"Channels per NVR (default 4 for NVRs)."_s, u"m"_s},
        {u"ipcs"_s, u"IPCs added after the --devices ones (mixed set-ups)."_s, u"n"_s, u"0"_s},
        {u"base-id"_s, u"The first device's ID; the rest count up (default 34020000001320000001)."_s, u"id"_s},
        {u"charset"_s, u"Encoding of MANSCDP bodies: gb2312 (GB18030 bytes) or utf-8."_s, u"charset"_s, u"gb2312"_s},
        {u"catalog-per-message"_s, u"At most this many catalog items per MESSAGE (default 4; bodies also stay within 1300 bytes)."_s,
         u"n"_s, u"4"_s},
        {u"keepalive"_s, u"Keepalive interval in seconds (default 60)."_s, u"s"_s, u"60"_s},
        {u"expires"_s, u"Registration expiry asked for, in seconds (default 3600)."_s, u"s"_s, u"3600"_s},
        {u"retry-delay"_s, u"Seconds before a failed registration is tried again (default 60)."_s, u"s"_s, u"60"_s},
        {u"bind"_s, u"Local address for device sockets (default any)."_s, u"address"_s},
        {u"advertise"_s, u"IP address to write in Via, Contact and SDP (default: the one facing the server)."_s, u"ip"_s},
        {u"media"_s, u"Annex-B H.264/H.265 file to stream (default: the demo clip)."_s, u"file"_s},
        {u"sub-media"_s, u"The same for INVITEs asking for the sub stream (a=streamnumber:1 etc.; default: the --media file, "
                         u"or the demo's sub-stream clip without --media)."_s,
         u"file"_s},
        {u"audio"_s, u"Raw G.711 A-law file (8 kHz) to mux with the video."_s, u"file"_s},
        {u"no-media"_s, u"Answer INVITEs with 488 (signalling only)."_s},
        {u"rate"_s, u"Registrations started per second (default: all at once)."_s, u"per-second"_s, u"0"_s},
        {u"devices-per-socket"_s, u"Devices sharing one SIP socket (default: one each while the open-file limit allows)."_s,
         u"n"_s, u"0"_s},
        {u"load"_s, u"Load mode: print numbers every second and a report at the end; quiet otherwise."_s},
        {u"duration"_s, u"Stop (unregistering) after this many seconds."_s, u"s"_s},
        {u"verbose"_s, u"Log every device event, also in load mode."_s},
        // faults
        {u"loss"_s, u"Fault: leave out this percentage of RTP packets."_s, u"pct"_s, u"0"_s},
        {u"reorder"_s, u"Fault: send this percentage of RTP packets after the next one."_s, u"pct"_s, u"0"_s},
        {u"duplicate"_s, u"Fault: send this percentage of RTP packets twice."_s, u"pct"_s, u"0"_s},
        {u"tcp-corrupt"_s, u"Fault: now and then garbage or a broken length prefix in the TCP media stream."_s},
        {u"freeze-after"_s, u"Fault: each stream stops sending after this many seconds, its call kept up."_s, u"s"_s, u"0"_s},
        {u"seed"_s, u"Seed for the media fault dice (default: random)."_s, u"n"_s, u"0"_s},
        {u"wrong-password"_s, u"Fault: answer challenges with a wrong password."_s},
        {u"no-qop"_s, u"Fault: answer digest challenges without qop (RFC 2069 style)."_s},
        {u"hikvision-auth-uri"_s, u"Fault: Request-URI with the server's IP, digest uri with its domain."_s},
        {u"lying-content-length"_s, u"Fault: UDP MESSAGEs declare a Content-Length 10 bytes off."_s},
        {u"keepalive-jitter"_s, u"Fault: move each keepalive by up to this many seconds either way."_s, u"s"_s, u"0"_s},
        {u"skip-keepalives"_s, u"Fault: after the first keepalive, leave out this many in a row."_s, u"n"_s, u"0"_s},
        {u"ssrc-mismatch"_s, u"Fault: answer INVITEs with another y= SSRC than offered."_s},
        {u"invite-delay"_s, u"Fault: hold each INVITE this many milliseconds before answering it."_s, u"ms"_s, u"0"_s},
    };
    parser.addOptions(options);
    parser.process(app);

    const auto intValue = [&parser](const QString &name, int minimum, int maximum) {
        bool ok = false;
        const int value = parser.value(name).toInt(&ok);
        if (!ok || value < minimum || value > maximum)
            die(u"--%1 takes a whole number from %2 to %3."_s.arg(name).arg(minimum).arg(maximum));
        return value;
    };
    const auto doubleValue = [&parser](const QString &name, double minimum, double maximum) {
        bool ok = false;
        const double value = parser.value(name).toDouble(&ok);
        if (!ok || value < minimum || value > maximum)
            die(u"--%1 takes a number from %2 to %3."_s.arg(name).arg(minimum).arg(maximum));
        return value;
    };

    SimulatorConfig config;
    const auto server = parseServer(parser.value(u"server"_s));
    if (!server)
        die(u"--server: \"%1\" is not HOST:PORT with a reachable host."_s.arg(parser.value(u"server"_s)));
    config.server.address = server->first;
    config.server.port = server->second;
    config.server.serverId = parser.value(u"server-id"_s).toLatin1();
    config.server.domain = parser.value(u"domain"_s).toLatin1();
    config.server.password = parser.value(u"password"_s).toUtf8();
    const QString transport = parser.value(u"sip-transport"_s).toLower();
    if (transport != u"udp"_s && transport != u"tcp"_s)
        die(u"--sip-transport is udp or tcp."_s);
    config.server.transport = transport == u"tcp"_s ? Sip::TransportKind::Tcp : Sip::TransportKind::Udp;

    config.deviceCount = intValue(u"devices"_s, 0, 200000);
    config.extraIpcs = intValue(u"ipcs"_s, 0, 200000);
    const QString type = parser.value(u"type"_s).toLower();
    const int channels = parser.isSet(u"channels"_s) ? intValue(u"channels"_s, 1, 9999) : 0;
    if (type.isEmpty())
        config.kind = channels > 1 ? DeviceKind::Nvr : DeviceKind::Ipc;
    else if (type == u"nvr"_s || type == u"ipc"_s)
        config.kind = type == u"nvr"_s ? DeviceKind::Nvr : DeviceKind::Ipc;
    else
        die(u"--type is ipc or nvr."_s);
    config.channelsPerDevice = channels > 0 ? channels : 4;
    if (parser.isSet(u"base-id"_s)) {
        const auto base = DeviceId::parse(parser.value(u"base-id"_s));
        if (!base)
            die(u"--base-id: "_s + base.error().message);
        config.baseId = *base;
    }
    const QString charset = parser.value(u"charset"_s).toLower();
    if (charset == u"utf-8"_s || charset == u"utf8"_s)
        config.charset = TextEncoding::Utf8;
    else if (charset == u"gb2312"_s || charset == u"gbk"_s || charset == u"gb18030"_s)
        config.charset = TextEncoding::Gb18030;
    else
        die(u"--charset is gb2312 or utf-8."_s);
    config.catalogItemsPerMessage = intValue(u"catalog-per-message"_s, 1, 10000);
    config.timers.keepaliveIntervalSec = intValue(u"keepalive"_s, 1, 86400);
    config.timers.registerExpiresSec = intValue(u"expires"_s, 1, 7 * 86400);
    config.timers.retryDelayMs = intValue(u"retry-delay"_s, 0, 86400) * 1000;
    if (parser.isSet(u"bind"_s) && !config.bindAddress.setAddress(parser.value(u"bind"_s)))
        die(u"--bind takes an IP address."_s);
    config.advertisedHost = parser.value(u"advertise"_s);
    config.videoPath = parser.value(u"media"_s);
    config.subVideoPath = parser.value(u"sub-media"_s);
    config.audioPath = parser.value(u"audio"_s);
    config.mediaEnabled = !parser.isSet(u"no-media"_s);
    config.registrationsPerSec = doubleValue(u"rate"_s, 0, 1e6);
    config.devicesPerSocket = intValue(u"devices-per-socket"_s, 0, 200000);

    config.mediaFaults.lossPercent = doubleValue(u"loss"_s, 0, 100);
    config.mediaFaults.reorderPercent = doubleValue(u"reorder"_s, 0, 100);
    config.mediaFaults.duplicatePercent = doubleValue(u"duplicate"_s, 0, 100);
    config.mediaFaults.tcpCorrupt = parser.isSet(u"tcp-corrupt"_s);
    config.mediaFaults.freezeAfterMs = intValue(u"freeze-after"_s, 0, 86400) * 1000;
    config.mediaFaults.seed = std::uint32_t(parser.value(u"seed"_s).toUInt());
    config.faults.wrongPassword = parser.isSet(u"wrong-password"_s);
    config.faults.noQop = parser.isSet(u"no-qop"_s);
    config.faults.hikvisionAuthUri = parser.isSet(u"hikvision-auth-uri"_s);
    config.faults.lyingContentLength = parser.isSet(u"lying-content-length"_s);
    config.faults.keepaliveJitterSec = intValue(u"keepalive-jitter"_s, 0, 86400);
    config.faults.skipKeepalives = intValue(u"skip-keepalives"_s, 0, 1000000);
    config.faults.ssrcMismatch = parser.isSet(u"ssrc-mismatch"_s);
    config.faults.inviteAnswerDelayMs = intValue(u"invite-delay"_s, 0, 600000);

    const bool load = parser.isSet(u"load"_s);
    const int durationSec = parser.isSet(u"duration"_s) ? intValue(u"duration"_s, 1, 30 * 86400) : 0;
    if (load && !parser.isSet(u"verbose"_s))
        QLoggingCategory::setFilterRules(u"vigil.camsim.info=false\nvigil.*.info=false"_s);

    Simulator simulator(config);
    if (auto started = simulator.start(); !started)
        die(started.error().message);

#ifdef Q_OS_UNIX
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) == 0) {
        auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, [&simulator, &app] {
            char byte = 0;
            [[maybe_unused]] const auto got = ::read(g_signalPipe[0], &byte, 1);
            if (simulator.isRunning() && !QCoreApplication::closingDown()) {
                print(u"stopping: unregistering the devices (Ctrl+C again to quit at once)"_s);
                simulator.stop();
                std::signal(SIGINT, SIG_DFL);
            } else {
                app.quit();
            }
        });
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
#endif

    QElapsedTimer clock;
    clock.start();
    QTimer reportTimer;
    if (load) {
        reportTimer.setInterval(1000);
        QObject::connect(&reportTimer, &QTimer::timeout, &simulator, [&simulator, &clock] {
            const SimulatorStats interval = simulator.takeIntervalStats();
            print(intervalLine(double(clock.elapsed()) / 1000.0, interval, simulator.stats()));
        });
        reportTimer.start();
    }
    if (durationSec > 0)
        QTimer::singleShot(durationSec * 1000, &simulator, [&simulator] { simulator.stop(); });

    double durationAtStop = 0.0;
    QObject::connect(&simulator, &Simulator::stopped, &app, [&] {
        reportTimer.stop();
        durationAtStop = double(clock.elapsed()) / 1000.0;
        app.quit();
    });

    const int code = app.exec();
    if (load)
        printReport(config, simulator.stats(), durationAtStop > 0 ? durationAtStop : double(clock.elapsed()) / 1000.0);
    return code;
}
