#include "psdemuxer.h"

#include "common/logging.h"

#include <algorithm>
#include <cstring>

namespace Vigil::Media {

namespace {

inline std::uint8_t byteAt(QByteArrayView data, qsizetype pos) noexcept
{
    return std::uint8_t(data[pos]);
}

inline qsizetype readU16(QByteArrayView data, qsizetype pos) noexcept
{
    return (qsizetype(byteAt(data, pos)) << 8) | byteAt(data, pos + 1);
}

/// A 33-bit PTS/DTS from its 5-byte form (ISO/IEC 13818-1 2.4.3.7); marker bits not checked.
inline std::uint64_t readTimestamp(QByteArrayView data, qsizetype pos) noexcept
{
    return (std::uint64_t((byteAt(data, pos) >> 1) & 0x07) << 30) | (std::uint64_t(byteAt(data, pos + 1)) << 22)
        | (std::uint64_t(byteAt(data, pos + 2) >> 1) << 15) | (std::uint64_t(byteAt(data, pos + 3)) << 7)
        | std::uint64_t(byteAt(data, pos + 4) >> 1);
}

inline bool isStartCodePrefix(QByteArrayView data, qsizetype pos) noexcept
{
    return pos + 3 <= data.size() && byteAt(data, pos) == 0 && byteAt(data, pos + 1) == 0 && byteAt(data, pos + 2) == 1;
}

/// Position of the next "00 00 01" at or after `from`, or -1.
qsizetype findStartCode(QByteArrayView data, qsizetype from) noexcept
{
    const qsizetype size = data.size();
    qsizetype at = from + 2;
    while (at < size) {
        const void *hit = std::memchr(data.data() + at, 1, std::size_t(size - at));
        if (!hit)
            return -1;
        at = static_cast<const char *>(hit) - data.data();
        if (byteAt(data, at - 1) == 0 && byteAt(data, at - 2) == 0)
            return at - 2;
        at += 1;
    }
    return -1;
}

/// Start codes that begin a program stream structure (ISO/IEC 13818-1 table 2-18): program end,
/// pack, system header, and every stream_id. Elementary stream start codes (NAL units,
/// MPEG-4 Visual headers) are all below 0xB9.
inline bool isSystemStartCode(std::uint8_t code) noexcept
{
    return code >= 0xB9;
}

std::optional<EsKind> kindOf(PsStreamType type)
{
    switch (type) {
    case PsStreamType::Mpeg1Video:
    case PsStreamType::Mpeg2Video:
    case PsStreamType::Mpeg4Visual:
    case PsStreamType::H264:
    case PsStreamType::H265:
    case PsStreamType::SvacVideo:
        return EsKind::Video;
    case PsStreamType::Mpeg1Audio:
    case PsStreamType::Mpeg2Audio:
    case PsStreamType::AacAdts:
    case PsStreamType::AacLatm:
    case PsStreamType::G711A:
    case PsStreamType::G711U:
    case PsStreamType::G7221:
    case PsStreamType::G7231:
    case PsStreamType::G729:
    case PsStreamType::SvacAudio:
        return EsKind::Audio;
    case PsStreamType::Unknown:
        break;
    }
    return std::nullopt;
}

/// Video types whose codec the payload can confirm or correct.
bool isSniffable(PsStreamType declared)
{
    return declared == PsStreamType::Unknown || declared == PsStreamType::H264 || declared == PsStreamType::H265
        || !kindOf(declared);
}

/// What the two bytes after a start code in a video elementary stream say about its codec.
enum class Evidence : std::uint8_t { None, WeakH264, WeakH265, H264, H265, Mpeg4Visual, Mpeg2Video };

bool isH264Profile(std::uint8_t profile)
{
    switch (profile) {
    case 44: case 66: case 77: case 83: case 86: case 88: case 100: case 110:
    case 118: case 122: case 128: case 134: case 135: case 138: case 139: case 244:
        return true;
    default:
        return false;
    }
}

Evidence judgeStartCode(std::uint8_t h0, std::uint8_t h1)
{
    if ((h0 & 0x80) != 0) {
        // Not a NAL unit (forbidden_zero_bit): MPEG-4 Visual or MPEG-1/2 video headers.
        if (h0 == 0xB0 || h0 == 0xB6)
            return Evidence::Mpeg4Visual;
        if (h0 == 0xB3 || h0 == 0xB8)
            return Evidence::Mpeg2Video;
        return Evidence::None;
    }
    // H.265: 2-byte header with nuh_layer_id 0 and temporal_id_plus1 1..7.
    if ((h0 & 0x81) == 0 && h1 >= 1 && h1 <= 7) {
        switch (h0 >> 1) {
        case 32: case 33: case 34: // VPS, SPS, PPS
        case 35:                   // AUD
        case 19: case 20: case 21: // IDR_W_RADL, IDR_N_LP, CRA
            return Evidence::H265;
        case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8: case 9:
        case 16: case 17: case 18: case 39: case 40:
            return Evidence::WeakH265;
        default:
            break;
        }
    }
    const int type = h0 & 0x1F;
    const int refIdc = h0 >> 5;
    switch (type) {
    case 7: // SPS: profile_idc follows
        if (refIdc != 0 && isH264Profile(h1))
            return Evidence::H264;
        break;
    case 9: // AUD: primary_pic_type, then the RBSP stop bit
        if (refIdc == 0 && (h1 & 0x1F) == 0x10)
            return Evidence::H264;
        break;
    case 5: // IDR slice
        if (refIdc != 0)
            return Evidence::H264;
        break;
    case 1:
        return Evidence::WeakH264;
    case 6:
        if (refIdc == 0)
            return Evidence::WeakH264;
        break;
    case 8:
        if (refIdc != 0)
            return Evidence::WeakH264;
        break;
    default:
        break;
    }
    return Evidence::None;
}

PsStreamType typeOf(Evidence evidence)
{
    switch (evidence) {
    case Evidence::H264:
    case Evidence::WeakH264:
        return PsStreamType::H264;
    case Evidence::H265:
    case Evidence::WeakH265:
        return PsStreamType::H265;
    case Evidence::Mpeg4Visual:
        return PsStreamType::Mpeg4Visual;
    case Evidence::Mpeg2Video:
        return PsStreamType::Mpeg2Video;
    case Evidence::None:
        break;
    }
    return PsStreamType::Unknown;
}

bool isStrong(Evidence evidence)
{
    return evidence != Evidence::None && evidence != Evidence::WeakH264 && evidence != Evidence::WeakH265;
}

/// The evidence of the NAL unit a payload starts with, if it starts with a start code.
Evidence judgePayloadStart(QByteArrayView data)
{
    qsizetype offset = -1;
    if (isStartCodePrefix(data, 0))
        offset = 3;
    else if (data.size() >= 4 && byteAt(data, 0) == 0 && isStartCodePrefix(data, 1))
        offset = 4;
    if (offset < 0 || offset + 2 > data.size())
        return Evidence::None;
    return judgeStartCode(byteAt(data, offset), byteAt(data, offset + 1));
}

/// Audio type from the first bytes of an audio payload (ADTS or MPEG audio frame sync).
PsStreamType sniffAudio(QByteArrayView data)
{
    if (data.size() < 2 || byteAt(data, 0) != 0xFF || (byteAt(data, 1) & 0xE0) != 0xE0)
        return PsStreamType::Unknown;
    const std::uint8_t b1 = byteAt(data, 1);
    const int layer = (b1 >> 1) & 0x03;
    if ((b1 & 0xF0) == 0xF0 && layer == 0)
        return PsStreamType::AacAdts;
    if (layer == 0)
        return PsStreamType::Unknown;
    return (b1 & 0x18) == 0x18 ? PsStreamType::Mpeg1Audio : PsStreamType::Mpeg2Audio;
}

/// Weak votes, all for one codec, that decide a video stream without a map.
constexpr int kWeakVotesToDecide = 8;

bool isH26x(PsStreamType type)
{
    return type == PsStreamType::H264 || type == PsStreamType::H265;
}

/// How the codec of a video stream was settled.
struct SniffDecision {
    PsStreamType type = PsStreamType::Unknown;
    TypeSource source = TypeSource::StreamId;
};

/// Follows the start codes of a video elementary stream across pieces and settles its codec as
/// soon as the NAL headers seen so far allow (or after kMaxSniffBytes), so that the decision
/// depends only on the bytes, not on how they were cut.
class VideoSniffer {
public:
    explicit VideoSniffer(PsStreamType declared = PsStreamType::Unknown)
        : m_declared(declared)
    {
    }

    std::optional<SniffDecision> feed(QByteArrayView data)
    {
        for (const char c : data) {
            const auto b = std::uint8_t(c);
            ++m_bytes;
            if (m_fill == 0) {
                m_h0 = b;
                m_fill = 1;
            } else if (m_fill == 1) {
                m_fill = -1;
                if (const auto decision = judge(judgeStartCode(m_h0, b)))
                    return decision;
            }
            if (b == 0) {
                m_zeros = std::min(m_zeros + 1, 2);
            } else {
                if (b == 1 && m_zeros == 2)
                    m_fill = 0;
                m_zeros = 0;
            }
            if (m_bytes >= PsDemuxer::kMaxSniffBytes)
                return fallback();
        }
        return std::nullopt;
    }

    /// The best guess when no NAL header has settled it.
    SniffDecision fallback() const
    {
        if (isH26x(m_declared))
            return {m_declared, TypeSource::Psm};
        if (m_weakH264 + m_weakH265 > 0)
            return {m_weakH264 >= m_weakH265 ? PsStreamType::H264 : PsStreamType::H265, TypeSource::Sniffed};
        return {m_declared, m_declared == PsStreamType::Unknown ? TypeSource::StreamId : TypeSource::Psm};
    }

private:
    std::optional<SniffDecision> judge(Evidence evidence)
    {
        if (isStrong(evidence)) {
            const PsStreamType type = typeOf(evidence);
            return SniffDecision{type, type == m_declared ? TypeSource::Psm : TypeSource::Sniffed};
        }
        if (evidence == Evidence::WeakH264)
            ++m_weakH264;
        else if (evidence == Evidence::WeakH265)
            ++m_weakH265;
        else
            return std::nullopt;
        if (isH26x(m_declared)) {
            // A slice that fits the map settles it, unless something contradicted the map before.
            const bool agrees = m_declared == PsStreamType::H264 ? m_weakH265 == 0 : m_weakH264 == 0;
            return agrees ? std::optional(SniffDecision{m_declared, TypeSource::Psm}) : std::nullopt;
        }
        if (m_weakH264 >= kWeakVotesToDecide && m_weakH265 == 0)
            return SniffDecision{PsStreamType::H264, TypeSource::Sniffed};
        if (m_weakH265 >= kWeakVotesToDecide && m_weakH264 == 0)
            return SniffDecision{PsStreamType::H265, TypeSource::Sniffed};
        return std::nullopt;
    }

    PsStreamType m_declared;
    qsizetype m_bytes = 0;
    int m_zeros = 0;
    int m_fill = -1; ///< header bytes seen after a start code; -1 outside a header
    std::uint8_t m_h0 = 0;
    int m_weakH264 = 0;
    int m_weakH265 = 0;
};

/// The first piece of a length-0 PES is at least this long (or the whole PES), so that its
/// start can be judged the same way however the input was cut.
constexpr qsizetype kMinFirstPiece = 64;

struct PesHeader {
    qsizetype payloadOffset = 0;
    std::optional<std::uint64_t> pts;
    std::optional<std::uint64_t> dts;
    bool dataAlignment = false;
};

enum class HeaderParse : std::uint8_t { Ok, NeedMore, Malformed };

/// Parses the PES header at the start of `pes` (MPEG-2 syntax, or MPEG-1 when the byte after
/// the length is not '10xxxxxx'). `complete`: `pes` is the whole packet, so a header running
/// past it is malformed rather than incomplete.
HeaderParse parsePesHeader(QByteArrayView pes, bool complete, PesHeader &header)
{
    const qsizetype size = pes.size();
    const HeaderParse short_ = complete ? HeaderParse::Malformed : HeaderParse::NeedMore;
    if (size < 7)
        return short_;
    const std::uint8_t b6 = byteAt(pes, 6);
    if ((b6 & 0xC0) == 0x80) {
        if (size < 9)
            return short_;
        const std::uint8_t flags = byteAt(pes, 7) >> 6;
        const qsizetype headerLength = byteAt(pes, 8);
        header.payloadOffset = 9 + headerLength;
        if (header.payloadOffset > size)
            return short_;
        if ((flags & 0x02) != 0 && headerLength >= 5)
            header.pts = readTimestamp(pes, 9);
        if (flags == 0x03 && headerLength >= 10)
            header.dts = readTimestamp(pes, 14);
        header.dataAlignment = (b6 & 0x04) != 0;
        return HeaderParse::Ok;
    }
    // MPEG-1 (ISO/IEC 11172-1 2.4.3.3): up to 16 stuffing bytes 0xFF, optional STD buffer
    // size, then PTS, PTS+DTS or 0x0F.
    qsizetype at = 6;
    while (at < size && at < 6 + 16 && byteAt(pes, at) == 0xFF)
        ++at;
    if (at >= size)
        return short_;
    if ((byteAt(pes, at) & 0xC0) == 0x40) {
        at += 2;
        if (at >= size)
            return short_;
    }
    const std::uint8_t marker = byteAt(pes, at) & 0xF0;
    if (marker == 0x20) {
        if (at + 5 > size)
            return short_;
        header.pts = readTimestamp(pes, at);
        at += 5;
    } else if (marker == 0x30) {
        if (at + 10 > size)
            return short_;
        header.pts = readTimestamp(pes, at);
        header.dts = readTimestamp(pes, at + 5);
        at += 10;
    } else if (byteAt(pes, at) == 0x0F) {
        at += 1;
    } else {
        return HeaderParse::Malformed;
    }
    header.payloadOffset = at;
    return HeaderParse::Ok;
}

/// True when `pos` holds something that reads like an ES map entry: a stream type this
/// demuxer knows, an audio/video stream_id, and an info length that fits before `end`.
bool looksLikeEsMapEntry(QByteArrayView data, qsizetype pos, qsizetype end)
{
    if (pos + 4 > end)
        return false;
    const auto type = PsStreamType(byteAt(data, pos));
    const std::uint8_t id = byteAt(data, pos + 1);
    return kindOf(type) && id >= 0xC0 && id <= 0xEF && pos + 4 + readU16(data, pos + 2) <= end;
}

constexpr qsizetype kStreamIdBase = 0xC0;
constexpr qsizetype kStreamCount = 0xF0 - 0xC0;

} // namespace

QString psStreamTypeName(PsStreamType type)
{
    switch (type) {
    case PsStreamType::Unknown: return QStringLiteral("unknown");
    case PsStreamType::Mpeg1Video: return QStringLiteral("MPEG-1 video");
    case PsStreamType::Mpeg2Video: return QStringLiteral("MPEG-2 video");
    case PsStreamType::Mpeg1Audio: return QStringLiteral("MPEG-1 audio");
    case PsStreamType::Mpeg2Audio: return QStringLiteral("MPEG-2 audio");
    case PsStreamType::AacAdts: return QStringLiteral("AAC");
    case PsStreamType::Mpeg4Visual: return QStringLiteral("MPEG-4 Visual");
    case PsStreamType::AacLatm: return QStringLiteral("AAC LATM");
    case PsStreamType::H264: return QStringLiteral("H.264");
    case PsStreamType::H265: return QStringLiteral("H.265");
    case PsStreamType::SvacVideo: return QStringLiteral("SVAC video");
    case PsStreamType::G711A: return QStringLiteral("G.711A");
    case PsStreamType::G711U: return QStringLiteral("G.711U");
    case PsStreamType::G7221: return QStringLiteral("G.722.1");
    case PsStreamType::G7231: return QStringLiteral("G.723.1");
    case PsStreamType::G729: return QStringLiteral("G.729");
    case PsStreamType::SvacAudio: return QStringLiteral("SVAC audio");
    }
    return QStringLiteral("stream type 0x%1").arg(int(type), 2, 16, QLatin1Char('0'));
}

QString psContentName(PsContent content)
{
    switch (content) {
    case PsContent::Unknown: return QStringLiteral("unknown");
    case PsContent::ProgramStream: return QStringLiteral("program stream");
    case PsContent::MpegTs: return QStringLiteral("MPEG-TS");
    case PsContent::RawH264: return QStringLiteral("raw H.264");
    case PsContent::RawH265: return QStringLiteral("raw H.265");
    case PsContent::NoPsSync: return QStringLiteral("no PS sync");
    }
    return QString();
}

struct PsDemuxer::Stream {
    struct Held {
        QByteArray data;
        std::optional<std::uint64_t> pts;
        std::optional<std::uint64_t> dts;
        PesFlags flags;
    };

    PsStreamInfo info;
    std::optional<PsStreamInfo> announced;
    bool seen = false;
    bool decided = false;
    bool discontinuity = false;
    VideoSniffer sniffer;
    std::vector<Held> held; ///< payload waiting for the codec to be known
};

PsDemuxer::PsDemuxer()
    : m_streams(kStreamCount)
{
}

PsDemuxer::~PsDemuxer() = default;

void PsDemuxer::feed(QByteArrayView bytes)
{
    Q_ASSERT_X(!m_inCallback, "PsDemuxer::feed", "called from one of its own callbacks");
    if (bytes.isEmpty())
        return;
    if (m_readPos == m_buffer.size()) {
        // Nothing pending: parse the caller's bytes in place and keep only the incomplete rest.
        m_buffer.resize(0);
        m_readPos = 0;
        const qsizetype consumed = process(bytes, false);
        m_buffer.append(bytes.sliced(consumed));
        return;
    }
    if (m_readPos > 0 && m_readPos >= m_buffer.size() - m_readPos) {
        m_buffer.remove(0, m_readPos);
        m_readPos = 0;
    }
    m_buffer.append(bytes);
    m_readPos += process(QByteArrayView(m_buffer).sliced(m_readPos), false);
}

void PsDemuxer::markDiscontinuity()
{
    Q_ASSERT_X(!m_inCallback, "PsDemuxer::markDiscontinuity", "called from one of its own callbacks");
    m_buffer.resize(0);
    m_readPos = 0;
    m_skipRemaining = 0;
    m_unboundedStream.reset();
    loseSync();
}

void PsDemuxer::finish()
{
    Q_ASSERT_X(!m_inCallback, "PsDemuxer::finish", "called from one of its own callbacks");
    if (m_readPos < m_buffer.size())
        process(QByteArrayView(m_buffer).sliced(m_readPos), true);
    m_buffer.resize(0);
    m_readPos = 0;
    m_skipRemaining = 0;
    m_unboundedStream.reset();
    for (Stream &stream : m_streams) {
        if (!stream.seen || stream.decided)
            continue;
        if (stream.info.kind == EsKind::Video) {
            const SniffDecision decision = stream.sniffer.fallback();
            decide(stream, decision.type, decision.source);
        }
    }
    if (!m_synced && m_probing && !m_probe.isEmpty() && m_content == PsContent::Unknown)
        classifyProbe();
}

void PsDemuxer::reset()
{
    Q_ASSERT_X(!m_inCallback, "PsDemuxer::reset", "called from one of its own callbacks");
    m_buffer.resize(0);
    m_readPos = 0;
    m_skipRemaining = 0;
    m_content = PsContent::Unknown;
    m_synced = false;
    m_everSynced = false;
    m_probe.clear();
    m_probing = true;
    m_unboundedStream.reset();
    m_psmTypes.fill(0);
    m_psmVersion.reset();
    m_mpeg1 = false;
    for (Stream &stream : m_streams)
        stream = Stream();
}

std::vector<PsStreamInfo> PsDemuxer::streams() const
{
    std::vector<PsStreamInfo> result;
    for (const Stream &stream : m_streams) {
        if (stream.seen)
            result.push_back(stream.info);
    }
    return result;
}

qsizetype PsDemuxer::process(QByteArrayView data, bool atEnd)
{
    qsizetype pos = 0;
    const qsizetype size = data.size();
    while (pos < size) {
        if (m_skipRemaining > 0) {
            const qsizetype skip = std::min(m_skipRemaining, size - pos);
            pos += skip;
            m_skipRemaining -= skip;
            continue;
        }
        if (m_unboundedStream) {
            pos = continueUnboundedPes(data, pos, atEnd);
            if (m_unboundedStream)
                return pos;
            continue;
        }
        if (!m_synced && !searchSync(data, pos, atEnd))
            return pos;
        switch (parseAt(data, pos, atEnd)) {
        case Parse::Consumed:
            break;
        case Parse::NeedMore:
            return atEnd ? size : pos;
        case Parse::Lost:
            loseSync();
            // Not a structure we can read: step over its first byte and search from there.
            collectProbe(data.sliced(pos, 1));
            ++pos;
            break;
        }
    }
    return pos;
}

PsDemuxer::Parse PsDemuxer::parseAt(QByteArrayView data, qsizetype &pos, bool atEnd)
{
    const qsizetype available = data.size() - pos;
    if (available < 4)
        return Parse::NeedMore;
    if (!isStartCodePrefix(data, pos))
        return Parse::Lost;
    const std::uint8_t code = byteAt(data, pos + 3);
    if (code == 0xBA)
        return parsePackHeader(data, pos, atEnd);
    if (code >= 0xC0 && code <= 0xEF)
        return parsePes(data, pos, code, atEnd);
    if (code == 0xB9) {
        pos += 4;
        return Parse::Consumed;
    }
    if (!isSystemStartCode(code)) {
        // Not a PS structure (seen after pack headers of some devices): skip to the next known
        // start code. Nothing of an elementary stream is lost, so no discontinuity.
        ++m_stats.unknownStartCodes;
        pos += 4;
        m_synced = false;
        return Parse::Consumed;
    }
    if (available < 6)
        return Parse::NeedMore;
    const qsizetype total = 6 + readU16(data, pos + 4);
    if (code == 0xBC) {
        if (available < total)
            return Parse::NeedMore;
        parsePsm(data.sliced(pos, total));
        pos += total;
        return Parse::Consumed;
    }
    if (code == 0xBB)
        ++m_stats.systemHeaders;
    else
        ++m_stats.skippedPackets; // private streams, padding, ECM/EMM/DSM-CC and the like
    const qsizetype now = std::min(total, available);
    pos += now;
    m_skipRemaining = total - now;
    return Parse::Consumed;
}

PsDemuxer::Parse PsDemuxer::parsePackHeader(QByteArrayView data, qsizetype &pos, bool atEnd)
{
    const qsizetype available = data.size() - pos;
    if (available < 5)
        return Parse::NeedMore;
    const std::uint8_t b4 = byteAt(data, pos + 4);
    if (b4 == 0x00) {
        // Hikvision (H.265): "00 00 01 BA" directly followed by the next start code.
        if (available < 7)
            return Parse::NeedMore;
        if (!isStartCodePrefix(data, pos + 4))
            return Parse::Lost;
        ++m_stats.packHeaders;
        ++m_stats.truncatedPackHeaders;
        pos += 4;
        return Parse::Consumed;
    }
    if ((b4 & 0xC0) == 0x40) {
        if (available < 14)
            return Parse::NeedMore;
        qsizetype total = 14 + (byteAt(data, pos + 13) & 0x07);
        if (total > 14) {
            if (available < total + 3 && !atEnd)
                return Parse::NeedMore;
            // A device that announces stuffing it does not write: the next structure starts
            // right after the 14 bytes.
            if (!isStartCodePrefix(data, pos + total) && isStartCodePrefix(data, pos + 14))
                total = 14;
        }
        ++m_stats.packHeaders;
        m_mpeg1 = false;
        pos += std::min(total, available);
        return Parse::Consumed;
    }
    if ((b4 & 0xF0) == 0x20) {
        if (available < 12)
            return Parse::NeedMore;
        ++m_stats.packHeaders;
        ++m_stats.mpeg1PackHeaders;
        m_mpeg1 = true;
        pos += 12;
        return Parse::Consumed;
    }
    return Parse::Lost;
}

PsDemuxer::Parse PsDemuxer::parsePes(QByteArrayView data, qsizetype &pos, std::uint8_t streamId, bool atEnd)
{
    const qsizetype available = data.size() - pos;
    if (available < 6)
        return Parse::NeedMore;
    const qsizetype length = readU16(data, pos + 4);
    PesHeader header;
    if (length == 0) {
        // Unbounded (seen on some devices' video): the payload ends at the next PS start code.
        switch (parsePesHeader(data.sliced(pos), false, header)) {
        case HeaderParse::NeedMore:
            return Parse::NeedMore;
        case HeaderParse::Malformed:
            ++m_stats.malformedPes;
            return Parse::Lost;
        case HeaderParse::Ok:
            break;
        }
        ++m_stats.pesPackets;
        stream(streamId); // first sight resolves the type before any payload
        m_unboundedStream = streamId;
        m_unboundedStarted = false;
        m_unboundedPts = header.pts;
        m_unboundedDts = header.dts;
        m_unboundedFlags = PesFlag::PesStart;
        if (header.dataAlignment)
            m_unboundedFlags |= PesFlag::DataAlignment;
        pos += header.payloadOffset;
        return Parse::Consumed;
    }

    const qsizetype total = 6 + length;
    const bool complete = available >= total;
    if (!complete && !atEnd)
        return Parse::NeedMore;
    const qsizetype limit = std::min(total, available);
    if (parsePesHeader(data.sliced(pos, limit), complete, header) != HeaderParse::Ok) {
        if (complete)
            ++m_stats.malformedPes;
        pos += limit;
        return Parse::Consumed;
    }
    ++m_stats.pesPackets;
    PesFlags flags = PesFlag::PesStart;
    if (header.dataAlignment)
        flags |= PesFlag::DataAlignment;
    if (!complete)
        flags |= PesFlag::Truncated;
    Stream &target = stream(streamId);
    if (limit > header.payloadOffset)
        deliver(target, data.sliced(pos + header.payloadOffset, limit - header.payloadOffset), header.pts,
                header.dts, flags);
    pos += limit;
    return Parse::Consumed;
}

qsizetype PsDemuxer::continueUnboundedPes(QByteArrayView data, qsizetype pos, bool atEnd)
{
    const qsizetype size = data.size();
    qsizetype end = -1;
    qsizetype at = pos;
    while (true) {
        const qsizetype hit = findStartCode(data, at);
        if (hit < 0 || hit + 3 >= size)
            break;
        if (isSystemStartCode(byteAt(data, hit + 3))) {
            end = hit;
            break;
        }
        at = hit + 3;
    }
    // Without an end in sight, hold back 3 bytes: they may be the start of the end.
    const qsizetype upTo = end >= 0 ? end : (atEnd ? size : std::max(pos, size - 3));
    if (!m_unboundedStarted && end < 0 && !atEnd && upTo - pos < kMinFirstPiece)
        return pos;
    if (upTo > pos) {
        Stream &target = stream(*m_unboundedStream);
        if (!m_unboundedStarted)
            deliver(target, data.sliced(pos, upTo - pos), m_unboundedPts, m_unboundedDts, m_unboundedFlags);
        else
            deliver(target, data.sliced(pos, upTo - pos), std::nullopt, std::nullopt, PesFlag::None);
        m_unboundedStarted = true;
    }
    if (end >= 0 || atEnd)
        m_unboundedStream.reset();
    return upTo;
}

void PsDemuxer::parsePsm(QByteArrayView psm)
{
    ++m_stats.psms;
    const qsizetype end = psm.size();
    if (end < 12) {
        ++m_stats.malformedPsms;
        return;
    }
    const std::uint8_t flags = byteAt(psm, 6);
    if ((flags & 0x80) == 0)
        return; // current_next_indicator 0: a map for later; the one in force stays
    const int version = flags & 0x1F;
    bool malformed = false;
    qsizetype pos = 10 + readU16(psm, 8);
    if (pos + 2 > end) {
        ++m_stats.malformedPsms;
        return;
    }
    qsizetype mapEnd = pos + 2 + readU16(psm, pos);
    pos += 2;
    if (mapEnd > end - 4) { // the CRC_32 takes the last 4 bytes
        malformed = true;
        mapEnd = std::max(pos, end - 4);
    }

    std::array<std::uint8_t, 256> types{};
    while (pos + 4 <= mapEnd) {
        const std::uint8_t type = byteAt(psm, pos);
        const std::uint8_t id = byteAt(psm, pos + 1);
        const qsizetype infoStart = pos + 4;
        qsizetype infoEnd = infoStart + readU16(psm, pos + 2);
        if (infoEnd > mapEnd) {
            malformed = true;
            infoEnd = mapEnd;
        }
        // Walk the descriptors. One that runs past the entry's info means the info length is
        // wrong (seen on Tiandy and others); when what follows reads like the next entry, the
        // entry ends there.
        qsizetype next = infoEnd;
        for (qsizetype at = infoStart; at < infoEnd;) {
            if (at + 2 > infoEnd || at + 2 + byteAt(psm, at + 1) > infoEnd) {
                if (looksLikeEsMapEntry(psm, at, mapEnd)) {
                    malformed = true;
                    next = at;
                }
                break;
            }
            at += 2 + byteAt(psm, at + 1);
        }
        if (type != 0)
            types[id] = type;
        pos = next;
    }
    if (malformed)
        ++m_stats.malformedPsms;

    if (m_psmVersion != version) {
        qCDebug(lcMedia) << "PS: program stream map version" << version;
        m_psmVersion = version;
    }
    if (types == m_psmTypes)
        return;
    m_psmTypes = types;
    for (std::size_t index = 0; index < m_streams.size(); ++index) {
        Stream &target = m_streams[index];
        if (!target.seen)
            continue;
        const auto declared = PsStreamType(m_psmTypes[kStreamIdBase + index]);
        if (declared == target.info.declaredType)
            continue;
        if (target.decided && declared == target.info.type) {
            target.info.declaredType = declared;
            target.info.source = TypeSource::Psm;
            announce(target);
            continue;
        }
        resolveType(target);
    }
}

PsDemuxer::Stream &PsDemuxer::stream(std::uint8_t streamId)
{
    Q_ASSERT(streamId >= kStreamIdBase && streamId < kStreamIdBase + kStreamCount);
    Stream &result = m_streams[std::size_t(streamId - kStreamIdBase)];
    if (!result.seen) {
        result.seen = true;
        result.info.streamId = streamId;
        resolveType(result);
    }
    return result;
}

void PsDemuxer::resolveType(Stream &target)
{
    if (!target.decided && !target.held.empty()) {
        // A new map while still guessing: settle what is held first, so that maps changing
        // over and over cannot make it grow without bound.
        const SniffDecision decision = target.sniffer.fallback();
        decide(target, decision.type, decision.source);
    }
    const auto declared = PsStreamType(m_psmTypes[target.info.streamId]);
    target.info.declaredType = declared;
    target.info.kind = kindOf(declared).value_or(target.info.streamId >= 0xE0 ? EsKind::Video : EsKind::Audio);
    if ((target.info.kind == EsKind::Video && isSniffable(declared))
        || (target.info.kind == EsKind::Audio && declared == PsStreamType::Unknown)) {
        target.decided = false;
        target.sniffer = VideoSniffer(declared);
        return;
    }
    decide(target, declared, TypeSource::Psm);
}

void PsDemuxer::deliver(Stream &target, QByteArrayView data, std::optional<std::uint64_t> pts,
                        std::optional<std::uint64_t> dts, PesFlags flags)
{
    if (target.discontinuity) {
        flags |= PesFlag::Discontinuity;
        target.discontinuity = false;
    }
    if (target.decided) {
        if (target.info.kind == EsKind::Video && flags.testFlag(PesFlag::PesStart)
            && (target.info.type == PsStreamType::H264 || target.info.type == PsStreamType::H265)) {
            const Evidence evidence = judgePayloadStart(data);
            const PsStreamType seen = typeOf(evidence);
            if (isStrong(evidence) && isH26x(seen) && seen != target.info.type)
                decide(target, seen, target.info.declaredType == seen ? TypeSource::Psm : TypeSource::Sniffed);
        }
        emitPayload(target, data, pts, dts, flags);
        return;
    }

    if (target.info.kind == EsKind::Audio) {
        const PsStreamType sniffed = sniffAudio(data);
        decide(target, sniffed, sniffed == PsStreamType::Unknown ? TypeSource::StreamId : TypeSource::Sniffed);
        emitPayload(target, data, pts, dts, flags);
        return;
    }

    const std::optional<SniffDecision> decision = target.sniffer.feed(data);
    if (!decision) {
        target.held.push_back(Stream::Held{data.toByteArray(), pts, dts, flags});
        return;
    }
    decide(target, decision->type, decision->source);
    emitPayload(target, data, pts, dts, flags);
}

void PsDemuxer::decide(Stream &target, PsStreamType type, TypeSource source)
{
    const PsStreamType declared = target.info.declaredType;
    if (target.info.kind == EsKind::Video && isH26x(declared) && isH26x(type) && type != declared) {
        qCInfo(lcMedia) << "PS: stream" << Qt::hex << int(target.info.streamId) << "carries"
                        << psStreamTypeName(type) << "although the map says" << psStreamTypeName(declared);
        ++m_stats.typeMismatches;
    }
    target.info.type = type;
    target.info.source = source;
    target.decided = true;
    announce(target);
    flushPending(target);
}

void PsDemuxer::flushPending(Stream &target)
{
    std::vector<Stream::Held> held = std::move(target.held);
    target.held.clear();
    for (const Stream::Held &piece : held)
        emitPayload(target, piece.data, piece.pts, piece.dts, piece.flags);
}

void PsDemuxer::announce(Stream &target)
{
    if (target.announced == target.info)
        return;
    target.announced = target.info;
    if (m_onStream) {
        m_inCallback = true;
        m_onStream(target.info);
        m_inCallback = false;
    }
}

void PsDemuxer::emitPayload(Stream &target, QByteArrayView data, std::optional<std::uint64_t> pts,
                            std::optional<std::uint64_t> dts, PesFlags flags)
{
    m_stats.payloadBytes += std::uint64_t(data.size());
    if (!m_onPayload)
        return;
    PesPayload payload;
    payload.streamId = target.info.streamId;
    payload.kind = target.info.kind;
    payload.type = target.info.type;
    payload.pts = pts;
    payload.dts = dts;
    payload.flags = flags;
    payload.data = data;
    m_inCallback = true;
    m_onPayload(payload);
    m_inCallback = false;
}

bool PsDemuxer::searchSync(QByteArrayView data, qsizetype &pos, bool atEnd)
{
    const qsizetype size = data.size();
    const bool acceptPes = m_everSynced;
    qsizetype at = pos;
    while (true) {
        const qsizetype hit = findStartCode(data, at);
        if (hit < 0) {
            // The last two bytes may begin a start code.
            const qsizetype keep = atEnd ? size : std::max(pos, size - 2);
            collectProbe(data.sliced(pos, keep - pos));
            pos = keep;
            return false;
        }
        const Candidate candidate = syncCandidate(data, hit, acceptPes);
        if (candidate == Candidate::Yes || (candidate == Candidate::NeedMore && !atEnd)) {
            collectProbe(data.sliced(pos, hit - pos));
            pos = hit;
            if (candidate == Candidate::NeedMore)
                return false;
            setSynced();
            return true;
        }
        at = hit + 1;
    }
}

PsDemuxer::Candidate PsDemuxer::syncCandidate(QByteArrayView data, qsizetype pos, bool acceptPes) const
{
    const qsizetype available = data.size() - pos;
    const auto need = [available](qsizetype bytes) { return available < bytes; };
    if (need(4))
        return Candidate::NeedMore;
    const auto at = [&](qsizetype offset) { return byteAt(data, pos + offset); };
    const std::uint8_t code = at(3);
    switch (code) {
    case 0xBA: {
        if (need(5))
            return Candidate::NeedMore;
        const std::uint8_t b4 = at(4);
        if (b4 == 0x00) {
            if (need(8))
                return Candidate::NeedMore;
            return at(5) == 0 && at(6) == 1 && isSystemStartCode(at(7)) ? Candidate::Yes : Candidate::No;
        }
        if ((b4 & 0xC4) == 0x44) {
            if (need(14))
                return Candidate::NeedMore;
            const bool markers = (at(6) & 0x04) && (at(8) & 0x04) && (at(9) & 0x01) && (at(12) & 0x03) == 0x03;
            return markers ? Candidate::Yes : Candidate::No;
        }
        if ((b4 & 0xF1) == 0x21) {
            if (need(12))
                return Candidate::NeedMore;
            const bool markers = (at(6) & 0x01) && (at(8) & 0x01) && (at(9) & 0x80) && (at(11) & 0x01);
            return markers ? Candidate::Yes : Candidate::No;
        }
        return Candidate::No;
    }
    case 0xBB:
        if (need(11))
            return Candidate::NeedMore;
        return readU16(data, pos + 4) >= 6 && (at(6) & 0x80) && (at(8) & 0x01) && (at(10) & 0x20) ? Candidate::Yes
                                                                                                   : Candidate::No;
    case 0xBC:
        if (need(8))
            return Candidate::NeedMore;
        return readU16(data, pos + 4) >= 6 && (at(7) & 0x01) ? Candidate::Yes : Candidate::No;
    default:
        break;
    }
    if (!acceptPes || code < 0xC0 || code > 0xEF)
        return Candidate::No;
    if (need(9))
        return Candidate::NeedMore;
    const qsizetype length = readU16(data, pos + 4);
    if ((at(6) & 0xC0) == 0x80)
        return length == 0 || 9 + at(8) <= 6 + length ? Candidate::Yes : Candidate::No;
    if (!m_mpeg1 || length == 0)
        return Candidate::No;
    PesHeader header;
    const qsizetype limit = std::min<qsizetype>(available, 6 + length);
    switch (parsePesHeader(data.sliced(pos, limit), limit == 6 + length, header)) {
    case HeaderParse::Ok:
        return Candidate::Yes;
    case HeaderParse::NeedMore:
        return Candidate::NeedMore;
    case HeaderParse::Malformed:
        break;
    }
    return Candidate::No;
}

void PsDemuxer::loseSync()
{
    if (m_synced)
        ++m_stats.resyncs;
    m_synced = false;
    for (Stream &stream : m_streams) {
        if (stream.seen)
            stream.discontinuity = true;
    }
}

void PsDemuxer::setSynced()
{
    m_synced = true;
    m_everSynced = true;
    m_probe.clear();
    m_probing = true;
    setContent(PsContent::ProgramStream);
}

void PsDemuxer::collectProbe(QByteArrayView skipped)
{
    if (skipped.isEmpty())
        return;
    m_stats.bytesSkipped += std::uint64_t(skipped.size());
    if (!m_probing)
        return;
    m_probe.append(skipped.first(std::min(skipped.size(), kProbeBytes - m_probe.size())));
    if (m_probe.size() >= kProbeBytes) {
        classifyProbe();
        m_probe.clear();
        m_probing = false;
    }
}

void PsDemuxer::classifyProbe()
{
    const QByteArrayView probe(m_probe);
    const qsizetype size = probe.size();
    constexpr qsizetype kTsPacket = 188;
    for (qsizetype offset = 0; offset < std::min(kTsPacket, size); ++offset) {
        int syncs = 0;
        for (qsizetype at = offset; at < size && byteAt(probe, at) == 0x47; at += kTsPacket)
            ++syncs;
        const qsizetype possible = (size - offset + kTsPacket - 1) / kTsPacket;
        if (syncs >= 3 && syncs >= std::min<qsizetype>(possible, 5)) {
            setContent(PsContent::MpegTs);
            return;
        }
    }
    VideoSniffer sniffer;
    const auto decision = sniffer.feed(probe);
    if (decision && decision->type == PsStreamType::H264) {
        setContent(PsContent::RawH264);
        return;
    }
    if (decision && decision->type == PsStreamType::H265) {
        setContent(PsContent::RawH265);
        return;
    }
    setContent(PsContent::NoPsSync);
}

void PsDemuxer::setContent(PsContent content)
{
    if (m_content == content)
        return;
    m_content = content;
    qCDebug(lcMedia) << "PS: input looks like" << psContentName(content);
    if (m_onContent) {
        m_inCallback = true;
        m_onContent(content);
        m_inCallback = false;
    }
}

} // namespace Vigil::Media
