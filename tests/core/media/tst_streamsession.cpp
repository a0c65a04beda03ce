// StreamSession end to end: a sender thread streams clips generated with ffmpeg as GB/T 28181
// PS over RTP to a session on 127.0.0.1 (UDP, TCP passive, TCP active), with and without loss,
// reordering, duplicates and corrupted TCP framing; the pictures the session decodes are
// compared with ffmpeg's framemd5 of the source. The captures in ../shared/media, when present,
// are replayed through the same sockets.

#include "ffmpeg/mediafixtures.h"
#include "mediatestutil.h"

#include "media/elementarystreamfile.h"
#include "media/mediaportpool.h"
#include "media/psmuxer.h"
#include "media/rtppacketizer.h"
#include "media/streamsession.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using namespace Vigil;
using namespace Vigil::Media;
using namespace Vigil::Media::Testing;
using namespace Qt::StringLiterals;

namespace {

constexpr int kClipFrames = 100;
constexpr int kClipGop = 10;
constexpr qint64 kFrameTicks = 3600; // 25 fps at 90 kHz
constexpr std::uint32_t kSsrc = 200000001; // y=0200000001

/// A generated clip: its Annex-B bytes, cut into access units, and ffmpeg's MD5 per frame.
struct Clip {
    VideoCodec codec = VideoCodec::Unknown;
    QString path;
    QList<AccessUnit> units;
    QStringList md5s;
};

/// One RTP packet the test sender sends, and what it carries.
struct OutPacket {
    QByteArray bytes;
    int videoFrame = -1; ///< the video frame it carries a piece of; -1 for audio or other data
};

/// A GB/T 28181 stream as a camera sends it: PS packs per video frame and per 20 ms of G.711A,
/// interleaved by time, cut into RTP packets with the marker on each pack's last packet.
QList<OutPacket> gbPackets(const Clip &clip, const QList<AudioFrame> &audio, std::uint32_t ssrc,
                           std::uint16_t firstSequence = 1000, std::uint8_t payloadType = 96)
{
    PsMuxer muxer(clip.codec, audio.isEmpty() ? AudioCodec::Unknown : AudioCodec::G711A);
    RtpPacketizer packetizer({ssrc, payloadType, RtpPacketizer::kDefaultMaxPayloadBytes, firstSequence});
    QList<OutPacket> packets;
    qsizetype nextAudio = 0;
    for (qsizetype i = 0; i < clip.units.size(); ++i) {
        const AccessUnit &unit = clip.units.at(i);
        while (nextAudio < audio.size() && audio.at(nextAudio).pts90k < unit.pts90k) {
            const AudioFrame &frame = audio.at(nextAudio++);
            for (QByteArray &bytes : packetizer.packetize(muxer.mux(frame), frame.pts90k))
                packets.append(OutPacket{std::move(bytes), -1});
        }
        for (QByteArray &bytes : packetizer.packetize(muxer.mux(unit), unit.pts90k))
            packets.append(OutPacket{std::move(bytes), int(i)});
    }
    return packets;
}

/// What the network does to the packets on their way.
struct Impairment {
    double lossRate = 0;
    double reorderRate = 0;   ///< a packet swaps places with the next one
    double duplicateRate = 0; ///< a packet arrives twice
    quint32 seed = 1;
};

struct Delivery {
    QList<OutPacket> packets;   ///< in sending order
    std::set<qsizetype> lost;   ///< indices into the original list
};

Delivery impair(const QList<OutPacket> &original, const Impairment &impairment)
{
    QRandomGenerator random(impairment.seed);
    Delivery delivery;
    for (qsizetype i = 0; i < original.size(); ++i) {
        if (random.generateDouble() < impairment.lossRate) {
            delivery.lost.insert(i);
            continue;
        }
        delivery.packets.append(original.at(i));
        if (random.generateDouble() < impairment.duplicateRate)
            delivery.packets.append(original.at(i));
    }
    for (qsizetype i = 0; i + 1 < delivery.packets.size(); ++i) {
        if (random.generateDouble() < impairment.reorderRate) {
            delivery.packets.swapItemsAt(i, i + 1);
            ++i;
        }
    }
    return delivery;
}

/// The frames a receiver that freezes rather than smears can show: a frame decodes when no
/// packet was lost from the first packet of its GOP's key frame to its own last packet.
std::set<int> decodableFrames(const Clip &clip, const QList<OutPacket> &original, const std::set<qsizetype> &lost)
{
    std::map<int, std::pair<qsizetype, qsizetype>> span; // frame: first and last packet
    for (qsizetype i = 0; i < original.size(); ++i) {
        if (const int frame = original.at(i).videoFrame; frame >= 0) {
            auto [it, inserted] = span.try_emplace(frame, i, i);
            it->second.second = i;
        }
    }
    std::set<int> decodable;
    qsizetype gopStart = -1;
    for (const auto &[frame, packets] : span) {
        if (clip.units.at(frame).keyFrame)
            gopStart = packets.first;
        if (gopStart < 0)
            continue;
        const auto hit = lost.lower_bound(gopStart);
        if (hit == lost.end() || *hit > packets.second)
            decodable.insert(frame);
    }
    return decodable;
}

std::set<int> allFrames()
{
    std::set<int> all;
    for (int i = 0; i < kClipFrames; ++i)
        all.insert(i);
    return all;
}

/// The lost packets a receiver can notice: those with packets on both sides.
qsizetype detectableLosses(const std::set<qsizetype> &lost, qsizetype total)
{
    qsizetype first = 0;
    while (lost.count(first))
        ++first;
    qsizetype last = total - 1;
    while (last >= 0 && lost.count(last))
        --last;
    return std::count_if(lost.begin(), lost.end(), [&](qsizetype i) { return i > first && i < last; });
}

/// Sends packets to a session from a thread of its own, paced so that the session's decoder
/// never falls behind: at most `window` frames ahead of what the session has decoded or
/// dropped (waiting at most waitCapMs for it), so that the test holds on a busy machine and
/// under sanitizers.
class Sender {
public:
    struct Options {
        MediaTransport transport = MediaTransport::Udp;
        quint16 port = 0; ///< the session's (UDP, TCP passive)
        /// TCP: bytes inserted between two packets (garbage), by packet index.
        std::map<qsizetype, QByteArray> insertBefore;
        /// TCP: packets of which only the first half is sent (a device dropping buffer chunks).
        std::set<qsizetype> truncate;
        /// Stops after this many packets until resume().
        qsizetype pauseAfter = -1;
        int window = 6;
        int waitCapMs = 100;
        /// Replays: no waiting for the decoder, only a pause of 1 ms after this many packets.
        int burstPackets = 0;
    };

    Sender(Options options, QList<OutPacket> packets, std::function<quint64()> progress)
        : m_options(std::move(options))
        , m_packets(std::move(packets))
        , m_progress(std::move(progress))
    {
    }

    ~Sender() { finish(); }

    /// TCP active: listens, and returns the port the session has to connect to.
    quint16 listen()
    {
        std::promise<quint16> port;
        std::future<quint16> portFuture = port.get_future();
        m_thread = std::thread([this, &port] { runTcpActive(port); });
        return portFuture.get();
    }

    void start()
    {
        if (m_options.transport == MediaTransport::TcpActive) {
            m_go = true;
            return;
        }
        m_thread = std::thread([this] { run(); });
    }

    void resume() { m_resume = true; }
    bool paused() const { return m_paused; }
    bool done() const { return m_done; }
    void abort() { m_abort = true; }

    void finish()
    {
        m_go = true;
        m_resume = true;
        if (m_thread.joinable())
            m_thread.join();
    }

private:
    void run()
    {
        if (m_options.transport == MediaTransport::Udp) {
            QUdpSocket socket;
            sendAll([&](const QByteArray &bytes) {
                socket.writeDatagram(bytes, QHostAddress(QHostAddress::LocalHost), m_options.port);
            }, [] {});
        } else {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress(QHostAddress::LocalHost), m_options.port);
            if (!socket.waitForConnected(5000)) {
                m_done = true;
                return;
            }
            sendTcp(socket);
            socket.disconnectFromHost();
            if (socket.state() != QAbstractSocket::UnconnectedState)
                socket.waitForDisconnected(2000);
        }
        m_done = true;
    }

    void runTcpActive(std::promise<quint16> &port)
    {
        QTcpServer server;
        server.listen(QHostAddress(QHostAddress::LocalHost), 0);
        port.set_value(server.serverPort());
        if (!server.waitForNewConnection(15'000)) {
            m_done = true;
            return;
        }
        QTcpSocket *socket = server.nextPendingConnection();
        while (!m_go)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        sendTcp(*socket);
        socket->disconnectFromHost();
        if (socket->state() != QAbstractSocket::UnconnectedState)
            socket->waitForDisconnected(2000);
        delete socket;
        m_done = true;
    }

    void sendTcp(QTcpSocket &socket)
    {
        qsizetype index = 0;
        sendAll(
            [&](const QByteArray &packet) {
                if (const auto garbage = m_options.insertBefore.find(index); garbage != m_options.insertBefore.end())
                    socket.write(garbage->second);
                QByteArray framed = frameRfc4571(packet);
                if (m_options.truncate.count(index))
                    framed.truncate(framed.size() / 2);
                socket.write(framed);
                ++index;
            },
            [&] {
                while (socket.bytesToWrite() > 0 && socket.waitForBytesWritten(2000)) {
                }
            });
    }

    template <typename Send, typename Flush>
    void sendAll(Send send, Flush flush)
    {
        quint64 framesSent = 0;
        int lastFrame = -1;
        for (qsizetype i = 0; i < m_packets.size() && !m_abort; ++i) {
            const OutPacket &packet = m_packets.at(i);
            if (m_options.burstPackets > 0) {
                if (i % m_options.burstPackets == 0) {
                    flush();
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                }
            } else if (packet.videoFrame >= 0 && packet.videoFrame != lastFrame) {
                lastFrame = packet.videoFrame;
                ++framesSent;
                flush();
                waitForProgress(framesSent);
            }
            send(packet.bytes);
            if (i + 1 == m_options.pauseAfter) {
                flush();
                m_paused = true;
                while (!m_resume && !m_abort)
                    std::this_thread::sleep_for(std::chrono::milliseconds(2));
                m_paused = false;
            }
        }
        flush();
    }

    void waitForProgress(quint64 framesSent)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(m_options.waitCapMs);
        while (m_progress() + quint64(m_options.window) < framesSent && std::chrono::steady_clock::now() < deadline
               && !m_abort) {
            std::this_thread::sleep_for(std::chrono::microseconds(500));
        }
    }

    Options m_options;
    QList<OutPacket> m_packets;
    std::function<quint64()> m_progress;
    std::thread m_thread;
    std::atomic<bool> m_go = false;
    std::atomic<bool> m_resume = false;
    std::atomic<bool> m_paused = false;
    std::atomic<bool> m_done = false;
    std::atomic<bool> m_abort = false;
};

/// The pictures a session decoded, by the frame index their PTS gives.
struct Received {
    std::mutex mutex;
    std::vector<std::pair<qint64, QString>> frames; ///< pts, MD5; in output order
    std::atomic<quint64> count = 0;

    void add(const VideoFrame &frame)
    {
        const QString md5 = frameMd5(frame);
        std::lock_guard lock(mutex);
        frames.emplace_back(frame.pts90k(), md5);
        ++count;
    }
    std::vector<std::pair<qint64, QString>> snapshot()
    {
        std::lock_guard lock(mutex);
        return frames;
    }
};

StreamSessionConfig baseConfig(MediaTransport transport, const std::shared_ptr<Received> &received)
{
    StreamSessionConfig config;
    config.transport = transport;
    config.localAddress = QHostAddress(QHostAddress::LocalHost);
    config.expectedSsrc = kSsrc;
    config.logName = u"test"_s;
    config.onDecodedFrame = [received](const VideoFrame &frame) { received->add(frame); };
    return config;
}

/// For replaying whole files as fast as the machine goes: nothing may be dropped for being
/// late, since the pictures are compared one by one.
StreamSessionConfig replayConfig(const std::shared_ptr<Received> &received)
{
    StreamSessionConfig config = baseConfig(MediaTransport::Udp, received);
    config.expectedSsrc.reset();
    config.decodeQueue.maxFrames = 4000;
    config.decodeQueue.maxBytes = 512 * 1024 * 1024;
    return config;
}

/// A session on 127.0.0.1 and a sender streaming to it, started in the order a signalling
/// side would: port bound, (TCP active: the device listening), session started, media sent.
struct Live {
    std::shared_ptr<Received> received;
    std::unique_ptr<StreamSession> session;
    std::unique_ptr<Sender> sender;

    /// Paces the sender by what the session has decoded or dropped unless `progress` is given.
    Result<void> start(StreamSessionConfig config, const QList<OutPacket> &packets, Sender::Options options,
                       std::function<quint64()> progress = {}, std::optional<std::uint32_t> answeredSsrc = {})
    {
        session = std::make_unique<StreamSession>(std::move(config));
        const Result<quint16> port = session->prepare();
        if (!port)
            return std::unexpected(port.error());
        if (answeredSsrc)
            session->setExpectedSsrc(*answeredSsrc);
        const MediaTransport transport = session->health().transport;
        options.transport = transport;
        options.port = *port;
        if (!progress) {
            progress = [s = session.get()] {
                const StreamHealth health = s->health();
                return health.framesDecoded + health.framesDropped;
            };
        }
        sender = std::make_unique<Sender>(std::move(options), packets, std::move(progress));
        if (transport == MediaTransport::TcpActive)
            session->setRemoteEndpoint(QHostAddress(QHostAddress::LocalHost), sender->listen());
        if (Result<void> started = session->start(); !started)
            return started;
        sender->start();
        return {};
    }

    /// The sender goes first: its pacing asks the session.
    ~Live()
    {
        if (sender)
            sender->abort();
        sender.reset();
    }
};

/// Width and height from the SOF0..SOF2 segment of a JPEG file; {0, 0} when there is none.
QSize jpegSize(const QByteArray &jpeg)
{
    if (!jpeg.startsWith("\xFF\xD8"))
        return {};
    qsizetype pos = 2;
    while (pos + 9 < jpeg.size()) {
        if (std::uint8_t(jpeg[pos]) != 0xFF)
            return {};
        const std::uint8_t marker = std::uint8_t(jpeg[pos + 1]);
        const int length = (std::uint8_t(jpeg[pos + 2]) << 8) | std::uint8_t(jpeg[pos + 3]);
        if (marker >= 0xC0 && marker <= 0xC2) {
            const int height = (std::uint8_t(jpeg[pos + 5]) << 8) | std::uint8_t(jpeg[pos + 6]);
            const int width = (std::uint8_t(jpeg[pos + 7]) << 8) | std::uint8_t(jpeg[pos + 8]);
            return {width, height};
        }
        pos += 2 + length;
    }
    return {};
}

/// Cuts a program stream into the chunks a device sends as one RTP frame: pack header to pack
/// header (the bytes before the first pack header form a chunk of their own).
QList<QByteArray> packsOf(const QByteArray &ps)
{
    QList<QByteArray> packs;
    const QByteArray packStart("\x00\x00\x01\xBA", 4);
    qsizetype start = 0;
    qsizetype next = ps.indexOf(packStart, 1);
    while (next >= 0) {
        packs.append(ps.mid(start, next - start));
        start = next;
        next = ps.indexOf(packStart, start + 4);
    }
    packs.append(ps.mid(start));
    return packs;
}

QList<OutPacket> rtpFromChunks(const QList<QByteArray> &chunks, bool marker)
{
    RtpPacketizer packetizer({0x05F5ED76, 96, RtpPacketizer::kDefaultMaxPayloadBytes, 7});
    QList<OutPacket> packets;
    for (qsizetype i = 0; i < chunks.size(); ++i) {
        for (QByteArray &bytes : packetizer.packetize(chunks.at(i), qint64(i) * kFrameTicks)) {
            if (!marker)
                bytes[1] = char(bytes[1] & 0x7F);
            packets.append(OutPacket{std::move(bytes), int(i)});
        }
    }
    return packets;
}

} // namespace

class TestStreamSession : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void portPool();
    void rateMeter();

    void lossless_data();
    void lossless();
    void impairedUdp_data();
    void impairedUdp();
    void corruptedTcp_data();
    void corruptedTcp();
    void stallAndResume();
    void ssrcAdoptedWhenTheDeviceIgnoresOurs_data();
    void ssrcAdoptedWhenTheDeviceIgnoresOurs();
    void ssrcFromTheAnswer();
    void strictSsrcDropsForeignPackets();
    void notProgramStream_data();
    void notProgramStream();
    void tcpConnectFails();
    void bindFails();
    void portPoolSkipsTakenPorts();
    void stopWhileStreaming();
    void packetsBeforeStart();

    void sharedCaptures_data();
    void sharedCaptures();
    void sharedProgramStreams_data();
    void sharedProgramStreams();

private:
    /// Streams `packets` to a new session and waits until the sender is done and the session
    /// has decoded `expectFrames` pictures (or has stopped making progress).
    struct RunResult {
        StreamHealth health;
        std::vector<std::pair<qint64, QString>> frames;
        QByteArray snapshot;
    };
    void stream(RunResult &result, MediaTransport transport, const QList<OutPacket> &packets, int expectFrames,
                Sender::Options senderOptions = {}, const std::function<void(StreamSessionConfig &)> &tweak = {},
                std::optional<std::uint32_t> answeredSsrc = {});
    const Clip &clip(VideoCodec codec) const { return codec == VideoCodec::H265 ? m_h265 : m_h264; }
    void compareFrames(const std::vector<std::pair<qint64, QString>> &frames, const Clip &clip,
                       const std::set<int> &expected);

    QTemporaryDir m_dir;
    Clip m_h264;
    Clip m_h265;
    QList<AudioFrame> m_audio;
};

void TestStreamSession::initTestCase()
{
    if (ffmpegPath().isEmpty())
        QSKIP("ffmpeg is not installed: the stream tests need it to make their clips");
    QVERIFY(m_dir.isValid());

    const auto make = [&](Clip &out, VideoCodec codec) {
        out.codec = codec;
        const bool hevc = codec == VideoCodec::H265;
        out.path = m_dir.filePath(hevc ? u"clip.h265"_s : u"clip.h264"_s);
        QStringList args{u"-f"_s, u"lavfi"_s, u"-i"_s, u"testsrc2=size=320x240:rate=25"_s,
                         u"-frames:v"_s, QString::number(kClipFrames), u"-pix_fmt"_s, u"yuv420p"_s};
        if (hevc) {
            args << u"-c:v"_s << u"libx265"_s << u"-preset"_s << u"veryfast"_s << u"-x265-params"_s
                 << u"log-level=error:repeat-headers=1:bframes=0:keyint=%1:min-keyint=%1:scenecut=0"_s.arg(kClipGop)
                 << u"-f"_s << u"hevc"_s;
        } else {
            args << u"-c:v"_s << u"libx264"_s << u"-preset"_s << u"veryfast"_s << u"-g"_s << QString::number(kClipGop)
                 << u"-keyint_min"_s << QString::number(kClipGop) << u"-sc_threshold"_s << u"0"_s << u"-bf"_s << u"0"_s
                 << u"-f"_s << u"h264"_s;
        }
        args << out.path;
        const Result<QByteArray> made = runFfmpeg(args);
        QVERIFY2(made, qPrintable(made ? QString() : made.error().message));
        Result<ElementaryStreamFile> file = ElementaryStreamFile::open(out.path);
        QVERIFY2(file, qPrintable(file ? QString() : file.error().message));
        QCOMPARE(file->videoCodec(), codec);
        out.units = file->accessUnits();
        QCOMPARE(out.units.size(), kClipFrames);
        Result<QStringList> md5s = ffmpegFrameMd5s(out.path);
        QVERIFY2(md5s, qPrintable(md5s ? QString() : md5s.error().message));
        out.md5s = *md5s;
        QCOMPARE(out.md5s.size(), kClipFrames);
    };
    make(m_h264, VideoCodec::H264);
    make(m_h265, VideoCodec::H265);

    const QString alaw = m_dir.filePath(u"tone.alaw"_s);
    const Result<QByteArray> made = runFfmpeg({u"-f"_s, u"lavfi"_s, u"-i"_s, u"sine=frequency=1000:sample_rate=8000:duration=5"_s,
                                               u"-c:a"_s, u"pcm_alaw"_s, u"-f"_s, u"alaw"_s, alaw});
    QVERIFY(made);
    Result<ElementaryStreamFile> audio = ElementaryStreamFile::open(alaw);
    QVERIFY(audio);
    m_audio = audio->audioFrames();
}

void TestStreamSession::portPool()
{
    const std::shared_ptr<MediaPortPool> pool = MediaPortPool::create(30001, 30008, std::chrono::hours(1));
    QCOMPARE(pool->firstPort(), quint16(30002));
    QCOMPARE(pool->lastPort(), quint16(30008));
    QCOMPARE(pool->capacity(), 4);
    {
        MediaPortLease a = pool->acquire();
        MediaPortLease b = pool->acquire();
        QCOMPARE(a.port(), quint16(30002));
        QCOMPARE(b.port(), quint16(30004));
        QCOMPARE(pool->inUse(), 2);
        a.release();
        QCOMPARE(pool->inUse(), 1);
        MediaPortLease c = pool->acquire();
        MediaPortLease d = pool->acquire();
        QCOMPARE(c.port(), quint16(30006));
        QCOMPARE(d.port(), quint16(30008));
        // 30002 rests for an hour: nothing is free.
        QVERIFY(!pool->acquire().isValid());
        MediaPortLease moved = std::move(d);
        QVERIFY(!d.isValid());
        QCOMPARE(moved.port(), quint16(30008));
    }
    QCOMPARE(pool->inUse(), 0);

    const std::shared_ptr<MediaPortPool> quick = MediaPortPool::create(40000, 40002, std::chrono::milliseconds(0));
    MediaPortLease first = quick->acquire();
    MediaPortLease second = quick->acquire();
    QCOMPARE(first.port(), quint16(40000));
    QCOMPARE(second.port(), quint16(40002));
    first.release();
    QCOMPARE(quick->acquire().port(), quint16(40000));
    QCOMPARE(MediaPortPool::create(5001, 5001)->capacity(), 0);
}

void TestStreamSession::rateMeter()
{
    RateMeter meter;
    QCOMPARE(meter.ratePerSecond(1000), 0.0);
    for (int i = 0; i < 50; ++i)
        meter.add(10'000 + i * 40, 1); // 25 per second for 2 s
    QVERIFY(qAbs(meter.ratePerSecond(12'000) - 25.0) < 2.0);
    QCOMPARE(meter.ratePerSecond(20'000), 0.0); // the window moved on
}

void TestStreamSession::stream(RunResult &result, MediaTransport transport, const QList<OutPacket> &packets,
                               int expectFrames, Sender::Options senderOptions,
                               const std::function<void(StreamSessionConfig &)> &tweak,
                               std::optional<std::uint32_t> answeredSsrc)
{
    Live live;
    live.received = std::make_shared<Received>();
    StreamSessionConfig config = baseConfig(transport, live.received);
    if (tweak)
        tweak(config);
    const Result<void> started = live.start(config, packets, senderOptions, {}, answeredSsrc);
    QVERIFY2(started, qPrintable(started ? QString() : started.error().message));
    StreamSession &session = *live.session;
    QSignalSpy frameReady(&session, &StreamSession::frameReady);

    QTRY_VERIFY_WITH_TIMEOUT(live.sender->done(), 60'000);
    QTRY_VERIFY_WITH_TIMEOUT(live.received->count >= quint64(expectFrames), 20'000);
    // Let what may still be on its way (reorder hold, decode queue) settle: nothing more comes.
    QTest::qWait(300);
    QVERIFY(!frameReady.isEmpty());
    const Result<QByteArray> jpeg = session.snapshot();
    QVERIFY2(jpeg, qPrintable(jpeg ? QString() : jpeg.error().message));
    result.snapshot = *jpeg;
    QVERIFY(!session.takeFrame().isNull());
    result.health = session.health();
    result.frames = live.received->snapshot();
    session.stop();
    QCOMPARE(session.state(), StreamState::Stopped);
}

void TestStreamSession::compareFrames(const std::vector<std::pair<qint64, QString>> &frames, const Clip &source,
                                      const std::set<int> &expected)
{
    std::set<int> shown;
    qint64 previous = -1;
    for (const auto &[pts, md5] : frames) {
        QVERIFY2(pts % kFrameTicks == 0, qPrintable(u"pts %1"_s.arg(pts)));
        const int index = int(pts / kFrameTicks);
        QVERIFY2(index >= 0 && index < source.md5s.size(), qPrintable(u"pts %1"_s.arg(pts)));
        QVERIFY2(index > previous, "pictures out of order or twice");
        previous = index;
        QVERIFY2(md5 == source.md5s.at(index), qPrintable(u"frame %1 differs from the source"_s.arg(index)));
        shown.insert(index);
    }
    if (shown != expected) {
        QStringList missing, extra;
        for (int i : expected)
            if (!shown.count(i))
                missing << QString::number(i);
        for (int i : shown)
            if (!expected.count(i))
                extra << QString::number(i);
        QFAIL(qPrintable(u"missing frames: %1; unexpected frames: %2"_s.arg(missing.join(u' '), extra.join(u' '))));
    }
}

void TestStreamSession::lossless_data()
{
    QTest::addColumn<VideoCodec>("codec");
    QTest::addColumn<MediaTransport>("transport");
    for (VideoCodec codec : {VideoCodec::H264, VideoCodec::H265}) {
        const QString name = codecName(codec);
        QTest::newRow(qPrintable(name + u" UDP"_s)) << codec << MediaTransport::Udp;
        QTest::newRow(qPrintable(name + u" TCP passive"_s)) << codec << MediaTransport::TcpPassive;
        QTest::newRow(qPrintable(name + u" TCP active"_s)) << codec << MediaTransport::TcpActive;
    }
}

void TestStreamSession::lossless()
{
    QFETCH(VideoCodec, codec);
    QFETCH(MediaTransport, transport);
    const Clip &source = clip(codec);
    const QList<OutPacket> packets = gbPackets(source, m_audio, kSsrc);

    RunResult run;
    stream(run, transport, packets, kClipFrames);
    if (QTest::currentTestFailed())
        return;
    compareFrames(run.frames, source, allFrames());
    if (QTest::currentTestFailed())
        return;

    const StreamHealth &health = run.health;
    QCOMPARE(health.transport, transport);
    QCOMPARE(health.failure, StreamFailure::None);
    QCOMPARE(health.content, PsContent::ProgramStream);
    QCOMPARE(health.videoCodec, codec);
    QCOMPARE(health.width, 320);
    QCOMPARE(health.height, 240);
    QCOMPARE(health.framesDecoded, quint64(kClipFrames));
    QCOMPARE(health.framesDropped, quint64(0));
    QCOMPARE(health.decodeErrors, quint64(0));
    QCOMPARE(health.packetsReceived, quint64(packets.size()));
    QCOMPARE(health.packetsLost, quint64(0));
    QCOMPARE(health.ssrc, std::optional<std::uint32_t>(kSsrc));
    QCOMPARE(health.ssrcMismatches, quint64(0));
    QCOMPARE(health.payloadType, 96);
    QCOMPARE(health.audioCodec, AudioCodec::G711A);
    QVERIFY(health.audioFrames > 150); // 4 s of 20 ms frames, decoded
    QCOMPARE(health.audioErrors, quint64(0));
    QVERIFY(health.timeToFirstFrameMs >= 0);
    QVERIFY(health.lastPacketAgeMs >= 0);
    QVERIFY(health.bytesReceived > 0);
    QCOMPARE(health.tcpConnections, transport == MediaTransport::Udp ? quint64(0) : quint64(1));

    QCOMPARE(jpegSize(run.snapshot), QSize(320, 240));
    const QString jpegPath = m_dir.filePath(u"snapshot.jpg"_s);
    QVERIFY(MediaTest::writeFile(jpegPath, run.snapshot));
    const Result<QByteArray> decoded = runFfmpeg({u"-xerror"_s, u"-i"_s, jpegPath, u"-f"_s, u"null"_s, u"-"_s});
    QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.error().message));
}

void TestStreamSession::impairedUdp_data()
{
    QTest::addColumn<VideoCodec>("codec");
    QTest::addColumn<double>("loss");
    QTest::addColumn<quint32>("seed");
    QTest::newRow("H.264 reorder+duplicates") << VideoCodec::H264 << 0.0 << 11u;
    QTest::newRow("H.265 reorder+duplicates") << VideoCodec::H265 << 0.0 << 12u;
    QTest::newRow("H.264 3% loss") << VideoCodec::H264 << 0.03 << 13u;
    QTest::newRow("H.265 3% loss") << VideoCodec::H265 << 0.03 << 14u;
    QTest::newRow("H.264 5% loss") << VideoCodec::H264 << 0.05 << 15u;
}

void TestStreamSession::impairedUdp()
{
    QFETCH(VideoCodec, codec);
    QFETCH(double, loss);
    QFETCH(quint32, seed);
    const Clip &source = clip(codec);
    const QList<OutPacket> packets = gbPackets(source, m_audio, kSsrc, 65500); // the sequence wraps
    const Delivery delivery = impair(packets, Impairment{loss, 0.04, 0.03, seed});
    const std::set<int> expected = decodableFrames(source, packets, delivery.lost);
    if (loss > 0)
        QVERIFY2(!expected.empty() && int(expected.size()) < kClipFrames, "pick another seed");
    RunResult run;
    // Waiting longer for a missing packet than the default changes nothing here but keeps a
    // sender that the scheduler holds up on a busy machine from turning reordering into loss.
    stream(run, MediaTransport::Udp, delivery.packets, int(expected.size()), {},
           [](StreamSessionConfig &config) { config.reorder.maxHoldMs = 500; });
    if (QTest::currentTestFailed())
        return;
    compareFrames(run.frames, source, expected);
    const StreamHealth &health = run.health;
    QCOMPARE(health.packetsLost, quint64(detectableLosses(delivery.lost, packets.size())));
    QVERIFY(health.packetsReordered > 0);
    QVERIFY(health.packetsDuplicated > 0);
    QCOMPARE(health.framesDecoded, quint64(expected.size()));
    QCOMPARE(health.decodeErrors, quint64(0)); // lost pictures are dropped, never decoded damaged
}

void TestStreamSession::corruptedTcp_data()
{
    QTest::addColumn<MediaTransport>("transport");
    QTest::addColumn<bool>("truncate");
    QTest::newRow("passive, garbage") << MediaTransport::TcpPassive << false;
    QTest::newRow("active, garbage") << MediaTransport::TcpActive << false;
    QTest::newRow("passive, dropped chunks") << MediaTransport::TcpPassive << true;
}

void TestStreamSession::corruptedTcp()
{
    QFETCH(MediaTransport, transport);
    QFETCH(bool, truncate);
    const Clip &source = m_h264;
    const QList<OutPacket> packets = gbPackets(source, m_audio, kSsrc);

    Sender::Options options;
    QRandomGenerator random(7);
    std::set<qsizetype> lost;
    for (qsizetype i = 20; i < packets.size(); i += 37 + qsizetype(random.bounded(20))) {
        if (truncate) {
            options.truncate.insert(i);
            lost.insert(i);
        } else {
            QByteArray garbage(1 + random.bounded(300), Qt::Uninitialized);
            for (char &c : garbage)
                c = char(random.bounded(256));
            options.insertBefore.emplace(i, garbage);
        }
    }
    const std::set<int> expected = decodableFrames(source, packets, lost);

    RunResult run;
    stream(run, transport, packets, int(expected.size()), options);
    if (QTest::currentTestFailed())
        return;
    compareFrames(run.frames, source, expected);
    QVERIFY(run.health.resyncs > 0);
    QCOMPARE(run.health.tcpConnections, quint64(1)); // the connection was kept
    QCOMPARE(run.health.packetsLost, quint64(detectableLosses(lost, packets.size())));
    QCOMPARE(run.health.decodeErrors, quint64(0));
}

void TestStreamSession::stallAndResume()
{
    const Clip &source = m_h264;
    const QList<OutPacket> packets = gbPackets(source, {}, kSsrc);
    Live live;
    live.received = std::make_shared<Received>();
    StreamSessionConfig config = baseConfig(MediaTransport::Udp, live.received);
    config.stallThresholdMs = 400;
    Sender::Options options;
    options.pauseAfter = packets.size() / 2;
    QVERIFY(live.start(config, packets, options));
    StreamSession &session = *live.session;
    Sender &sender = *live.sender;
    const std::shared_ptr<Received> &received = live.received;
    // The signals are queued: nothing has been delivered yet.
    QSignalSpy states(&session, &StreamSession::stateChanged);
    QSignalSpy reinvite(&session, &StreamSession::reinviteNeeded);

    QTRY_COMPARE_WITH_TIMEOUT(session.state(), StreamState::Stalled, 20'000);
    QVERIFY(sender.paused());
    QTRY_COMPARE(reinvite.size(), 1);
    QCOMPARE(session.health().stalls, quint64(1));
    QVERIFY(session.health().lastPacketAgeMs >= 400);

    sender.resume();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), StreamState::Playing, 20'000);
    QTRY_VERIFY_WITH_TIMEOUT(sender.done(), 20'000);
    QTRY_COMPARE_WITH_TIMEOUT(received->count.load(), quint64(kClipFrames), 20'000);
    QCOMPARE(reinvite.size(), 1);

    QList<StreamState> seen;
    for (const QList<QVariant> &args : std::as_const(states))
        seen << args.at(0).value<StreamState>();
    QCOMPARE(seen, (QList<StreamState>{StreamState::Connecting, StreamState::Playing, StreamState::Stalled,
                                       StreamState::Playing}));
}

void TestStreamSession::ssrcAdoptedWhenTheDeviceIgnoresOurs_data()
{
    QTest::addColumn<MediaTransport>("transport");
    QTest::newRow("UDP") << MediaTransport::Udp;
    QTest::newRow("TCP passive") << MediaTransport::TcpPassive;
}

void TestStreamSession::ssrcAdoptedWhenTheDeviceIgnoresOurs()
{
    QFETCH(MediaTransport, transport);
    const QList<OutPacket> packets = gbPackets(m_h264, m_audio, 0x12345678);
    RunResult run;
    stream(run, transport, packets, kClipFrames);
    if (QTest::currentTestFailed())
        return;
    compareFrames(run.frames, m_h264, allFrames());
    QCOMPARE(run.health.ssrc, std::optional<std::uint32_t>(0x12345678));
    QCOMPARE(run.health.ssrcMismatches, quint64(StreamAssembler::kAdoptAfterPackets));
    QCOMPARE(run.health.ssrcChanges, quint64(1));
}

void TestStreamSession::ssrcFromTheAnswer()
{
    // Offered y=0200000001, the device answered y=0200000099 and sends that.
    const QList<OutPacket> packets = gbPackets(m_h264, {}, 0x0BEBC263);
    RunResult run;
    stream(run, MediaTransport::Udp, packets, kClipFrames, {},
           [](StreamSessionConfig &config) { config.expectedSsrc = 0x0BEBC201; }, 0x0BEBC263);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(run.health.framesDecoded, quint64(kClipFrames));
    QCOMPARE(run.health.ssrcMismatches, quint64(0));
    QCOMPARE(run.health.ssrc, std::optional<std::uint32_t>(0x0BEBC263));
}

void TestStreamSession::strictSsrcDropsForeignPackets()
{
    QList<OutPacket> packets = gbPackets(m_h264, {}, kSsrc);
    // A stranger's packets on our port, some looking like PS: counted and dropped.
    QList<OutPacket> mixed;
    MediaTest::RtpFields stranger;
    stranger.ssrc = 0x0BADF00D;
    for (qsizetype i = 0; i < packets.size(); ++i) {
        mixed.append(packets.at(i));
        if (i % 25 == 5) {
            stranger.sequence = std::uint16_t(i);
            mixed.append(OutPacket{MediaTest::makeRtp(stranger, QByteArray("\x00\x00\x01\xBA garbage", 12)), -1});
        }
    }
    const qsizetype foreign = mixed.size() - packets.size();
    RunResult run;
    stream(run, MediaTransport::Udp, mixed, kClipFrames, {},
           [](StreamSessionConfig &config) { config.ssrcCheck = SsrcCheck::Strict; });
    if (QTest::currentTestFailed())
        return;
    compareFrames(run.frames, m_h264, allFrames());
    QCOMPARE(run.health.ssrcMismatches, quint64(foreign));
    QCOMPARE(run.health.ssrc, std::optional<std::uint32_t>(kSsrc));
}

void TestStreamSession::notProgramStream_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("payloadType");
    QTest::addColumn<PsContent>("content");
    QTest::newRow("raw H.264") << u"h264"_s << 98 << PsContent::RawH264;
    QTest::newRow("raw H.265") << u"hevc"_s << 99 << PsContent::RawH265;
    QTest::newRow("MPEG-TS") << u"mpegts"_s << 33 << PsContent::MpegTs;
}

void TestStreamSession::notProgramStream()
{
    QFETCH(QString, format);
    QFETCH(int, payloadType);
    QFETCH(PsContent, content);
    QByteArray bytes;
    if (format == u"hevc") {
        bytes = MediaTest::readFile(m_h265.path);
    } else if (format == u"h264") {
        bytes = MediaTest::readFile(m_h264.path);
    } else {
        const QString ts = m_dir.filePath(u"clip.ts"_s);
        QVERIFY(runFfmpeg({u"-i"_s, m_h264.path, u"-c"_s, u"copy"_s, u"-f"_s, u"mpegts"_s, ts}));
        bytes = MediaTest::readFile(ts);
    }
    QVERIFY(!bytes.isEmpty());
    bytes = bytes.repeated(3); // more than the demuxer looks at before it decides
    QList<OutPacket> packets;
    RtpPacketizer packetizer({kSsrc, std::uint8_t(payloadType), 1316, 1});
    for (qsizetype pos = 0; pos < bytes.size(); pos += 13160) {
        for (QByteArray &packet : packetizer.packetize(QByteArrayView(bytes).sliced(pos, std::min<qsizetype>(13160, bytes.size() - pos)),
                                                       pos / 13160 * kFrameTicks))
            packets.append(OutPacket{std::move(packet), int(pos / 13160)});
    }

    Live live;
    live.received = std::make_shared<Received>();
    Sender::Options options;
    options.burstPackets = 32;
    QVERIFY(live.start(baseConfig(MediaTransport::Udp, live.received), packets, options));
    StreamSession &session = *live.session;
    QSignalSpy failed(&session, &StreamSession::failed);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), StreamState::Failed, 30'000);
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(0).value<StreamFailure>(), StreamFailure::NotProgramStream);
    const QString reason = failed.at(0).at(1).toString();
    QVERIFY2(reason.contains(QString::number(payloadType)), qPrintable(reason));
    const StreamHealth health = session.health();
    QCOMPARE(health.failure, StreamFailure::NotProgramStream);
    QCOMPARE(health.failureReason, reason);
    QCOMPARE(health.content, content);
    QCOMPARE(health.framesDecoded, quint64(0));
    QVERIFY(session.snapshot().error().code == ErrorCode::NotFound);
}

void TestStreamSession::tcpConnectFails()
{
    quint16 closedPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress(QHostAddress::LocalHost), 0));
        closedPort = probe.serverPort();
    }
    auto received = std::make_shared<Received>();
    StreamSessionConfig config = baseConfig(MediaTransport::TcpActive, received);
    config.connectRetryIntervalMs = 200;
    StreamSession session(config);
    QSignalSpy failed(&session, &StreamSession::failed);
    QVERIFY(session.prepare());
    QVERIFY(!session.start()); // no remote endpoint yet
    session.setRemoteEndpoint(QHostAddress(QHostAddress::LocalHost), closedPort);
    QVERIFY(session.start());
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20'000);
    QCOMPARE(failed.at(0).at(0).value<StreamFailure>(), StreamFailure::TcpConnectFailed);
    QVERIFY2(failed.at(0).at(1).toString().contains(u"3"_s), qPrintable(failed.at(0).at(1).toString()));
    QCOMPARE(session.state(), StreamState::Failed);
}

void TestStreamSession::bindFails()
{
    QUdpSocket taken;
    QVERIFY(taken.bind(QHostAddress(QHostAddress::LocalHost), 0));
    auto received = std::make_shared<Received>();
    StreamSessionConfig config = baseConfig(MediaTransport::Udp, received);
    config.localPort = taken.localPort();
    StreamSession session(config);
    const Result<quint16> port = session.prepare();
    QVERIFY(!port);
    QVERIFY(port.error().message.contains(QString::number(taken.localPort())));
    QCOMPARE(session.state(), StreamState::Failed);
    QCOMPARE(session.health().failure, StreamFailure::BindFailed);
}

void TestStreamSession::portPoolSkipsTakenPorts()
{
    // Find two free even ports next to each other, then take the first.
    QUdpSocket taken;
    quint16 first = 0;
    for (quint16 candidate = 46000; candidate < 47000; candidate += 4) {
        QUdpSocket probe;
        if (taken.bind(QHostAddress(QHostAddress::LocalHost), candidate)
            && probe.bind(QHostAddress(QHostAddress::LocalHost), quint16(candidate + 2))) {
            first = candidate;
            break;
        }
        taken.close();
    }
    QVERIFY(first != 0);
    const std::shared_ptr<MediaPortPool> pool = MediaPortPool::create(first, quint16(first + 2));
    auto received = std::make_shared<Received>();
    StreamSessionConfig config = baseConfig(MediaTransport::Udp, received);
    config.portPool = pool;
    {
        StreamSession session(config);
        const Result<quint16> port = session.prepare();
        QVERIFY2(port, qPrintable(port ? QString() : port.error().message));
        QCOMPARE(*port, quint16(first + 2));
        QCOMPARE(session.localPort(), quint16(first + 2));
        QCOMPARE(pool->inUse(), 1);
        StreamSession second(config);
        QVERIFY(!second.prepare()); // the one left is resting, the other taken
        QCOMPARE(second.health().failure, StreamFailure::BindFailed);
    }
    QCOMPARE(pool->inUse(), 0);
}

void TestStreamSession::stopWhileStreaming()
{
    const QList<OutPacket> packets = gbPackets(m_h265, m_audio, kSsrc);
    for (MediaTransport transport : {MediaTransport::Udp, MediaTransport::TcpPassive, MediaTransport::TcpActive}) {
        Live live;
        live.received = std::make_shared<Received>();
        Sender::Options options;
        options.waitCapMs = 5;
        options.pauseAfter = packets.size() / 2; // the sender holds still half-way through the clip
        // Paced by what came out, which outlives the session (the default reads the session).
        QVERIFY(live.start(baseConfig(transport, live.received), packets, options,
                           [received = live.received] { return received->count.load(); }));
        QTRY_VERIFY_WITH_TIMEOUT(live.received->count > 3 && live.sender->paused(), 20'000);
        live.session.reset(); // mid-stream: the threads end, the socket closes
        const quint64 atStop = live.received->count;
        QVERIFY(atStop < quint64(kClipFrames));
        live.sender->resume(); // the rest goes to a closed socket
        QTRY_VERIFY_WITH_TIMEOUT(live.sender->done(), 20'000);
        QTest::qWait(100);
        QCOMPARE(live.received->count.load(), atStop); // no picture after stop
    }
}

void TestStreamSession::packetsBeforeStart()
{
    // A camera streams as soon as it has our ACK, which may be before start() ran on the media
    // thread. What came early is kept, and what follows is received too: every picture shows.
    const QList<OutPacket> packets = gbPackets(m_h264, m_audio, kSsrc);
    auto received = std::make_shared<Received>();
    StreamSession session(baseConfig(MediaTransport::Udp, received));
    const Result<quint16> port = session.prepare();
    QVERIFY(port);
    Sender::Options options;
    options.transport = MediaTransport::Udp;
    options.port = *port;
    options.waitCapMs = 5;
    options.pauseAfter = 40; // the first key frame and a little more
    Sender sender(options, packets, [received] { return received->count.load(); });
    sender.start();
    QTRY_VERIFY_WITH_TIMEOUT(sender.paused(), 20'000);
    QTest::qWait(100); // the media thread has seen them arrive (readyRead) before start()
    QVERIFY(session.start());
    sender.resume();
    QTRY_VERIFY_WITH_TIMEOUT(sender.done(), 60'000);
    QTRY_COMPARE_WITH_TIMEOUT(received->count.load(), quint64(kClipFrames), 20'000);
    compareFrames(received->snapshot(), m_h264, allFrames());
    QCOMPARE(session.health().packetsLost, quint64(0));
}

void TestStreamSession::sharedCaptures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("refs");
    QTest::addColumn<bool>("isPs");
    QTest::newRow("Hikvision RTP") << u"real_hik_d1_h264.rtp-udp"_s << u"real_hik_d1_h264.rtp-udp.md5"_s << true;
    QTest::newRow("Hikvision PS") << u"real_hik_d1_h264.ps"_s << u"real_hik_d1_h264.md5"_s << true;
    QTest::newRow("mid-start PS") << u"real_cam_1080p15_h264_midstart.ps"_s << u"real_cam_1080p15_h264_midstart.md5"_s
                                  << true;
    QTest::newRow("not PS") << u"real_gb_preview_nonps.rtp-udp"_s << QString() << false;
}

void TestStreamSession::sharedCaptures()
{
    QFETCH(QString, file);
    QFETCH(QString, refs);
    QFETCH(bool, isPs);
    const QString dir = sharedMediaDir();
    if (dir.isEmpty() || !QFile::exists(dir + u"/real/"_s + file))
        QSKIP("../shared/media/real is not here");
    const QString path = dir + u"/real/"_s + file;

    QList<OutPacket> packets;
    if (file.endsWith(u".rtp-udp")) {
        int frame = 0;
        for (const QByteArray &bytes : MediaTest::readRtpUdp(path)) {
            packets.append(OutPacket{bytes, frame});
            if (bytes.size() > 1 && (std::uint8_t(bytes[1]) & 0x80))
                ++frame;
        }
    } else {
        packets = rtpFromChunks(packsOf(MediaTest::readFile(path)), true);
    }
    QVERIFY(!packets.isEmpty());

    Live live;
    live.received = std::make_shared<Received>();
    Sender::Options options;
    options.burstPackets = 32;
    QVERIFY(live.start(replayConfig(live.received), packets, options));
    StreamSession &session = *live.session;
    Sender &sender = *live.sender;
    const std::shared_ptr<Received> &received = live.received;

    if (!isPs) {
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), StreamState::Failed, 30'000);
        const StreamHealth health = session.health();
        QCOMPARE(health.failure, StreamFailure::NotProgramStream);
        QCOMPARE(health.content, PsContent::NoPsSync);
        QCOMPARE(health.framesDecoded, quint64(0));
        return;
    }
    const QStringList md5s = readMd5File(dir + u"/real/refs/"_s + refs);
    QVERIFY(!md5s.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(sender.done(), 120'000);
    QTRY_COMPARE_WITH_TIMEOUT(received->count.load(), quint64(md5s.size()), 30'000);
    QTest::qWait(200);
    const StreamHealth health = session.health();
    QCOMPARE(health.framesDecoded, quint64(md5s.size()));
    QCOMPARE(health.decodeErrors, quint64(0));
    QCOMPARE(health.packetsLost, quint64(0));
    const auto frames = received->snapshot();
    for (qsizetype i = 0; i < md5s.size(); ++i)
        QVERIFY2(frames.at(size_t(i)).second == md5s.at(i), qPrintable(u"frame %1 differs from FFmpeg's"_s.arg(i)));
}

void TestStreamSession::sharedProgramStreams_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("refs");
    // Pictures cut at arbitrary bytes (2 KB packs, a PTS only where a picture starts), an
    // MPEG-1 system stream, H.265, AAC, and 4K pictures split over PES that repeat the PTS.
    QTest::newRow("FFmpeg VOB H.264") << u"ps_ffmpeg_vob_1080p_h264_mp2.mpg"_s << u"clip_1080p25_h264.md5"_s;
    QTest::newRow("FFmpeg MPEG-1 system") << u"ps_ffmpeg_mpeg1sys_1080p_h264_mp2.mpg"_s << u"clip_1080p25_h264.md5"_s;
    QTest::newRow("FFmpeg VOB H.265") << u"ps_ffmpeg_vob_720p_h265.mpg"_s << u"clip_720p25_h265.md5"_s;
    QTest::newRow("GStreamer H.264 AAC") << u"ps_gst_1080p_h264_aac.mpg"_s << u"clip_1080p25_h264.md5"_s;
    QTest::newRow("GStreamer 4K H.264") << u"ps_gst_2160p_h264.mpg"_s << u"clip_2160p25_h264.md5"_s;
}

void TestStreamSession::sharedProgramStreams()
{
    // Program streams from other muxers, sent without marker bits (a device that never sets
    // them): access units come from the stream alone.
    QFETCH(QString, file);
    QFETCH(QString, refs);
    const QString dir = sharedMediaDir();
    if (dir.isEmpty() || !QFile::exists(dir + u'/' + file))
        QSKIP("../shared/media is not here");
    const QStringList md5s = readMd5File(dir + u"/refs/"_s + refs);
    QVERIFY(!md5s.isEmpty());
    const QList<OutPacket> packets = rtpFromChunks(packsOf(MediaTest::readFile(dir + u'/' + file)), false);

    Live live;
    live.received = std::make_shared<Received>();
    Sender::Options options;
    options.burstPackets = 32;
    QVERIFY(live.start(replayConfig(live.received), packets, options));
    StreamSession &session = *live.session;
    const std::shared_ptr<Received> &received = live.received;
    QTRY_VERIFY_WITH_TIMEOUT(live.sender->done(), 120'000);
    // Without markers the last picture completes only at the end of the stream, which a live
    // stream does not have: all but the last.
    QTRY_COMPARE_WITH_TIMEOUT(received->count.load(), quint64(md5s.size() - 1), 30'000);
    QTest::qWait(200);
    const StreamHealth health = session.health();
    QCOMPARE(health.decodeErrors, quint64(0));
    QCOMPARE(health.framesDecoded, quint64(md5s.size() - 1));
    if (file.contains(u"aac"))
        QVERIFY(health.audioCodec == AudioCodec::Aac && health.audioFrames > 0 && health.audioErrors == 0);
    const auto frames = received->snapshot();
    for (qsizetype i = 0; i + 1 < md5s.size(); ++i)
        QVERIFY2(frames.at(size_t(i)).second == md5s.at(i), qPrintable(u"frame %1 differs from FFmpeg's"_s.arg(i)));
}

QTEST_GUILESS_MAIN(TestStreamSession)
#include "tst_streamsession.moc"
