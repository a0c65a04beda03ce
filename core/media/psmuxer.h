#pragma once

#include "mediatypes.h"

#include <QByteArray>
#include <QByteArrayView>

#include <cstdint>

namespace Vigil::Media {

/// Writes an MPEG-2 program stream (ISO/IEC 13818-1 2.5.3) the way GB/T 28181 devices send
/// it (Hikvision/Dahua layout, gb28181.md section 7.3), one contiguous chunk per frame:
///
///     video frame:  pack header | [system header | PSM] | E0 PES | E0 PES ...
///     audio frame:  pack header | C0 PES
///
/// - Pack header: 14 bytes, no stuffing, SCR = the frame's DTS (PTS without B-frames), never
///   going backwards; program_mux_rate from the constructor.
/// - System header and program stream map before every key frame and before the first chunk,
///   so a receiver joining at any key frame learns the codecs. The PSM lists stream_type 0x1B
///   (H.264) or 0x24 (H.265) on 0xE0 and, when audio is configured, 0x90 (G.711A), 0x91
///   (G.711U) or 0x0F (AAC) on 0xC0, with a correct CRC_32.
/// - One PES per frame, split into several when it exceeds the 16-bit PES_packet_length:
///   the first carries PTS (and DTS when it differs) and data_alignment_indicator; the
///   continuations carry no timestamps.
/// - Audio frames get a pack of their own (as ZLMediaKit/media-server do), so audio never
///   waits for the next video frame.
///
/// Sans-I/O; not thread-safe.
class PsMuxer {
public:
    static constexpr std::uint8_t kVideoStreamId = 0xE0;
    static constexpr std::uint8_t kAudioStreamId = 0xC0;
    /// 20 Mbit/s in units of 50 bytes/s: above any camera stream, so no receiver throttles.
    static constexpr std::uint32_t kDefaultMuxRate = 50'000;
    static constexpr qsizetype kPackHeaderBytes = 14;
    static constexpr qsizetype kMaxPesPacketLength = 0xFFFF;

    explicit PsMuxer(VideoCodec video, AudioCodec audio = AudioCodec::Unknown,
                     std::uint32_t muxRate50BytesPerSec = kDefaultMuxRate);

    VideoCodec videoCodec() const noexcept { return m_video; }
    AudioCodec audioCodec() const noexcept { return m_audio; }

    /// The PS chunk for one access unit (its codec must be the muxer's video codec).
    QByteArray mux(const AccessUnit &accessUnit);
    /// The PS chunk for one audio frame; needs an audio codec configured.
    QByteArray mux(const AudioFrame &frame);

    // The pieces, for tests and for anyone writing PS by hand.

    static void appendPackHeader(QByteArray &out, qint64 scr90k, std::uint32_t muxRate50BytesPerSec);
    /// PES packets of one stream carrying `payload`, split at the PES length limit. pts90k
    /// kNoTimestamp: no timestamps; dts90k written only when it differs from pts90k.
    static void appendPes(QByteArray &out, std::uint8_t streamId, QByteArrayView payload, qint64 pts90k,
                          qint64 dts90k, bool dataAligned);
    /// A 33-bit PTS/DTS field: 4-bit prefix (2 PTS only, 3 PTS before DTS, 1 DTS) and markers.
    static void appendTimestamp(QByteArray &out, std::uint8_t prefix, qint64 ticks90k);
    /// CRC-32/MPEG-2 (polynomial 0x04C11DB7, initial 0xFFFFFFFF, no reflection, no final xor).
    /// Over a PSM including its CRC field the result is 0.
    static std::uint32_t crc32Mpeg2(QByteArrayView bytes) noexcept;

    /// The system header and program stream map this muxer writes before key frames.
    QByteArray systemHeader() const { return m_systemHeader; }
    QByteArray programStreamMap() const { return m_programStreamMap; }

private:
    qint64 nextScr(qint64 ticks90k);

    VideoCodec m_video;
    AudioCodec m_audio;
    std::uint32_t m_muxRate;
    QByteArray m_systemHeader;
    QByteArray m_programStreamMap;
    qint64 m_lastScr = 0;
    bool m_wroteMap = false;
};

} // namespace Vigil::Media
