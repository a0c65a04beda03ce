#include "storage/database.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Vigil;
using namespace Vigil::Devices;
using namespace Vigil::Storage;
using namespace Qt::StringLiterals;

class TestDatabase : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTripsDevicesAndChannels()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"data/vigil.db"_s);
        DeviceRegistry registry;
        const DeviceId id = *DeviceId::parse(u"34020000001180000001"_s);
        Sip::Peer route;
        route.address = QHostAddress(u"198.51.100.23"_s);
        route.port = 40122;
        route.transport = Sip::TransportKind::Tcp;
        const QDateTime expires = QDateTime::fromMSecsSinceEpoch(QDateTime::currentMSecsSinceEpoch() + 3600000, Qt::UTC);
        registry.markRegistered(id, route, expires, u"call-1"_s, u"NVR"_s, u"3.0"_s);
        registry.setDeviceInfo(id, u"一号楼 NVR"_s, u"Hikvision"_s, u"DS-7608"_s, u"V4.1"_s, 8);
        registry.setSettings(id, DeviceSettings{u"12345678"_s, CharsetOverride::Gb18030, MediaTransport::TcpActive,
                                                StreamProfile::Sub, SubStreamAttribute::StreamMode});
        Channel c;
        c.id = u"34020000001310000001"_s;
        c.name = u"东门入口"_s;
        c.parentId = id.toString();
        c.ptzType = 1;
        c.longitude = 117.2272;
        c.online = false;
        Channel region;
        region.id = u"340200"_s;
        region.name = u"合肥"_s;
        region.kind = ChannelKind::Region;
        registry.replaceChannels(id, {region, c});

        {
            auto db = Database::open(path);
            QVERIFY2(db, qPrintable(db ? QString() : db.error().message));
            QCOMPARE((*db)->schemaVersion(), Database::kSchemaVersion);
            const auto applied = (*db)->apply(registry.takeChanges());
            QVERIFY2(applied.has_value(), qPrintable(applied ? QString() : applied.error().message));
        }
        auto db = Database::open(path); // reopen: no migration needed, data is there
        QVERIFY(db);
        const auto snapshot = (*db)->load();
        QVERIFY(snapshot);
        QCOMPARE(snapshot->devices.size(), 1);
        const Device &d = snapshot->devices.first();
        QCOMPARE(d.id, id);
        QCOMPARE(d.name, u"一号楼 NVR"_s);
        QCOMPARE(d.firmware, u"V4.1"_s);
        QCOMPARE(d.gbVersion, u"3.0"_s);
        QVERIFY(d.online);
        QCOMPARE(d.route, route);
        QCOMPARE(d.registrationExpiresAt, expires);
        QCOMPARE(d.settings.password, u"12345678"_s);
        QCOMPARE(d.settings.mediaTransport, MediaTransport::TcpActive);
        QCOMPARE(d.settings.streamProfile, StreamProfile::Sub);
        QCOMPARE(d.settings.subStreamAttribute, SubStreamAttribute::StreamMode);
        const auto channels = snapshot->channels.value(id);
        QCOMPARE(channels.size(), 2);
        QCOMPARE(channels.at(0), region);
        QCOMPARE(channels.at(1), c);

        // last-seen batches and removal
        const QDateTime seen = QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC);
        RegistryChanges changes;
        changes.lastSeen.append(LastSeenUpdate{id, seen});
        QVERIFY((*db)->apply(changes));
        QCOMPARE((*db)->load()->devices.first().lastSeen, seen);
        changes = RegistryChanges();
        changes.removed.append(id);
        QVERIFY((*db)->apply(changes));
        QVERIFY((*db)->load()->devices.isEmpty());
        QVERIFY((*db)->load()->channels.isEmpty()); // cascaded
    }

    void events()
    {
        QTemporaryDir dir;
        auto db = Database::open(dir.filePath(u"vigil.db"_s));
        QVERIFY(db);
        QList<Event> events;
        for (int i = 1; i <= 20; ++i) {
            Event e;
            e.id = quint64(i);
            e.time = QDateTime::currentDateTimeUtc();
            e.kind = EventKind::AuthFailed;
            e.deviceId = u"34020000001320000001"_s;
            e.args = {u"udp:10.0.0.1:5060"_s, u"wrong password %1"_s.arg(i)};
            events.append(e);
        }
        QVERIFY((*db)->appendEvents(events));
        auto loaded = (*db)->loadEvents(5);
        QVERIFY(loaded);
        QCOMPARE(loaded->size(), 5);
        QCOMPARE(loaded->first().id, 16u);
        QCOMPARE(loaded->last().args.at(1), u"wrong password 20"_s);
        QVERIFY((*db)->pruneEvents(3));
        QCOMPARE((*db)->loadEvents(100)->size(), 3);
    }

    void upgradesSchemaOne()
    {
        // A database from the first release: its devices and settings survive the upgrade,
        // and the sub stream request takes its default.
        QTemporaryDir dir;
        const QString path = dir.filePath(u"vigil.db"_s);
        {
            auto raw = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"raw1"_s);
            raw.setDatabaseName(path);
            QVERIFY(raw.open());
            QSqlQuery q(raw);
            QVERIFY(q.exec(u"CREATE TABLE devices (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL DEFAULT '',"
                           " manufacturer TEXT NOT NULL DEFAULT '', model TEXT NOT NULL DEFAULT '',"
                           " firmware TEXT NOT NULL DEFAULT '', reported_channels INTEGER NOT NULL DEFAULT 0,"
                           " user_agent TEXT NOT NULL DEFAULT '', gb_version TEXT NOT NULL DEFAULT '',"
                           " online INTEGER NOT NULL DEFAULT 0, offline_reason INTEGER NOT NULL DEFAULT 1,"
                           " last_seen INTEGER, registered_at INTEGER, expires_at INTEGER, catalog_synced_at INTEGER,"
                           " call_id TEXT NOT NULL DEFAULT '', route_address TEXT NOT NULL DEFAULT '',"
                           " route_port INTEGER NOT NULL DEFAULT 0, route_transport INTEGER NOT NULL DEFAULT 0,"
                           " password TEXT NOT NULL DEFAULT '', charset INTEGER NOT NULL DEFAULT 0,"
                           " media_transport INTEGER NOT NULL DEFAULT 0, stream_profile INTEGER NOT NULL DEFAULT 0)"_s));
            QVERIFY(q.exec(u"CREATE TABLE channels (device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,"
                           " id TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL DEFAULT '',"
                           " kind INTEGER NOT NULL DEFAULT 0, manufacturer TEXT NOT NULL DEFAULT '',"
                           " model TEXT NOT NULL DEFAULT '', owner TEXT NOT NULL DEFAULT '',"
                           " civil_code TEXT NOT NULL DEFAULT '', block TEXT NOT NULL DEFAULT '',"
                           " address TEXT NOT NULL DEFAULT '', parent_id TEXT NOT NULL DEFAULT '',"
                           " business_group_id TEXT NOT NULL DEFAULT '', parental INTEGER NOT NULL DEFAULT 0,"
                           " online INTEGER NOT NULL DEFAULT 1, ptz_type INTEGER NOT NULL DEFAULT 0,"
                           " longitude REAL, latitude REAL, ip_address TEXT NOT NULL DEFAULT '',"
                           " port INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (device_id, id))"_s));
            QVERIFY(q.exec(u"CREATE TABLE events (id INTEGER PRIMARY KEY, time INTEGER NOT NULL, kind INTEGER NOT NULL,"
                           " device_id TEXT NOT NULL DEFAULT '', args TEXT NOT NULL DEFAULT '[]')"_s));
            QVERIFY(q.exec(u"INSERT INTO devices (id, name, password, media_transport, stream_profile)"
                           " VALUES ('34020000001320000007', '门卫室', 'secret', 1, 1)"_s));
            QVERIFY(q.exec(u"PRAGMA user_version=1"_s));
            raw.close();
        }
        QSqlDatabase::removeDatabase(u"raw1"_s);
        auto db = Database::open(path);
        QVERIFY2(db, qPrintable(db ? QString() : db.error().message));
        QCOMPARE((*db)->schemaVersion(), Database::kSchemaVersion);
        const auto snapshot = (*db)->load();
        QVERIFY(snapshot);
        QCOMPARE(snapshot->devices.size(), 1);
        const Device &d = snapshot->devices.first();
        QCOMPARE(d.name, u"门卫室"_s);
        QCOMPARE(d.settings.password, u"secret"_s);
        QCOMPARE(d.settings.mediaTransport, MediaTransport::TcpPassive);
        QCOMPARE(d.settings.streamProfile, StreamProfile::Sub);
        QCOMPARE(d.settings.subStreamAttribute, SubStreamAttribute::StreamNumber);
    }

    void refusesNewerSchema()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"vigil.db"_s);
        {
            auto raw = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"raw"_s);
            raw.setDatabaseName(path);
            QVERIFY(raw.open());
            QSqlQuery(raw).exec(u"PRAGMA user_version=99"_s);
            raw.close();
        }
        QSqlDatabase::removeDatabase(u"raw"_s);
        const auto db = Database::open(path);
        QVERIFY(!db);
        QVERIFY2(db.error().message.contains(u"newer Vigil"_s), qPrintable(db.error().message));
    }

    void reportsUnwritableFolder()
    {
        const auto db = Database::open(u"/proc/vigil-cannot-exist/x/vigil.db"_s);
        QVERIFY(!db);
        QVERIFY(db.error().message.contains(u"--data-dir"_s));
    }
};

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
