// The device tree dock: double-click opens channels, search, and the right-click menu —
// refresh catalog, device information, properties, remove (with confirmation), add.

#include "devicetree/devicefilterproxy.h"
#include "devicetree/deviceinfodialog.h"
#include "devicetree/devicepropertiesdialog.h"
#include "devicetree/devicetreemodel.h"
#include "devicetree/devicetreewidget.h"
#include "uitestsupport.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QTreeView>

#include <functional>

using namespace Qt::StringLiterals;
using namespace Vigil;
using Vigil::Ui::DeviceTreeModel;
using Vigil::Ui::DeviceTreeWidget;
using UiTest::channel;
using UiTest::deviceId;

namespace {

const DeviceId kNvr = deviceId("34020000001180000001");
const DeviceId kIpc = deviceId("34020000001320000009");

/// Runs `action` on the next modal dialog once it is open (QDialog::exec() blocks the test).
void whenModal(std::function<void(QWidget *)> action, int attempts = 200)
{
    QTimer::singleShot(10, qApp, [action = std::move(action), attempts]() mutable {
        if (QWidget *modal = QApplication::activeModalWidget())
            action(modal);
        else if (attempts > 0)
            whenModal(std::move(action), attempts - 1);
    });
}

/// What the window system delivers for a double-click: press, release, press, double-click, release.
void doubleClick(QWidget *widget, QPoint pos)
{
    QTest::mouseClick(widget, Qt::LeftButton, {}, pos);
    QTest::mouseDClick(widget, Qt::LeftButton, {}, pos);
}

QStringList actionNames(const QMenu &menu)
{
    QStringList names;
    for (const QAction *action : menu.actions()) {
        if (!action->isSeparator())
            names.append(action->objectName());
    }
    return names;
}

QAction *action(const QMenu &menu, const QString &name)
{
    for (QAction *a : menu.actions()) {
        if (a->objectName() == name)
            return a;
    }
    return nullptr;
}

struct Fixture {
    UiTest::TestBackend backend;
    std::unique_ptr<DeviceTreeWidget> tree;

    Fixture()
    {
        backend.addDevice(kNvr, u"Gate NVR"_s,
                          {channel(u"34020000001310000001"_s, u"东门入口"_s, kNvr.toString()),
                           channel(u"34020000001310000002"_s, u"Car park"_s, kNvr.toString())});
        backend.addDevice(kIpc, u"Lobby"_s, {}, "192.0.2.11");
        QCoreApplication::processEvents();
        tree = std::make_unique<DeviceTreeWidget>(backend);
        tree->resize(300, 400);
        tree->show();
    }
    QModelIndex source(const QString &channelId) const { return tree->model()->channelIndex(channelId); }
};

} // namespace

class TestDeviceTreeWidget : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { UiTest::isolateSettings(); }

    void doubleClickOpensAChannel()
    {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(f.tree.get()));
        QSignalSpy open(f.tree.get(), &DeviceTreeWidget::openChannelsRequested);
        f.tree->view()->expandAll();
        const QModelIndex proxyIndex = f.tree->proxy()->mapFromSource(f.source(u"34020000001310000002"_s));
        const QPoint pos = f.tree->view()->visualRect(proxyIndex).center();
        doubleClick(f.tree->view()->viewport(), pos);
        QCOMPARE(open.size(), 1);
        QCOMPARE(open[0][0].toStringList(), QStringList{u"34020000001310000002"_s});

        // A camera registered by itself opens from its own line.
        const QModelIndex ipc = f.tree->proxy()->mapFromSource(f.tree->model()->deviceIndex(kIpc));
        doubleClick(f.tree->view()->viewport(), f.tree->view()->visualRect(ipc).center());
        QCOMPARE(open.size(), 2);
        QCOMPARE(open[1][0].toStringList(), QStringList{kIpc.toString()});
    }

    void searchFieldFilters()
    {
        Fixture f;
        QTest::keyClicks(f.tree->searchField(), u"car p"_s);
        QTRY_COMPARE(f.tree->proxy()->rowCount(), 1);
        const QModelIndex nvr = f.tree->proxy()->index(0, 0);
        QCOMPARE(f.tree->proxy()->rowCount(nvr), 1);
        QVERIFY(f.tree->view()->isExpanded(nvr));
        f.tree->searchField()->clear();
        QTRY_COMPARE(f.tree->proxy()->rowCount(), 2);
    }

    void menusFitWhatWasClicked()
    {
        Fixture f;
        std::unique_ptr<QMenu> device(f.tree->createContextMenu(f.tree->model()->deviceIndex(kNvr)));
        QCOMPARE(actionNames(*device), (QStringList{u"open"_s, u"refreshCatalog"_s, u"deviceInfo"_s, u"properties"_s,
                                                    u"remove"_s, u"addDevice"_s, u"expandAll"_s, u"collapseAll"_s}));
        std::unique_ptr<QMenu> camera(f.tree->createContextMenu(f.source(u"34020000001310000001"_s)));
        QCOMPARE(actionNames(*camera), (QStringList{u"open"_s, u"refreshCatalog"_s, u"deviceInfo"_s, u"properties"_s,
                                                    u"addDevice"_s, u"expandAll"_s, u"collapseAll"_s}));
        std::unique_ptr<QMenu> empty(f.tree->createContextMenu({}));
        QCOMPARE(actionNames(*empty), (QStringList{u"addDevice"_s, u"expandAll"_s, u"collapseAll"_s}));

        QSignalSpy open(f.tree.get(), &DeviceTreeWidget::openChannelsRequested);
        action(*device, u"open"_s)->trigger();
        QCOMPARE(open[0][0].toStringList(), (QStringList{u"34020000001310000001"_s, u"34020000001310000002"_s}));

        QSignalSpy status(f.tree.get(), &DeviceTreeWidget::statusMessage);
        action(*camera, u"refreshCatalog"_s)->trigger();
        QCOMPARE(f.backend.catalogRefreshes, QList<DeviceId>{kNvr});
        QTRY_VERIFY(!status.isEmpty() && status.constLast()[0].toString().contains(u"2 entries"_s));

        // An offline device cannot be asked for anything.
        f.backend.registryObject.markOffline(kNvr, Devices::OfflineReason::RegistrationExpired);
        std::unique_ptr<QMenu> offline(f.tree->createContextMenu(f.tree->model()->deviceIndex(kNvr)));
        QVERIFY(!action(*offline, u"refreshCatalog"_s)->isEnabled());
    }

    void editsProperties()
    {
        Fixture f;
        whenModal([](QWidget *modal) {
            auto *dialog = qobject_cast<Ui::DevicePropertiesDialog *>(modal);
            QVERIFY(dialog);
            QVERIFY(dialog->idField()->isReadOnly());
            QCOMPARE(dialog->idField()->text(), kNvr.toString());
            dialog->passwordField()->setText(u"s3cret"_s);
            dialog->charsetField()->setCurrentIndex(dialog->charsetField()->findData(int(CharsetOverride::Gb18030)));
            dialog->transportField()->setCurrentIndex(
                dialog->transportField()->findData(int(Devices::MediaTransport::TcpActive)));
            dialog->profileField()->setCurrentIndex(dialog->profileField()->findData(int(Devices::StreamProfile::Sub)));
            dialog->subStreamAttributeField()->setCurrentIndex(
                dialog->subStreamAttributeField()->findData(int(Devices::SubStreamAttribute::StreamProfile)));
            dialog->accept();
        });
        f.tree->editProperties(kNvr);
        QCOMPARE(f.backend.settingsChanges.size(), 1);
        const auto &[id, settings] = f.backend.settingsChanges.first();
        QCOMPARE(id, kNvr);
        QCOMPARE(settings.password, u"s3cret"_s);
        QCOMPARE(settings.charset, CharsetOverride::Gb18030);
        QCOMPARE(settings.mediaTransport, Devices::MediaTransport::TcpActive);
        QCOMPARE(settings.streamProfile, Devices::StreamProfile::Sub);
        QCOMPARE(settings.subStreamAttribute, Devices::SubStreamAttribute::StreamProfile);
    }

    void addsADeviceByHand()
    {
        Fixture f;
        whenModal([](QWidget *modal) {
            auto *dialog = qobject_cast<Ui::DevicePropertiesDialog *>(modal);
            QVERIFY(dialog);
            QVERIFY(!dialog->idField()->isReadOnly());
            dialog->idField()->setText(u"1234"_s);
            QVERIFY(!dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
            dialog->idField()->setText(u"34020000001320000077"_s);
            QVERIFY(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
            dialog->accept();
        });
        f.tree->addDevice();
        QCOMPARE(f.backend.settingsChanges.size(), 1);
        QCOMPARE(f.backend.settingsChanges.first().first.toString(), u"34020000001320000077"_s);
    }

    void removesOnlyWhenConfirmed()
    {
        Fixture f;
        whenModal([](QWidget *modal) {
            auto *box = qobject_cast<QMessageBox *>(modal);
            QVERIFY(box);
            QVERIFY(box->text().contains(u"Lobby"_s));
            box->button(QMessageBox::Cancel)->click();
        });
        f.tree->removeDevice(kIpc);
        QVERIFY(f.backend.removals.isEmpty());

        whenModal([](QWidget *modal) { qobject_cast<QMessageBox *>(modal)->button(QMessageBox::Yes)->click(); });
        f.tree->removeDevice(kIpc);
        QCOMPARE(f.backend.removals, QList<DeviceId>{kIpc});
        QTRY_COMPARE(f.tree->model()->rowCount(), 1);
    }

    void showsDeviceInformation()
    {
        Fixture f;
        f.tree->showDeviceInfo(kNvr);
        auto *dialog = f.tree->findChild<Ui::DeviceInfoDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog->value(u"model"_s), u"DS-7608NI-K2"_s);
        QCOMPARE(dialog->value(u"firmware"_s), u"V4.30.085"_s);
        QVERIFY(dialog->value(u"address"_s).contains(u"192.0.2.10:5060"_s));
        QCOMPARE(dialog->value(u"type"_s), u"NVR"_s);
        dialog->query();
        QCOMPARE(f.backend.infoQueries, QList<DeviceId>{kNvr});
        // The device answers with a new firmware: the dialog follows the registry.
        f.backend.registryObject.setDeviceInfo(kNvr, u"Gate NVR"_s, u"Hikvision"_s, u"DS-7608NI-K2"_s, u"V4.31.000"_s, 2);
        QTRY_COMPARE(dialog->value(u"firmware"_s), u"V4.31.000"_s);
        dialog->close();
    }
};

QTEST_MAIN(TestDeviceTreeWidget)
#include "tst_devicetreewidget.moc"
