#pragma once

#include "common/gbid.h"

#include <QWidget>

class QCheckBox;
class QLineEdit;
class QMenu;
class QModelIndex;
class QTimer;
class QTreeView;

namespace Vigil::Ui {

class ConsoleBackend;
class DeviceFilterProxy;
class DeviceTreeModel;

/// The device tree dock's content: a search field over the tree, double-click to open a
/// channel, drag channels onto video tiles, and the right-click menu (open, refresh catalog,
/// device information, properties, remove). GUI thread.
class DeviceTreeWidget : public QWidget {
    Q_OBJECT

public:
    explicit DeviceTreeWidget(ConsoleBackend &backend, QWidget *parent = nullptr);

    DeviceTreeModel *model() const noexcept { return m_model; }
    DeviceFilterProxy *proxy() const noexcept { return m_proxy; }
    QTreeView *view() const noexcept { return m_view; }
    QLineEdit *searchField() const noexcept { return m_search; }

    /// The right-click menu for `sourceIndex` (a DeviceTreeModel index; invalid: the empty
    /// area). The caller owns it.
    QMenu *createContextMenu(const QModelIndex &sourceIndex);

    /// Opens the channels at and under `sourceIndex` (emits openChannelsRequested()).
    void open(const QModelIndex &sourceIndex);
    void refreshCatalog(const DeviceId &id);
    void showDeviceInfo(const DeviceId &id);
    void editProperties(const DeviceId &id);
    void addDevice();
    /// Asks for confirmation, then removes the device.
    void removeDevice(const DeviceId &id);

Q_SIGNALS:
    void openChannelsRequested(const QStringList &channelIds);
    void statusMessage(const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void onActivated(const QModelIndex &proxyIndex);
    void showContextMenu(const QPoint &pos);

    ConsoleBackend &m_backend;
    DeviceTreeModel *m_model = nullptr;
    DeviceFilterProxy *m_proxy = nullptr;
    QTreeView *m_view = nullptr;
    QLineEdit *m_search = nullptr;
    QCheckBox *m_onlineOnly = nullptr;
    QTimer *m_searchTimer = nullptr;
};

} // namespace Vigil::Ui
