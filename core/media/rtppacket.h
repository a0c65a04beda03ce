#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QByteArrayView>

#include <cstdint>

namespace Vigil::Media {

/// The fields of an RTP header (RFC 3550 section 5.1) and where the parts of the packet lie.
/// Offsets and sizes are in bytes from the first byte of the packet.
struct RtpHeader {
    bool marker = false;
    std::uint8_t payloadType = 0;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0; ///< in the payload type's clock (90 kHz for PS)
    std::uint32_t ssrc = 0;
    std::uint8_t csrcCount = 0;
    bool hasExtension = false;
    std::uint16_t extensionProfile = 0; ///< "defined by profile" field of the extension header
    qsizetype extensionOffset = 0;      ///< first byte of the extension data, after its 4-byte header
    qsizetype extensionSize = 0;        ///< bytes of extension data
    qsizetype payloadOffset = 0;
    qsizetype payloadSize = 0;
    qsizetype paddingSize = 0; ///< bytes of padding at the end (P bit), the count byte included
};

/// True when `packet` is RTCP rather than RTP when both share one transport (RFC 5761 section 4:
/// the second byte is an RTCP packet type, 192..223).
bool isRtcpPacket(QByteArrayView packet) noexcept;

/// One RTP packet: its bytes (implicitly shared, never copied by parse()) and the parsed header.
/// Cheap to copy and move; payload() and the other views point into bytes() and stay valid as
/// long as any copy lives.
///
/// parse() accepts what RFC 3550 allows: CSRCs, a header extension of any profile (skipped by its
/// length) and padding (dropped after checking its count). It refuses what it cannot read with a
/// message that says which field is wrong; it never reads outside the packet.
class RtpPacket {
public:
    static constexpr qsizetype kFixedHeaderSize = 12;

    RtpPacket() = default;

    /// Parses the header of `packet` without keeping the bytes.
    static Result<RtpHeader> parseHeader(QByteArrayView packet);
    /// Parses `packet` and keeps it (a shallow copy of the QByteArray).
    static Result<RtpPacket> parse(QByteArray packet);

    const RtpHeader &header() const noexcept { return m_header; }
    bool marker() const noexcept { return m_header.marker; }
    std::uint8_t payloadType() const noexcept { return m_header.payloadType; }
    std::uint16_t sequence() const noexcept { return m_header.sequence; }
    std::uint32_t timestamp() const noexcept { return m_header.timestamp; }
    std::uint32_t ssrc() const noexcept { return m_header.ssrc; }
    int csrcCount() const noexcept { return m_header.csrcCount; }
    /// The CSRC at `index` (0 <= index < csrcCount()).
    std::uint32_t csrc(int index) const noexcept;
    bool hasExtension() const noexcept { return m_header.hasExtension; }
    std::uint16_t extensionProfile() const noexcept { return m_header.extensionProfile; }
    QByteArrayView extensionData() const noexcept;
    /// The payload without header, CSRCs, extension and padding.
    QByteArrayView payload() const noexcept;
    const QByteArray &bytes() const noexcept { return m_bytes; }
    bool isNull() const noexcept { return m_bytes.isNull(); }

private:
    QByteArray m_bytes;
    RtpHeader m_header;
};

} // namespace Vigil::Media
