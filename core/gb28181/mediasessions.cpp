#include "mediasessions.h"

#include "common/logging.h"
#include "devices/deviceregistry.h"
#include "gb28181/gbservice.h"
#include "gb28181/registrar.h"
#include "media/ffmpeg/videoframe.h"
#include "media/mediaportpool.h"
#include "media/streamsession.h"
#include "sip/uri.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace Vigil::Gb {

namespace {

/// Pauses before INVITing a stalled or failed-after-playing stream again: 2 s, 4 s, 8 s...
constexpr int kFirstRetryMs = 2000;
constexpr int kMaxReinvites = 5;
/// An SSRC is not handed out again for this long after its stream ended (late packets).
constexpr qint64 kSsrcRestMs = 60000;

/// RFC 1918 and carrier-grade NAT space: an address a device behind NAT reports for itself.
bool isPrivateAddress(const QHostAddress &address)
{
    bool ok = false;
    const quint32 v4 = address.toIPv4Address(&ok);
    if (!ok)
        return false;
    return (v4 >> 24) == 10 || (v4 >> 20) == (172u << 4 | 1) || (v4 >> 16) == (192u << 8 | 168)
        || (v4 >> 22) == (100u << 2 | 1);
}

QString statusHint(int code)
{
    switch (code) {
    case 488:
    case 415:
        return MediaSessions::tr("the device cannot send what was asked; try another media transport (UDP, TCP "
                                 "passive, TCP active) in the device's properties");
    case 486:
    case 503:
        return MediaSessions::tr("the device is busy, probably streaming to too many viewers");
    case 404:
        return MediaSessions::tr("the device does not know this channel; refresh its catalog");
    case 403:
    case 401:
        return MediaSessions::tr("the device refused this platform; check its GB/T 28181 settings");
    default:
        return MediaSessions::tr("see the device's log");
    }
}

StreamNumberAttribute subStreamAttribute(Devices::SubStreamAttribute attribute)
{
    switch (attribute) {
    case Devices::SubStreamAttribute::StreamNumber: return StreamNumberAttribute::StreamNumber;
    case Devices::SubStreamAttribute::StreamProfile: return StreamNumberAttribute::StreamProfile;
    case Devices::SubStreamAttribute::Stream: return StreamNumberAttribute::Stream;
    case Devices::SubStreamAttribute::StreamMode: return StreamNumberAttribute::StreamMode;
    }
    return StreamNumberAttribute::StreamNumber;
}

/// Health goes out this often while a stream is open (bit rate, fps for the tile overlay).
constexpr int kHealthIntervalMs = 1000;

} // namespace

QLatin1StringView sessionStateName(SessionState state) noexcept
{
    switch (state) {
    case SessionState::Inviting: return "inviting"_L1;
    case SessionState::Connecting: return "connecting"_L1;
    case SessionState::Playing: return "playing"_L1;
    case SessionState::Stalled: return "stalled"_L1;
    case SessionState::Failed: return "failed"_L1;
    case SessionState::Ended: return "ended"_L1;
    }
    return "unknown"_L1;
}

struct MediaSessions::Session {
    StreamId id = 0;
    QString channelId;
    DeviceId device;
    GbId target;
    StreamOptions options;
    Devices::MediaTransport transport = Devices::MediaTransport::Udp;
    Devices::StreamProfile profile = Devices::StreamProfile::Main;
    StreamNumberAttribute subStreamAttribute = StreamNumberAttribute::StreamNumber;
    Ssrc ssrc;
    std::unique_ptr<Media::StreamSession> stream;
    Sip::ClientTransaction invite;
    bool answered = false; ///< a final response to the current INVITE arrived
    std::optional<Sip::Dialog> dialog;
    SessionState state = SessionState::Inviting;
    QString error;
    int reinvites = 0;
    int retriesInARow = 0;
    QDateTime openedAt;
    QTimer *retry = nullptr;
    Media::StreamHealth lastHealth; ///< kept when the stream object goes
};

MediaSessions::MediaSessions(GbService &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{
    reconfigure();
    m_healthTimer = new QTimer(this);
    m_healthTimer->setInterval(kHealthIntervalMs);
    connect(m_healthTimer, &QTimer::timeout, this, &MediaSessions::publishHealth);
}

void MediaSessions::publishHealth()
{
    for (const auto &session : std::as_const(m_sessions)) {
        if (session->stream)
            Q_EMIT statusChanged(statusOf(*session));
    }
}

void MediaSessions::reconfigure()
{
    const ServerConfig &config = m_service.config();
    if (m_ports && config.mediaPortMin == m_portMin && config.mediaPortMax == m_portMax)
        return;
    // Running streams hold leases on the old pool, which lives as long as they do.
    m_ports = Media::MediaPortPool::create(config.mediaPortMin, config.mediaPortMax);
    m_portMin = config.mediaPortMin;
    m_portMax = config.mediaPortMax;
}

void MediaSessions::closeAll()
{
    const auto ids = m_sessions.keys();
    for (StreamId id : ids)
        close(id);
}

MediaSessions::~MediaSessions()
{
    closeAll();
}

MediaSessions::Session *MediaSessions::find(StreamId id)
{
    const auto it = m_sessions.find(id);
    return it == m_sessions.end() ? nullptr : it->get();
}

const MediaSessions::Session *MediaSessions::find(StreamId id) const
{
    const auto it = m_sessions.constFind(id);
    return it == m_sessions.constEnd() ? nullptr : it->get();
}

Ssrc MediaSessions::allocateSsrc()
{
    const QByteArray domain = m_service.config().domain.toLatin1();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int attempt = 0; attempt < 10000; ++attempt) {
        const Ssrc candidate = Ssrc::make(false, domain, m_nextSerial);
        m_nextSerial = m_nextSerial % 9999 + 1; // serials 1-9999
        const auto rested = m_recentSsrcs.constFind(candidate.value());
        bool inUse = false;
        for (const auto &session : std::as_const(m_sessions))
            inUse = inUse || session->ssrc == candidate;
        if (!inUse && (rested == m_recentSsrcs.constEnd() || now - *rested > kSsrcRestMs))
            return candidate;
    }
    return Ssrc::make(false, domain, m_nextSerial); // 9999 live streams: share rather than fail
}

QHostAddress MediaSessions::mediaAddressFor(const Sip::Peer &route) const
{
    const ServerConfig &config = m_service.config();
    if (!config.mediaAddress.isNull())
        return config.mediaAddress;
    // The address the device's SIP traffic reaches us on is the one it can send media to.
    const QByteArray sentBy = m_service.transport().viaSentBy(route);
    const auto hostPort = Sip::parseHostPort(sentBy);
    if (hostPort) {
        QByteArray host = hostPort->first.toByteArray();
        if (host.startsWith('[') && host.endsWith(']'))
            host = host.mid(1, host.size() - 2);
        const QHostAddress address(QString::fromLatin1(host));
        if (!address.isNull())
            return address;
    }
    return QHostAddress(QHostAddress::LocalHost);
}

Result<StreamId> MediaSessions::open(const QString &channelId, StreamOptions options)
{
    const Devices::DeviceRegistry &registry = m_service.registry();
    DeviceId device;
    GbId target;
    if (const auto channel = registry.findChannel(channelId)) {
        device = channel->device;
        auto parsed = GbId::parse(QStringView(channel->channel.id));
        if (!parsed)
            return fail(ErrorCode::InvalidArgument,
                        tr("%1 is a catalog group, not a channel that streams video.").arg(channelId));
        target = *parsed;
    } else if (const auto asDevice = registry.deviceOf(channelId)) {
        device = *asDevice; // an IPC opened by its own ID
        target = device;
    } else {
        return fail(ErrorCode::NotFound, tr("Channel %1 is not known; refresh the device's catalog.").arg(channelId));
    }
    if (!m_service.registrar().isRegistered(device))
        return fail(ErrorCode::NotFound,
                    tr("Device %1 is offline; video can be opened when it registers again.").arg(device.toString()));

    auto session = std::make_shared<Session>();
    session->id = m_nextId++;
    session->channelId = channelId;
    session->device = device;
    session->target = target;
    const auto settings = registry.settings(device);
    session->transport = options.transport.value_or(settings ? settings->mediaTransport
                                                              : m_service.config().defaultMediaTransport);
    session->profile = options.profile.value_or(settings ? settings->streamProfile : Devices::StreamProfile::Main);
    session->subStreamAttribute = subStreamAttribute(settings ? settings->subStreamAttribute
                                                              : Devices::SubStreamAttribute::StreamNumber);
    session->options = std::move(options);
    session->openedAt = QDateTime::currentDateTimeUtc();
    m_sessions.insert(session->id, session);
    if (!m_healthTimer->isActive())
        m_healthTimer->start();
    invite(*session);
    if (session->state == SessionState::Failed) {
        // It could not even start (no free port, no route): the caller hears it at once.
        m_sessions.remove(session->id);
        return fail(ErrorCode::IoError, session->error);
    }
    return session->id;
}

void MediaSessions::invite(Session &session)
{
    const auto route = m_service.registrar().route(session.device);
    if (!route) {
        failSession(session, tr("Device %1 is offline.").arg(session.device.toString()));
        return;
    }
    if (session.stream) {
        session.lastHealth = session.stream->health();
        session.stream->stop();
        session.stream.reset();
    }

    session.ssrc = allocateSsrc();
    Media::StreamSessionConfig config;
    config.transport = session.transport;
    config.portPool = m_ports;
    config.expectedSsrc = session.ssrc.value();
    config.logName = session.channelId;
    config.onDecodedFrame = session.options.onFrame;
    session.stream = std::make_unique<Media::StreamSession>(config);
    const StreamId id = session.id;
    Media::StreamSession *stream = session.stream.get();
    connect(stream, &Media::StreamSession::stateChanged, this, [this, id](Media::StreamState state) {
        Session *s = find(id);
        if (!s)
            return;
        if (state == Media::StreamState::Playing) {
            s->retriesInARow = 0;
            setState(*s, SessionState::Playing);
        }
    });
    connect(stream, &Media::StreamSession::reinviteNeeded, this, [this, id] { onStall(id); });
    connect(stream, &Media::StreamSession::failed, this,
            [this, id](Media::StreamFailure, const QString &reason) {
                if (Session *s = find(id))
                    failSession(*s, reason);
            });

    const auto port = session.stream->prepare();
    if (!port) {
        failSession(session, tr("No media port is free for the video: %1").arg(port.error().message));
        return;
    }

    const ServerConfig &serverConfig = m_service.config();
    const QHostAddress mediaAddress = mediaAddressFor(*route);
    MediaSdp offer = MediaSdp::offer(SdpSessionName::Play, serverConfig.serverId.toByteArray(), mediaAddress, *port,
                                     session.transport, session.ssrc);
    if (session.profile == Devices::StreamProfile::Sub) {
        offer.streamNumber = 1;
        offer.streamNumberAttribute = session.subStreamAttribute;
    }

    const QByteArray targetId = session.target.toByteArray();
    const QByteArray routeHost = route->hostPort().toLatin1();
    Sip::TransactionLayer &layer = m_service.transactions();
    auto request = Sip::MessageBuilder::request(Sip::Method::Invite, QByteArray("sip:" + targetId + '@' + routeHost));
    request.add(Sip::HeaderId::From, QByteArray("<sip:" + serverConfig.serverId.toByteArray() + '@'
                                                + serverConfig.domain.toLatin1() + ">;tag=" + layer.newTag()));
    request.add(Sip::HeaderId::To, QByteArray("<sip:" + targetId + '@' + routeHost + '>'));
    request.add(Sip::HeaderId::CallId, layer.newCallId());
    request.add(Sip::HeaderId::CSeq, "1 INVITE");
    request.add(Sip::HeaderId::Contact, QByteArray("<sip:" + serverConfig.serverId.toByteArray() + '@'
                                                   + m_service.transport().viaSentBy(*route) + '>'));
    request.add(Sip::HeaderId::Subject, inviteSubject(targetId, session.ssrc, serverConfig.serverId.toByteArray()));
    request.add(Sip::HeaderId::MaxForwards, "70");
    request.add(Sip::HeaderId::UserAgent, "Vigil");
    request.setBody(offer.serialize(), "APPLICATION/SDP");

    session.answered = false;
    session.dialog.reset();
    auto sent = layer.sendRequest(std::move(request), *route,
                                  [this, id](const Sip::ClientEvent &event) { onInviteEvent(id, event); });
    if (!sent) {
        failSession(session, tr("Could not send the request for video: %1").arg(sent.error().message));
        return;
    }
    session.invite = *sent;
    setState(session, session.reinvites > 0 ? SessionState::Stalled : SessionState::Inviting);
    qCInfo(lcGb) << "INVITE for" << session.channelId << "via" << route->toString() << "port" << *port << "SSRC"
                 << session.ssrc.toText();
}

void MediaSessions::onInviteEvent(StreamId id, const Sip::ClientEvent &event)
{
    using Kind = Sip::ClientEvent::Kind;
    Session *session = find(id);
    if (event.kind == Kind::Provisional)
        return;
    if (event.kind == Kind::Final && event.response.statusCode() < 300) {
        if (!session || event.afterCancel || session->answered) {
            endOrphanCall(event.response, event.peer); // accepted after we gave up on it
            return;
        }
        session->answered = true;
        onAnswer(*session, event.response, event.peer);
        return;
    }
    if (!session)
        return;
    session->answered = true;
    if (event.kind == Kind::Final) {
        const int code = event.response.statusCode();
        failSession(*session, tr("The device refused the video (%1 %2): %3")
                           .arg(code)
                           .arg(QString::fromUtf8(event.response.reasonPhrase()), statusHint(code)));
    } else if (event.kind == Kind::Timeout) {
        failSession(*session, tr("The device did not answer the request for video; check that it is online and reachable."));
    } else {
        failSession(*session, tr("The request for video could not be sent to the device."));
    }
}

void MediaSessions::onAnswer(Session &session, const Sip::SipMessage &response, const Sip::Peer &peer)
{
    auto dialog = Sip::Dialog::fromInviteResponse(response, peer);
    if (!dialog) {
        failSession(session, tr("The device's answer could not be understood: %1").arg(dialog.error().message));
        return;
    }
    session.dialog = *dialog;
    if (auto acked = m_service.transactions().sendAck(dialog->ack(), dialog->peer()); !acked)
        qCWarning(lcGb) << "could not ACK the 200 OK of" << session.channelId << acked.error().message;

    const auto answer = MediaSdp::parse(response.body());
    if (!answer) {
        qCInfo(lcGb) << session.channelId << "answered without a usable SDP:" << answer.error().message;
    } else {
        if (answer->ssrc && !(*answer->ssrc == session.ssrc)) {
            // The device's y= is authoritative (gb28181.md 6.3).
            qCInfo(lcGb) << session.channelId << "answered SSRC" << answer->ssrc->toText() << "instead of"
                         << session.ssrc.toText();
            session.ssrc = *answer->ssrc;
            session.stream->setExpectedSsrc(session.ssrc.value());
        }
        if (session.transport == Devices::MediaTransport::TcpActive) {
            // Behind NAT the answer's c= is a LAN address; the signalling source is reachable.
            QHostAddress address = answer->address;
            if (address.isNull() || address == QHostAddress(QHostAddress::AnyIPv4)
                || (isPrivateAddress(address) && !isPrivateAddress(peer.address) && !peer.address.isLoopback()))
                address = peer.address;
            session.stream->setRemoteEndpoint(address, answer->port);
        }
    }
    if (auto started = session.stream->start(); !started) {
        failSession(session, started.error().message);
        return;
    }
    setState(session, SessionState::Connecting);
}

void MediaSessions::onStall(StreamId id)
{
    Session *session = find(id);
    if (!session || session->state == SessionState::Failed || session->state == SessionState::Ended)
        return;
    if (session->retry && session->retry->isActive())
        return;
    ++session->retriesInARow;
    if (session->retriesInARow > kMaxReinvites) {
        failSession(*session, tr("No video from the device after %1 attempts; check its network and media settings.")
                           .arg(kMaxReinvites));
        return;
    }
    setState(*session, SessionState::Stalled, tr("No video for a few seconds; asking the device again."));
    hangUp(*session);
    if (!session->retry) {
        session->retry = new QTimer(this);
        session->retry->setSingleShot(true);
        connect(session->retry, &QTimer::timeout, this, [this, id] {
            if (Session *s = find(id); s && s->state == SessionState::Stalled) {
                ++s->reinvites;
                invite(*s);
            }
        });
    }
    session->retry->start(kFirstRetryMs << std::min(session->retriesInARow - 1, 4));
}

void MediaSessions::hangUp(Session &session)
{
    Sip::TransactionLayer &layer = m_service.transactions();
    if (session.dialog) {
        (void)layer.sendRequest(session.dialog->request(Sip::Method::Bye), session.dialog->peer(),
                                [](const Sip::ClientEvent &) {});
        session.dialog.reset();
    } else if (!session.answered && session.invite.isValid()) {
        (void)layer.cancel(session.invite); // a 2xx that crosses the CANCEL is ACKed and hung up
    }
    session.answered = true;
    if (session.stream) {
        session.lastHealth = session.stream->health();
        session.stream->stop();
        session.stream.reset();
    }
    m_recentSsrcs.insert(session.ssrc.value(), QDateTime::currentMSecsSinceEpoch());
}

void MediaSessions::failSession(Session &session, const QString &reason)
{
    qCInfo(lcGb) << "stream of" << session.channelId << "failed:" << reason;
    hangUp(session);
    setState(session, SessionState::Failed, reason);
}

void MediaSessions::close(StreamId id)
{
    const auto it = m_sessions.find(id);
    if (it == m_sessions.end())
        return;
    std::shared_ptr<Session> session = it.value();
    m_sessions.erase(it);
    if (session->retry)
        session->retry->deleteLater();
    hangUp(*session);
    session->state = SessionState::Ended;
    Q_EMIT statusChanged(statusOf(*session));
    if (m_sessions.isEmpty())
        m_healthTimer->stop();
}

void MediaSessions::setState(Session &session, SessionState state, const QString &error)
{
    if (session.state == state && session.error == error)
        return;
    session.state = state;
    session.error = error;
    Q_EMIT statusChanged(statusOf(session));
}

StreamStatus MediaSessions::statusOf(const Session &session) const
{
    StreamStatus status;
    status.id = session.id;
    status.channelId = session.channelId;
    status.device = session.device;
    status.state = session.state;
    status.error = session.error;
    status.transport = session.transport;
    status.profile = session.profile;
    status.ssrc = session.ssrc.value();
    status.reinvites = session.reinvites;
    status.openedAt = session.openedAt;
    status.health = session.stream ? session.stream->health() : session.lastHealth;
    return status;
}

std::optional<StreamStatus> MediaSessions::status(StreamId id) const
{
    const Session *session = find(id);
    if (!session)
        return std::nullopt;
    return statusOf(*session);
}

QList<StreamStatus> MediaSessions::streams() const
{
    QList<StreamStatus> all;
    for (auto it = m_sessions.constBegin(); it != m_sessions.constEnd(); ++it) {
        if (auto s = status(it.key()))
            all.append(*s);
    }
    return all;
}

Result<Media::VideoFrame> MediaSessions::latestFrame(StreamId id) const
{
    const Session *session = find(id);
    if (!session)
        return fail(ErrorCode::NotFound, tr("There is no stream %1.").arg(id));
    Media::VideoFrame frame = session->stream ? session->stream->latestFrame() : Media::VideoFrame();
    if (frame.isNull())
        return fail(ErrorCode::NotFound, session->error.isEmpty()
                                             ? tr("The stream has no picture yet.")
                                             : tr("The stream has no picture: %1").arg(session->error));
    return frame;
}

bool MediaSessions::handleRequest(const Sip::IncomingRequest &request)
{
    const Sip::SipMessage &message = request.message();
    for (const auto &session : std::as_const(m_sessions)) {
        if (!session->dialog || !session->dialog->matches(message))
            continue;
        auto response = Sip::MessageBuilder::responseTo(message, 200);
        (void)m_service.transactions().respond(request, std::move(response));
        if (message.method() == Sip::Method::Bye) {
            session->dialog.reset(); // ended by the device: no BYE back
            qCInfo(lcGb) << "the device ended the stream of" << session->channelId;
            hangUp(*session);
            setState(*session, SessionState::Ended, tr("The device ended the video."));
        }
        return true;
    }
    return false;
}

void MediaSessions::handleStrayResponse(const Sip::SipMessage &response, const Sip::Peer &peer)
{
    if (response.statusCode() < 200 || response.statusCode() >= 300 || response.cseq().method != Sip::Method::Invite)
        return;
    for (const auto &session : std::as_const(m_sessions)) {
        if (session->dialog && session->dialog->matchesResponse(response)) {
            (void)m_service.transactions().sendAck(session->dialog->ack(), peer);
            return;
        }
    }
    endOrphanCall(response, peer);
}

void MediaSessions::endOrphanCall(const Sip::SipMessage &response, const Sip::Peer &peer)
{
    // The call exists on the device although no stream wants it: ACK and BYE, or the device
    // streams into the void.
    if (auto dialog = Sip::Dialog::fromInviteResponse(response, peer)) {
        (void)m_service.transactions().sendAck(dialog->ack(), dialog->peer());
        (void)m_service.transactions().sendRequest(dialog->request(Sip::Method::Bye), dialog->peer(),
                                                   [](const Sip::ClientEvent &) {});
    }
}

void MediaSessions::deviceOffline(const DeviceId &device)
{
    for (const auto &session : std::as_const(m_sessions)) {
        if (session->device == device && session->state != SessionState::Failed
            && session->state != SessionState::Ended) {
            hangUp(*session);
            setState(*session, SessionState::Failed, tr("The device went offline."));
        }
    }
}

} // namespace Vigil::Gb
