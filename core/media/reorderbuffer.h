#pragma once

#include "rtppacket.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace Vigil::Media {

/// How a packet released by the ReorderBuffer relates to the one released before it.
enum class Continuity : std::uint8_t {
    Continuous,  ///< its sequence number follows the previous packet's
    Gap,         ///< packets before it were lost; the consumer must resynchronise
    StreamStart, ///< the first packet of a stream: the very first, or after a stream reset
};

/// Counters of a ReorderBuffer since it was made. Packets are RTP packets.
struct ReorderStats {
    std::uint64_t received = 0;   ///< every packet pushed
    std::uint64_t released = 0;   ///< handed to the output
    std::uint64_t lost = 0;       ///< sequence numbers given up on (never arrived in time)
    std::uint64_t reordered = 0;  ///< arrived after a later one, still in time, released in order
    std::uint64_t duplicates = 0; ///< same sequence number as one held or just released; dropped
    std::uint64_t late = 0;       ///< arrived after its place was released or given up; dropped
    std::uint64_t resets = 0;     ///< stream restarts (sequence jump or SSRC change, confirmed)
    std::uint64_t discarded = 0;  ///< far-off or foreign-SSRC packets that no stream followed; dropped
};

/// Puts the RTP packets of one stream back in sequence order (RFC 3550 sequence numbers,
/// 16-bit, wrapping), bounded in packets and in time.
///
/// push() stores a packet and releases, through the output callback, every packet that is now
/// in order. A missing packet is waited for until either `maxPackets` are held behind it or the
/// oldest held packet has waited `maxHoldMs`; then it is counted lost and the release goes on
/// with Continuity::Gap. Time is passed in (a monotonic clock in milliseconds, never going
/// back): the buffer reads no clock and starts no timer; its owner calls poll() at
/// nextDeadlineMs().
///
/// The first packets of a stream are held for `maxHoldMs` (or until `maxPackets` are held),
/// so that the stream can begin with a packet that arrived after a later one.
///
/// A sequence number far from the expected one (more than `maxDropout` ahead or `maxMisorder`
/// behind) or a new SSRC starts a new stream only when the next packet confirms it (follows it
/// in sequence with the same SSRC, as in RFC 3550 appendix A.1): what was held is released, and
/// the new stream starts with Continuity::StreamStart. A lone stray packet is discarded.
///
/// The slots are allocated once; storing a packet only moves its shared bytes in.
/// Not thread-safe; the output callback must not call back into the buffer.
class ReorderBuffer {
public:
    struct Options {
        int maxPackets = 256;      ///< packets held while waiting for a missing one (1..32768)
        qint64 maxHoldMs = 100;    ///< how long a packet may wait for a missing predecessor
        int maxDropout = 3000;     ///< a larger forward jump is a stream reset candidate
        int maxMisorder = 100;     ///< a larger backward step is a stream reset candidate
    };
    /// Receives each released packet, in sequence order; `lostBefore` counts the sequence
    /// numbers given up on just before it (0 unless continuity is Gap).
    using Output = std::function<void(const RtpPacket &packet, Continuity continuity, std::uint32_t lostBefore)>;

    ReorderBuffer(const Options &options, Output output);

    /// Adds a packet that arrived at `nowMs` and releases what is in order.
    void push(RtpPacket packet, qint64 nowMs);
    /// Releases what has waited long enough at `nowMs`.
    void poll(qint64 nowMs);
    /// When poll() has something to do; empty while nothing is held.
    std::optional<qint64> nextDeadlineMs() const;
    /// Releases everything held, in order, counting the holes as lost (end of the stream).
    void flush();
    /// Forgets the stream: drops what is held; the next packet starts a new stream. Keeps stats.
    void reset();

    int heldPackets() const noexcept { return m_held; }
    const ReorderStats &stats() const noexcept { return m_stats; }
    const Options &options() const noexcept { return m_options; }

private:
    enum class SlotState : std::uint8_t { Empty, Held, Released, GivenUp };
    struct Slot {
        RtpPacket packet;
        qint64 arrivalMs = 0;
        std::uint16_t sequence = 0;
        SlotState state = SlotState::Empty;
    };

    Slot &slotFor(std::uint16_t sequence) { return m_slots[sequence & m_mask]; }
    void startStream(std::uint32_t ssrc, std::uint16_t sequence);
    void store(RtpPacket &&packet, qint64 nowMs);
    void handleStray(RtpPacket &&packet, qint64 nowMs);
    void releaseInOrder();
    void releaseDue(qint64 nowMs);
    void advance(); ///< releases or gives up the slot at m_next and moves on
    void releaseHeld(Slot &slot);
    void recomputeOldest();

    Options m_options;
    Output m_output;
    std::vector<Slot> m_slots;
    std::uint16_t m_mask = 0;
    int m_window = 0;
    bool m_started = false;
    bool m_starting = false; ///< nothing of this stream released yet: its first packets may still come
    std::uint32_t m_ssrc = 0;
    std::uint16_t m_next = 0;     ///< next sequence number to release
    std::uint16_t m_highest = 0;  ///< highest sequence number accepted (relative to m_next)
    int m_held = 0;
    std::uint32_t m_pendingLost = 0;
    Continuity m_pendingContinuity = Continuity::StreamStart;
    std::optional<qint64> m_oldestArrivalMs; ///< of the packets held; stale while m_oldestDirty
    bool m_oldestDirty = false;
    RtpPacket m_probe; ///< a stray that may be the first packet of a new stream
    qint64 m_probeArrivalMs = 0;
    ReorderStats m_stats;
};

} // namespace Vigil::Media
