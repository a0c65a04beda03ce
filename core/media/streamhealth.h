#pragma once

#include "devices/device.h"
#include "mediatypes.h"
#include "psdemuxer.h"

#include <QCoreApplication>
#include <QString>

#include <array>
#include <cstdint>
#include <optional>

namespace Vigil::Media {

/// How a device sends RTP to us; the devices module owns the setting, media follows it.
using MediaTransport = Devices::MediaTransport;

/// "UDP", "TCP passive", "TCP active"; for logs and stats.
QLatin1StringView transportName(MediaTransport transport) noexcept;

/// Where a live stream stands, as an operator would put it.
enum class StreamState : std::uint8_t {
    Idle,       ///< made, not started
    Connecting, ///< started: waiting for media (or connecting, for TCP active) and the first picture
    Playing,    ///< pictures are decoded
    Stalled,    ///< no packets for the stall threshold; the signalling side should re-INVITE
    Failed,     ///< cannot go on; StreamHealth::failure and failureReason say why
    Stopped,    ///< stop() was called
};

/// Why a stream failed.
enum class StreamFailure : std::uint8_t {
    None,
    BindFailed,         ///< no local port could be bound or listened on
    TcpConnectFailed,   ///< TCP active: the device's port did not accept the connection
    NotProgramStream,   ///< the payload is not MPEG-PS (raw H.264/H.265, MPEG-TS, or unknown)
    UnsupportedCodec,   ///< PS with video Vigil cannot decode (MPEG-4, SVAC...)
    DecoderUnavailable, ///< FFmpeg cannot open a decoder for the codec
};

/// "H.264 program stream" style names for states, for logs.
QLatin1StringView stateName(StreamState state) noexcept;

/// A point-in-time view of one stream's health: what the tile's overlay, the API's stream
/// stats and the logs show. Counters run from start(); rates cover the last few seconds.
struct StreamHealth {
    StreamState state = StreamState::Idle;
    StreamFailure failure = StreamFailure::None;
    QString failureReason; ///< translated, for operators: what happened and what to do

    MediaTransport transport = MediaTransport::Udp;
    quint16 localPort = 0;
    std::optional<std::uint32_t> ssrc; ///< the SSRC being followed (the answer's y=, or adopted)
    int payloadType = -1;              ///< of the last RTP packet; -1 before the first
    PsContent content = PsContent::Unknown;

    double fps = 0;           ///< decoded pictures per second
    qint64 bitrateInBps = 0;  ///< RTP payload bits per second received
    qint64 bitrateOutBps = 0; ///< elementary stream bits per second delivered to the decoders

    quint64 packetsReceived = 0;   ///< RTP packets taken from the socket or TCP connection
    quint64 bytesReceived = 0;     ///< their size, headers included
    quint64 packetsLost = 0;       ///< sequence numbers that never arrived in time
    quint64 packetsReordered = 0;  ///< arrived out of order, put back in order
    quint64 packetsDuplicated = 0; ///< arrived twice; dropped
    quint64 packetsLate = 0;       ///< arrived after their place was given up; dropped
    quint64 packetsInvalid = 0;    ///< not RTP, too large, or RTCP; dropped
    quint64 resyncs = 0;           ///< TCP framing or PS structure lost and found again
    quint64 ssrcMismatches = 0;    ///< packets with an SSRC other than the one followed
    quint64 ssrcChanges = 0;       ///< times another SSRC was adopted
    quint64 tcpConnections = 0;    ///< TCP connections made or accepted

    quint64 framesDecoded = 0;
    quint64 framesDropped = 0;  ///< access units not decoded: decode queue full or waiting for a key frame
    quint64 decodeErrors = 0;   ///< access units or pictures FFmpeg rejected
    quint64 stalls = 0;         ///< times the stream entered Stalled

    qint64 lastPacketAgeMs = -1;    ///< since the last packet arrived; -1 before the first
    qint64 timeToFirstFrameMs = -1; ///< from start() to the first decoded picture; -1 before it

    VideoCodec videoCodec = VideoCodec::Unknown;
    int width = 0;
    int height = 0;
    AudioCodec audioCodec = AudioCodec::Unknown;
    quint64 audioFrames = 0; ///< decoded audio frames
    quint64 audioErrors = 0;
};

/// Counts events over a sliding window of the last few seconds, for fps and bit rates.
/// Time is passed in (monotonic milliseconds). Not thread-safe.
class RateMeter {
public:
    static constexpr int kBuckets = 8;
    static constexpr qint64 kBucketMs = 250; ///< the window is kBuckets * kBucketMs = 2 s

    void add(qint64 nowMs, qint64 amount);
    /// Amount per second over the window that ends at nowMs (a shorter one at the start).
    double ratePerSecond(qint64 nowMs) const;

private:
    void advance(qint64 nowMs);

    std::array<qint64, kBuckets> m_buckets{};
    qint64 m_currentBucket = -1; ///< index (nowMs / kBucketMs) of the newest bucket
    qint64 m_firstMs = -1;
};

} // namespace Vigil::Media
