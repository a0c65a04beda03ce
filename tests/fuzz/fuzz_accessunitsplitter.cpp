// libFuzzer target: AccessUnitSplitter (and the NAL, parameter set and slice header parsers it
// drives) on arbitrary bytes. The first input byte picks the codec and how the rest is cut into
// chunks. Checked: every access unit starts with a start code and respects the size cap; a
// whole-buffer feed and a chunked feed give the same access units; the file reader copes.

#include "media/accessunitsplitter.h"
#include "media/elementarystreamfile.h"
#include "media/nalunit.h"
#include "media/parametersets.h"

#include <QtGlobal>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Vigil::Media;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

bool startsWithStartCode(const QByteArray &data)
{
    return data.startsWith(QByteArrayView("\x00\x00\x01", 3)) || data.startsWith(QByteArrayView("\x00\x00\x00\x01", 4));
}

/// Keep::Nothing frees every access unit right away, so that ASan sees any use of the
/// splitter's buffer after it was handed out; it also flushes midway, as a demuxer does at a
/// container frame boundary.
enum class Keep { Units, Nothing };

QList<AccessUnit> split(VideoCodec codec, QByteArrayView bytes, qsizetype chunkSeed, qsizetype cap, bool timed,
                        Keep keep = Keep::Units)
{
    QList<AccessUnit> units;
    quint64 emitted = 0;
    AccessUnitSplitter splitter(
        codec,
        [&units, &emitted, codec, cap, keep](AccessUnit &&au) {
            check(au.codec == codec);
            check(startsWithStartCode(au.data));
            check(au.data.size() <= cap);
            ++emitted;
            if (keep == Keep::Units)
                units.append(std::move(au));
        },
        cap);
    if (chunkSeed == 0) {
        (void)splitter.feed(bytes, timed ? 0 : kNoTimestamp);
    } else {
        std::uint32_t state = std::uint32_t(chunkSeed) * 2654435761u;
        qsizetype offset = 0;
        qint64 pts = 0;
        while (offset < bytes.size()) {
            state = state * 1664525u + 1013904223u;
            const qsizetype size = qMin<qsizetype>(bytes.size() - offset, 1 + (state >> 16) % 97);
            const bool withPts = timed && (state & 1);
            (void)splitter.feed(bytes.sliced(offset, size), withPts ? pts : kNoTimestamp);
            pts += 3600;
            offset += size;
            if (keep == Keep::Nothing && (state & 0xFF00) == 0x4200)
                splitter.flush();
        }
    }
    splitter.flush();
    check(splitter.accessUnitCount() == emitted);
    return units;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // The splitter logs dropped pictures; at fuzzing rates that is only noise.
    static const bool quiet = [] {
        qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &) {});
        return true;
    }();
    (void)quiet;
    if (size < 1)
        return 0;
    const std::uint8_t control = data[0];
    const QByteArrayView bytes(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const VideoCodec codec = (control & 1) ? VideoCodec::H265 : VideoCodec::H264;

    // Same access units however the bytes are cut (the default cap is far above max_len).
    const auto whole = split(codec, bytes, 0, AccessUnitSplitter::kDefaultMaxAccessUnitBytes, false);
    const auto pieces = split(codec, bytes, qsizetype(control >> 1) + 1, AccessUnitSplitter::kDefaultMaxAccessUnitBytes,
                              control & 2);
    check(whole.size() == pieces.size());
    qsizetype total = 0;
    for (qsizetype i = 0; i < whole.size(); ++i) {
        check(whole.at(i).data == pieces.at(i).data);
        check(whole.at(i).keyFrame == pieces.at(i).keyFrame);
        total += whole.at(i).data.size();
    }
    check(total <= bytes.size());

    // A small cap: pictures get dropped, the splitter recovers, nothing exceeds the cap.
    (void)split(codec, bytes, qsizetype(control) + 7, 512, true, Keep::Nothing);

    // The parsers on their own, and codec sniffing.
    ParameterSets sets(codec);
    for (const NalUnit &nal : NalUnit::split(codec, bytes)) {
        (void)sets.add(nal);
        if (const auto slice = sets.readSliceHeader(nal))
            check(slice->nalType == nal.type());
        (void)nal.isRandomAccess();
        (void)nal.temporalId();
    }
    (void)NalUnit::sniffCodec(bytes);

    // The file reader (picture order counts, PTS assignment) when the bytes look like video.
    if (const auto file = ElementaryStreamFile::fromVideo(bytes)) {
        ElementaryStreamFile copy = *file;
        qint64 lastDts = -1;
        for (qsizetype i = 0; i < 2 * copy.frameCount(); ++i) {
            const AccessUnit au = copy.nextAccessUnit();
            check(au.dts90k > lastDts);
            check(au.pts90k >= au.dts90k);
            lastDts = au.dts90k;
        }
    }
    return 0;
}
