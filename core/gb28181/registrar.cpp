#include "registrar.h"

#include "common/logging.h"

#include <QDateTime>
#include <QRandomGenerator>
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
    , m_auth(Sip::DigestAuthenticator::Options{std::uint32_t(config.nonceLifetimeSec), 65536,
                                               Sip::QopOffer::Auth, {}})
    , m_admission(config.admission)
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
    m_stats.sessions = quint32(m_sessions.size());
    return m_stats;
}

std::optional<Sip::Peer> Registrar::route(const DeviceId &id) const
{
    const auto it = m_sessions.constFind(id);
    if (it == m_sessions.constEnd())
        return std::nullopt;
    return it->route;
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

void Registrar::respond(const Sip::IncomingRequest &request, int code, QByteArrayView reason)
{
    auto response = Sip::MessageBuilder::responseTo(request.message(), code, m_transactions.newTag(), reason);
    if (auto sent = m_transactions.respond(request, std::move(response)); !sent)
        qCDebug(lcGb) << "could not answer REGISTER from" << request.peer().toString() << sent.error().message;
}

void Registrar::challenge(const Sip::IncomingRequest &request, Sip::Stale stale)
{
    auto response = Sip::MessageBuilder::responseTo(request.message(), 401, m_transactions.newTag());
    response.add(Sip::HeaderId::WwwAuthenticate, m_auth.challengeFor(m_config.domain.toLatin1(), stale));
    ++m_stats.challenged;
    if (auto sent = m_transactions.respond(request, std::move(response)); !sent)
        qCDebug(lcGb) << "could not challenge" << request.peer().toString() << sent.error().message;
}

void Registrar::refuse(const Sip::IncomingRequest &request, const DeviceId &id, const SourceKey &source,
                       const QString &why)
{
    respond(request, 403);
    ++m_stats.rejected;
    const auto outcome = m_admission.recordFailure(source, id, nowMs());
    const bool known = m_registry.contains(id);
    qCInfo(lcGb) << "REGISTER of" << id.toString() << "from" << request.peer().toString() << "refused:" << why;
    // Strangers' failures are not logged as events: a scan would push real events out.
    if (known)
        m_events.add(Devices::EventKind::AuthFailed, id.toString(), {sourceText(request.peer()), why});
    if (outcome.sourceBanned)
        m_events.add(Devices::EventKind::SourceBanned, known ? id.toString() : QString(),
                     {sourceText(request.peer()), QString::number(m_config.admission.banDurationSec / 60)});
    if (outcome.deviceIdBanned && known)
        m_events.add(Devices::EventKind::DeviceIdBanned, id.toString(),
                     {QString::number(m_config.admission.banDurationSec / 60)});
}

void Registrar::handleRegister(const Sip::IncomingRequest &request)
{
    const Sip::SipMessage &message = request.message();
    const Sip::Peer &peer = request.peer();
    const SourceKey source{peer.address, peer.port};
    const std::int64_t now = nowMs();

    if (m_admission.isBanned(source, now))
        return ignore(request);
    const auto id = DeviceId::parse(message.from().uri.user);
    if (!id) {
        if (!admitUnauthenticated(source, now))
            return ignore(request);
        qCDebug(lcGb) << "REGISTER from" << peer.toString() << "without a 20-digit device ID:"
                      << message.from().uri.user;
        respond(request, 403);
        ++m_stats.rejected;
        return;
    }
    const std::uint32_t expires = requestedExpires(message);
    const QByteArrayView authorization = message.header(Sip::HeaderId::Authorization);

    // A refresh of the current registration needs no new challenge (wvp does the same).
    if (authorization.isEmpty()) {
        const auto session = m_sessions.constFind(*id);
        if (session != m_sessions.constEnd() && session->callId == message.callId()
            && session->fromTag == message.from().tag() && now < session->expiresAtMs) {
            accept(request, *id, expires);
            return;
        }
    }

    const auto settings = m_registry.settings(*id);
    const bool known = settings.has_value();
    if (authorization.isEmpty()) {
        if (known && m_config.knownDeviceAuth == KnownDeviceAuth::NoPasswordForKnownDevices) {
            accept(request, *id, expires);
            return;
        }
        if (!admitUnauthenticated(source, now))
            return ignore(request);
        challenge(request, Sip::Stale::No);
        return;
    }

    const auto credentials = Sip::DigestCredentials::parse(authorization);
    if (!credentials) {
        qCDebug(lcGb) << "REGISTER of" << id->toString() << "with unusable credentials:" << credentials.error().message;
        if (!admitUnauthenticated(source, now))
            return ignore(request);
        challenge(request, Sip::Stale::No);
        return;
    }
    if (m_admission.admitAttempt(source, *id, now) == AdmissionControl::Verdict::Ignore)
        return ignore(request);

    const bool allowed = known || m_config.registrationPolicy == RegistrationPolicy::AnyDevice;
    QByteArray password;
    if (!allowed)
        password = m_dummyPassword; // same work, always wrong: unknown looks like wrong password
    else if (known && !settings->password.isEmpty())
        password = settings->password.toUtf8();
    else
        password = m_config.password.toUtf8();

    const auto outcome = m_auth.verify(*credentials, "REGISTER", password, m_config.domain.toLatin1());
    switch (outcome) {
    case Sip::DigestOutcome::Ok:
        if (!allowed) {
            refuse(request, *id, source, tr("unknown device"));
            return;
        }
        m_admission.recordSuccess(source, *id);
        accept(request, *id, expires);
        return;
    case Sip::DigestOutcome::StaleNonce:
    case Sip::DigestOutcome::ReplayedNonceCount:
        challenge(request, Sip::Stale::Yes);
        return;
    case Sip::DigestOutcome::ForgedNonce:
    case Sip::DigestOutcome::Malformed:
        if (!admitUnauthenticated(source, now))
            return ignore(request);
        challenge(request, Sip::Stale::No);
        return;
    case Sip::DigestOutcome::WrongResponse:
        refuse(request, *id, source, tr("wrong password (403); check the SIP password on the device"));
        return;
    case Sip::DigestOutcome::RealmMismatch:
        refuse(request, *id, source, tr("wrong SIP domain; set it to %1 on the device").arg(m_config.domain));
        return;
    case Sip::DigestOutcome::Unsupported:
        refuse(request, *id, source, tr("unsupported digest algorithm; set the device to MD5"));
        return;
    }
}

bool Registrar::admitUnauthenticated(const SourceKey &source, std::int64_t nowMs)
{
    // A source that registered devices has proven it knows the password: it is no stranger,
    // even when it sends many unauthenticated REGISTERs at once (a gateway or lower platform
    // relaying for its devices, a load generator). Challenges cost no memory.
    if (m_trustedSources.contains(source))
        return true;
    return m_admission.admitStranger(source, nowMs) == AdmissionControl::Verdict::Allow;
}

void Registrar::ignore(const Sip::IncomingRequest &request)
{
    // No answer, and no transaction kept either: a flood must not fill the transaction table,
    // and a retransmission is judged again (the source may have been admitted meanwhile).
    ++m_stats.ignored;
    m_transactions.discard(request);
}

void Registrar::setRoute(const DeviceId &id, Session &session, const Sip::Peer &peer)
{
    if (session.route == peer)
        return;
    dropRoute(session.route);
    session.route = peer;
    if (peer.connectionId != 0)
        m_byConnection.insert(peer.connectionId, id);
    if (!peer.address.isNull())
        ++m_trustedSources[SourceKey{peer.address, peer.port}];
}

void Registrar::dropRoute(const Sip::Peer &route)
{
    if (route.connectionId != 0)
        m_byConnection.remove(route.connectionId);
    if (route.address.isNull())
        return;
    const auto it = m_trustedSources.find(SourceKey{route.address, route.port});
    if (it != m_trustedSources.end() && --it.value() <= 0)
        m_trustedSources.erase(it);
}

Registrar::SessionMap::iterator Registrar::eraseSession(SessionMap::iterator it)
{
    dropRoute(it->route);
    return m_sessions.erase(it);
}

void Registrar::accept(const Sip::IncomingRequest &request, const DeviceId &id, std::uint32_t expiresSec)
{
    const Sip::SipMessage &message = request.message();
    const Sip::Peer &peer = request.peer();
    const std::int64_t now = nowMs();

    auto response = Sip::MessageBuilder::responseTo(message, 200, m_transactions.newTag());
    for (const QByteArrayView contact : message.headerValues(Sip::HeaderId::Contact))
        response.add(Sip::HeaderId::Contact, contact);
    response.add(Sip::HeaderId::Expires, QByteArray::number(expiresSec));
    if (m_config.sendDateHeader)
        response.add(Sip::HeaderId::Date, gbDate());

    if (expiresSec == 0) {
        if (const auto it = m_sessions.find(id); it != m_sessions.end())
            eraseSession(it);
        if (auto sent = m_transactions.respond(request, std::move(response)); !sent)
            qCDebug(lcGb) << "could not answer unregister of" << id.toString() << sent.error().message;
        ++m_stats.unregistered;
        if (m_registry.markOffline(id, Devices::OfflineReason::Unregistered)) {
            m_events.add(Devices::EventKind::DeviceUnregistered, id.toString(), {sourceText(peer)});
            if (m_hooks.wentOffline)
                m_hooks.wentOffline(id, Devices::OfflineReason::Unregistered);
        }
        return;
    }

    auto it = m_sessions.find(id);
    const bool fresh = it == m_sessions.end() || it->callId != message.callId();
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
    setRoute(id, session, peer);

    if (auto sent = m_transactions.respond(request, std::move(response)); !sent)
        qCDebug(lcGb) << "could not answer REGISTER of" << id.toString() << sent.error().message;

    const QString userAgent = QString::fromUtf8(message.header(Sip::HeaderId::UserAgent));
    const QString gbVersion = QString::fromUtf8(message.header(Sip::HeaderId::XGbVer));
    const bool cameOnline = m_registry.markRegistered(id, peer, QDateTime::currentDateTimeUtc().addSecs(expiresSec),
                                                      QString::fromUtf8(session.callId), userAgent, gbVersion);
    if (fresh || cameOnline) {
        ++m_stats.registered;
        m_events.add(Devices::EventKind::DeviceRegistered, id.toString(),
                     {peer.hostPort(), peer.transport == Sip::TransportKind::Tcp ? u"TCP"_s : u"UDP"_s});
        // Debug only: the event log keeps every registration, and a line per device would be
        // tens of thousands of lines a second after a site-wide power cut.
        qCDebug(lcGb) << id.toString() << "registered from" << peer.toString() << "for" << expiresSec << "s";
    } else {
        ++m_stats.refreshed;
    }
    if (fresh && m_hooks.freshRegistration)
        m_hooks.freshRegistration(id);
}

std::optional<DeviceId> Registrar::admit(const Sip::IncomingRequest &request)
{
    const auto id = DeviceId::parse(request.message().from().uri.user);
    if (!id) {
        ++m_stats.unknownRequests;
        return std::nullopt;
    }
    const auto it = m_sessions.find(*id);
    if (it == m_sessions.end()) {
        ++m_stats.unknownRequests;
        return std::nullopt;
    }
    if (nowMs() >= it->expiresAtMs) {
        goOffline(*id, *it, Devices::OfflineReason::RegistrationExpired);
        eraseSession(it);
        ++m_stats.unknownRequests;
        return std::nullopt;
    }
    noteAlive(*id, request.peer());
    return *id;
}

void Registrar::noteAlive(const DeviceId &id, const Sip::Peer &peer)
{
    const auto it = m_sessions.find(id);
    if (it == m_sessions.end())
        return;
    Session &session = it.value();
    session.lastSeenMs = nowMs();
    session.probeSentAtMs = -1;
    setRoute(id, session, peer);
    if (!session.online) {
        session.online = true;
        if (m_registry.markOnline(id, peer))
            m_events.add(Devices::EventKind::DeviceOnline, id.toString(), {peer.hostPort()});
        return;
    }
    if (const auto previous = m_registry.touch(id, peer, QDateTime::currentDateTimeUtc())) {
        m_events.add(Devices::EventKind::AddressChanged, id.toString(), {previous->hostPort(), peer.hostPort()});
        qCInfo(lcGb) << id.toString() << "address changed from" << previous->toString() << "to" << peer.toString();
    }
}

void Registrar::goOffline(const DeviceId &id, Session &session, Devices::OfflineReason reason)
{
    session.online = false;
    session.probeSentAtMs = -1;
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
    const auto owner = m_byConnection.take(peer.connectionId);
    if (owner.isNull())
        return;
    const auto it = m_sessions.find(owner);
    if (it == m_sessions.end())
        return;
    // Over TCP the connection is the route: without it the device is unreachable until it
    // connects and registers again (GB/T 28181-2022 9.1.1 f).
    goOffline(owner, *it, Devices::OfflineReason::TcpConnectionClosed);
    it->route.connectionId = 0; // already taken out of m_byConnection
    eraseSession(it);
}

void Registrar::forget(const DeviceId &id)
{
    const auto it = m_sessions.find(id);
    if (it == m_sessions.end())
        return;
    eraseSession(it);
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
        setRoute(device.id, m_sessions.insert(device.id, session).value(), route);
        ++restored;
    }
    qCInfo(lcGb) << "restored" << restored << "registrations;" << expired << "had expired";
}

void Registrar::tick()
{
    const std::int64_t now = nowMs();
    const std::int64_t silenceMs = std::int64_t(m_config.keepaliveIntervalSec) * m_config.keepaliveTimeoutCount * 1000;
    const std::int64_t probeTimeoutMs = std::int64_t(m_config.probeTimeoutSec) * 1000;
    int probes = 0;
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        Session &session = it.value();
        if (now >= session.expiresAtMs) {
            goOffline(it.key(), session, Devices::OfflineReason::RegistrationExpired);
            it = eraseSession(it);
            continue;
        }
        if (session.online) {
            if (session.probeSentAtMs < 0 && now - session.lastSeenMs >= silenceMs && probes < kMaxProbesPerTick) {
                session.probeSentAtMs = now;
                ++probes;
                ++m_stats.probes;
                if (m_hooks.probe)
                    m_hooks.probe(it.key());
            } else if (session.probeSentAtMs >= 0 && now - session.probeSentAtMs >= probeTimeoutMs) {
                goOffline(it.key(), session, Devices::OfflineReason::KeepalivesMissed);
            }
        }
        ++it;
    }
    m_admission.expire(now);
}

} // namespace Vigil::Gb
