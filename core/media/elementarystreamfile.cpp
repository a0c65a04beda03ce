#include "elementarystreamfile.h"

#include "accessunitsplitter.h"
#include "common/logging.h"
#include "nalunit.h"
#include "parametersets.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <numeric>
#include <optional>

using namespace Qt::StringLiterals;

namespace Vigil::Media {

namespace {

constexpr int kG711SampleRateHz = 8000;

AudioCodec audioCodecFromSuffix(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "alaw"_L1 || suffix == "pcma"_L1 || suffix == "g711a"_L1)
        return AudioCodec::G711A;
    if (suffix == "ulaw"_L1 || suffix == "mulaw"_L1 || suffix == "pcmu"_L1 || suffix == "g711u"_L1)
        return AudioCodec::G711U;
    return AudioCodec::Unknown;
}

/// Picture order counts of access units in decoding order (H.264 8.2.1, H.265 8.3.1), with an
/// epoch that grows wherever the count starts over (IDR, BLA, the first CRA). Sorting by
/// (epoch, count) gives the output order. Memory management operation 5 is not looked at.
class PictureOrder {
public:
    explicit PictureOrder(VideoCodec codec) : m_parameterSets(codec) {}

    struct Position {
        qint64 epoch = 0;
        qint64 count = 0;
    };

    /// The position of one access unit; empty when its slice headers cannot tell.
    std::optional<Position> next(const QByteArray &accessUnit)
    {
        std::optional<SliceHeader> first;
        for (const NalUnit &nal : NalUnit::split(m_parameterSets.codec(), accessUnit)) {
            if (nal.isParameterSet())
                (void)m_parameterSets.add(nal);
            else if (!first && nal.isVcl() && nal.layerId() == 0)
                first = m_parameterSets.readSliceHeader(nal);
        }
        if (!first || !first->detailsKnown)
            return std::nullopt;
        return m_parameterSets.codec() == VideoCodec::H264 ? h264(*first) : h265(*first);
    }

private:
    qint64 msbFor(quint32 lsb, int log2MaxLsb) const
    {
        const qint64 maxLsb = qint64(1) << log2MaxLsb;
        if (lsb < m_prevLsb && m_prevLsb - lsb >= maxLsb / 2)
            return m_prevMsb + maxLsb;
        if (lsb > m_prevLsb && lsb - m_prevLsb > maxLsb / 2)
            return m_prevMsb - maxLsb;
        return m_prevMsb;
    }

    std::optional<Position> h264(const SliceHeader &slice)
    {
        if (slice.idr) {
            ++m_epoch;
            m_prevMsb = 0;
            m_prevLsb = 0;
            m_decodeIndexInEpoch = 0;
        }
        const qint64 decodeIndex = m_decodeIndexInEpoch++;
        switch (slice.picOrderCntType) {
        case 0: {
            const qint64 msb = msbFor(slice.picOrderCntLsb, slice.log2MaxPicOrderCntLsb);
            const qint64 top = msb + slice.picOrderCntLsb;
            const qint64 count = slice.fieldPic ? top : std::min(top, top + slice.deltaPicOrderCntBottom);
            if (slice.nalRefIdc != 0) {
                m_prevMsb = msb;
                m_prevLsb = slice.picOrderCntLsb;
            }
            return Position{m_epoch, count};
        }
        case 2: // output order is decoding order
            return Position{m_epoch, decodeIndex};
        default:
            return std::nullopt;
        }
    }

    std::optional<Position> h265(const SliceHeader &slice)
    {
        const int type = slice.nalType;
        const bool irap = type >= H265NalType::BlaWLp && type <= H265NalType::ReservedIrap23;
        const bool noRaslOutput = irap && (type != H265NalType::Cra || m_first);
        m_first = false;
        qint64 count = 0;
        if (noRaslOutput) {
            ++m_epoch;
            count = slice.idr ? 0 : slice.picOrderCntLsb;
        } else {
            count = msbFor(slice.picOrderCntLsb, slice.log2MaxPicOrderCntLsb) + slice.picOrderCntLsb;
        }
        // prevTid0Pic: TemporalId 0 and not RADL, RASL or a sub-layer non-reference picture
        const bool subLayerNonReference = type <= 14 && type % 2 == 0;
        const bool leading = type >= 6 && type <= 9;
        if (slice.temporalId == 0 && !subLayerNonReference && !leading) {
            const qint64 maxLsb = qint64(1) << slice.log2MaxPicOrderCntLsb;
            m_prevLsb = quint32(((count % maxLsb) + maxLsb) % maxLsb);
            m_prevMsb = count - m_prevLsb;
        }
        return Position{m_epoch, count};
    }

    ParameterSets m_parameterSets;
    qint64 m_epoch = 0;
    qint64 m_prevMsb = 0;
    quint32 m_prevLsb = 0;
    qint64 m_decodeIndexInEpoch = 0;
    bool m_first = true;
};

} // namespace

Result<ElementaryStreamFile> ElementaryStreamFile::open(const QString &path, FrameRate frameRate)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::IoError, tr("Cannot open %1: %2.").arg(path, file.errorString()));
    if (file.size() > kMaxFileBytes) {
        return fail(ErrorCode::Unsupported,
                    tr("%1 is larger than %2 MiB; use a shorter clip.").arg(path).arg(kMaxFileBytes / (1024 * 1024)));
    }
    const QByteArray bytes = file.readAll();
    if (bytes.size() != file.size())
        return fail(ErrorCode::IoError, tr("Cannot read %1: %2.").arg(path, file.errorString()));
    const AudioCodec audio = audioCodecFromSuffix(path);
    if (audio != AudioCodec::Unknown)
        return fromAudio(bytes, audio, path);
    return fromVideo(bytes, frameRate, path);
}

Result<ElementaryStreamFile> ElementaryStreamFile::fromVideo(QByteArrayView annexB, FrameRate frameRate,
                                                             const QString &name)
{
    const QString shownName = name.isEmpty() ? tr("The video data") : name;
    if (frameRate.numerator <= 0 || frameRate.denominator <= 0 || frameRate.numerator > 1000 * frameRate.denominator) {
        return fail(ErrorCode::InvalidArgument,
                    tr("%1/%2 is not a usable frame rate.").arg(frameRate.numerator).arg(frameRate.denominator));
    }
    if (annexB.isEmpty())
        return fail(ErrorCode::Unsupported, tr("%1 is empty.").arg(shownName));
    const VideoCodec codec = NalUnit::sniffCodec(annexB);
    if (codec == VideoCodec::Unknown) {
        return fail(ErrorCode::Unsupported,
                    tr("%1 is neither an H.264 nor an H.265 elementary stream (Annex B), nor raw G.711 audio "
                       "(.alaw, .ulaw).")
                        .arg(shownName));
    }

    ElementaryStreamFile file;
    file.m_kind = Kind::Video;
    file.m_videoCodec = codec;
    file.m_frameRate = frameRate;
    // No picture is larger than the file, so with the file size as the cap feed() cannot fail.
    AccessUnitSplitter splitter(
        codec, [&file](AccessUnit &&au) { file.m_accessUnits.append(std::move(au)); },
        std::max<qsizetype>(annexB.size(), AccessUnitSplitter::kDefaultMaxAccessUnitBytes));
    (void)splitter.feed(annexB);
    splitter.flush();
    if (file.m_accessUnits.isEmpty())
        return fail(ErrorCode::Unsupported, tr("%1 holds no complete %2 picture.").arg(shownName, codecName(codec)));
    if (!file.m_accessUnits.first().keyFrame)
        qCWarning(lcMedia) << shownName << "does not start with a key frame: every pass starts with broken pictures";

    // Output order from picture order counts; without them, decoding order.
    const qsizetype count = file.m_accessUnits.size();
    PictureOrder order(codec);
    QList<PictureOrder::Position> positions;
    positions.reserve(count);
    for (const AccessUnit &au : std::as_const(file.m_accessUnits)) {
        const auto position = order.next(au.data);
        if (!position) {
            qCInfo(lcMedia) << shownName << "has pictures whose order cannot be read; assuming PTS = DTS";
            positions.clear();
            break;
        }
        positions.append(*position);
    }
    QList<qsizetype> outputOrder(count);
    std::iota(outputOrder.begin(), outputOrder.end(), 0);
    if (!positions.isEmpty()) {
        std::stable_sort(outputOrder.begin(), outputOrder.end(), [&positions](qsizetype a, qsizetype b) {
            const auto &pa = positions.at(a);
            const auto &pb = positions.at(b);
            return pa.epoch != pb.epoch ? pa.epoch < pb.epoch : pa.count < pb.count;
        });
    }
    QList<qint64> rank(count);
    for (qsizetype slot = 0; slot < count; ++slot)
        rank[outputOrder.at(slot)] = slot;
    qint64 delay = 0;
    for (qsizetype i = 0; i < count; ++i)
        delay = std::max<qint64>(delay, i - rank.at(i));
    file.m_reorderDelay = delay;
    file.m_presentationIndex.resize(count);
    for (qsizetype i = 0; i < count; ++i) {
        file.m_presentationIndex[i] = rank.at(i) + delay;
        file.m_accessUnits[i].dts90k = file.videoTimestamp(i);
        file.m_accessUnits[i].pts90k = file.videoTimestamp(file.m_presentationIndex.at(i));
    }
    return file;
}

Result<ElementaryStreamFile> ElementaryStreamFile::fromAudio(QByteArrayView samples, AudioCodec codec,
                                                             const QString &name)
{
    const QString shownName = name.isEmpty() ? tr("The audio data") : name;
    if (codec != AudioCodec::G711A && codec != AudioCodec::G711U)
        return fail(ErrorCode::Unsupported, tr("%1: only raw G.711 audio files can be read.").arg(shownName));
    constexpr qsizetype frameBytes = kG711SampleRateHz * kAudioFrameMs / 1000;
    constexpr qint64 frameTicks = kClockRate90k * kAudioFrameMs / 1000;
    const qsizetype count = samples.size() / frameBytes;
    if (count == 0) {
        return fail(ErrorCode::Unsupported,
                    tr("%1 is shorter than one %2 ms audio frame.").arg(shownName).arg(kAudioFrameMs));
    }
    ElementaryStreamFile file;
    file.m_kind = Kind::Audio;
    file.m_audioCodec = codec;
    file.m_audioFrames.reserve(count);
    for (qsizetype i = 0; i < count; ++i) {
        AudioFrame frame;
        frame.codec = codec;
        frame.data = samples.sliced(i * frameBytes, frameBytes).toByteArray();
        frame.pts90k = i * frameTicks;
        frame.sampleRateHz = kG711SampleRateHz;
        frame.channelCount = 1;
        file.m_audioFrames.append(std::move(frame));
    }
    return file;
}

qsizetype ElementaryStreamFile::frameCount() const noexcept
{
    return m_kind == Kind::Video ? m_accessUnits.size() : m_audioFrames.size();
}

qint64 ElementaryStreamFile::duration90k() const noexcept
{
    if (m_kind == Kind::Video)
        return videoTimestamp(m_accessUnits.size());
    return qint64(m_audioFrames.size()) * (kClockRate90k * kAudioFrameMs / 1000);
}

qint64 ElementaryStreamFile::videoTimestamp(qint64 frameIndex) const noexcept
{
    return frameIndex * kClockRate90k * m_frameRate.denominator / m_frameRate.numerator;
}

AccessUnit ElementaryStreamFile::nextAccessUnit()
{
    Q_ASSERT(m_kind == Kind::Video && !m_accessUnits.isEmpty());
    const qsizetype count = m_accessUnits.size();
    const qint64 base = m_pass * count;
    AccessUnit au = m_accessUnits.at(m_next);
    au.dts90k = videoTimestamp(base + m_next);
    au.pts90k = videoTimestamp(base + m_presentationIndex.at(m_next));
    if (++m_next == count) {
        m_next = 0;
        ++m_pass;
    }
    return au;
}

AudioFrame ElementaryStreamFile::nextAudioFrame()
{
    Q_ASSERT(m_kind == Kind::Audio && !m_audioFrames.isEmpty());
    AudioFrame frame = m_audioFrames.at(m_next);
    frame.pts90k += m_pass * duration90k();
    if (++m_next == m_audioFrames.size()) {
        m_next = 0;
        ++m_pass;
    }
    return frame;
}

void ElementaryStreamFile::rewind() noexcept
{
    m_next = 0;
    m_pass = 0;
}

} // namespace Vigil::Media
