#include "gbservice.h"

#include "gb28181/mediasessions.h"

#include "common/logging.h"
#include "common/workerthread.h"
#include "sip/text.h"

#include <QMetaMethod>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Vigil::Gb {

namespace {

constexpr int kQueryTimeoutMs = 30000;        ///< from our MESSAGE to the device's Response
constexpr int kMaxBackgroundQueries = 256;    ///< queries after registrations in flight at once

Devices::Channel toChannel(const CatalogItem &item)
{
    Devices::Channel c;
    c.id = item.deviceId.text();
    c.name = item.name;
    c.kind = Devices::Channel::kindOf(c.id);
    c.manufacturer = item.manufacturer;
    c.model = item.model;
    c.owner = item.owner;
    c.civilCode = item.civilCode;
    c.block = item.block;
    c.address = item.address;
    c.parentId = item.parentIds.isEmpty() ? QString() : item.parentIds.constFirst();
    c.businessGroupId = item.businessGroupId;
    c.parental = item.parental.value_or(false);
    c.online = item.isOnline();
    c.ptzType = item.ptzType.value_or(0);
    c.longitude = item.longitude;
    c.latitude = item.latitude;
    c.ipAddress = item.ipAddress;
    c.port = item.port.value_or(0);
    return c;
}

QString queryName(CmdType cmdType)
{
    return QString::fromLatin1(cmdTypeName(cmdType));
}

} // namespace

/// A SipWorker and the thread it lives on.
struct GbService::Worker {
    explicit Worker(int index)
        : thread(QStringLiteral("vigil-sip%1").arg(index))
    {
    }
    WorkerThread thread;
    SipWorker *worker = nullptr; ///< lives on `thread`
};

GbService::GbService(const ServerConfig &config, Devices::DeviceRegistry &registry, Devices::EventLog &events,
                     QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_registry(registry)
    , m_events(events)
{
    m_clock.start();
    Transport::SipTransportConfig transportConfig;
    transportConfig.bindAddress = config.sipBindAddress;
    transportConfig.port = config.sipPort;
    if (config.sipThreads > 1)
        transportConfig.portSharing = Transport::PortSharing::ReusePort;
    m_transport = std::make_unique<Transport::SipTransport>(transportConfig);
    m_transactions = std::make_unique<Sip::TransactionLayer>(*m_transport);
    m_registrar = std::make_unique<Registrar>(config, *m_transactions, registry, events);

    m_transport->setMessageHandler([this](const Sip::SipMessage &message, const Sip::Peer &peer) {
        m_transactions->receive(message, peer);
    });
    connect(m_transport.get(), &Transport::SipTransport::connectionClosed, this,
            [this](const Sip::Peer &peer, const QString &) {
                m_transactions->connectionClosed(peer);
                m_registrar->connectionClosed(peer);
            });
    m_transactions->setRequestHandler([this](const Sip::IncomingRequest &request) { onRequest(request); });

    Registrar::Hooks hooks;
    hooks.freshRegistration = [this](const DeviceId &device) { onFreshRegistration(device); };
    hooks.probe = [this](const DeviceId &device) { onProbe(device); };
    hooks.wentOffline = [this](const DeviceId &device, Devices::OfflineReason reason) { onOffline(device, reason); };
    m_registrar->setHooks(std::move(hooks));

    m_media = std::make_unique<MediaSessions>(*this);
    // A 200 OK to an INVITE that comes again after its transaction ended (our ACK was lost).
    m_transactions->setStrayResponseHandler(
        [this](const Sip::SipMessage &response, const Sip::Peer &peer) { m_media->handleStrayResponse(response, peer); });

    m_tickTimer = new QTimer(this);
    m_tickTimer->setInterval(500);
    connect(m_tickTimer, &QTimer::timeout, this, &GbService::tick);
}

GbService::~GbService()
{
    stop();
}

Result<void> GbService::start()
{
    if (auto ok = m_transport->start(); !ok)
        return ok;
    m_registrar->restoreSessions();
    if (auto ok = startWorkers(); !ok) {
        stop();
        return ok;
    }
    m_tickTimer->start();
    qCInfo(lcGb) << "GB/T 28181 server" << m_config.serverId.toString() << "listening on port" << m_transport->port();
    return {};
}

void GbService::stop()
{
    if (m_media)
        m_media->closeAll(); // BYE while the sockets are still open: devices stop sending
    stopWorkers();
    if (m_tickTimer)
        m_tickTimer->stop();
    if (m_transport)
        m_transport->stop();
}

Result<void> GbService::reconfigure(const ServerConfig &config)
{
    if (auto ok = config.validate(); !ok)
        return ok;
    const bool rebind = config.sipBindAddress != m_config.sipBindAddress || config.sipPort != m_config.sipPort;
    // SIP threads share the port and read the registrar's settings: they stop while both change.
    const bool rethread = rebind || config.sipThreads != m_config.sipThreads || !m_workers.empty();
    if (rethread)
        stopWorkers();
    if (rebind) {
        const Transport::SipTransportConfig previous = m_transport->config();
        Transport::SipTransportConfig next = previous;
        next.bindAddress = config.sipBindAddress;
        next.port = config.sipPort;
        m_transport->stop();
        m_transport->setConfig(next);
        if (auto started = m_transport->start(); !started) {
            m_transport->setConfig(previous);
            if (auto restored = m_transport->start(); !restored)
                qCWarning(lcGb) << "could not re-open the previous SIP sockets:" << restored.error().message;
            else if (auto workers = startWorkers(); !workers)
                qCWarning(lcGb) << "could not start the SIP threads again:" << workers.error().message;
            return started;
        }
    }
    m_config = config;
    m_registrar->setConfig(config);
    m_media->reconfigure();
    if (rethread) {
        if (auto workers = startWorkers(); !workers) {
            // Answering on the signalling thread alone still serves every device.
            stopWorkers();
            qCWarning(lcGb) << "SIP threads not started:" << workers.error().message;
        }
    }
    qCInfo(lcGb) << "configuration applied; SIP port" << m_transport->port();
    return {};
}

Result<void> GbService::startWorkers()
{
    if (m_config.sipThreads <= 1 || !m_transport->config().udpEnabled)
        return {};
    if (!Transport::SipTransport::canSharePort()) {
        qCWarning(lcGb) << "SIP threads need SO_REUSEPORT (Linux); answering SIP on one thread";
        return {};
    }
    Transport::SipTransportConfig config = m_transport->config();
    config.port = m_transport->port();
    config.tcpEnabled = false; // connections stay with the signalling thread's listener
    config.portSharing = Transport::PortSharing::ReusePort;
    SipWorker::Handoff handoff;
    // Both run on a worker thread and only queue work for this one.
    handoff.message = [this](const Sip::SipMessage &message, const Sip::Peer &peer) {
        QMetaObject::invokeMethod(
            this, [this, message, peer] { m_transactions->receive(message, peer); }, Qt::QueuedConnection);
    };
    handoff.body = [this](const DeviceId &device, ManscdpMessage body) {
        QMetaObject::invokeMethod(
            this, [this, device, body = std::move(body)] { handleBody(device, body); }, Qt::QueuedConnection);
    };
    for (int index = 1; index < m_config.sipThreads; ++index) {
        auto worker = std::make_unique<Worker>(index);
        config.localSocket = std::uint16_t(index);
        worker->worker = worker->thread.create<SipWorker>(config, *m_registrar, m_registry, handoff);
        SipWorker *sipWorker = worker->worker;
        if (auto ok = worker->thread.run([sipWorker] { return sipWorker->start(); }); !ok)
            return ok;
        m_workers.push_back(std::move(worker));
    }
    qCInfo(lcGb) << "SIP over UDP on" << m_config.sipThreads << "threads sharing port" << m_transport->port();
    return {};
}

void GbService::stopWorkers()
{
    for (auto &worker : m_workers) {
        SipWorker *sipWorker = worker->worker;
        worker->thread.run([sipWorker] { sipWorker->stop(); });
        worker->thread.stop();
    }
    m_workers.clear();
}

std::uint16_t GbService::sipPort() const
{
    return m_transport->port();
}

GbServiceStats GbService::stats() const
{
    GbServiceStats s = m_stats;
    s.registrar = m_registrar->stats();
    s.transactions = m_transactions->stats();
    s.transport = m_transport->stats();
    s.queriesQueued = m_backgroundQueue.size();
    for (const auto &worker : m_workers) {
        s.keepalives += worker->worker->keepalives();
        s.badBodies += worker->worker->badBodies();
    }
    return s;
}

Error GbService::deviceOffline(const DeviceId &device) const
{
    return Error{ErrorCode::NotFound,
                 tr("Device %1 is not registered; check that it is online and points at this server.")
                     .arg(device.toString())};
}

ManscdpBuilder GbService::builderFor(const DeviceId &device) const
{
    const auto settings = m_registry.settings(device);
    const bool utf8 = settings && settings->charset == CharsetOverride::Utf8;
    return ManscdpBuilder(utf8 ? TextEncoding::Utf8 : TextEncoding::Gb18030);
}

QByteArray GbService::fromHeader()
{
    return "<sip:" + m_config.serverId.toByteArray() + '@' + m_config.domain.toLatin1() + ">;tag="
        + m_transactions->newTag();
}

void GbService::respond(const Sip::IncomingRequest &request, int code)
{
    auto response = Sip::MessageBuilder::responseTo(request.message(), code, m_transactions->newTag());
    if (code == 405)
        response.add(Sip::HeaderId::Allow, "REGISTER, MESSAGE, NOTIFY, OPTIONS, INVITE, ACK, BYE, CANCEL, INFO");
    if (auto sent = m_transactions->respond(request, std::move(response)); !sent)
        qCDebug(lcGb) << "could not answer" << request.message().methodText() << "from" << request.peer().toString()
                      << sent.error().message;
}

void GbService::onRequest(const Sip::IncomingRequest &request)
{
    const Sip::SipMessage &message = request.message();
    switch (message.method()) {
    case Sip::Method::Register:
        m_registrar->handleRegister(request);
        return;
    case Sip::Method::Options:
        respond(request, 200);
        return;
    case Sip::Method::Message:
    case Sip::Method::Notify: {
        const auto device = m_registrar->admit(request);
        if (!device) {
            // Unknown or not registered: 404 makes a device register again. A stranger gets the
            // same answer whatever ID it uses.
            respond(request, 404);
            return;
        }
        if (message.method() == Sip::Method::Message)
            onMessage(request, *device);
        else
            onNotify(request, *device);
        return;
    }
    case Sip::Method::Bye:
    case Sip::Method::Info:
        // In one of our stream dialogs, or for a dialog that no longer exists (RFC 3261 15.1.2).
        if (!m_media->handleRequest(request))
            respond(request, 481);
        return;
    case Sip::Method::Invite:
        if (isSignalConnected(QMetaMethod::fromSignal(&GbService::mediaRequest))) {
            if (const auto device = m_registrar->admit(request)) {
                Q_EMIT mediaRequest(request);
                return;
            }
            respond(request, 404);
            return;
        }
        respond(request, 488);
        return;
    default:
        respond(request, 405);
        return;
    }
}

void GbService::onMessage(const Sip::IncomingRequest &request, const DeviceId &device)
{
    // The SIP answer only means "received"; the business answer, if any, is a MESSAGE of its own.
    respond(request, 200);
    const auto settings = m_registry.settings(device);
    auto body = ManscdpMessage::parse(request.message().body(),
                                      settings ? settings->charset : CharsetOverride::Auto);
    if (!body) {
        ++m_stats.badBodies;
        qCDebug(lcGb) << "MESSAGE from" << device.toString() << "has no usable MANSCDP body:" << body.error().message;
        return;
    }
    handleBody(device, *body);
}

void GbService::onNotify(const Sip::IncomingRequest &request, const DeviceId &device)
{
    respond(request, 200);
    const auto settings = m_registry.settings(device);
    auto body = ManscdpMessage::parse(request.message().body(),
                                      settings ? settings->charset : CharsetOverride::Auto);
    if (!body) {
        ++m_stats.badBodies;
        return;
    }
    handleBody(device, *body);
}

void GbService::handleBody(const DeviceId &device, const ManscdpMessage &body)
{
    const Envelope &envelope = body.envelope;
    switch (envelope.cmdType) {
    case CmdType::Keepalive:
        ++m_stats.keepalives; // liveness was noted when the request was admitted
        return;
    case CmdType::Catalog:
        handleCatalog(device, body);
        return;
    case CmdType::Alarm:
        if (envelope.messageClass == MessageClass::Notify) {
            if (const auto *alarm = body.get<AlarmNotify>()) {
                m_events.add(Devices::EventKind::Info, device.toString(),
                             {tr("Alarm from %1: %2").arg(envelope.deviceId.text(), alarm->description)});
            }
            const GbId target = envelope.deviceId.isWellFormed() ? GbId(envelope.deviceId.id()) : GbId(device);
            sendMessage(device, target, builderFor(device).responseAlarm(target, envelope.sn), {});
        }
        return;
    default:
        break;
    }
    if (envelope.messageClass == MessageClass::Response) {
        const auto it = m_queries.constFind(envelope.sn);
        if (it != m_queries.constEnd() && it->device == device && it->cmdType == envelope.cmdType)
            finishQuery(envelope.sn, body);
        else
            qCDebug(lcGb) << "unsolicited or late" << envelope.cmdTypeText << "response from" << device.toString()
                          << "SN" << envelope.sn;
        if (envelope.cmdType == CmdType::DeviceInfo) {
            // Late answers still update what we know.
            if (const auto *info = body.get<DeviceInfoResponse>())
                m_registry.setDeviceInfo(device, info->deviceName, info->manufacturer, info->model, info->firmware,
                                         info->channel.value_or(0));
        }
    }
}

void GbService::handleCatalog(const DeviceId &device, const ManscdpMessage &body)
{
    const auto *list = body.get<CatalogList>();
    if (!list)
        return;
    if (body.envelope.messageClass == MessageClass::Notify) {
        // Catalog subscription NOTIFY: each item carries its event.
        QList<Devices::Channel> upserts;
        QStringList removals;
        for (const CatalogItem &item : list->items) {
            switch (item.event) {
            case CatalogEvent::Delete:
                removals.append(item.deviceId.text());
                break;
            case CatalogEvent::On:
            case CatalogEvent::Off:
            case CatalogEvent::VideoLost:
            case CatalogEvent::Defect:
                m_registry.setChannelOnline(device, item.deviceId.text(), item.event == CatalogEvent::On);
                break;
            default:
                upserts.append(toChannel(item));
                break;
            }
        }
        if (!upserts.isEmpty())
            m_registry.mergeChannels(device, upserts);
        if (!removals.isEmpty())
            m_registry.removeChannels(device, removals);
        return;
    }
    QList<Devices::Channel> channels;
    channels.reserve(list->items.size());
    for (const CatalogItem &item : list->items)
        channels.append(toChannel(item));
    if (auto result = m_catalogs.add(device, int(body.envelope.sn), list->sumNum.value_or(int(channels.size())),
                                     channels, nowMs()))
        applyCatalog(*result);
}

void GbService::applyCatalog(const CatalogCollector::Result &result)
{
    if (result.replacesChannelSet()) {
        m_registry.replaceChannels(result.device, result.channels);
        ++m_stats.catalogSyncs;
        m_events.add(Devices::EventKind::CatalogSynced, result.device.toString(),
                     {QString::number(result.channels.size())});
    } else {
        m_registry.mergeChannels(result.device, result.channels);
        if (result.solicited)
            m_events.add(Devices::EventKind::CatalogIncomplete, result.device.toString(),
                         {QString::number(result.channels.size()), QString::number(result.expected)});
    }
    if (result.solicited) {
        if (auto done = m_catalogWaiters.take(std::uint32_t(result.sn)).done; done) {
            if (result.complete || !result.channels.isEmpty())
                done(int(result.channels.size()));
            else
                done(std::unexpected(Error{ErrorCode::Timeout,
                                           tr("Device %1 did not send its catalog; check that it is online.")
                                               .arg(result.device.toString())}));
        }
    }
}

Result<void> GbService::sendMessage(const DeviceId &device, const GbId &target, const ManscdpBody &body,
                                    std::function<void(Result<void>)> done)
{
    const auto route = m_registrar->route(device);
    if (!route)
        return std::unexpected(deviceOffline(device));
    const QByteArray uri = "sip:" + target.toByteArray() + '@' + route->hostPort().toLatin1();
    auto request = Sip::MessageBuilder::request(Sip::Method::Message, uri);
    request.add(Sip::HeaderId::From, fromHeader());
    request.add(Sip::HeaderId::To, QByteArray("<sip:" + target.toByteArray() + '@' + m_config.domain.toLatin1() + '>'));
    request.add(Sip::HeaderId::CallId, m_transactions->newCallId());
    request.add(Sip::HeaderId::CSeq, QByteArray(QByteArray::number(m_nextCSeq++) + " MESSAGE"));
    request.add(Sip::HeaderId::MaxForwards, "70");
    request.add(Sip::HeaderId::UserAgent, "Vigil");
    request.setBody(body.bytes, ManscdpBody::contentType());
    const QString deviceText = device.toString();
    auto sent = m_transactions->sendRequest(
        std::move(request), *route,
        [this, device, done = std::move(done), deviceText](const Sip::ClientEvent &event) {
            using Kind = Sip::ClientEvent::Kind;
            if (event.kind == Kind::Provisional)
                return;
            if (event.kind == Kind::Final) {
                m_registrar->noteAlive(device, event.peer); // any answer is a sign of life
                if (event.response.statusCode() < 300) {
                    if (done)
                        done({});
                } else if (done) {
                    done(std::unexpected(Error{ErrorCode::Rejected,
                                               tr("Device %1 answered %2 %3.")
                                                   .arg(deviceText)
                                                   .arg(event.response.statusCode())
                                                   .arg(QString::fromUtf8(event.response.reasonPhrase()))}));
                }
                return;
            }
            if (done)
                done(std::unexpected(Error{event.kind == Kind::Timeout ? ErrorCode::Timeout : ErrorCode::IoError,
                                           event.kind == Kind::Timeout
                                               ? tr("Device %1 did not answer.").arg(deviceText)
                                               : tr("Could not reach device %1.").arg(deviceText)}));
        });
    if (!sent)
        return std::unexpected(sent.error());
    return {};
}

std::uint32_t GbService::nextSn()
{
    if (m_nextSn == 0) // requesters use positive SNs
        m_nextSn = 1;
    return m_nextSn++;
}

void GbService::runBackground(std::function<void(std::function<void()> finished)> work)
{
    auto start = [this, work = std::move(work)]() {
        ++m_backgroundInFlight;
        auto finished = std::make_shared<bool>(false);
        work([this, finished] {
            if (std::exchange(*finished, true))
                return;
            --m_backgroundInFlight;
            pumpBackground();
        });
    };
    if (m_backgroundInFlight < kMaxBackgroundQueries)
        start();
    else
        m_backgroundQueue.push_back(std::move(start));
}

void GbService::pumpBackground()
{
    while (m_backgroundInFlight < kMaxBackgroundQueries && !m_backgroundQueue.empty()) {
        auto next = std::move(m_backgroundQueue.front());
        m_backgroundQueue.pop_front();
        next();
    }
}

void GbService::startQuery(const DeviceId &device, CmdType cmdType, std::function<void(Result<ManscdpMessage>)> done)
{
    const std::uint32_t sn = nextSn();
    const ManscdpBuilder builder = builderFor(device);
    ManscdpBody body;
    switch (cmdType) {
    case CmdType::DeviceInfo: body = builder.queryDeviceInfo(device, sn); break;
    case CmdType::DeviceStatus: body = builder.queryDeviceStatus(device, sn); break;
    default: Q_ASSERT_X(false, "GbService::startQuery", "unsupported query"); return;
    }
    m_queries.insert(sn, PendingQuery{device, cmdType, nowMs() + kQueryTimeoutMs, std::move(done)});
    ++m_stats.queriesSent;
    auto sent = sendMessage(device, device, body, [this, sn](Result<void> result) {
        if (!result)
            finishQuery(sn, std::unexpected(result.error()));
    });
    if (!sent)
        finishQuery(sn, std::unexpected(sent.error()));
}

void GbService::finishQuery(std::uint32_t sn, Result<ManscdpMessage> result)
{
    auto it = m_queries.find(sn);
    if (it == m_queries.end())
        return;
    PendingQuery pending = std::move(it.value());
    m_queries.erase(it);
    if (!result) {
        ++m_stats.queriesFailed;
        if (pending.cmdType != CmdType::Catalog) // catalog failures are reported by the sync
            m_events.add(Devices::EventKind::QueryFailed, pending.device.toString(),
                         {queryName(pending.cmdType), result.error().message});
    }
    if (pending.done)
        pending.done(std::move(result));
}

void GbService::startCatalogSync(const DeviceId &device, Done<int> done)
{
    // The answer arrives as Response MESSAGEs collected by SN (handleCatalog); the MESSAGE's
    // own outcome only tells whether the device took the query.
    const std::uint32_t sn = nextSn();
    m_catalogs.expect(device, int(sn), nowMs());
    m_catalogWaiters.insert(sn, CatalogWaiter{device, std::move(done)});
    ++m_stats.queriesSent;
    const auto failed = [this, device, sn](const Error &error) {
        m_catalogs.cancel(device, int(sn));
        ++m_stats.queriesFailed;
        m_events.add(Devices::EventKind::QueryFailed, device.toString(), {queryName(CmdType::Catalog), error.message});
        if (auto waiter = m_catalogWaiters.take(sn).done)
            waiter(std::unexpected(error));
    };
    auto sent = sendMessage(device, device, builderFor(device).queryCatalog(device, sn),
                            [failed](Result<void> result) {
                                if (!result)
                                    failed(result.error());
                            });
    if (!sent)
        failed(sent.error());
}

void GbService::refreshCatalog(const DeviceId &device, Done<int> done)
{
    if (!m_registrar->isRegistered(device)) {
        done(std::unexpected(deviceOffline(device)));
        return;
    }
    startCatalogSync(device, std::move(done));
}

void GbService::queryDeviceInfo(const DeviceId &device, Done<DeviceInfoResponse> done)
{
    startQuery(device, CmdType::DeviceInfo, [done](Result<ManscdpMessage> result) {
        if (!result)
            return done(std::unexpected(result.error()));
        if (const auto *info = result->get<DeviceInfoResponse>())
            return done(*info);
        done(DeviceInfoResponse{});
    });
}

void GbService::queryDeviceStatus(const DeviceId &device, Done<DeviceStatusResponse> done)
{
    startQuery(device, CmdType::DeviceStatus, [done](Result<ManscdpMessage> result) {
        if (!result)
            return done(std::unexpected(result.error()));
        if (const auto *status = result->get<DeviceStatusResponse>())
            return done(*status);
        done(DeviceStatusResponse{});
    });
}

void GbService::sendPtz(const QString &channelId, const PtzCommand &command, Done<void> done)
{
    const auto channel = m_registry.findChannel(channelId);
    DeviceId device;
    GbId target;
    if (channel) {
        device = channel->device;
        target = GbId::parse(QStringView(channel->channel.id)).value_or(GbId(device));
    } else if (const auto asDevice = m_registry.deviceOf(channelId)) {
        device = *asDevice; // an IPC steered by its own ID
        target = device;
    } else {
        done(std::unexpected(Error{ErrorCode::NotFound, tr("Channel %1 is not known.").arg(channelId)}));
        return;
    }
    const ManscdpBody body = builderFor(device).controlPtz(target, nextSn(), command.toHex());
    if (auto sent = sendMessage(device, target, body, done); !sent)
        done(std::unexpected(sent.error()));
}

void GbService::setDevice(const DeviceId &device, const Devices::DeviceSettings &settings)
{
    m_registry.addDevice(device, settings);
}

void GbService::removeDevice(const DeviceId &device)
{
    m_registrar->forget(device);
    abandonCatalogSyncs(device, Error{ErrorCode::NotFound, tr("Device %1 was removed.").arg(device.toString())});
    if (m_registry.remove(device))
        m_events.add(Devices::EventKind::DeviceRemoved, device.toString());
}

void GbService::onFreshRegistration(const DeviceId &device)
{
    if (!m_config.queryOnRegister)
        return;
    runBackground([this, device](std::function<void()> finished) {
        startQuery(device, CmdType::DeviceInfo, [this, device, finished](Result<ManscdpMessage> result) {
            finished();
            if (!result)
                return;
            if (const auto *info = result->get<DeviceInfoResponse>())
                m_registry.setDeviceInfo(device, info->deviceName, info->manufacturer, info->model,
                                         info->firmware, info->channel.value_or(0));
        });
    });
    runBackground([this, device](std::function<void()> finished) {
        startCatalogSync(device, [finished](Result<int>) { finished(); });
    });
}

void GbService::onProbe(const DeviceId &device)
{
    // Any answer proves the device alive (sendMessage notes it); silence lets the registrar's
    // probe timeout take it offline.
    const std::uint32_t sn = nextSn();
    sendMessage(device, device, builderFor(device).queryDeviceStatus(device, sn), {});
}

void GbService::abandonCatalogSyncs(const DeviceId &device, const Error &why)
{
    m_catalogs.cancel(device);
    QList<Done<int>> waiting;
    for (auto it = m_catalogWaiters.begin(); it != m_catalogWaiters.end();) {
        if (it->device == device) {
            waiting.append(std::move(it->done));
            it = m_catalogWaiters.erase(it);
        } else {
            ++it;
        }
    }
    for (auto &done : waiting) {
        if (done)
            done(std::unexpected(why));
    }
}

void GbService::onOffline(const DeviceId &device, Devices::OfflineReason reason)
{
    abandonCatalogSyncs(device, Error{ErrorCode::NotFound,
                                      tr("Device %1 went offline: %2")
                                          .arg(device.toString(),
                                               Devices::Device::offlineReasonText(reason, m_config.keepaliveTimeoutCount))});
    m_media->deviceOffline(device);
    Q_EMIT deviceWentOffline(device);
}

void GbService::tick()
{
    const std::int64_t now = nowMs();
    for (const auto &result : m_catalogs.expire(now))
        applyCatalog(result);
    QList<std::uint32_t> expired;
    for (auto it = m_queries.constBegin(); it != m_queries.constEnd(); ++it) {
        if (it->deadlineMs <= now && it->cmdType != CmdType::Catalog)
            expired.append(it.key());
    }
    for (const std::uint32_t sn : expired) {
        const PendingQuery &pending = m_queries[sn];
        finishQuery(sn, std::unexpected(Error{ErrorCode::Timeout,
                                              tr("Device %1 accepted the %2 query but never answered it.")
                                                  .arg(pending.device.toString(), queryName(pending.cmdType))}));
    }
}

} // namespace Vigil::Gb
