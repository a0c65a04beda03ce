#pragma once

#include "mediatypes.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace Vigil::Media {

/// nal_unit_type values of H.264 (ITU-T H.264 table 7-1) that Vigil looks at.
namespace H264NalType {
inline constexpr int Slice = 1;
inline constexpr int SliceDataPartitionA = 2;
inline constexpr int SliceDataPartitionB = 3;
inline constexpr int SliceDataPartitionC = 4;
inline constexpr int Idr = 5;
inline constexpr int Sei = 6;
inline constexpr int Sps = 7;
inline constexpr int Pps = 8;
inline constexpr int Aud = 9;
inline constexpr int EndOfSequence = 10;
inline constexpr int EndOfStream = 11;
inline constexpr int FillerData = 12;
inline constexpr int SpsExtension = 13;
inline constexpr int Prefix = 14;
inline constexpr int SubsetSps = 15;
} // namespace H264NalType

/// nal_unit_type values of H.265 (ITU-T H.265 table 7-1) that Vigil looks at.
namespace H265NalType {
inline constexpr int TrailN = 0;
inline constexpr int RaslR = 9;
inline constexpr int BlaWLp = 16;
inline constexpr int IdrWRadl = 19;
inline constexpr int IdrNLp = 20;
inline constexpr int Cra = 21;
inline constexpr int ReservedIrap23 = 23;
inline constexpr int LastVcl = 31;
inline constexpr int Vps = 32;
inline constexpr int Sps = 33;
inline constexpr int Pps = 34;
inline constexpr int Aud = 35;
inline constexpr int EndOfSequence = 36;
inline constexpr int EndOfBitstream = 37;
inline constexpr int FillerData = 38;
inline constexpr int PrefixSei = 39;
inline constexpr int SuffixSei = 40;
} // namespace H265NalType

/// Where a start code sits in a buffer.
struct StartCode {
    qsizetype pos = -1; ///< offset of its first byte (a 0x00); -1 when there is none
    int size = 0;       ///< 3 (00 00 01) or 4 (00 00 00 01)

    bool found() const noexcept { return pos >= 0; }
    qsizetype end() const noexcept { return pos + size; } ///< where the NAL unit header starts
};

/// A view of one H.264 or H.265 NAL unit: header and payload, without the start code.
/// It does not own the bytes; they must outlive it.
class NalUnit {
public:
    NalUnit() = default;
    NalUnit(VideoCodec codec, QByteArrayView bytes) noexcept : m_codec(codec), m_bytes(bytes) {}

    VideoCodec codec() const noexcept { return m_codec; }
    QByteArrayView bytes() const noexcept { return m_bytes; }
    /// Header size: 1 byte in H.264, 2 in H.265.
    static constexpr int headerSize(VideoCodec codec) noexcept { return codec == VideoCodec::H265 ? 2 : 1; }
    /// True when the header is complete (the payload may be empty).
    bool hasHeader() const noexcept { return m_codec != VideoCodec::Unknown && m_bytes.size() >= headerSize(m_codec); }

    /// nal_unit_type: b & 0x1F in H.264, (b >> 1) & 0x3F in H.265; -1 without a header.
    int type() const noexcept;
    /// H.264 nal_ref_idc (0 = not used for reference).
    int nalRefIdc() const noexcept { return hasHeader() ? (quint8(m_bytes[0]) >> 5) & 3 : 0; }
    /// H.265 nuh_layer_id (0 = base layer).
    int layerId() const noexcept;
    /// H.265 TemporalId (nuh_temporal_id_plus1 - 1); -1 when the field is 0 (invalid).
    int temporalId() const noexcept;

    /// A slice of a picture (VCL NAL unit). For H.264 the types 1, 2 and 5 (a data partition B
    /// or C carries no slice header and counts as part of its picture, not as a VCL start).
    bool isVcl() const noexcept;
    /// H.264 IDR slice, H.265 IRAP slice (BLA, IDR, CRA, reserved IRAP types).
    bool isRandomAccess() const noexcept;
    /// H.264 IDR, H.265 IDR: picture order count and references start over.
    bool isIdr() const noexcept;
    bool isParameterSet() const noexcept;
    bool isAccessUnitDelimiter() const noexcept;

    /// The start code at or after `from`: 4 bytes when a zero byte precedes 00 00 01 inside the
    /// searched range. Uses memchr, so it runs at memory speed over slice data.
    static StartCode findStartCode(QByteArrayView data, qsizetype from = 0) noexcept;

    /// The NAL units of an Annex-B buffer, in order. Bytes before the first start code are
    /// skipped; trailing zero bytes (trailing_zero_8bits) are not part of a unit; empty units
    /// are left out. The views point into `annexB`.
    static QList<NalUnit> split(VideoCodec codec, QByteArrayView annexB);

    /// The RBSP of NAL unit bytes: emulation prevention bytes (the 03 in 00 00 03) removed.
    /// At most maxBytes of output (all when negative), which is enough to read a header cheaply.
    static QByteArray toRbsp(QByteArrayView nalBytes, qsizetype maxBytes = -1);

    /// Is this Annex-B data H.264 or H.265? Decided by the first parameter set (an H.264 SPS
    /// with a known profile_idc, an H.265 VPS or SPS of the base layer); without one, by which
    /// codec explains more of the NAL unit headers. Unknown when the bytes are neither or it is
    /// a tie. Looks at most at the first 64 NAL units.
    static VideoCodec sniffCodec(QByteArrayView annexB);

private:
    VideoCodec m_codec = VideoCodec::Unknown;
    QByteArrayView m_bytes;
};

} // namespace Vigil::Media
