#pragma once

#include "videoframe.h"

#include <mutex>

namespace Vigil::Media {

/// The hand-off of decoded pictures from a stream's decode thread to the widget that shows
/// them: it holds only the newest frame. A new frame replaces the old one, which is dropped if
/// nobody took it; nothing queues, so a slow viewer never holds up decoding or memory.
///
/// publish() says when the viewer needs to be told, so that the decode thread posts one
/// coalesced update however many frames arrive before the viewer gets to it:
///
///     // decode thread                          // GUI thread, in the posted update
///     if (slot.publish(std::move(frame)))       const VideoFrame frame = slot.take();
///         QMetaObject::invokeMethod(widget,     upload(frame); update();
///             &VideoWidget::frameReady,
///             Qt::QueuedConnection);
///
/// Thread-safe.
class FrameSlot {
public:
    /// Stores `frame` as the newest. True when an update has to be posted, false when one is
    /// already pending (the previous frame was not taken yet).
    bool publish(VideoFrame frame);

    /// The newest frame; the next publish() posts an update again.
    VideoFrame take();

    /// The newest frame, leaving the pending update as it is (for a repaint or a snapshot).
    VideoFrame latest() const;

    /// Frames replaced before anyone took them.
    quint64 overwrittenFrames() const;

private:
    mutable std::mutex m_mutex;
    VideoFrame m_frame;
    bool m_updatePending = false;
    quint64 m_overwritten = 0;
};

} // namespace Vigil::Media
