#pragma once

#include <QtGlobal>

#include <cstdint>
#include <deque>
#include <queue>
#include <vector>

namespace Vigil::Sip {

/// One pending deadline of the transaction layer: when (milliseconds on the layer's monotonic
/// clock), which transaction slot and generation, and what kind of timer. 24 bytes.
struct TimerEntry {
    qint64 dueMs = 0;
    std::uint32_t slot = 0;
    std::uint32_t generation = 0;
    std::uint8_t kind = 0;

    friend bool operator>(const TimerEntry &a, const TimerEntry &b) noexcept { return a.dueMs > b.dueMs; }
};

/// Deadlines of different lengths (retransmissions, Timers B/F/H/...): a binary min-heap.
/// Cancelling is lazy: the owner remembers the due time it expects for each timer and ignores
/// entries that no longer match when they come out. A cancelled entry therefore stays until
/// its due time, so the heap holds at most one entry per timer (re)start within the longest
/// timer (64*T1), which bounds it by the transaction rate.
class TimerHeap {
public:
    void push(const TimerEntry &entry) { m_heap.push(entry); }
    bool isEmpty() const noexcept { return m_heap.empty(); }
    const TimerEntry &top() const { return m_heap.top(); }
    TimerEntry pop()
    {
        TimerEntry entry = m_heap.top();
        m_heap.pop();
        return entry;
    }
    std::size_t size() const noexcept { return m_heap.size(); }

private:
    std::priority_queue<TimerEntry, std::vector<TimerEntry>, std::greater<>> m_heap;
};

/// Deadlines that all have the same length (Timer J, the TU answer timeout): a FIFO queue is
/// already in time order, so pushing and popping are O(1) and one timer serves all of them.
class TimerFifo {
public:
    void push(const TimerEntry &entry)
    {
        Q_ASSERT(m_queue.empty() || m_queue.back().dueMs <= entry.dueMs);
        m_queue.push_back(entry);
    }
    bool isEmpty() const noexcept { return m_queue.empty(); }
    const TimerEntry &front() const { return m_queue.front(); }
    TimerEntry pop()
    {
        TimerEntry entry = m_queue.front();
        m_queue.pop_front();
        return entry;
    }
    std::size_t size() const noexcept { return m_queue.size(); }

private:
    std::deque<TimerEntry> m_queue;
};

} // namespace Vigil::Sip
