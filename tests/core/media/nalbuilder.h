#pragma once

// Builds small but well-formed H.264/H.265 NAL units bit by bit for the media tests: parameter
// sets a parser can read and slice headers with chosen fields, followed by filler payload.

#include <QByteArray>
#include <QList>

#include <cstdint>

namespace Vigil::Media::Test {

class BitWriter {
public:
    void bits(std::uint64_t value, int count)
    {
        for (int i = count - 1; i >= 0; --i)
            bit(int((value >> i) & 1));
    }
    void flag(bool value) { bit(value ? 1 : 0); }
    void ue(std::uint32_t value)
    {
        const std::uint64_t v = std::uint64_t(value) + 1;
        int length = 0;
        while ((v >> length) > 1)
            ++length;
        bits(0, length);
        bits(v, length + 1);
    }
    void se(std::int32_t value) { ue(value > 0 ? std::uint32_t(2 * value - 1) : std::uint32_t(-2 * std::int64_t(value))); }
    /// rbsp_trailing_bits: a one, then zeros to the byte boundary.
    void trailing()
    {
        bit(1);
        while (m_count % 8 != 0)
            bit(0);
    }
    QByteArray bytes() const { return m_bytes; }

private:
    void bit(int b)
    {
        if (m_count % 8 == 0)
            m_bytes.append('\0');
        if (b)
            m_bytes[m_bytes.size() - 1] = char(quint8(m_bytes.back()) | (0x80 >> (m_count % 8)));
        ++m_count;
    }
    QByteArray m_bytes;
    qint64 m_count = 0;
};

/// Inserts emulation prevention bytes: 00 00 followed by 00..03 becomes 00 00 03 0x.
inline QByteArray escapeRbsp(const QByteArray &rbsp)
{
    QByteArray out;
    int zeros = 0;
    for (const char c : rbsp) {
        if (zeros >= 2 && quint8(c) <= 3) {
            out.append('\x03');
            zeros = 0;
        }
        out.append(c);
        zeros = c == 0 ? zeros + 1 : 0;
    }
    return out;
}

/// Filler payload that contains no zero bytes (so no start code can appear in it).
inline QByteArray filler(int size, char seed = 'a')
{
    QByteArray out(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        out[i] = char(0x11 + (seed + i * 7) % 0xEE);
    return out;
}

// H.264 -------------------------------------------------------------------------------------

struct H264SpsFields {
    int id = 0;
    int profileIdc = 66;
    int log2MaxFrameNum = 4;
    int pocType = 0;
    int log2MaxPocLsb = 6;
    int widthMbs = 20;
    int heightMapUnits = 15;
    bool frameMbsOnly = true;
    int cropRight = 0;  ///< in crop units (2 luma samples for 4:2:0)
    int cropBottom = 0;
};

inline QByteArray h264Sps(const H264SpsFields &f = {})
{
    BitWriter w;
    w.bits(0x67, 8);
    w.bits(quint32(f.profileIdc), 8);
    w.bits(0, 8);  // constraint flags
    w.bits(30, 8); // level 3.0
    w.ue(quint32(f.id));
    if (f.profileIdc == 100) {
        w.ue(1); // chroma_format_idc
        w.ue(0); // bit depth luma
        w.ue(0); // bit depth chroma
        w.flag(false);
        w.flag(false); // no scaling matrix
    }
    w.ue(quint32(f.log2MaxFrameNum - 4));
    w.ue(quint32(f.pocType));
    if (f.pocType == 0)
        w.ue(quint32(f.log2MaxPocLsb - 4));
    w.ue(1);      // max_num_ref_frames
    w.flag(false); // gaps
    w.ue(quint32(f.widthMbs - 1));
    w.ue(quint32(f.heightMapUnits - 1));
    w.flag(f.frameMbsOnly);
    if (!f.frameMbsOnly)
        w.flag(false); // mb_adaptive_frame_field_flag
    w.flag(true);      // direct_8x8_inference
    const bool crop = f.cropRight || f.cropBottom;
    w.flag(crop);
    if (crop) {
        w.ue(0);
        w.ue(quint32(f.cropRight));
        w.ue(0);
        w.ue(quint32(f.cropBottom));
    }
    w.flag(false); // vui
    w.trailing();
    return escapeRbsp(w.bytes());
}

inline QByteArray h264Pps(int id = 0, int spsId = 0, bool bottomFieldPicOrder = false)
{
    BitWriter w;
    w.bits(0x68, 8);
    w.ue(quint32(id));
    w.ue(quint32(spsId));
    w.flag(false); // CAVLC
    w.flag(bottomFieldPicOrder);
    w.ue(0); // num_slice_groups_minus1
    w.ue(0);
    w.ue(0);
    w.flag(false);
    w.bits(0, 2);
    w.se(0);
    w.se(0);
    w.se(0);
    w.flag(true);
    w.flag(false);
    w.flag(false);
    w.trailing();
    return escapeRbsp(w.bytes());
}

struct H264SliceFields {
    bool idr = false;
    int refIdc = 2;
    int firstMb = 0;
    int sliceType = 5; ///< 5 P, 7 I (all slices of the picture the same type)
    int ppsId = 0;
    int frameNum = 0;
    int idrPicId = 0;
    int pocLsb = 0;
    int log2MaxFrameNum = 4; ///< must match the SPS
    int log2MaxPocLsb = 6;   ///< must match the SPS
    int payloadBytes = 200;
};

inline QByteArray h264Slice(const H264SliceFields &f)
{
    BitWriter w;
    w.bits(quint32((f.refIdc << 5) | (f.idr ? 5 : 1)), 8);
    w.ue(quint32(f.firstMb));
    w.ue(quint32(f.sliceType));
    w.ue(quint32(f.ppsId));
    w.bits(quint32(f.frameNum), f.log2MaxFrameNum);
    if (f.idr)
        w.ue(quint32(f.idrPicId));
    w.bits(quint32(f.pocLsb), f.log2MaxPocLsb);
    w.trailing();
    return escapeRbsp(w.bytes()) + filler(f.payloadBytes, char(f.frameNum + f.firstMb));
}

inline QByteArray h264Nal(int type, int refIdc = 0, int payloadBytes = 8)
{
    return QByteArray(1, char((refIdc << 5) | type)) + filler(payloadBytes, char(type));
}

// H.265 -------------------------------------------------------------------------------------

inline QByteArray h265Header(int type, int temporalIdPlus1 = 1)
{
    QByteArray h(2, '\0');
    h[0] = char(type << 1);
    h[1] = char(temporalIdPlus1);
    return h;
}

inline QByteArray h265Vps()
{
    return h265Header(32) + QByteArray::fromHex("0c01ffff016000000300b0000003000003005dac09");
}

inline QByteArray h265Sps(int log2MaxPocLsb = 8)
{
    BitWriter w;
    w.bits(33 << 1, 8);
    w.bits(1, 8);
    w.bits(0, 4); // vps id
    w.bits(0, 3); // max_sub_layers_minus1
    w.flag(true);
    w.bits(0x01, 8); // profile space 0, tier 0, profile Main
    w.bits(0x60000000, 32);
    w.bits(0, 48);
    w.bits(93, 8); // level 3.1
    w.ue(0);       // sps id
    w.ue(1);       // 4:2:0
    w.ue(320);
    w.ue(240);
    w.flag(false); // conformance window
    w.ue(0);
    w.ue(0);
    w.ue(quint32(log2MaxPocLsb - 4));
    w.flag(false);
    w.trailing();
    return escapeRbsp(w.bytes());
}

inline QByteArray h265Pps()
{
    BitWriter w;
    w.bits(34 << 1, 8);
    w.bits(1, 8);
    w.ue(0);
    w.ue(0);
    w.flag(false); // dependent slices
    w.flag(false); // output flag
    w.bits(0, 3);
    w.flag(false);
    w.flag(false);
    w.trailing();
    return escapeRbsp(w.bytes());
}

struct H265SliceFields {
    int type = 1; ///< TRAIL_R
    bool first = true;
    int address = 0; ///< slice_segment_address of a later segment
    int pocLsb = 0;
    int log2MaxPocLsb = 8;
    int temporalIdPlus1 = 1;
    int payloadBytes = 200;
};

inline QByteArray h265Slice(const H265SliceFields &f)
{
    BitWriter w;
    w.bits(quint32(f.type << 1), 8);
    w.bits(quint32(f.temporalIdPlus1), 8);
    w.flag(f.first);
    if (f.type >= 16 && f.type <= 23)
        w.flag(false); // no_output_of_prior_pics_flag
    w.ue(0);           // pps id
    if (!f.first)
        w.bits(quint32(f.address), 9); // 320x240 with 64x64 CTBs fits in 9 bits
    w.ue(f.type >= 16 ? 2 : 1);       // I or P
    if (f.type != 19 && f.type != 20)
        w.bits(quint32(f.pocLsb), f.log2MaxPocLsb);
    w.trailing();
    return escapeRbsp(w.bytes()) + filler(f.payloadBytes, char(f.pocLsb + f.address));
}

// Annex B -------------------------------------------------------------------------------------

/// NAL units joined with start codes: 4-byte ones for the first unit and parameter sets, as
/// encoders write them, 3-byte ones otherwise (or all 4-byte when asked).
inline QByteArray annexB(const QList<QByteArray> &nals, bool allFourByte = false)
{
    QByteArray out;
    for (qsizetype i = 0; i < nals.size(); ++i) {
        const bool four = allFourByte || i == 0;
        out.append(four ? QByteArray::fromHex("00000001") : QByteArray::fromHex("000001"));
        out.append(nals.at(i));
    }
    return out;
}

} // namespace Vigil::Media::Test
