// vigil-camsim's load mode against Vigil's real registrar, for registrations/s, keepalives/s,
// failures and response times.
//
//   bench_camsimload [--devices 5000] [--rate 1000] [--duration 30] [--keepalive 10] [--tcp]
//       runs the registrar on its own signalling thread and the simulated devices on the main
//       thread of this process, then prints camsim's load report and the registrar's counters.
//   bench_camsimload --serve [--port 5060] [--duration S]
//       runs only the registrar (UDP and TCP on 127.0.0.1:PORT), printing its counters every
//       second, for `vigil-camsim --load --server 127.0.0.1:PORT ...` in another process.
//
// The registrar is what GbService wraps: transport, transaction layer, Registrar, device
// registry; other requests from registered devices are answered 200, from others 404.

#include "common/workerthread.h"
#include "devices/deviceregistry.h"
#include "devices/eventlog.h"
#include "gb28181/registrar.h"
#include "simulator.h"
#include "sip/transactionlayer.h"
#include "transport/siptransport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTimer>

#include <cstdio>
#include <memory>

using namespace Vigil;
using namespace Qt::StringLiterals;

namespace {

void print(const QString &line)
{
    std::fputs(qPrintable(line + u'\n'), stdout);
    std::fflush(stdout);
}

/// The registrar and what surrounds it; lives on the signalling thread.
class RegistrarServer : public QObject {
public:
    explicit RegistrarServer(std::uint16_t port)
        : m_transport([port] {
              Transport::SipTransportConfig config;
              config.bindAddress = QHostAddress::LocalHost;
              config.port = port;
              config.maxTcpConnections = 20000;
              return config;
          }()),
          m_layer(m_transport),
          m_registrar(serverConfig(), m_layer, m_registry, m_events)
    {
        m_transport.setMessageHandler([this](const Sip::SipMessage &message, const Sip::Peer &peer) {
            m_layer.receive(message, peer);
        });
        connect(&m_transport, &Transport::SipTransport::connectionClosed, this,
                [this](const Sip::Peer &peer, const QString &) {
                    m_layer.connectionClosed(peer);
                    m_registrar.connectionClosed(peer);
                });
        m_layer.setRequestHandler([this](const Sip::IncomingRequest &request) {
            if (request.message().method() == Sip::Method::Register) {
                m_registrar.handleRegister(request);
                return;
            }
            ++m_otherRequests;
            const int code = m_registrar.admit(request) ? 200 : 404;
            (void)m_layer.respond(request, Sip::MessageBuilder::responseTo(request.message(), code, m_layer.newTag()));
        });
    }

    static Gb::ServerConfig serverConfig()
    {
        Gb::ServerConfig config;
        config.sipBindAddress = QHostAddress::LocalHost;
        config.queryOnRegister = false;
        return config;
    }

    Result<std::uint16_t> start()
    {
        if (auto started = m_transport.start(); !started)
            return std::unexpected(started.error());
        return m_transport.port();
    }

    QString statsLine() const
    {
        const Gb::RegistrarStats stats = m_registrar.stats();
        return u"registrar: %1 sessions, %2 registered, %3 refreshed, %4 unregistered, %5 challenged, %6 rejected, "
               u"%7 ignored, %8 other requests"_s.arg(stats.sessions)
            .arg(stats.registered)
            .arg(stats.refreshed)
            .arg(stats.unregistered)
            .arg(stats.challenged)
            .arg(stats.rejected)
            .arg(stats.ignored)
            .arg(m_otherRequests);
    }

private:
    Devices::DeviceRegistry m_registry;
    Devices::EventLog m_events;
    Transport::SipTransport m_transport;
    Sip::TransactionLayer m_layer;
    Gb::Registrar m_registrar;
    quint64 m_otherRequests = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions({
        {u"serve"_s, u"Run only the registrar."_s},
        {u"port"_s, u"Registrar port (0: any; default 0 in-process, 5060 with --serve)."_s, u"port"_s},
        {u"devices"_s, u"Simulated devices (default 5000)."_s, u"n"_s, u"5000"_s},
        {u"rate"_s, u"Registrations started per second (default 1000)."_s, u"n"_s, u"1000"_s},
        {u"duration"_s, u"Seconds to run (default 30)."_s, u"s"_s, u"30"_s},
        {u"keepalive"_s, u"Keepalive interval in seconds (default 10)."_s, u"s"_s, u"10"_s},
        {u"tcp"_s, u"SIP over TCP."_s},
    });
    parser.process(app);
    QLoggingCategory::setFilterRules(u"vigil.*.info=false\nvigil.*.debug=false"_s);

    const bool serve = parser.isSet(u"serve"_s);
    const auto port = std::uint16_t(parser.value(u"port"_s).toUInt());
    const int durationSec = parser.value(u"duration"_s).toInt();

    WorkerThread signalling(u"registrar"_s);
    RegistrarServer *server = signalling.create<RegistrarServer>(serve && !parser.isSet(u"port"_s) ? 5060 : port);
    const auto bound = signalling.run([server] { return server->start(); });
    if (!bound) {
        print(u"cannot start the registrar: "_s + bound.error().message);
        return 1;
    }

    QElapsedTimer clock;
    clock.start();
    if (serve) {
        print(u"registrar on 127.0.0.1:%1 (UDP and TCP), server ID 34020000002000000001, password 12345678"_s.arg(*bound));
        QTimer report;
        QObject::connect(&report, &QTimer::timeout, &app, [&] {
            print(u"[%1 s] "_s.arg(clock.elapsed() / 1000) + signalling.run([server] { return server->statsLine(); }));
        });
        report.start(1000);
        if (parser.isSet(u"duration"_s))
            QTimer::singleShot(durationSec * 1000, &app, &QCoreApplication::quit);
        return app.exec();
    }

    CamSim::SimulatorConfig config;
    config.server.address = QHostAddress::LocalHost;
    config.server.port = *bound;
    config.server.transport = parser.isSet(u"tcp"_s) ? Sip::TransportKind::Tcp : Sip::TransportKind::Udp;
    config.bindAddress = QHostAddress::LocalHost;
    config.deviceCount = parser.value(u"devices"_s).toInt();
    config.registrationsPerSec = parser.value(u"rate"_s).toDouble();
    config.timers.keepaliveIntervalSec = parser.value(u"keepalive"_s).toInt();
    config.mediaEnabled = false;

    CamSim::Simulator simulator(config);
    if (auto started = simulator.start(); !started) {
        print(u"cannot start the simulator: "_s + started.error().message);
        return 1;
    }
    QTimer report;
    QObject::connect(&report, &QTimer::timeout, &simulator, [&] {
        const CamSim::SimulatorStats interval = simulator.takeIntervalStats();
        print(u"[%1 s] +%2 registered (%3/%4), +%5 failed, +%6 keepalives (%7 answered)"_s.arg(clock.elapsed() / 1000)
                  .arg(interval.registrations)
                  .arg(simulator.stats().devicesRegistered)
                  .arg(interval.devicesTotal)
                  .arg(interval.registrationFailures)
                  .arg(interval.keepalivesSent)
                  .arg(interval.keepalivesAnswered));
    });
    report.start(1000);
    QTimer::singleShot(durationSec * 1000, &simulator, [&simulator] { simulator.stop(); });
    QObject::connect(&simulator, &CamSim::Simulator::stopped, &app, &QCoreApplication::quit);
    app.exec();

    const CamSim::SimulatorStats total = simulator.stats();
    print(u"devices %1, rate %2/s, %3, %4 s"_s.arg(config.deviceCount)
              .arg(config.registrationsPerSec)
              .arg(config.server.transport == Sip::TransportKind::Tcp ? u"TCP"_s : u"UDP"_s)
              .arg(durationSec));
    print(u"registrations: %1 ok, %2 failed, achieved %3/s (last 200 OK after %4 s)"_s.arg(total.registrations)
              .arg(total.registrationFailures)
              .arg(total.lastRegistrationSec > 0 ? double(total.registrations) / total.lastRegistrationSec : 0.0, 0, 'f', 1)
              .arg(total.lastRegistrationSec, 0, 'f', 2));
    const auto line = [](const char *name, const CamSim::LatencySamples::Summary &s) {
        print(u"%1: p50 %2 ms, p95 %3 ms, p99 %4 ms, max %5 ms (%6)"_s.arg(QLatin1StringView(name))
                  .arg(s.p50Ms, 0, 'f', 2)
                  .arg(s.p95Ms, 0, 'f', 2)
                  .arg(s.p99Ms, 0, 'f', 2)
                  .arg(s.maxMs, 0, 'f', 2)
                  .arg(s.count));
    };
    line("REGISTER round trip", total.registerRoundTrip);
    line("registration (with challenge)", total.registrationTime);
    line("keepalive round trip", total.keepaliveRoundTrip);
    print(u"keepalives: %1 sent (%2/s), %3 answered, %4 failed"_s.arg(total.keepalivesSent)
              .arg(double(total.keepalivesSent) / total.elapsedSec, 0, 'f', 1)
              .arg(total.keepalivesAnswered)
              .arg(total.keepalivesFailed));
    print(CamSim::Simulator::formatStats(total));
    print(signalling.run([server] { return server->statsLine(); }));
    return 0;
}
