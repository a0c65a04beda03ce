// libFuzzer target: PsDemuxer on an arbitrary byte stream. The input is demuxed once whole and
// once in random pieces; the elementary stream bytes of every stream, the stream descriptions,
// the content verdicts and the counters must be the same. A third run marks discontinuities at
// random places and must merely survive.

#include "media/psdemuxer.h"

#include <QList>
#include <QLoggingCategory>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <random>
#include <vector>

using namespace Vigil::Media;

namespace {

// Mismatch and map messages would flood the fuzzer's output and slow it down.
[[maybe_unused]] const bool g_quiet = [] {
    QLoggingCategory::setFilterRules(QStringLiteral("vigil.*=false"));
    return true;
}();

struct Run {
    std::map<int, QByteArray> es;
    std::vector<PsStreamInfo> infos;
    std::vector<PsContent> contents;
    PsDemuxerStats stats;
};

enum class Mode { Whole, Chunked, Lossy };

Run demux(QByteArrayView input, std::uint32_t seed, Mode mode)
{
    Run run;
    PsDemuxer demuxer;
    demuxer.setPayloadHandler([&](const PesPayload &payload) {
        if (payload.data.isEmpty() || (payload.pts && *payload.pts >> 33) || (payload.dts && *payload.dts >> 33))
            std::abort();
        run.es[payload.streamId] += payload.data;
    });
    demuxer.setStreamHandler([&](const PsStreamInfo &info) { run.infos.push_back(info); });
    demuxer.setContentHandler([&](PsContent content) { run.contents.push_back(content); });
    std::minstd_rand random(seed);
    for (qsizetype pos = 0; pos < input.size();) {
        const qsizetype size =
            mode == Mode::Whole ? input.size() : std::min<qsizetype>(1 + qsizetype(random() % 1500), input.size() - pos);
        demuxer.feed(input.sliced(pos, size));
        pos += size;
        if (mode == Mode::Lossy && random() % 8 == 0)
            demuxer.markDiscontinuity();
    }
    demuxer.finish();
    (void)demuxer.streams();
    run.stats = demuxer.stats();
    return run;
}

bool same(const PsDemuxerStats &a, const PsDemuxerStats &b)
{
    return a.packHeaders == b.packHeaders && a.mpeg1PackHeaders == b.mpeg1PackHeaders
        && a.truncatedPackHeaders == b.truncatedPackHeaders && a.systemHeaders == b.systemHeaders && a.psms == b.psms
        && a.malformedPsms == b.malformedPsms && a.pesPackets == b.pesPackets && a.skippedPackets == b.skippedPackets
        && a.malformedPes == b.malformedPes && a.unknownStartCodes == b.unknownStartCodes && a.resyncs == b.resyncs
        && a.bytesSkipped == b.bytesSkipped && a.typeMismatches == b.typeMismatches && a.payloadBytes == b.payloadBytes;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    const std::uint32_t seed = data[0];
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    const Run whole = demux(input, seed, Mode::Whole);
    const Run chunked = demux(input, seed, Mode::Chunked);
    if (whole.es != chunked.es || whole.infos != chunked.infos || whole.contents != chunked.contents
        || !same(whole.stats, chunked.stats))
        std::abort(); // the result must not depend on how the input was cut
    (void)demux(input, seed, Mode::Lossy);
    return 0;
}
