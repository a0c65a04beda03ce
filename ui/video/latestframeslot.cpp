#include "latestframeslot.h"

#include <QCoreApplication>

namespace Vigil::Ui {

QEvent::Type LatestFrameSlot::frameReadyEventType()
{
    static const auto type = QEvent::Type(QEvent::registerEventType());
    return type;
}

bool LatestFrameSlot::publish(std::shared_ptr<const YuvFrame> frame)
{
    // Declared before the lock, so released after it: the last reference to a decoder frame
    // may free FFmpeg buffers, which need not happen under our mutex.
    std::shared_ptr<const YuvFrame> previous;
    std::lock_guard lock(m_mutex);
    previous = std::exchange(m_frame, std::move(frame));
    ++m_counters.published;
    if (!m_taken)
        ++m_counters.overwritten;
    m_taken = false;
    m_counters.lastPublish = Clock::now();
    if (m_eventPending || !m_receiver)
        return false;
    // Posted under the lock so that setReceiver(nullptr) cannot slip in between; Qt drops
    // events still queued for a receiver that is deleted.
    QCoreApplication::postEvent(m_receiver, new QEvent(frameReadyEventType()));
    m_eventPending = true;
    return true;
}

std::shared_ptr<const YuvFrame> LatestFrameSlot::take()
{
    std::lock_guard lock(m_mutex);
    m_eventPending = false;
    m_taken = true;
    return m_frame;
}

std::shared_ptr<const YuvFrame> LatestFrameSlot::latest() const
{
    std::lock_guard lock(m_mutex);
    return m_frame;
}

void LatestFrameSlot::clear()
{
    std::shared_ptr<const YuvFrame> previous;
    std::lock_guard lock(m_mutex);
    previous = std::move(m_frame);
    m_taken = true;
    m_counters = {};
}

void LatestFrameSlot::setReceiver(QObject *receiver)
{
    std::lock_guard lock(m_mutex);
    m_receiver = receiver;
    m_eventPending = false;
}

LatestFrameSlot::Counters LatestFrameSlot::counters() const
{
    std::lock_guard lock(m_mutex);
    return m_counters;
}

} // namespace Vigil::Ui
