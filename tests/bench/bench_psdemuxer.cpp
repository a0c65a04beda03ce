// PS demux throughput against `ffmpeg -c copy -f null`, on the same 1080p file in the same run.
// Makes a 10 s 1080p25 H.264 + MP2 program stream with ffmpeg (or takes FILE), then prints
// PsDemuxer's MB/s and frames/s (input in memory, fed whole and in 1400-byte RTP-sized pieces,
// with and without reading every payload byte; median of 15 rounds), ffmpeg's wall time for the
// same file (median of 3; its start-up and probing measured on the file's first 64 KB and
// subtracted), and the ratios.
// Usage: bench_psdemuxer [FILE.mpg]

#include "media/psdemuxer.h"
#include "benchutil.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace Vigil::Media;

using Vigil::Bench::median;

namespace {

volatile std::size_t g_sink; // keeps the optimiser from dropping the work

bool runFfmpeg(const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(QStringLiteral("ffmpeg"),
                  QStringList{QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"), QStringLiteral("fatal"),
                              QStringLiteral("-nostdin")}
                      + arguments);
    return process.waitForFinished(600000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

enum class Touch { ViewsOnly, EveryByte };

/// Seconds for one demux of `input` in pieces of `piece` bytes (0 = whole); `es` gets the video.
/// With Touch::EveryByte the callback scans each payload byte, as any consumer at least does.
double demuxOnce(const QByteArray &input, qsizetype piece, Touch touch, QByteArray *es)
{
    PsDemuxer demuxer;
    std::size_t sum = 0;
    demuxer.setPayloadHandler([&](const PesPayload &payload) {
        if (payload.kind != EsKind::Video)
            return;
        sum += std::size_t(payload.data.size());
        if (touch == Touch::EveryByte) {
            // What the next stage (an access-unit splitter) does at the least: find the 0x01
            // of every start code.
            const char *at = payload.data.data();
            const char *end = at + payload.data.size();
            while ((at = static_cast<const char *>(std::memchr(at, 1, std::size_t(end - at)))) != nullptr) {
                ++sum;
                ++at;
            }
        }
        if (es)
            es->append(payload.data);
    });
    QElapsedTimer timer;
    timer.start();
    if (piece == 0) {
        demuxer.feed(input);
    } else {
        for (qsizetype pos = 0; pos < input.size(); pos += piece)
            demuxer.feed(QByteArrayView(input).sliced(pos, std::min(piece, input.size() - pos)));
    }
    demuxer.finish();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    g_sink = sum;
    return seconds;
}

/// Access units in an Annex-B H.264 stream: slices with first_mb_in_slice 0.
int countFrames(const QByteArray &es)
{
    int frames = 0;
    for (qsizetype i = 0; i + 4 < es.size(); ++i) {
        if (es[i] == 0 && es[i + 1] == 0 && es[i + 2] == 1) {
            const int type = es[i + 3] & 0x1F;
            if ((type == 1 || type == 5) && (std::uint8_t(es[i + 4]) & 0x80))
                ++frames;
            i += 2;
        }
    }
    return frames;
}

} // namespace

int main(int argc, char **argv)
{
    QTemporaryDir dir;
    QString path;
    if (argc > 1) {
        path = QString::fromLocal8Bit(argv[1]);
    } else {
        path = dir.filePath(QStringLiteral("bench_1080p.mpg"));
        std::printf("making a 10 s 1080p25 H.264 (8 Mb/s) + MP2 program stream with ffmpeg...\n");
        std::fflush(stdout);
        const QString video = dir.filePath(QStringLiteral("v.h264"));
        const QString audio = dir.filePath(QStringLiteral("a.mp2"));
        const bool made =
            runFfmpeg({QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                       QStringLiteral("testsrc2=size=1920x1080:rate=25:duration=10"), QStringLiteral("-c:v"),
                       QStringLiteral("libx264"), QStringLiteral("-preset"), QStringLiteral("ultrafast"),
                       QStringLiteral("-b:v"), QStringLiteral("8M"), QStringLiteral("-g"), QStringLiteral("50"),
                       QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p"), QStringLiteral("-f"),
                       QStringLiteral("h264"), video})
            && runFfmpeg({QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                          QStringLiteral("sine=frequency=1000:sample_rate=48000:duration=10"), QStringLiteral("-c:a"),
                          QStringLiteral("mp2"), QStringLiteral("-f"), QStringLiteral("mp2"), audio})
            && runFfmpeg({QStringLiteral("-fflags"), QStringLiteral("+genpts"), QStringLiteral("-r"),
                          QStringLiteral("25"), QStringLiteral("-i"), video, QStringLiteral("-i"), audio,
                          QStringLiteral("-map"), QStringLiteral("0:v"), QStringLiteral("-map"), QStringLiteral("1:a"),
                          QStringLiteral("-c"), QStringLiteral("copy"), QStringLiteral("-f"), QStringLiteral("vob"),
                          path});
        if (!made) {
            std::fprintf(stderr, "ffmpeg could not make the test file (is it installed?)\n");
            return 1;
        }
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", qPrintable(path));
        return 1;
    }
    const QByteArray input = file.readAll();
    const double megabytes = double(input.size()) / 1e6;

    QByteArray es;
    demuxOnce(input, 0, Touch::ViewsOnly, &es);
    const int frames = countFrames(es);
    std::printf("file: %s, %.1f MB, %d video frames, video ES %.1f MB\n", qPrintable(path), megabytes, frames,
                double(es.size()) / 1e6);

    const auto measure = [&](qsizetype piece, Touch touch) {
        std::vector<double> rounds;
        for (int round = 0; round < 15; ++round)
            rounds.push_back(demuxOnce(input, piece, touch, nullptr));
        return median(rounds);
    };
    const auto report = [&](const char *what, double seconds) {
        std::printf("%-48s %9.2f ms %8.0f MB/s %10.0f frames/s\n", what, seconds * 1e3, megabytes / seconds,
                    frames / seconds);
    };
    // Parsing by length touches only the headers; the payload is handed out as views.
    const double whole = measure(0, Touch::ViewsOnly);
    const double pieces = measure(1400, Touch::ViewsOnly);
    const double wholeRead = measure(0, Touch::EveryByte);
    const double piecesRead = measure(1400, Touch::EveryByte);
    report("PsDemuxer, whole buffer", whole);
    report("PsDemuxer, 1400-byte pieces (RTP-sized)", pieces);
    report("PsDemuxer + scanning every ES byte, whole", wholeRead);
    report("PsDemuxer + scanning every ES byte, 1400-byte", piecesRead);

    const auto timeFfmpeg = [](const QStringList &arguments) {
        std::vector<double> rounds;
        for (int round = 0; round < 3; ++round) {
            QElapsedTimer timer;
            timer.start();
            if (!runFfmpeg(arguments))
                return -1.0;
            rounds.push_back(double(timer.nsecsElapsed()) / 1e9);
        }
        return median(rounds);
    };
    // ffmpeg's wall time includes loading its libraries and probing the input; the same command
    // on the first 64 KB of the file measures that part.
    const QString head = dir.filePath(QStringLiteral("head.mpg"));
    QFile headFile(head);
    if (!headFile.open(QIODevice::WriteOnly) || headFile.write(input.left(64 * 1024)) != 64 * 1024) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(head));
        return 1;
    }
    headFile.close();
    const auto copyToNull = [](const QString &target) {
        return QStringList{QStringLiteral("-i"), target, QStringLiteral("-c"), QStringLiteral("copy"),
                           QStringLiteral("-f"), QStringLiteral("null"), QStringLiteral("-")};
    };
    const double ffmpeg = timeFfmpeg(copyToNull(path));
    const double startup = timeFfmpeg(copyToNull(head));
    if (ffmpeg < 0 || startup < 0) {
        std::fprintf(stderr, "ffmpeg failed\n");
        return 1;
    }
    const double ffmpegWork = std::max(ffmpeg - startup, 1e-6);
    report("ffmpeg -i FILE -c copy -f null - (wall time)", ffmpeg);
    report("  the same on the first 64 KB (start-up, probe)", startup);
    report("  difference: ffmpeg's demux work", ffmpegWork);
    std::printf("\nPsDemuxer is faster than ffmpeg -c copy by:\n");
    std::printf("  %.0fx  RTP-sized pieces, every ES byte scanned, vs ffmpeg's demux work (most conservative)\n",
                ffmpegWork / piecesRead);
    std::printf("  %.0fx  whole buffer, every ES byte scanned, vs ffmpeg's demux work\n", ffmpegWork / wholeRead);
    std::printf("  %.0fx  whole buffer, views only, vs ffmpeg's wall time\n", ffmpeg / whole);
    return 0;
}
