#pragma once

#include "common/gbid.h"
#include "devices/device.h"

#include <QHash>
#include <QList>

#include <cstdint>
#include <optional>

namespace Vigil::Gb {

/// Puts together the pieces of Catalog responses (GB/T 28181-2016 Annex N, 2022 Annex M).
///
/// A device answers a Catalog query with any number of MESSAGEs carrying the query's SN, the
/// total SumNum and some items. Pieces are collected per (device, SN), deduplicated by channel
/// ID (repeats overwrite), and the sync completes when the number of distinct items reaches the
/// latest SumNum. A sync that goes quiet first is finished as incomplete and keeps what came.
/// Only a complete sync that we asked for may replace a device's channel set; everything else
/// (unsolicited responses, incomplete syncs) only adds and updates.
///
/// Times are monotonic milliseconds passed in. Not thread-safe: the signalling thread owns it.
class CatalogCollector {
public:
    struct Config {
        int firstPieceTimeoutMs = 60000; ///< slow platforms take long to start answering
        int quietTimeoutMs = 5000;       ///< between pieces
        int maxItemsPerSync = 200000;    ///< a bound on what one device can make us hold
        int maxPendingSyncs = 100000;
    };

    /// A finished (or pass-through) batch of catalog entries.
    struct Result {
        DeviceId device;
        int sn = 0;
        bool solicited = false; ///< we asked for it with expect()
        bool complete = false;  ///< distinct items reached SumNum
        int expected = 0;       ///< the last SumNum seen
        QList<Devices::Channel> channels;

        /// Whether the registry may replace the channel set with this (else merge).
        bool replacesChannelSet() const { return solicited && complete; }
    };

    CatalogCollector();
    explicit CatalogCollector(const Config &config);

    /// Registers a query we sent, so that its pieces are collected.
    void expect(const DeviceId &device, int sn, std::int64_t nowMs);
    /// Adds a piece. Returns a result when this piece completes a sync, or at once for pieces
    /// nobody asked for (they are merged as they come).
    std::optional<Result> add(const DeviceId &device, int sn, int sumNum, const QList<Devices::Channel> &items,
                              std::int64_t nowMs);
    /// Finishes syncs that went quiet (as incomplete, with what arrived).
    QList<Result> expire(std::int64_t nowMs);
    /// Forgets pending syncs of a device (it went away).
    void cancel(const DeviceId &device);
    /// Forgets one sync (its query could not be sent).
    void cancel(const DeviceId &device, int sn);
    bool isPending(const DeviceId &device) const;
    qsizetype pendingCount() const { return m_pending.size(); }

private:
    struct Key {
        DeviceId device;
        int sn = 0;
        friend bool operator==(const Key &, const Key &) = default;
        friend size_t qHash(const Key &key, size_t seed = 0) noexcept { return qHashMulti(seed, key.device, key.sn); }
    };
    struct Pending {
        int expected = -1;              ///< -1 until the first piece
        std::int64_t deadlineMs = 0;
        QHash<QString, qsizetype> index; ///< channel ID -> position in channels
        QList<Devices::Channel> channels;
    };

    static Result finish(const Key &key, Pending &&pending, bool complete);

    Config m_config;
    QHash<Key, Pending> m_pending;
};

} // namespace Vigil::Gb
