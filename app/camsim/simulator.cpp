#include "simulator.h"

#include "camsimlog.h"
#include "lyingsink.h"
#include "mediaengine.h"
#include "simulateddevice.h"

#include <QFileInfo>

#include <algorithm>
#include <cmath>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#endif

using namespace Qt::StringLiterals;

namespace Vigil::CamSim {

namespace {

/// Open files kept free for media sockets, files and the platform's own needs.
constexpr qint64 kReservedFds = 256;

/// Raises the soft open-file limit to the hard one and returns the soft limit now in force.
qint64 raiseOpenFileLimit()
{
#ifdef Q_OS_UNIX
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 1024;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            limit = raised;
    }
    return limit.rlim_cur == RLIM_INFINITY ? qint64(1) << 20 : qint64(limit.rlim_cur);
#else
    return 2048;
#endif
}

QByteArray userPart(const Sip::UriView &uri)
{
    return uri.user.toByteArray();
}

/// Reads the main and sub clips (one source for both when they are the same file).
Result<MediaSources> openSources(const MediaFiles &files)
{
    auto main = MediaSource::open(files.video, files.audio);
    if (!main)
        return std::unexpected(main.error());
    qCInfo(lcCamsim).noquote() << u"media: %1"_s.arg((*main)->describe());
    if (files.subVideo == files.video)
        return MediaSources{*main, *main};
    auto sub = MediaSource::open(files.subVideo, files.audio);
    if (!sub)
        return fail(sub.error().code, Simulator::tr("Sub-stream clip (--sub-media): %1").arg(sub.error().message));
    qCInfo(lcCamsim).noquote() << u"sub-stream media: %1"_s.arg((*sub)->describe());
    return MediaSources{std::move(*main), std::move(*sub)};
}

} // namespace

Simulator::Simulator(SimulatorConfig config, QObject *parent) : QObject(parent), m_config(std::move(config))
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Simulator::onTimer);
    m_rateTimer.setInterval(5);
    connect(&m_rateTimer, &QTimer::timeout, this, &Simulator::startNextRegistrations);
}

Simulator::~Simulator()
{
    delete m_media; // its streams end before the devices they report to
    m_media = nullptr;
    m_groups.clear();
}

Result<void> Simulator::start()
{
    if (m_running)
        return {};
    if (auto valid = m_config.validate(); !valid)
        return valid;

    if (m_config.mediaEnabled) {
        const MediaFiles files = m_config.mediaFiles();
        if (files.video.isEmpty() && !m_config.subVideoPath.isEmpty()) {
            return fail(ErrorCode::InvalidArgument,
                        tr("--sub-media needs a main clip: give --media too (the demo clip %1 was not built).")
                            .arg(kDemoVideoFile));
        }
        if (files.video.isEmpty()) {
            qCWarning(lcCamsim).noquote() << u"no media: the demo clip %1 was not built (is ffmpeg installed?) and --media "
                                             u"was not given; INVITEs will be answered 488"_s.arg(kDemoVideoFile);
        } else {
            auto sources = openSources(files);
            if (!sources)
                return std::unexpected(sources.error());
            m_media = new MediaEngine(std::move(*sources), this);
            connect(m_media, &MediaEngine::prepared, this, [this](quint64 id, quint16 port) {
                if (SimulatedDevice *device = m_streamOwners.value(id))
                    device->streamPrepared(id, port);
            });
            connect(m_media, &MediaEngine::prepareFailed, this, [this](quint64 id, const QString &error) {
                if (SimulatedDevice *device = m_streamOwners.take(id))
                    device->streamPrepareFailed(id, error);
            });
            connect(m_media, &MediaEngine::ended, this, [this](quint64 id, const QString &reason, const StreamStats &stats) {
                if (SimulatedDevice *device = m_streamOwners.take(id))
                    device->streamEnded(id, reason, stats);
            });
        }
    }

    const QList<DeviceConfig> configs = m_config.deviceConfigs();
    if (auto opened = openGroups(configs); !opened) {
        m_groups.clear();
        m_devices.clear();
        return opened;
    }
    m_clock.start();
    m_totalCounters.sinceMs = 0;
    m_intervalCounters.sinceMs = 0;
    m_running = true;
    qCInfo(lcCamsim).noquote() << u"%1 devices (%2 channels) on %3 SIP sockets, registering to %4 %5 as %6%7"_s
                                      .arg(m_devices.size())
                                      .arg(m_byId.size() - qsizetype(m_devices.size()))
                                      .arg(m_groups.size())
                                      .arg(m_config.server.transport == Sip::TransportKind::Tcp ? u"TCP"_s : u"UDP"_s,
                                           m_groups.front()->server.hostPort(), QString::fromLatin1(m_config.server.serverId))
                                      .arg(m_config.registrationsPerSec > 0
                                               ? u" at %1 registrations/s"_s.arg(m_config.registrationsPerSec)
                                               : QString());
    startNextRegistrations();
    if (m_started < int(m_devices.size()))
        m_rateTimer.start();
    return {};
}

Result<void> Simulator::openGroups(const QList<DeviceConfig> &configs)
{
    const bool tcp = m_config.server.transport == Sip::TransportKind::Tcp;
    int perSocket = m_config.devicesPerSocket;
    const qint64 fdLimit = raiseOpenFileLimit();
    if (perSocket <= 0) {
        // UDP: one socket per group. TCP: a listener plus the connection to the platform.
        const qint64 fdsPerGroup = tcp ? 2 : 1;
        const qint64 budget = std::max<qint64>(fdLimit - kReservedFds, 16);
        perSocket = int(std::max<qint64>(1, (qint64(configs.size()) * fdsPerGroup + budget - 1) / budget));
        if (perSocket > 1)
            qCWarning(lcCamsim).noquote() << u"the open-file limit (%1) allows no socket per device: %2 devices share each "
                                             u"socket, which the platform sees as one NATed site"_s.arg(fdLimit)
                                                 .arg(perSocket);
    }

    m_devices.reserve(std::size_t(configs.size()));
    for (qsizetype first = 0; first < configs.size(); first += perSocket) {
        auto group = std::make_unique<SocketGroup>();
        if (auto opened = openGroup(*group, std::uint16_t(m_groups.size())); !opened)
            return opened;
        const qsizetype end = std::min<qsizetype>(first + perSocket, configs.size());
        for (qsizetype i = first; i < end; ++i) {
            auto device = std::make_unique<SimulatedDevice>(configs.at(i), int(m_devices.size()), *this, *group);
            SimulatedDevice *raw = device.get();
            group->devices.append(raw);
            group->targets.insert(raw->id().toByteArray(), raw);
            m_byId.insert(raw->id().toByteArray(), raw);
            for (const ChannelConfig &channel : raw->config().channels) {
                group->targets.insert(channel.id.toByteArray(), raw);
                m_byId.insert(channel.id.toByteArray(), raw);
            }
            m_devices.push_back(std::move(device));
        }
        m_groups.push_back(std::move(group));
    }
    m_total.devicesTotal = int(m_devices.size());
    return {};
}

Result<void> Simulator::openGroup(SocketGroup &group, std::uint16_t localSocket)
{
    const bool tcp = m_config.server.transport == Sip::TransportKind::Tcp;
    Transport::SipTransportConfig config;
    config.bindAddress = m_config.bindAddress;
    config.port = 0;
    config.udpEnabled = !tcp;
    config.tcpEnabled = tcp;
    config.advertisedHost = m_config.advertisedHost;
    config.udpReceiveBufferBytes = 256 * 1024; // a device's traffic is small; thousands of sockets add up
    config.maxTcpConnections = 64;
    config.tcpIdleTimeoutSec = 0; // the device keeps its connection to the platform
    config.localSocket = localSocket;
    group.transport = std::make_unique<Transport::SipTransport>(config);
    if (auto started = group.transport->start(); !started)
        return fail(started.error().code, tr("Cannot open a SIP socket for the simulated devices: %1").arg(started.error().message));

    group.sink = group.transport.get();
    if (m_config.faults.lyingContentLength && !tcp) {
        group.lyingSink = std::make_unique<LyingContentLengthSink>(*group.transport);
        group.sink = group.lyingSink.get();
    }
    group.layer = std::make_unique<Sip::TransactionLayer>(*group.sink);
    group.server = Sip::Peer{m_config.server.address, m_config.server.port,
                             tcp ? Sip::TransportKind::Tcp : Sip::TransportKind::Udp, 0, localSocket};

    SocketGroup *g = &group;
    Sip::TransactionLayer *layer = group.layer.get();
    group.transport->setMessageHandler([layer](const Sip::SipMessage &message, const Sip::Peer &peer) {
        layer->receive(message, peer);
    });
    const auto closed = [this, g](const Sip::Peer &peer) {
        g->layer->connectionClosed(peer);
        if (!m_stopping) {
            for (SimulatedDevice *device : std::as_const(g->devices))
                device->connectionClosed();
        }
    };
    connect(group.transport.get(), &Transport::SipTransport::connectionClosed, this,
            [closed](const Sip::Peer &peer, const QString &) { closed(peer); });
    connect(group.transport.get(), &Transport::SipTransport::connectFailed, this,
            [g](const Sip::Peer &peer, const QString &) { g->layer->connectionClosed(peer); });

    layer->setRequestHandler([this, g](const Sip::IncomingRequest &request) { dispatchRequest(*g, request); });
    layer->setAckHandler([this, g](const Sip::SipMessage &ack, const Sip::Peer &) {
        if (SimulatedDevice *device = targetOf(*g, ack))
            device->handleAck(ack);
    });
    layer->setCancelHandler([this, g](const Sip::IncomingRequest &request) {
        if (SimulatedDevice *device = targetOf(*g, request.message()))
            device->handleCancel(request);
    });
    layer->setAckTimeoutHandler([this, g](const Sip::IncomingRequest &request) {
        if (SimulatedDevice *device = targetOf(*g, request.message()))
            device->handleAckTimeout(request);
    });
    layer->setStrayResponseHandler([](const Sip::SipMessage &response, const Sip::Peer &peer) {
        qCDebug(lcCamsim).noquote() << u"stray %1 response from %2"_s.arg(response.statusCode()).arg(peer.toString());
    });
    return {};
}

SimulatedDevice *Simulator::targetOf(const SocketGroup &group, const Sip::SipMessage &message) const
{
    if (SimulatedDevice *device = group.targets.value(userPart(message.requestUri())))
        return device;
    if (SimulatedDevice *device = group.targets.value(userPart(message.to().uri)))
        return device;
    // A device alone on its socket answers whatever reaches it, as a real one would.
    return group.devices.size() == 1 ? group.devices.front() : nullptr;
}

void Simulator::dispatchRequest(SocketGroup &group, const Sip::IncomingRequest &request)
{
    if (SimulatedDevice *device = targetOf(group, request.message())) {
        device->handleRequest(request);
        return;
    }
    auto response = Sip::MessageBuilder::responseTo(request.message(), 404, group.layer->newTag());
    (void)group.layer->respond(request, std::move(response));
}

void Simulator::startNextRegistrations()
{
    if (!m_running || m_stopping) {
        m_rateTimer.stop();
        return;
    }
    const auto total = int(m_devices.size());
    int target = total;
    if (m_config.registrationsPerSec > 0) {
        const double allowed = double(nowMs()) / 1000.0 * m_config.registrationsPerSec + 1.0;
        target = int(std::min<double>(total, std::floor(allowed)));
    }
    while (m_started < target)
        m_devices[std::size_t(m_started++)]->start();
    if (m_started >= total)
        m_rateTimer.stop();
}

void Simulator::stop()
{
    if (!m_running || m_stopping)
        return;
    m_stopping = true;
    m_rateTimer.stop();
    m_pendingUnregisters = int(m_devices.size()) + 1;
    const auto oneDone = [this] {
        if (--m_pendingUnregisters == 0)
            finishStop();
    };
    for (const auto &device : m_devices)
        device->unregister(oneDone);
    oneDone();
    if (m_running)
        QTimer::singleShot(m_config.timers.unregisterTimeoutMs, this, &Simulator::finishStop);
}

void Simulator::finishStop()
{
    if (!m_running)
        return;
    m_running = false;
    m_timer.stop();
    delete m_media;
    m_media = nullptr;
    qCInfo(lcCamsim).noquote() << u"stopped: %1"_s.arg(formatStats(stats()));
    Q_EMIT stopped();
}

SimulatedDevice *Simulator::device(QByteArrayView deviceId) const
{
    SimulatedDevice *device = m_byId.value(deviceId.toByteArray());
    return device && device->id().view() == deviceId ? device : nullptr;
}

const PtzState *Simulator::ptz(QByteArrayView channelId) const
{
    SimulatedDevice *device = m_byId.value(channelId.toByteArray());
    return device ? device->ptz(QString::fromLatin1(channelId)) : nullptr;
}

std::uint16_t Simulator::sipPort(QByteArrayView deviceId) const
{
    for (const auto &group : m_groups) {
        if (group->targets.contains(deviceId.toByteArray()))
            return group->transport->port();
    }
    return 0;
}

QByteArray Simulator::localHost(const SocketGroup &group) const
{
    const QByteArray sentBy = group.transport->viaSentBy(group.server);
    const qsizetype colon = sentBy.lastIndexOf(':');
    QByteArray host = colon > 0 ? sentBy.left(colon) : sentBy;
    if (host.startsWith('[') && host.endsWith(']'))
        host = host.mid(1, host.size() - 2);
    return host;
}

void Simulator::registerStream(std::uint64_t streamId, SimulatedDevice &device)
{
    m_streamOwners.insert(streamId, &device);
}

// ---------------------------------------------------------------------------------------------
// Timers

void Simulator::schedule(SimulatedDevice &device, int kind, qint64 dueMs)
{
    m_heap.push(TimerEntry{dueMs, device.index(), kind});
    armTimer();
}

void Simulator::armTimer()
{
    if (m_heap.empty()) {
        m_timer.stop();
        m_armedDueMs = -1;
        return;
    }
    const qint64 due = m_heap.top().dueMs;
    if (m_timer.isActive() && m_armedDueMs <= due)
        return;
    m_armedDueMs = due;
    m_timer.start(int(std::clamp<qint64>(due - nowMs(), 0, 24 * 3600 * 1000)));
}

void Simulator::onTimer()
{
    m_armedDueMs = -1;
    const qint64 now = nowMs();
    // Bounded per pass so that a backlog (thousands of devices due at once) cannot starve the
    // sockets: what is left runs on the next pass, a few microseconds later.
    for (int fired = 0; fired < 2000 && !m_heap.empty() && m_heap.top().dueMs <= now; ++fired) {
        const TimerEntry entry = m_heap.top();
        m_heap.pop();
        if (entry.device >= 0 && std::size_t(entry.device) < m_devices.size())
            m_devices[std::size_t(entry.device)]->fireTimer(SimulatedDevice::TimerKind(entry.kind), entry.dueMs);
    }
    armTimer();
}

// ---------------------------------------------------------------------------------------------
// Statistics

void Simulator::noteRegisterRoundTrip(qint64 micros)
{
    m_totalCounters.registerRoundTrip.add(micros);
    m_intervalCounters.registerRoundTrip.add(micros);
}

void Simulator::noteRegistered(SimulatedDevice &device, bool refresh, qint64 registrationMicros)
{
    if (refresh) {
        ++m_total.refreshes;
        ++m_interval.refreshes;
        return;
    }
    ++m_total.registrations;
    ++m_interval.registrations;
    const double atSec = double(nowMs()) / 1000.0;
    m_total.lastRegistrationSec = atSec - double(m_totalCounters.sinceMs) / 1000.0;
    m_interval.lastRegistrationSec = atSec - double(m_intervalCounters.sinceMs) / 1000.0;
    m_totalCounters.registrationTime.add(registrationMicros);
    m_intervalCounters.registrationTime.add(registrationMicros);
    Q_EMIT deviceRegistered(device.id().toString());
}

void Simulator::noteRegistrationFailed(SimulatedDevice &device, const QString &cause, const QString &detail)
{
    ++m_total.registrationFailures;
    ++m_interval.registrationFailures;
    ++m_total.failuresByCause[cause];
    ++m_interval.failuresByCause[cause];
    Q_EMIT registrationFailed(device.id().toString(), cause, detail);
}

void Simulator::noteUnregistered(SimulatedDevice &device)
{
    ++m_total.unregistrations;
    ++m_interval.unregistrations;
    Q_EMIT deviceUnregistered(device.id().toString());
}

void Simulator::noteKeepalive(int outcome, qint64 micros)
{
    for (Counters *counters : {&m_totalCounters, &m_intervalCounters}) {
        switch (outcome) {
        case 0: ++counters->counts.keepalivesSent; break;
        case 1:
            ++counters->counts.keepalivesAnswered;
            counters->keepaliveRoundTrip.add(micros);
            break;
        case 2: ++counters->counts.keepalivesFailed; break;
        default: ++counters->counts.keepalivesSkipped; break;
        }
    }
}

void Simulator::noteQueryAnswered(qint64 responseMessages)
{
    ++m_total.queriesAnswered;
    ++m_interval.queriesAnswered;
    m_total.responseMessagesSent += responseMessages;
    m_interval.responseMessagesSent += responseMessages;
}

void Simulator::notePtz(SimulatedDevice &, const QString &channelId, const QByteArray &hex, const QString &description)
{
    ++m_total.ptzCommands;
    ++m_interval.ptzCommands;
    Q_EMIT ptzCommandApplied(channelId, hex, description);
}

void Simulator::noteInvite()
{
    ++m_total.invites;
    ++m_interval.invites;
}

void Simulator::noteStreamStarted(SimulatedDevice &, const QString &channelId)
{
    ++m_total.streamsStarted;
    ++m_interval.streamsStarted;
    Q_EMIT streamStarted(channelId);
}

void Simulator::noteStreamEnded(SimulatedDevice &, const QString &channelId, const QString &reason, const StreamStats &stats)
{
    ++m_total.streamsEnded;
    ++m_interval.streamsEnded;
    Q_EMIT streamEnded(channelId, reason, stats);
}

SimulatorStats Simulator::snapshot(const Counters &counters) const
{
    SimulatorStats stats = counters.counts;
    stats.registerRoundTrip = counters.registerRoundTrip.summary();
    stats.registrationTime = counters.registrationTime.summary();
    stats.keepaliveRoundTrip = counters.keepaliveRoundTrip.summary();
    stats.devicesRegistered = int(std::count_if(m_devices.cbegin(), m_devices.cend(),
                                                [](const auto &device) { return device->isRegistered(); }));
    stats.devicesTotal = int(m_devices.size());
    stats.activeStreams = m_media ? m_media->streamCount() : 0;
    stats.elapsedSec = double(nowMs() - counters.sinceMs) / 1000.0;
    return stats;
}

SimulatorStats Simulator::stats() const
{
    return snapshot(m_totalCounters);
}

SimulatorStats Simulator::takeIntervalStats()
{
    const SimulatorStats stats = snapshot(m_intervalCounters);
    m_intervalCounters = Counters{};
    m_intervalCounters.sinceMs = nowMs();
    return stats;
}

QString Simulator::formatStats(const SimulatorStats &stats)
{
    QString text = u"%1/%2 registered, %3 registrations, %4 refreshes, %5 failed"_s.arg(stats.devicesRegistered)
                       .arg(stats.devicesTotal)
                       .arg(stats.registrations)
                       .arg(stats.refreshes)
                       .arg(stats.registrationFailures);
    if (!stats.failuresByCause.isEmpty()) {
        QStringList causes;
        for (auto it = stats.failuresByCause.cbegin(); it != stats.failuresByCause.cend(); ++it)
            causes.append(u"%1: %2"_s.arg(it.key()).arg(it.value()));
        text += u" ("_s + causes.join(u", "_s) + u')';
    }
    text += u"; keepalives %1 sent, %2 answered, %3 failed"_s.arg(stats.keepalivesSent)
                .arg(stats.keepalivesAnswered)
                .arg(stats.keepalivesFailed);
    if (stats.keepalivesSkipped)
        text += u", %1 left out"_s.arg(stats.keepalivesSkipped);
    text += u"; %1 queries answered, %2 PTZ commands, %3 INVITEs, %4 streams now"_s.arg(stats.queriesAnswered)
                .arg(stats.ptzCommands)
                .arg(stats.invites)
                .arg(stats.activeStreams);
    return text;
}

} // namespace Vigil::CamSim
