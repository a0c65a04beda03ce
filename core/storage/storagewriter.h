#pragma once

#include "devices/deviceregistry.h"
#include "devices/eventlog.h"
#include "storage/database.h"

#include <QObject>

#include <functional>
#include <memory>

class QTimer;

namespace Vigil::Storage {

/// Writes registry changes and events to the database. Lives on the storage thread (made with
/// WorkerThread::create()); receives work through WorkerThread::post(), so writes never block
/// the signalling or GUI thread. A failed write is logged and retried with the next batch
/// (the changes are merged), so a full disk loses nothing that is still in memory.
class StorageWriter : public QObject {
    Q_OBJECT

public:
    explicit StorageWriter(QString path, QObject *parent = nullptr);
    ~StorageWriter() override;

    /// Opens the database on this thread. Call through WorkerThread::run().
    Result<void> open();
    void apply(const Devices::RegistryChanges &changes);
    void appendEvents(const QList<Devices::Event> &events);
    /// Deletes events beyond the newest `keep`.
    void pruneEvents(int keep);

    struct Stats {
        quint64 batches = 0;
        quint64 failures = 0;
    };
    Stats stats() const { return m_stats; }

private:
    void retryPending();

    QString m_path;
    std::unique_ptr<Database> m_db;
    Devices::RegistryChanges m_pending; ///< changes whose write failed
    QList<Devices::Event> m_pendingEvents;
    Stats m_stats;
};

/// Collects what changed in the registry and the event log and hands it to the storage thread
/// in batches: structural changes (a new device, channels, settings, online state) within half a
/// second, last-seen times once a minute. Lives on the signalling thread, beside the
/// registry it reads.
class Persister : public QObject {
    Q_OBJECT

public:
    /// `post` runs a function on the storage thread (WorkerThread::post of the writer's thread).
    using Post = std::function<void(std::function<void()>)>;

    Persister(Devices::DeviceRegistry &registry, Devices::EventLog &events, StorageWriter *writer, Post post,
              QObject *parent = nullptr);

    /// Starts the batching timers; events logged from now on are persisted.
    void start();
    /// Hands over everything pending now (shutdown).
    void flushAll();

private:
    void flush(Devices::LastSeenChanges lastSeen);

    Devices::DeviceRegistry &m_registry;
    Devices::EventLog &m_events;
    StorageWriter *m_writer;
    Post m_post;
    QTimer *m_timer = nullptr;
    std::uint64_t m_lastEventId = 0;
    int m_ticks = 0;
};

} // namespace Vigil::Storage
