#pragma once

// Small value types shared by the send side (file reader, PS muxer, RTP packetizer) and the
// receive side (RTP, PS demuxer, decoder). Kept plain on purpose: no behaviour beyond names.

#include <QByteArray>
#include <QLatin1StringView>
#include <QtGlobal>

#include <cstdint>
#include <limits>

namespace Vigil::Media {

/// Every timestamp in Vigil::Media counts ticks of this clock: the 90 kHz clock of MPEG PES
/// PTS/DTS and of RTP video (GB/T 28181 uses it for audio packed in PS as well).
inline constexpr qint64 kClockRate90k = 90000;

/// A timestamp that is not known (a PES without PTS, a frame the container did not time).
inline constexpr qint64 kNoTimestamp = std::numeric_limits<qint64>::min();

enum class VideoCodec : std::uint8_t { Unknown, H264, H265 };

enum class AudioCodec : std::uint8_t {
    Unknown,
    G711A, ///< G.711 A-law (PCMA), 8 kHz mono in GB/T 28181
    G711U, ///< G.711 mu-law (PCMU)
    Aac,   ///< AAC with ADTS headers
};

/// One coded picture (an access unit in H.264/H.265 terms) as Annex-B bytes.
///
/// `data` holds every NAL unit of the picture with its start code, in stream order (AUD,
/// parameter sets and SEI included when the stream carries them). It is an implicitly shared
/// QByteArray: copying an AccessUnit does not copy the bytes, and whoever holds a copy owns it.
struct AccessUnit {
    VideoCodec codec = VideoCodec::Unknown;
    QByteArray data;
    qint64 pts90k = kNoTimestamp; ///< presentation time, 90 kHz ticks (kNoTimestamp if unknown)
    qint64 dts90k = kNoTimestamp; ///< decoding time, 90 kHz; equals pts90k for streams without B-frames
    /// An IDR picture (H.264) or IRAP picture (H.265) of a stream whose parameter sets (SPS and
    /// PPS, plus VPS for H.265) have been seen: a decoder can start here.
    bool keyFrame = false;
};

/// One audio frame: codec payload bytes without container headers (for AAC, one ADTS frame).
/// Same ownership rules as AccessUnit.
struct AudioFrame {
    AudioCodec codec = AudioCodec::Unknown;
    QByteArray data;
    qint64 pts90k = kNoTimestamp; ///< 90 kHz ticks, like video, so that both share one clock
    int sampleRateHz = 8000;
    int channelCount = 1;
};

constexpr QLatin1StringView codecName(VideoCodec codec) noexcept
{
    switch (codec) {
    case VideoCodec::H264: return QLatin1StringView("H.264");
    case VideoCodec::H265: return QLatin1StringView("H.265");
    case VideoCodec::Unknown: break;
    }
    return QLatin1StringView("unknown");
}

constexpr QLatin1StringView codecName(AudioCodec codec) noexcept
{
    switch (codec) {
    case AudioCodec::G711A: return QLatin1StringView("G.711A");
    case AudioCodec::G711U: return QLatin1StringView("G.711U");
    case AudioCodec::Aac: return QLatin1StringView("AAC");
    case AudioCodec::Unknown: break;
    }
    return QLatin1StringView("unknown");
}

/// stream_type of a program stream map entry (ISO/IEC 13818-1 table 2-34) with the values
/// GB/T 28181 assigns. Other values are kept as they are (the enum's range is all of uint8).
enum class PsStreamType : std::uint8_t {
    Unknown = 0x00,
    Mpeg1Video = 0x01,
    Mpeg2Video = 0x02,
    Mpeg1Audio = 0x03,
    Mpeg2Audio = 0x04,
    AacAdts = 0x0F,
    Mpeg4Visual = 0x10,
    AacLatm = 0x11,
    H264 = 0x1B,
    H265 = 0x24,
    SvacVideo = 0x80,
    G711A = 0x90,
    G711U = 0x91,
    G7221 = 0x92,
    G7231 = 0x93,
    G729 = 0x99,
    SvacAudio = 0x9B,
};

/// The PSM stream_type for a codec, Unknown (0) for Unknown.
constexpr PsStreamType psStreamType(VideoCodec codec) noexcept
{
    switch (codec) {
    case VideoCodec::H264: return PsStreamType::H264;
    case VideoCodec::H265: return PsStreamType::H265;
    case VideoCodec::Unknown: break;
    }
    return PsStreamType::Unknown;
}

constexpr PsStreamType psStreamType(AudioCodec codec) noexcept
{
    switch (codec) {
    case AudioCodec::G711A: return PsStreamType::G711A;
    case AudioCodec::G711U: return PsStreamType::G711U;
    case AudioCodec::Aac: return PsStreamType::AacAdts;
    case AudioCodec::Unknown: break;
    }
    return PsStreamType::Unknown;
}

/// The codec a PSM stream_type announces (Unknown when it is not a video type Vigil handles).
/// Devices get this wrong now and then: confirm with Nal::sniffCodec() on the payload.
constexpr VideoCodec videoCodecFromPsStreamType(PsStreamType streamType) noexcept
{
    switch (streamType) {
    case PsStreamType::H264: return VideoCodec::H264;
    case PsStreamType::H265: return VideoCodec::H265;
    default: return VideoCodec::Unknown;
    }
}

constexpr AudioCodec audioCodecFromPsStreamType(PsStreamType streamType) noexcept
{
    switch (streamType) {
    case PsStreamType::G711A: return AudioCodec::G711A;
    case PsStreamType::G711U: return AudioCodec::G711U;
    case PsStreamType::AacAdts: return AudioCodec::Aac;
    default: return AudioCodec::Unknown;
    }
}

} // namespace Vigil::Media
