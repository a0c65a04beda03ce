#pragma once

#include "device.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QReadWriteLock>
#include <QSet>

#include <optional>

namespace Vigil::Devices {

/// A device's last-seen time, persisted in cheap batches (it changes with every keepalive).
struct LastSeenUpdate {
    DeviceId id;
    QDateTime lastSeen;
};

/// Everything that changed since the last takeChanges(), for the storage layer.
struct RegistryChanges {
    QList<Device> devices;                       ///< devices whose fields changed (full values)
    QHash<DeviceId, QList<Channel>> channels;    ///< devices whose channel set changed (full sets)
    QList<DeviceId> removed;
    QList<LastSeenUpdate> lastSeen;              ///< only last-seen changed
    bool isEmpty() const
    {
        return devices.isEmpty() && channels.isEmpty() && removed.isEmpty() && lastSeen.isEmpty();
    }
};

/// Whether takeChanges() also hands over last-seen-only changes.
enum class LastSeenChanges { Include, Keep };

/// The devices and channels Vigil knows, with their state.
///
/// Single writer: every mutating call must come from the thread that owns this object (the
/// signalling thread); that is asserted. Readers on any thread get value snapshots under a read
/// lock, and change signals (emitted on the owner thread; connect queued from elsewhere).
class DeviceRegistry : public QObject {
    Q_OBJECT

public:
    explicit DeviceRegistry(QObject *parent = nullptr);

    // Readers: any thread.
    std::optional<Device> device(const DeviceId &id) const;
    bool contains(const DeviceId &id) const;
    /// A device's settings (cheaper than device() on hot paths), nullopt when unknown.
    std::optional<DeviceSettings> settings(const DeviceId &id) const;
    /// All devices, ordered by ID.
    QList<Device> devices() const;
    QList<Channel> channels(const DeviceId &id) const;
    struct ChannelRef {
        DeviceId device;
        Channel channel;
    };
    /// The channel with this ID and the device it belongs to.
    std::optional<ChannelRef> findChannel(QStringView channelId) const;
    /// The device behind an ID a stream or PTZ command can be opened with: the device of that
    /// channel, or the device itself when an IPC is addressed by its own ID; nullopt when unknown.
    std::optional<DeviceId> deviceOf(QStringView channelId) const;
    struct Counts {
        int devices = 0;
        int online = 0;
        int channels = 0;
    };
    Counts counts() const;

    // Writers: owner thread only.
    /// Loads state from storage at start-up; marks nothing dirty and emits nothing per device.
    void restore(const QList<Device> &devices, const QHash<DeviceId, QList<Channel>> &channels);
    /// Adds a device an operator entered by hand (or updates its settings). Returns true if new.
    bool addDevice(const DeviceId &id, const DeviceSettings &settings);
    /// A successful REGISTER: creates the device if needed and marks it online at `route`.
    /// Returns true when the device was not online before.
    bool markRegistered(const DeviceId &id, const Sip::Peer &route, const QDateTime &expiresAt,
                        const QString &callId, const QString &userAgent, const QString &gbVersion);
    /// A registered device that was marked offline is heard from again.
    /// Returns false when it was online already (or is unknown).
    bool markOnline(const DeviceId &id, const Sip::Peer &route);
    /// Any inbound message: updates last-seen time and the route (NAT rebinding).
    /// Returns the previous route when it changed.
    std::optional<Sip::Peer> touch(const DeviceId &id, const Sip::Peer &route, const QDateTime &now);
    /// Returns false when the device was already offline (or is unknown).
    bool markOffline(const DeviceId &id, OfflineReason reason);
    void setDeviceInfo(const DeviceId &id, const QString &name, const QString &manufacturer,
                       const QString &model, const QString &firmware, int channelCount);
    /// A completed, solicited catalog sync: the channel set becomes exactly `channels`.
    void replaceChannels(const DeviceId &id, const QList<Channel> &channels);
    /// Partial or unsolicited catalog data: adds new entries and updates known ones.
    void mergeChannels(const DeviceId &id, const QList<Channel> &channels);
    /// Catalog NOTIFY DEL.
    void removeChannels(const DeviceId &id, const QStringList &channelIds);
    /// Catalog NOTIFY ON/OFF/VLOST...: the status of one channel.
    void setChannelOnline(const DeviceId &id, const QString &channelId, bool online);
    void setSettings(const DeviceId &id, const DeviceSettings &settings);
    bool remove(const DeviceId &id);

    /// Hands over what changed since the last call (for batched persistence). Last-seen-only
    /// changes are frequent and cheap to lose, so the caller may collect them less often.
    RegistryChanges takeChanges(LastSeenChanges lastSeen = LastSeenChanges::Include);
    /// True when something other than last-seen times changed.
    bool hasStructuralChanges() const;

Q_SIGNALS:
    void deviceAdded(const Vigil::DeviceId &id);
    /// Fields other than last-seen changed (online state, info, settings, route).
    void deviceChanged(const Vigil::DeviceId &id);
    void deviceRemoved(const Vigil::DeviceId &id);
    void channelsChanged(const Vigil::DeviceId &id);

private:
    struct Record {
        Device device;
        QList<Channel> channels;
    };

    void assertOwnerThread() const;
    Record *record(const DeviceId &id);
    void indexChannels(const DeviceId &id, const QList<Channel> &channels);
    void unindexChannels(const DeviceId &id, const QList<Channel> &channels);

    mutable QReadWriteLock m_lock;
    QHash<DeviceId, Record> m_records;
    QHash<QString, DeviceId> m_channelIndex;
    int m_online = 0;
    int m_channelTotal = 0;

    // owner thread only, no lock needed
    QSet<DeviceId> m_dirtyDevices;
    QSet<DeviceId> m_dirtyChannels;
    QSet<DeviceId> m_dirtyLastSeen;
    QSet<DeviceId> m_removed;
};

} // namespace Vigil::Devices
