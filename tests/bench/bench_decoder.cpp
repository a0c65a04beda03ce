// Decode speed of VideoDecoder next to the ffmpeg CLI on the same clip, in the same run.
//
// Generates a 1080p25 H.264 clip (testsrc2, x264 main profile, about 4 Mb/s like a camera) into
// a temporary folder, splits it into access units in memory, then prints:
//   - CPU time (user + sys) of `ffmpeg -threads 1 -i clip -f null -` and of VideoDecoder with
//     one thread over the same access units, and their ratio (the aim for the whole
//     receive + demux + decode pipeline is within 10% of ffmpeg);
//   - the decode time per access unit (median, p99);
//   - throughput with 2 frame threads and 2 slice threads;
//   - several streams decoded at once with 1 and with 2 codec threads each, which is what
//     decides VideoDecoderOptions::threadCount for many streams on few cores.
// Every figure is the median of --rounds runs. CPU times are what each run used, so they hold
// up on a busy machine better than wall times, which are printed too.
//
// Usage: bench_decoder [--clip FILE.h264|FILE.h265] [--seconds 10] [--size 1920x1080]
//                      [--bitrate 4M] [--rounds 3] [--streams 4]

#include "../core/media/ffmpeg/mediafixtures.h"

#include "media/ffmpeg/videodecoder.h"
#include "benchutil.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <thread>
#include <vector>

using namespace Vigil;
using namespace Vigil::Media;
using namespace Vigil::Media::Testing;
using namespace Qt::StringLiterals;

using Vigil::Bench::cpuSeconds;
using Vigil::Bench::threadCpuSeconds;
using Vigil::Bench::median;

namespace {

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    if (values.empty())
        return 0;
    return values[std::min(values.size() - 1, size_t(p * double(values.size())))];
}

struct Timing {
    double cpu = 0;  ///< seconds of CPU, user + sys
    double wall = 0; ///< seconds
    quint64 frames = 0;
};

Timing medianOf(const std::vector<Timing> &runs)
{
    std::vector<double> cpu;
    std::vector<double> wall;
    for (const Timing &t : runs) {
        cpu.push_back(t.cpu);
        wall.push_back(t.wall);
    }
    return Timing{median(cpu), median(wall), runs.empty() ? 0 : runs.front().frames};
}

Timing timeFfmpeg(const QString &clip, const QStringList &outputOptions = {})
{
    const double before = cpuSeconds(RUSAGE_CHILDREN);
    QElapsedTimer wall;
    wall.start();
    const auto out = runFfmpeg(QStringList{u"-threads"_s, u"1"_s, u"-i"_s, clip} + outputOptions
                               + QStringList{u"-f"_s, u"null"_s, u"-"_s});
    Timing t;
    t.wall = double(wall.nsecsElapsed()) / 1e9;
    t.cpu = cpuSeconds(RUSAGE_CHILDREN) - before;
    if (!out)
        std::fprintf(stderr, "ffmpeg failed: %s\n", qPrintable(out.error().message));
    return t;
}

/// Decodes all units; `perUnit` gets the CPU seconds of each decode() call when not null.
Timing timeDecoder(const std::vector<EncodedFrame> &units, VideoDecoderOptions options,
                   std::vector<double> *perUnit = nullptr)
{
    Timing t;
    VideoDecoder decoder([&](VideoFrame) { ++t.frames; }, std::move(options));
    const double before = cpuSeconds(RUSAGE_SELF);
    QElapsedTimer wall;
    wall.start();
    for (const EncodedFrame &unit : units) {
        if (perUnit) {
            const double start = threadCpuSeconds();
            decoder.decode(unit);
            perUnit->push_back(threadCpuSeconds() - start);
        } else {
            decoder.decode(unit);
        }
    }
    decoder.drain();
    t.wall = double(wall.nsecsElapsed()) / 1e9;
    t.cpu = cpuSeconds(RUSAGE_SELF) - before;
    return t;
}

/// `streams` decoders at once, each on its own thread like DecodeWorker, each with
/// `threadsPerStream` codec threads.
Timing timeConcurrent(const std::vector<EncodedFrame> &units, int streams, int threadsPerStream)
{
    Timing total;
    std::vector<quint64> frames(size_t(streams), 0);
    const double before = cpuSeconds(RUSAGE_SELF);
    QElapsedTimer wall;
    wall.start();
    {
        std::vector<std::jthread> workers;
        for (int s = 0; s < streams; ++s) {
            workers.emplace_back([&, s] {
                VideoDecoderOptions options;
                options.threadCount = threadsPerStream;
                frames[size_t(s)] = timeDecoder(units, options).frames;
            });
        }
    }
    total.wall = double(wall.nsecsElapsed()) / 1e9;
    total.cpu = cpuSeconds(RUSAGE_SELF) - before;
    for (quint64 f : frames)
        total.frames += f;
    return total;
}

void printTiming(const char *label, const Timing &t)
{
    std::printf("  %-50s cpu %7.3f s   wall %7.3f s   %7.1f frames/s of CPU   %7.1f frames/s wall\n", label,
                t.cpu, t.wall, t.cpu > 0 ? double(t.frames) / t.cpu : 0, t.wall > 0 ? double(t.frames) / t.wall : 0);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Decode speed of Vigil's VideoDecoder next to the ffmpeg CLI."_s);
    parser.addHelpOption();
    const QCommandLineOption clipOption(u"clip"_s, u"Use this Annex-B .h264/.h265 file instead of generating one."_s, u"file"_s);
    const QCommandLineOption secondsOption(u"seconds"_s, u"Length of the generated clip."_s, u"s"_s, u"10"_s);
    const QCommandLineOption sizeOption(u"size"_s, u"Size of the generated clip."_s, u"WxH"_s, u"1920x1080"_s);
    const QCommandLineOption bitrateOption(u"bitrate"_s, u"Bit rate of the generated clip."_s, u"rate"_s, u"4M"_s);
    const QCommandLineOption roundsOption(u"rounds"_s, u"Runs per measurement; the median is printed."_s, u"n"_s, u"3"_s);
    const QCommandLineOption streamsOption(u"streams"_s, u"Streams decoded at once in the last measurement."_s, u"n"_s, u"4"_s);
    parser.addOptions({clipOption, secondsOption, sizeOption, bitrateOption, roundsOption, streamsOption});
    parser.process(app);
    const int rounds = std::max(1, parser.value(roundsOption).toInt());
    const int streams = std::max(1, parser.value(streamsOption).toInt());

    if (ffmpegPath().isEmpty()) {
        std::fprintf(stderr, "bench_decoder needs the ffmpeg command line tool\n");
        return 1;
    }

    QTemporaryDir dir;
    QString clip = parser.value(clipOption);
    if (clip.isEmpty()) {
        clip = dir.filePath(u"clip.h264"_s);
        const QStringList size = parser.value(sizeOption).split(u'x');
        const int frames = parser.value(secondsOption).toInt() * 25;
        std::printf("generating %s H.264, %d frames, %s...\n", qPrintable(parser.value(sizeOption)), frames,
                    qPrintable(parser.value(bitrateOption)));
        const auto made = runFfmpeg({u"-f"_s, u"lavfi"_s, u"-i"_s, u"testsrc2=size=%1:rate=25"_s.arg(parser.value(sizeOption)),
                                     u"-frames:v"_s, QString::number(frames), u"-pix_fmt"_s, u"yuv420p"_s,
                                     u"-c:v"_s, u"libx264"_s, u"-preset"_s, u"veryfast"_s, u"-profile:v"_s, u"main"_s,
                                     u"-g"_s, u"50"_s, u"-bf"_s, u"0"_s, u"-b:v"_s, parser.value(bitrateOption),
                                     u"-f"_s, u"h264"_s, clip});
        if (!made || size.size() != 2) {
            std::fprintf(stderr, "cannot generate the clip: %s\n", made ? "bad --size" : qPrintable(made.error().message));
            return 1;
        }
    }
    const EncodedFrame::Codec codec = clip.endsWith(u".h265"_s) || clip.endsWith(u".hevc"_s)
        ? EncodedFrame::Codec::H265 : EncodedFrame::Codec::H264;

    QElapsedTimer splitTimer;
    splitTimer.start();
    const double splitCpuBefore = cpuSeconds(RUSAGE_SELF);
    const auto units = readAccessUnits(clip, codec);
    const double splitCpu = cpuSeconds(RUSAGE_SELF) - splitCpuBefore;
    if (!units || units->empty()) {
        std::fprintf(stderr, "cannot split %s into access units\n", qPrintable(clip));
        return 1;
    }
    std::printf("%s: %zu access units, %.1f MB; split with libavformat in %.3f s CPU\n",
                qPrintable(QFileInfo(clip).fileName()), units->size(),
                double(QFileInfo(clip).size()) / 1e6, splitCpu);
    std::printf("medians of %d runs; machine has %u cores\n\n", rounds, std::thread::hardware_concurrency());

    std::vector<Timing> ffmpegRuns, startupRuns, oursRuns, frame2Runs, slice2Runs;
    std::vector<double> perUnit;
    for (int r = 0; r < rounds; ++r) {
        // Interleaved, so that a burst of load elsewhere hits both alike.
        ffmpegRuns.push_back(timeFfmpeg(clip));
        startupRuns.push_back(timeFfmpeg(clip, {u"-frames:v"_s, u"1"_s}));
        std::vector<double> times;
        oursRuns.push_back(timeDecoder(*units, VideoDecoderOptions{}, &times));
        if (r == 0)
            perUnit = std::move(times);
    }
    const Timing ffmpeg = medianOf(ffmpegRuns);
    Timing ours = medianOf(oursRuns);
    Timing ffmpegWithFrames = ffmpeg;
    ffmpegWithFrames.frames = ours.frames;

    std::printf("single-threaded decode\n");
    printTiming("ffmpeg -threads 1 -i clip -f null -", ffmpegWithFrames);
    printTiming("VideoDecoder, 1 thread (decode only)", ours);
    std::printf("  ratio VideoDecoder / ffmpeg: CPU %.3f (with the split %.3f), wall %.3f\n",
                ours.cpu / ffmpeg.cpu, (ours.cpu + splitCpu) / ffmpeg.cpu, ours.wall / ffmpeg.wall);
    const double startup = medianOf(startupRuns).cpu;
    std::printf("  ffmpeg's figure includes its demuxer and parser, and %.3f s of start-up (a 1-frame run);\n"
                "  without the start-up the CPU ratio is %.3f (with the split %.3f)\n",
                startup, ours.cpu / (ffmpeg.cpu - startup), (ours.cpu + splitCpu) / (ffmpeg.cpu - startup));
    std::vector<double> ms;
    for (double s : perUnit)
        ms.push_back(s * 1000);
    std::printf("  per access unit, CPU: median %.2f ms, p99 %.2f ms, max %.2f ms\n\n", median(ms), percentile(ms, 0.99),
                ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end()));

    for (int r = 0; r < rounds; ++r) {
        VideoDecoderOptions frame2;
        frame2.threadCount = 2;
        frame2Runs.push_back(timeDecoder(*units, frame2));
        VideoDecoderOptions slice2;
        slice2.threadCount = 2;
        slice2.threading = DecoderThreading::Slice;
        slice2Runs.push_back(timeDecoder(*units, slice2));
    }
    std::printf("one stream, 2 codec threads\n");
    printTiming("frame threads", medianOf(frame2Runs));
    printTiming("slice threads (no gain with 1 slice per picture)", medianOf(slice2Runs));
    std::printf("\n");

    std::vector<Timing> concurrent1, concurrent2;
    for (int r = 0; r < rounds; ++r) {
        concurrent1.push_back(timeConcurrent(*units, streams, 1));
        concurrent2.push_back(timeConcurrent(*units, streams, 2));
    }
    std::printf("%d streams at once, each on its own thread\n", streams);
    printTiming("1 codec thread per stream", medianOf(concurrent1));
    printTiming("2 frame threads per stream", medianOf(concurrent2));
    const double perStreamFps = 25.0;
    const Timing best = medianOf(concurrent1);
    std::printf("  => one core decodes about %.1f such streams at %g fps\n",
                best.cpu > 0 ? double(best.frames) / best.cpu / perStreamFps : 0, perStreamFps);
    return 0;
}
