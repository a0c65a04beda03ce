#include "registrar.h"

#include "common/logging.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Vigil::Gb {

namespace {

/// How many probes one tick may start, so that a mass silence (a site's uplink failing) does
/// not turn into a burst of tens of thousands of client transactions.
constexpr int kMaxProbesPerTick = 2000;

QString sourceText(const Sip::Peer &peer)
{
    return peer.toString();
}

} // namespace

Registrar::Registrar(const ServerConfig &config, Sip::TransactionLayer &transactions,
                     Devices::DeviceRegistry &registry, Devices::EventLog &events, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_transactions(transactions)
    , m_registry(registry)
    , m_events(events)
    , m_admission(config.admission)
    , m_auth(Sip::DigestAuthenticator::Options{std::uint32_t(config.nonceLifetimeSec), 65536,
                                               Sip::QopOffer::Auth, {}})
{
    m_clock.start();
    QByteArray dummy(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(dummy.data()),
                                         reinterpret_cast<quint32 *>(dummy.data() + dummy.size()));
    m_dummyPassword = dummy.toHex();
    m_tickTimer = new QTimer(this);
    m_tickTimer->setInterval(1000);
    connect(m_tickTimer, &QTimer::timeout, this, &Registrar::tick);
    m_tickTimer->start();
}

void Registrar::setConfig(const ServerConfig &config)
{
    m_config = config;
}

QByteArray Registrar::gbDate()
{
    // QDateTime::currentDateTime() reads the time zone (a stat of /etc/localtime) on every
    // call, which at thousands of registrations a second costs more than the digest check:
    // the local time is worked out once per second and the milliseconds appended.
    thread_local qint64 cachedSecond = -1;
    thread_local QByteArray cachedPrefix;
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    const qint64 second = nowMs / 1000;
    if (second != cachedSecond) {
        cachedPrefix = QDateTime::fromSecsSinceEpoch(second).toString(u"yyyy-MM-ddTHH:mm:ss."_s).toLatin1();
        cachedSecond = second;
    }
    const int ms = int(nowMs % 1000);
    QByteArray date = cachedPrefix;
    date.append(char('0' + ms / 100)).append(char('0' + ms / 10 % 10)).append(char('0' + ms % 10));
    return date;
}

RegistrarStats Registrar::stats() const
{
    QMutexLocker locker(&m_lock);
    RegistrarStats stats = m_stats;
    stats.sessions = quint32(m_sessions.size());
    return stats;
}

std::optional<Sip::Peer> Registrar::route(const DeviceId &id) const
{
    QMutexLocker locker(&m_lock);
    const auto it = m_sessions.constFind(id);
    if (it == m_sessions.constEnd())
        return std::nullopt;
    return it->route;
}

bool Registrar::isRegistered(const DeviceId &id) const
{
    QMutexLocker locker(&m_lock);
    return m_sessions.contains(id);
}

void Registrar::onOwnThread(std::function<void()> effect)
{
    if (QThread::currentThread() == thread()) {
        effect();
        return;
    }
    QMutexLocker locker(&m_effectsLock);
    m_effects.push_back(std::move(effect));
    if (!std::exchange(m_effectsPosted, true))
        QMetaObject::invokeMethod(this, &Registrar::runQueuedEffects, Qt::QueuedConnection);
}

void Registrar::runQueuedEffects()
{
    std::vector<std::function<void()>> effects;
    {
        QMutexLocker locker(&m_effectsLock);
        effects.swap(m_effects);
        m_effectsPosted = false;
    }
    for (const auto &effect : effects)
        effect();
}

std::uint32_t Registrar::requestedExpires(const Sip::SipMessage &message) const
{
    std::optional<std::uint32_t> requested;
    const auto contacts = message.contacts();
    if (!contacts.empty()) {
        if (const auto param = contacts.front().param("expires")) {
            bool ok = false;
            const qulonglong value = param->toByteArray().trimmed().toULongLong(&ok);
            if (ok)
                requested = std::uint32_t(std::min<qulonglong>(value, 0xFFFFFFFFull));
        }
    }
    if (!requested)
        requested = message.expires();
    if (!requested)
        return std::uint32_t(m_config.defaultExpiresSec);
    if (*requested == 0)
        return 0;
    return std::uint32_t(std::clamp<qint64>(*requested, m_config.minExpiresSec, m_config.maxExpiresSec));
}

void Registrar::respond(const Sip::IncomingRequest &request, Sip::TransactionLayer &layer, int code)
{
    auto response = Sip::MessageBuilder::responseTo(request.message(), code, layer.newTag());
    if (auto sent = layer.respond(request, std::move(response)); !sent)
        qCDebug(lcGb) << "could not answer REGISTER from" << request.peer().toString() << sent.error().message;
}

void Registrar::challenge(const Sip::IncomingRequest &request, Sip::TransactionLayer &layer, Sip::Stale stale)
{
    auto response = Sip::MessageBuilder::responseTo(request.message(), 401, layer.newTag());
    QByteArray value;
    {
        QMutexLocker locker(&m_authLock);
        value = m_auth.challengeFor(m_config.domain.toLatin1(), stale);
    }
    response.add(Sip::HeaderId::WwwAuthenticate, value);
    {
        QMutexLocker locker(&m_lock);
        ++m_stats.challenged;
    }
    if (auto sent = layer.respond(request, std::move(response)); !sent)
        qCDebug(lcGb) << "could not challenge" << request.peer().toString() << sent.error().message;
}

void Registrar::ignore(const Sip::IncomingRequest &request, Sip::TransactionLayer &layer)
{
    // No answer, and no transaction kept either: a flood must not fill the transaction table,
    // and a retransmission is judged again (the source may have been admitted meanwhile).
    {
        QMutexLocker locker(&m_lock);
        ++m_stats.ignored;
    }
    layer.discard(request);
}

bool Registrar::admitUnauthenticated(const SourceKey &source, std::int64_t nowMs)
{
    // A source that registered devices has proven it knows the password: it is no stranger,
    // even when it sends many unauthenticated REGISTERs at once (a gateway or lower platform
    // relaying for its devices, a load generator). Challenges cost no memory.
    QMutexLocker locker(&m_lock);
    if (m_trustedSources.contains(source))
        return true;
    return m_admission.admitStranger(source, nowMs) == AdmissionControl::Verdict::Allow;
}

void Registrar::refuse(const Sip::IncomingRequest &request, Sip::TransactionLayer &layer, const DeviceId &id,
                       const SourceKey &source, const QString &why)
{
    respond(request, layer, 403);
    AdmissionControl::FailureOutcome outcome;
    {
        QMutexLocker locker(&m_lock);
        ++m_stats.rejected;
        outcome = m_admission.recordFailure(source, id, nowMs());
    }
    const Sip::Peer peer = request.peer();
    qCInfo(lcGb) << "REGISTER of" << id.toString() << "from" << peer.toString() << "refused:" << why;
    onOwnThread([this, id, peer, why, outcome] {
        const bool known = m_registry.contains(id);
        // Strangers' failures are not logged as events: a scan would push real events out.
        if (known)
            m_events.add(Devices::EventKind::AuthFailed, id.toString(), {sourceText(peer), why});
        if (outcome.sourceBanned)
            m_events.add(Devices::EventKind::SourceBanned, known ? id.toString() : QString(),
                         {sourceText(peer), QString::number(m_config.admission.banDurationSec / 60)});
        if (outcome.deviceIdBanned && known)
            m_events.add(Devices::EventKind::DeviceIdBanned, id.toString(),
                         {QString::number(m_config.admission.banDurationSec / 60)});
    });
}

void Registrar::handleRegister(const Sip::IncomingRequest &request)
{
    handleRegister(request, m_transactions);
}

void Registrar::handleRegister(const Sip::IncomingRequest &request, Sip::TransactionLayer &layer)
{
    const Sip::SipMessage &message = request.message();
    const Sip::Peer &peer = request.peer();
    const SourceKey source{peer.address, peer.port};
    const std::int64_t now = nowMs();

    bool banned = false;
    {
        QMutexLocker locker(&m_lock);
        banned = m_admission.isBanned(source, now);
    }
    if (banned)
        return ignore(request, layer);
    const auto id = DeviceId::parse(message.from().uri.user);
    if (!id) {
        if (!admitUnauthenticated(source, now))
            return ignore(request, layer);
        qCDebug(lcGb) << "REGISTER from" << peer.toString() << "without a 20-digit device ID:"
                      << message.from().uri.user;
        respond(request, layer, 403);
        QMutexLocker locker(&m_lock);
        ++m_stats.rejected;
        return;
    }
    const std::uint32_t expires = requestedExpires(message);
    const QByteArrayView authorization = message.header(Sip::HeaderId::Authorization);

    // A refresh of the current registration needs no new challenge (wvp does the same).
    if (authorization.isEmpty()) {
        bool refresh = false;
        {
            QMutexLocker locker(&m_lock);
            const auto session = m_sessions.constFind(*id);
            refresh = session != m_sessions.constEnd() && session->callId == message.callId()
                && session->fromTag == message.from().tag() && now < session->expiresAtMs;
        }
        if (refresh)
            return accept(request, layer, *id, expires);
    }

    const auto settings = m_registry.settings(*id);
    const bool known = settings.has_value();
    if (authorization.isEmpty()) {
        if (known && m_config.knownDeviceAuth == KnownDeviceAuth::NoPasswordForKnownDevices)
            return accept(request, layer, *id, expires);
        if (!admitUnauthenticated(source, now))
            return ignore(request, layer);
        return challenge(request, layer, Sip::Stale::No);
    }

    const auto credentials = Sip::DigestCredentials::parse(authorization);
    if (!credentials) {
        qCDebug(lcGb) << "REGISTER of" << id->toString() << "with unusable credentials:" << credentials.error().message;
        if (!admitUnauthenticated(source, now))
            return ignore(request, layer);
        return challenge(request, layer, Sip::Stale::No);
    }
    {
        QMutexLocker locker(&m_lock);
        banned = m_admission.admitAttempt(source, *id, now) == AdmissionControl::Verdict::Ignore;
    }
    if (banned)
        return ignore(request, layer);

    const bool allowed = known || m_config.registrationPolicy == RegistrationPolicy::AnyDevice;
    QByteArray password;
    if (!allowed)
        password = m_dummyPassword; // same work, always wrong: unknown looks like wrong password
    else if (known && !settings->password.isEmpty())
        password = settings->password.toUtf8();
    else
        password = m_config.password.toUtf8();

    Sip::DigestOutcome outcome;
    {
        QMutexLocker locker(&m_authLock);
        outcome = m_auth.verify(*credentials, "REGISTER", password, m_config.domain.toLatin1());
    }
    switch (outcome) {
    case Sip::DigestOutcome::Ok:
        if (!allowed)
            return refuse(request, layer, *id, source, tr("unknown device"));
        {
            QMutexLocker locker(&m_lock);
            m_admission.recordSuccess(source, *id);
        }
        return accept(request, layer, *id, expires);
    case Sip::DigestOutcome::StaleNonce:
    case Sip::DigestOutcome::ReplayedNonceCount:
        return challenge(request, layer, Sip::Stale::Yes);
    case Sip::DigestOutcome::ForgedNonce:
    case Sip::DigestOutcome::Malformed:
        if (!admitUnauthenticated(source, now))
            return ignore(request, layer);
        return challenge(request, layer, Sip::Stale::No);
    case Sip::DigestOutcome::WrongResponse:
        return refuse(request, layer, *id, source, tr("wrong password (403); check the SIP password on the device"));
    case Sip::DigestOutcome::RealmMismatch:
        return refuse(request, layer, *id, source,
                      tr("wrong SIP domain; set it to %1 on the device").arg(m_config.domain));
    case Sip::DigestOutcome::Unsupported:
        return refuse(request, layer, *id, source, tr("unsupported digest algorithm; set the device to MD5"));
    }
}

void Registrar::setRouteLocked(const DeviceId &id, Session &session, const Sip::Peer &peer)
{
    if (session.route == peer)
        return;
    dropRouteLocked(session.route);
    session.route = peer;
    if (peer.connectionId != 0)
        m_byConnection.insert(peer.connectionId, id);
    if (!peer.address.isNull())
        ++m_trustedSources[SourceKey{peer.address, peer.port}];
}

void Registrar::dropRouteLocked(const Sip::Peer &route)
{
    if (route.connectionId != 0)
        m_byConnection.remove(route.connectionId);
    if (route.address.isNull())
        return;
    const auto it = m_trustedSources.find(SourceKey{route.address, route.port});
    if (it != m_trustedSources.end() && --it.value() <= 0)
        m_trustedSources.erase(it);
}

Registrar::SessionMap::iterator Registrar::eraseSessionLocked(SessionMap::iterator it)
{
    dropRouteLocked(it->route);
    return m_sessions.erase(it);
}

void Registrar::accept(const Sip::IncomingRequest &request, Sip::TransactionLayer &layer, const DeviceId &id,
                       std::uint32_t expiresSec)
{
    const Sip::SipMessage &message = request.message();
    const Sip::Peer peer = request.peer();
    const std::int64_t now = nowMs();

    auto response = Sip::MessageBuilder::responseTo(message, 200, layer.newTag());
    for (const QByteArrayView contact : message.headerValues(Sip::HeaderId::Contact))
        response.add(Sip::HeaderId::Contact, contact);
    response.add(Sip::HeaderId::Expires, QByteArray::number(expiresSec));
    if (m_config.sendDateHeader)
        response.add(Sip::HeaderId::Date, gbDate());

    if (expiresSec == 0) {
        {
            QMutexLocker locker(&m_lock);
            if (const auto it = m_sessions.find(id); it != m_sessions.end())
                eraseSessionLocked(it);
            ++m_stats.unregistered;
        }
        if (auto sent = layer.respond(request, std::move(response)); !sent)
            qCDebug(lcGb) << "could not answer unregister of" << id.toString() << sent.error().message;
        onOwnThread([this, id, peer] {
            if (m_registry.markOffline(id, Devices::OfflineReason::Unregistered)) {
                m_events.add(Devices::EventKind::DeviceUnregistered, id.toString(), {sourceText(peer)});
                if (m_hooks.wentOffline)
                    m_hooks.wentOffline(id, Devices::OfflineReason::Unregistered);
            }
        });
        return;
    }

    bool fresh = false;
    QByteArray callId;
    {
        QMutexLocker locker(&m_lock);
        auto it = m_sessions.find(id);
        fresh = it == m_sessions.end() || it->callId != message.callId();
        if (it == m_sessions.end())
            it = m_sessions.insert(id, Session{});
        Session &session = it.value();
        if (fresh)
            session.callId = message.callId().toByteArray();
        session.fromTag = message.from().tag().toByteArray();
        session.expiresAtMs = now + std::int64_t(expiresSec) * 1000;
        session.lastSeenMs = now;
        session.probeSentAtMs = -1;
        session.online = true;
        setRouteLocked(id, session, peer);
        callId = session.callId;
    }

    if (auto sent = layer.respond(request, std::move(response)); !sent)
        qCDebug(lcGb) << "could not answer REGISTER of" << id.toString() << sent.error().message;

    onOwnThread([this, id, peer, expiresSec, fresh, callId = QString::fromUtf8(callId),
                 userAgent = QString::fromUtf8(message.header(Sip::HeaderId::UserAgent)),
                 gbVersion = QString::fromUtf8(message.header(Sip::HeaderId::XGbVer))] {
        const bool cameOnline = m_registry.markRegistered(id, peer, QDateTime::currentDateTimeUtc().addSecs(expiresSec),
                                                          callId, userAgent, gbVersion);
        if (fresh || cameOnline) {
            {
                QMutexLocker locker(&m_lock);
                ++m_stats.registered;
            }
            m_events.add(Devices::EventKind::DeviceRegistered, id.toString(),
                         {peer.hostPort(), peer.transport == Sip::TransportKind::Tcp ? u"TCP"_s : u"UDP"_s});
            // Debug only: the event log keeps every registration, and a line per device would be
            // tens of thousands of lines a second after a site-wide power cut.
            qCDebug(lcGb) << id.toString() << "registered from" << peer.toString() << "for" << expiresSec << "s";
        } else {
            QMutexLocker locker(&m_lock);
            ++m_stats.refreshed;
        }
        if (fresh && m_hooks.freshRegistration)
            m_hooks.freshRegistration(id);
    });
}

std::optional<DeviceId> Registrar::admit(const Sip::IncomingRequest &request, Sip::TransactionLayer &)
{
    const auto id = DeviceId::parse(request.message().from().uri.user);
    const Sip::Peer &peer = request.peer();
    const std::int64_t now = nowMs();
    Liveness liveness = Liveness::Unknown;
    bool expired = false;
    {
        QMutexLocker locker(&m_lock);
        const auto it = id ? m_sessions.find(*id) : m_sessions.end();
        if (it == m_sessions.end()) {
            ++m_stats.unknownRequests;
            return std::nullopt;
        }
        if (now >= it->expiresAtMs) {
            expired = it->online;
            eraseSessionLocked(it);
            ++m_stats.unknownRequests;
        } else {
            liveness = noteAliveLocked(*id, it.value(), peer, now);
        }
    }
    if (liveness == Liveness::Unknown) {
        if (expired) {
            const DeviceId gone = *id;
            onOwnThread([this, gone] { reportOffline(gone, Devices::OfflineReason::RegistrationExpired); });
        }
        return std::nullopt;
    }
    const DeviceId device = *id;
    const Sip::Peer from = peer;
    onOwnThread([this, device, from, liveness] { reportAlive(device, from, liveness); });
    return device;
}

void Registrar::noteAlive(const DeviceId &id, const Sip::Peer &peer)
{
    Liveness liveness = Liveness::Unknown;
    {
        QMutexLocker locker(&m_lock);
        const auto it = m_sessions.find(id);
        if (it == m_sessions.end())
            return;
        liveness = noteAliveLocked(id, it.value(), peer, nowMs());
    }
    onOwnThread([this, id, peer, liveness] { reportAlive(id, peer, liveness); });
}

Registrar::Liveness Registrar::noteAliveLocked(const DeviceId &id, Session &session, const Sip::Peer &peer,
                                               std::int64_t nowMs)
{
    session.lastSeenMs = nowMs;
    session.probeSentAtMs = -1;
    setRouteLocked(id, session, peer);
    if (session.online)
        return Liveness::Seen;
    session.online = true;
    return Liveness::BackOnline;
}

void Registrar::reportAlive(const DeviceId &id, const Sip::Peer &peer, Liveness liveness)
{
    if (liveness == Liveness::BackOnline) {
        if (m_registry.markOnline(id, peer))
            m_events.add(Devices::EventKind::DeviceOnline, id.toString(), {peer.hostPort()});
        return;
    }
    if (const auto previous = m_registry.touch(id, peer, QDateTime::currentDateTimeUtc())) {
        m_events.add(Devices::EventKind::AddressChanged, id.toString(), {previous->hostPort(), peer.hostPort()});
        qCInfo(lcGb) << id.toString() << "address changed from" << previous->toString() << "to" << peer.toString();
    }
}

void Registrar::reportOffline(const DeviceId &id, Devices::OfflineReason reason)
{
    if (!m_registry.markOffline(id, reason))
        return;
    m_events.add(Devices::EventKind::DeviceOffline, id.toString(),
                 {QString::number(int(reason)), QString::number(m_config.keepaliveTimeoutCount)});
    qCInfo(lcGb) << id.toString() << "offline:" << Devices::Device::offlineReasonText(reason, m_config.keepaliveTimeoutCount);
    if (m_hooks.wentOffline)
        m_hooks.wentOffline(id, reason);
}

void Registrar::connectionClosed(const Sip::Peer &peer)
{
    if (peer.connectionId == 0)
        return;
    DeviceId owner;
    {
        QMutexLocker locker(&m_lock);
        owner = m_byConnection.take(peer.connectionId);
        if (owner.isNull())
            return;
        const auto it = m_sessions.find(owner);
        if (it == m_sessions.end())
            return;
        // Over TCP the connection is the route: without it the device is unreachable until it
        // connects and registers again (GB/T 28181-2022 9.1.1 f).
        it->route.connectionId = 0; // already taken out of m_byConnection
        eraseSessionLocked(it);
    }
    reportOffline(owner, Devices::OfflineReason::TcpConnectionClosed);
}

void Registrar::forget(const DeviceId &id)
{
    QMutexLocker locker(&m_lock);
    const auto it = m_sessions.find(id);
    if (it == m_sessions.end())
        return;
    eraseSessionLocked(it);
}

void Registrar::restoreSessions()
{
    const QDateTime nowUtc = QDateTime::currentDateTimeUtc();
    const std::int64_t now = nowMs();
    int restored = 0;
    int expired = 0;
    const auto devices = m_registry.devices();
    for (const Devices::Device &device : devices) {
        if (!device.online)
            continue;
        const qint64 remainingSec = device.registrationExpiresAt.isValid() ? nowUtc.secsTo(device.registrationExpiresAt) : 0;
        if (remainingSec <= 0) {
            m_registry.markOffline(device.id, Devices::OfflineReason::RegistrationExpired);
            ++expired;
            continue;
        }
        Session session;
        session.callId = device.registrationCallId.toUtf8();
        session.expiresAtMs = now + remainingSec * 1000;
        session.lastSeenMs = now; // a full silence window before the first probe
        Sip::Peer route = device.route;
        route.connectionId = 0; // connections do not survive a restart
        QMutexLocker locker(&m_lock);
        setRouteLocked(device.id, m_sessions.insert(device.id, session).value(), route);
        ++restored;
    }
    qCInfo(lcGb) << "restored" << restored << "registrations;" << expired << "had expired";
}

void Registrar::tick()
{
    const std::int64_t now = nowMs();
    const std::int64_t silenceMs = std::int64_t(m_config.keepaliveIntervalSec) * m_config.keepaliveTimeoutCount * 1000;
    const std::int64_t probeTimeoutMs = std::int64_t(m_config.probeTimeoutSec) * 1000;
    QList<DeviceId> probes;
    QList<std::pair<DeviceId, Devices::OfflineReason>> offline;
    {
        QMutexLocker locker(&m_lock);
        for (auto it = m_sessions.begin(); it != m_sessions.end();) {
            Session &session = it.value();
            if (now >= session.expiresAtMs) {
                if (session.online)
                    offline.append({it.key(), Devices::OfflineReason::RegistrationExpired});
                it = eraseSessionLocked(it);
                continue;
            }
            if (session.online) {
                if (session.probeSentAtMs < 0 && now - session.lastSeenMs >= silenceMs
                    && probes.size() < kMaxProbesPerTick) {
                    session.probeSentAtMs = now;
                    probes.append(it.key());
                } else if (session.probeSentAtMs >= 0 && now - session.probeSentAtMs >= probeTimeoutMs) {
                    session.online = false;
                    session.probeSentAtMs = -1;
                    offline.append({it.key(), Devices::OfflineReason::KeepalivesMissed});
                }
            }
            ++it;
        }
        m_stats.probes += quint64(probes.size());
        m_admission.expire(now);
    }
    for (const auto &[id, reason] : std::as_const(offline))
        reportOffline(id, reason);
    if (m_hooks.probe) {
        for (const DeviceId &id : std::as_const(probes))
            m_hooks.probe(id);
    }
}

} // namespace Vigil::Gb
