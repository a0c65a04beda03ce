// A simulated camera streams to a platform over loopback after INVITE: UDP, TCP passive (the
// platform listens) and TCP active (the platform connects). The test reassembles the RTP
// payloads into the PS the device wrote and has FFmpeg decode it: the codecs are found and
// every frame's MD5 equals the source file's. Media faults are measured on the wire. An offer
// for the sub stream, in any vendor's spelling, gets the sub-stream clip.

#include "mediaengine.h"
#include "simulateddevice.h"
#include "simulator.h"
#include "testplatform.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Vigil;
using namespace Vigil::CamSim;
using namespace CamSimTest;
using namespace Qt::StringLiterals;

namespace {

const QString kIpc = u"34020000001320000001"_s;
const QString kChannel = u"34020000001310000001"_s;
constexpr int kClipFrames = 50; // 2 s at 25 fps
constexpr qint64 kClip90k = 2 * 90000;

struct Session {
    std::unique_ptr<TestPlatform> platform;
    std::unique_ptr<Simulator> simulator;
    std::unique_ptr<RtpCollector> collector;
    std::shared_ptr<TestPlatform::Invite> invite;
    std::unique_ptr<QSignalSpy> ended;
};

} // namespace

class TestCamsimMedia : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_h264;
    QString m_h265;
    QString m_subH264;
    QString m_alaw;
    QList<QByteArray> m_h264Md5s;
    QList<QByteArray> m_h265Md5s;
    QList<QByteArray> m_subH264Md5s;

    bool encode(const QStringList &arguments)
    {
        QStringList all = {u"-hide_banner"_s, u"-loglevel"_s, u"error"_s, u"-y"_s};
        all += arguments;
        return !runTool(u"ffmpeg"_s, all).isNull() || QFile::exists(arguments.back());
    }

    /// Registers one IPC streaming `video` to a fresh platform and INVITEs it.
    Session open(Devices::MediaTransport transport, const QString &video, const QString &audio,
                 const MediaFaults &faults = {}, const SignallingFaults &signalling = {},
                 Gb::SdpSessionName sessionName = Gb::SdpSessionName::Play)
    {
        SimulatorConfig config;
        config.videoPath = video;
        config.audioPath = audio;
        config.mediaFaults = faults;
        config.faults = signalling;
        return open(std::move(config), transport, sessionName);
    }

    /// Registers one IPC set up by `config` to a fresh platform and INVITEs it with an offer for
    /// `transport`, which `tuneOffer` may change before it is sent.
    Session open(SimulatorConfig config, Devices::MediaTransport transport, Gb::SdpSessionName sessionName,
                 const std::function<void(Gb::MediaSdp &)> &tuneOffer = {})
    {
        Session session;
        session.platform = std::make_unique<TestPlatform>();
        config.server.address = QHostAddress::LocalHost;
        config.server.port = session.platform->port();
        config.bindAddress = QHostAddress::LocalHost;
        session.simulator = std::make_unique<Simulator>(config);
        session.ended = std::make_unique<QSignalSpy>(session.simulator.get(), &Simulator::streamEnded);
        QSignalSpy registered(session.simulator.get(), &Simulator::deviceRegistered);
        if (!session.simulator->start() || !registered.wait(5000))
            return session;

        const auto mode = transport == Devices::MediaTransport::Udp ? RtpCollector::Mode::Udp
            : transport == Devices::MediaTransport::TcpPassive      ? RtpCollector::Mode::TcpListen
                                                                    : RtpCollector::Mode::TcpConnect;
        session.collector = std::make_unique<RtpCollector>(mode);
        const std::uint16_t port = mode == RtpCollector::Mode::TcpConnect ? 9 : session.collector->port();
        const Gb::Ssrc ssrc = Gb::Ssrc::make(sessionName != Gb::SdpSessionName::Play, "3402000000", 1);
        Gb::MediaSdp offer = Gb::MediaSdp::offer(sessionName, kServerId, QHostAddress::LocalHost, port, transport, ssrc);
        if (sessionName != Gb::SdpSessionName::Play) {
            offer.uri = kChannel.toLatin1() + ":0";
            offer.startTime = 1716163200;
            offer.stopTime = 1716163202;
        }
        if (tuneOffer)
            tuneOffer(offer);
        session.invite = session.platform->invite(kIpc, kChannel, offer);
        if (!QTest::qWaitFor([&] { return session.invite->done; }, 10000) || !session.invite->answer)
            return session;
        session.collector->setExpectedSsrc(session.invite->answer->ssrc.value_or(ssrc).value());
        if (mode == RtpCollector::Mode::TcpConnect)
            session.collector->connectTo(session.invite->answer->address, session.invite->answer->port);
        return session;
    }

    /// Waits until a full pass of the clip (and a bit) has arrived, then hangs up.
    static bool receiveOnePassAndHangUp(Session &session, qint64 span90k = kClip90k + 9000)
    {
        if (!QTest::qWaitFor([&] { return session.collector->span90k() >= span90k; }, 15000))
            return false;
        if (session.platform->bye(*session.invite) != 200)
            return false;
        return !session.ended->isEmpty() || session.ended->wait(5000);
    }

    QString writePs(const Session &session, const QString &name)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(session.collector->psBytes());
        return path;
    }

    /// What ffprobe says about the streams of `path`: `entries` ("codec_name", "width,height")
    /// of each, one line per stream.
    static QByteArray probe(const QString &path, const QString &entries)
    {
        return runTool(u"ffprobe"_s, {u"-hide_banner"_s, u"-loglevel"_s, u"error"_s, u"-show_entries"_s, u"stream="_s + entries,
                                      u"-of"_s, u"csv=p=0"_s, path})
            .trimmed();
    }

    static QByteArray codecsOf(const QString &path) { return probe(path, u"codec_name"_s); }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(u"ffmpeg"_s).isEmpty() || QStandardPaths::findExecutable(u"ffprobe"_s).isEmpty())
            QSKIP("ffmpeg and ffprobe are needed to make the clips and decode what the device sends");
        QVERIFY(m_dir.isValid());
        m_h264 = m_dir.filePath(u"clip.h264"_s);
        m_h265 = m_dir.filePath(u"clip.h265"_s);
        m_subH264 = m_dir.filePath(u"sub.h264"_s);
        m_alaw = m_dir.filePath(u"clip.alaw"_s);
        // Busy enough (about 10 KB a frame) for several RTP packets per frame.
        QVERIFY(encode({u"-f"_s, u"lavfi"_s, u"-i"_s, u"testsrc2=size=640x360:rate=25:duration=2"_s, u"-c:v"_s, u"libx264"_s,
                        u"-profile:v"_s, u"baseline"_s, u"-preset"_s, u"ultrafast"_s, u"-g"_s, u"25"_s, u"-bf"_s, u"0"_s,
                        u"-b:v"_s, u"2M"_s, u"-pix_fmt"_s, u"yuv420p"_s, u"-f"_s, u"h264"_s, m_h264}));
        QVERIFY(encode({u"-f"_s, u"lavfi"_s, u"-i"_s, u"testsrc2=size=320x240:rate=25:duration=2"_s, u"-c:v"_s, u"libx265"_s,
                        u"-preset"_s, u"ultrafast"_s, u"-x265-params"_s, u"keyint=25:bframes=0:log-level=error"_s,
                        u"-pix_fmt"_s, u"yuv420p"_s, u"-f"_s, u"hevc"_s, m_h265}));
        // The sub stream: the same source at a sub stream's size.
        QVERIFY(encode({u"-f"_s, u"lavfi"_s, u"-i"_s, u"testsrc2=size=160x120:rate=25:duration=2"_s, u"-c:v"_s, u"libx264"_s,
                        u"-profile:v"_s, u"baseline"_s, u"-preset"_s, u"ultrafast"_s, u"-g"_s, u"25"_s, u"-bf"_s, u"0"_s,
                        u"-b:v"_s, u"256k"_s, u"-pix_fmt"_s, u"yuv420p"_s, u"-f"_s, u"h264"_s, m_subH264}));
        QVERIFY(encode({u"-f"_s, u"lavfi"_s, u"-i"_s, u"sine=frequency=440:sample_rate=8000:duration=2"_s, u"-ac"_s, u"1"_s,
                        u"-c:a"_s, u"pcm_alaw"_s, u"-f"_s, u"alaw"_s, m_alaw}));
        m_h264Md5s = frameMd5s(m_h264);
        m_h265Md5s = frameMd5s(m_h265);
        m_subH264Md5s = frameMd5s(m_subH264);
        QCOMPARE(m_h264Md5s.size(), kClipFrames);
        QCOMPARE(m_h265Md5s.size(), kClipFrames);
        QCOMPARE(m_subH264Md5s.size(), kClipFrames);
    }

    void streamsDecodableProgramStream_data()
    {
        QTest::addColumn<int>("transport");
        QTest::addColumn<bool>("h265");
        QTest::addColumn<bool>("audio");
        QTest::newRow("udp h264+g711a") << int(Devices::MediaTransport::Udp) << false << true;
        QTest::newRow("tcp passive h264+g711a") << int(Devices::MediaTransport::TcpPassive) << false << true;
        QTest::newRow("tcp active h264+g711a") << int(Devices::MediaTransport::TcpActive) << false << true;
        QTest::newRow("udp h265") << int(Devices::MediaTransport::Udp) << true << false;
    }

    void streamsDecodableProgramStream()
    {
        QFETCH(int, transport);
        QFETCH(bool, h265);
        QFETCH(bool, audio);
        const auto mediaTransport = Devices::MediaTransport(transport);
        Session session = open(mediaTransport, h265 ? m_h265 : m_h264, audio ? m_alaw : QString());
        QVERIFY(session.invite && session.invite->done);
        QCOMPARE(session.invite->status, 200);

        // The answer: sendonly PS from the device, the offered SSRC, the opposite TCP role.
        const Gb::MediaSdp &answer = *session.invite->answer;
        QCOMPARE(answer.direction, Gb::SdpDirection::SendOnly);
        QCOMPARE(answer.formats.front().encoding, "PS");
        QCOMPARE(answer.ssrc, Gb::Ssrc(200000001));
        QCOMPARE(answer.platformTransport(), mediaTransport);
        QCOMPARE(answer.address, QHostAddress(QHostAddress::LocalHost));
        QVERIFY(answer.port != 0);
        QCOMPARE(answer.ownerId, kChannel.toLatin1());

        QVERIFY(receiveOnePassAndHangUp(session));
        if (mediaTransport != Devices::MediaTransport::Udp)
            QCOMPARE(session.collector->connections(), 1);
        QCOMPARE(session.collector->resyncs(), 0);
        for (const QByteArray &packet : session.collector->packets()) {
            const auto header = parseRtp(packet);
            QVERIFY(header);
            QCOMPARE(header->ssrc, 200000001u);
            QCOMPARE(header->payloadType, 96);
        }
        const RtpCollector::SequenceStats sequences = session.collector->sequenceStats();
        QCOMPARE(sequences.unique, sequences.expected); // nothing lost on loopback without faults

        const QString ps = writePs(session, u"stream.ps"_s);
        const QByteArray codecs = codecsOf(ps);
        QVERIFY2(codecs.contains(h265 ? "hevc" : "h264"), codecs.constData());
        if (audio) {
            // FFmpeg 5.1's PS demuxer does not map stream_type 0x90 (G.711A) and calls the
            // 0xC0 stream mp2; the audio is checked byte for byte instead.
            QVERIFY2(codecs.split('\n').size() == 2, codecs.constData());
            QFile source(m_alaw);
            QVERIFY(source.open(QIODevice::ReadOnly));
            const QByteArray samples = source.readAll();
            const QByteArray sent = pesPayloads(session.collector->psBytes(), 0xC0);
            QVERIFY2(sent.size() >= samples.size(), qPrintable(u"%1 audio bytes"_s.arg(sent.size())));
            QVERIFY(sent.first(samples.size()) == samples);
        }
        const QList<QByteArray> decoded = frameMd5s(ps);
        const QList<QByteArray> &source = h265 ? m_h265Md5s : m_h264Md5s;
        QVERIFY2(decoded.size() >= source.size(), qPrintable(u"%1 frames decoded"_s.arg(decoded.size())));
        QCOMPARE(decoded.first(source.size()), source);

        // The stream's own account, reported when it ended.
        const auto stats = session.ended->front().at(2).value<StreamStats>();
        QCOMPARE(session.ended->front().at(1).toString(), u"stopped"_s);
        QVERIFY(stats.videoFrames >= kClipFrames);
        QVERIFY(audio ? stats.audioFrames > 0 : stats.audioFrames == 0);
        QCOMPARE(stats.packetsSent, qint64(session.collector->packets().size()));
    }

    void loopsWithContinuousTimestamps()
    {
        Session session = open(Devices::MediaTransport::Udp, m_h264, {});
        QCOMPARE(session.invite->status, 200);
        // Two and a half passes: the second pass's frames carry on the time line.
        QVERIFY(receiveOnePassAndHangUp(session, 2 * kClip90k + 45000));
        const QList<QByteArray> decoded = frameMd5s(writePs(session, u"loop.ps"_s));
        QVERIFY(decoded.size() >= 2 * kClipFrames);
        QCOMPARE(decoded.mid(kClipFrames, kClipFrames), m_h264Md5s);
        // RTP timestamps never go back across the loop (loopback UDP keeps the order).
        std::uint32_t last = 0;
        for (const QByteArray &packet : session.collector->packets()) {
            const std::uint32_t timestamp = parseRtp(packet)->timestamp;
            QVERIFY(timestamp - last < 0x80000000u);
            last = timestamp;
        }
    }

    void lossIsMeasurable()
    {
        MediaFaults faults;
        faults.lossPercent = 20;
        faults.seed = 42;
        Session session = open(Devices::MediaTransport::Udp, m_h264, m_alaw, faults);
        QCOMPARE(session.invite->status, 200);
        QVERIFY(QTest::qWaitFor([&] { return session.collector->sequenceStats().expected >= 500; }, 15000));
        QCOMPARE(session.platform->bye(*session.invite), 200);
        QTRY_VERIFY_WITH_TIMEOUT(!session.ended->isEmpty(), 5000);
        const RtpCollector::SequenceStats sequences = session.collector->sequenceStats();
        const double lost = 1.0 - double(sequences.unique) / double(sequences.expected);
        QVERIFY2(lost > 0.12 && lost < 0.28, qPrintable(u"lost %1 of %2"_s.arg(lost).arg(sequences.expected)));
        const auto stats = session.ended->front().at(2).value<StreamStats>();
        QVERIFY(stats.packetsDropped > 0);
        // Sequence numbers count the dropped packets too: what is missing is exactly what was dropped.
        QCOMPARE(sequences.unique, stats.packetsSent);
    }

    void reorderAndDuplicatesAreMeasurableAndHarmless()
    {
        MediaFaults faults;
        faults.reorderPercent = 10;
        faults.duplicatePercent = 10;
        faults.seed = 7;
        Session session = open(Devices::MediaTransport::Udp, m_h264, {}, faults);
        QCOMPARE(session.invite->status, 200);
        QVERIFY(receiveOnePassAndHangUp(session));
        const RtpCollector::SequenceStats sequences = session.collector->sequenceStats();
        const double duplicated = double(sequences.duplicates) / double(sequences.unique);
        const double reordered = double(sequences.outOfOrder) / double(sequences.unique);
        QVERIFY2(duplicated > 0.05 && duplicated < 0.15, qPrintable(QString::number(duplicated)));
        QVERIFY2(reordered > 0.04 && reordered < 0.16, qPrintable(QString::number(reordered)));
        QCOMPARE(sequences.unique, sequences.expected);
        // A receiver that sorts by sequence and drops duplicates gets every frame back.
        QCOMPARE(frameMd5s(writePs(session, u"reordered.ps"_s)).first(kClipFrames), m_h264Md5s);
    }

    void tcpCorruptionNeedsResync()
    {
        MediaFaults faults;
        faults.tcpCorrupt = true;
        faults.seed = 3;
        Session session = open(Devices::MediaTransport::TcpPassive, m_h264, m_alaw, faults);
        QCOMPARE(session.invite->status, 200);
        QVERIFY(receiveOnePassAndHangUp(session));
        const auto stats = session.ended->front().at(2).value<StreamStats>();
        QVERIFY(stats.tcpCorruptions > 0);
        // Every inserted piece of garbage cost the receiver one resync, and no packet.
        QCOMPARE(session.collector->resyncs(), int(stats.tcpCorruptions));
        const RtpCollector::SequenceStats sequences = session.collector->sequenceStats();
        QCOMPARE(sequences.unique, sequences.expected);
        QCOMPARE(frameMd5s(writePs(session, u"corrupt.ps"_s)).first(kClipFrames), m_h264Md5s);
    }

    void ssrcMismatch()
    {
        SignallingFaults signalling;
        signalling.ssrcMismatch = true;
        Session session = open(Devices::MediaTransport::Udp, m_h264, {}, {}, signalling);
        QCOMPARE(session.invite->status, 200);
        const Gb::Ssrc answered = *session.invite->answer->ssrc;
        QVERIFY(answered != Gb::Ssrc(200000001));
        QVERIFY(QTest::qWaitFor([&] { return !session.collector->packets().isEmpty(); }, 5000));
        QCOMPARE(parseRtp(session.collector->packets().front())->ssrc, answered.value());
        QCOMPARE(session.platform->bye(*session.invite), 200);
    }

    void deviceHangsUpWhenTheConnectionCloses()
    {
        Session session = open(Devices::MediaTransport::TcpPassive, m_h264, {});
        QCOMPARE(session.invite->status, 200);
        QVERIFY(QTest::qWaitFor([&] { return !session.collector->packets().isEmpty(); }, 5000));
        session.collector->closeConnection();
        QTRY_COMPARE_WITH_TIMEOUT(session.platform->byes.size(), 1, 5000);
        QCOMPARE(session.platform->byes.front().callId(), session.invite->response.callId());
        QVERIFY(session.simulator->device(kIpc.toLatin1())->calls().isEmpty());
    }

    void playbackEndsWithMediaStatus()
    {
        Session session = open(Devices::MediaTransport::Udp, m_h264, {}, {}, {}, Gb::SdpSessionName::Playback);
        QCOMPARE(session.invite->status, 200);
        QCOMPARE(session.invite->answer->session, Gb::SdpSessionName::Playback);
        // One pass of the file, then MediaStatus 121 inside the dialog; the platform hangs up.
        QTRY_VERIFY_WITH_TIMEOUT(!session.platform->received(Gb::MessageClass::Notify, Gb::CmdType::MediaStatus).isEmpty(),
                                 10000);
        const ReceivedMessage status = session.platform->received(Gb::MessageClass::Notify, Gb::CmdType::MediaStatus).front();
        QCOMPARE(status.sip.callId(), session.invite->response.callId());
        QCOMPARE(status.manscdp.get<Gb::MediaStatusNotify>()->notifyType, Gb::MediaStatusNotify::kEndOfFile);
        QCOMPARE(session.ended->front().at(1).toString(), u"end of file"_s);
        QCOMPARE(frameMd5s(writePs(session, u"playback.ps"_s)), m_h264Md5s);
        QCOMPARE(session.platform->bye(*session.invite), 200);
    }

    void subStreamOfferGetsTheSubClip_data()
    {
        QTest::addColumn<int>("streamNumber"); // -1: no stream attribute
        QTest::addColumn<Gb::StreamNumberAttribute>("attribute");
        QTest::addColumn<bool>("sub");
        QTest::newRow("no attribute") << -1 << Gb::StreamNumberAttribute::StreamNumber << false;
        QTest::newRow("a=streamnumber:0") << 0 << Gb::StreamNumberAttribute::StreamNumber << false;
        QTest::newRow("a=streamnumber:1") << 1 << Gb::StreamNumberAttribute::StreamNumber << true;
        QTest::newRow("a=streamprofile:1 (Dahua)") << 1 << Gb::StreamNumberAttribute::StreamProfile << true;
        QTest::newRow("a=stream:1") << 1 << Gb::StreamNumberAttribute::Stream << true;
        QTest::newRow("a=streamMode:SUB") << 1 << Gb::StreamNumberAttribute::StreamMode << true;
        QTest::newRow("a=streamMode:MAIN") << 0 << Gb::StreamNumberAttribute::StreamMode << false;
    }

    void subStreamOfferGetsTheSubClip()
    {
        QFETCH(int, streamNumber);
        QFETCH(Gb::StreamNumberAttribute, attribute);
        QFETCH(bool, sub);
        SimulatorConfig config;
        config.videoPath = m_h264;
        config.subVideoPath = m_subH264;
        // The log says which stream and which file each INVITE gets.
        const QString file = QFileInfo(sub ? m_subH264 : m_h264).fileName();
        QTest::ignoreMessage(QtInfoMsg, QRegularExpression(u"INVITE Play UDP .*, %1 stream from %2$"_s.arg(
                                            sub ? u"sub"_s : u"main"_s, QRegularExpression::escape(file))));
        Session session = open(config, Devices::MediaTransport::Udp, Gb::SdpSessionName::Play, [&](Gb::MediaSdp &offer) {
            if (streamNumber >= 0)
                offer.streamNumber = streamNumber;
            offer.streamNumberAttribute = attribute;
        });
        QVERIFY(session.invite && session.invite->done);
        QCOMPARE(session.invite->status, 200);
        const auto &calls = session.simulator->device(kIpc.toLatin1())->calls();
        QCOMPARE(calls.size(), 1);
        QCOMPARE(calls.front().profile, sub ? Devices::StreamProfile::Sub : Devices::StreamProfile::Main);

        // Ten frames are enough to tell the clips apart by size and to check they are the clip's own.
        QVERIFY(QTest::qWaitFor([&] { return session.collector->span90k() >= 10 * 3600; }, 10000));
        QCOMPARE(session.platform->bye(*session.invite), 200);
        const QString ps = writePs(session, u"profile.ps"_s);
        QCOMPARE(probe(ps, u"width,height"_s), sub ? QByteArray("160,120") : QByteArray("640,360"));
        const QList<QByteArray> decoded = frameMd5s(ps);
        QVERIFY2(decoded.size() >= 10, qPrintable(u"%1 frames decoded"_s.arg(decoded.size())));
        QCOMPARE(decoded.first(10), (sub ? m_subH264Md5s : m_h264Md5s).first(10));
    }

    void mediaFilesDefaults()
    {
        // Nothing given: the demo clips (the main one for both when there is no sub one).
        const QString demo = demoMediaPath(kDemoVideoFile);
        const QString demoSub = demoMediaPath(kDemoSubVideoFile);
        const QString demoAudio = demoMediaPath(kDemoAudioFile);
        const MediaFiles defaults = SimulatorConfig().mediaFiles();
        QCOMPARE(defaults.video, demo);
        QCOMPARE(defaults.subVideo, demoSub.isEmpty() ? demo : demoSub);
        QCOMPARE(defaults.audio, demoAudio);

        // --sub-media alone: the demo's main clip and audio with it.
        SimulatorConfig subOnly;
        subOnly.subVideoPath = m_subH264;
        QCOMPARE(subOnly.mediaFiles().video, demo);
        QCOMPARE(subOnly.mediaFiles().subVideo, m_subH264);
        QCOMPARE(subOnly.mediaFiles().audio, demoAudio);

        // --media alone: it serves the sub stream too, never paired with the demo's sub clip or audio.
        SimulatorConfig mediaOnly;
        mediaOnly.videoPath = m_h264;
        QCOMPARE(mediaOnly.mediaFiles().subVideo, m_h264);
        QCOMPARE(mediaOnly.mediaFiles().audio, QString());
    }

    void userClipServesBothStreamsWithoutSubMedia()
    {
        SimulatorConfig config;
        config.videoPath = m_subH264;
        Session session = open(config, Devices::MediaTransport::Udp, Gb::SdpSessionName::Play,
                               [](Gb::MediaSdp &offer) { offer.streamNumber = 1; });
        QCOMPARE(session.invite->status, 200);
        // One clip read once for both profiles.
        QVERIFY(session.simulator->media()->sources().sub == session.simulator->media()->sources().main);
        QVERIFY(QTest::qWaitFor([&] { return session.collector->span90k() >= 5 * 3600; }, 10000));
        QCOMPARE(session.platform->bye(*session.invite), 200);
        QCOMPARE(probe(writePs(session, u"both.ps"_s), u"width,height"_s), QByteArray("160,120"));
    }

    void unknownChannelGets404()
    {
        auto platform = std::make_unique<TestPlatform>();
        SimulatorConfig config;
        config.server.port = platform->port();
        config.bindAddress = QHostAddress::LocalHost;
        config.videoPath = m_h264;
        Simulator simulator(config);
        QSignalSpy registered(&simulator, &Simulator::deviceRegistered);
        QVERIFY(simulator.start());
        QVERIFY(registered.wait(5000));
        const auto offer = Gb::MediaSdp::offer(Gb::SdpSessionName::Play, kServerId, QHostAddress::LocalHost, 40000,
                                               Devices::MediaTransport::Udp, Gb::Ssrc(1));
        auto invite = platform->invite(kIpc, u"34020000001310009999"_s, offer);
        QTRY_VERIFY_WITH_TIMEOUT(invite->done, 5000);
        QCOMPARE(invite->status, 404);
    }
};

QTEST_GUILESS_MAIN(TestCamsimMedia)
#include "tst_camsimmedia.moc"
