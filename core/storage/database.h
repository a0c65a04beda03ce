#pragma once

#include "common/result.h"
#include "devices/device.h"
#include "devices/deviceregistry.h"
#include "devices/eventlog.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>

#include <memory>

namespace Vigil::Storage {

/// Vigil's SQLite database: devices, channels, per-device settings and the event log.
///
/// Synchronous; one instance per thread (QtSql connections are not shared between threads).
/// The async StorageWriter owns one on the storage thread; start-up code opens one to load.
/// The schema carries a version (PRAGMA user_version) and is migrated forward on open.
/// Per-device SIP passwords are stored as written (digest needs them); the file is created
/// readable by its owner only.
class Database {
    Q_DECLARE_TR_FUNCTIONS(Vigil::Storage::Database)

public:
    static constexpr int kSchemaVersion = 2;

    /// Opens (creating if needed) and migrates the database at `path`.
    static Result<std::unique_ptr<Database>> open(const QString &path);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    int schemaVersion() const;
    QString path() const { return m_path; }

    struct Snapshot {
        QList<Devices::Device> devices;
        QHash<DeviceId, QList<Devices::Channel>> channels;
    };
    /// Everything needed to restore the registry.
    Result<Snapshot> load();
    /// Writes a batch of registry changes in one transaction.
    Result<void> apply(const Devices::RegistryChanges &changes);

    Result<void> appendEvents(const QList<Devices::Event> &events);
    /// The `limit` most recent events, oldest first.
    Result<QList<Devices::Event>> loadEvents(int limit);
    /// Deletes all but the `keep` most recent events.
    Result<void> pruneEvents(int keep);

private:
    explicit Database(QString path, QString connectionName);
    Result<void> migrate();
    Result<void> exec(const QString &sql);
    Error sqlError(const QString &what, const class QSqlError &error) const;

    QString m_path;
    QString m_connectionName;
    QSqlDatabase m_db;
};

} // namespace Vigil::Storage
