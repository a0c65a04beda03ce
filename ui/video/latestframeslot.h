#pragma once

#include "yuvframe.h"

#include <QEvent>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

class QObject;

namespace Vigil::Ui {

/// The hand-off of decoded pictures from a stream's thread to the tile that shows them. It
/// holds only the newest frame: a new one replaces the old, which is dropped if nobody took it,
/// so a slow GUI never holds up decoding or memory.
///
/// publish() posts one event of frameReadyEventType() to the receiver when none is pending;
/// however many frames arrive before the GUI gets to it, it sees one event and takes the newest.
/// Shared (std::shared_ptr) between the tile and the producer, so either may go first.
/// Thread-safe; setReceiver() on the receiver's thread.
class LatestFrameSlot {
public:
    using Clock = std::chrono::steady_clock;

    /// Stores `frame` as the newest. True when it posted an event (none was pending).
    bool publish(std::shared_ptr<const YuvFrame> frame);
    /// The newest frame (null when none came since the last clear()); re-arms the event.
    std::shared_ptr<const YuvFrame> take();
    /// The newest frame, leaving the pending event as it is.
    std::shared_ptr<const YuvFrame> latest() const;
    /// Forgets the frame and the counters (the tile changed channel).
    void clear();

    /// Where the events go; nullptr stops them. The receiver sets nullptr before it dies.
    void setReceiver(QObject *receiver);

    struct Counters {
        std::uint64_t published = 0;   ///< frames handed in since clear()
        std::uint64_t overwritten = 0; ///< of those, replaced before anyone took them
        Clock::time_point lastPublish; ///< when the newest came (epoch when none did)
    };
    Counters counters() const;

    static QEvent::Type frameReadyEventType();

private:
    mutable std::mutex m_mutex;
    std::shared_ptr<const YuvFrame> m_frame;
    QObject *m_receiver = nullptr;
    bool m_eventPending = false;
    bool m_taken = true;
    Counters m_counters;
};

} // namespace Vigil::Ui
