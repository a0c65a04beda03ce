#pragma once

#include "common/result.h"
#include "ffmpeg/audiodecoder.h"
#include "ffmpeg/decodequeue.h"
#include "ffmpeg/frameslot.h"
#include "ffmpeg/jpegencoder.h"
#include "ffmpeg/videoframe.h"
#include "mediaportpool.h"
#include "reorderbuffer.h"
#include "streamassembler.h"
#include "streamhealth.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace Vigil {
class WorkerThread;
}

namespace Vigil::Media {

class DecodeWorker;
class StreamSessionWorker;

/// How a StreamSession receives and decodes one live stream. The defaults suit a GB/T 28181
/// camera; the signalling side fills in transport, ports and SSRC from the device settings and
/// the SDP.
struct StreamSessionConfig {
    MediaTransport transport = MediaTransport::Udp;
    /// The local address to receive on (the SDP's c= is the address devices reach it by).
    QHostAddress localAddress = QHostAddress(QHostAddress::AnyIPv4);
    /// The local port: UDP and TCP passive receive on it, TCP active only writes it into the
    /// SDP. 0: one from portPool, or any free port when there is no pool.
    quint16 localPort = 0;
    std::shared_ptr<MediaPortPool> portPool;
    /// TCP active: the device's media address and port from its SDP answer (c=, m=); may also
    /// be set later with setRemoteEndpoint(), before start().
    QHostAddress remoteAddress;
    quint16 remotePort = 0;

    /// The SSRC of the offer's y=; empty to follow the first packet's. See SsrcCheck.
    std::optional<std::uint32_t> expectedSsrc;
    SsrcCheck ssrcCheck = SsrcCheck::Adopt;

    /// Largest RTP packet accepted, in bytes (12..65535).
    qsizetype maxPacketBytes = 16 * 1024;
    /// Asked for the socket's receive buffer (the kernel may grant less).
    int receiveBufferBytes = 4 * 1024 * 1024;
    /// No packet for this long: Stalled, and reinviteNeeded().
    int stallThresholdMs = 3000;
    /// TCP active: connect attempts (at least 3 per GB/T 28181-2022), the pause between them
    /// (at least 1 s) and how long one attempt may take.
    int connectAttempts = 3;
    int connectRetryIntervalMs = 1000;
    int connectTimeoutMs = 5000;
    /// UDP reordering. Over TCP the order is kept and a gap is loss: nothing is waited for.
    ReorderBuffer::Options reorder;
    DecodeQueueLimits decodeQueue;
    /// Codec threads for the video decoder (see VideoDecoderOptions::threadCount).
    int decoderThreads = 1;
    /// Names the stream in logs and thread names, e.g. the channel ID.
    QString logName;

    /// Called on the decode thread with every decoded picture, before it is published; must be
    /// quick and must not call into the session. For recording, analytics and tests.
    std::function<void(const VideoFrame &frame)> onDecodedFrame;
    /// Called on the media thread with every decoded piece of audio (playback comes later).
    std::function<void(const AudioSamples &samples)> onDecodedAudio;
};

/// One live GB/T 28181 stream, received, demultiplexed and decoded, behind one API.
///
///     auto session = new StreamSession(config, this);
///     const Result<quint16> port = session->prepare(); // socket bound / listening: now INVITE
///     ...200 OK: session->setExpectedSsrc(answerY); [TCP active: setRemoteEndpoint(c, m)]
///     session->start();
///     connect(session, &StreamSession::frameReady, tile, [=] { tile->show(session->takeFrame()); });
///
/// Threads. The session object lives on the thread that made it (the signalling thread, say)
/// and its signals come there. Underneath it runs two threads of its own:
///  - the media thread (a WorkerThread with an event loop) receives (RtpReceiver), reorders,
///    demultiplexes and cuts access units (StreamAssembler), and decodes audio;
///  - the decode thread (DecodeWorker) decodes video from a bounded queue that drops until the
///    next key frame rather than fall behind, and publishes each picture into the FrameSlot.
/// Why two threads and not one: decoding a 1080p picture takes milliseconds, during which a
/// key frame's burst of 100+ datagrams keeps arriving; the media thread drains the socket
/// meanwhile (small work per packet, so it shares a core well), and a decoder that falls
/// behind drops whole GOPs in the bounded queue instead of losing packets in the kernel.
///
/// Timing: a picture goes to the decoder as soon as its last packet is in (the marker bit, or a
/// new PTS; see StreamAssembler), not when the next picture begins, and nothing waits for
/// packets that arrive in order (only a gap waits, for reorder.maxHoldMs). So the delay from
/// the last packet of a frame to its decoded picture is the decode time plus two thread
/// wake-ups. bench_streampipeline, one 1080p25 H.264 stream at 4 Mb/s over loopback UDP on a
/// shared 2-core machine: median 0.02-0.09 ms on top of the decode itself (p99 set by the
/// scheduler of the busy machine); CPU of both threads 0.94-1.09 x `ffmpeg -threads 1 -i clip
/// -f null -` and 0.87-0.9 x the same ffmpeg at the frame rate (-re), the media thread being
/// about 5% of it. The first picture comes 100-300 ms after start() (the reorder buffer's first
/// hold plus the first key frame).
///
/// Frames. Only the newest picture is kept (FrameSlot); frameReady() is posted once per
/// picture the viewer has not yet taken with takeFrame(), so pictures never queue up.
///
/// States: Connecting after start(); Playing at the first decoded picture (the time to it is in
/// the health); Stalled when no packet came for stallThresholdMs (reinviteNeeded() asks the
/// signalling side to INVITE again), Playing again at the next picture; Failed with a reason
/// (port not bound, TCP connect failed, the payload is not PS, a codec that cannot be decoded);
/// Stopped after stop().
class StreamSession : public QObject {
    Q_OBJECT

public:
    explicit StreamSession(StreamSessionConfig config, QObject *parent = nullptr);
    /// stop()
    ~StreamSession() override;

    /// Binds the UDP socket or opens the TCP listener (TCP active: books the port) and returns
    /// the local port for the SDP offer. Must come before the INVITE: devices may send as soon
    /// as they answer. Packets that arrive before start() are kept for it (a bounded number).
    Result<quint16> prepare();
    /// The SSRC to follow (the answer's y=); callable at any time.
    void setExpectedSsrc(std::uint32_t ssrc);
    /// TCP active: where to connect (from the answer); before start().
    void setRemoteEndpoint(const QHostAddress &address, quint16 port);
    /// Starts receiving (TCP active: connecting) and decoding; prepare()s first if needed.
    Result<void> start();
    /// Stops every thread, closes the socket and gives the port back. Blocks for at most the
    /// access unit being decoded. Idempotent.
    void stop();

    StreamState state() const;
    /// A consistent snapshot, from any thread.
    StreamHealth health() const;
    /// The local port (0 before prepare()).
    quint16 localPort() const;

    /// The newest picture; the next one posts frameReady() again.
    VideoFrame takeFrame();
    /// The newest picture, leaving the pending notification as it is.
    VideoFrame latestFrame() const;
    /// The slot the decoder publishes into, for a viewer that pulls pictures itself.
    std::shared_ptr<FrameSlot> frameSlot() const;
    /// The newest picture as a JPEG file (FFmpeg's encoder; about 10-20 ms for 1080p on the
    /// calling thread). A translated error when no picture has been decoded yet.
    Result<QByteArray> snapshot(int quality = JpegEncoder::kDefaultQuality) const;

Q_SIGNALS:
    void stateChanged(Vigil::Media::StreamState state);
    /// A new picture is in the slot; take it with takeFrame(). At most one is pending.
    void frameReady();
    /// No packets for the stall threshold: the device may have dropped the stream.
    void reinviteNeeded();
    /// The stream cannot go on; `reason` is translated, for operators.
    void failed(Vigil::Media::StreamFailure failure, const QString &reason);

private:
    friend class StreamSessionWorker;
    struct Shared;

    Result<quint16> openOn(quint16 port);

    std::shared_ptr<Shared> m_shared;
    std::unique_ptr<WorkerThread> m_thread;
    StreamSessionWorker *m_worker = nullptr; ///< lives on m_thread
    std::unique_ptr<DecodeWorker> m_decoder;
    MediaPortLease m_lease;
    QHostAddress m_remoteAddress;
    quint16 m_remotePort = 0;
    std::optional<std::uint32_t> m_expectedSsrc; ///< set before prepare()
    quint16 m_port = 0;
    bool m_prepared = false;
    bool m_started = false;
    bool m_stopped = false;
};

} // namespace Vigil::Media
