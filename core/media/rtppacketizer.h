#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <cstdint>

namespace Vigil::Media {

/// Cuts one frame's bytes (a PS chunk from PsMuxer) into RTP packets (RFC 3550), as GB/T 28181
/// devices send PS over RTP:
///
/// - version 2, no padding, no extension, no CSRC; payload type 96 unless configured;
/// - sequence numbers continue from frame to frame and wrap at 65535;
/// - the timestamp is the frame's 90 kHz PTS modulo 2^32, the same on every packet of the frame
///   (mandatory since GB/T 28181-2022);
/// - payloads of at most maxPayloadBytes (1400 by default: 1412-byte packets fit an Ethernet
///   MTU with IP/UDP headers and a VPN or PPPoE layer); the marker bit on the last packet.
///
/// RFC 3550 wants a random first sequence number: the caller picks it (QRandomGenerator), which
/// keeps this class deterministic. Sans-I/O; not thread-safe.
class RtpPacketizer {
public:
    static constexpr int kHeaderBytes = 12;
    static constexpr int kDefaultMaxPayloadBytes = 1400;
    static constexpr std::uint8_t kDefaultPayloadType = 96;

    struct Options {
        std::uint32_t ssrc = 0;
        std::uint8_t payloadType = kDefaultPayloadType; ///< 0..127
        int maxPayloadBytes = kDefaultMaxPayloadBytes;  ///< 1..65523 (RFC 4571 frames hold 65535 bytes)
        std::uint16_t firstSequenceNumber = 0;
    };

    explicit RtpPacketizer(const Options &options);

    /// The packets of one frame, in sending order; none for an empty frame.
    QList<QByteArray> packetize(QByteArrayView frame, qint64 pts90k);

    std::uint32_t ssrc() const noexcept { return m_options.ssrc; }
    std::uint8_t payloadType() const noexcept { return m_options.payloadType; }
    int maxPayloadBytes() const noexcept { return m_options.maxPayloadBytes; }
    /// The sequence number the next packet will get.
    std::uint16_t nextSequenceNumber() const noexcept { return m_sequence; }

private:
    Options m_options;
    std::uint16_t m_sequence;
};

/// RFC 4571 framing for RTP over TCP (GB/T 28181 TCP media): the packet preceded by its length
/// as 2 bytes, big-endian. Packets must be at most 65535 bytes.
QByteArray frameRfc4571(QByteArrayView packet);
/// The same, appended to `out` (one buffer for a whole frame's packets).
void appendRfc4571(QByteArray &out, QByteArrayView packet);

} // namespace Vigil::Media
