// The device tree model and its search filter, checked with QAbstractItemModelTester (fatal)
// through the sequences a registrar produces: registrations, catalogs of NVRs and platforms,
// re-parenting, channel removal, offline, removal, and a 10,000-device registration storm.

#include "channelmime.h"
#include "devicetree/devicefilterproxy.h"
#include "devicetree/devicetreemodel.h"
#include "uitestsupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QElapsedTimer>
#include <QMimeData>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace Vigil;
using Vigil::Ui::DeviceTreeModel;
using UiTest::channel;
using UiTest::deviceId;

namespace {

const DeviceId kNvr = deviceId("34020000001180000001");
const DeviceId kIpc = deviceId("34020000001320000009");
const DeviceId kPlatform = deviceId("34020000002000000099");

QList<Devices::Channel> nvrChannels(int count)
{
    QList<Devices::Channel> result;
    for (int i = 1; i <= count; ++i)
        result.append(channel(u"340200000013100000%1"_s.arg(i, 2, 10, QChar(u'0')), u"Camera %1"_s.arg(i),
                              kNvr.toString(), i == 1 ? 1 : 3));
    return result;
}

/// A lower platform's catalog: regions by civil code, a business group with a virtual
/// organisation, cameras under both, and a DVR with its own camera.
QList<Devices::Channel> platformCatalog()
{
    QList<Devices::Channel> c;
    c.append(channel(u"34"_s, u"安徽省"_s));
    c.append(channel(u"3402"_s, u"芜湖市"_s));
    c.append(channel(u"340202"_s, u"镜湖区"_s));
    c.append(channel(u"34020000002150000001"_s, u"治安监控"_s));
    c.append(channel(u"34020000002160000001"_s, u"东门岗亭"_s, u"34020000002150000001"_s));
    Devices::Channel gate = channel(u"34020000001310000101"_s, u"东门入口"_s, u"34020000002160000001"_s);
    c.append(gate);
    Devices::Channel street = channel(u"34020000001310000102"_s, u"中山路口"_s);
    street.civilCode = u"340202"_s;
    c.append(street);
    c.append(channel(u"34020000001110000001"_s, u"DVR-1"_s, u"3402"_s));
    c.append(channel(u"34020000001310000103"_s, u"DVR camera"_s, u"34020000001110000001"_s));
    return c;
}

/// Delivers the registry's queued signals and applies them to the model now.
void settle(DeviceTreeModel &model)
{
    QCoreApplication::processEvents();
    model.flush();
}

QStringList childNames(const QAbstractItemModel &model, const QModelIndex &parent)
{
    QStringList names;
    for (int row = 0; row < model.rowCount(parent); ++row)
        names.append(model.index(row, 0, parent).data().toString());
    return names;
}

QModelIndex childNamed(const QAbstractItemModel &model, const QModelIndex &parent, const QString &name)
{
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex child = model.index(row, 0, parent);
        if (child.data().toString() == name)
            return child;
    }
    return {};
}

} // namespace

class TestDeviceTreeModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { UiTest::isolateSettings(); }

    void startsFromWhatTheRegistryHolds()
    {
        UiTest::TestBackend backend;
        backend.addDevice(kNvr, u"Gate NVR"_s, nvrChannels(4));
        DeviceTreeModel model(backend.registry());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex nvr = model.index(0, 0);
        QCOMPARE(nvr.data().toString(), u"Gate NVR"_s);
        QCOMPARE(childNames(model, nvr), (QStringList{u"Camera 1"_s, u"Camera 2"_s, u"Camera 3"_s, u"Camera 4"_s}));
        QCOMPARE(nvr.data(DeviceTreeModel::OnlineRole).toBool(), true);
        QCOMPARE(model.index(0, 0, nvr).data(DeviceTreeModel::PtzTypeRole).toInt(), 1);
        QCOMPARE(model.index(0, 0, nvr).data(DeviceTreeModel::DeviceIdRole).toString(), kNvr.toString());
        QVERIFY(!model.index(0, 0, nvr).data(Qt::DecorationRole).value<QIcon>().isNull());
    }

    void followsRegistrationsCatalogsAndRemovals()
    {
        UiTest::TestBackend backend;
        DeviceTreeModel model(backend.registry());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy updated(&model, &DeviceTreeModel::updated);

        backend.addDevice(kNvr, u"Gate NVR"_s);
        backend.addDevice(kIpc, u"Lobby"_s, {}, "192.0.2.11");
        QVERIFY(updated.wait());
        QCOMPARE(childNames(model, {}), (QStringList{u"Gate NVR"_s, u"Lobby"_s}));

        // A catalog arrives, then a bigger one, then one without channel 2.
        backend.registryObject.replaceChannels(kNvr, nvrChannels(3));
        QTRY_COMPARE(model.rowCount(model.deviceIndex(kNvr)), 3);
        const QPersistentModelIndex camera3 = model.channelIndex(u"34020000001310000003"_s);
        QVERIFY(camera3.isValid());
        backend.registryObject.replaceChannels(kNvr, nvrChannels(8));
        QTRY_COMPARE(model.rowCount(model.deviceIndex(kNvr)), 8);
        QVERIFY2(camera3.isValid(), "a channel that stays keeps its index (selection, expansion)");
        QList<Devices::Channel> without2 = nvrChannels(8);
        without2.removeAt(1);
        backend.registryObject.replaceChannels(kNvr, without2);
        QTRY_COMPARE(model.rowCount(model.deviceIndex(kNvr)), 7);
        QVERIFY(!model.channelIndex(u"34020000001310000002"_s).isValid());
        QVERIFY(camera3.isValid());
        QCOMPARE(camera3.data().toString(), u"Camera 3"_s);

        // A renamed channel and a NOTIFY that it went off.
        without2[0].name = u"Front door"_s;
        backend.registryObject.mergeChannels(kNvr, {without2[0]});
        backend.registryObject.setChannelOnline(kNvr, u"34020000001310000003"_s, false);
        QTRY_COMPARE(model.channelIndex(u"34020000001310000001"_s).data().toString(), u"Front door"_s);
        QTRY_COMPARE(camera3.data(DeviceTreeModel::OnlineRole).toBool(), false);

        // The NVR drops off: it and everything under it shows offline.
        backend.registryObject.markOffline(kNvr, Devices::OfflineReason::KeepalivesMissed);
        QTRY_COMPARE(model.deviceIndex(kNvr).data(DeviceTreeModel::OnlineRole).toBool(), false);
        QCOMPARE(model.channelIndex(u"34020000001310000001"_s).data(DeviceTreeModel::OnlineRole).toBool(), false);
        QVERIFY(model.deviceIndex(kNvr).data(Qt::ToolTipRole).toString().contains(u"3 keepalives missed"_s));

        backend.registryObject.removeChannels(kNvr, {u"34020000001310000004"_s, u"34020000001310000005"_s});
        QTRY_COMPARE(model.rowCount(model.deviceIndex(kNvr)), 5);

        // Removed and registered again before the model looked: it starts without a catalog.
        backend.registryObject.remove(kNvr);
        backend.addDevice(kNvr, u"Gate NVR"_s);
        settle(model);
        QCOMPARE(model.rowCount(model.deviceIndex(kNvr)), 0);
        backend.registryObject.replaceChannels(kNvr, nvrChannels(2));
        settle(model);

        backend.registryObject.remove(kIpc);
        QTRY_COMPARE(model.rowCount(), 1);
        backend.registryObject.remove(kNvr);
        QTRY_COMPARE(model.rowCount(), 0);
        QVERIFY(!camera3.isValid());
    }

    void buildsThePlatformHierarchy()
    {
        UiTest::TestBackend backend;
        backend.addDevice(kPlatform, u"下级平台"_s, platformCatalog());
        DeviceTreeModel model(backend.registry());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        const QModelIndex platform = model.deviceIndex(kPlatform);
        // Regions first, then business groups, then the rest.
        QCOMPARE(childNames(model, platform), (QStringList{u"安徽省"_s, u"治安监控"_s}));
        const QModelIndex province = childNamed(model, platform, u"安徽省"_s);
        const QModelIndex city = childNamed(model, province, u"芜湖市"_s);
        QVERIFY(city.isValid());
        // The district by its civil code, the street camera by its CivilCode, the DVR by ParentID.
        const QModelIndex district = childNamed(model, city, u"镜湖区"_s);
        QCOMPARE(childNames(model, district), QStringList{u"中山路口"_s});
        const QModelIndex dvr = childNamed(model, city, u"DVR-1"_s);
        QCOMPARE(childNames(model, dvr), QStringList{u"DVR camera"_s});
        const QModelIndex group = childNamed(model, platform, u"治安监控"_s);
        const QModelIndex organisation = childNamed(model, group, u"东门岗亭"_s);
        QCOMPARE(childNames(model, organisation), QStringList{u"东门入口"_s});
        QCOMPARE(organisation.data(DeviceTreeModel::NodeTypeRole).toInt(), int(DeviceTreeModel::NodeType::Group));
        QCOMPARE(model.channelIndex(u"34020000001310000101"_s).parent(), organisation);

        // The platform moves the gate camera to the district and drops the organisation.
        QList<Devices::Channel> moved = platformCatalog();
        moved.removeAt(4);
        moved[4].parentId.clear();
        moved[4].civilCode = u"340202"_s;
        backend.registryObject.replaceChannels(kPlatform, moved);
        settle(model);
        QCOMPARE(childNames(model, district), (QStringList{u"东门入口"_s, u"中山路口"_s}));
        QCOMPARE(model.rowCount(group), 0);
    }

    void survivesSloppyCatalogs()
    {
        UiTest::TestBackend backend;
        QList<Devices::Channel> sloppy;
        // Duplicates, a parent loop, a path-style ParentID, an unknown parent, an empty ID.
        sloppy.append(channel(u"34020000002160000001"_s, u"A"_s, u"34020000002160000002"_s));
        sloppy.append(channel(u"34020000002160000002"_s, u"B"_s, u"34020000002160000001"_s));
        sloppy.append(channel(u"34020000001310000001"_s, u"Cam"_s, u"34020000002160000002/34020000002160000001"_s));
        sloppy.append(channel(u"34020000001310000001"_s, u"Cam again"_s, u"34020000002160000001"_s));
        sloppy.append(channel(u"34020000001310000002"_s, u"Orphan"_s, u"34020000002169999999"_s));
        sloppy.append(channel(QString(), u"No ID"_s));
        backend.addDevice(kPlatform, u"Sloppy"_s, sloppy);
        DeviceTreeModel model(backend.registry());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        const QModelIndex platform = model.deviceIndex(kPlatform);
        QVERIFY(model.channelIndex(u"34020000001310000001"_s).isValid());
        QCOMPARE(model.channelIndex(u"34020000001310000001"_s).data().toString(), u"Cam again"_s);
        QCOMPARE(model.channelIndex(u"34020000001310000002"_s).parent(), platform);
        // Everything is reachable from the device: no node is lost in the loop.
        int total = 0;
        const auto count = [&](const QModelIndex &parent, auto &self) -> void {
            for (int row = 0; row < model.rowCount(parent); ++row) {
                ++total;
                self(model.index(row, 0, parent), self);
            }
        };
        count(platform, count);
        QCOMPARE(total, 4);
    }

    void marksStreamingChannels()
    {
        UiTest::TestBackend backend;
        backend.addDevice(kNvr, u"Gate NVR"_s, nvrChannels(2));
        DeviceTreeModel model(backend.registry());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setStreamingChannels({u"34020000001310000002"_s});
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.channelIndex(u"34020000001310000002"_s).data(DeviceTreeModel::StreamingRole).toBool(), true);
        QCOMPARE(model.channelIndex(u"34020000001310000001"_s).data(DeviceTreeModel::StreamingRole).toBool(), false);
        model.setStreamingChannels({});
        QCOMPARE(changed.size(), 2);
    }

    void toolTipsSayWhatInstallersNeed()
    {
        UiTest::TestBackend backend;
        backend.addDevice(kNvr, u"Gate NVR"_s, nvrChannels(2));
        DeviceTreeModel model(backend.registry());
        const QString device = model.deviceIndex(kNvr).data(Qt::ToolTipRole).toString();
        for (const QString &expected : {u"Gate NVR"_s, u"DS-7608NI-K2"_s, u"V4.30.085"_s, u"192.0.2.10:5060"_s,
                                        u"Last seen"_s, u"Online"_s, u"NVR"_s})
            QVERIFY2(device.contains(expected), qPrintable(expected + u" missing from "_s + device));
        const QString camera = model.channelIndex(u"34020000001310000002"_s).data(Qt::ToolTipRole).toString();
        QVERIFY(camera.contains(u"Fixed bullet"_s));
        QVERIFY(camera.contains(u"Gate NVR"_s));
    }

    void dragsChannels()
    {
        UiTest::TestBackend backend;
        backend.addDevice(kNvr, u"Gate NVR"_s, nvrChannels(3));
        backend.addDevice(kIpc, u"Lobby"_s, {}, "192.0.2.11");
        DeviceTreeModel model(backend.registry());
        QCOMPARE(model.mimeTypes(), QStringList{Ui::ChannelMime::kChannelsType});
        std::unique_ptr<QMimeData> one(model.mimeData({model.channelIndex(u"34020000001310000002"_s)}));
        QCOMPARE(Ui::ChannelMime::decodeChannels(one.get()), QStringList{u"34020000001310000002"_s});
        // A device drags all its cameras; an IPC without a catalog drags itself.
        std::unique_ptr<QMimeData> all(model.mimeData({model.deviceIndex(kNvr), model.deviceIndex(kIpc)}));
        QCOMPARE(Ui::ChannelMime::decodeChannels(all.get()),
                 (QStringList{u"34020000001310000001"_s, u"34020000001310000002"_s, u"34020000001310000003"_s,
                              kIpc.toString()}));
    }

    void searchFindsNamesAndIdsInAnyScript()
    {
        UiTest::TestBackend backend;
        backend.addDevice(kPlatform, u"下级平台"_s, platformCatalog());
        backend.addDevice(kNvr, u"Gate NVR"_s, nvrChannels(4));
        DeviceTreeModel model(backend.registry());
        Ui::DeviceFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);

        proxy.setSearchText(u"东门"_s);
        // The platform stays as context, with the path down to the matches.
        QCOMPARE(proxy.rowCount(), 1);
        const QModelIndex platform = proxy.index(0, 0);
        QCOMPARE(platform.data().toString(), u"下级平台"_s);
        QCOMPARE(childNames(proxy, platform), QStringList{u"治安监控"_s});

        proxy.setSearchText(u"camera 3"_s);
        QCOMPARE(childNames(proxy, {}), QStringList{u"Gate NVR"_s});
        QCOMPARE(childNames(proxy, proxy.index(0, 0)), QStringList{u"Camera 3"_s});

        // Full-width digits typed with a Chinese input method find the ID.
        proxy.setSearchText(u"１３１００００００４"_s);
        QCOMPARE(childNames(proxy, proxy.index(0, 0)), QStringList{u"Camera 4"_s});

        // A matching device shows all its channels.
        proxy.setSearchText(u"gate nvr"_s);
        QCOMPARE(proxy.rowCount(proxy.index(0, 0)), 4);

        proxy.setSearchText(QString());
        backend.registryObject.markOffline(kNvr, Devices::OfflineReason::Unregistered);
        settle(model);
        proxy.setOnlineOnly(true);
        QCOMPARE(childNames(proxy, {}), QStringList{u"下级平台"_s});
    }

    void registrationStormOf10000Devices()
    {
        UiTest::TestBackend backend;
        backend.addDevice(kNvr, u"Gate NVR"_s, nvrChannels(4));
        DeviceTreeModel model(backend.registry());
        Ui::DeviceFilterProxy proxy;
        proxy.setSourceModel(&model);
        // No QAbstractItemModelTester here: it walks the whole tree on every signal, which is
        // what this test measures the absence of. The tests above check the same code paths.
        // A tree view shows it, as in the console.
        QTreeView view;
        view.setUniformRowHeights(true);
        view.setModel(&proxy);
        view.resize(300, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        QElapsedTimer timer;
        timer.start();
        for (int i = 1; i <= 10000; ++i) {
            const DeviceId id = deviceId(QByteArray("3402000000132" + QByteArray::number(i).rightJustified(7, '0')).constData());
            backend.registryObject.markRegistered(id, UiTest::peer("198.51.100.1", std::uint16_t(10000 + i % 50000)),
                                                  QDateTime::currentDateTimeUtc().addSecs(3600), u"c"_s, u"IPC"_s, u"2.0"_s);
            backend.registryObject.setDeviceInfo(id, u"摄像机 %1"_s.arg(i), u"Dahua"_s, u"IPC-HFW"_s, u"2.8"_s, 1);
        }
        const qint64 registerMs = timer.restart();
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 10001, 30000);
        const qint64 modelMs = timer.elapsed();
        qInfo("10000 registrations + DeviceInfo: registry %lld ms, model and proxy caught up %lld ms later "
              "in %lld row inserts and %lld dataChanged",
              registerMs, modelMs, qlonglong(inserted.size()), qlonglong(changed.size()));
        // The storm arrives as a handful of batched inserts, not 10,000 of them.
        QVERIFY(inserted.size() <= 20);
        QCOMPARE(proxy.rowCount(), 10001);

        timer.restart();
        proxy.setSearchText(u"摄像机 9999"_s);
        qInfo("search over 10001 devices: %lld ms", timer.elapsed());
        QCOMPARE(proxy.rowCount(), 1);

        // A thousand of them report 16-channel catalogs at once.
        timer.restart();
        for (int i = 1; i <= 10000; i += 10) {
            QList<Devices::Channel> catalog;
            for (int c = 1; c <= 16; ++c)
                catalog.append(channel(u"3402000000131%1"_s.arg(i * 100 + c, 7, 10, QChar(u'0')), u"通道 %1"_s.arg(c)));
            backend.registryObject.replaceChannels(
                deviceId(QByteArray("3402000000132" + QByteArray::number(i).rightJustified(7, '0')).constData()), catalog);
        }
        const qint64 catalogMs = timer.restart();
        settle(model);
        QCoreApplication::processEvents(); // the view lays out and paints
        qInfo("1000 catalogs of 16 channels: registry %lld ms, model %lld ms", catalogMs, timer.elapsed());
        QCOMPARE(model.rowCount(model.deviceIndex(
                     deviceId(QByteArray("3402000000132" + QByteArray::number(9991).rightJustified(7, '0')).constData()))),
                 16);
        timer.restart();
        proxy.setSearchText(u"通道 16"_s);
        qInfo("search over 10001 devices and 16004 channels: %lld ms", timer.elapsed());
        QCOMPARE(proxy.rowCount(), 1000);
        proxy.setSearchText(QString());

        // Half of them drop off at once.
        proxy.setSearchText(QString());
        timer.restart();
        for (int i = 1; i <= 10000; i += 2)
            backend.registryObject.markOffline(
                deviceId(QByteArray("3402000000132" + QByteArray::number(i).rightJustified(7, '0')).constData()),
                Devices::OfflineReason::KeepalivesMissed);
        settle(model);
        QCoreApplication::processEvents();
        qInfo("5000 devices offline: %lld ms", timer.elapsed());
        QCOMPARE(backend.registry().counts().online, 5001);
    }
};

QTEST_MAIN(TestDeviceTreeModel)
#include "tst_devicetreemodel.moc"
