#include "frameslot.h"

#include <utility>

namespace Vigil::Media {

bool FrameSlot::publish(VideoFrame frame)
{
    // The replaced frame is released after the lock: freeing it may return buffers to FFmpeg.
    VideoFrame replaced;
    bool notify = false;
    {
        std::lock_guard lock(m_mutex);
        replaced = std::exchange(m_frame, std::move(frame));
        if (m_updatePending)
            ++m_overwritten;
        notify = !m_updatePending;
        m_updatePending = true;
    }
    return notify;
}

VideoFrame FrameSlot::take()
{
    std::lock_guard lock(m_mutex);
    m_updatePending = false;
    return m_frame;
}

VideoFrame FrameSlot::latest() const
{
    std::lock_guard lock(m_mutex);
    return m_frame;
}

quint64 FrameSlot::overwrittenFrames() const
{
    std::lock_guard lock(m_mutex);
    return m_overwritten;
}

} // namespace Vigil::Media
