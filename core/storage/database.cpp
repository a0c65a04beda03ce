#include "database.h"

#include "common/logging.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Vigil::Storage {

namespace {

QVariant fromTime(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qlonglong>());
}

QDateTime toTime(const QVariant &value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

/// QtSql binds a null QString as SQL NULL; the text columns are NOT NULL.
QVariant text(const QString &value)
{
    return value.isNull() ? QVariant(QString(u""_s)) : QVariant(value);
}

QVariant fromOptional(const std::optional<double> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<double>());
}

std::optional<double> toOptional(const QVariant &value)
{
    return value.isNull() ? std::nullopt : std::optional<double>(value.toDouble());
}

// Each migration takes the schema from version N-1 to N. Never edit a released one; add more.
const QStringList kMigrations[] = {
    // 1: devices, channels, events
    {
        u"CREATE TABLE devices ("
        "  id TEXT PRIMARY KEY NOT NULL,"
        "  name TEXT NOT NULL DEFAULT '', manufacturer TEXT NOT NULL DEFAULT '',"
        "  model TEXT NOT NULL DEFAULT '', firmware TEXT NOT NULL DEFAULT '',"
        "  reported_channels INTEGER NOT NULL DEFAULT 0,"
        "  user_agent TEXT NOT NULL DEFAULT '', gb_version TEXT NOT NULL DEFAULT '',"
        "  online INTEGER NOT NULL DEFAULT 0, offline_reason INTEGER NOT NULL DEFAULT 1,"
        "  last_seen INTEGER, registered_at INTEGER, expires_at INTEGER, catalog_synced_at INTEGER,"
        "  call_id TEXT NOT NULL DEFAULT '',"
        "  route_address TEXT NOT NULL DEFAULT '', route_port INTEGER NOT NULL DEFAULT 0,"
        "  route_transport INTEGER NOT NULL DEFAULT 0,"
        "  password TEXT NOT NULL DEFAULT '', charset INTEGER NOT NULL DEFAULT 0,"
        "  media_transport INTEGER NOT NULL DEFAULT 0, stream_profile INTEGER NOT NULL DEFAULT 0)"_s,
        u"CREATE TABLE channels ("
        "  device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,"
        "  id TEXT NOT NULL, position INTEGER NOT NULL,"
        "  name TEXT NOT NULL DEFAULT '', kind INTEGER NOT NULL DEFAULT 0,"
        "  manufacturer TEXT NOT NULL DEFAULT '', model TEXT NOT NULL DEFAULT '',"
        "  owner TEXT NOT NULL DEFAULT '', civil_code TEXT NOT NULL DEFAULT '',"
        "  block TEXT NOT NULL DEFAULT '', address TEXT NOT NULL DEFAULT '',"
        "  parent_id TEXT NOT NULL DEFAULT '', business_group_id TEXT NOT NULL DEFAULT '',"
        "  parental INTEGER NOT NULL DEFAULT 0, online INTEGER NOT NULL DEFAULT 1,"
        "  ptz_type INTEGER NOT NULL DEFAULT 0, longitude REAL, latitude REAL,"
        "  ip_address TEXT NOT NULL DEFAULT '', port INTEGER NOT NULL DEFAULT 0,"
        "  PRIMARY KEY (device_id, id))"_s,
        u"CREATE TABLE events ("
        "  id INTEGER PRIMARY KEY, time INTEGER NOT NULL, kind INTEGER NOT NULL,"
        "  device_id TEXT NOT NULL DEFAULT '', args TEXT NOT NULL DEFAULT '[]')"_s,
        u"CREATE INDEX events_device ON events(device_id)"_s,
    },
    // 2: how a device is asked for its sub stream
    {
        u"ALTER TABLE devices ADD COLUMN sub_stream_attribute INTEGER NOT NULL DEFAULT 0"_s,
    },
};

static_assert(std::size(kMigrations) == Database::kSchemaVersion);

QAtomicInteger<quint64> g_connectionCounter;

} // namespace

Database::Database(QString path, QString connectionName)
    : m_path(std::move(path))
    , m_connectionName(std::move(connectionName))
{
}

Database::~Database()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

Error Database::sqlError(const QString &what, const QSqlError &error) const
{
    return Error{ErrorCode::IoError,
                 tr("Database %1: %2 failed: %3").arg(QDir::toNativeSeparators(m_path), what, error.text())};
}

Result<void> Database::exec(const QString &sql)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        return std::unexpected(sqlError(sql.left(60), query.lastError()));
    return {};
}

Result<std::unique_ptr<Database>> Database::open(const QString &path)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return fail(ErrorCode::IoError,
                    tr("Cannot create the data folder %1; check its permissions or choose another with --data-dir.")
                        .arg(QDir::toNativeSeparators(info.absolutePath())));
    const bool existed = info.exists();

    const QString name = u"vigil-db-%1"_s.arg(g_connectionCounter.fetchAndAddRelaxed(1));
    std::unique_ptr<Database> db(new Database(path, name));
    db->m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
    if (!db->m_db.isValid())
        return fail(ErrorCode::Unsupported, tr("The Qt SQLite driver is missing; install libqt6sql6-sqlite."));
    db->m_db.setDatabaseName(path);
    db->m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    if (!db->m_db.open())
        return std::unexpected(db->sqlError(tr("opening"), db->m_db.lastError()));
    if (!existed)
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);

    // WAL keeps readers and the writer apart and survives kill -9; NORMAL sync is durable
    // across process crashes (only a power loss can drop the last transactions).
    for (const QString &pragma : {u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous=NORMAL"_s,
                                  u"PRAGMA foreign_keys=ON"_s}) {
        if (auto ok = db->exec(pragma); !ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = db->migrate(); !ok)
        return std::unexpected(ok.error());
    return db;
}

int Database::schemaVersion() const
{
    QSqlQuery query(m_db);
    if (!query.exec(u"PRAGMA user_version"_s) || !query.next())
        return -1;
    return query.value(0).toInt();
}

Result<void> Database::migrate()
{
    const int current = schemaVersion();
    if (current < 0)
        return fail(ErrorCode::IoError, tr("Database %1: cannot read its schema version.").arg(m_path));
    if (current > kSchemaVersion)
        return fail(ErrorCode::Unsupported,
                    tr("Database %1 was written by a newer Vigil (schema %2; this one knows %3). "
                       "Use that version, or start with another --data-dir.")
                        .arg(QDir::toNativeSeparators(m_path))
                        .arg(current)
                        .arg(kSchemaVersion));
    for (int version = current + 1; version <= kSchemaVersion; ++version) {
        if (!m_db.transaction())
            return std::unexpected(sqlError(tr("starting a migration"), m_db.lastError()));
        for (const QString &sql : kMigrations[version - 1]) {
            if (auto ok = exec(sql); !ok) {
                m_db.rollback();
                return ok;
            }
        }
        if (auto ok = exec(u"PRAGMA user_version=%1"_s.arg(version)); !ok) {
            m_db.rollback();
            return ok;
        }
        if (!m_db.commit())
            return std::unexpected(sqlError(tr("committing a migration"), m_db.lastError()));
        qCInfo(lcStorage) << "database" << m_path << "migrated to schema" << version;
    }
    return {};
}

Result<Database::Snapshot> Database::load()
{
    Snapshot snapshot;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(u"SELECT id, name, manufacturer, model, firmware, reported_channels, user_agent,"
                    " gb_version, online, offline_reason, last_seen, registered_at, expires_at,"
                    " catalog_synced_at, call_id, route_address, route_port, route_transport, password,"
                    " charset, media_transport, stream_profile, sub_stream_attribute FROM devices ORDER BY id"_s))
        return std::unexpected(sqlError(tr("reading devices"), query.lastError()));
    while (query.next()) {
        const auto id = DeviceId::parse(query.value(0).toString());
        if (!id) {
            qCWarning(lcStorage) << "skipping a device with a malformed ID in the database:" << query.value(0);
            continue;
        }
        Devices::Device d;
        d.id = *id;
        d.name = query.value(1).toString();
        d.manufacturer = query.value(2).toString();
        d.model = query.value(3).toString();
        d.firmware = query.value(4).toString();
        d.reportedChannelCount = query.value(5).toInt();
        d.userAgent = query.value(6).toString();
        d.gbVersion = query.value(7).toString();
        d.online = query.value(8).toBool();
        d.offlineReason = Devices::OfflineReason(query.value(9).toInt());
        d.lastSeen = toTime(query.value(10));
        d.registeredAt = toTime(query.value(11));
        d.registrationExpiresAt = toTime(query.value(12));
        d.catalogSyncedAt = toTime(query.value(13));
        d.registrationCallId = query.value(14).toString();
        d.route.address = QHostAddress(query.value(15).toString());
        d.route.port = quint16(query.value(16).toUInt());
        d.route.transport = Sip::TransportKind(query.value(17).toInt());
        d.settings.password = query.value(18).toString();
        d.settings.charset = CharsetOverride(query.value(19).toInt());
        d.settings.mediaTransport = Devices::MediaTransport(query.value(20).toInt());
        d.settings.streamProfile = Devices::StreamProfile(query.value(21).toInt());
        d.settings.subStreamAttribute = Devices::SubStreamAttribute(std::clamp(query.value(22).toInt(), 0, 3));
        snapshot.devices.append(d);
    }

    if (!query.exec(u"SELECT device_id, id, name, kind, manufacturer, model, owner, civil_code, block,"
                    " address, parent_id, business_group_id, parental, online, ptz_type, longitude,"
                    " latitude, ip_address, port FROM channels ORDER BY device_id, position"_s))
        return std::unexpected(sqlError(tr("reading channels"), query.lastError()));
    while (query.next()) {
        const auto deviceId = DeviceId::parse(query.value(0).toString());
        if (!deviceId)
            continue;
        Devices::Channel c;
        c.id = query.value(1).toString();
        c.name = query.value(2).toString();
        c.kind = Devices::ChannelKind(query.value(3).toInt());
        c.manufacturer = query.value(4).toString();
        c.model = query.value(5).toString();
        c.owner = query.value(6).toString();
        c.civilCode = query.value(7).toString();
        c.block = query.value(8).toString();
        c.address = query.value(9).toString();
        c.parentId = query.value(10).toString();
        c.businessGroupId = query.value(11).toString();
        c.parental = query.value(12).toBool();
        c.online = query.value(13).toBool();
        c.ptzType = query.value(14).toInt();
        c.longitude = toOptional(query.value(15));
        c.latitude = toOptional(query.value(16));
        c.ipAddress = query.value(17).toString();
        c.port = query.value(18).toInt();
        snapshot.channels[*deviceId].append(c);
    }
    return snapshot;
}

Result<void> Database::apply(const Devices::RegistryChanges &changes)
{
    if (changes.isEmpty())
        return {};
    if (!m_db.transaction())
        return std::unexpected(sqlError(tr("starting a write"), m_db.lastError()));
    const auto failWith = [this](const QString &what, const QSqlQuery &q) -> Result<void> {
        const Error error = sqlError(what, q.lastError());
        m_db.rollback();
        return std::unexpected(error);
    };

    QSqlQuery upsert(m_db);
    upsert.prepare(u"INSERT INTO devices (id, name, manufacturer, model, firmware, reported_channels,"
                   " user_agent, gb_version, online, offline_reason, last_seen, registered_at, expires_at,"
                   " catalog_synced_at, call_id, route_address, route_port, route_transport, password, charset,"
                   " media_transport, stream_profile, sub_stream_attribute)"
                   " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                   " ON CONFLICT(id) DO UPDATE SET name=excluded.name, manufacturer=excluded.manufacturer,"
                   " model=excluded.model, firmware=excluded.firmware,"
                   " reported_channels=excluded.reported_channels, user_agent=excluded.user_agent,"
                   " gb_version=excluded.gb_version, online=excluded.online,"
                   " offline_reason=excluded.offline_reason, last_seen=excluded.last_seen,"
                   " registered_at=excluded.registered_at, expires_at=excluded.expires_at,"
                   " catalog_synced_at=excluded.catalog_synced_at, call_id=excluded.call_id,"
                   " route_address=excluded.route_address, route_port=excluded.route_port,"
                   " route_transport=excluded.route_transport, password=excluded.password,"
                   " charset=excluded.charset, media_transport=excluded.media_transport,"
                   " stream_profile=excluded.stream_profile, sub_stream_attribute=excluded.sub_stream_attribute"_s);
    for (const Devices::Device &d : changes.devices) {
        const QVariantList values{
            d.id.toString(), text(d.name), text(d.manufacturer), text(d.model), text(d.firmware),
            d.reportedChannelCount, text(d.userAgent), text(d.gbVersion), d.online, int(d.offlineReason),
            fromTime(d.lastSeen), fromTime(d.registeredAt), fromTime(d.registrationExpiresAt),
            fromTime(d.catalogSyncedAt), text(d.registrationCallId),
            text(d.route.address.isNull() ? QString() : d.route.address.toString()),
            int(d.route.port), int(d.route.transport), text(d.settings.password), int(d.settings.charset),
            int(d.settings.mediaTransport), int(d.settings.streamProfile), int(d.settings.subStreamAttribute)};
        for (int i = 0; i < values.size(); ++i)
            upsert.bindValue(i, values.at(i));
        if (!upsert.exec())
            return failWith(tr("saving device %1").arg(d.id.toString()), upsert);
    }

    QSqlQuery deleteChannels(m_db);
    deleteChannels.prepare(u"DELETE FROM channels WHERE device_id = ?"_s);
    QSqlQuery insertChannel(m_db);
    insertChannel.prepare(u"INSERT INTO channels (device_id, id, position, name, kind, manufacturer, model,"
                          " owner, civil_code, block, address, parent_id, business_group_id, parental, online,"
                          " ptz_type, longitude, latitude, ip_address, port)"
                          " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"_s);
    for (auto it = changes.channels.constBegin(); it != changes.channels.constEnd(); ++it) {
        const QString deviceId = it.key().toString();
        deleteChannels.bindValue(0, deviceId);
        if (!deleteChannels.exec())
            return failWith(tr("replacing channels of %1").arg(deviceId), deleteChannels);
        int position = 0;
        for (const Devices::Channel &c : it.value()) {
            const QVariantList values{deviceId, c.id, position++, text(c.name), int(c.kind),
                                      text(c.manufacturer), text(c.model), text(c.owner), text(c.civilCode),
                                      text(c.block), text(c.address), text(c.parentId),
                                      text(c.businessGroupId), c.parental, c.online, c.ptzType,
                                      fromOptional(c.longitude), fromOptional(c.latitude), text(c.ipAddress),
                                      c.port};
            for (int i = 0; i < values.size(); ++i)
                insertChannel.bindValue(i, values.at(i));
            if (!insertChannel.exec())
                return failWith(tr("saving channel %1 of %2").arg(c.id, deviceId), insertChannel);
        }
    }

    QSqlQuery remove(m_db);
    remove.prepare(u"DELETE FROM devices WHERE id = ?"_s);
    for (const DeviceId &id : changes.removed) {
        remove.bindValue(0, id.toString());
        if (!remove.exec())
            return failWith(tr("removing device %1").arg(id.toString()), remove);
    }

    QSqlQuery seen(m_db);
    seen.prepare(u"UPDATE devices SET last_seen = ? WHERE id = ?"_s);
    for (const Devices::LastSeenUpdate &update : changes.lastSeen) {
        seen.bindValue(0, fromTime(update.lastSeen));
        seen.bindValue(1, update.id.toString());
        if (!seen.exec())
            return failWith(tr("saving last-seen times"), seen);
    }

    if (!m_db.commit())
        return std::unexpected(sqlError(tr("committing a write"), m_db.lastError()));
    return {};
}

Result<void> Database::appendEvents(const QList<Devices::Event> &events)
{
    if (events.isEmpty())
        return {};
    if (!m_db.transaction())
        return std::unexpected(sqlError(tr("starting a write"), m_db.lastError()));
    QSqlQuery insert(m_db);
    insert.prepare(u"INSERT OR REPLACE INTO events (id, time, kind, device_id, args) VALUES (?,?,?,?,?)"_s);
    for (const Devices::Event &e : events) {
        insert.bindValue(0, qlonglong(e.id));
        insert.bindValue(1, e.time.toMSecsSinceEpoch());
        insert.bindValue(2, int(e.kind));
        insert.bindValue(3, text(e.deviceId));
        insert.bindValue(4, QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(e.args)).toJson(QJsonDocument::Compact)));
        if (!insert.exec()) {
            const Error error = sqlError(tr("saving events"), insert.lastError());
            m_db.rollback();
            return std::unexpected(error);
        }
    }
    if (!m_db.commit())
        return std::unexpected(sqlError(tr("committing a write"), m_db.lastError()));
    return {};
}

Result<QList<Devices::Event>> Database::loadEvents(int limit)
{
    QSqlQuery query(m_db);
    query.prepare(u"SELECT id, time, kind, device_id, args FROM"
                  " (SELECT * FROM events ORDER BY id DESC LIMIT ?) ORDER BY id"_s);
    query.bindValue(0, limit);
    if (!query.exec())
        return std::unexpected(sqlError(tr("reading events"), query.lastError()));
    QList<Devices::Event> events;
    while (query.next()) {
        Devices::Event e;
        e.id = query.value(0).toULongLong();
        e.time = QDateTime::fromMSecsSinceEpoch(query.value(1).toLongLong(), Qt::UTC);
        e.kind = Devices::EventKind(query.value(2).toInt());
        e.deviceId = query.value(3).toString();
        const QJsonArray args = QJsonDocument::fromJson(query.value(4).toString().toUtf8()).array();
        for (const auto &arg : args)
            e.args.append(arg.toString());
        events.append(e);
    }
    return events;
}

Result<void> Database::pruneEvents(int keep)
{
    QSqlQuery query(m_db);
    query.prepare(u"DELETE FROM events WHERE id <= (SELECT id FROM events ORDER BY id DESC LIMIT 1 OFFSET ?)"_s);
    query.bindValue(0, keep);
    if (!query.exec())
        return std::unexpected(sqlError(tr("pruning events"), query.lastError()));
    return {};
}

} // namespace Vigil::Storage
