#include "devices/deviceregistry.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace Vigil;
using namespace Vigil::Devices;
using namespace Qt::StringLiterals;

namespace {

DeviceId did(const char *text)
{
    return *DeviceId::parse(QByteArrayView(text));
}

Sip::Peer peer(const char *ip, quint16 port)
{
    Sip::Peer p;
    p.address = QHostAddress(QString::fromLatin1(ip));
    p.port = port;
    return p;
}

Channel channel(const QString &id, const QString &name)
{
    Channel c;
    c.id = id;
    c.name = name;
    c.kind = Channel::kindOf(id);
    return c;
}

} // namespace

class TestDeviceRegistry : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void settingKeys()
    {
        // What settings files and the HTTP API write, and read back; nothing else is accepted.
        for (const MediaTransport t : {MediaTransport::Udp, MediaTransport::TcpPassive, MediaTransport::TcpActive})
            QCOMPARE(mediaTransportFromKey(QString(mediaTransportKey(t))), t);
        QCOMPARE(mediaTransportKey(MediaTransport::TcpPassive), QLatin1StringView("tcp-passive"));
        QVERIFY(!mediaTransportFromKey(u"TCP"));
        QVERIFY(!mediaTransportFromKey(u""));
        QCOMPARE(streamProfileFromKey(u"sub"), StreamProfile::Sub);
        QCOMPARE(streamProfileKey(StreamProfile::Main), QLatin1StringView("main"));
        QVERIFY(!streamProfileFromKey(u"high"));
    }

    void registrationBringsDeviceOnline()
    {
        DeviceRegistry registry;
        QSignalSpy added(&registry, &DeviceRegistry::deviceAdded);
        const DeviceId id = did("34020000001320000001");
        const QDateTime expires = QDateTime::currentDateTimeUtc().addSecs(3600);
        QVERIFY(registry.markRegistered(id, peer("198.51.100.23", 40122), expires, u"call-1"_s, u"IP Camera"_s, QString()));
        QCOMPARE(added.size(), 1);
        const auto device = registry.device(id);
        QVERIFY(device);
        QVERIFY(device->online);
        QCOMPARE(device->offlineReason, OfflineReason::None);
        QCOMPARE(device->route.port, quint16(40122));
        QCOMPARE(device->registrationExpiresAt, expires);
        QCOMPARE(registry.counts().online, 1);
        // a refresh is not a new online transition
        QVERIFY(!registry.markRegistered(id, peer("198.51.100.23", 40122), expires, u"call-1"_s, u"IP Camera"_s, QString()));
        QCOMPARE(registry.counts().online, 1);
    }

    void offlineKeepsReason()
    {
        DeviceRegistry registry;
        const DeviceId id = did("34020000001320000001");
        registry.markRegistered(id, peer("10.0.0.2", 5060), QDateTime::currentDateTimeUtc().addSecs(60), u"call-1"_s, {}, {});
        QSignalSpy changed(&registry, &DeviceRegistry::deviceChanged);
        QVERIFY(registry.markOffline(id, OfflineReason::KeepalivesMissed));
        QVERIFY(!registry.markOffline(id, OfflineReason::RegistrationExpired)); // already offline
        QCOMPARE(changed.size(), 1);
        QCOMPARE(registry.device(id)->offlineReason, OfflineReason::KeepalivesMissed);
        QCOMPARE(Device::offlineReasonText(OfflineReason::KeepalivesMissed, 3), u"3 keepalives missed"_s);
        QCOMPARE(registry.counts().online, 0);
    }

    void touchFollowsNatRebinding()
    {
        DeviceRegistry registry;
        const DeviceId id = did("34020000001320000001");
        registry.markRegistered(id, peer("198.51.100.23", 40122), QDateTime::currentDateTimeUtc().addSecs(60), u"call-1"_s, {}, {});
        registry.takeChanges();
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(!registry.touch(id, peer("198.51.100.23", 40122), now)); // same route
        auto changes = registry.takeChanges(LastSeenChanges::Keep);
        QVERIFY(changes.devices.isEmpty()); // last-seen only: kept for a later batch
        changes = registry.takeChanges(LastSeenChanges::Include);
        QCOMPARE(changes.lastSeen.size(), 1);
        QCOMPARE(changes.lastSeen.first().lastSeen, now);

        const auto previous = registry.touch(id, peer("198.51.100.23", 40999), now);
        QVERIFY(previous);
        QCOMPARE(previous->port, quint16(40122));
        QCOMPARE(registry.device(id)->route.port, quint16(40999));
        QCOMPARE(registry.takeChanges().devices.size(), 1);
        QVERIFY(!registry.touch(did("34020000001320000099"), peer("1.2.3.4", 1), now)); // unknown
    }

    void channelSetsReplaceAndMerge()
    {
        DeviceRegistry registry;
        const DeviceId nvr = did("34020000001180000001");
        registry.markRegistered(nvr, peer("10.0.0.2", 5060), QDateTime::currentDateTimeUtc().addSecs(60), u"call-1"_s, {}, {});
        registry.replaceChannels(nvr, {channel(u"34020000001310000001"_s, u"东门"_s),
                                       channel(u"34020000001310000002"_s, u"西门"_s)});
        QCOMPARE(registry.counts().channels, 2);
        QCOMPARE(registry.device(nvr)->channelCount, 2);
        QVERIFY(registry.device(nvr)->catalogSyncedAt.isValid());

        // partial data only adds and updates
        registry.mergeChannels(nvr, {channel(u"34020000001310000002"_s, u"西门出口"_s),
                                     channel(u"34020000001340000001"_s, u"门磁"_s)});
        auto channels = registry.channels(nvr);
        QCOMPARE(channels.size(), 3);
        QCOMPARE(channels.at(1).name, u"西门出口"_s);
        QCOMPARE(channels.at(2).kind, ChannelKind::AlarmInput);

        const auto found = registry.findChannel(u"34020000001340000001");
        QVERIFY(found);
        QCOMPARE(found->device, nvr);
        QCOMPARE(found->channel.name, u"门磁"_s);
        QCOMPARE(registry.deviceOf(u"34020000001340000001"), std::optional(nvr));
        QCOMPARE(registry.deviceOf(nvr.toString()), std::optional(nvr)); // addressed by its own ID
        QVERIFY(!registry.deviceOf(u"34020000001320000077")); // no such device or channel
        QVERIFY(!registry.deviceOf(u"not an id"));

        // a completed sync replaces
        registry.replaceChannels(nvr, {channel(u"34020000001310000003"_s, u"北门"_s)});
        QCOMPARE(registry.channels(nvr).size(), 1);
        QVERIFY(!registry.findChannel(u"34020000001310000001"));
        QCOMPARE(registry.counts().channels, 1);

        registry.removeChannels(nvr, {u"34020000001310000003"_s});
        QCOMPARE(registry.counts().channels, 0);
    }

    void channelKinds()
    {
        QCOMPARE(Channel::kindOf(u"340200"), ChannelKind::Region);
        QCOMPARE(Channel::kindOf(u"34"), ChannelKind::Region);
        QCOMPARE(Channel::kindOf(u"34020000002150000001"), ChannelKind::BusinessGroup);
        QCOMPARE(Channel::kindOf(u"34020000002160000001"), ChannelKind::VirtualOrganization);
        QCOMPARE(Channel::kindOf(u"34020000001310000001"), ChannelKind::Video);
        QCOMPARE(Channel::kindOf(u"34020000001320000001"), ChannelKind::Video);
        QCOMPARE(Channel::kindOf(u"34020000001180000001"), ChannelKind::Device);
        QCOMPARE(Channel::kindOf(u"hello"), ChannelKind::Other);
    }

    void removeAndChanges()
    {
        DeviceRegistry registry;
        const DeviceId id = did("34020000001320000001");
        registry.addDevice(id, DeviceSettings{u"secret"_s, CharsetOverride::Utf8, MediaTransport::TcpPassive,
                                              StreamProfile::Sub});
        QCOMPARE(registry.device(id)->settings.password, u"secret"_s);
        QVERIFY(!registry.device(id)->online);
        registry.replaceChannels(id, {channel(u"34020000001310000001"_s, u"a"_s)});
        auto changes = registry.takeChanges();
        QCOMPARE(changes.devices.size(), 1);
        QCOMPARE(changes.channels.value(id).size(), 1);
        QVERIFY(registry.remove(id));
        QVERIFY(!registry.remove(id));
        changes = registry.takeChanges();
        QCOMPARE(changes.removed, QList<DeviceId>{id});
        QVERIFY(changes.devices.isEmpty());
        QCOMPARE(registry.counts().devices, 0);
        QCOMPARE(registry.counts().channels, 0);
    }

    void readersOnOtherThreads()
    {
        // Readers take snapshots while the owner writes; nothing tears or crashes.
        DeviceRegistry registry;
        std::atomic<bool> stop{false};
        std::atomic<int> reads{0};
        QThread *reader = QThread::create([&] {
            while (!stop) {
                const auto all = registry.devices();
                for (const Device &d : all)
                    QVERIFY(!d.id.isNull());
                ++reads;
            }
        });
        reader->start();
        for (int i = 0; i < 2000; ++i) {
            const DeviceId id = *DeviceId::parse(u"340200000013200%1"_s.arg(i, 5, 10, QLatin1Char('0')));
            registry.markRegistered(id, peer("10.0.0.2", quint16(5060 + i % 100)),
                                    QDateTime::currentDateTimeUtc().addSecs(60), u"call-1"_s, {}, {});
            if (i % 3 == 0)
                registry.markOffline(id, OfflineReason::KeepalivesMissed);
        }
        QTRY_VERIFY(reads > 10);
        stop = true;
        reader->wait();
        delete reader;
        QCOMPARE(registry.counts().devices, 2000);
        QCOMPARE(registry.counts().online, 2000 - 667);
    }
};

QTEST_GUILESS_MAIN(TestDeviceRegistry)
#include "tst_deviceregistry.moc"
