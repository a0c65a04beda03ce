#include "parametersets.h"

#include "bitreader.h"

using namespace Qt::StringLiterals;

namespace Vigil::Media {

namespace {

// A parameter set is parsed only up to the fields Vigil needs; scaling lists can make that
// part of an H.264 SPS long, so allow a few kilobytes. Slice headers need far less.
constexpr qsizetype kParameterSetParseBytes = 4096;
constexpr qsizetype kSliceHeaderParseBytes = 96;
constexpr int kMaxPictureSide = 16384;

std::unexpected<Error> parseError(const char *what, QLatin1StringView reason)
{
    return fail(ErrorCode::InvalidArgument, QLatin1StringView(what) + u": "_s + reason);
}

void skipH264ScalingList(BitReader &r, int size)
{
    int lastScale = 8;
    int nextScale = 8;
    for (int j = 0; j < size && r.ok(); ++j) {
        if (nextScale != 0) {
            const qint64 delta = r.se();
            nextScale = int(((lastScale + delta) % 256 + 256) % 256);
        }
        lastScale = nextScale == 0 ? lastScale : nextScale;
    }
}

bool isHighProfile(int profileIdc)
{
    switch (profileIdc) {
    case 44: case 83: case 86: case 100: case 110: case 118: case 122: case 128:
    case 134: case 135: case 138: case 139: case 144: case 244:
        return true;
    default:
        return false;
    }
}

// H.265 7.3.3 profile_tier_level(1, maxSubLayersMinus1)
void skipH265ProfileTierLevel(BitReader &r, int maxSubLayersMinus1)
{
    r.skip(88); // general profile space .. general_inbld/reserved
    r.skip(8);  // general_level_idc
    std::array<bool, 8> profilePresent {};
    std::array<bool, 8> levelPresent {};
    for (int i = 0; i < maxSubLayersMinus1; ++i) {
        profilePresent[size_t(i)] = r.flag();
        levelPresent[size_t(i)] = r.flag();
    }
    if (maxSubLayersMinus1 > 0)
        r.skip(2 * (8 - maxSubLayersMinus1));
    for (int i = 0; i < maxSubLayersMinus1; ++i) {
        if (profilePresent[size_t(i)])
            r.skip(88);
        if (levelPresent[size_t(i)])
            r.skip(8);
    }
}

} // namespace

Result<H264Sps> H264Sps::parse(QByteArrayView nal)
{
    const QByteArray rbsp = NalUnit::toRbsp(nal, kParameterSetParseBytes);
    BitReader r(rbsp);
    r.skip(8);
    H264Sps sps;
    sps.profileIdc = int(r.bits(8));
    r.skip(8); // constraint flags
    sps.levelIdc = int(r.bits(8));
    const quint32 id = r.ue();
    if (!r.ok() || id > 31)
        return parseError("H.264 SPS", "bad seq_parameter_set_id"_L1);
    sps.id = int(id);
    if (isHighProfile(sps.profileIdc)) {
        const quint32 chroma = r.ue();
        if (chroma > 3)
            return parseError("H.264 SPS", "bad chroma_format_idc"_L1);
        sps.chromaFormatIdc = int(chroma);
        if (chroma == 3)
            sps.separateColourPlane = r.flag();
        if (r.ue() > 6 || r.ue() > 6) // bit_depth_luma_minus8, bit_depth_chroma_minus8
            return parseError("H.264 SPS", "bad bit depth"_L1);
        r.skip(1); // qpprime_y_zero_transform_bypass_flag
        if (r.flag()) { // seq_scaling_matrix_present_flag
            const int lists = chroma != 3 ? 8 : 12;
            for (int i = 0; i < lists && r.ok(); ++i) {
                if (r.flag())
                    skipH264ScalingList(r, i < 6 ? 16 : 64);
            }
        }
    }
    const quint32 log2MaxFrameNumMinus4 = r.ue();
    if (log2MaxFrameNumMinus4 > 12)
        return parseError("H.264 SPS", "bad log2_max_frame_num"_L1);
    sps.log2MaxFrameNum = int(log2MaxFrameNumMinus4) + 4;
    const quint32 pocType = r.ue();
    if (pocType > 2)
        return parseError("H.264 SPS", "bad pic_order_cnt_type"_L1);
    sps.picOrderCntType = int(pocType);
    if (pocType == 0) {
        const quint32 log2MaxPocLsbMinus4 = r.ue();
        if (log2MaxPocLsbMinus4 > 12)
            return parseError("H.264 SPS", "bad log2_max_pic_order_cnt_lsb"_L1);
        sps.log2MaxPicOrderCntLsb = int(log2MaxPocLsbMinus4) + 4;
    } else if (pocType == 1) {
        sps.deltaPicOrderAlwaysZero = r.flag();
        r.se(); // offset_for_non_ref_pic
        r.se(); // offset_for_top_to_bottom_field
        const quint32 cycle = r.ue();
        if (cycle > 255)
            return parseError("H.264 SPS", "bad num_ref_frames_in_pic_order_cnt_cycle"_L1);
        for (quint32 i = 0; i < cycle && r.ok(); ++i)
            r.se();
    }
    r.ue();    // max_num_ref_frames
    r.skip(1); // gaps_in_frame_num_value_allowed_flag
    const quint32 widthInMbs = r.ue() + 1;
    const quint32 heightInMapUnits = r.ue() + 1;
    sps.frameMbsOnly = r.flag();
    if (!sps.frameMbsOnly)
        r.skip(1); // mb_adaptive_frame_field_flag
    r.skip(1);     // direct_8x8_inference_flag
    quint32 crop[4] = {0, 0, 0, 0};
    if (r.flag()) {
        for (quint32 &c : crop)
            c = r.ue();
    }
    if (!r.ok())
        return parseError("H.264 SPS", "truncated"_L1);
    const qint64 frameHeightInMbs = qint64(heightInMapUnits) * (sps.frameMbsOnly ? 1 : 2);
    if (qint64(widthInMbs) * 16 > kMaxPictureSide || frameHeightInMbs * 16 > kMaxPictureSide)
        return parseError("H.264 SPS", "picture size out of range"_L1);
    const int chromaArrayType = sps.separateColourPlane ? 0 : sps.chromaFormatIdc;
    const int subWidthC = chromaArrayType == 3 ? 1 : 2;
    const int subHeightC = chromaArrayType == 1 ? 2 : 1;
    const qint64 cropUnitX = chromaArrayType == 0 ? 1 : subWidthC;
    const qint64 cropUnitY = (chromaArrayType == 0 ? 1 : subHeightC) * (sps.frameMbsOnly ? 1 : 2);
    const qint64 width = qint64(widthInMbs) * 16 - cropUnitX * (qint64(crop[0]) + crop[1]);
    const qint64 height = frameHeightInMbs * 16 - cropUnitY * (qint64(crop[2]) + crop[3]);
    if (width <= 0 || height <= 0)
        return parseError("H.264 SPS", "cropping larger than the picture"_L1);
    sps.width = int(width);
    sps.height = int(height);
    return sps;
}

Result<H264Pps> H264Pps::parse(QByteArrayView nal)
{
    const QByteArray rbsp = NalUnit::toRbsp(nal, 32);
    BitReader r(rbsp);
    r.skip(8);
    H264Pps pps;
    const quint32 id = r.ue();
    const quint32 spsId = r.ue();
    r.skip(1); // entropy_coding_mode_flag
    pps.bottomFieldPicOrderInFramePresent = r.flag();
    if (!r.ok())
        return parseError("H.264 PPS", "truncated"_L1);
    if (id > 255 || spsId > 31)
        return parseError("H.264 PPS", "bad parameter set id"_L1);
    pps.id = int(id);
    pps.spsId = int(spsId);
    return pps;
}

Result<H265Sps> H265Sps::parse(QByteArrayView nal)
{
    const QByteArray rbsp = NalUnit::toRbsp(nal, kParameterSetParseBytes);
    BitReader r(rbsp);
    r.skip(16);
    H265Sps sps;
    sps.vpsId = int(r.bits(4));
    const int maxSubLayersMinus1 = int(r.bits(3));
    if (maxSubLayersMinus1 > 6)
        return parseError("H.265 SPS", "bad sps_max_sub_layers_minus1"_L1);
    r.skip(1); // sps_temporal_id_nesting_flag
    skipH265ProfileTierLevel(r, maxSubLayersMinus1);
    const quint32 id = r.ue();
    if (!r.ok() || id > 15)
        return parseError("H.265 SPS", "bad sps_seq_parameter_set_id"_L1);
    sps.id = int(id);
    const quint32 chroma = r.ue();
    if (chroma > 3)
        return parseError("H.265 SPS", "bad chroma_format_idc"_L1);
    sps.chromaFormatIdc = int(chroma);
    if (chroma == 3)
        sps.separateColourPlane = r.flag();
    const quint32 width = r.ue();
    const quint32 height = r.ue();
    quint32 window[4] = {0, 0, 0, 0};
    if (r.flag()) {
        for (quint32 &w : window)
            w = r.ue();
    }
    if (r.ue() > 8 || r.ue() > 8) // bit_depth_luma_minus8, bit_depth_chroma_minus8
        return parseError("H.265 SPS", "bad bit depth"_L1);
    const quint32 log2MaxPocLsbMinus4 = r.ue();
    if (!r.ok())
        return parseError("H.265 SPS", "truncated"_L1);
    if (log2MaxPocLsbMinus4 > 12)
        return parseError("H.265 SPS", "bad log2_max_pic_order_cnt_lsb"_L1);
    sps.log2MaxPicOrderCntLsb = int(log2MaxPocLsbMinus4) + 4;
    if (width == 0 || height == 0 || width > kMaxPictureSide || height > kMaxPictureSide)
        return parseError("H.265 SPS", "picture size out of range"_L1);
    const int chromaArrayType = sps.separateColourPlane ? 0 : sps.chromaFormatIdc;
    const qint64 subWidthC = (chromaArrayType == 1 || chromaArrayType == 2) ? 2 : 1;
    const qint64 subHeightC = chromaArrayType == 1 ? 2 : 1;
    const qint64 w = qint64(width) - subWidthC * (qint64(window[0]) + window[1]);
    const qint64 h = qint64(height) - subHeightC * (qint64(window[2]) + window[3]);
    if (w <= 0 || h <= 0)
        return parseError("H.265 SPS", "conformance window larger than the picture"_L1);
    sps.width = int(w);
    sps.height = int(h);
    return sps;
}

Result<H265Pps> H265Pps::parse(QByteArrayView nal)
{
    const QByteArray rbsp = NalUnit::toRbsp(nal, 32);
    BitReader r(rbsp);
    r.skip(16);
    H265Pps pps;
    const quint32 id = r.ue();
    const quint32 spsId = r.ue();
    pps.dependentSliceSegmentsEnabled = r.flag();
    pps.outputFlagPresent = r.flag();
    pps.numExtraSliceHeaderBits = int(r.bits(3));
    if (!r.ok())
        return parseError("H.265 PPS", "truncated"_L1);
    if (id > 63 || spsId > 15)
        return parseError("H.265 PPS", "bad parameter set id"_L1);
    pps.id = int(id);
    pps.spsId = int(spsId);
    return pps;
}

Result<void> ParameterSets::add(const NalUnit &nal)
{
    if (!nal.isParameterSet() || nal.layerId() != 0)
        return {};
    const QByteArrayView bytes = nal.bytes();
    const int type = nal.type();
    if (m_codec == VideoCodec::H264) {
        if (type == H264NalType::Sps) {
            m_seenSps = true;
            auto sps = H264Sps::parse(bytes);
            if (!sps)
                return std::unexpected(sps.error());
            m_h264Sps[size_t(sps->id)] = *sps;
        } else {
            m_seenPps = true;
            auto pps = H264Pps::parse(bytes);
            if (!pps)
                return std::unexpected(pps.error());
            m_h264Pps[size_t(pps->id)] = *pps;
        }
        return {};
    }
    switch (type) {
    case H265NalType::Vps:
        m_seenVps = true;
        break;
    case H265NalType::Sps: {
        m_seenSps = true;
        auto sps = H265Sps::parse(bytes);
        if (!sps)
            return std::unexpected(sps.error());
        m_h265Sps[size_t(sps->id)] = *sps;
        break;
    }
    default: {
        m_seenPps = true;
        auto pps = H265Pps::parse(bytes);
        if (!pps)
            return std::unexpected(pps.error());
        m_h265Pps[size_t(pps->id)] = *pps;
        break;
    }
    }
    return {};
}

bool ParameterSets::complete() const noexcept
{
    return m_seenSps && m_seenPps && (m_codec != VideoCodec::H265 || m_seenVps);
}

const H264Sps *ParameterSets::h264Sps(int id) const
{
    return id >= 0 && id < int(m_h264Sps.size()) && m_h264Sps[size_t(id)] ? &*m_h264Sps[size_t(id)] : nullptr;
}

const H264Pps *ParameterSets::h264Pps(int id) const
{
    return id >= 0 && id < int(m_h264Pps.size()) && m_h264Pps[size_t(id)] ? &*m_h264Pps[size_t(id)] : nullptr;
}

const H265Sps *ParameterSets::h265Sps(int id) const
{
    return id >= 0 && id < int(m_h265Sps.size()) && m_h265Sps[size_t(id)] ? &*m_h265Sps[size_t(id)] : nullptr;
}

const H265Pps *ParameterSets::h265Pps(int id) const
{
    return id >= 0 && id < int(m_h265Pps.size()) && m_h265Pps[size_t(id)] ? &*m_h265Pps[size_t(id)] : nullptr;
}

void ParameterSets::clear()
{
    *this = ParameterSets(m_codec);
}

std::optional<SliceHeader> ParameterSets::readSliceHeader(const NalUnit &nal) const
{
    if (!nal.isVcl() || nal.codec() != m_codec)
        return std::nullopt;
    return m_codec == VideoCodec::H264 ? readH264(nal) : readH265(nal);
}

std::optional<SliceHeader> ParameterSets::readH264(const NalUnit &nal) const
{
    const QByteArray rbsp = NalUnit::toRbsp(nal.bytes(), kSliceHeaderParseBytes);
    BitReader r(rbsp);
    r.skip(8);
    SliceHeader h;
    h.nalType = nal.type();
    h.idr = nal.isIdr();
    h.nalRefIdc = nal.nalRefIdc();
    h.firstMbInSlice = r.ue();
    const quint32 sliceType = r.ue();
    h.ppsId = r.ue();
    if (!r.ok() || sliceType > 9 || h.ppsId > 255)
        return std::nullopt;
    h.firstInPicture = h.firstMbInSlice == 0;

    const H264Pps *pps = h264Pps(int(h.ppsId));
    const H264Sps *sps = pps ? h264Sps(pps->spsId) : nullptr;
    if (!sps)
        return h;
    if (sps->separateColourPlane)
        r.skip(2); // colour_plane_id
    h.frameNum = r.bits(sps->log2MaxFrameNum);
    if (!sps->frameMbsOnly) {
        h.fieldPic = r.flag();
        if (h.fieldPic)
            h.bottomField = r.flag();
    }
    if (h.idr)
        h.idrPicId = r.ue();
    h.picOrderCntType = sps->picOrderCntType;
    h.log2MaxPicOrderCntLsb = sps->log2MaxPicOrderCntLsb;
    if (sps->picOrderCntType == 0) {
        h.picOrderCntLsb = r.bits(sps->log2MaxPicOrderCntLsb);
        if (pps->bottomFieldPicOrderInFramePresent && !h.fieldPic)
            h.deltaPicOrderCntBottom = r.se();
    }
    if (sps->picOrderCntType == 1 && !sps->deltaPicOrderAlwaysZero) {
        h.deltaPicOrderCnt[0] = r.se();
        if (pps->bottomFieldPicOrderInFramePresent && !h.fieldPic)
            h.deltaPicOrderCnt[1] = r.se();
    }
    h.detailsKnown = r.ok();
    return h;
}

std::optional<SliceHeader> ParameterSets::readH265(const NalUnit &nal) const
{
    const QByteArray rbsp = NalUnit::toRbsp(nal.bytes(), kSliceHeaderParseBytes);
    BitReader r(rbsp);
    r.skip(16);
    SliceHeader h;
    h.nalType = nal.type();
    h.idr = nal.isIdr();
    h.temporalId = nal.temporalId();
    h.firstInPicture = r.flag();
    if (nal.isRandomAccess())
        r.skip(1); // no_output_of_prior_pics_flag
    h.ppsId = r.ue();
    if (!r.ok() || h.ppsId > 63)
        return std::nullopt;

    // Only the first slice segment of a picture is read further: later ones would need the
    // picture size in CTBs for slice_segment_address, and nothing here needs them.
    const H265Pps *pps = h265Pps(int(h.ppsId));
    const H265Sps *sps = pps ? h265Sps(pps->spsId) : nullptr;
    if (!sps || !h.firstInPicture)
        return h;
    r.skip(pps->numExtraSliceHeaderBits); // slice_reserved_flag[]
    r.ue();                               // slice_type
    if (pps->outputFlagPresent)
        r.skip(1); // pic_output_flag
    if (sps->separateColourPlane)
        r.skip(2); // colour_plane_id
    h.log2MaxPicOrderCntLsb = sps->log2MaxPicOrderCntLsb;
    if (!h.idr)
        h.picOrderCntLsb = r.bits(sps->log2MaxPicOrderCntLsb);
    h.detailsKnown = r.ok();
    return h;
}

} // namespace Vigil::Media
