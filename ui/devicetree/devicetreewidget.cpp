#include "devicetreewidget.h"

#include "consolebackend.h"
#include "devicefilterproxy.h"
#include "deviceinfodialog.h"
#include "devicepropertiesdialog.h"
#include "devices/deviceregistry.h"
#include "devicetreemodel.h"

#include <QCheckBox>
#include <QEvent>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Vigil::Ui {

DeviceTreeWidget::DeviceTreeWidget(ConsoleBackend &backend, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
{
    setObjectName(u"deviceTree"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);

    m_search = new QLineEdit(this);
    m_search->setObjectName(u"deviceSearch"_s);
    m_search->setClearButtonEnabled(true);
    layout->addWidget(m_search);
    m_onlineOnly = new QCheckBox(this);
    m_onlineOnly->setObjectName(u"onlineOnly"_s);
    layout->addWidget(m_onlineOnly);

    m_model = new DeviceTreeModel(backend.registry(), this);
    m_proxy = new DeviceFilterProxy(this);
    m_proxy->setSourceModel(m_model);

    m_view = new QTreeView(this);
    m_view->setObjectName(u"deviceTreeView"_s);
    m_view->setModel(m_proxy);
    m_view->setHeaderHidden(true);
    m_view->setUniformRowHeights(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setDragEnabled(true);
    m_view->setDragDropMode(QAbstractItemView::DragOnly);
    m_view->setExpandsOnDoubleClick(true);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->header()->setStretchLastSection(true);
    layout->addWidget(m_view);

    // Searching 10,000 devices on every key press would stutter: wait for a pause in typing.
    m_searchTimer = new QTimer(this);
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(200);
    connect(m_search, &QLineEdit::textChanged, m_searchTimer, qOverload<>(&QTimer::start));
    connect(m_searchTimer, &QTimer::timeout, this, [this] {
        m_proxy->setSearchText(m_search->text());
        if (!m_search->text().trimmed().isEmpty())
            m_view->expandAll();
    });
    connect(m_onlineOnly, &QCheckBox::toggled, m_proxy, &DeviceFilterProxy::setOnlineOnly);
    connect(m_view, &QTreeView::activated, this, &DeviceTreeWidget::onActivated);
    connect(m_view, &QWidget::customContextMenuRequested, this, &DeviceTreeWidget::showContextMenu);
    retranslate();
}

void DeviceTreeWidget::retranslate()
{
    m_search->setPlaceholderText(tr("Search by name, ID or address"));
    m_onlineOnly->setText(tr("Online only"));
    m_model->retranslate();
}

void DeviceTreeWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void DeviceTreeWidget::onActivated(const QModelIndex &proxyIndex)
{
    const QModelIndex source = m_proxy->mapToSource(proxyIndex);
    // Double-click on a device or group expands it (the view does that); channels open.
    if (source.data(DeviceTreeModel::NodeTypeRole).toInt() == int(DeviceTreeModel::NodeType::Channel)
        || (!m_model->hasChildren(source) && source.data(DeviceTreeModel::OpenableRole).toBool()))
        open(source);
}

void DeviceTreeWidget::open(const QModelIndex &sourceIndex)
{
    const QStringList channels = m_model->openableChannels(sourceIndex);
    if (channels.isEmpty()) {
        Q_EMIT statusMessage(tr("%1 has no video channel to open.").arg(sourceIndex.data().toString()));
        return;
    }
    Q_EMIT openChannelsRequested(channels);
}

QMenu *DeviceTreeWidget::createContextMenu(const QModelIndex &sourceIndex)
{
    auto *menu = new QMenu(this);
    menu->setObjectName(u"deviceTreeMenu"_s);
    if (sourceIndex.isValid()) {
        const QString deviceText = sourceIndex.data(DeviceTreeModel::DeviceIdRole).toString();
        const auto deviceId = DeviceId::parse(deviceText);
        const bool isDevice = sourceIndex.data(DeviceTreeModel::NodeTypeRole).toInt()
            == int(DeviceTreeModel::NodeType::Device);
        const QPersistentModelIndex persistent(sourceIndex);

        QAction *openAction = menu->addAction(tr("&Open"), this, [this, persistent] { open(persistent); });
        openAction->setObjectName(u"open"_s);
        openAction->setEnabled(!m_model->openableChannels(sourceIndex, 1).isEmpty());
        menu->addSeparator();
        if (deviceId) {
            const DeviceId id = *deviceId;
            const auto device = m_backend.registry().device(id);
            const bool online = device && device->online;
            QAction *refresh = menu->addAction(tr("&Refresh Catalog"), this, [this, id] { refreshCatalog(id); });
            refresh->setObjectName(u"refreshCatalog"_s);
            refresh->setEnabled(online);
            QAction *info = menu->addAction(tr("Device &Information…"), this, [this, id] { showDeviceInfo(id); });
            info->setObjectName(u"deviceInfo"_s);
            QAction *properties = menu->addAction(tr("&Properties…"), this, [this, id] { editProperties(id); });
            properties->setObjectName(u"properties"_s);
            if (isDevice) {
                menu->addSeparator();
                QAction *remove = menu->addAction(tr("Re&move Device…"), this, [this, id] { removeDevice(id); });
                remove->setObjectName(u"remove"_s);
            }
        }
        menu->addSeparator();
    }
    QAction *add = menu->addAction(tr("&Add Device…"), this, &DeviceTreeWidget::addDevice);
    add->setObjectName(u"addDevice"_s);
    QAction *expand = menu->addAction(tr("E&xpand All"), m_view, &QTreeView::expandAll);
    expand->setObjectName(u"expandAll"_s);
    QAction *collapse = menu->addAction(tr("&Collapse All"), m_view, &QTreeView::collapseAll);
    collapse->setObjectName(u"collapseAll"_s);
    return menu;
}

void DeviceTreeWidget::showContextMenu(const QPoint &pos)
{
    const QModelIndex source = m_proxy->mapToSource(m_view->indexAt(pos));
    QMenu *menu = createContextMenu(source);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(m_view->viewport()->mapToGlobal(pos));
}

void DeviceTreeWidget::refreshCatalog(const DeviceId &id)
{
    Q_EMIT statusMessage(tr("Asking %1 for its catalog…").arg(id.toString()));
    m_backend.refreshCatalog(id).then(this, [this, id](const Result<int> &result) {
        Q_EMIT statusMessage(result ? tr("Catalog of %1: %2 entries.").arg(id.toString()).arg(*result)
                                    : tr("Catalog of %1 failed: %2").arg(id.toString(), result.error().message));
    });
}

void DeviceTreeWidget::showDeviceInfo(const DeviceId &id)
{
    auto *dialog = new DeviceInfoDialog(m_backend, id, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void DeviceTreeWidget::editProperties(const DeviceId &id)
{
    const auto device = m_backend.registry().device(id);
    if (!device)
        return;
    DevicePropertiesDialog dialog(*device, this);
    if (dialog.exec() != QDialog::Accepted || dialog.settings() == device->settings)
        return;
    m_backend.setDeviceSettings(id, dialog.settings()).then(this, [this, id](const Result<void> &result) {
        Q_EMIT statusMessage(result ? tr("Settings of %1 saved.").arg(id.toString())
                                    : tr("Settings of %1 not saved: %2").arg(id.toString(), result.error().message));
    });
}

void DeviceTreeWidget::addDevice()
{
    DevicePropertiesDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted || dialog.deviceId().isNull())
        return;
    const DeviceId id = dialog.deviceId();
    m_backend.setDeviceSettings(id, dialog.settings()).then(this, [this, id](const Result<void> &result) {
        Q_EMIT statusMessage(result ? tr("Device %1 added; it appears online when it registers.").arg(id.toString())
                                    : tr("Device %1 not added: %2").arg(id.toString(), result.error().message));
    });
}

void DeviceTreeWidget::removeDevice(const DeviceId &id)
{
    const auto device = m_backend.registry().device(id);
    const QString name = device ? device->displayName() : id.toString();
    const auto answer = QMessageBox::question(
        this, tr("Remove Device"),
        tr("Remove %1 (%2) and its channels from Vigil?\n\nIf the device keeps registering, it comes back "
           "unless the server accepts known devices only.")
            .arg(name, id.toString()),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    m_backend.removeDevice(id).then(this, [this, name](const Result<void> &result) {
        Q_EMIT statusMessage(result ? tr("%1 removed.").arg(name)
                                    : tr("%1 not removed: %2").arg(name, result.error().message));
    });
}

} // namespace Vigil::Ui
