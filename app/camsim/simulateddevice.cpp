#include "simulateddevice.h"

#include "camsimlog.h"
#include "common/version.h"
#include "gb28181/manscdp.h"
#include "mediaengine.h"
#include "simulator.h"

#include <QDateTime>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace Vigil::CamSim {

namespace {

using Sip::ClientEvent;
using Sip::HeaderId;
using Sip::MessageBuilder;
using Sip::Method;

QByteArray userAgent()
{
    return QByteArrayLiteral("Vigil camsim ") + QByteArray(Vigil::kVersion);
}

Sip::DigestClient makeDigestClient(const DeviceConfig &config, const SimulatorConfig &simulator)
{
    Sip::DigestClient::Quirks quirks;
    if (simulator.faults.noQop)
        quirks.qop = Sip::DigestClient::QopUse::Never;
    if (simulator.faults.hikvisionAuthUri)
        quirks.digestUri = "sip:" + simulator.server.serverId + '@' + simulator.server.effectiveDomain();
    QByteArray password = simulator.server.password;
    if (simulator.faults.wrongPassword)
        password = "wrong-" + password;
    return Sip::DigestClient(config.username.isEmpty() ? config.id.toByteArray() : config.username, password, quirks);
}

/// The platform's GB Date ("2024-05-20T08:00:03.512", local time); invalid when unreadable.
QDateTime parseGbDate(QByteArrayView text)
{
    const QString value = QString::fromLatin1(text).trimmed();
    QDateTime time = QDateTime::fromString(value, Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(value, Qt::RFC2822Date);
    return time;
}

/// The f= field of an answer: video codec (2 H.264, 5 H.265) and frame rate; audio G.711 at
/// 64 kbps and 8 kHz when the stream has it.
QByteArray formatField(const MediaSource &source)
{
    const QByteArray codec = source.video.videoCodec() == Media::VideoCodec::H265 ? "5" : "2";
    const Media::FrameRate rate = source.video.frameRate();
    const QByteArray fps = QByteArray::number(rate.numerator / std::max(rate.denominator, 1));
    return "v/" + codec + "//" + fps + "//" + (source.audio ? QByteArray("a/1/8/1") : QByteArray("a///"));
}

/// Sub when the offer asks for stream 1 or above in any vendor's spelling (the SDP parser
/// reads a=streamMode:SUB as 1), else main.
Devices::StreamProfile requestedProfile(const Gb::MediaSdp &offer)
{
    return offer.streamNumber.value_or(0) >= 1 ? Devices::StreamProfile::Sub : Devices::StreamProfile::Main;
}

QString sessionText(Gb::SdpSessionName session)
{
    switch (session) {
    case Gb::SdpSessionName::Play: return u"Play"_s;
    case Gb::SdpSessionName::Playback: return u"Playback"_s;
    case Gb::SdpSessionName::Download: return u"Download"_s;
    case Gb::SdpSessionName::Talk: return u"Talk"_s;
    case Gb::SdpSessionName::Other: break;
    }
    return u"(other session)"_s;
}

} // namespace

SimulatedDevice::SimulatedDevice(DeviceConfig config, int index, Simulator &simulator, SocketGroup &group)
    : m_config(std::move(config)),
      m_index(index),
      m_simulator(simulator),
      m_group(group),
      m_digest(makeDigestClient(m_config, simulator.config()))
{
    for (const ChannelConfig &channel : std::as_const(m_config.channels))
        m_ptz.insert(channel.id.toByteArray(), PtzState());
    if (simulator.config().faults.lyingContentLength && simulator.config().server.transport == Sip::TransportKind::Tcp)
        qCWarning(lcCamsim) << "--lying-content-length applies to UDP only; over TCP it would break the framing";
}

Sip::TransactionLayer &SimulatedDevice::layer() const
{
    return *m_group.layer;
}

const Sip::Peer &SimulatedDevice::serverPeer() const
{
    return m_group.server;
}

QByteArray SimulatedDevice::deviceUri() const
{
    return "sip:" + m_config.id.toByteArray() + '@' + m_simulator.config().server.effectiveDomain();
}

QByteArray SimulatedDevice::serverUri() const
{
    const ServerTarget &server = m_simulator.config().server;
    if (m_simulator.config().faults.hikvisionAuthUri) {
        const QString host = server.address.protocol() == QAbstractSocket::IPv6Protocol
            ? u'[' + server.address.toString() + u']'
            : server.address.toString();
        return "sip:" + server.serverId + '@' + host.toLatin1() + ':' + QByteArray::number(server.port);
    }
    return "sip:" + server.serverId + '@' + server.effectiveDomain();
}

QByteArray SimulatedDevice::contact() const
{
    QByteArray uri = "<sip:" + m_config.id.toByteArray() + '@' + m_group.sink->viaSentBy(serverPeer());
    if (serverPeer().transport == Sip::TransportKind::Tcp)
        uri += ";transport=tcp";
    return uri + '>';
}

void SimulatedDevice::schedule(TimerKind kind, qint64 delayMs)
{
    const qint64 due = m_simulator.nowMs() + std::max<qint64>(delayMs, 0);
    m_timerDueMs[std::size_t(kind)] = due;
    m_simulator.schedule(*this, int(kind), due);
}

void SimulatedDevice::cancelTimer(TimerKind kind)
{
    m_timerDueMs[std::size_t(kind)] = -1;
}

void SimulatedDevice::fireTimer(TimerKind kind, qint64 dueMs)
{
    if (m_timerDueMs[std::size_t(kind)] != dueMs)
        return; // rescheduled or cancelled since
    m_timerDueMs[std::size_t(kind)] = -1;
    switch (kind) {
    case TimerKind::Registration:
        if (m_state == RegistrationState::Registered)
            beginRegistration(Attempt::Refresh);
        else if (m_state == RegistrationState::RetryWait)
            beginRegistration(Attempt::Fresh);
        break;
    case TimerKind::Keepalive:
        sendKeepalive();
        break;
    case TimerKind::Count_:
        break;
    }
}

// ---------------------------------------------------------------------------------------------
// Registration

void SimulatedDevice::start()
{
    if (m_state == RegistrationState::Idle)
        beginRegistration(Attempt::Fresh);
}

void SimulatedDevice::beginRegistration(Attempt attempt)
{
    ++m_generation;
    m_attempt = attempt;
    m_challengesAnswered = 0;
    if (attempt == Attempt::Fresh) {
        // A new Call-ID: to the platform this is a device that has (re)booted.
        m_callId = layer().newCallId();
        m_fromTag = layer().newTag();
        m_cseq = 0;
        m_state = RegistrationState::Registering;
    } else if (attempt == Attempt::Unregister) {
        m_state = RegistrationState::Unregistering;
    }
    m_requestedExpiresSec = attempt == Attempt::Unregister ? 0 : std::uint32_t(m_simulator.config().timers.registerExpiresSec);
    m_attemptStartUs = m_simulator.nowUs();
    sendRegister({}, HeaderId::Authorization);
}

void SimulatedDevice::sendRegister(const QByteArray &authorization, HeaderId authorizationHeader)
{
    const QByteArray uri = deviceUri();
    auto request = MessageBuilder::request(Method::Register, serverUri());
    request.add(HeaderId::From, QByteArray('<' + uri + ">;tag=" + m_fromTag));
    request.add(HeaderId::To, QByteArray('<' + uri + '>'));
    request.add(HeaderId::CallId, m_callId);
    request.add(HeaderId::CSeq, QByteArray(QByteArray::number(++m_cseq) + " REGISTER"));
    request.add(HeaderId::Contact, contact());
    request.add(HeaderId::MaxForwards, "70");
    request.add(HeaderId::UserAgent, userAgent());
    request.add(HeaderId::Expires, QByteArray::number(m_requestedExpiresSec));
    if (!authorization.isEmpty())
        request.add(authorizationHeader, authorization);

    const std::uint64_t generation = m_generation;
    const qint64 sentAtUs = m_simulator.nowUs();
    m_simulator.noteRegisterRequest();
    const auto sent = layer().sendRequest(std::move(request), serverPeer(),
                                          [this, generation, sentAtUs](const ClientEvent &event) {
                                              onRegisterEvent(event, generation, sentAtUs);
                                          });
    if (!sent) {
        if (m_attempt == Attempt::Unregister)
            finishUnregister();
        else
            registrationFailed(u"cannot send"_s, sent.error().message);
    }
}

void SimulatedDevice::onRegisterEvent(const ClientEvent &event, std::uint64_t generation, qint64 sentAtUs)
{
    if (generation != m_generation || event.kind == ClientEvent::Kind::Provisional)
        return;
    if (m_attempt == Attempt::Unregister) {
        if (event.kind == ClientEvent::Kind::Final && event.response.statusCode() == 401 && m_challengesAnswered == 0) {
            // the platform wants credentials for the unregister too: fall through to answer it
        } else {
            if (event.kind == ClientEvent::Kind::Final)
                qCInfo(lcCamsim).noquote() << u"%1: unregistered (%2)"_s.arg(m_config.id.toString()).arg(event.response.statusCode());
            finishUnregister();
            return;
        }
    }
    switch (event.kind) {
    case ClientEvent::Kind::Timeout:
        registrationFailed(u"timeout"_s, u"no answer to REGISTER from %1"_s.arg(serverPeer().toString()));
        return;
    case ClientEvent::Kind::TransportError:
        registrationFailed(u"transport error"_s, u"cannot reach %1"_s.arg(serverPeer().toString()));
        return;
    case ClientEvent::Kind::Provisional:
    case ClientEvent::Kind::Final:
        break;
    }

    m_simulator.noteRegisterRoundTrip(m_simulator.nowUs() - sentAtUs);
    const Sip::SipMessage &response = event.response;
    const int status = response.statusCode();
    if (status >= 200 && status < 300) {
        registered(response);
        return;
    }
    if (status == 401 || status == 407) {
        const HeaderId challengeHeader = status == 401 ? HeaderId::WwwAuthenticate : HeaderId::ProxyAuthenticate;
        const auto challenge = Sip::DigestChallenge::parse(response.header(challengeHeader));
        if (!challenge) {
            registrationFailed(u"bad challenge"_s, challenge.error().message);
            return;
        }
        // A second challenge after our credentials means they were refused, unless the nonce
        // merely went stale; never loop.
        if (m_challengesAnswered >= 2 || (m_challengesAnswered == 1 && !challenge->stale)) {
            registrationFailed(u"%1 after credentials"_s.arg(status),
                               u"the platform challenged again after our credentials: wrong password?"_s);
            return;
        }
        const auto authorization = m_digest.authorization(*challenge, "REGISTER", serverUri());
        if (!authorization) {
            registrationFailed(u"bad challenge"_s, authorization.error().message);
            return;
        }
        ++m_challengesAnswered;
        sendRegister(*authorization, status == 401 ? HeaderId::Authorization : HeaderId::ProxyAuthorization);
        return;
    }
    registrationFailed(QString::number(status) + u' ' + QString::fromLatin1(response.reasonPhrase()),
                       u"the platform refused the REGISTER"_s);
}

void SimulatedDevice::registered(const Sip::SipMessage &response)
{
    std::uint32_t grantedSec = m_requestedExpiresSec;
    if (response.expires()) {
        grantedSec = *response.expires();
    } else {
        for (const Sip::NameAddrView &contactValue : response.contacts()) {
            if (const auto expires = contactValue.param("expires")) {
                bool ok = false;
                const uint value = expires->toByteArray().toUInt(&ok);
                if (ok)
                    grantedSec = value;
                break;
            }
        }
    }
    if (grantedSec == 0)
        grantedSec = m_requestedExpiresSec;
    if (const QDateTime date = parseGbDate(response.header(HeaderId::Date)); date.isValid())
        m_clockOffsetMs = date.toMSecsSinceEpoch() - QDateTime::currentMSecsSinceEpoch();

    const bool refresh = m_attempt == Attempt::Refresh;
    m_simulator.noteRegistered(*this, refresh, m_simulator.nowUs() - m_attemptStartUs);
    if (!refresh) {
        m_state = RegistrationState::Registered;
        m_keepalivesThisRegistration = 0;
        m_keepaliveTimeouts = 0;
        m_keepalivesToSkip = m_simulator.config().faults.skipKeepalives;
        ++m_keepaliveGeneration;
        qCInfo(lcCamsim).noquote() << u"%1 (%2): registered to %3 for %4 s%5"_s.arg(m_config.id.toString(), m_config.name,
                                                                                     serverPeer().toString())
                                          .arg(grantedSec)
                                          .arg(m_challengesAnswered ? u" after a digest challenge"_s : QString());
        // The first keepalive at a random point of the interval: devices that registered
        // together (a load test, a site after a power cut) spread out as real ones drift apart.
        const int intervalMs = m_simulator.config().timers.keepaliveIntervalSec * 1000;
        scheduleKeepalive(QRandomGenerator::global()->bounded(intervalMs));
    }
    // Refresh at two thirds of the granted time, as devices do (never more often than 1/s).
    schedule(TimerKind::Registration, std::max<qint64>(qint64(grantedSec) * 1000 * 2 / 3, 1000));
}

void SimulatedDevice::registrationFailed(const QString &cause, const QString &detail)
{
    const int retryMs = m_simulator.config().timers.retryDelayMs;
    qCInfo(lcCamsim).noquote() << u"%1: registration failed: %2 (%3); trying again with a new Call-ID in %4 ms"_s
                                      .arg(m_config.id.toString(), cause, detail)
                                      .arg(retryMs);
    ++m_generation;
    ++m_keepaliveGeneration;
    m_state = RegistrationState::RetryWait;
    cancelTimer(TimerKind::Keepalive);
    m_simulator.noteRegistrationFailed(*this, cause, detail);
    schedule(TimerKind::Registration, retryMs);
}

void SimulatedDevice::unregister(std::function<void()> done)
{
    stopAllCalls();
    cancelTimer(TimerKind::Keepalive);
    cancelTimer(TimerKind::Registration);
    ++m_keepaliveGeneration;
    if (m_state != RegistrationState::Registered) {
        ++m_generation;
        m_state = RegistrationState::Unregistered;
        if (done)
            done();
        return;
    }
    m_unregisterDone = std::move(done);
    beginRegistration(Attempt::Unregister);
}

void SimulatedDevice::finishUnregister()
{
    ++m_generation;
    m_state = RegistrationState::Unregistered;
    m_simulator.noteUnregistered(*this);
    if (auto done = std::exchange(m_unregisterDone, {}))
        done();
}

void SimulatedDevice::connectionClosed()
{
    if (m_state != RegistrationState::Registered && m_state != RegistrationState::Registering)
        return;
    qCInfo(lcCamsim).noquote() << u"%1: the TCP connection to the platform closed; registering again in 1 s"_s.arg(
        m_config.id.toString());
    ++m_generation;
    ++m_keepaliveGeneration;
    cancelTimer(TimerKind::Keepalive);
    m_state = RegistrationState::RetryWait;
    schedule(TimerKind::Registration, std::min(1000, m_simulator.config().timers.retryDelayMs));
}

// ---------------------------------------------------------------------------------------------
// Keepalive and MESSAGEs to the platform

void SimulatedDevice::scheduleKeepalive(qint64 delayMs)
{
    const int jitterSec = m_simulator.config().faults.keepaliveJitterSec;
    if (jitterSec > 0)
        delayMs += QRandomGenerator::global()->bounded(-jitterSec * 1000, jitterSec * 1000 + 1);
    schedule(TimerKind::Keepalive, delayMs);
}

void SimulatedDevice::sendKeepalive()
{
    if (m_state != RegistrationState::Registered)
        return;
    scheduleKeepalive(qint64(m_simulator.config().timers.keepaliveIntervalSec) * 1000);
    if (m_keepalivesThisRegistration >= 1 && m_keepalivesToSkip > 0) {
        --m_keepalivesToSkip;
        m_simulator.noteKeepalive(3, 0);
        qCInfo(lcCamsim).noquote() << u"%1: leaving out a keepalive on purpose (%2 more to leave out)"_s.arg(
                                          m_config.id.toString())
                                          .arg(m_keepalivesToSkip);
        return;
    }
    ++m_keepalivesThisRegistration;
    const std::uint64_t generation = m_keepaliveGeneration;
    const qint64 sentAtUs = m_simulator.nowUs();
    m_simulator.noteKeepalive(0, 0);
    sendMessage(builder().notifyKeepalive(m_config.id, ++m_sn).bytes,
                [this, generation, sentAtUs](const ClientEvent &event) { onKeepaliveEvent(event, generation, sentAtUs); });
}

void SimulatedDevice::onKeepaliveEvent(const ClientEvent &event, std::uint64_t generation, qint64 sentAtUs)
{
    if (event.kind == ClientEvent::Kind::Provisional || generation != m_keepaliveGeneration)
        return;
    if (event.kind == ClientEvent::Kind::Final && event.response.statusCode() < 300) {
        m_keepaliveTimeouts = 0;
        m_simulator.noteKeepalive(1, m_simulator.nowUs() - sentAtUs);
        return;
    }
    m_simulator.noteKeepalive(2, 0);
    QString why;
    if (event.kind == ClientEvent::Kind::Final) {
        why = u"the platform answered the keepalive with %1 %2"_s.arg(event.response.statusCode())
                  .arg(QString::fromLatin1(event.response.reasonPhrase()));
    } else if (++m_keepaliveTimeouts >= m_simulator.config().timers.keepaliveTimeoutCount) {
        why = u"%1 keepalives in a row went unanswered"_s.arg(m_keepaliveTimeouts);
    } else {
        return;
    }
    qCInfo(lcCamsim).noquote() << u"%1: %2; registering again"_s.arg(m_config.id.toString(), why);
    ++m_keepaliveGeneration;
    cancelTimer(TimerKind::Keepalive);
    cancelTimer(TimerKind::Registration);
    beginRegistration(Attempt::Fresh);
}

void SimulatedDevice::sendMessage(QByteArray body, std::function<void(const ClientEvent &)> done)
{
    const ServerTarget &server = m_simulator.config().server;
    const QByteArray serverAddress = "sip:" + server.serverId + '@' + server.effectiveDomain();
    auto request = MessageBuilder::request(Method::Message, serverAddress);
    request.add(HeaderId::From, QByteArray('<' + deviceUri() + ">;tag=" + layer().newTag()));
    request.add(HeaderId::To, QByteArray('<' + serverAddress + '>'));
    request.add(HeaderId::CallId, layer().newCallId());
    request.add(HeaderId::CSeq, QByteArray(QByteArray::number(++m_messageCSeq) + " MESSAGE"));
    request.add(HeaderId::MaxForwards, "70");
    request.add(HeaderId::UserAgent, userAgent());
    request.setBody(body, Gb::kManscdpContentType);
    const auto sent = layer().sendRequest(std::move(request), serverPeer(), done);
    if (!sent) {
        qCWarning(lcCamsim).noquote() << u"%1: cannot send a MESSAGE: %2"_s.arg(m_config.id.toString(), sent.error().message);
        ClientEvent failed;
        failed.kind = ClientEvent::Kind::TransportError;
        QTimer::singleShot(0, &m_simulator, [done = std::move(done), failed] { done(failed); });
    }
}

void SimulatedDevice::sendCatalog(std::uint32_t sn)
{
    const QByteArray domain = m_simulator.config().server.effectiveDomain();
    QList<Gb::CatalogItem> items;
    items.reserve(m_config.channels.size());
    for (const ChannelConfig &channel : std::as_const(m_config.channels)) {
        Gb::CatalogItem item;
        item.deviceId = Gb::WireId<ChannelId>(channel.id);
        item.name = channel.name;
        item.manufacturer = m_config.manufacturer;
        item.model = m_config.model;
        item.owner = u"Owner"_s;
        item.civilCode = QString::fromLatin1(domain.left(6));
        item.address = channel.address;
        item.parental = false;
        item.parentIds = {m_config.id.toString()};
        item.safetyWay = 0;
        item.registerWay = 1;
        item.secrecy = 0;
        item.status = Gb::CatalogStatus::On;
        item.longitude = 117.2272 + 0.001 * (m_index % 100);
        item.latitude = 31.8206 + 0.001 * (m_index / 100 % 100);
        item.ptzType = channel.ptzType;
        items.append(std::move(item));
    }
    Gb::CatalogSplit split;
    if (m_config.catalogItemsPerMessage > 0)
        split.maxItemsPerMessage = m_config.catalogItemsPerMessage;
    const QList<Gb::ManscdpBody> parts = builder().responseCatalog(m_config.id, sn, items, split);
    qCInfo(lcCamsim).noquote() << u"%1: catalog query SN %2: %3 channels in %4 MESSAGEs"_s.arg(m_config.id.toString())
                                      .arg(sn)
                                      .arg(items.size())
                                      .arg(parts.size());
    m_simulator.noteQueryAnswered(parts.size());
    sendCatalogPart(parts, 0);
}

void SimulatedDevice::sendCatalogPart(QList<Gb::ManscdpBody> parts, qsizetype next)
{
    if (next >= parts.size())
        return;
    const QByteArray body = parts.at(next).bytes;
    // Serially, as the standard asks: the next part after the platform's 200 OK to this one.
    sendMessage(body, [this, parts = std::move(parts), next](const ClientEvent &event) {
        if (event.kind == ClientEvent::Kind::Provisional)
            return;
        if (event.kind == ClientEvent::Kind::Final && event.response.statusCode() < 300) {
            sendCatalogPart(parts, next + 1);
            return;
        }
        qCWarning(lcCamsim).noquote() << u"%1: catalog part %2 of %3 was not accepted (%4); not sending the rest"_s
                                             .arg(m_config.id.toString())
                                             .arg(next + 1)
                                             .arg(parts.size())
                                             .arg(event.kind == ClientEvent::Kind::Final
                                                      ? QString::number(event.response.statusCode())
                                                      : u"no answer"_s);
    });
}

// ---------------------------------------------------------------------------------------------
// Requests from the platform

void SimulatedDevice::respond(const Sip::IncomingRequest &request, int statusCode, QByteArrayView reason)
{
    auto response = MessageBuilder::responseTo(request.message(), statusCode, layer().newTag(), reason);
    response.add(HeaderId::UserAgent, userAgent());
    if (statusCode == 405)
        response.add(HeaderId::Allow, "INVITE, ACK, BYE, CANCEL, MESSAGE, OPTIONS, INFO, NOTIFY");
    if (const auto sent = layer().respond(request, std::move(response)); !sent)
        qCDebug(lcCamsim).noquote() << u"%1: cannot answer: %2"_s.arg(m_config.id.toString(), sent.error().message);
}

void SimulatedDevice::handleRequest(const Sip::IncomingRequest &request)
{
    switch (request.message().method()) {
    case Method::Message:
        handleMessage(request);
        return;
    case Method::Invite:
        handleInvite(request);
        return;
    case Method::Bye:
        handleBye(request);
        return;
    case Method::Options:
    case Method::Info:
    case Method::Notify:
        respond(request, 200);
        return;
    case Method::Subscribe:
        respond(request, 489); // Bad Event: like most devices, no subscriptions
        return;
    default:
        respond(request, 405);
        return;
    }
}

void SimulatedDevice::handleMessage(const Sip::IncomingRequest &request)
{
    const auto parsed = Gb::ManscdpMessage::parse(request.message().body());
    if (!parsed) {
        qCWarning(lcCamsim).noquote() << u"%1: unreadable MESSAGE body: %2"_s.arg(m_config.id.toString(), parsed.error().message);
        respond(request, 400);
        return;
    }
    respond(request, 200);

    const Gb::Envelope &envelope = parsed->envelope;
    const GbId target = envelope.deviceId.isWellFormed() ? GbId(envelope.deviceId.id()) : GbId(m_config.id);
    if (envelope.messageClass == Gb::MessageClass::Query) {
        switch (envelope.cmdType) {
        case Gb::CmdType::Catalog:
            sendCatalog(envelope.sn);
            return;
        case Gb::CmdType::DeviceInfo: {
            Gb::DeviceInfoResponse info;
            info.result = Gb::ResultCode::Ok;
            info.deviceName = m_config.name;
            info.manufacturer = m_config.manufacturer;
            info.model = m_config.model;
            info.firmware = m_config.firmware;
            info.channel = int(m_config.channels.size());
            m_simulator.noteQueryAnswered(1);
            sendMessage(builder().responseDeviceInfo(target, envelope.sn, info).bytes, [](const ClientEvent &) {});
            return;
        }
        case Gb::CmdType::DeviceStatus: {
            Gb::DeviceStatusResponse status;
            status.result = Gb::ResultCode::Ok;
            status.online = Gb::OnOff::On;
            status.status = Gb::ResultCode::Ok;
            status.encode = Gb::OnOff::On;
            status.record = Gb::OnOff::Off;
            status.deviceTime = deviceTime();
            m_simulator.noteQueryAnswered(1);
            sendMessage(builder().responseDeviceStatus(target, envelope.sn, status).bytes, [](const ClientEvent &) {});
            return;
        }
        default:
            qCInfo(lcCamsim).noquote() << u"%1: query %2 (SN %3) is not simulated; answered 200 only"_s.arg(
                                              m_config.id.toString(), envelope.cmdTypeText)
                                              .arg(envelope.sn);
            return;
        }
    }
    if (envelope.messageClass == Gb::MessageClass::Control && envelope.cmdType == Gb::CmdType::DeviceControl) {
        handleDeviceControl(*parsed);
        return;
    }
    qCDebug(lcCamsim).noquote() << u"%1: %2 %3 (SN %4) received"_s.arg(m_config.id.toString(),
                                                                       QString::fromLatin1(messageClassName(envelope.messageClass)),
                                                                       envelope.cmdTypeText)
                                       .arg(envelope.sn);
}

void SimulatedDevice::handleDeviceControl(const Gb::ManscdpMessage &message)
{
    const auto *control = message.get<Gb::DeviceControlRequest>();
    if (!control)
        return;
    const QString targetText = message.envelope.deviceId.text();
    if (!control->ptzCmd.isEmpty()) {
        const ChannelConfig *target = channel(targetText.toLatin1());
        const auto command = Gb::PtzCommand::fromHex(control->ptzCmd);
        if (!target) {
            qCWarning(lcCamsim).noquote() << u"%1: PTZCmd %2 for %3, which has no PTZ head here"_s.arg(m_config.id.toString(),
                                                                                                       control->ptzCmd, targetText);
        } else if (!command) {
            qCWarning(lcCamsim).noquote() << u"%1: PTZCmd %2 rejected: %3"_s.arg(target->id.toString(), control->ptzCmd,
                                                                                 command.error().message);
        } else {
            PtzState &head = m_ptz[target->id.toByteArray()];
            const QString description = head.apply(*command, m_simulator.nowMs());
            qCInfo(lcCamsim).noquote() << u"%1 (%2): PTZ %3: %4"_s.arg(target->id.toString(), target->name,
                                                                        QString::fromLatin1(command->toHex()), description);
            m_simulator.notePtz(*this, target->id.toString(), command->toHex(), description);
        }
    }
    if (!control->teleBoot.isEmpty()) {
        qCInfo(lcCamsim).noquote() << u"%1: remote reboot requested: registering again with a new Call-ID in 2 s"_s.arg(
            m_config.id.toString());
        stopAllCalls();
        ++m_generation;
        ++m_keepaliveGeneration;
        cancelTimer(TimerKind::Keepalive);
        m_state = RegistrationState::RetryWait;
        schedule(TimerKind::Registration, 2000);
    }
    const std::pair<const QString *, const char *> others[] = {
        {&control->recordCmd, "RecordCmd"},
        {&control->guardCmd, "GuardCmd"},
        {&control->alarmCmd, "AlarmCmd"},
        {&control->iFrameCmd, "IFameCmd"},
    };
    for (const auto &[value, name] : others) {
        if (!value->isEmpty())
            qCInfo(lcCamsim).noquote() << u"%1: %2 %3 accepted (not simulated)"_s.arg(targetText, QLatin1StringView(name), *value);
    }
}

const ChannelConfig *SimulatedDevice::channel(QByteArrayView channelOrDeviceId) const
{
    for (const ChannelConfig &candidate : m_config.channels) {
        if (candidate.id.view() == channelOrDeviceId)
            return &candidate;
    }
    // An IPC answers for its only channel under its own ID too (platforms use either).
    if (m_config.kind == DeviceKind::Ipc && m_config.channels.size() == 1 && m_config.id.view() == channelOrDeviceId)
        return &m_config.channels.front();
    return nullptr;
}

const PtzState *SimulatedDevice::ptz(const QString &channelOrDeviceId) const
{
    const ChannelConfig *target = channel(channelOrDeviceId.toLatin1());
    if (!target)
        return nullptr;
    const auto it = m_ptz.constFind(target->id.toByteArray());
    return it == m_ptz.cend() ? nullptr : &*it;
}

QString SimulatedDevice::deviceTime() const
{
    return Gb::formatDeviceTime(QDateTime::currentDateTime().addMSecs(m_clockOffsetMs));
}

// ---------------------------------------------------------------------------------------------
// Media sessions

void SimulatedDevice::handleInvite(const Sip::IncomingRequest &request)
{
    m_simulator.noteInvite();
    const Sip::SipMessage &invite = request.message();
    MediaEngine *media = m_simulator.media();
    if (!media) {
        qCInfo(lcCamsim).noquote() << u"%1: INVITE refused: this simulator has no media"_s.arg(m_config.id.toString());
        respond(request, 488);
        return;
    }
    const ChannelConfig *target = channel(invite.requestUri().user);
    if (!target) {
        qCInfo(lcCamsim).noquote() << u"%1: INVITE for unknown channel %2"_s.arg(m_config.id.toString(),
                                                                                  QString::fromLatin1(invite.requestUri().user));
        respond(request, 404);
        return;
    }
    const auto offer = Gb::MediaSdp::parse(invite.body());
    if (!offer || offer->session == Gb::SdpSessionName::Talk || offer->port == 0) {
        qCInfo(lcCamsim).noquote() << u"%1: INVITE with an SDP offer we cannot serve: %2"_s.arg(
            target->id.toString(), offer ? u"session or port not supported"_s : offer.error().message);
        respond(request, 488);
        return;
    }

    Call call;
    call.invite = request;
    call.localTag = layer().newTag();
    call.channel = target->id;
    call.offer = *offer;
    call.profile = requestedProfile(*offer);
    const QByteArray domain = m_simulator.config().server.effectiveDomain();
    call.ssrc = offer->ssrc.value_or(Gb::Ssrc::make(offer->session != Gb::SdpSessionName::Play, domain, ++m_ssrcSerial));
    if (m_simulator.config().faults.ssrcMismatch)
        call.ssrc = Gb::Ssrc(call.ssrc.value() ^ 0x1u);

    // What we will answer decides who connects: active (we connect) or passive (we listen).
    const Gb::MediaSdp answer = Gb::MediaSdp::answerTo(*offer, {}, {}, 0, std::nullopt);
    StreamSpec spec;
    if (answer.protocol == Gb::SdpProtocol::TcpRtpAvp)
        spec.role = answer.setup == Gb::SdpSetup::Active ? StreamRole::TcpConnect : StreamRole::TcpListen;
    else
        spec.role = StreamRole::UdpSend;
    call.role = spec.role;
    spec.length = offer->session == Gb::SdpSessionName::Play ? StreamLength::Endless : StreamLength::OnePass;
    spec.bindAddress = m_simulator.config().bindAddress;
    spec.remoteAddress = offer->address;
    spec.remotePort = offer->port;
    spec.ssrc = call.ssrc.value();
    spec.payloadType = std::uint8_t(answer.formats.front().payloadType);
    spec.faults = m_simulator.config().mediaFaults;
    spec.profile = call.profile;
    ++m_streamsOpened;
    if (spec.faults.seed) // reproducible, yet different for every stream of every device
        spec.faults.seed += std::uint32_t(m_index) * 7919u + m_streamsOpened;
    spec.label = u"%1 y=%2"_s.arg(target->id.toString(), QString::fromLatin1(call.ssrc.toText()));
    call.streamId = media->open(spec);
    m_simulator.registerStream(call.streamId, *this);
    qCInfo(lcCamsim).noquote() << u"%1 (%2): INVITE %3 %4 to %5:%6, y=%7%8, %9 stream from %10"_s.arg(
                                      target->id.toString(), target->name,
                                      sessionText(offer->session),
                                      spec.role == StreamRole::UdpSend      ? u"UDP"_s
                                          : spec.role == StreamRole::TcpConnect ? u"TCP passive (we connect)"_s
                                                                                 : u"TCP active (we listen)"_s,
                                      offer->address.toString())
                                      .arg(offer->port)
                                      .arg(QString::fromLatin1(call.ssrc.toText()),
                                           m_simulator.config().faults.ssrcMismatch ? u" (deliberately not the offered one)"_s
                                                                                     : QString(),
                                           Devices::streamProfileKey(call.profile),
                                           QFileInfo(media->sources().of(call.profile)->videoPath).fileName());
    m_calls.append(std::move(call));
}

SimulatedDevice::Call *SimulatedDevice::callByStream(std::uint64_t streamId)
{
    for (Call &call : m_calls) {
        if (call.streamId == streamId)
            return &call;
    }
    return nullptr;
}

void SimulatedDevice::streamPrepared(std::uint64_t streamId, std::uint16_t localPort)
{
    Call *call = callByStream(streamId);
    if (!call) {
        m_simulator.media()->stop(streamId); // cancelled while it was being prepared
        return;
    }
    if (const int delay = m_simulator.config().faults.inviteAnswerDelayMs; delay > 0 && !call->answerHeld) {
        call->answerHeld = true; // a CANCEL meanwhile ends the call; the timer then finds none
        QTimer::singleShot(delay, &m_simulator, [this, streamId, localPort] { streamPrepared(streamId, localPort); });
        return;
    }
    const QHostAddress local(QString::fromLatin1(m_simulator.localHost(m_group)));
    Gb::MediaSdp answer = Gb::MediaSdp::answerTo(call->offer, call->channel.toByteArray(), local, localPort, call->ssrc);
    answer.format = formatField(*m_simulator.media()->sources().of(call->profile));
    answer.includeFormat = true;

    auto response = MessageBuilder::responseTo(call->invite.message(), 200, call->localTag);
    response.add(HeaderId::Contact,
                 QByteArray("<sip:" + call->channel.toByteArray() + '@' + m_group.sink->viaSentBy(call->invite.peer()) + '>'));
    response.add(HeaderId::UserAgent, userAgent());
    response.setBody(answer.serialize(), "application/sdp");
    const auto sent = layer().respond(call->invite, std::move(response));
    auto dialog = Sip::Dialog::fromInviteRequest(call->invite.message(), call->localTag, call->invite.peer());
    if (!sent || !dialog) {
        qCWarning(lcCamsim).noquote() << u"%1: cannot answer the INVITE: %2"_s.arg(
            call->channel.toString(), !sent ? sent.error().message : dialog.error().message);
        endCall(call - m_calls.data(), false);
        return;
    }
    call->dialog = std::move(*dialog);
}

void SimulatedDevice::streamPrepareFailed(std::uint64_t streamId, const QString &error)
{
    Call *call = callByStream(streamId);
    if (!call)
        return;
    qCWarning(lcCamsim).noquote() << u"%1: cannot set up the stream: %2"_s.arg(call->channel.toString(), error);
    auto response = MessageBuilder::responseTo(call->invite.message(), 500, call->localTag);
    response.add(HeaderId::UserAgent, userAgent());
    (void)layer().respond(call->invite, std::move(response));
    call->streamId = 0;
    endCall(call - m_calls.data(), false);
}

void SimulatedDevice::handleAck(const Sip::SipMessage &ack)
{
    for (Call &call : m_calls) {
        if (call.dialog && !call.acked && call.dialog->matches(ack)) {
            call.acked = true;
            m_simulator.media()->start(call.streamId);
            m_simulator.noteStreamStarted(*this, call.channel.toString());
            return;
        }
    }
}

void SimulatedDevice::handleCancel(const Sip::IncomingRequest &request)
{
    const QByteArrayView callId = request.message().callId();
    for (qsizetype i = 0; i < m_calls.size(); ++i) {
        if (!m_calls[i].dialog && m_calls[i].invite.message().callId() == callId) {
            qCInfo(lcCamsim).noquote() << u"%1: INVITE cancelled by the platform"_s.arg(m_calls[i].channel.toString());
            endCall(i, false);
            return;
        }
    }
}

void SimulatedDevice::handleAckTimeout(const Sip::IncomingRequest &request)
{
    const QByteArrayView callId = request.message().callId();
    for (qsizetype i = 0; i < m_calls.size(); ++i) {
        if (m_calls[i].invite.message().callId() == callId && !m_calls[i].acked) {
            qCInfo(lcCamsim).noquote() << u"%1: no ACK for our 200 OK; hanging up"_s.arg(m_calls[i].channel.toString());
            endCall(i, true);
            return;
        }
    }
}

void SimulatedDevice::handleBye(const Sip::IncomingRequest &request)
{
    for (qsizetype i = 0; i < m_calls.size(); ++i) {
        if (m_calls[i].dialog && m_calls[i].dialog->matches(request.message())) {
            respond(request, 200);
            qCInfo(lcCamsim).noquote() << u"%1: BYE from the platform"_s.arg(m_calls[i].channel.toString());
            endCall(i, false);
            return;
        }
    }
    respond(request, 481);
}

void SimulatedDevice::streamEnded(std::uint64_t streamId, const QString &reason, const StreamStats &stats)
{
    Call *call = callByStream(streamId);
    const QString channelId = call ? call->channel.toString() : QString();
    if (call) {
        call->streamId = 0;
        if (reason == u"end of file"_s && call->dialog) {
            // Playback/download done: tell the platform (MediaStatus 121) in the dialog and wait
            // for its BYE, as devices do.
            auto notify = call->dialog->request(Method::Message);
            notify.add(HeaderId::UserAgent, userAgent());
            notify.setBody(builder().notifyMediaStatus(call->channel, ++m_sn).bytes, Gb::kManscdpContentType);
            (void)layer().sendRequest(std::move(notify), call->dialog->peer(), [](const ClientEvent &) {});
        } else {
            endCall(call - m_calls.data(), true);
        }
    }
    m_simulator.noteStreamEnded(*this, channelId, reason, stats);
}

void SimulatedDevice::endCall(qsizetype index, bool sendBye)
{
    Call call = m_calls.takeAt(index);
    if (call.streamId)
        m_simulator.media()->stop(call.streamId);
    if (sendBye && call.dialog) {
        auto bye = call.dialog->request(Method::Bye);
        bye.add(HeaderId::UserAgent, userAgent());
        (void)layer().sendRequest(std::move(bye), call.dialog->peer(), [](const ClientEvent &) {});
    }
}

void SimulatedDevice::stopAllCalls()
{
    while (!m_calls.isEmpty())
        endCall(m_calls.size() - 1, m_calls.back().dialog.has_value());
}

} // namespace Vigil::CamSim
