#include "rtppacketizer.h"

#include <algorithm>

namespace Vigil::Media {

RtpPacketizer::RtpPacketizer(const Options &options) : m_options(options), m_sequence(options.firstSequenceNumber)
{
    Q_ASSERT(options.payloadType < 128);
    Q_ASSERT(options.maxPayloadBytes > 0 && options.maxPayloadBytes <= 0xFFFF - kHeaderBytes);
}

QList<QByteArray> RtpPacketizer::packetize(QByteArrayView frame, qint64 pts90k)
{
    QList<QByteArray> packets;
    if (frame.isEmpty())
        return packets;
    const qsizetype max = m_options.maxPayloadBytes;
    packets.reserve((frame.size() + max - 1) / max);
    const auto timestamp = std::uint32_t(std::uint64_t(pts90k) & 0xFFFFFFFFu);
    const std::uint32_t ssrc = m_options.ssrc;
    for (qsizetype offset = 0; offset < frame.size(); offset += max) {
        const qsizetype size = qMin(max, frame.size() - offset);
        const bool last = offset + size == frame.size();
        QByteArray packet(kHeaderBytes + size, Qt::Uninitialized);
        auto *h = reinterpret_cast<std::uint8_t *>(packet.data());
        h[0] = 0x80; // V=2, P=0, X=0, CC=0
        h[1] = std::uint8_t((last ? 0x80 : 0x00) | m_options.payloadType);
        h[2] = std::uint8_t(m_sequence >> 8);
        h[3] = std::uint8_t(m_sequence);
        h[4] = std::uint8_t(timestamp >> 24);
        h[5] = std::uint8_t(timestamp >> 16);
        h[6] = std::uint8_t(timestamp >> 8);
        h[7] = std::uint8_t(timestamp);
        h[8] = std::uint8_t(ssrc >> 24);
        h[9] = std::uint8_t(ssrc >> 16);
        h[10] = std::uint8_t(ssrc >> 8);
        h[11] = std::uint8_t(ssrc);
        std::copy_n(frame.data() + offset, size, packet.data() + kHeaderBytes);
        packets.append(std::move(packet));
        ++m_sequence; // wraps at 65535 by unsigned arithmetic
    }
    return packets;
}

void appendRfc4571(QByteArray &out, QByteArrayView packet)
{
    Q_ASSERT(packet.size() <= 0xFFFF);
    out.append(char((packet.size() >> 8) & 0xFF));
    out.append(char(packet.size() & 0xFF));
    out.append(packet);
}

QByteArray frameRfc4571(QByteArrayView packet)
{
    QByteArray out;
    out.reserve(2 + packet.size());
    appendRfc4571(out, packet);
    return out;
}

} // namespace Vigil::Media
