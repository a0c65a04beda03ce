// One live stream through StreamSession next to the ffmpeg CLI, in the same run.
//
// Generates a 1080p25 H.264 clip (testsrc2, x264 main profile, no B-frames, about 4 Mb/s like a
// camera) into a temporary folder, muxes it the way GB/T 28181 cameras send it (a PS pack per
// frame, RTP packets of 1400 bytes, marker on each frame's last packet) and sends it from a
// thread of its own to a StreamSession on 127.0.0.1 over UDP, at 25 frames per second (or as
// fast as the session goes, with --fast). Then prints:
//   - CPU time (user + sys) of the session's own threads, media (receive, reorder, PS demux,
//     access units) and decode, next to `ffmpeg -threads 1 -i clip -f null -` on the same clip,
//     and their ratio (the aim: within 10%);
//   - per frame, the time from sending its last packet to its decoded picture (median, p99),
//     the CPU the decode thread spent on that picture, and their difference: what receiving,
//     demuxing, the hand-over between threads and the scheduler add (the aim: under 1 ms).
// Thread CPU comes from /proc/self/task/<tid>/schedstat (nanoseconds).
//
// Usage: bench_streampipeline [--clip FILE.h264|FILE.h265] [--seconds 10] [--size 1920x1080]
//                             [--bitrate 4M] [--fast]

#include "../core/media/ffmpeg/mediafixtures.h"

#include "media/elementarystreamfile.h"
#include "media/ffmpeg/videodecoder.h"
#include "media/psmuxer.h"
#include "media/rtppacketizer.h"
#include "media/streamsession.h"
#include "benchutil.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QUdpSocket>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

using namespace Vigil;
using namespace Vigil::Media;
using namespace Vigil::Media::Testing;
using namespace Qt::StringLiterals;
using Clock = std::chrono::steady_clock;

using Vigil::Bench::cpuSeconds;
using Vigil::Bench::threadCpuSeconds;

namespace {

/// CPU seconds of this process's threads, by thread name.
std::map<QString, double> threadCpuByName()
{
    std::map<QString, double> cpu;
    const QDir tasks(u"/proc/self/task"_s);
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + u"/comm"_s));
        QFile schedstat(tasks.filePath(tid + u"/schedstat"_s));
        if (!comm.open(QIODevice::ReadOnly) || !schedstat.open(QIODevice::ReadOnly))
            continue;
        const QString name = QString::fromUtf8(comm.readAll().trimmed());
        const double ns = schedstat.readAll().split(' ').value(0).toDouble();
        cpu[name] += ns / 1e9;
    }
    return cpu;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p * double(values.size())))];
}

struct FrameTimes {
    std::mutex mutex;
    std::map<qint64, Clock::time_point> lastPacketSent; ///< by PTS
    std::map<qint64, Clock::time_point> decoded;
    /// CPU the decode thread used since the previous picture: this picture's decode, since the
    /// thread does nothing else and sleeps between pictures.
    std::map<qint64, double> decodeCpuMs;
    double lastDecodeThreadCpu = -1;
    std::atomic<int> count = 0;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"CPU and latency of one live stream through StreamSession."_s);
    parser.addHelpOption();
    const QCommandLineOption clipOption(u"clip"_s, u"Use this Annex-B .h264/.h265 file instead of generating one."_s, u"file"_s);
    const QCommandLineOption secondsOption(u"seconds"_s, u"Length of the generated clip."_s, u"s"_s, u"10"_s);
    const QCommandLineOption sizeOption(u"size"_s, u"Size of the generated clip."_s, u"WxH"_s, u"1920x1080"_s);
    const QCommandLineOption bitrateOption(u"bitrate"_s, u"Bit rate of the generated clip."_s, u"rate"_s, u"4M"_s);
    const QCommandLineOption fastOption(u"fast"_s, u"Send as fast as the session decodes instead of at 25 fps."_s);
    parser.addOptions({clipOption, secondsOption, sizeOption, bitrateOption, fastOption});
    parser.process(app);
    const bool fast = parser.isSet(fastOption);

    if (ffmpegPath().isEmpty()) {
        std::fprintf(stderr, "bench_streampipeline needs the ffmpeg command line tool\n");
        return 1;
    }
    QTemporaryDir dir;
    QString clip = parser.value(clipOption);
    if (clip.isEmpty()) {
        clip = dir.filePath(u"clip.h264"_s);
        const int frames = parser.value(secondsOption).toInt() * 25;
        std::printf("generating %s H.264, %d frames, %s...\n", qPrintable(parser.value(sizeOption)), frames,
                    qPrintable(parser.value(bitrateOption)));
        const auto made = runFfmpeg({u"-f"_s, u"lavfi"_s, u"-i"_s, u"testsrc2=size=%1:rate=25"_s.arg(parser.value(sizeOption)),
                                     u"-frames:v"_s, QString::number(frames), u"-pix_fmt"_s, u"yuv420p"_s,
                                     u"-c:v"_s, u"libx264"_s, u"-preset"_s, u"veryfast"_s, u"-profile:v"_s, u"main"_s,
                                     u"-g"_s, u"50"_s, u"-bf"_s, u"0"_s, u"-b:v"_s, parser.value(bitrateOption),
                                     u"-f"_s, u"h264"_s, clip});
        if (!made) {
            std::fprintf(stderr, "%s\n", qPrintable(made.error().message));
            return 1;
        }
    }
    Result<ElementaryStreamFile> file = ElementaryStreamFile::open(clip);
    if (!file) {
        std::fprintf(stderr, "%s\n", qPrintable(file.error().message));
        return 1;
    }
    const QList<AccessUnit> &units = file->accessUnits();

    // The stream as a camera sends it.
    std::vector<std::vector<QByteArray>> framePackets;
    {
        PsMuxer muxer(file->videoCodec());
        RtpPacketizer packetizer({200000001, 96, RtpPacketizer::kDefaultMaxPayloadBytes, 1});
        for (const AccessUnit &unit : units) {
            const QList<QByteArray> packets = packetizer.packetize(muxer.mux(unit), unit.pts90k);
            framePackets.emplace_back(packets.begin(), packets.end());
        }
    }
    qsizetype packetCount = 0;
    for (const auto &packets : framePackets)
        packetCount += qsizetype(packets.size());
    std::printf("%lld frames, %lld RTP packets, %s\n", qlonglong(units.size()), qlonglong(packetCount),
                fast ? "sent as fast as the session decodes" : "sent at 25 fps");

    // 1. ffmpeg on the raw clip: as fast as it goes, and at the frame rate (-re), since a
    // decoder that sleeps between pictures finds its caches cold and spends more per picture.
    const auto ffmpegCpuSeconds = [&](const QStringList &inputOptions) {
        const double before = cpuSeconds(RUSAGE_CHILDREN);
        const auto ran = runFfmpeg(inputOptions + QStringList{u"-threads"_s, u"1"_s, u"-i"_s, clip, u"-f"_s, u"null"_s, u"-"_s});
        if (!ran)
            std::fprintf(stderr, "ffmpeg failed: %s\n", qPrintable(ran.error().message));
        return ran ? cpuSeconds(RUSAGE_CHILDREN) - before : -1;
    };
    const double ffmpegCpu = ffmpegCpuSeconds({});
    const double ffmpegRealTimeCpu = fast ? -1 : ffmpegCpuSeconds({u"-re"_s});
    if (ffmpegCpu < 0)
        return 1;

    // 2. VideoDecoder alone, per access unit, for the latency breakdown.
    std::map<qint64, double> decodeMs;
    {
        VideoDecoder decoder([](VideoFrame) {});
        for (const AccessUnit &unit : units) {
            const auto start = Clock::now();
            decoder.decode(EncodedFrame::fromAccessUnit(unit));
            decodeMs[unit.pts90k] = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        }
    }

    // 3. The pipeline.
    FrameTimes times;
    StreamSessionConfig config;
    config.localAddress = QHostAddress(QHostAddress::LocalHost);
    config.expectedSsrc = 200000001;
    config.logName = u"bench"_s;
    config.onDecodedFrame = [&times](const VideoFrame &frame) {
        const auto now = Clock::now();
        const double cpu = threadCpuSeconds();
        std::lock_guard lock(times.mutex);
        times.decoded[frame.pts90k()] = now;
        if (times.lastDecodeThreadCpu >= 0)
            times.decodeCpuMs[frame.pts90k()] = (cpu - times.lastDecodeThreadCpu) * 1000;
        times.lastDecodeThreadCpu = cpu;
        ++times.count;
    };
    StreamSession session(config);
    const Result<quint16> port = session.prepare();
    if (!port || !session.start()) {
        std::fprintf(stderr, "the session did not start\n");
        return 1;
    }
    const double processBefore = cpuSeconds(RUSAGE_SELF);
    double senderCpu = 0;
    QElapsedTimer pipelineWall;
    pipelineWall.start();
    std::thread sender([&] {
        QUdpSocket socket;
        const auto start = Clock::now() + std::chrono::milliseconds(100);
        for (size_t i = 0; i < framePackets.size(); ++i) {
            if (fast) {
                while (times.count + 8 < int(i))
                    std::this_thread::sleep_for(std::chrono::microseconds(200));
            } else {
                std::this_thread::sleep_until(start + std::chrono::milliseconds(40) * i);
            }
            // The time is taken before the last packet goes out: once it is out, the session's
            // threads may well run before this one does again.
            Clock::time_point sent;
            for (const QByteArray &packet : framePackets[i]) {
                if (&packet == &framePackets[i].back())
                    sent = Clock::now();
                socket.writeDatagram(packet, QHostAddress(QHostAddress::LocalHost), *port);
            }
            std::lock_guard lock(times.mutex);
            times.lastPacketSent[units.at(qsizetype(i)).pts90k] = sent;
        }
        senderCpu = threadCpuSeconds();
    });
    QElapsedTimer waited;
    waited.start();
    while (times.count < int(units.size()) && waited.elapsed() < 120'000) {
        QCoreApplication::processEvents();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    sender.join();
    const double pipelineSeconds = double(pipelineWall.nsecsElapsed()) / 1e9;
    const std::map<QString, double> threads = threadCpuByName();
    const double processCpu = cpuSeconds(RUSAGE_SELF) - processBefore;
    const StreamHealth health = session.health();
    session.stop();

    const double mediaCpu = threads.count(u"vigil-rtp"_s) ? threads.at(u"vigil-rtp"_s) : 0;
    const double decodeCpu = threads.count(u"vigil-decode"_s) ? threads.at(u"vigil-decode"_s) : 0;
    const double pipelineCpu = mediaCpu + decodeCpu;

    std::vector<double> latency;
    std::vector<double> decodeInPipeline;
    std::vector<double> decodeAlone;
    std::vector<double> added;
    for (const auto &[pts, decodedAt] : times.decoded) {
        const auto sent = times.lastPacketSent.find(pts);
        const auto cpu = times.decodeCpuMs.find(pts);
        if (sent == times.lastPacketSent.end() || cpu == times.decodeCpuMs.end())
            continue;
        const double ms = std::chrono::duration<double, std::milli>(decodedAt - sent->second).count();
        latency.push_back(ms);
        decodeInPipeline.push_back(cpu->second);
        decodeAlone.push_back(decodeMs[pts]);
        added.push_back(ms - cpu->second);
    }

    std::printf("\nframes decoded %llu of %lld, lost packets %llu, dropped frames %llu, decode errors %llu, "
                "time to first frame %lld ms, wall %.1f s\n",
                qulonglong(health.framesDecoded), qlonglong(units.size()), qulonglong(health.packetsLost),
                qulonglong(health.framesDropped), qulonglong(health.decodeErrors), qlonglong(health.timeToFirstFrameMs),
                pipelineSeconds);
    std::printf("\nCPU (user + sys)\n");
    std::printf("  ffmpeg -threads 1 -i clip -f null -         %7.3f s\n", ffmpegCpu);
    if (ffmpegRealTimeCpu >= 0)
        std::printf("  ffmpeg -re -threads 1 -i clip -f null -     %7.3f s   (at the frame rate, like a live stream)\n",
                    ffmpegRealTimeCpu);
    std::printf("  StreamSession, media thread (vigil-rtp)     %7.3f s\n", mediaCpu);
    std::printf("  StreamSession, decode thread (vigil-decode) %7.3f s\n", decodeCpu);
    std::printf("  StreamSession, both                         %7.3f s   = %.3f x ffmpeg", pipelineCpu,
                ffmpegCpu > 0 ? pipelineCpu / ffmpegCpu : 0);
    if (ffmpegRealTimeCpu > 0)
        std::printf(", %.3f x ffmpeg -re", pipelineCpu / ffmpegRealTimeCpu);
    std::printf("\n");
    std::printf("  (whole process %.3f s, of which the sender thread %.3f s)\n", processCpu, senderCpu);
    if (fast) {
        std::printf("\n(latency is measured at 25 fps only: with --fast the sender runs ahead of the decoder)\n");
        return 0;
    }
    std::printf("\nlast packet sent -> picture decoded, per frame (ms)\n");
    std::printf("  %-34s median %6.2f   p99 %6.2f   max %6.2f\n", "latency", percentile(latency, 0.5),
                percentile(latency, 0.99), percentile(latency, 1.0));
    std::printf("  %-34s median %6.2f   p99 %6.2f   max %6.2f\n", "decode (CPU of the decode thread)",
                percentile(decodeInPipeline, 0.5), percentile(decodeInPipeline, 0.99), percentile(decodeInPipeline, 1.0));
    std::printf("  %-34s median %6.2f   p99 %6.2f   max %6.2f\n", "latency - decode: added by the rest",
                percentile(added, 0.5), percentile(added, 0.99), percentile(added, 1.0));
    std::printf("  %-34s median %6.2f   p99 %6.2f   max %6.2f\n", "(VideoDecoder alone, wall, earlier)",
                percentile(decodeAlone, 0.5), percentile(decodeAlone, 0.99), percentile(decodeAlone, 1.0));
    return 0;
}
