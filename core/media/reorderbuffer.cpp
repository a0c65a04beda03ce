#include "reorderbuffer.h"

#include <algorithm>

namespace Vigil::Media {

namespace {

/// Distance from `from` forward to `to` in 16-bit sequence space (0..65535).
inline int forwardDistance(std::uint16_t from, std::uint16_t to) noexcept
{
    return std::uint16_t(to - from);
}

} // namespace

ReorderBuffer::ReorderBuffer(const Options &options, Output output)
    : m_options(options)
    , m_output(std::move(output))
{
    Q_ASSERT(m_output);
    m_options.maxPackets = std::clamp(m_options.maxPackets, 1, 32768);
    m_options.maxHoldMs = std::max<qint64>(m_options.maxHoldMs, 0);
    m_options.maxMisorder = std::clamp(m_options.maxMisorder, 0, 16384);
    m_options.maxDropout = std::clamp(m_options.maxDropout, 1, 32768);
    // At least 2 slots: a confirmed stream reset stores two packets before releasing any.
    int size = 2;
    while (size < m_options.maxPackets)
        size <<= 1;
    m_slots.resize(std::size_t(size));
    m_mask = std::uint16_t(size - 1);
    m_window = size;
}

void ReorderBuffer::push(RtpPacket packet, qint64 nowMs)
{
    Q_ASSERT(!packet.isNull());
    ++m_stats.received;
    if (!m_started) {
        startStream(packet.ssrc(), packet.sequence());
        store(std::move(packet), nowMs);
        releaseInOrder();
        releaseDue(nowMs);
        return;
    }
    if (packet.ssrc() != m_ssrc) {
        handleStray(std::move(packet), nowMs);
        return;
    }

    const std::uint16_t sequence = packet.sequence();
    const int forward = forwardDistance(m_next, sequence);
    if (forward < m_options.maxDropout) {
        if (forward < m_window) {
            const Slot &slot = slotFor(sequence);
            if (slot.state == SlotState::Held && slot.sequence == sequence) {
                ++m_stats.duplicates;
                return;
            }
        }
        if (forwardDistance(m_next, sequence) >= m_window)
            m_starting = false; // far ahead: what is held has to go now
        while (forwardDistance(m_next, sequence) >= m_window)
            advance();
        if (std::int16_t(sequence - m_highest) < 0)
            ++m_stats.reordered;
        else
            m_highest = sequence;
        if (!m_probe.isNull()) {
            ++m_stats.discarded; // the stream went on: the stray was not a new stream
            m_probe = RtpPacket();
        }
        store(std::move(packet), nowMs);
        releaseInOrder();
        releaseDue(nowMs);
        return;
    }

    const int backward = 0x10000 - forward;
    if (m_starting && backward <= m_options.maxMisorder
        && forwardDistance(sequence, m_highest) < std::min(m_window, m_options.maxPackets)) {
        // Nothing released yet: the stream simply starts earlier than its first packet said.
        m_next = sequence;
        ++m_stats.reordered;
        store(std::move(packet), nowMs);
        releaseInOrder();
        releaseDue(nowMs);
        return;
    }
    if (backward <= m_options.maxMisorder) {
        const Slot &slot = slotFor(sequence);
        if (backward <= m_window && slot.sequence == sequence && slot.state == SlotState::Released)
            ++m_stats.duplicates;
        else
            ++m_stats.late;
        return;
    }
    handleStray(std::move(packet), nowMs);
}

void ReorderBuffer::handleStray(RtpPacket &&packet, qint64 nowMs)
{
    const bool confirmsProbe = !m_probe.isNull() && packet.ssrc() == m_probe.ssrc()
        && packet.sequence() == std::uint16_t(m_probe.sequence() + 1);
    if (!confirmsProbe) {
        if (!m_probe.isNull())
            ++m_stats.discarded;
        m_probe = std::move(packet);
        m_probeArrivalMs = nowMs;
        return;
    }
    flush();
    ++m_stats.resets;
    RtpPacket first = std::move(m_probe);
    m_probe = RtpPacket();
    startStream(first.ssrc(), first.sequence());
    store(std::move(first), m_probeArrivalMs);
    m_highest = packet.sequence();
    store(std::move(packet), nowMs);
    releaseInOrder();
    releaseDue(nowMs);
}

void ReorderBuffer::poll(qint64 nowMs)
{
    if (m_started)
        releaseDue(nowMs);
}

std::optional<qint64> ReorderBuffer::nextDeadlineMs() const
{
    if (m_held == 0 || !m_oldestArrivalMs)
        return std::nullopt;
    return *m_oldestArrivalMs + m_options.maxHoldMs;
}

void ReorderBuffer::flush()
{
    m_starting = false;
    while (m_held > 0)
        advance();
    recomputeOldest();
}

void ReorderBuffer::reset()
{
    for (Slot &slot : m_slots)
        slot = Slot();
    m_started = false;
    m_held = 0;
    m_pendingLost = 0;
    m_oldestArrivalMs.reset();
    m_oldestDirty = false;
    m_probe = RtpPacket();
}

void ReorderBuffer::startStream(std::uint32_t ssrc, std::uint16_t sequence)
{
    for (Slot &slot : m_slots)
        slot = Slot();
    m_started = true;
    m_ssrc = ssrc;
    m_next = sequence;
    m_highest = sequence;
    m_held = 0;
    m_pendingLost = 0;
    m_pendingContinuity = Continuity::StreamStart;
    m_starting = true;
    m_oldestArrivalMs.reset();
    m_oldestDirty = false;
}

void ReorderBuffer::store(RtpPacket &&packet, qint64 nowMs)
{
    Slot &slot = slotFor(packet.sequence());
    Q_ASSERT(slot.state != SlotState::Held);
    slot.sequence = packet.sequence();
    slot.packet = std::move(packet);
    slot.arrivalMs = nowMs;
    slot.state = SlotState::Held;
    ++m_held;
    if (m_held == 1) {
        m_oldestArrivalMs = nowMs;
        m_oldestDirty = false;
    } else if (!m_oldestDirty && m_oldestArrivalMs && nowMs < *m_oldestArrivalMs) {
        m_oldestArrivalMs = nowMs;
    }
}

void ReorderBuffer::releaseInOrder()
{
    if (m_starting && m_held >= m_options.maxPackets)
        m_starting = false;
    while (m_held > 0 && !m_starting) {
        Slot &slot = slotFor(m_next);
        if (slot.state == SlotState::Held && slot.sequence == m_next)
            advance();
        else if (m_held >= m_options.maxPackets)
            advance(); // full: give up the missing one
        else
            break;
    }
    recomputeOldest();
}

void ReorderBuffer::releaseDue(qint64 nowMs)
{
    recomputeOldest();
    while (m_held > 0 && m_oldestArrivalMs && nowMs - *m_oldestArrivalMs >= m_options.maxHoldMs) {
        m_starting = false;
        // Everything before the packet that waited too long is given up, so advance up to and
        // including it; whatever follows in order goes too.
        advance();
        releaseInOrder();
    }
}

void ReorderBuffer::advance()
{
    Slot &slot = slotFor(m_next);
    if (slot.state == SlotState::Held && slot.sequence == m_next) {
        releaseHeld(slot);
    } else {
        slot.packet = RtpPacket();
        slot.sequence = m_next;
        slot.state = SlotState::GivenUp;
        ++m_stats.lost;
        ++m_pendingLost;
    }
    ++m_next;
}

void ReorderBuffer::releaseHeld(Slot &slot)
{
    const RtpPacket packet = std::move(slot.packet);
    slot.packet = RtpPacket();
    slot.state = SlotState::Released;
    --m_held;
    const Continuity continuity = m_pendingLost > 0 ? Continuity::Gap : m_pendingContinuity;
    const std::uint32_t lost = m_pendingLost;
    m_pendingLost = 0;
    m_pendingContinuity = Continuity::Continuous;
    if (m_oldestArrivalMs && slot.arrivalMs <= *m_oldestArrivalMs)
        m_oldestDirty = true; // recomputeOldest() finds the next one
    ++m_stats.released;
    m_output(packet, continuity, lost);
}

void ReorderBuffer::recomputeOldest()
{
    if (m_held == 0) {
        m_oldestArrivalMs.reset();
        m_oldestDirty = false;
        return;
    }
    if (!m_oldestDirty)
        return;
    m_oldestDirty = false;
    m_oldestArrivalMs.reset();
    int seen = 0;
    for (int offset = 0; offset < m_window && seen < m_held; ++offset) {
        const Slot &slot = slotFor(std::uint16_t(m_next + offset));
        if (slot.state != SlotState::Held)
            continue;
        ++seen;
        if (!m_oldestArrivalMs || slot.arrivalMs < *m_oldestArrivalMs)
            m_oldestArrivalMs = slot.arrivalMs;
    }
}

} // namespace Vigil::Media
