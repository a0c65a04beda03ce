#include "mediaportpool.h"

#include <algorithm>
#include <utility>

namespace Vigil::Media {

MediaPortLease::MediaPortLease(std::shared_ptr<MediaPortPool> pool, quint16 port) noexcept
    : m_pool(std::move(pool))
    , m_port(port)
{
}

MediaPortLease::~MediaPortLease()
{
    release();
}

MediaPortLease::MediaPortLease(MediaPortLease &&other) noexcept
    : m_pool(std::move(other.m_pool))
    , m_port(std::exchange(other.m_port, 0))
{
}

MediaPortLease &MediaPortLease::operator=(MediaPortLease &&other) noexcept
{
    if (this != &other) {
        release();
        m_pool = std::move(other.m_pool);
        m_port = std::exchange(other.m_port, 0);
    }
    return *this;
}

void MediaPortLease::release()
{
    if (m_pool && m_port != 0)
        m_pool->release(m_port);
    m_pool.reset();
    m_port = 0;
}

std::shared_ptr<MediaPortPool> MediaPortPool::create(quint16 firstPort, quint16 lastPort,
                                                     std::chrono::milliseconds reuseDelay)
{
    return std::make_shared<MediaPortPool>(PrivateTag{}, firstPort, lastPort, reuseDelay);
}

MediaPortPool::MediaPortPool(PrivateTag, quint16 firstPort, quint16 lastPort, std::chrono::milliseconds reuseDelay)
    : m_first(std::max(2, firstPort + (firstPort & 1)))
    , m_last(lastPort - (lastPort & 1))
    , m_reuseDelay(reuseDelay)
{
    if (m_first <= m_last)
        m_slots.resize(size_t((m_last - m_first) / 2 + 1));
}

MediaPortLease MediaPortPool::acquire()
{
    std::lock_guard lock(m_mutex);
    const Clock::time_point now = Clock::now();
    for (size_t tried = 0; tried < m_slots.size(); ++tried) {
        const size_t index = m_next;
        m_next = (m_next + 1) % m_slots.size();
        Slot &slot = m_slots[index];
        if (slot.inUse || now < slot.freeAfter)
            continue;
        slot.inUse = true;
        ++m_inUse;
        return MediaPortLease(shared_from_this(), quint16(m_first + 2 * index));
    }
    return {};
}

int MediaPortPool::inUse() const
{
    std::lock_guard lock(m_mutex);
    return m_inUse;
}

void MediaPortPool::release(quint16 port)
{
    std::lock_guard lock(m_mutex);
    if (port < m_first || port > m_last || (port - m_first) % 2 != 0)
        return;
    Slot &slot = m_slots[size_t((port - m_first) / 2)];
    if (!slot.inUse)
        return;
    slot.inUse = false;
    slot.freeAfter = Clock::now() + m_reuseDelay;
    --m_inUse;
}

} // namespace Vigil::Media
