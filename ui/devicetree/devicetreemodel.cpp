#include "devicetreemodel.h"

#include "channelmime.h"
#include "devices/deviceregistry.h"
#include "format.h"
#include "icons.h"

#include <QApplication>
#include <QMimeData>
#include <QPalette>
#include <QTimer>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace Vigil::Ui {

using Devices::Channel;
using Devices::ChannelKind;

struct DeviceTreeModel::Node {
    NodeType type = NodeType::Channel;
    int rank = 0; ///< sorts groups before channels
    QString id;
    Node *parent = nullptr;
    mutable int row = 0;
    mutable bool childRowsDirty = false;
    std::unique_ptr<Devices::Device> device; ///< device nodes
    Channel channel;                         ///< group and channel nodes
    std::vector<std::unique_ptr<Node>> children;
    QHash<QString, Node *> descendants;     ///< device nodes: every group and channel by ID
};

namespace {

int rankOf(ChannelKind kind)
{
    switch (kind) {
    case ChannelKind::Region: return 0;
    case ChannelKind::BusinessGroup: return 1;
    case ChannelKind::VirtualOrganization: return 2;
    case ChannelKind::Device: return 3;
    default: return 4;
    }
}

bool isGroupKind(ChannelKind kind)
{
    return rankOf(kind) < 4;
}

/// <0, 0, >0 like strcmp, on (rank, id): the order of siblings.
template <typename N>
int compareNodes(const N &a, const N &b)
{
    if (a.rank != b.rank)
        return a.rank < b.rank ? -1 : 1;
    return a.id.compare(b.id);
}

bool isCameraDevice(const DeviceId &id)
{
    return id.type() == GbType::Ipc || id.type() == GbType::Camera;
}

QString row(const QString &label, const QString &value)
{
    if (value.isEmpty())
        return {};
    return u"<tr><td>"_s + label.toHtmlEscaped() + u"</td><td>"_s + value.toHtmlEscaped() + u"</td></tr>"_s;
}

} // namespace

DeviceTreeModel::DeviceTreeModel(const Devices::DeviceRegistry &registry, QObject *parent)
    : QAbstractItemModel(parent)
    , m_registry(registry)
    , m_root(std::make_unique<Node>())
{
    m_root->type = NodeType::Group;
    m_flushTimer = new QTimer(this);
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(kFlushDelayMs);
    connect(m_flushTimer, &QTimer::timeout, this, &DeviceTreeModel::flush);

    using Devices::DeviceRegistry;
    // Added and removed re-read the channels too: a device removed and added again within one
    // batch looks merely changed, and must not keep its old catalog.
    connect(&registry, &DeviceRegistry::deviceAdded, this, &DeviceTreeModel::scheduleChannels, Qt::QueuedConnection);
    connect(&registry, &DeviceRegistry::deviceChanged, this, &DeviceTreeModel::scheduleDevice, Qt::QueuedConnection);
    connect(&registry, &DeviceRegistry::deviceRemoved, this, &DeviceTreeModel::scheduleChannels, Qt::QueuedConnection);
    connect(&registry, &DeviceRegistry::channelsChanged, this, &DeviceTreeModel::scheduleChannels,
            Qt::QueuedConnection);

    const QList<Devices::Device> devices = registry.devices();
    m_root->children.reserve(std::size_t(devices.size()));
    for (const Devices::Device &device : devices) {
        NodePtr node = buildDevice(device);
        node->parent = m_root.get();
        node->row = int(m_root->children.size());
        m_devices.insert(device.id, node.get());
        m_root->children.push_back(std::move(node));
    }
}

DeviceTreeModel::~DeviceTreeModel() = default;

// --- structure ---------------------------------------------------------------------------

DeviceTreeModel::Node *DeviceTreeModel::nodeAt(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

int DeviceTreeModel::rowOf(const Node *node) const
{
    const Node *parent = node->parent;
    if (parent && parent->childRowsDirty) {
        for (std::size_t i = 0; i < parent->children.size(); ++i)
            parent->children[i]->row = int(i);
        parent->childRowsDirty = false;
    }
    return node->row;
}

QModelIndex DeviceTreeModel::indexOf(const Node *node) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(rowOf(node), 0, const_cast<Node *>(node));
}

QModelIndex DeviceTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column != 0 || row < 0 || (parent.isValid() && parent.column() != 0))
        return {};
    const Node *p = nodeAt(parent);
    if (std::size_t(row) >= p->children.size())
        return {};
    return createIndex(row, 0, p->children[std::size_t(row)].get());
}

QModelIndex DeviceTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(nodeAt(child)->parent);
}

int DeviceTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeAt(parent)->children.size());
}

int DeviceTreeModel::columnCount(const QModelIndex &) const
{
    return 1;
}

bool DeviceTreeModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

const DeviceTreeModel::Node *DeviceTreeModel::deviceNodeOf(const Node *node) const
{
    while (node && node->type != NodeType::Device)
        node = node->parent;
    return node;
}

bool DeviceTreeModel::isEffectivelyOnline(const Node *node) const
{
    if (node->type == NodeType::Device)
        return node->device->online;
    const Node *device = deviceNodeOf(node);
    const bool deviceOnline = !device || device->device->online;
    // Groups have no state of their own; a sub-device or channel reports its Status.
    return deviceOnline && (node->type == NodeType::Group && node->channel.kind != ChannelKind::Device
                                ? true
                                : node->channel.online);
}

// --- building ----------------------------------------------------------------------------

std::unique_ptr<DeviceTreeModel::Node> DeviceTreeModel::buildDevice(const Devices::Device &device) const
{
    auto node = std::make_unique<Node>();
    node->type = NodeType::Device;
    node->id = device.id.toString();
    node->device = std::make_unique<Devices::Device>(device);
    node->children = buildChannels(m_registry.channels(device.id));
    for (std::size_t i = 0; i < node->children.size(); ++i) {
        node->children[i]->parent = node.get();
        node->children[i]->row = int(i);
    }
    reindex(node.get());
    return node;
}

std::vector<std::unique_ptr<DeviceTreeModel::Node>>
DeviceTreeModel::buildChannels(const QList<Channel> &channels) const
{
    // One node per ID (sloppy catalogs repeat entries: the last one wins).
    QHash<QString, Node *> byId;
    std::vector<NodePtr> nodes;
    nodes.reserve(std::size_t(channels.size()));
    for (const Channel &channel : channels) {
        if (channel.id.isEmpty())
            continue;
        if (Node *existing = byId.value(channel.id)) {
            existing->channel = channel;
            existing->rank = rankOf(channel.kind);
            existing->type = isGroupKind(channel.kind) ? NodeType::Group : NodeType::Channel;
            continue;
        }
        auto node = std::make_unique<Node>();
        node->id = channel.id;
        node->channel = channel;
        node->rank = rankOf(channel.kind);
        node->type = isGroupKind(channel.kind) ? NodeType::Group : NodeType::Channel;
        byId.insert(channel.id, node.get());
        nodes.push_back(std::move(node));
    }

    // Each entry's parent: its ParentID (the last known element of a "a/b/c" path), else its
    // business group, else the region of its civil code (longest known prefix), else the top.
    QHash<Node *, Node *> parentOf;
    for (const NodePtr &node : nodes) {
        const Channel &c = node->channel;
        Node *parent = nullptr;
        const QList<QStringView> path = QStringView(c.parentId).split(u'/', Qt::SkipEmptyParts);
        for (auto it = path.rbegin(); it != path.rend() && !parent; ++it) {
            Node *candidate = byId.value(it->trimmed().toString());
            if (candidate != node.get())
                parent = candidate;
        }
        if (!parent && !c.businessGroupId.isEmpty() && c.businessGroupId != node->id)
            parent = byId.value(c.businessGroupId);
        if (!parent) {
            const bool region = c.kind == ChannelKind::Region;
            const QString code = region ? node->id : c.civilCode.trimmed();
            for (qsizetype length = region ? code.size() - 2 : std::min<qsizetype>(code.size(), 8); length >= 2;
                 length -= 2) {
                Node *candidate = byId.value(code.left(length));
                if (candidate && candidate != node.get() && candidate->channel.kind == ChannelKind::Region) {
                    parent = candidate;
                    break;
                }
            }
        }
        if (parent)
            parentOf.insert(node.get(), parent);
    }
    // A parent chain that loops back (A under B under A) is cut where it was found.
    for (const NodePtr &node : nodes) {
        const Node *walker = parentOf.value(node.get());
        for (qsizetype steps = 0; walker && steps <= qsizetype(nodes.size()); ++steps) {
            if (walker == node.get()) {
                parentOf.remove(node.get());
                break;
            }
            walker = parentOf.value(const_cast<Node *>(walker));
        }
    }

    std::vector<NodePtr> top;
    std::vector<NodePtr> owned = std::move(nodes);
    for (NodePtr &node : owned) {
        Node *parent = parentOf.value(node.get());
        if (parent) {
            node->parent = parent;
            parent->children.push_back(std::move(node));
        } else {
            top.push_back(std::move(node));
        }
    }
    const auto sortLevel = [](std::vector<NodePtr> &level, auto &self) -> void {
        std::sort(level.begin(), level.end(),
                  [](const NodePtr &a, const NodePtr &b) { return compareNodes(*a, *b) < 0; });
        for (std::size_t i = 0; i < level.size(); ++i) {
            level[i]->row = int(i);
            self(level[i]->children, self);
        }
    };
    sortLevel(top, sortLevel);
    return top;
}

void DeviceTreeModel::reindex(Node *deviceNode)
{
    deviceNode->descendants.clear();
    std::vector<Node *> stack{deviceNode};
    while (!stack.empty()) {
        Node *n = stack.back();
        stack.pop_back();
        for (const NodePtr &child : n->children) {
            deviceNode->descendants.insert(child->id, child.get());
            stack.push_back(child.get());
        }
    }
}

// --- incremental updates -----------------------------------------------------------------

void DeviceTreeModel::scheduleDevice(const DeviceId &id)
{
    m_pendingDevices.insert(id);
    if (!m_flushTimer->isActive())
        m_flushTimer->start();
}

void DeviceTreeModel::scheduleChannels(const DeviceId &id)
{
    m_pendingChannels.insert(id);
    scheduleDevice(id);
}

bool DeviceTreeModel::hasPendingChanges() const
{
    return !m_pendingDevices.isEmpty();
}

void DeviceTreeModel::removeRuns(Node *parent, const std::vector<bool> &keep)
{
    const QModelIndex parentIndex = indexOf(parent);
    auto &children = parent->children;
    for (int last = int(children.size()) - 1; last >= 0;) {
        if (keep[std::size_t(last)]) {
            --last;
            continue;
        }
        int first = last;
        while (first > 0 && !keep[std::size_t(first - 1)])
            --first;
        beginRemoveRows(parentIndex, first, last);
        children.erase(children.begin() + first, children.begin() + last + 1);
        parent->childRowsDirty = true;
        endRemoveRows();
        last = first - 1;
    }
}

void DeviceTreeModel::insertSorted(Node *parent, std::vector<std::unique_ptr<Node>> items)
{
    const QModelIndex parentIndex = indexOf(parent);
    auto &children = parent->children;
    std::size_t i = 0;
    std::size_t j = 0;
    while (j < items.size()) {
        while (i < children.size() && compareNodes(*children[i], *items[j]) < 0)
            ++i;
        std::size_t end = j;
        while (end < items.size() && (i == children.size() || compareNodes(*items[end], *children[i]) < 0))
            ++end;
        const int count = int(end - j);
        beginInsertRows(parentIndex, int(i), int(i) + count - 1);
        for (std::size_t k = j; k < end; ++k)
            items[k]->parent = parent;
        children.insert(children.begin() + std::ptrdiff_t(i), std::make_move_iterator(items.begin() + std::ptrdiff_t(j)),
                        std::make_move_iterator(items.begin() + std::ptrdiff_t(end)));
        parent->childRowsDirty = true;
        endInsertRows();
        i += std::size_t(count);
        j = end;
    }
}

void DeviceTreeModel::reconcile(Node *parent, std::vector<std::unique_ptr<Node>> desired)
{
    // Both lists are sorted by (rank, id): one merge pass pairs what stays.
    auto &children = parent->children;
    std::vector<bool> keep(children.size(), false);
    std::vector<std::pair<Node *, NodePtr>> matched;
    std::vector<NodePtr> added;
    std::size_t i = 0;
    for (NodePtr &wanted : desired) {
        while (i < children.size() && compareNodes(*children[i], *wanted) < 0)
            ++i;
        if (i < children.size() && compareNodes(*children[i], *wanted) == 0) {
            keep[i] = true;
            matched.emplace_back(children[i].get(), std::move(wanted));
            ++i;
        } else {
            added.push_back(std::move(wanted));
        }
    }
    removeRuns(parent, keep);
    if (!added.empty())
        insertSorted(parent, std::move(added));
    for (auto &[existing, wanted] : matched) {
        if (!(existing->channel == wanted->channel) || existing->type != wanted->type) {
            existing->channel = wanted->channel;
            existing->type = wanted->type;
            const QModelIndex changed = indexOf(existing);
            Q_EMIT dataChanged(changed, changed);
        }
        reconcile(existing, std::move(wanted->children));
    }
}

void DeviceTreeModel::emitSubtreeChanged(Node *parent)
{
    if (parent->children.empty())
        return;
    const QModelIndex parentIndex = indexOf(parent);
    Q_EMIT dataChanged(index(0, 0, parentIndex), index(int(parent->children.size()) - 1, 0, parentIndex));
    for (const NodePtr &child : parent->children)
        emitSubtreeChanged(child.get());
}

void DeviceTreeModel::flush()
{
    m_flushTimer->stop();
    if (m_pendingDevices.isEmpty())
        return;
    const QSet<DeviceId> pending = std::exchange(m_pendingDevices, {});
    const QSet<DeviceId> channelsPending = std::exchange(m_pendingChannels, {});

    std::vector<bool> keep(m_root->children.size(), true);
    bool anyRemoved = false;
    std::vector<NodePtr> added;
    std::vector<std::pair<Node *, Devices::Device>> changed;
    for (const DeviceId &id : pending) {
        std::optional<Devices::Device> device = m_registry.device(id);
        Node *node = m_devices.value(id);
        if (!device) {
            if (node) {
                keep[std::size_t(rowOf(node))] = false;
                m_devices.remove(id);
                anyRemoved = true;
            }
        } else if (!node) {
            added.push_back(buildDevice(*device));
        } else {
            changed.emplace_back(node, std::move(*device));
        }
    }
    if (anyRemoved)
        removeRuns(m_root.get(), keep);
    if (!added.empty()) {
        std::sort(added.begin(), added.end(), [](const NodePtr &a, const NodePtr &b) { return a->id < b->id; });
        for (const NodePtr &node : added)
            m_devices.insert(node->device->id, node.get());
        insertSorted(m_root.get(), std::move(added));
    }
    // One dataChanged over the span of changed devices: per-row signals would make a
    // QSortFilterProxyModel above do O(rows) work each, O(rows²) for a storm.
    int firstChanged = std::numeric_limits<int>::max();
    int lastChanged = -1;
    for (auto &[node, device] : changed) {
        const bool onlineChanged = node->device->online != device.online;
        *node->device = std::move(device);
        const int row = rowOf(node);
        firstChanged = std::min(firstChanged, row);
        lastChanged = std::max(lastChanged, row);
        if (channelsPending.contains(node->device->id)) {
            reconcile(node, buildChannels(m_registry.channels(node->device->id)));
            reindex(node);
        }
        if (onlineChanged)
            emitSubtreeChanged(node);
    }
    if (lastChanged >= 0)
        Q_EMIT dataChanged(index(firstChanged, 0), index(lastChanged, 0));
    Q_EMIT updated();
}

// --- queries -----------------------------------------------------------------------------

QModelIndex DeviceTreeModel::deviceIndex(const DeviceId &id) const
{
    return indexOf(m_devices.value(id));
}

QModelIndex DeviceTreeModel::channelIndex(const QString &channelId) const
{
    if (const auto ref = m_registry.findChannel(channelId)) {
        if (const Node *device = m_devices.value(ref->device)) {
            if (const Node *node = device->descendants.value(channelId))
                return indexOf(node);
        }
    }
    return {};
}

QStringList DeviceTreeModel::openableChannels(const QModelIndex &start, int limit) const
{
    QStringList result;
    if (!start.isValid() || start.model() != this)
        return result;
    const Node *root = nodeAt(start);
    const auto visit = [&](const Node *n, auto &self) -> void {
        if (result.size() >= limit)
            return;
        if (n->type == NodeType::Channel && n->channel.kind == ChannelKind::Video)
            result.append(n->id);
        for (const NodePtr &child : n->children)
            self(child.get(), self);
    };
    visit(root, visit);
    if (result.isEmpty() && root->type == NodeType::Device && isCameraDevice(root->device->id))
        result.append(root->id);
    return result;
}

void DeviceTreeModel::setStreamingChannels(const QStringList &channelIds)
{
    const QSet<QString> streaming(channelIds.begin(), channelIds.end());
    if (streaming == m_streaming)
        return;
    QSet<QString> changedIds = streaming;
    changedIds.unite(m_streaming);
    changedIds.subtract(QSet<QString>(streaming).intersect(m_streaming));
    m_streaming = streaming;
    for (const QString &id : std::as_const(changedIds)) {
        QModelIndex changed = channelIndex(id);
        if (!changed.isValid()) {
            if (const auto deviceId = DeviceId::parse(id))
                changed = deviceIndex(*deviceId);
        }
        if (changed.isValid())
            Q_EMIT dataChanged(changed, changed, {Qt::DecorationRole, StreamingRole});
    }
}

void DeviceTreeModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, 0);
    emitSubtreeChanged(m_root.get());
}

// --- data --------------------------------------------------------------------------------

Qt::ItemFlags DeviceTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled;
}

QVariant DeviceTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (section == 0 && orientation == Qt::Horizontal && role == Qt::DisplayRole)
        return tr("Devices");
    return {};
}

QVariant DeviceTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this)
        return {};
    const Node *n = nodeAt(index);
    const bool isDevice = n->type == NodeType::Device;
    switch (role) {
    case Qt::DisplayRole:
        if (isDevice)
            return n->device->displayName();
        return n->channel.name.isEmpty() ? n->id : n->channel.name;
    case Qt::DecorationRole:
        return icon(n);
    case Qt::ToolTipRole:
        return toolTip(n);
    case Qt::ForegroundRole:
        if (!isEffectivelyOnline(n))
            return QApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case NodeTypeRole:
        return int(n->type);
    case IdRole:
        return n->id;
    case DeviceIdRole: {
        const Node *device = deviceNodeOf(n);
        return device ? device->id : QString();
    }
    case OnlineRole:
        return isEffectivelyOnline(n);
    case StreamingRole:
        return m_streaming.contains(n->id);
    case ChannelKindRole:
        return isDevice ? -1 : int(n->channel.kind);
    case PtzTypeRole:
        return isDevice ? 0 : n->channel.ptzType;
    case SearchTextRole:
        if (isDevice)
            return QString(n->device->name + u'\n' + n->id + u'\n' + n->device->route.address.toString());
        return QString(n->channel.name + u'\n' + n->id + u'\n' + n->channel.ipAddress);
    case OpenableRole:
        if (isDevice)
            return isCameraDevice(n->device->id);
        return n->type == NodeType::Channel && n->channel.kind == ChannelKind::Video;
    default:
        return {};
    }
}

QVariant DeviceTreeModel::icon(const Node *n) const
{
    const bool online = isEffectivelyOnline(n);
    const Icons::Status status = online ? Icons::Status::Online : Icons::Status::Offline;
    if (n->type == NodeType::Device) {
        const bool platform = n->device->id.role() == GbRole::Platform;
        const bool streaming = m_streaming.contains(n->id);
        return Icons::node(platform ? Icons::Node::Platform
                               : isCameraDevice(n->device->id) ? Icons::Node::Camera
                                                               : Icons::Node::Device,
                           streaming && online ? Icons::Status::Streaming : status);
    }
    switch (n->channel.kind) {
    case ChannelKind::Region: return Icons::node(Icons::Node::Region, Icons::Status::None);
    case ChannelKind::BusinessGroup: return Icons::node(Icons::Node::Group, Icons::Status::None);
    case ChannelKind::VirtualOrganization: return Icons::node(Icons::Node::Organization, Icons::Status::None);
    case ChannelKind::Device: return Icons::node(Icons::Node::SubDevice, status);
    case ChannelKind::AlarmInput:
    case ChannelKind::AlarmOutput: return Icons::node(Icons::Node::AlarmInput, status);
    case ChannelKind::Video: {
        const bool dome = n->channel.ptzType == 1 || n->channel.ptzType == 2;
        const bool streaming = online && m_streaming.contains(n->id);
        return Icons::node(dome ? Icons::Node::DomeCamera : Icons::Node::Camera,
                           streaming ? Icons::Status::Streaming : status);
    }
    default: return Icons::node(Icons::Node::Other, status);
    }
}

QString DeviceTreeModel::ptzTypeName(int ptzType)
{
    switch (ptzType) {
    case 1: return tr("Dome");
    case 2: return tr("Half dome");
    case 3: return tr("Fixed bullet");
    case 4: return tr("Remote-controlled bullet");
    default: return tr("Unknown");
    }
}

QString DeviceTreeModel::channelKindName(ChannelKind kind)
{
    switch (kind) {
    case ChannelKind::Video: return tr("Video channel");
    case ChannelKind::AlarmInput: return tr("Alarm input");
    case ChannelKind::AlarmOutput: return tr("Alarm output");
    case ChannelKind::Audio: return tr("Audio channel");
    case ChannelKind::Region: return tr("Region");
    case ChannelKind::BusinessGroup: return tr("Business group");
    case ChannelKind::VirtualOrganization: return tr("Virtual organization");
    case ChannelKind::Device: return tr("Device");
    case ChannelKind::Other: break;
    }
    return tr("Other");
}

QString DeviceTreeModel::toolTip(const Node *n) const
{
    QString rows;
    QString title;
    if (n->type == NodeType::Device) {
        // Last-seen times change without signals: read the registry's current value.
        const Devices::Device device = m_registry.device(n->device->id).value_or(*n->device);
        title = device.displayName();
        rows += row(tr("ID:"), device.id.toString());
        rows += row(tr("Type:"), GbId::typeName(device.id.type()));
        rows += row(tr("Manufacturer:"), device.manufacturer);
        rows += row(tr("Model:"), device.model);
        rows += row(tr("Firmware:"), device.firmware);
        if (!device.route.address.isNull())
            rows += row(tr("Address:"), device.route.transport == Sip::TransportKind::Tcp
                                            ? tr("%1 (TCP)").arg(device.route.hostPort())
                                            : tr("%1 (UDP)").arg(device.route.hostPort()));
        rows += row(tr("Status:"), device.online ? tr("Online")
                                                 : tr("Offline: %1").arg(Devices::Device::offlineReasonText(
                                                       device.offlineReason)));
        rows += row(tr("Last seen:"), device.lastSeen.isValid()
                                          ? tr("%1 (%2)").arg(Format::dateTime(device.lastSeen),
                                                              Format::ago(device.lastSeen))
                                          : Format::dateTime(device.lastSeen));
        if (device.registeredAt.isValid())
            rows += row(tr("Registered:"), Format::dateTime(device.registeredAt));
        rows += row(tr("Channels:"), QString::number(device.channelCount));
        if (!device.gbVersion.isEmpty())
            rows += row(tr("GB/T 28181 version:"), device.gbVersion);
    } else {
        const Channel &c = n->channel;
        title = c.name.isEmpty() ? c.id : c.name;
        rows += row(tr("ID:"), c.id);
        rows += row(tr("Type:"), channelKindName(c.kind));
        rows += row(tr("Manufacturer:"), c.manufacturer);
        rows += row(tr("Model:"), c.model);
        if (!c.ipAddress.isEmpty())
            rows += row(tr("Address:"), c.port > 0 ? u"%1:%2"_s.arg(c.ipAddress).arg(c.port) : c.ipAddress);
        rows += row(tr("Location:"), c.address);
        if (n->type == NodeType::Channel || c.kind == ChannelKind::Device) {
            const Node *device = deviceNodeOf(n);
            QString status;
            if (device && !device->device->online)
                status = tr("Offline: the device is offline");
            else
                status = c.online ? tr("Online") : tr("Offline");
            rows += row(tr("Status:"), status);
        }
        if (c.kind == ChannelKind::Video)
            rows += row(tr("PTZ:"), ptzTypeName(c.ptzType));
        if (const Node *device = deviceNodeOf(n))
            rows += row(tr("Device:"), device->device->displayName());
    }
    return u"<b>"_s + title.toHtmlEscaped() + u"</b><table>"_s + rows + u"</table>"_s;
}

QStringList DeviceTreeModel::mimeTypes() const
{
    return {ChannelMime::kChannelsType};
}

QMimeData *DeviceTreeModel::mimeData(const QModelIndexList &indexes) const
{
    QStringList channels;
    for (const QModelIndex &index : indexes) {
        const QStringList more = openableChannels(index, kMaxDraggedChannels - int(channels.size()));
        for (const QString &id : more) {
            if (!channels.contains(id))
                channels.append(id);
        }
    }
    if (channels.isEmpty())
        return nullptr;
    return ChannelMime::encodeChannels(channels);
}

Qt::DropActions DeviceTreeModel::supportedDragActions() const
{
    return Qt::CopyAction;
}

} // namespace Vigil::Ui
