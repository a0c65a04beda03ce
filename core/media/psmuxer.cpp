#include "psmuxer.h"

#include <array>

namespace Vigil::Media {

namespace {

constexpr qint64 kTimestampMask = (qint64(1) << 33) - 1;
constexpr qsizetype kPesFixedHeaderBytes = 9; // start code, stream_id, length, flags, header_data_length
// P-STD buffer bounds announced in the system header (receivers ignore them; they must merely
// be large enough): video 1 MiB in units of 1024 bytes, audio 8 KiB in units of 128 bytes.
constexpr std::uint16_t kVideoBufferBound1024 = 1024;
constexpr std::uint16_t kAudioBufferBound128 = 64;

constexpr std::array<std::uint32_t, 256> makeCrcTable()
{
    std::array<std::uint32_t, 256> table {};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t crc = i << 24;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
        table[i] = crc;
    }
    return table;
}

constexpr std::array<std::uint32_t, 256> kCrcTable = makeCrcTable();

void appendU8(QByteArray &out, unsigned value)
{
    out.append(char(value & 0xFF));
}

void appendU16(QByteArray &out, unsigned value)
{
    appendU8(out, value >> 8);
    appendU8(out, value);
}

void appendStartCode(QByteArray &out, std::uint8_t id)
{
    out.append("\x00\x00\x01", 3);
    appendU8(out, id);
}

qsizetype pesBytes(qsizetype payload, bool timed, bool withDts)
{
    const qsizetype firstHeader = kPesFixedHeaderBytes + (timed ? (withDts ? 10 : 5) : 0);
    const qsizetype firstRoom = PsMuxer::kMaxPesPacketLength + 6 - firstHeader;
    const qsizetype restRoom = PsMuxer::kMaxPesPacketLength + 6 - kPesFixedHeaderBytes;
    if (payload <= firstRoom)
        return firstHeader + payload;
    const qsizetype rest = payload - firstRoom;
    const qsizetype continuations = (rest + restRoom - 1) / restRoom;
    return firstHeader + firstRoom + continuations * kPesFixedHeaderBytes + rest;
}

} // namespace

PsMuxer::PsMuxer(VideoCodec video, AudioCodec audio, std::uint32_t muxRate50BytesPerSec)
    : m_video(video), m_audio(audio), m_muxRate(muxRate50BytesPerSec)
{
    Q_ASSERT(video != VideoCodec::Unknown);
    Q_ASSERT(muxRate50BytesPerSec > 0 && muxRate50BytesPerSec < (1u << 22));
    const bool hasAudio = audio != AudioCodec::Unknown;
    const int streams = hasAudio ? 2 : 1;

    // System header (2.5.3.5)
    QByteArray &sh = m_systemHeader;
    appendStartCode(sh, 0xBB);
    appendU16(sh, unsigned(6 + 3 * streams));
    appendU8(sh, 0x80 | (m_muxRate >> 15));         // marker, rate_bound[21:15]
    appendU8(sh, m_muxRate >> 7);                   // rate_bound[14:7]
    appendU8(sh, ((m_muxRate & 0x7F) << 1) | 0x01); // rate_bound[6:0], marker
    appendU8(sh, (hasAudio ? 1u : 0u) << 2);        // audio_bound, fixed_flag 0, CSPS_flag 0
    appendU8(sh, 0xE1);                             // audio/video lock, marker, video_bound 1
    appendU8(sh, 0x7F);                             // packet_rate_restriction 0, reserved
    appendU8(sh, kVideoStreamId);
    appendU16(sh, 0xC000u | 0x2000u | kVideoBufferBound1024); // '11', scale 1 (1024 B)
    if (hasAudio) {
        appendU8(sh, kAudioStreamId);
        appendU16(sh, 0xC000u | kAudioBufferBound128); // '11', scale 0 (128 B)
    }

    // Program stream map (2.5.4)
    QByteArray &psm = m_programStreamMap;
    appendStartCode(psm, 0xBC);
    appendU16(psm, unsigned(10 + 4 * streams));
    appendU8(psm, 0xE0); // current_next_indicator 1, reserved '11', version 0
    appendU8(psm, 0xFF); // reserved, marker
    appendU16(psm, 0);   // program_stream_info_length
    appendU16(psm, unsigned(4 * streams));
    appendU8(psm, std::uint8_t(psStreamType(video)));
    appendU8(psm, kVideoStreamId);
    appendU16(psm, 0);
    if (hasAudio) {
        appendU8(psm, std::uint8_t(psStreamType(audio)));
        appendU8(psm, kAudioStreamId);
        appendU16(psm, 0);
    }
    const std::uint32_t crc = crc32Mpeg2(psm);
    appendU16(psm, crc >> 16);
    appendU16(psm, crc & 0xFFFF);
}

QByteArray PsMuxer::mux(const AccessUnit &accessUnit)
{
    Q_ASSERT(accessUnit.codec == m_video || accessUnit.codec == VideoCodec::Unknown);
    const bool timed = accessUnit.pts90k != kNoTimestamp;
    const bool withDts = timed && accessUnit.dts90k != kNoTimestamp && accessUnit.dts90k != accessUnit.pts90k;
    const bool writeMap = accessUnit.keyFrame || !m_wroteMap;

    QByteArray out;
    out.reserve(kPackHeaderBytes + (writeMap ? m_systemHeader.size() + m_programStreamMap.size() : 0)
                + pesBytes(accessUnit.data.size(), timed, withDts));
    appendPackHeader(out, nextScr(withDts ? accessUnit.dts90k : accessUnit.pts90k), m_muxRate);
    if (writeMap) {
        out.append(m_systemHeader);
        out.append(m_programStreamMap);
        m_wroteMap = true;
    }
    appendPes(out, kVideoStreamId, accessUnit.data, accessUnit.pts90k, accessUnit.dts90k, true);
    return out;
}

QByteArray PsMuxer::mux(const AudioFrame &frame)
{
    Q_ASSERT(m_audio != AudioCodec::Unknown);
    const bool timed = frame.pts90k != kNoTimestamp;
    QByteArray out;
    out.reserve(kPackHeaderBytes + pesBytes(frame.data.size(), timed, false));
    appendPackHeader(out, nextScr(frame.pts90k), m_muxRate);
    appendPes(out, kAudioStreamId, frame.data, frame.pts90k, kNoTimestamp, m_audio == AudioCodec::Aac);
    return out;
}

qint64 PsMuxer::nextScr(qint64 ticks90k)
{
    if (ticks90k != kNoTimestamp && ticks90k > m_lastScr)
        m_lastScr = ticks90k;
    return m_lastScr;
}

void PsMuxer::appendPackHeader(QByteArray &out, qint64 scr90k, std::uint32_t muxRate50BytesPerSec)
{
    const std::uint64_t scr = std::uint64_t(scr90k) & std::uint64_t(kTimestampMask);
    constexpr unsigned scrExtension = 0;
    appendStartCode(out, 0xBA);
    appendU8(out, 0x44 | ((scr >> 27) & 0x38) | ((scr >> 28) & 0x03)); // '01', SCR[32:30], marker, SCR[29:28]
    appendU8(out, unsigned(scr >> 20));                                  // SCR[27:20]
    appendU8(out, ((scr >> 12) & 0xF8) | 0x04 | ((scr >> 13) & 0x03));   // SCR[19:15], marker, SCR[14:13]
    appendU8(out, unsigned(scr >> 5));                                   // SCR[12:5]
    appendU8(out, ((scr << 3) & 0xF8) | 0x04 | (scrExtension >> 7));    // SCR[4:0], marker, ext[8:7]
    appendU8(out, ((scrExtension << 1) & 0xFE) | 0x01);                  // ext[6:0], marker
    appendU8(out, muxRate50BytesPerSec >> 14);                           // program_mux_rate[21:14]
    appendU8(out, muxRate50BytesPerSec >> 6);                            // program_mux_rate[13:6]
    appendU8(out, ((muxRate50BytesPerSec & 0x3F) << 2) | 0x03);          // program_mux_rate[5:0], markers
    appendU8(out, 0xF8);                                                 // reserved, pack_stuffing_length 0
}

void PsMuxer::appendTimestamp(QByteArray &out, std::uint8_t prefix, qint64 ticks90k)
{
    const std::uint64_t t = std::uint64_t(ticks90k) & std::uint64_t(kTimestampMask);
    appendU8(out, unsigned(prefix << 4) | ((t >> 29) & 0x0E) | 0x01);
    appendU8(out, unsigned(t >> 22));
    appendU8(out, ((t >> 14) & 0xFE) | 0x01);
    appendU8(out, unsigned(t >> 7));
    appendU8(out, ((t << 1) & 0xFE) | 0x01);
}

void PsMuxer::appendPes(QByteArray &out, std::uint8_t streamId, QByteArrayView payload, qint64 pts90k,
                        qint64 dts90k, bool dataAligned)
{
    const bool timed = pts90k != kNoTimestamp;
    const bool withDts = timed && dts90k != kNoTimestamp && dts90k != pts90k;
    qsizetype offset = 0;
    bool first = true;
    do {
        const qsizetype headerData = first && timed ? (withDts ? 10 : 5) : 0;
        const qsizetype room = kMaxPesPacketLength - 3 - headerData;
        const qsizetype take = qMin(room, payload.size() - offset);
        appendStartCode(out, streamId);
        appendU16(out, unsigned(3 + headerData + take));
        appendU8(out, first && dataAligned ? 0x84 : 0x80); // '10', data_alignment_indicator
        appendU8(out, headerData == 10 ? 0xC0 : headerData == 5 ? 0x80 : 0x00); // PTS_DTS_flags
        appendU8(out, unsigned(headerData));
        if (headerData > 0)
            appendTimestamp(out, withDts ? 0x3 : 0x2, pts90k);
        if (headerData == 10)
            appendTimestamp(out, 0x1, dts90k);
        out.append(payload.sliced(offset, take));
        offset += take;
        first = false;
    } while (offset < payload.size());
}

std::uint32_t PsMuxer::crc32Mpeg2(QByteArrayView bytes) noexcept
{
    std::uint32_t crc = 0xFFFFFFFFu;
    for (const char c : bytes)
        crc = (crc << 8) ^ kCrcTable[((crc >> 24) ^ std::uint8_t(c)) & 0xFF];
    return crc;
}

} // namespace Vigil::Media
