#include "decodequeue.h"

#include <algorithm>

namespace Vigil::Media {

namespace {

// Audio frames each decode on their own; video decoding can only start at a random access point.
bool canStartDecoding(const EncodedFrame &frame)
{
    return !isVideo(frame.codec) || frame.keyFrame
        || containsRandomAccessPoint(frame.codec, frame.data);
}

} // namespace

DecodeQueue::DecodeQueue(DecodeQueueLimits limits)
    : m_limits(limits)
{
    Q_ASSERT(m_limits.maxFrames > 0 && m_limits.maxBytes > 0);
}

PushResult DecodeQueue::push(EncodedFrame frame)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_closed)
            return PushResult::Closed;

        const bool full = isFull(frame.data.size());
        if (m_waitingForKeyFrame || full) {
            if (!canStartDecoding(frame)) {
                if (full && !m_waitingForKeyFrame)
                    ++m_stats.overflows;
                m_waitingForKeyFrame = true;
                m_gapPending = true;
                drop(frame);
                return PushResult::Dropped;
            }
            if (full) {
                ++m_stats.overflows;
                dropQueued();
                m_gapPending = true;
            }
            m_waitingForKeyFrame = false;
        }

        m_stats.bytes += frame.data.size();
        m_entries.push_back(Entry{std::move(frame), m_gapPending});
        m_gapPending = false;
        ++m_stats.queued;
        m_stats.frames = qsizetype(m_entries.size());
        m_stats.peakFrames = std::max(m_stats.peakFrames, m_stats.frames);
        m_stats.peakBytes = std::max(m_stats.peakBytes, m_stats.bytes);
    }
    m_ready.notify_one();
    return PushResult::Queued;
}

void DecodeQueue::reportGap()
{
    std::lock_guard lock(m_mutex);
    ++m_stats.gaps;
    m_waitingForKeyFrame = true;
    m_gapPending = true;
}

std::optional<DecodeQueue::Entry> DecodeQueue::pop()
{
    std::unique_lock lock(m_mutex);
    m_ready.wait(lock, [this] { return m_closed || !m_entries.empty(); });
    return takeFront();
}

std::optional<DecodeQueue::Entry> DecodeQueue::tryPop()
{
    std::lock_guard lock(m_mutex);
    return takeFront();
}

void DecodeQueue::close(CloseMode mode)
{
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        if (mode == CloseMode::Discard)
            dropQueued();
    }
    m_ready.notify_all();
}

DecodeQueueStats DecodeQueue::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

bool DecodeQueue::isFull(qsizetype incomingBytes) const
{
    if (m_entries.empty())
        return false;
    return qsizetype(m_entries.size()) >= m_limits.maxFrames
        || m_stats.bytes + incomingBytes > m_limits.maxBytes;
}

void DecodeQueue::dropQueued()
{
    for (const Entry &entry : m_entries)
        drop(entry.frame);
    m_entries.clear();
    m_stats.frames = 0;
    m_stats.bytes = 0;
}

void DecodeQueue::drop(const EncodedFrame &frame)
{
    ++m_stats.dropped;
    m_stats.droppedBytes += quint64(frame.data.size());
}

std::optional<DecodeQueue::Entry> DecodeQueue::takeFront()
{
    if (m_entries.empty())
        return std::nullopt;
    Entry entry = std::move(m_entries.front());
    m_entries.pop_front();
    m_stats.frames = qsizetype(m_entries.size());
    m_stats.bytes -= entry.frame.data.size();
    return entry;
}

} // namespace Vigil::Media
