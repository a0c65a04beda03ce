#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QReadWriteLock>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <deque>

namespace Vigil::Devices {

/// What happened. The operator-visible text is made from the kind and the arguments when it is
/// shown (Event::text()), so it follows the language chosen at that moment.
enum class EventKind : std::uint8_t {
    DeviceRegistered,   ///< args: address, transport
    DeviceOnline,       ///< args: address
    DeviceOffline,      ///< args: OfflineReason as a number, keepalive count (rendered when shown)
    DeviceUnregistered, ///< args: address
    AuthFailed,         ///< args: source address, detail
    SourceBanned,       ///< args: source address, minutes
    DeviceIdBanned,     ///< args: minutes
    AddressChanged,     ///< args: old address, new address
    CatalogSynced,      ///< args: channel count
    CatalogIncomplete,  ///< args: received, expected
    QueryFailed,        ///< args: query name, reason
    DeviceRemoved,      ///< no args
    Info,               ///< args: free text (already translated)
};

enum class EventSeverity : std::uint8_t { Info, Warning, Error };

/// One entry of the event log.
struct Event {
    Q_DECLARE_TR_FUNCTIONS(Vigil::Devices::Event)

public:
    std::uint64_t id = 0; ///< increasing, unique within the log's life (and across restarts)
    QDateTime time;       ///< UTC
    EventKind kind = EventKind::Info;
    QString deviceId;     ///< empty when not about a device (a stranger's source, for instance)
    QStringList args;

    EventSeverity severity() const noexcept;
    /// The operator-visible, translated description, e.g. "Offline: 3 keepalives missed".
    QString text() const;
    /// Short translated name of the kind, for filters ("Offline", "Authentication failed"...).
    static QString kindName(EventKind kind);
};

/// A bounded, thread-safe log of what happened to devices. Appended from the signalling thread,
/// read from anywhere (the GUI's event dock, the HTTP API). The oldest entries are dropped when
/// it is full; the storage layer keeps a longer history.
class EventLog : public QObject {
    Q_OBJECT

public:
    explicit EventLog(qsizetype capacity = 10000, QObject *parent = nullptr);

    /// Adds an event stamped now (or with `event.time` when set) and returns its id.
    std::uint64_t append(Event event);
    /// Convenience for append().
    std::uint64_t add(EventKind kind, const QString &deviceId, QStringList args = {});

    /// Up to `limit` most recent events with id > `afterId`, oldest first.
    QList<Event> since(std::uint64_t afterId = 0, qsizetype limit = -1) const;
    qsizetype size() const;
    qsizetype capacity() const noexcept { return m_capacity; }
    std::uint64_t lastId() const;
    /// Continues numbering after events restored from storage.
    void setNextId(std::uint64_t nextId);
    /// Puts events loaded from storage back (oldest first), before anything is appended.
    void restore(const QList<Event> &events);

Q_SIGNALS:
    /// Emitted from the appending thread; connect queued from the GUI. Coalesce as you like:
    /// since(lastSeenId) returns everything new.
    void appended(std::uint64_t id);

private:
    mutable QReadWriteLock m_lock;
    std::deque<Event> m_events;
    qsizetype m_capacity;
    std::uint64_t m_nextId = 1;
};

} // namespace Vigil::Devices
