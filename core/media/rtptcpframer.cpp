#include "rtptcpframer.h"

#include "rtppacket.h"

#include <algorithm>

namespace Vigil::Media {

namespace {

/// While searching with a known SSRC, candidates with another SSRC are considered only after
/// this many bytes without a match: by then the device has most likely changed its SSRC.
constexpr qsizetype kAdoptAfterBytes = 64 * 1024;
/// Well-formed packets in a row that make a candidate without the session's SSRC believable.
constexpr int kChainLength = 3;

inline std::uint8_t byteAt(QByteArrayView data, qsizetype pos) noexcept
{
    return std::uint8_t(data[pos]);
}

inline std::uint32_t readU32(QByteArrayView data, qsizetype pos) noexcept
{
    return (std::uint32_t(byteAt(data, pos)) << 24) | (std::uint32_t(byteAt(data, pos + 1)) << 16)
        | (std::uint32_t(byteAt(data, pos + 2)) << 8) | std::uint32_t(byteAt(data, pos + 3));
}

} // namespace

RtpTcpFramer::RtpTcpFramer(const Options &options, Output output)
    : m_options(options)
    , m_output(std::move(output))
{
    Q_ASSERT(m_output);
    m_options.maxPacketSize = std::clamp<qsizetype>(m_options.maxPacketSize, RtpPacket::kFixedHeaderSize, 65535);
    reset();
    m_stats = {};
}

void RtpTcpFramer::reset()
{
    m_buffer.resize(0);
    m_readPos = 0;
    m_framing = m_options.framing;
    m_ssrc = m_options.ssrc;
    // Without the session's SSRC even the first packet has to prove itself (see candidate()).
    m_synced = m_ssrc.has_value();
    m_scanned = 0;
}

void RtpTcpFramer::feed(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return;
    if (m_readPos == m_buffer.size()) {
        // Nothing pending: cut packets straight out of the caller's bytes, keep only the rest.
        m_buffer.resize(0);
        m_readPos = 0;
        const qsizetype consumed = process(bytes);
        m_buffer.append(bytes.sliced(consumed));
        return;
    }
    if (m_readPos > 0 && m_readPos >= m_buffer.size() - m_readPos) {
        m_buffer.remove(0, m_readPos);
        m_readPos = 0;
    }
    m_buffer.append(bytes);
    m_readPos += process(QByteArrayView(m_buffer).sliced(m_readPos));
}

RtpTcpFramer::Peek RtpTcpFramer::peek(QByteArrayView data, qsizetype pos, RtpTcpFraming framing) const
{
    Peek result;
    result.framing = framing;
    result.prefix = framing == RtpTcpFraming::Interleaved ? 4 : 2;
    const qsizetype available = data.size() - pos;
    const auto needMore = [&result] {
        result.check = Check::NeedMore;
        return result;
    };
    if (framing == RtpTcpFraming::Interleaved) {
        if (available < 1)
            return needMore();
        if (byteAt(data, pos) != '$')
            return result;
        if (available < 2)
            return needMore();
        result.channel = byteAt(data, pos + 1);
    }
    const int prefix = result.prefix;
    if (available < prefix)
        return needMore();
    result.length = (qsizetype(byteAt(data, pos + prefix - 2)) << 8) | byteAt(data, pos + prefix - 1);
    if (result.length < 8 || result.length > m_options.maxPacketSize)
        return result;
    if (available < prefix + 1)
        return needMore();
    if ((byteAt(data, pos + prefix) >> 6) != 2)
        return result;
    if (available < prefix + 2)
        return needMore();
    const std::uint8_t type = byteAt(data, pos + prefix + 1);
    result.rtcp = type >= 192 && type <= 223;
    if (result.rtcp) {
        if (result.length % 4 != 0)
            return result;
        if (available < prefix + 8)
            return needMore();
        result.ssrc = readU32(data, pos + prefix + 4);
    } else {
        if (result.length < RtpPacket::kFixedHeaderSize)
            return result;
        if (available < prefix + 12)
            return needMore();
        result.ssrc = readU32(data, pos + prefix + 8);
    }
    result.check = Check::Ok;
    return result;
}

RtpTcpFramer::Peek RtpTcpFramer::peekAny(QByteArrayView data, qsizetype pos) const
{
    if (m_framing != RtpTcpFraming::Auto)
        return peek(data, pos, m_framing);
    if (pos >= data.size()) {
        Peek result;
        result.check = Check::NeedMore;
        return result;
    }
    const Peek rfc4571 = peek(data, pos, RtpTcpFraming::Rfc4571);
    if (byteAt(data, pos) != '$')
        return rfc4571;
    const Peek interleaved = peek(data, pos, RtpTcpFraming::Interleaved);
    if (interleaved.check == Check::Bad || rfc4571.check == Check::Bad)
        return interleaved.check == Check::Bad ? rfc4571 : interleaved;
    if (interleaved.check == Check::NeedMore || rfc4571.check == Check::NeedMore) {
        Peek result;
        result.check = Check::NeedMore;
        return result;
    }
    // Both read well (an RFC 4571 length of 0x24xx): the one the next packet agrees with wins.
    std::uint32_t ssrc = 0;
    const Check nextInterleaved = chain(data, pos, RtpTcpFraming::Interleaved, 2, ssrc);
    const Check nextRfc4571 = chain(data, pos, RtpTcpFraming::Rfc4571, 2, ssrc);
    if (nextInterleaved == Check::NeedMore || nextRfc4571 == Check::NeedMore) {
        Peek result;
        result.check = Check::NeedMore;
        return result;
    }
    return nextRfc4571 == Check::Ok && nextInterleaved != Check::Ok ? rfc4571 : interleaved;
}

RtpTcpFramer::Check RtpTcpFramer::chain(QByteArrayView data, qsizetype pos, RtpTcpFraming framing, int length,
                                        std::uint32_t &ssrc) const
{
    std::optional<std::uint32_t> seen;
    for (int i = 0; i < length; ++i) {
        const Peek next = peek(data, pos, framing);
        if (next.check != Check::Ok)
            return next.check;
        if (i == 0 && next.rtcp)
            return Check::Bad;
        // RTCP from the device carries the same SSRC as its RTP.
        if (seen && *seen != next.ssrc)
            return Check::Bad;
        seen = next.ssrc;
        pos += next.prefix + next.length;
    }
    ssrc = seen.value_or(0);
    return Check::Ok;
}

RtpTcpFramer::Check RtpTcpFramer::payloadStartsWithPackHeader(QByteArrayView data, qsizetype pos,
                                                              const Peek &peek) const
{
    // Only the plain header devices send (no CSRC, no extension): with those, garbage in front
    // of a real packet could shift the payload onto the real one's pack header.
    const qsizetype payload = pos + peek.prefix + RtpPacket::kFixedHeaderSize;
    if ((byteAt(data, pos + peek.prefix) & 0x1F) != 0 || payload + 4 > pos + peek.prefix + peek.length)
        return Check::Bad;
    if (payload + 4 > data.size())
        return Check::NeedMore;
    return data.sliced(payload, 4) == QByteArrayView("\x00\x00\x01\xBA", 4) ? Check::Ok : Check::Bad;
}

RtpTcpFramer::Check RtpTcpFramer::candidate(QByteArrayView data, qsizetype pos,
                                            std::optional<std::uint32_t> &adoptSsrc) const
{
    const Peek here = peekAny(data, pos);
    if (here.check != Check::Ok)
        return here.check;
    if (m_ssrc) {
        if (here.ssrc == *m_ssrc)
            return Check::Ok;
        if (m_scanned < kAdoptAfterBytes || here.rtcp)
            return Check::Bad;
    } else if (!here.rtcp) {
        const Check pack = payloadStartsWithPackHeader(data, pos, here);
        if (pack == Check::Ok)
            adoptSsrc = here.ssrc;
        if (pack != Check::Bad)
            return pack;
    }
    std::uint32_t ssrc = 0;
    const Check chained = chain(data, pos, here.framing, kChainLength, ssrc);
    if (chained == Check::Ok)
        adoptSsrc = ssrc;
    return chained;
}

qsizetype RtpTcpFramer::embeddedPacket(QByteArrayView data, qsizetype pos, const Peek &here) const
{
    if (!m_ssrc || here.rtcp)
        return -1;
    const char ssrc[4] = {char(*m_ssrc >> 24), char(*m_ssrc >> 16), char(*m_ssrc >> 8), char(*m_ssrc)};
    const qsizetype bodyStart = pos + here.prefix + RtpPacket::kFixedHeaderSize;
    const QByteArrayView frame = data.first(pos + here.prefix + here.length);
    for (qsizetype at = bodyStart;;) {
        const qsizetype hit = frame.indexOf(QByteArrayView(ssrc, 4), at);
        if (hit < 0)
            return -1;
        const qsizetype start = hit - 8 - here.prefix;
        if (start >= bodyStart) {
            const Peek inner = peek(data, start, here.framing);
            if (inner.check == Check::Ok && inner.ssrc == *m_ssrc)
                return start;
        }
        at = hit + 1;
    }
}

void RtpTcpFramer::loseSync()
{
    if (!m_synced)
        return;
    m_synced = false;
    m_scanned = 0;
    ++m_stats.resyncs;
}

qsizetype RtpTcpFramer::process(QByteArrayView data)
{
    qsizetype pos = 0;
    const qsizetype size = data.size();
    while (pos < size) {
        if (!m_synced) {
            std::optional<std::uint32_t> adopt;
            Check found = Check::Bad;
            while (pos < size) {
                found = candidate(data, pos, adopt);
                if (found != Check::Bad)
                    break;
                ++pos;
                ++m_scanned;
                ++m_stats.bytesSkipped;
            }
            if (found != Check::Ok)
                return pos;
            if (adopt) {
                if (m_ssrc && *m_ssrc != *adopt)
                    ++m_stats.ssrcChanges;
                m_ssrc = adopt;
            }
            m_synced = true;
            m_scanned = 0;
        }

        const Peek here = peekAny(data, pos);
        if (here.check == Check::NeedMore)
            return pos;
        bool valid = here.check == Check::Ok;
        bool newSsrc = false;
        if (valid && !here.rtcp && m_ssrc && here.ssrc != *m_ssrc) {
            // Another SSRC right at a packet boundary: believe it only if the stream goes on so.
            std::uint32_t ssrc = 0;
            const Check chained = chain(data, pos, here.framing, kChainLength, ssrc);
            if (chained == Check::NeedMore)
                return pos;
            valid = chained == Check::Ok;
            newSsrc = valid;
        }
        if (valid) {
            const qsizetype total = here.prefix + here.length;
            if (size - pos < total)
                return pos;
            const QByteArrayView packet = data.sliced(pos + here.prefix, here.length);
            if (here.rtcp || RtpPacket::parseHeader(packet)) {
                // The device dropped the end of this packet and what followed: the next packet
                // starts inside it. Go there and leave the broken one out.
                const qsizetype embedded = embeddedPacket(data, pos, here);
                if (embedded >= 0) {
                    loseSync();
                    m_stats.bytesSkipped += std::uint64_t(embedded - pos);
                    pos = embedded;
                    continue;
                }
                if (m_framing == RtpTcpFraming::Auto)
                    m_framing = here.framing;
                if (!here.rtcp) {
                    if (newSsrc)
                        ++m_stats.ssrcChanges;
                    m_ssrc = here.ssrc;
                    ++m_stats.rtpPackets;
                } else {
                    ++m_stats.rtcpPackets;
                }
                pos += total;
                m_output(Frame{packet, here.framing, here.channel, here.rtcp});
                continue;
            }
        }
        loseSync();
        ++pos;
        ++m_scanned;
        ++m_stats.bytesSkipped;
    }
    return pos;
}

} // namespace Vigil::Media
