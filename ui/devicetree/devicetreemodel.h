#pragma once

#include "common/gbid.h"
#include "devices/device.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QSet>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <vector>

class QTimer;

namespace Vigil::Devices {
class DeviceRegistry;
}

namespace Vigil::Ui {

/// The device tree: devices, and under each the structure its catalog reports — regions
/// (civil codes), business groups, virtual organisations, sub-devices of a platform — down to
/// the channels. One column.
///
/// Built from the registry's value snapshots. Registry signals only mark devices as pending;
/// a timer applies them in one batch every kFlushDelayMs (flush() does it at once), with
/// minimal row inserts, removals and dataChanged, so that a registration storm of thousands
/// of devices costs a few model updates and keeps expansion and selection. Connect nothing to
/// the registry yourself: the model connects queued, so the registry may live on another
/// thread. GUI thread.
class DeviceTreeModel : public QAbstractItemModel {
    Q_OBJECT

public:
    enum class NodeType : std::uint8_t { Device, Group, Channel };
    Q_ENUM(NodeType)

    enum Role {
        NodeTypeRole = Qt::UserRole + 1, ///< int(NodeType)
        IdRole,          ///< QString: the device's, group's or channel's ID
        DeviceIdRole,    ///< QString: the ID of the device it belongs to
        OnlineRole,      ///< bool: the device, or the channel and its device, are online
        StreamingRole,   ///< bool: a channel shown in a video tile
        ChannelKindRole, ///< int(Devices::ChannelKind); -1 for devices
        PtzTypeRole,     ///< int: the catalog's PTZType (0 unknown)
        SearchTextRole,  ///< QString: what the search filter matches (name and ID)
        OpenableRole,    ///< bool: can be shown in a video tile
    };

    static constexpr int kFlushDelayMs = 100;
    /// How many channels one drag of a device or group carries at most.
    static constexpr int kMaxDraggedChannels = 64;

    explicit DeviceTreeModel(const Devices::DeviceRegistry &registry, QObject *parent = nullptr);
    ~DeviceTreeModel() override;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    Qt::DropActions supportedDragActions() const override;

    /// Applies the registry changes that are pending now, instead of waiting for the timer.
    void flush();
    bool hasPendingChanges() const;

    /// The channels shown in video tiles, for their icons.
    void setStreamingChannels(const QStringList &channelIds);

    QModelIndex deviceIndex(const DeviceId &id) const;
    /// The node with this group or channel ID (in any device), or an invalid index.
    QModelIndex channelIndex(const QString &channelId) const;
    /// The video channels at and under `index`, in tree order, at most `limit`; for a device
    /// that reports no video channel but is a camera itself, its own ID.
    QStringList openableChannels(const QModelIndex &index, int limit = kMaxDraggedChannels) const;

    /// Translated names for tool tips: "Dome", "Fixed bullet"...; "Unknown" for 0.
    static QString ptzTypeName(int ptzType);
    static QString channelKindName(Devices::ChannelKind kind);

    /// Re-reads translated texts (header, tool tips) after a language change.
    void retranslate();

Q_SIGNALS:
    /// A flush changed the tree.
    void updated();

private:
    struct Node;
    using NodePtr = std::unique_ptr<Node>;

    Node *nodeAt(const QModelIndex &index) const;
    QModelIndex indexOf(const Node *node) const;
    int rowOf(const Node *node) const;
    const Node *deviceNodeOf(const Node *node) const;
    bool isEffectivelyOnline(const Node *node) const;

    void scheduleDevice(const DeviceId &id);
    void scheduleChannels(const DeviceId &id);
    std::unique_ptr<Node> buildDevice(const Devices::Device &device) const;
    std::vector<std::unique_ptr<Node>> buildChannels(const QList<Devices::Channel> &channels) const;
    void removeRuns(Node *parent, const std::vector<bool> &keep);
    void insertSorted(Node *parent, std::vector<std::unique_ptr<Node>> items);
    void reconcile(Node *parent, std::vector<std::unique_ptr<Node>> desired);
    static void reindex(Node *deviceNode);
    void emitSubtreeChanged(Node *parent);

    QVariant icon(const Node *node) const;
    QString toolTip(const Node *node) const;

    const Devices::DeviceRegistry &m_registry;
    std::unique_ptr<Node> m_root;
    QHash<DeviceId, Node *> m_devices;
    QSet<DeviceId> m_pendingDevices;
    QSet<DeviceId> m_pendingChannels;
    QSet<QString> m_streaming;
    QTimer *m_flushTimer = nullptr;
};

} // namespace Vigil::Ui
