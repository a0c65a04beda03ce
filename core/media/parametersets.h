#pragma once

#include "common/result.h"
#include "mediatypes.h"
#include "nalunit.h"

#include <array>
#include <cstdint>
#include <optional>

namespace Vigil::Media {

/// The fields of an H.264 sequence parameter set that Vigil uses (slice headers, POC, size).
struct H264Sps {
    int id = 0;
    int profileIdc = 0;
    int levelIdc = 0;
    int chromaFormatIdc = 1;
    bool separateColourPlane = false;
    int log2MaxFrameNum = 4;
    int picOrderCntType = 0;
    int log2MaxPicOrderCntLsb = 4;
    bool deltaPicOrderAlwaysZero = false;
    bool frameMbsOnly = true;
    int width = 0;  ///< luma samples after cropping
    int height = 0; ///< luma samples after cropping (a frame, not a field)

    /// Parses an SPS NAL unit (header byte included) up to the frame cropping fields.
    static Result<H264Sps> parse(QByteArrayView nal);
};

struct H264Pps {
    int id = 0;
    int spsId = 0;
    bool bottomFieldPicOrderInFramePresent = false;

    static Result<H264Pps> parse(QByteArrayView nal);
};

struct H265Sps {
    int id = 0;
    int vpsId = 0;
    int chromaFormatIdc = 1;
    bool separateColourPlane = false;
    int width = 0;  ///< luma samples after the conformance window
    int height = 0;
    int log2MaxPicOrderCntLsb = 4;

    /// Parses an SPS NAL unit (2-byte header included) up to log2_max_pic_order_cnt_lsb.
    static Result<H265Sps> parse(QByteArrayView nal);
};

struct H265Pps {
    int id = 0;
    int spsId = 0;
    bool dependentSliceSegmentsEnabled = false;
    bool outputFlagPresent = false;
    int numExtraSliceHeaderBits = 0;

    static Result<H265Pps> parse(QByteArrayView nal);
};

/// The first fields of a slice header: what access unit boundaries and picture order need.
struct SliceHeader {
    int nalType = -1;
    bool idr = false;
    /// H.264: first_mb_in_slice == 0. H.265: first_slice_segment_in_pic_flag.
    bool firstInPicture = false;
    quint32 firstMbInSlice = 0; ///< H.264 only
    quint32 ppsId = 0;
    /// The referenced parameter sets were known, so the fields below were read.
    bool detailsKnown = false;

    // H.264 (7.4.1.2.4: these tell one primary coded picture from the next)
    int nalRefIdc = 0;
    quint32 frameNum = 0;
    bool fieldPic = false;
    bool bottomField = false;
    quint32 idrPicId = 0;
    int picOrderCntType = 0;
    qint32 deltaPicOrderCntBottom = 0;
    std::array<qint32, 2> deltaPicOrderCnt {};

    // both codecs: slice_pic_order_cnt_lsb / pic_order_cnt_lsb (H.265: first slice of a picture)
    quint32 picOrderCntLsb = 0;
    int log2MaxPicOrderCntLsb = 4; ///< from the SPS, for picture order count arithmetic
    int temporalId = 0;            ///< H.265
};

/// The parameter sets seen so far in one video stream, indexed by id, and the slice-header
/// reader that needs them. Keeps only the parsed fields (a few bytes per set).
class ParameterSets {
public:
    explicit ParameterSets(VideoCodec codec = VideoCodec::Unknown) : m_codec(codec) {}

    VideoCodec codec() const noexcept { return m_codec; }

    /// Takes note of a NAL unit: parameter sets are parsed and stored (a later set with the same
    /// id replaces the earlier one); other units are ignored. An error says why a parameter set
    /// could not be parsed; it still counts as seen.
    Result<void> add(const NalUnit &nal);

    /// Whether SPS and PPS (and VPS for H.265) units have been seen, parsed or not: the
    /// condition for calling an IDR/IRAP picture a key frame.
    bool complete() const noexcept;

    /// Reads the first fields of a VCL NAL unit's slice header. Only the first
    /// few dozen bytes are needed. Empty when even first_mb_in_slice / the first flag and the
    /// PPS id cannot be read.
    std::optional<SliceHeader> readSliceHeader(const NalUnit &nal) const;

    const H264Sps *h264Sps(int id) const;
    const H264Pps *h264Pps(int id) const;
    const H265Sps *h265Sps(int id) const;
    const H265Pps *h265Pps(int id) const;

    void clear();

private:
    std::optional<SliceHeader> readH264(const NalUnit &nal) const;
    std::optional<SliceHeader> readH265(const NalUnit &nal) const;

    VideoCodec m_codec;
    bool m_seenVps = false;
    bool m_seenSps = false;
    bool m_seenPps = false;
    std::array<std::optional<H264Sps>, 32> m_h264Sps;
    std::array<std::optional<H264Pps>, 256> m_h264Pps;
    std::array<std::optional<H265Sps>, 16> m_h265Sps;
    std::array<std::optional<H265Pps>, 64> m_h265Pps;
};

} // namespace Vigil::Media
