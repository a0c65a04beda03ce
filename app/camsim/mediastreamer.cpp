#include "mediastreamer.h"

#include "camsimlog.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUdpSocket>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace Vigil::CamSim {

namespace {

constexpr qint64 kNever = std::numeric_limits<qint64>::max();
/// Probability (percent) that a frame on a corrupted TCP stream is preceded by garbage: about
/// one frame in 50, a couple of times a second at 25 fps with audio.
constexpr double kTcpCorruptPercent = 2.0;
/// Falling further behind than this skips ahead instead of sending a burst.
constexpr qint64 kMaxLagMs = 1000;

qint64 decodeTime(const Media::AccessUnit &unit)
{
    return unit.dts90k != Media::kNoTimestamp ? unit.dts90k : unit.pts90k;
}

} // namespace

MediaStreamer::MediaStreamer(StreamSpec spec, std::shared_ptr<const MediaSource> source, QObject *parent)
    : QObject(parent),
      m_spec(std::move(spec)),
      m_source(std::move(source)),
      m_video(m_source->video),
      m_audio(m_source->audio),
      m_random(m_spec.faults.seed ? m_spec.faults.seed : QRandomGenerator::global()->generate())
{
    Q_ASSERT(m_source);
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &MediaStreamer::pump);
}

MediaStreamer::~MediaStreamer() = default;

Result<std::uint16_t> MediaStreamer::prepare()
{
    switch (m_spec.role) {
    case StreamRole::UdpSend: {
        m_udp = new QUdpSocket(this);
        if (!m_udp->bind(m_spec.bindAddress, 0))
            return fail(ErrorCode::IoError, u"cannot bind a UDP socket for RTP on %1: %2"_s.arg(m_spec.bindAddress.toString(),
                                                                                                  m_udp->errorString()));
        m_udp->setSocketOption(QAbstractSocket::SendBufferSizeSocketOption, 1024 * 1024);
        return m_udp->localPort();
    }
    case StreamRole::TcpListen: {
        m_tcpServer = new QTcpServer(this);
        m_tcpServer->setMaxPendingConnections(1);
        if (!m_tcpServer->listen(m_spec.bindAddress, 0))
            return fail(ErrorCode::IoError, u"cannot listen for the RTP connection on %1: %2"_s.arg(
                                                m_spec.bindAddress.toString(), m_tcpServer->errorString()));
        connect(m_tcpServer, &QTcpServer::newConnection, this, &MediaStreamer::onAccepted);
        return m_tcpServer->serverPort();
    }
    case StreamRole::TcpConnect: {
        // Bind now so that the answer can name the port the connection will come from.
        m_tcp = new QTcpSocket(this);
        if (!m_tcp->bind(m_spec.bindAddress, 0))
            return fail(ErrorCode::IoError, u"cannot bind a TCP socket for RTP on %1: %2"_s.arg(m_spec.bindAddress.toString(),
                                                                                                  m_tcp->errorString()));
        return m_tcp->localPort();
    }
    }
    return fail(ErrorCode::Internal, u"unknown stream role"_s);
}

void MediaStreamer::start()
{
    if (m_started || m_finished)
        return;
    m_started = true;
    switch (m_spec.role) {
    case StreamRole::UdpSend:
        beginSending();
        break;
    case StreamRole::TcpConnect:
        connectToPlatform();
        break;
    case StreamRole::TcpListen:
        if (m_tcp && m_tcp->state() == QAbstractSocket::ConnectedState) {
            beginSending();
        } else {
            QTimer::singleShot(kTcpAcceptTimeoutMs, this, [this] {
                if (!m_running && !m_finished)
                    finish(u"the platform did not connect for the stream within %1 s"_s.arg(kTcpAcceptTimeoutMs / 1000));
            });
        }
        break;
    }
}

void MediaStreamer::stop()
{
    if (m_finished)
        return;
    m_finished = true;
    m_running = false;
    m_timer->stop();
    if (m_tcp) {
        flushTcp();
        m_tcp->disconnect(this);
        m_tcp->disconnectFromHost();
    }
    if (m_tcpServer)
        m_tcpServer->close();
    if (m_udp)
        m_udp->close();
}

void MediaStreamer::connectToPlatform()
{
    if (m_finished)
        return;
    ++m_connectAttempts;
    if (!m_tcp) {
        m_tcp = new QTcpSocket(this);
        m_tcp->bind(m_spec.bindAddress, 0);
    }
    connect(m_tcp, &QTcpSocket::connected, this, &MediaStreamer::onTcpConnected);
    connect(m_tcp, &QTcpSocket::errorOccurred, this, &MediaStreamer::onTcpError);
    connect(m_tcp, &QTcpSocket::disconnected, this, [this] {
        if (m_running)
            finish(u"the platform closed the RTP connection"_s);
    });
    qCDebug(lcCamsim).noquote() << u"%1: connecting to %2:%3 for RTP (attempt %4)"_s.arg(m_spec.label, m_spec.remoteAddress.toString())
                                       .arg(m_spec.remotePort)
                                       .arg(m_connectAttempts);
    m_tcp->connectToHost(m_spec.remoteAddress, m_spec.remotePort);
}

void MediaStreamer::onTcpConnected()
{
    m_tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    beginSending();
}

void MediaStreamer::onTcpError()
{
    if (m_finished || !m_tcp)
        return;
    const QString error = m_tcp->errorString();
    if (m_running) {
        finish(u"the RTP connection failed: %1"_s.arg(error));
        return;
    }
    if (m_spec.role == StreamRole::TcpConnect && m_connectAttempts < kTcpConnectAttempts) {
        qCInfo(lcCamsim).noquote() << u"%1: cannot connect to %2:%3 (%4); trying again in %5 ms"_s
                                          .arg(m_spec.label, m_spec.remoteAddress.toString())
                                          .arg(m_spec.remotePort)
                                          .arg(error)
                                          .arg(kTcpConnectRetryMs);
        m_tcp->disconnect(this);
        m_tcp->deleteLater();
        m_tcp = nullptr;
        QTimer::singleShot(kTcpConnectRetryMs, this, &MediaStreamer::connectToPlatform);
        return;
    }
    finish(u"cannot connect to %1:%2 for RTP: %3"_s.arg(m_spec.remoteAddress.toString()).arg(m_spec.remotePort).arg(error));
}

void MediaStreamer::onAccepted()
{
    while (QTcpSocket *socket = m_tcpServer->nextPendingConnection()) {
        if (m_tcp || m_finished) {
            qCInfo(lcCamsim).noquote() << u"%1: refusing a second RTP connection from %2"_s.arg(
                m_spec.label, socket->peerAddress().toString());
            socket->abort();
            socket->deleteLater();
            continue;
        }
        m_tcp = socket;
        m_tcp->setParent(this);
        m_tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        connect(m_tcp, &QTcpSocket::disconnected, this, [this] {
            if (!m_finished)
                finish(u"the platform closed the RTP connection"_s);
        });
        connect(m_tcp, &QTcpSocket::errorOccurred, this, &MediaStreamer::onTcpError);
        qCDebug(lcCamsim).noquote() << u"%1: the platform connected from %2:%3"_s.arg(m_spec.label, m_tcp->peerAddress().toString())
                                           .arg(m_tcp->peerPort());
    }
    m_tcpServer->close(); // one connection per session
    if (m_started && m_tcp && !m_running)
        beginSending();
}

void MediaStreamer::beginSending()
{
    if (m_running || m_finished)
        return;
    m_muxer.emplace(m_video.videoCodec(), m_audio ? m_audio->audioCodec() : Media::AudioCodec::Unknown);
    Media::RtpPacketizer::Options options;
    options.ssrc = m_spec.ssrc;
    options.payloadType = m_spec.payloadType;
    options.firstSequenceNumber = std::uint16_t(m_random.bounded(65536));
    m_packetizer.emplace(options);
    m_stats.firstSequenceNumber = options.firstSequenceNumber;

    m_video.rewind();
    m_nextVideo = m_video.nextAccessUnit();
    if (m_audio) {
        m_audio->rewind();
        m_nextAudio = m_audio->nextAudioFrame();
    }
    m_baseTicks = decodeTime(*m_nextVideo);
    if (m_nextAudio)
        m_baseTicks = std::min(m_baseTicks, m_nextAudio->pts90k);
    m_running = true;
    m_clock.start();
    qCInfo(lcCamsim).noquote() << u"%1: streaming started"_s.arg(m_spec.label);
    pump();
}

qint64 MediaStreamer::dueMs(qint64 ticks90k) const
{
    return (ticks90k - m_baseTicks) * 1000 / Media::kClockRate90k + m_skewMs;
}

void MediaStreamer::pump()
{
    if (!m_running)
        return;
    const qint64 nowMs = m_clock.elapsed();
    if (m_spec.faults.freezeAfterMs > 0 && nowMs >= m_spec.faults.freezeAfterMs) {
        if (!m_frozen)
            qCInfo(lcCamsim).noquote() << u"%1: frozen (fault): no more packets, the call stays up"_s.arg(m_spec.label);
        m_frozen = true;
        m_timer->stop();
        return;
    }
    while (m_running && (m_nextVideo || m_nextAudio)) {
        const qint64 videoTicks = m_nextVideo ? decodeTime(*m_nextVideo) : kNever;
        const qint64 audioTicks = m_nextAudio ? m_nextAudio->pts90k : kNever;
        const bool videoNext = videoTicks <= audioTicks;
        const qint64 due = dueMs(videoNext ? videoTicks : audioTicks);
        if (due > nowMs)
            break;
        if (nowMs - due > kMaxLagMs) {
            m_skewMs += nowMs - due;
            qCDebug(lcCamsim).noquote() << u"%1: %2 ms behind; skipping ahead"_s.arg(m_spec.label).arg(nowMs - due);
        }

        if (videoNext) {
            const Media::AccessUnit unit = *m_nextVideo;
            if (m_tcp && m_tcp->bytesToWrite() > kMaxTcpBacklogBytes)
                m_waitForKeyFrame = true;
            if (m_waitForKeyFrame && !(unit.keyFrame && m_tcp && m_tcp->bytesToWrite() <= kMaxTcpBacklogBytes)) {
                ++m_stats.framesSkipped;
            } else {
                m_waitForKeyFrame = false;
                sendChunk(m_muxer->mux(unit), unit.pts90k);
            }
            ++m_stats.videoFrames;
            m_nextVideo = m_video.nextAccessUnit();
            m_stats.passes = m_stats.videoFrames / std::max<qsizetype>(m_video.frameCount(), 1);
            if (m_spec.length == StreamLength::OnePass && m_stats.passes >= 1) {
                m_nextVideo.reset();
                m_nextAudio.reset();
            }
        } else {
            const Media::AudioFrame frame = *m_nextAudio;
            if (!m_waitForKeyFrame)
                sendChunk(m_muxer->mux(frame), frame.pts90k);
            ++m_stats.audioFrames;
            m_nextAudio = m_audio->nextAudioFrame();
        }
    }
    flushTcp();
    if (!m_nextVideo && !m_nextAudio) {
        finish(u"end of file"_s);
        return;
    }
    const qint64 videoTicks = m_nextVideo ? decodeTime(*m_nextVideo) : kNever;
    const qint64 audioTicks = m_nextAudio ? m_nextAudio->pts90k : kNever;
    m_timer->start(int(std::clamp<qint64>(dueMs(std::min(videoTicks, audioTicks)) - m_clock.elapsed(), 0, 1000)));
}

bool MediaStreamer::roll(double percent)
{
    return percent > 0.0 && m_random.generateDouble() * 100.0 < percent;
}

void MediaStreamer::sendChunk(const QByteArray &ps, qint64 pts90k)
{
    if (m_tcp && m_spec.faults.tcpCorrupt && roll(kTcpCorruptPercent)) {
        ++m_stats.tcpCorruptions;
        if (m_random.bounded(2) == 0) {
            // garbage: bytes a receiver has to skip to find the next length prefix
            const int count = 1 + int(m_random.bounded(32));
            for (int i = 0; i < count; ++i)
                m_tcpOut.append(char(m_random.bounded(256)));
        } else {
            // a broken length prefix: a length far beyond what follows, then a few bytes
            m_tcpOut.append(char(0xF0 | m_random.bounded(16)));
            m_tcpOut.append(char(m_random.bounded(256)));
            const int count = int(m_random.bounded(17));
            for (int i = 0; i < count; ++i)
                m_tcpOut.append(char(m_random.bounded(256)));
        }
    }
    const QList<QByteArray> packets = m_packetizer->packetize(ps, pts90k);
    for (const QByteArray &packet : packets)
        emitPacket(packet);
}

void MediaStreamer::emitPacket(const QByteArray &packet)
{
    const MediaFaults &faults = m_spec.faults;
    if (roll(faults.lossPercent)) {
        ++m_stats.packetsDropped;
        return;
    }
    if (!m_heldPacket && roll(faults.reorderPercent)) {
        m_heldPacket = packet;
        ++m_stats.packetsReordered;
        return;
    }
    writePacket(packet);
    if (roll(faults.duplicatePercent)) {
        ++m_stats.packetsDuplicated;
        writePacket(packet);
    }
    if (m_heldPacket) {
        writePacket(*m_heldPacket);
        m_heldPacket.reset();
    }
}

void MediaStreamer::writePacket(const QByteArray &packet)
{
    if (m_udp) {
        if (m_udp->writeDatagram(packet, m_spec.remoteAddress, m_spec.remotePort) < 0) {
            qCDebug(lcCamsim).noquote() << u"%1: cannot send RTP: %2"_s.arg(m_spec.label, m_udp->errorString());
            return;
        }
    } else {
        Media::appendRfc4571(m_tcpOut, packet);
    }
    ++m_stats.packetsSent;
    m_stats.bytesSent += packet.size();
}

void MediaStreamer::flushTcp()
{
    if (m_tcp && !m_tcpOut.isEmpty()) {
        m_tcp->write(m_tcpOut);
        m_tcpOut.clear();
    }
}

void MediaStreamer::finish(const QString &reason)
{
    if (m_finished)
        return;
    m_running = false;
    if (m_heldPacket) {
        writePacket(*m_heldPacket);
        m_heldPacket.reset();
    }
    stop();
    Q_EMIT ended(reason);
}

} // namespace Vigil::CamSim
