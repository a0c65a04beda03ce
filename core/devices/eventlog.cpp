#include "eventlog.h"

#include "device.h"

#include <algorithm>

namespace Vigil::Devices {

EventSeverity Event::severity() const noexcept
{
    switch (kind) {
    case EventKind::DeviceOffline:
    case EventKind::CatalogIncomplete:
    case EventKind::QueryFailed:
    case EventKind::AuthFailed:
        return EventSeverity::Warning;
    case EventKind::SourceBanned:
    case EventKind::DeviceIdBanned:
        return EventSeverity::Error;
    default:
        return EventSeverity::Info;
    }
}

QString Event::kindName(EventKind kind)
{
    switch (kind) {
    case EventKind::DeviceRegistered: return tr("Registered");
    case EventKind::DeviceOnline: return tr("Online");
    case EventKind::DeviceOffline: return tr("Offline");
    case EventKind::DeviceUnregistered: return tr("Unregistered");
    case EventKind::AuthFailed: return tr("Authentication failed");
    case EventKind::SourceBanned: return tr("Address blocked");
    case EventKind::DeviceIdBanned: return tr("Device ID blocked");
    case EventKind::AddressChanged: return tr("Address changed");
    case EventKind::CatalogSynced: return tr("Catalog synchronised");
    case EventKind::CatalogIncomplete: return tr("Catalog incomplete");
    case EventKind::QueryFailed: return tr("Query failed");
    case EventKind::DeviceRemoved: return tr("Removed");
    case EventKind::Info: return tr("Information");
    }
    return {};
}

QString Event::text() const
{
    const auto arg = [this](qsizetype i) { return i < args.size() ? args.at(i) : QString(); };
    switch (kind) {
    case EventKind::DeviceRegistered:
        return tr("Registered from %1 over %2").arg(arg(0), arg(1));
    case EventKind::DeviceOnline:
        return tr("Online at %1").arg(arg(0));
    case EventKind::DeviceOffline: {
        bool numeric = false;
        const int reason = arg(0).toInt(&numeric);
        const int count = args.size() > 1 ? arg(1).toInt() : 3;
        return tr("Offline: %1").arg(numeric ? Device::offlineReasonText(OfflineReason(reason), count) : arg(0));
    }
    case EventKind::DeviceUnregistered:
        return tr("Unregistered from %1").arg(arg(0));
    case EventKind::AuthFailed:
        return tr("Authentication failed from %1: %2").arg(arg(0), arg(1));
    case EventKind::SourceBanned:
        return tr("Address %1 blocked for %2 minutes after repeated authentication failures").arg(arg(0), arg(1));
    case EventKind::DeviceIdBanned:
        return tr("Device ID blocked for %1 minutes after repeated authentication failures").arg(arg(0));
    case EventKind::AddressChanged:
        return tr("Address changed from %1 to %2").arg(arg(0), arg(1));
    case EventKind::CatalogSynced:
        return tr("Catalog synchronised: %1 channels").arg(arg(0));
    case EventKind::CatalogIncomplete:
        return tr("Catalog incomplete: received %1 of %2 entries").arg(arg(0), arg(1));
    case EventKind::QueryFailed:
        return tr("%1 query failed: %2").arg(arg(0), arg(1));
    case EventKind::DeviceRemoved:
        return tr("Removed");
    case EventKind::Info:
        return arg(0);
    }
    return {};
}

EventLog::EventLog(qsizetype capacity, QObject *parent)
    : QObject(parent)
    , m_capacity(std::max<qsizetype>(capacity, 1))
{
}

std::uint64_t EventLog::append(Event event)
{
    std::uint64_t id;
    {
        QWriteLocker locker(&m_lock);
        id = m_nextId++;
        event.id = id;
        if (!event.time.isValid())
            event.time = QDateTime::currentDateTimeUtc();
        m_events.push_back(std::move(event));
        while (qsizetype(m_events.size()) > m_capacity)
            m_events.pop_front();
    }
    Q_EMIT appended(id);
    return id;
}

std::uint64_t EventLog::add(EventKind kind, const QString &deviceId, QStringList args)
{
    Event event;
    event.kind = kind;
    event.deviceId = deviceId;
    event.args = std::move(args);
    return append(std::move(event));
}

QList<Event> EventLog::since(std::uint64_t afterId, qsizetype limit) const
{
    QReadLocker locker(&m_lock);
    // ids increase along the deque: find the first newer one by binary search
    const auto first = std::upper_bound(m_events.begin(), m_events.end(), afterId,
                                        [](std::uint64_t id, const Event &e) { return id < e.id; });
    auto begin = first;
    const auto available = qsizetype(std::distance(first, m_events.end()));
    if (limit >= 0 && available > limit)
        begin = m_events.end() - limit;
    return QList<Event>(begin, m_events.end());
}

qsizetype EventLog::size() const
{
    QReadLocker locker(&m_lock);
    return qsizetype(m_events.size());
}

std::uint64_t EventLog::lastId() const
{
    QReadLocker locker(&m_lock);
    return m_nextId - 1;
}

void EventLog::restore(const QList<Event> &events)
{
    QWriteLocker locker(&m_lock);
    for (const Event &event : events) {
        if (!m_events.empty() && event.id <= m_events.back().id)
            continue;
        m_events.push_back(event);
        m_nextId = std::max(m_nextId, event.id + 1);
    }
    while (qsizetype(m_events.size()) > m_capacity)
        m_events.pop_front();
}

void EventLog::setNextId(std::uint64_t nextId)
{
    QWriteLocker locker(&m_lock);
    m_nextId = std::max(m_nextId, nextId);
}

} // namespace Vigil::Devices
