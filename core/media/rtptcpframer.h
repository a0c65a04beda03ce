#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <cstdint>
#include <functional>
#include <optional>

namespace Vigil::Media {

/// How RTP packets are delimited on a TCP connection.
enum class RtpTcpFraming : std::uint8_t {
    Auto,        ///< not known yet: decided by the first packet
    Rfc4571,     ///< 2-byte big-endian length, then the packet (GB/T 28181 Annex L/D)
    Interleaved, ///< '$', channel, 2-byte length, then the packet (RFC 2326 section 10.12)
};

/// Counters of an RtpTcpFramer since it was made or reset.
struct RtpTcpFramerStats {
    std::uint64_t rtpPackets = 0;
    std::uint64_t rtcpPackets = 0;
    std::uint64_t resyncs = 0;      ///< times the framing was lost and searched for again
    std::uint64_t bytesSkipped = 0; ///< bytes thrown away while searching
    std::uint64_t ssrcChanges = 0;  ///< times the stream continued with another SSRC
};

/// Cuts the RTP (and RTCP) packets out of the byte stream of one TCP media connection.
///
/// Both framings GB/T 28181 devices use are understood and told apart by the first packet
/// (or fixed in the options). Every length is checked against the packet it announces: RTP
/// version 2, a length between the smallest packet and `maxPacketSize`, a header that parses,
/// and the session's SSRC (given in the options, or learnt from the stream).
///
/// Devices that fall behind drop chunks of their send buffer: a packet then ends with the start
/// of a later one, and the length after it points into garbage. Instead of giving up the
/// connection the framer resynchronises and counts the resync and the bytes skipped:
///  - a packet with the start of another packet of the session inside it is dropped, and
///    framing goes on from that start;
///  - after an invalid length or header it searches forward for a plausible length followed by
///    an RTP header with the session's SSRC;
///  - while the SSRC is unknown (also for the very first packet when the options give none), a
///    packet counts when its payload starts with a PS pack header, or when three well-formed
///    packets with one SSRC follow each other;
///  - a stream that goes on with another SSRC (three well-formed packets that agree) is followed.
///
/// The decisions depend only on the bytes, never on how they were cut into feed() calls; a
/// candidate that needs more bytes to be judged (at most three packets) waits for them.
/// Not thread-safe; the output callback must not call back into the framer.
class RtpTcpFramer {
public:
    struct Options {
        RtpTcpFraming framing = RtpTcpFraming::Auto;
        /// Largest packet accepted, in bytes (12..65535); a longer length is taken for garbage.
        qsizetype maxPacketSize = 65535;
        /// The SSRC the session expects (the device's y=); empty to adopt the first packet's.
        std::optional<std::uint32_t> ssrc;
    };

    /// One packet cut from the stream. `packet` points into the framer's buffer or the bytes
    /// given to feed() and is valid only during the callback.
    struct Frame {
        QByteArrayView packet;
        RtpTcpFraming framing = RtpTcpFraming::Rfc4571;
        int channel = -1; ///< the interleaved channel; -1 for RFC 4571
        bool rtcp = false;
    };
    using Output = std::function<void(const Frame &frame)>;

    RtpTcpFramer(const Options &options, Output output);

    /// Adds the next bytes read from the connection and emits every complete packet.
    void feed(QByteArrayView bytes);
    /// Forgets buffered bytes, the detected framing and the adopted SSRC (new connection).
    void reset();

    RtpTcpFraming framing() const noexcept { return m_framing; }
    std::optional<std::uint32_t> ssrc() const noexcept { return m_ssrc; }
    /// Bytes held until more arrive (a partial packet, or a candidate being checked).
    qsizetype bufferedBytes() const noexcept { return m_buffer.size() - m_readPos; }
    const RtpTcpFramerStats &stats() const noexcept { return m_stats; }

private:
    enum class Check : std::uint8_t { Bad, NeedMore, Ok };
    struct Peek {
        Check check = Check::Bad;
        RtpTcpFraming framing = RtpTcpFraming::Rfc4571;
        int prefix = 2;
        qsizetype length = 0;
        int channel = -1;
        bool rtcp = false;
        std::uint32_t ssrc = 0;
    };

    qsizetype process(QByteArrayView data);
    Peek peek(QByteArrayView data, qsizetype pos, RtpTcpFraming framing) const;
    Peek peekAny(QByteArrayView data, qsizetype pos) const;
    /// Checks `length` packets in a row from `pos`, the first RTP, all with one SSRC (given back).
    Check chain(QByteArrayView data, qsizetype pos, RtpTcpFraming framing, int length, std::uint32_t &ssrc) const;
    Check payloadStartsWithPackHeader(QByteArrayView data, qsizetype pos, const Peek &peek) const;
    Check candidate(QByteArrayView data, qsizetype pos, std::optional<std::uint32_t> &adoptSsrc) const;
    /// Where another packet with the session's SSRC starts inside the packet at `pos`, or -1.
    qsizetype embeddedPacket(QByteArrayView data, qsizetype pos, const Peek &peek) const;
    void loseSync();

    Options m_options;
    Output m_output;
    QByteArray m_buffer;
    qsizetype m_readPos = 0;
    RtpTcpFraming m_framing = RtpTcpFraming::Auto;
    std::optional<std::uint32_t> m_ssrc;
    bool m_synced = true;
    qsizetype m_scanned = 0; ///< bytes skipped in the current search
    RtpTcpFramerStats m_stats;
};

} // namespace Vigil::Media
