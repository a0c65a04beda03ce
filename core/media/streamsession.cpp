#include "streamsession.h"

#include "common/logging.h"
#include "common/workerthread.h"
#include "ffmpeg/decodeworker.h"
#include "rtpreceiver.h"

#include <QMetaObject>
#include <QTimer>

#include <algorithm>
#include <mutex>

using namespace Qt::StringLiterals;

namespace Vigil::Media {

namespace {

// Ports tried from the pool before prepare() gives up (others may hold some of the range).
constexpr int kBindAttempts = 8;
// How often the media thread looks for a stall and publishes what the decoder reports.
constexpr int kTickMs = 250;

QString prefixOf(const StreamSessionConfig &config)
{
    return config.logName.isEmpty() ? u"stream:"_s : config.logName + u':';
}

} // namespace

/// What the session object, the media thread and the decode thread share. The session owns it
/// and ends both threads before it goes.
struct StreamSession::Shared {
    Shared(StreamSession *owner, StreamSessionConfig sessionConfig)
        : session(owner)
        , config(std::move(sessionConfig))
    {
        health.transport = config.transport;
        health.ssrc = config.expectedSsrc;
    }

    StreamSession *const session;
    const StreamSessionConfig config;
    const std::shared_ptr<FrameSlot> slot = std::make_shared<FrameSlot>();

    mutable std::mutex mutex; // guards what follows down to decoderMutex
    StreamHealth health;      // the state, the failure and the media thread's counters
    RateMeter fps;
    RateMeter bitsIn;
    RateMeter bitsOut;
    qint64 startMs = -1;
    qint64 lastPacketMs = -1;

    mutable std::mutex decoderMutex; // guards decoder and finalDecoderStats
    DecodeWorker *decoder = nullptr;
    DecodeWorker::Stats finalDecoderStats;

    QString prefix() const { return prefixOf(config); }

    /// Moves to `to` when the current state is one of `from` (any, when empty); posts the
    /// signals. Failed and Stopped are final (Stopped wins over Failed).
    void transition(StreamState to, std::initializer_list<StreamState> from = {},
                    StreamFailure failure = StreamFailure::None, const QString &reason = {})
    {
        {
            std::lock_guard lock(mutex);
            const StreamState current = health.state;
            if (current == to || current == StreamState::Stopped)
                return;
            if (current == StreamState::Failed && to != StreamState::Stopped)
                return;
            if (from.size() > 0 && std::find(from.begin(), from.end(), current) == from.end())
                return;
            health.state = to;
            if (to == StreamState::Failed) {
                health.failure = failure;
                health.failureReason = reason;
            }
            if (to == StreamState::Stalled)
                ++health.stalls;
        }
        if (to == StreamState::Failed)
            qCWarning(lcMedia).noquote() << prefix() << "failed:" << reason;
        else
            qCInfo(lcMedia).noquote() << prefix() << stateName(to);
        QMetaObject::invokeMethod(
            session,
            [s = session, to, failure, reason] {
                Q_EMIT s->stateChanged(to);
                if (to == StreamState::Stalled)
                    Q_EMIT s->reinviteNeeded();
                if (to == StreamState::Failed)
                    Q_EMIT s->failed(failure, reason);
            },
            Qt::QueuedConnection);
    }

    void fail(StreamFailure failure, const QString &reason)
    {
        transition(StreamState::Failed, {}, failure, reason);
    }

    /// On the decode thread, for every picture.
    void frameDecoded(VideoFrame frame)
    {
        const qint64 now = monotonicMs();
        bool firstOfRun = false;
        {
            std::lock_guard lock(mutex);
            fps.add(now, 1);
            if (health.timeToFirstFrameMs < 0)
                health.timeToFirstFrameMs = now - startMs;
            firstOfRun = health.state == StreamState::Connecting || health.state == StreamState::Stalled;
        }
        if (firstOfRun)
            transition(StreamState::Playing, {StreamState::Connecting, StreamState::Stalled});
        if (config.onDecodedFrame)
            config.onDecodedFrame(frame);
        if (slot->publish(std::move(frame)))
            QMetaObject::invokeMethod(session, [s = session] { Q_EMIT s->frameReady(); }, Qt::QueuedConnection);
    }
};

/// The media thread's half of a StreamSession: socket, reorder, demux, access units, audio.
class StreamSessionWorker : public QObject {
public:
    explicit StreamSessionWorker(StreamSession::Shared *shared);

    Result<quint16> open(quint16 port);
    void start(DecodeWorker *decoder, const QHostAddress &remoteAddress, quint16 remotePort, qint64 startMs);
    void setExpectedSsrc(std::uint32_t ssrc) { m_assembler.setExpectedSsrc(ssrc); }
    /// Closes the socket and stops the timers; the last counters are published.
    void shutdown();

private:
    static StreamAssembler::Options assemblerOptions(const StreamSessionConfig &config);

    void onPacket(RtpPacket packet, qint64 arrivalMs);
    void poll();
    void schedulePoll(qint64 nowMs);
    void tick();
    void publish();
    void fail(StreamFailure failure, const QString &reason);
    void onContent(PsContent content);
    void onStreamInfo(const PsStreamInfo &info);
    void onAccessUnit(AccessUnit &&unit);
    void onAudio(AudioFrame &&frame);

    StreamSession::Shared *const m_shared;
    const StreamSessionConfig &m_config;
    RtpReceiver *m_receiver = nullptr;
    StreamAssembler m_assembler;
    AudioDecoder m_audio;
    DecodeWorker *m_decoder = nullptr;
    QTimer m_pollTimer;
    std::optional<qint64> m_pollAtMs;
    QTimer m_tickTimer;
    qint64 m_waitingSinceMs = 0; ///< the stall clock runs from the last packet or from this
    qint64 m_lastPacketMs = -1;
    qint64 m_pendingBitsIn = 0;
    qint64 m_pendingBitsOut = 0;
    bool m_running = false;
};

StreamSessionWorker::StreamSessionWorker(StreamSession::Shared *shared)
    : m_shared(shared)
    , m_config(shared->config)
    , m_assembler(assemblerOptions(shared->config),
                  StreamAssembler::Handlers{
                      [this](AccessUnit &&unit) { onAccessUnit(std::move(unit)); },
                      [this] {
                          if (m_decoder)
                              m_decoder->reportGap();
                      },
                      [this](AudioFrame &&frame) { onAudio(std::move(frame)); },
                      [this](PsContent content) { onContent(content); },
                      [this](const PsStreamInfo &info) { onStreamInfo(info); },
                  })
    , m_audio(
          [this](AudioSamples samples) {
              if (m_config.onDecodedAudio)
                  m_config.onDecodedAudio(samples);
          },
          AudioDecoderOptions{8000, 1, shared->config.logName})
{
    m_pollTimer.setSingleShot(true);
    m_pollTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_pollTimer, &QTimer::timeout, this, &StreamSessionWorker::poll);
    m_tickTimer.setInterval(kTickMs);
    connect(&m_tickTimer, &QTimer::timeout, this, &StreamSessionWorker::tick);
}

StreamAssembler::Options StreamSessionWorker::assemblerOptions(const StreamSessionConfig &config)
{
    StreamAssembler::Options options;
    options.ssrcCheck = config.ssrcCheck;
    options.expectedSsrc = config.expectedSsrc;
    options.reorder = config.reorder;
    if (config.transport != MediaTransport::Udp)
        options.reorder.maxHoldMs = 0;
    return options;
}

Result<quint16> StreamSessionWorker::open(quint16 port)
{
    delete m_receiver;
    RtpReceiver::Options options;
    options.transport = m_config.transport;
    options.localAddress = m_config.localAddress;
    options.maxPacketBytes = m_config.maxPacketBytes;
    options.receiveBufferBytes = m_config.receiveBufferBytes;
    options.ssrc = m_config.expectedSsrc;
    options.connectAttempts = m_config.connectAttempts;
    options.connectRetryIntervalMs = m_config.connectRetryIntervalMs;
    options.connectTimeoutMs = m_config.connectTimeoutMs;
    m_receiver = new RtpReceiver(
        options, [this](RtpPacket packet, qint64 arrivalMs) { onPacket(std::move(packet), arrivalMs); }, this);
    connect(m_receiver, &RtpReceiver::connectFailed, this,
            [this](const QString &reason) { fail(StreamFailure::TcpConnectFailed, reason); });
    Result<quint16> bound = m_receiver->open(port);
    if (!bound) {
        delete m_receiver;
        m_receiver = nullptr;
    }
    return bound;
}

void StreamSessionWorker::start(DecodeWorker *decoder, const QHostAddress &remoteAddress, quint16 remotePort,
                                qint64 startMs)
{
    Q_ASSERT(m_receiver);
    m_decoder = decoder;
    m_running = true;
    m_waitingSinceMs = startMs;
    m_tickTimer.start();
    m_receiver->start(remoteAddress, remotePort);
}

void StreamSessionWorker::shutdown()
{
    if (m_receiver)
        m_receiver->close();
    m_running = false;
    m_pollTimer.stop();
    m_tickTimer.stop();
    publish();
}

void StreamSessionWorker::onPacket(RtpPacket packet, qint64 arrivalMs)
{
    if (!m_running)
        return;
    m_lastPacketMs = arrivalMs;
    m_pendingBitsIn += qint64(packet.payload().size()) * 8;
    m_assembler.push(std::move(packet), arrivalMs);
    schedulePoll(arrivalMs);
    publish();
}

void StreamSessionWorker::poll()
{
    if (!m_running)
        return;
    const qint64 now = monotonicMs();
    m_pollAtMs.reset();
    m_assembler.poll(now);
    schedulePoll(now);
    publish();
}

void StreamSessionWorker::schedulePoll(qint64 nowMs)
{
    const std::optional<qint64> deadline = m_assembler.nextDeadlineMs();
    if (!deadline) {
        if (m_pollAtMs) {
            m_pollTimer.stop();
            m_pollAtMs.reset();
        }
        return;
    }
    if (m_pollAtMs == deadline)
        return;
    m_pollAtMs = deadline;
    m_pollTimer.start(int(std::clamp<qint64>(*deadline - nowMs, 0, 60'000)));
}

void StreamSessionWorker::tick()
{
    if (!m_running)
        return;
    m_receiver->poke();
    const qint64 now = monotonicMs();
    if (m_config.transport == MediaTransport::TcpActive && !m_receiver->isConnected())
        m_waitingSinceMs = now; // still connecting: connectFailed() reports that
    const qint64 quietSince = std::max(m_lastPacketMs, m_waitingSinceMs);
    if (now - quietSince >= m_config.stallThresholdMs)
        m_shared->transition(StreamState::Stalled, {StreamState::Connecting, StreamState::Playing});

    if (m_decoder) {
        const DecodeWorker::Stats stats = m_decoder->stats();
        if (stats.decoder.unavailable) {
            fail(StreamFailure::DecoderUnavailable,
                 StreamSession::tr("This installation of FFmpeg cannot decode %1 video. Install an FFmpeg build "
                                   "with the %1 decoder, or set the device's video encoding to another codec.")
                     .arg(QLatin1StringView(codecName(stats.decoder.codec))));
        }
    }
    publish();
}

void StreamSessionWorker::publish()
{
    const StreamAssemblerStats assembled = m_assembler.stats();
    const RtpReceiver::Stats received = m_receiver ? m_receiver->stats() : RtpReceiver::Stats{};
    const AudioDecoderStats &audio = m_audio.stats();
    const qint64 now = monotonicMs();

    std::lock_guard lock(m_shared->mutex);
    StreamHealth &health = m_shared->health;
    if (m_pendingBitsIn > 0)
        m_shared->bitsIn.add(now, std::exchange(m_pendingBitsIn, 0));
    if (m_pendingBitsOut > 0)
        m_shared->bitsOut.add(now, std::exchange(m_pendingBitsOut, 0));
    m_shared->lastPacketMs = m_lastPacketMs;
    health.ssrc = assembled.ssrc;
    health.payloadType = assembled.payloadType;
    health.content = assembled.content;
    health.packetsReceived = received.packets;
    health.bytesReceived = received.bytes;
    health.packetsLost = assembled.reorder.lost;
    health.packetsReordered = assembled.reorder.reordered;
    health.packetsDuplicated = assembled.reorder.duplicates;
    health.packetsLate = assembled.reorder.late;
    health.packetsInvalid = received.invalid + received.oversized + received.rtcp;
    health.resyncs = received.framer.resyncs + assembled.demux.resyncs;
    health.ssrcMismatches = assembled.ssrcMismatches;
    health.ssrcChanges = assembled.ssrcChanges;
    health.tcpConnections = received.connections;
    health.videoCodec = assembled.videoCodec;
    health.audioCodec = assembled.audioCodec;
    health.audioFrames = audio.framesOutput;
    health.audioErrors = audio.decodeErrors;
}

void StreamSessionWorker::fail(StreamFailure failure, const QString &reason)
{
    if (m_receiver)
        m_receiver->close();
    m_running = false;
    m_pollTimer.stop();
    m_tickTimer.stop();
    // The counters first: whoever sees Failed sees what led to it.
    publish();
    m_shared->fail(failure, reason);
}

void StreamSessionWorker::onContent(PsContent content)
{
    const int payloadType = m_assembler.stats().payloadType;
    switch (content) {
    case PsContent::Unknown:
    case PsContent::ProgramStream:
        return;
    case PsContent::MpegTs:
        fail(StreamFailure::NotProgramStream,
             StreamSession::tr("The device sends MPEG-TS (RTP payload type %1) instead of the MPEG-PS GB/T 28181 "
                               "asks for. Set the device's stream packaging to PS.")
                 .arg(payloadType));
        return;
    case PsContent::RawH264:
    case PsContent::RawH265:
        fail(StreamFailure::NotProgramStream,
             StreamSession::tr("The device sends a bare %1 stream (RTP payload type %2) instead of the MPEG-PS GB/T "
                               "28181 asks for. Set the device's stream packaging to PS.")
                 .arg(content == PsContent::RawH264 ? u"H.264"_s : u"H.265"_s)
                 .arg(payloadType));
        return;
    case PsContent::NoPsSync:
        fail(StreamFailure::NotProgramStream,
             StreamSession::tr("The device's RTP payload (type %1) is not MPEG-PS, nor anything else Vigil "
                               "recognises. Check the device's stream packaging (GB/T 28181 needs PS).")
                 .arg(payloadType));
        return;
    }
}

void StreamSessionWorker::onStreamInfo(const PsStreamInfo &info)
{
    qCInfo(lcMedia).noquote() << m_shared->prefix() << (info.kind == EsKind::Video ? "video" : "audio")
                              << psStreamTypeName(info.type) << "on stream" << Qt::hex << int(info.streamId);
    if (info.kind != EsKind::Video || videoCodecFromPsStreamType(info.type) != VideoCodec::Unknown)
        return;
    const QString what = info.type == PsStreamType::Unknown
        ? StreamSession::tr("video of a format it cannot tell")
        : StreamSession::tr("%1 video").arg(psStreamTypeName(info.type));
    fail(StreamFailure::UnsupportedCodec,
         StreamSession::tr("The device sends %1, which Vigil cannot decode. Set the device's video encoding to "
                           "H.264 or H.265.")
             .arg(what));
}

void StreamSessionWorker::onAccessUnit(AccessUnit &&unit)
{
    m_pendingBitsOut += qint64(unit.data.size()) * 8;
    if (m_decoder)
        m_decoder->push(EncodedFrame::fromAccessUnit(std::move(unit)));
}

void StreamSessionWorker::onAudio(AudioFrame &&frame)
{
    m_pendingBitsOut += qint64(frame.data.size()) * 8;
    m_audio.decode(EncodedFrame::fromAudioFrame(std::move(frame)));
}

StreamSession::StreamSession(StreamSessionConfig config, QObject *parent)
    : QObject(parent)
    , m_shared(std::make_shared<Shared>(this, std::move(config)))
    , m_remoteAddress(m_shared->config.remoteAddress)
    , m_remotePort(m_shared->config.remotePort)
{
}

StreamSession::~StreamSession()
{
    stop();
}

Result<quint16> StreamSession::prepare()
{
    if (m_prepared)
        return m_port;
    Q_ASSERT_X(!m_stopped, "StreamSession::prepare", "the session was stopped");
    const StreamSessionConfig &config = m_shared->config;
    if (!m_thread) {
        m_thread = std::make_unique<WorkerThread>(u"vigil-rtp"_s);
        m_worker = m_thread->create<StreamSessionWorker>(m_shared.get());
        if (m_expectedSsrc)
            setExpectedSsrc(*m_expectedSsrc);
    }

    Result<quint16> port = fail(ErrorCode::IoError, QString());
    if (config.localPort == 0 && config.portPool) {
        port = fail(ErrorCode::IoError,
                    tr("Every media port from %1 to %2 is in use. Close some live views or widen the media port "
                       "range.")
                        .arg(config.portPool->firstPort())
                        .arg(config.portPool->lastPort()));
        for (int attempt = 0; attempt < kBindAttempts; ++attempt) {
            MediaPortLease lease = config.portPool->acquire();
            if (!lease.isValid())
                break;
            port = openOn(lease.port());
            if (port) {
                m_lease = std::move(lease);
                break;
            }
            // The lease goes back resting, so the pool offers another port next.
        }
    } else {
        port = openOn(config.localPort);
    }
    if (!port) {
        m_shared->fail(StreamFailure::BindFailed, port.error().message);
        return port;
    }
    m_port = *port;
    m_prepared = true;
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->health.localPort = m_port;
    }
    qCDebug(lcMedia).noquote() << m_shared->prefix() << transportName(config.transport) << "on port" << m_port;
    return m_port;
}

Result<quint16> StreamSession::openOn(quint16 port)
{
    StreamSessionWorker *worker = m_worker;
    return m_thread->run([worker, port] { return worker->open(port); });
}

void StreamSession::setExpectedSsrc(std::uint32_t ssrc)
{
    if (m_thread && m_worker)
        m_thread->post([worker = m_worker, ssrc] { worker->setExpectedSsrc(ssrc); });
    else
        m_expectedSsrc = ssrc; // given to the worker when prepare() makes it
}

void StreamSession::setRemoteEndpoint(const QHostAddress &address, quint16 port)
{
    Q_ASSERT_X(!m_started, "StreamSession::setRemoteEndpoint", "call it before start()");
    m_remoteAddress = address;
    m_remotePort = port;
}

Result<void> StreamSession::start()
{
    if (m_started)
        return {};
    Q_ASSERT_X(!m_stopped, "StreamSession::start", "the session was stopped");
    if (!m_prepared) {
        if (Result<quint16> port = prepare(); !port)
            return std::unexpected(port.error());
    }
    const StreamSessionConfig &config = m_shared->config;
    if (config.transport == MediaTransport::TcpActive && (m_remoteAddress.isNull() || m_remotePort == 0)) {
        return fail(ErrorCode::InvalidArgument,
                    tr("The device's answer gave no media address to connect to for TCP active mode."));
    }

    VideoDecoderOptions decoderOptions;
    decoderOptions.threadCount = config.decoderThreads;
    decoderOptions.logName = config.logName;
    Shared *shared = m_shared.get();
    m_decoder = std::make_unique<DecodeWorker>([shared](VideoFrame frame) { shared->frameDecoded(std::move(frame)); },
                                               decoderOptions, config.decodeQueue);
    const qint64 startMs = monotonicMs();
    {
        std::lock_guard lock(m_shared->decoderMutex);
        m_shared->decoder = m_decoder.get();
    }
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->startMs = startMs;
    }
    m_shared->transition(StreamState::Connecting, {StreamState::Idle});
    m_started = true;
    m_thread->run([worker = m_worker, decoder = m_decoder.get(), address = m_remoteAddress, port = m_remotePort,
                   startMs] { worker->start(decoder, address, port, startMs); });
    return {};
}

void StreamSession::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (m_thread) {
        if (m_worker)
            m_thread->run([worker = m_worker] { worker->shutdown(); });
        m_thread->stop(); // deletes the worker, and with it the sockets, on the media thread
        m_worker = nullptr;
    }
    std::unique_ptr<DecodeWorker> decoder;
    {
        std::lock_guard lock(m_shared->decoderMutex);
        decoder = std::move(m_decoder);
        m_shared->decoder = nullptr;
    }
    if (decoder) {
        decoder->stop(CloseMode::Discard);
        const DecodeWorker::Stats stats = decoder->stats();
        std::lock_guard lock(m_shared->decoderMutex);
        m_shared->finalDecoderStats = stats;
    }
    m_lease.release();
    m_shared->transition(StreamState::Stopped);
}

StreamState StreamSession::state() const
{
    std::lock_guard lock(m_shared->mutex);
    return m_shared->health.state;
}

StreamHealth StreamSession::health() const
{
    DecodeWorker::Stats decoded;
    {
        std::lock_guard lock(m_shared->decoderMutex);
        decoded = m_shared->decoder ? m_shared->decoder->stats() : m_shared->finalDecoderStats;
    }
    StreamHealth health;
    {
        std::lock_guard lock(m_shared->mutex);
        const qint64 now = monotonicMs();
        health = m_shared->health;
        health.fps = m_shared->fps.ratePerSecond(now);
        health.bitrateInBps = qint64(m_shared->bitsIn.ratePerSecond(now));
        health.bitrateOutBps = qint64(m_shared->bitsOut.ratePerSecond(now));
        health.lastPacketAgeMs = m_shared->lastPacketMs >= 0 ? now - m_shared->lastPacketMs : -1;
    }
    health.framesDecoded = decoded.decoder.framesOutput;
    health.framesDropped = decoded.queue.dropped + decoded.decoder.skippedAccessUnits;
    health.decodeErrors = decoded.decoder.decodeErrors;
    health.width = decoded.decoder.width;
    health.height = decoded.decoder.height;
    return health;
}

quint16 StreamSession::localPort() const
{
    return m_port;
}

VideoFrame StreamSession::takeFrame()
{
    return m_shared->slot->take();
}

VideoFrame StreamSession::latestFrame() const
{
    return m_shared->slot->latest();
}

std::shared_ptr<FrameSlot> StreamSession::frameSlot() const
{
    return m_shared->slot;
}

Result<QByteArray> StreamSession::snapshot(int quality) const
{
    const VideoFrame frame = latestFrame();
    if (frame.isNull())
        return fail(ErrorCode::NotFound, tr("No picture has been decoded yet. Try again once the video plays."));
    return JpegEncoder(quality).encode(frame);
}

} // namespace Vigil::Media
