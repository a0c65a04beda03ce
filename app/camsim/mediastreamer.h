#pragma once

#include "camsimconfig.h"
#include "common/result.h"
#include "media/psmuxer.h"
#include "media/rtppacketizer.h"
#include "mediasource.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QRandomGenerator>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>

class QTcpServer;
class QTcpSocket;
class QTimer;
class QUdpSocket;

namespace Vigil::CamSim {

/// How a stream reaches the platform (the device's side of gb28181.md §6.5).
enum class StreamRole : std::uint8_t {
    UdpSend,    ///< RTP datagrams to the offered address and port
    TcpConnect, ///< the platform listens (it offered setup:passive): connect to it
    TcpListen,  ///< the platform connects (it offered setup:active): listen on our answered port
};

/// How a stream ends on its own.
enum class StreamLength : std::uint8_t {
    Endless, ///< live: the file loops with continuous timestamps
    OnePass, ///< playback/download: the file once, then ended("end of file")
};

/// What a MediaStreamer is asked to do.
struct StreamSpec {
    StreamRole role = StreamRole::UdpSend;
    StreamLength length = StreamLength::Endless;
    QHostAddress bindAddress = QHostAddress(QHostAddress::AnyIPv4);
    QHostAddress remoteAddress; ///< UdpSend and TcpConnect
    std::uint16_t remotePort = 0;
    std::uint32_t ssrc = 0;
    std::uint8_t payloadType = 96;
    MediaFaults faults; ///< faults.seed is this stream's own seed (0: random)
    QString label;      ///< for log lines: channel and SSRC
    /// Which clip it plays (MediaSources::of()).
    Devices::StreamProfile profile = Devices::StreamProfile::Main;
};

/// What a stream did, for logs and tests. Packets are RTP packets.
struct StreamStats {
    qint64 videoFrames = 0;
    qint64 audioFrames = 0;
    qint64 packetsSent = 0;       ///< datagrams or RFC 4571 frames written, duplicates included
    qint64 packetsDropped = 0;    ///< left out on purpose (MediaFaults::lossPercent)
    qint64 packetsDuplicated = 0;
    qint64 packetsReordered = 0;
    qint64 tcpCorruptions = 0;    ///< garbage inserted into the TCP stream
    qint64 framesSkipped = 0;     ///< dropped because the TCP peer did not keep up
    qint64 bytesSent = 0;
    qint64 passes = 0;            ///< completed passes over the file
    std::uint16_t firstSequenceNumber = 0;
};

/// One RTP/PS stream of a simulated channel, on a media thread: the shared MediaSource's frames
/// → PsMuxer → RtpPacketizer → UDP datagrams or RFC 4571 frames over TCP, paced in real time by
/// the frames' decoding timestamps (audio interleaved by its own), with MediaFaults applied.
///
/// prepare() binds or listens and says which local port to put into the SDP answer; start()
/// (at the ACK) connects where needed and begins sending. The stream ends by itself with
/// ended() when the TCP peer goes away, a connection cannot be made, or a one-pass file is
/// done; stop() ends it quietly. If the sender falls more than a second behind (a stalled
/// thread), it skips ahead instead of bursting; a TCP peer that does not read gets frames
/// dropped up to the next key frame once kMaxTcpBacklogBytes are waiting.
///
/// Lives on the media thread and is used only there.
class MediaStreamer : public QObject {
    Q_OBJECT

public:
    static constexpr qint64 kMaxTcpBacklogBytes = 4 * 1024 * 1024;
    static constexpr int kTcpConnectAttempts = 3; ///< 2022: at least 3 tries, at least 1 s apart
    static constexpr int kTcpConnectRetryMs = 1000;
    static constexpr int kTcpAcceptTimeoutMs = 15000;

    MediaStreamer(StreamSpec spec, std::shared_ptr<const MediaSource> source, QObject *parent = nullptr);
    ~MediaStreamer() override;

    /// Binds the UDP socket or TCP listener (TcpConnect binds the socket it will connect from).
    /// Returns the local port for the SDP answer.
    Result<std::uint16_t> prepare();
    void start();
    void stop();
    bool isRunning() const noexcept { return m_running; }
    const StreamSpec &spec() const noexcept { return m_spec; }
    StreamStats stats() const noexcept { return m_stats; }

Q_SIGNALS:
    /// The stream ended by itself; `reason` is English, for the log.
    void ended(const QString &reason);

private:
    void connectToPlatform();
    void onTcpConnected();
    void onTcpError();
    void onAccepted();
    void beginSending();
    void pump();
    void scheduleNext();
    qint64 dueMs(qint64 ticks90k) const;
    void sendChunk(const QByteArray &ps, qint64 pts90k);
    void emitPacket(const QByteArray &packet);
    void writePacket(const QByteArray &packet);
    void flushTcp();
    void finish(const QString &reason);
    bool roll(double percent);

    StreamSpec m_spec;
    std::shared_ptr<const MediaSource> m_source;
    Media::ElementaryStreamFile m_video;
    std::optional<Media::ElementaryStreamFile> m_audio;
    std::optional<Media::PsMuxer> m_muxer;
    std::optional<Media::RtpPacketizer> m_packetizer;

    QUdpSocket *m_udp = nullptr;
    QTcpServer *m_tcpServer = nullptr;
    QTcpSocket *m_tcp = nullptr;
    QTimer *m_timer = nullptr;
    QElapsedTimer m_clock;
    QRandomGenerator m_random;

    std::optional<Media::AccessUnit> m_nextVideo;
    std::optional<Media::AudioFrame> m_nextAudio;
    qint64 m_baseTicks = 0;    ///< the timestamp that is due at m_clock 0
    qint64 m_skewMs = 0;       ///< added when the sender skipped ahead
    QByteArray m_tcpOut;       ///< RFC 4571 frames of the current frame, written in one go
    std::optional<QByteArray> m_heldPacket; ///< a reordered packet waiting for the next one
    bool m_waitForKeyFrame = false;
    bool m_started = false;
    bool m_running = false;
    bool m_frozen = false; ///< MediaFaults::freezeAfterMs reached
    bool m_finished = false;
    int m_connectAttempts = 0;
    StreamStats m_stats;
};

} // namespace Vigil::CamSim
