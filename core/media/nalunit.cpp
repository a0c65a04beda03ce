#include "nalunit.h"

#include <cstring>

namespace Vigil::Media {

namespace {

quint8 byteAt(QByteArrayView bytes, qsizetype i) noexcept
{
    return quint8(bytes[i]);
}

bool isKnownH264Profile(quint8 profileIdc) noexcept
{
    switch (profileIdc) {
    case 44: case 66: case 77: case 83: case 86: case 88: case 100: case 110:
    case 118: case 122: case 128: case 134: case 135: case 138: case 139: case 144: case 244:
        return true;
    default:
        return false;
    }
}

// Could these header bytes start an H.264 NAL unit of the kinds cameras send?
bool plausibleH264(QByteArrayView nal) noexcept
{
    const quint8 b = byteAt(nal, 0);
    if (b & 0x80)
        return false;
    const int type = b & 0x1F;
    const int refIdc = (b >> 5) & 3;
    switch (type) {
    case H264NalType::Slice:
        return true;
    case H264NalType::Idr:
    case H264NalType::Sps:
    case H264NalType::Pps:
        return refIdc != 0;
    case H264NalType::Sei:
    case H264NalType::Aud:
    case H264NalType::EndOfSequence:
    case H264NalType::EndOfStream:
    case H264NalType::FillerData:
        return refIdc == 0;
    default:
        return false;
    }
}

bool plausibleH265(QByteArrayView nal) noexcept
{
    if (nal.size() < 2)
        return false;
    const NalUnit unit(VideoCodec::H265, nal);
    if ((byteAt(nal, 0) & 0x80) || unit.layerId() != 0 || unit.temporalId() < 0)
        return false;
    const int type = unit.type();
    if (type <= H265NalType::RaslR)
        return true;
    if (type >= H265NalType::BlaWLp && type <= H265NalType::Cra)
        return unit.temporalId() == 0;
    if (type >= H265NalType::Vps && type <= H265NalType::SuffixSei)
        return type == H265NalType::PrefixSei || type == H265NalType::SuffixSei || type == H265NalType::Aud
               || type == H265NalType::FillerData || unit.temporalId() == 0;
    return false;
}

} // namespace

int NalUnit::type() const noexcept
{
    if (!hasHeader())
        return -1;
    const quint8 b = byteAt(m_bytes, 0);
    return m_codec == VideoCodec::H265 ? (b >> 1) & 0x3F : b & 0x1F;
}

int NalUnit::layerId() const noexcept
{
    if (m_codec != VideoCodec::H265 || !hasHeader())
        return 0;
    return ((byteAt(m_bytes, 0) & 1) << 5) | (byteAt(m_bytes, 1) >> 3);
}

int NalUnit::temporalId() const noexcept
{
    if (m_codec != VideoCodec::H265 || !hasHeader())
        return 0;
    return int(byteAt(m_bytes, 1) & 7) - 1;
}

bool NalUnit::isVcl() const noexcept
{
    const int t = type();
    if (m_codec == VideoCodec::H264)
        return t == H264NalType::Slice || t == H264NalType::SliceDataPartitionA || t == H264NalType::Idr;
    return t >= 0 && t <= H265NalType::LastVcl;
}

bool NalUnit::isRandomAccess() const noexcept
{
    const int t = type();
    if (m_codec == VideoCodec::H264)
        return t == H264NalType::Idr;
    return t >= H265NalType::BlaWLp && t <= H265NalType::ReservedIrap23;
}

bool NalUnit::isIdr() const noexcept
{
    const int t = type();
    if (m_codec == VideoCodec::H264)
        return t == H264NalType::Idr;
    return t == H265NalType::IdrWRadl || t == H265NalType::IdrNLp;
}

bool NalUnit::isParameterSet() const noexcept
{
    const int t = type();
    if (m_codec == VideoCodec::H264)
        return t == H264NalType::Sps || t == H264NalType::Pps;
    return t == H265NalType::Vps || t == H265NalType::Sps || t == H265NalType::Pps;
}

bool NalUnit::isAccessUnitDelimiter() const noexcept
{
    return type() == (m_codec == VideoCodec::H265 ? H265NalType::Aud : H264NalType::Aud);
}

StartCode NalUnit::findStartCode(QByteArrayView data, qsizetype from) noexcept
{
    const auto *bytes = reinterpret_cast<const quint8 *>(data.data());
    const qsizetype size = data.size();
    qsizetype i = qMax<qsizetype>(from, 0) + 2;
    while (i < size) {
        const void *hit = std::memchr(bytes + i, 1, size_t(size - i));
        if (!hit)
            break;
        i = static_cast<const quint8 *>(hit) - bytes;
        if (bytes[i - 1] == 0 && bytes[i - 2] == 0) {
            if (i - 3 >= from && bytes[i - 3] == 0)
                return {i - 3, 4};
            return {i - 2, 3};
        }
        // A later 01 needs two zeros after this nonzero byte, so it is at least 3 bytes on.
        i += 3;
    }
    return {};
}

QList<NalUnit> NalUnit::split(VideoCodec codec, QByteArrayView annexB)
{
    QList<NalUnit> units;
    StartCode sc = findStartCode(annexB);
    while (sc.found()) {
        const StartCode next = findStartCode(annexB, sc.end());
        qsizetype end = next.found() ? next.pos : annexB.size();
        while (end > sc.end() && annexB[end - 1] == 0)
            --end;
        if (end > sc.end())
            units.append(NalUnit(codec, annexB.sliced(sc.end(), end - sc.end())));
        sc = next;
    }
    return units;
}

QByteArray NalUnit::toRbsp(QByteArrayView nalBytes, qsizetype maxBytes)
{
    const qsizetype limit = maxBytes < 0 ? nalBytes.size() : qMin(maxBytes, nalBytes.size());
    QByteArray rbsp;
    rbsp.reserve(limit);
    int zeros = 0;
    for (qsizetype i = 0; i < nalBytes.size() && rbsp.size() < limit; ++i) {
        const char c = nalBytes[i];
        if (zeros >= 2 && c == 3) {
            zeros = 0;
            continue;
        }
        zeros = c == 0 ? zeros + 1 : 0;
        rbsp.append(c);
    }
    return rbsp;
}

VideoCodec NalUnit::sniffCodec(QByteArrayView annexB)
{
    int h264Votes = 0;
    int h265Votes = 0;
    int seen = 0;
    StartCode sc = findStartCode(annexB);
    while (sc.found() && seen < 64) {
        const StartCode next = findStartCode(annexB, sc.end());
        const qsizetype end = next.found() ? next.pos : annexB.size();
        const QByteArrayView nal = annexB.sliced(sc.end(), end - sc.end());
        sc = next;
        if (nal.isEmpty())
            continue;
        ++seen;
        const quint8 b0 = byteAt(nal, 0);
        // H.264 SPS headers (0x27, 0x47, 0x67) would be H.265 units of a non-base layer, and H.265
        // VPS/SPS headers (0x40 0x01, 0x42 0x01) H.264 types 0 and 2, so each test is conclusive.
        if (nal.size() >= 4 && (b0 & 0x9F) == H264NalType::Sps && (b0 & 0x60) && isKnownH264Profile(byteAt(nal, 1)))
            return VideoCodec::H264;
        if (nal.size() >= 4 && (b0 == 0x40 || b0 == 0x42) && byteAt(nal, 1) == 0x01)
            return VideoCodec::H265;
        h264Votes += plausibleH264(nal) ? 1 : 0;
        h265Votes += plausibleH265(nal) ? 1 : 0;
    }
    if (h264Votes > h265Votes)
        return VideoCodec::H264;
    if (h265Votes > h264Votes)
        return VideoCodec::H265;
    return VideoCodec::Unknown;
}

} // namespace Vigil::Media
