#include "deviceregistry.h"

#include "common/logging.h"

#include <QThread>

#include <algorithm>

namespace Vigil::Devices {

DeviceRegistry::DeviceRegistry(QObject *parent)
    : QObject(parent)
{
}

void DeviceRegistry::assertOwnerThread() const
{
    Q_ASSERT_X(QThread::currentThread() == thread(), "DeviceRegistry",
               "device state is written by its owner (signalling) thread only");
}

DeviceRegistry::Record *DeviceRegistry::record(const DeviceId &id)
{
    const auto it = m_records.find(id);
    return it == m_records.end() ? nullptr : &it.value();
}

std::optional<Device> DeviceRegistry::device(const DeviceId &id) const
{
    QReadLocker locker(&m_lock);
    const auto it = m_records.constFind(id);
    if (it == m_records.constEnd())
        return std::nullopt;
    return it->device;
}

bool DeviceRegistry::contains(const DeviceId &id) const
{
    QReadLocker locker(&m_lock);
    return m_records.contains(id);
}

std::optional<DeviceSettings> DeviceRegistry::settings(const DeviceId &id) const
{
    QReadLocker locker(&m_lock);
    const auto it = m_records.constFind(id);
    if (it == m_records.constEnd())
        return std::nullopt;
    return it->device.settings;
}

QList<Device> DeviceRegistry::devices() const
{
    QList<Device> result;
    {
        QReadLocker locker(&m_lock);
        result.reserve(m_records.size());
        for (const Record &r : m_records)
            result.append(r.device);
    }
    std::sort(result.begin(), result.end(), [](const Device &a, const Device &b) { return a.id < b.id; });
    return result;
}

QList<Channel> DeviceRegistry::channels(const DeviceId &id) const
{
    QReadLocker locker(&m_lock);
    const auto it = m_records.constFind(id);
    return it == m_records.constEnd() ? QList<Channel>() : it->channels;
}

std::optional<DeviceRegistry::ChannelRef> DeviceRegistry::findChannel(QStringView channelId) const
{
    QReadLocker locker(&m_lock);
    const auto owner = m_channelIndex.constFind(channelId.toString());
    if (owner == m_channelIndex.constEnd())
        return std::nullopt;
    const auto it = m_records.constFind(*owner);
    if (it == m_records.constEnd())
        return std::nullopt;
    for (const Channel &channel : it->channels) {
        if (channel.id == channelId)
            return ChannelRef{*owner, channel};
    }
    return std::nullopt;
}

std::optional<DeviceId> DeviceRegistry::deviceOf(QStringView channelId) const
{
    QReadLocker locker(&m_lock);
    if (const auto owner = m_channelIndex.constFind(channelId.toString()); owner != m_channelIndex.constEnd())
        return *owner;
    if (const auto id = DeviceId::parse(channelId); id && m_records.contains(*id))
        return *id;
    return std::nullopt;
}

DeviceRegistry::Counts DeviceRegistry::counts() const
{
    QReadLocker locker(&m_lock);
    return Counts{int(m_records.size()), m_online, m_channelTotal};
}

void DeviceRegistry::indexChannels(const DeviceId &id, const QList<Channel> &channels)
{
    for (const Channel &channel : channels)
        m_channelIndex.insert(channel.id, id);
    m_channelTotal += int(channels.size());
}

void DeviceRegistry::unindexChannels(const DeviceId &id, const QList<Channel> &channels)
{
    for (const Channel &channel : channels) {
        const auto it = m_channelIndex.find(channel.id);
        if (it != m_channelIndex.end() && *it == id)
            m_channelIndex.erase(it);
    }
    m_channelTotal -= int(channels.size());
}

void DeviceRegistry::restore(const QList<Device> &devices, const QHash<DeviceId, QList<Channel>> &channels)
{
    assertOwnerThread();
    {
        QWriteLocker locker(&m_lock);
        for (const Device &device : devices) {
            Record &r = m_records[device.id];
            if (r.device.online)
                --m_online;
            unindexChannels(device.id, r.channels);
            r.device = device;
            r.channels = channels.value(device.id);
            r.device.channelCount = int(r.channels.size());
            if (r.device.online)
                ++m_online;
            indexChannels(device.id, r.channels);
        }
    }
    qCInfo(lcDevices) << "restored" << devices.size() << "devices," << m_channelTotal << "channels";
}

bool DeviceRegistry::addDevice(const DeviceId &id, const DeviceSettings &settings)
{
    assertOwnerThread();
    bool added = false;
    {
        QWriteLocker locker(&m_lock);
        Record *r = record(id);
        if (!r) {
            r = &m_records[id];
            r->device.id = id;
            added = true;
        }
        r->device.settings = settings;
    }
    m_dirtyDevices.insert(id);
    m_removed.remove(id);
    if (added)
        Q_EMIT deviceAdded(id);
    else
        Q_EMIT deviceChanged(id);
    return added;
}

bool DeviceRegistry::markRegistered(const DeviceId &id, const Sip::Peer &route, const QDateTime &expiresAt,
                                    const QString &callId, const QString &userAgent, const QString &gbVersion)
{
    assertOwnerThread();
    bool added = false;
    bool cameOnline = false;
    {
        QWriteLocker locker(&m_lock);
        Record *r = record(id);
        if (!r) {
            r = &m_records[id];
            r->device.id = id;
            added = true;
        }
        Device &d = r->device;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        cameOnline = !d.online;
        if (cameOnline)
            ++m_online;
        d.online = true;
        d.offlineReason = OfflineReason::None;
        d.route = route;
        d.registeredAt = now;
        d.lastSeen = now;
        d.registrationExpiresAt = expiresAt;
        d.registrationCallId = callId;
        d.userAgent = userAgent;
        d.gbVersion = gbVersion;
    }
    m_dirtyDevices.insert(id);
    m_removed.remove(id);
    if (added)
        Q_EMIT deviceAdded(id);
    else
        Q_EMIT deviceChanged(id);
    return cameOnline;
}

bool DeviceRegistry::markOnline(const DeviceId &id, const Sip::Peer &route)
{
    assertOwnerThread();
    {
        QWriteLocker locker(&m_lock);
        Record *r = record(id);
        if (!r || r->device.online)
            return false;
        r->device.online = true;
        r->device.offlineReason = OfflineReason::None;
        r->device.route = route;
        r->device.lastSeen = QDateTime::currentDateTimeUtc();
        ++m_online;
    }
    m_dirtyDevices.insert(id);
    Q_EMIT deviceChanged(id);
    return true;
}

std::optional<Sip::Peer> DeviceRegistry::touch(const DeviceId &id, const Sip::Peer &route, const QDateTime &now)
{
    assertOwnerThread();
    std::optional<Sip::Peer> previous;
    {
        QWriteLocker locker(&m_lock);
        Record *r = record(id);
        if (!r)
            return std::nullopt;
        r->device.lastSeen = now;
        if (!(r->device.route == route)) {
            previous = r->device.route;
            r->device.route = route;
        }
    }
    if (previous) {
        m_dirtyDevices.insert(id);
        Q_EMIT deviceChanged(id);
    } else {
        m_dirtyLastSeen.insert(id);
    }
    return previous;
}

bool DeviceRegistry::markOffline(const DeviceId &id, OfflineReason reason)
{
    assertOwnerThread();
    {
        QWriteLocker locker(&m_lock);
        Record *r = record(id);
        if (!r || !r->device.online)
            return false;
        r->device.online = false;
        r->device.offlineReason = reason;
        --m_online;
    }
    m_dirtyDevices.insert(id);
    Q_EMIT deviceChanged(id);
    return true;
}

void DeviceRegistry::setDeviceInfo(const DeviceId &id, const QString &name, const QString &manufacturer,
                                   const QString &model, const QString &firmware, int channelCount)
{
    assertOwnerThread();
    {
        QWriteLocker locker(&m_lock);
        Record *r = record(id);
        if (!r)
            return;
        Device &d = r->device;
        d.name = name;
        d.manufacturer = manufacturer;
        d.model = model;
        d.firmware = firmware;
        d.reportedChannelCount = channelCount;
    }
    m_dirtyDevices.insert(id);
    Q_EMIT deviceChanged(id);
}

void DeviceRegistry::replaceChannels(const DeviceId &id, const QList<Channel> &channels)
{
    assertOwnerThread();
    {
        QWriteLocker locker(&m_lock);
        Record *r = record(id);
        if (!r)
            return;
        unindexChannels(id, r->channels);
        r->channels = channels;
        indexChannels(id, r->channels);
        r->device.channelCount = int(r->channels.size());
        r->device.catalogSyncedAt = QDateTime::currentDateTimeUtc();
    }
    m_dirtyChannels.insert(id);
    m_dirtyDevices.insert(id);
    Q_EMIT channelsChanged(id);
    Q_EMIT deviceChanged(id);
}

void DeviceRegistry::mergeChannels(const DeviceId &id, const QList<Channel> &channels)
{
    assertOwnerThread();
    bool changed = false;
    {
        QWriteLocker locker(&m_lock);
        Record *r = record(id);
        if (!r)
            return;
        for (const Channel &incoming : channels) {
            const auto existing = std::find_if(r->channels.begin(), r->channels.end(),
                                               [&](const Channel &c) { return c.id == incoming.id; });
            if (existing == r->channels.end()) {
                r->channels.append(incoming);
                m_channelIndex.insert(incoming.id, id);
                ++m_channelTotal;
                changed = true;
            } else if (!(*existing == incoming)) {
                *existing = incoming;
                changed = true;
            }
        }
        r->device.channelCount = int(r->channels.size());
    }
    if (!changed)
        return;
    m_dirtyChannels.insert(id);
    m_dirtyDevices.insert(id);
    Q_EMIT channelsChanged(id);
}

void DeviceRegistry::removeChannels(const DeviceId &id, const QStringList &channelIds)
{
    assertOwnerThread();
    bool changed = false;
    {
        QWriteLocker locker(&m_lock);
        Record *r = record(id);
        if (!r)
            return;
        const auto removedFrom = std::remove_if(r->channels.begin(), r->channels.end(),
                                                [&](const Channel &c) { return channelIds.contains(c.id); });
        QList<Channel> removed(removedFrom, r->channels.end());
        r->channels.erase(removedFrom, r->channels.end());
        unindexChannels(id, removed);
        changed = !removed.isEmpty();
        r->device.channelCount = int(r->channels.size());
    }
    if (!changed)
        return;
    m_dirtyChannels.insert(id);
    m_dirtyDevices.insert(id);
    Q_EMIT channelsChanged(id);
}

void DeviceRegistry::setChannelOnline(const DeviceId &id, const QString &channelId, bool online)
{
    assertOwnerThread();
    bool changed = false;
    {
        QWriteLocker locker(&m_lock);
        Record *r = record(id);
        if (!r)
            return;
        for (Channel &channel : r->channels) {
            if (channel.id == channelId && channel.online != online) {
                channel.online = online;
                changed = true;
            }
        }
    }
    if (!changed)
        return;
    m_dirtyChannels.insert(id);
    Q_EMIT channelsChanged(id);
}

void DeviceRegistry::setSettings(const DeviceId &id, const DeviceSettings &settings)
{
    assertOwnerThread();
    {
        QWriteLocker locker(&m_lock);
        Record *r = record(id);
        if (!r || r->device.settings == settings)
            return;
        r->device.settings = settings;
    }
    m_dirtyDevices.insert(id);
    Q_EMIT deviceChanged(id);
}

bool DeviceRegistry::remove(const DeviceId &id)
{
    assertOwnerThread();
    {
        QWriteLocker locker(&m_lock);
        const auto it = m_records.find(id);
        if (it == m_records.end())
            return false;
        unindexChannels(id, it->channels);
        if (it->device.online)
            --m_online;
        m_records.erase(it);
    }
    m_dirtyDevices.remove(id);
    m_dirtyChannels.remove(id);
    m_dirtyLastSeen.remove(id);
    m_removed.insert(id);
    Q_EMIT deviceRemoved(id);
    return true;
}

RegistryChanges DeviceRegistry::takeChanges(LastSeenChanges lastSeen)
{
    assertOwnerThread();
    RegistryChanges changes;
    // The owner thread is the only writer, so reading without the lock is safe here.
    changes.devices.reserve(m_dirtyDevices.size());
    for (const DeviceId &id : std::as_const(m_dirtyDevices)) {
        if (const Record *r = record(id))
            changes.devices.append(r->device);
        m_dirtyLastSeen.remove(id); // the full record carries it
    }
    for (const DeviceId &id : std::as_const(m_dirtyChannels)) {
        if (const Record *r = record(id))
            changes.channels.insert(id, r->channels);
    }
    changes.removed = QList<DeviceId>(m_removed.begin(), m_removed.end());
    m_dirtyDevices.clear();
    m_dirtyChannels.clear();
    m_removed.clear();
    if (lastSeen == LastSeenChanges::Include) {
        changes.lastSeen.reserve(m_dirtyLastSeen.size());
        for (const DeviceId &id : std::as_const(m_dirtyLastSeen)) {
            if (const Record *r = record(id))
                changes.lastSeen.append(LastSeenUpdate{id, r->device.lastSeen});
        }
        m_dirtyLastSeen.clear();
    }
    return changes;
}

bool DeviceRegistry::hasStructuralChanges() const
{
    return !m_dirtyDevices.isEmpty() || !m_dirtyChannels.isEmpty() || !m_removed.isEmpty();
}

} // namespace Vigil::Devices
