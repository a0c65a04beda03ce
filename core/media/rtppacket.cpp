#include "rtppacket.h"

namespace Vigil::Media {

namespace {

inline std::uint16_t readU16(QByteArrayView bytes, qsizetype offset) noexcept
{
    return std::uint16_t((std::uint8_t(bytes[offset]) << 8) | std::uint8_t(bytes[offset + 1]));
}

inline std::uint32_t readU32(QByteArrayView bytes, qsizetype offset) noexcept
{
    return (std::uint32_t(std::uint8_t(bytes[offset])) << 24) | (std::uint32_t(std::uint8_t(bytes[offset + 1])) << 16)
        | (std::uint32_t(std::uint8_t(bytes[offset + 2])) << 8) | std::uint32_t(std::uint8_t(bytes[offset + 3]));
}

} // namespace

bool isRtcpPacket(QByteArrayView packet) noexcept
{
    if (packet.size() < 2)
        return false;
    const auto type = std::uint8_t(packet[1]);
    return type >= 192 && type <= 223;
}

Result<RtpHeader> RtpPacket::parseHeader(QByteArrayView packet)
{
    const qsizetype size = packet.size();
    if (size < kFixedHeaderSize)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("RTP packet too short: %1 bytes, the fixed header alone needs 12").arg(size));
    const auto first = std::uint8_t(packet[0]);
    const int version = first >> 6;
    if (version != 2)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("not RTP version 2: the version field is %1 (first byte 0x%2)")
                        .arg(version)
                        .arg(first, 2, 16, QLatin1Char('0')));

    RtpHeader header;
    const auto second = std::uint8_t(packet[1]);
    header.marker = (second & 0x80) != 0;
    header.payloadType = second & 0x7F;
    header.sequence = readU16(packet, 2);
    header.timestamp = readU32(packet, 4);
    header.ssrc = readU32(packet, 8);
    header.csrcCount = first & 0x0F;

    qsizetype offset = kFixedHeaderSize + 4 * qsizetype(header.csrcCount);
    if (offset > size)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("RTP packet of %1 bytes too short for its %2 CSRCs").arg(size).arg(header.csrcCount));

    header.hasExtension = (first & 0x10) != 0;
    if (header.hasExtension) {
        if (offset + 4 > size)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("RTP packet of %1 bytes ends inside its header extension").arg(size));
        header.extensionProfile = readU16(packet, offset);
        header.extensionSize = 4 * qsizetype(readU16(packet, offset + 2));
        header.extensionOffset = offset + 4;
        offset = header.extensionOffset + header.extensionSize;
        if (offset > size)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("RTP header extension of %1 bytes does not fit in a packet of %2 bytes")
                            .arg(header.extensionSize)
                            .arg(size));
    }

    if ((first & 0x20) != 0) {
        const auto padding = std::uint8_t(packet[size - 1]);
        if (padding == 0)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("RTP padding bit set but the padding count is 0"));
        if (padding > size - offset)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("RTP padding count %1 is more than the %2 bytes after the header")
                            .arg(padding)
                            .arg(size - offset));
        header.paddingSize = padding;
    }

    header.payloadOffset = offset;
    header.payloadSize = size - offset - header.paddingSize;
    return header;
}

Result<RtpPacket> RtpPacket::parse(QByteArray packet)
{
    auto header = parseHeader(packet);
    if (!header)
        return std::unexpected(header.error());
    RtpPacket result;
    result.m_bytes = std::move(packet);
    result.m_header = *header;
    return result;
}

std::uint32_t RtpPacket::csrc(int index) const noexcept
{
    Q_ASSERT(index >= 0 && index < m_header.csrcCount);
    return readU32(m_bytes, kFixedHeaderSize + 4 * qsizetype(index));
}

QByteArrayView RtpPacket::extensionData() const noexcept
{
    return QByteArrayView(m_bytes).sliced(m_header.extensionOffset, m_header.extensionSize);
}

QByteArrayView RtpPacket::payload() const noexcept
{
    return QByteArrayView(m_bytes).sliced(m_header.payloadOffset, m_header.payloadSize);
}

} // namespace Vigil::Media
