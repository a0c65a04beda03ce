#pragma once

#include "common/gbid.h"
#include "common/result.h"
#include "devices/device.h"
#include "gb28181/sdp.h"
#include "media/ffmpeg/videoframe.h"
#include "media/streamhealth.h"
#include "sip/dialog.h"
#include "sip/transactionlayer.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace Vigil::Media {
class MediaPortPool;
class StreamSession;
} // namespace Vigil::Media

namespace Vigil::Gb {

class GbService;

using StreamId = std::uint64_t;

/// What a caller may choose when opening a stream; the device's settings fill in the rest.
struct StreamOptions {
    std::optional<Devices::MediaTransport> transport;
    std::optional<Devices::StreamProfile> profile;
    /// Called on the decode thread with every decoded picture (the console's tile slot).
    std::function<void(const Media::VideoFrame &frame)> onFrame;
};

/// Where a stream is, from the operator's point of view.
enum class SessionState : std::uint8_t {
    Inviting,   ///< INVITE sent, no final answer yet
    Connecting, ///< the device accepted; waiting for media and the first picture
    Playing,
    Stalled,    ///< no media for a few seconds; a new INVITE is on its way
    Failed,     ///< could not start or broke for good; `error` says why and what to do
    Ended,      ///< the device ended it, or it was closed
};

/// "inviting", "connecting", "playing", "stalled", "failed", "ended" (API, logs).
QLatin1StringView sessionStateName(SessionState state) noexcept;

/// A snapshot of one stream for the API and the console.
struct StreamStatus {
    StreamId id = 0;
    QString channelId;
    DeviceId device;
    SessionState state = SessionState::Inviting;
    QString error; ///< translated, for operators
    Devices::MediaTransport transport = Devices::MediaTransport::Udp;
    Devices::StreamProfile profile = Devices::StreamProfile::Main;
    std::uint32_t ssrc = 0;
    int reinvites = 0;
    QDateTime openedAt;
    Media::StreamHealth health;
};

/// Live streams of GB/T 28181 channels: INVITE with an SDP offer (PS on 96, H.264 98, MPEG-4
/// 97, H.265 99, recvonly, y= SSRC, a=setup for TCP), ACK, BYE, CANCEL, and one
/// Media::StreamSession per stream that receives, demultiplexes and decodes it.
///
/// Lives on the signalling thread, owned by GbService. Rules (gb28181.md §6):
/// - The receive socket is bound (TCP: the listener open) before the INVITE leaves.
/// - SSRCs follow GB (live digit, domain digits, serial) and are not reused for a while.
/// - The device's y= wins when it differs; ours is kept when it sends none.
/// - A stream that stalls is INVITEd again (after a BYE for the old dialog), a few times with
///   growing pauses, then Failed with the reason. A device going offline ends its streams.
class MediaSessions : public QObject {
    Q_OBJECT

public:
    MediaSessions(GbService &service, QObject *parent = nullptr);
    ~MediaSessions() override;

    /// Starts a stream of `channelId` (or of an IPC by its own ID). Returns at once with the
    /// stream's id; progress comes through statusChanged(). Fails only when the channel is
    /// unknown, its device is not registered, or no media port is free.
    Result<StreamId> open(const QString &channelId, StreamOptions options = {});
    /// Ends a stream: BYE (or CANCEL while ringing), socket closed, port released.
    void close(StreamId id);
    std::optional<StreamStatus> status(StreamId id) const;
    QList<StreamStatus> streams() const;
    /// The newest decoded picture of a stream; an error when there is none yet.
    Result<Media::VideoFrame> latestFrame(StreamId id) const;

    /// Ends every stream (shutdown): BYE to each device.
    void closeAll();
    /// Picks up a changed media port range from the service's settings; running streams keep
    /// their ports.
    void reconfigure();

    /// A device's BYE (or INFO) for one of our dialogs. Returns false when it matches none.
    bool handleRequest(const Sip::IncomingRequest &request);
    /// A response no transaction wanted: a 200 OK to one of our INVITEs sent again because
    /// our ACK was lost is ACKed again (RFC 3261 13.2.2.4).
    void handleStrayResponse(const Sip::SipMessage &response, const Sip::Peer &peer);
    /// Ends every stream of a device that went offline.
    void deviceOffline(const DeviceId &device);

Q_SIGNALS:
    /// A stream's state changed, or (about once a second while it plays) its health did. The
    /// last one of a closed stream says Ended.
    void statusChanged(const Vigil::Gb::StreamStatus &status);

private:
    struct Session;

    void invite(Session &session);
    void onInviteEvent(StreamId id, const Sip::ClientEvent &event);
    void onAnswer(Session &session, const Sip::SipMessage &response, const Sip::Peer &peer);
    void onStall(StreamId id);
    void failSession(Session &session, const QString &reason);
    void hangUp(Session &session);
    /// ACKs a 2xx to an INVITE no stream wants any more and ends that call with BYE.
    void endOrphanCall(const Sip::SipMessage &response, const Sip::Peer &peer);
    void setState(Session &session, SessionState state, const QString &error = {});
    Ssrc allocateSsrc();
    QHostAddress mediaAddressFor(const Sip::Peer &route) const;
    StreamStatus statusOf(const Session &session) const;
    void publishHealth();
    Session *find(StreamId id);
    const Session *find(StreamId id) const;

    GbService &m_service;
    std::shared_ptr<Media::MediaPortPool> m_ports;
    std::uint16_t m_portMin = 0;
    std::uint16_t m_portMax = 0;
    QHash<StreamId, std::shared_ptr<Session>> m_sessions;
    StreamId m_nextId = 1;
    std::uint32_t m_nextSerial = 1;
    QHash<std::uint32_t, qint64> m_recentSsrcs; ///< SSRC -> when it was released (ms since epoch)
    QTimer *m_healthTimer = nullptr;
};

} // namespace Vigil::Gb
