// vigild: the GB/T 28181 server without a GUI, controlled through its HTTP API.

#include "api/apiserver.h"
#include "common/version.h"
#include "gb28181/gbserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QSocketNotifier>
#include <QStandardPaths>

#include <csignal>
#include <cstdio>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;
using namespace Vigil;

namespace {

#ifdef Q_OS_UNIX
int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

/// SIGINT and SIGTERM end the event loop from the main thread, so shutdown is orderly.
void quitOnSignals(QCoreApplication &app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [&app] {
        char byte;
        [[maybe_unused]] const auto read = ::read(g_signalPipe[0], &byte, 1);
        std::fputs("vigild: stopping\n", stderr);
        app.quit();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}
#else
void quitOnSignals(QCoreApplication &app)
{
    std::signal(SIGINT, [](int) { QCoreApplication::quit(); });
    std::signal(SIGTERM, [](int) { QCoreApplication::quit(); });
    Q_UNUSED(app);
}
#endif

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "vigild: %s\n", qPrintable(message));
    std::exit(1);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"Vigil"_s);
    QCoreApplication::setApplicationName(u"vigild"_s);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(kVersion));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"vigild: the Vigil GB/T 28181 server without a GUI, controlled over HTTP.\n"
        "Cameras, NVRs and platforms register to it over SIP (UDP and TCP). Settings come from\n"
        "--config FILE (INI groups sip, registrar, media, api, storage) and the options below,\n"
        "which win over the file."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configOption(u"config"_s, u"Read settings from FILE."_s, u"FILE"_s);
    const QCommandLineOption sipBind(u"sip-bind"_s, u"Address for SIP (default 0.0.0.0)."_s, u"ADDR"_s);
    const QCommandLineOption sipPort(u"sip-port"_s, u"SIP port, UDP and TCP (default 5060)."_s, u"N"_s);
    const QCommandLineOption serverId(u"server-id"_s, u"SIP server ID (default 34020000002000000001)."_s, u"ID"_s);
    const QCommandLineOption domain(u"domain"_s, u"SIP domain and realm (default 3402000000)."_s, u"D"_s);
    const QCommandLineOption password(u"password"_s, u"Global SIP password (default 12345678)."_s, u"P"_s);
    const QCommandLineOption sipThreads(u"sip-threads"_s,
                                        u"Threads answering SIP over UDP, sharing the port (default 1)."_s, u"N"_s);
    const QCommandLineOption dataDir(u"data-dir"_s, u"Folder for the database."_s, u"DIR"_s);
    const QCommandLineOption apiBind(u"api-bind"_s, u"Address for the HTTP API (default 127.0.0.1)."_s, u"ADDR"_s);
    const QCommandLineOption apiPort(u"api-port"_s, u"HTTP API port (default 8080)."_s, u"N"_s);
    const QCommandLineOption apiToken(u"api-token"_s, u"Bearer token the API requires (needed off loopback)."_s,
                                      u"T"_s);
    const QCommandLineOption mediaIp(u"media-ip"_s, u"Address written into SDP for devices to send media to."_s,
                                     u"ADDR"_s);
    const QCommandLineOption mediaPorts(u"media-ports"_s, u"UDP/TCP port range for media (default 30000-30999)."_s,
                                        u"A-B"_s);
    const QCommandLineOption noQueries(u"no-queries-on-register"_s,
                                       u"Do not query DeviceInfo and Catalog after registrations (load tests)."_s);
    parser.addOptions({configOption, sipBind, sipPort, serverId, domain, password, sipThreads, dataDir, apiBind, apiPort,
                       apiToken, mediaIp, mediaPorts, noQueries});
    parser.process(app);

    // The file first, then the command line over it.
    Gb::GbServer::Options options;
    Api::ApiConfig api;
    QString dataFolder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (parser.isSet(configOption)) {
        const QString path = parser.value(configOption);
        if (!QFileInfo::exists(path))
            die(u"the configuration file %1 does not exist"_s.arg(path));
        QSettings file(path, QSettings::IniFormat);
        if (auto ok = options.config.load(file); !ok)
            die(u"%1: %2"_s.arg(path, ok.error().message));
        if (file.contains(u"api/bind"_s))
            api.bindAddress = QHostAddress(file.value(u"api/bind"_s).toString());
        if (file.contains(u"api/port"_s))
            api.port = quint16(file.value(u"api/port"_s).toUInt());
        api.token = file.value(u"api/token"_s, api.token).toString();
        dataFolder = file.value(u"storage/data-dir"_s, dataFolder).toString();
    }
    QVariantMap flags;
    const struct {
        const QCommandLineOption &option;
        QString key;
    } mapped[] = {{sipBind, u"sip/bind"_s}, {sipPort, u"sip/port"_s},    {serverId, u"sip/server-id"_s},
                  {domain, u"sip/domain"_s}, {password, u"sip/password"_s}, {sipThreads, u"sip/threads"_s},
                  {mediaIp, u"media/ip"_s}, {mediaPorts, u"media/ports"_s}};
    for (const auto &entry : mapped) {
        if (parser.isSet(entry.option))
            flags.insert(entry.key, parser.value(entry.option));
    }
    if (parser.isSet(serverId) && !parser.isSet(domain))
        flags.insert(u"sip/domain"_s, parser.value(serverId).left(10));
    if (auto ok = options.config.load(flags); !ok)
        die(ok.error().message);
    if (parser.isSet(noQueries))
        options.config.queryOnRegister = false;
    if (parser.isSet(apiBind) && !api.bindAddress.setAddress(parser.value(apiBind)))
        die(u"--api-bind %1 is not an IP address"_s.arg(parser.value(apiBind)));
    if (parser.isSet(apiPort)) {
        bool ok = false;
        const uint port = parser.value(apiPort).toUInt(&ok);
        if (!ok || port > 65535)
            die(u"--api-port must be a number from 0 to 65535"_s);
        api.port = quint16(port);
    }
    if (parser.isSet(apiToken))
        api.token = parser.value(apiToken);
    if (parser.isSet(dataDir))
        dataFolder = parser.value(dataDir);
    options.dataDir = dataFolder;

    Gb::GbServer server(options);
    if (auto ok = server.start(); !ok)
        die(ok.error().message);
    Api::ApiServer apiServer(server, api);
    const auto apiPortBound = apiServer.start();
    if (!apiPortBound) {
        server.stop();
        die(apiPortBound.error().message);
    }
    std::printf("vigild %s: SIP server %s, domain %s, port %u (UDP and TCP); HTTP API on %s:%u; data in %s\n",
                kVersion, qPrintable(options.config.serverId.toString()), qPrintable(options.config.domain),
                unsigned(server.sipPort()), qPrintable(api.bindAddress.toString()), unsigned(*apiPortBound),
                qPrintable(QDir::toNativeSeparators(dataFolder)));
    std::fflush(stdout);

    quitOnSignals(app);
    const int status = app.exec();
    server.stop();
    return status;
}
