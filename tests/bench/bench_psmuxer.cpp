// Throughput of the send path: start-code scanning, access unit splitting, PS muxing and RTP
// packetizing, over an Annex-B file or a synthetic 1080p-like H.264 stream (random slice data
// with emulation prevention, so 0x01 and 00 00 03 occur as in real streams).
// Prints MB/s and frames/s as the median of several rounds.
// Usage: bench_psmuxer [file.h264|file.h265] [seconds-per-round, default 0.5]

#include "media/accessunitsplitter.h"
#include "media/nalunit.h"
#include "media/psmuxer.h"
#include "media/rtppacketizer.h"

#include "../core/media/nalbuilder.h"

#include <QFile>
#include <QElapsedTimer>
#include <QRandomGenerator>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace Vigil::Media;
using namespace Vigil::Media::Test;

namespace {

volatile std::size_t g_sink; // keeps the optimiser from dropping the work

/// Runs `work` (which processes `bytesPerRun` bytes) repeatedly; returns the median bytes/s.
template <typename F>
double medianBytesPerSecond(double secondsPerRound, qint64 bytesPerRun, F &&work)
{
    std::vector<double> rates;
    for (int round = 0; round < 5; ++round) {
        QElapsedTimer timer;
        timer.start();
        qint64 bytes = 0;
        while (timer.nsecsElapsed() < qint64(secondsPerRound * 1e9)) {
            work();
            bytes += bytesPerRun;
        }
        rates.push_back(double(bytes) / (double(timer.nsecsElapsed()) / 1e9));
    }
    std::sort(rates.begin(), rates.end());
    return rates[rates.size() / 2];
}

QByteArray randomSliceData(QRandomGenerator &random, int bytes)
{
    QByteArray rbsp(bytes, Qt::Uninitialized);
    random.fillRange(reinterpret_cast<quint32 *>(rbsp.data()), bytes / 4);
    rbsp[rbsp.size() - 1] = char(0x80); // rbsp_stop_one_bit
    return escapeRbsp(rbsp);
}

/// 250 frames at 25 fps, GOP 50: a 150 KB IDR and 25 KB P pictures (about 5.5 Mbit/s).
QByteArray syntheticStream()
{
    QRandomGenerator random(42);
    QList<QByteArray> nals;
    for (int frame = 0; frame < 250; ++frame) {
        const int inGop = frame % 50;
        if (inGop == 0) {
            nals.append(h264Sps({.widthMbs = 120, .heightMapUnits = 68, .cropBottom = 4}));
            nals.append(h264Pps());
        }
        H264SliceFields f;
        f.idr = inGop == 0;
        f.sliceType = f.idr ? 7 : 5;
        f.frameNum = inGop % 16;
        f.pocLsb = (2 * inGop) % 64;
        f.payloadBytes = 0;
        nals.append(h264Slice(f) + randomSliceData(random, f.idr ? 150'000 : 25'000));
    }
    return annexB(nals);
}

} // namespace

int main(int argc, char **argv)
{
    QByteArray stream;
    const char *source = "synthetic 1080p H.264";
    if (argc > 1) {
        QFile file(QString::fromLocal8Bit(argv[1]));
        if (!file.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "cannot read %s\n", argv[1]);
            return 1;
        }
        stream = file.readAll();
        source = argv[1];
    } else {
        stream = syntheticStream();
    }
    const double seconds = argc > 2 ? std::atof(argv[2]) : 0.5;
    const VideoCodec codec = NalUnit::sniffCodec(stream);
    if (codec == VideoCodec::Unknown) {
        std::fprintf(stderr, "%s is not H.264/H.265 Annex B\n", source);
        return 1;
    }

    QList<AccessUnit> units;
    AccessUnitSplitter collect(codec, [&units](AccessUnit &&au) { units.append(std::move(au)); });
    (void)collect.feed(stream);
    collect.flush();
    for (qsizetype i = 0; i < units.size(); ++i)
        units[i].pts90k = units[i].dts90k = 3600 * i;
    QList<QByteArray> chunks;
    PsMuxer chunkMuxer(codec);
    qint64 psBytes = 0;
    for (const AccessUnit &au : std::as_const(units)) {
        chunks.append(chunkMuxer.mux(au));
        psBytes += chunks.last().size();
    }

    std::printf("%s: %.1f MB, %lld frames; one thread, median of 5 rounds of %.2f s\n", source,
                double(stream.size()) / 1e6, static_cast<long long>(units.size()), seconds);
    const double mb = 1e6;
    const double framesPerByte = double(units.size()) / double(stream.size());

    const double scan = medianBytesPerSecond(seconds, stream.size(), [&] {
        qsizetype count = 0;
        for (StartCode sc = NalUnit::findStartCode(stream); sc.found(); sc = NalUnit::findStartCode(stream, sc.end()))
            ++count;
        g_sink = g_sink + std::size_t(count);
    });
    std::printf("  start code scan       %8.0f MB/s\n", scan / mb);

    for (qsizetype chunkSize : {qsizetype(1400), qsizetype(65536), stream.size()}) {
        const double split = medianBytesPerSecond(seconds, stream.size(), [&] {
            std::size_t count = 0;
            AccessUnitSplitter splitter(codec, [&count](AccessUnit &&au) { count += std::size_t(au.data.size()); });
            for (qsizetype offset = 0; offset < stream.size(); offset += chunkSize)
                (void)splitter.feed(QByteArrayView(stream).sliced(offset, qMin(chunkSize, stream.size() - offset)));
            splitter.flush();
            g_sink = g_sink + count;
        });
        std::printf("  split, %7lld B chunks %8.0f MB/s  %9.0f frames/s\n", static_cast<long long>(chunkSize),
                    split / mb, split * framesPerByte);
    }

    const double mux = medianBytesPerSecond(seconds, stream.size(), [&] {
        PsMuxer muxer(codec);
        std::size_t bytes = 0;
        for (const AccessUnit &au : std::as_const(units))
            bytes += std::size_t(muxer.mux(au).size());
        g_sink = g_sink + bytes;
    });
    std::printf("  PS mux                %8.0f MB/s  %9.0f frames/s\n", mux / mb, mux * framesPerByte);

    const double rtp = medianBytesPerSecond(seconds, psBytes, [&] {
        RtpPacketizer packetizer({.ssrc = 0x0BEBC201});
        std::size_t packets = 0;
        for (qsizetype i = 0; i < chunks.size(); ++i)
            packets += std::size_t(packetizer.packetize(chunks.at(i), 3600 * i).size());
        g_sink = g_sink + packets;
    });
    std::printf("  RTP packetize         %8.0f MB/s  %9.0f packets/s\n", rtp / mb,
                rtp / RtpPacketizer::kDefaultMaxPayloadBytes);
    return 0;
}
