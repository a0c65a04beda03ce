#pragma once

#include "common/gbid.h"

#include <QHash>
#include <QHostAddress>

#include <cstdint>
#include <list>

namespace Vigil::Gb {

/// A SIP source as the socket saw it: address and port (NAT-translated).
struct SourceKey {
    QHostAddress address;
    std::uint16_t port = 0;
    friend bool operator==(const SourceKey &, const SourceKey &) = default;
};
size_t qHash(const SourceKey &key, size_t seed = 0) noexcept;

/// Keeps strangers and password guessers from costing memory or crowding out real devices.
///
/// - Strangers (sources that have not authenticated) get a small number of unanswered tries
///   within a short lifetime; past it they are ignored until the entry expires. The table is
///   bounded: when full, the least recently seen stranger is forgotten.
/// - Repeated authentication failures ban the source and, separately, the device ID for a
///   while. Ban tables are bounded the same way. A device behind a shared NAT address is not
///   punished for its neighbour: sources are address *and* port.
///
/// Times are monotonic milliseconds passed in by the caller, so tests need no clock.
/// Not thread-safe: the signalling thread owns it.
class AdmissionControl {
public:
    struct Config {
        int strangerCapacity = 100000;  ///< sources remembered at once
        int strangerTryLimit = 10;      ///< requests a source may send before authenticating
        int strangerLifetimeSec = 60;   ///< how long an unauthenticated source is remembered
        int authFailureLimit = 5;       ///< wrong passwords before a ban (per source, per ID)
        int banDurationSec = 600;
        int banCapacity = 100000;
    };

    enum class Verdict : std::uint8_t {
        Allow,  ///< process it (challenge, verify...)
        Ignore, ///< drop without an answer: banned, or a stranger past its tries
    };

    /// What a recorded failure led to.
    struct FailureOutcome {
        bool sourceBanned = false;   ///< the source has just been banned
        bool deviceIdBanned = false; ///< the device ID has just been banned
    };

    AdmissionControl();
    explicit AdmissionControl(const Config &config);

    /// Before any work on an unauthenticated request from `source`.
    Verdict admitStranger(const SourceKey &source, std::int64_t nowMs);
    /// Before verifying credentials for `id` from `source`.
    Verdict admitAttempt(const SourceKey &source, const DeviceId &id, std::int64_t nowMs);
    bool isBanned(const SourceKey &source, std::int64_t nowMs) const;
    bool isBanned(const DeviceId &id, std::int64_t nowMs) const;

    FailureOutcome recordFailure(const SourceKey &source, const DeviceId &id, std::int64_t nowMs);
    /// A successful authentication: forgets the source's and the ID's failures.
    void recordSuccess(const SourceKey &source, const DeviceId &id);

    /// Drops expired entries; call now and then (each call does bounded work).
    void expire(std::int64_t nowMs);

    struct Stats {
        std::int64_t strangersTracked = 0;
        std::int64_t strangersIgnored = 0; ///< requests dropped for being past the try limit
        std::int64_t bannedIgnored = 0;    ///< requests dropped because of a ban
        std::int64_t sourceBans = 0;
        std::int64_t deviceIdBans = 0;
        std::int64_t evictions = 0;        ///< entries forgotten because a table was full
    };
    Stats stats() const;
    const Config &config() const noexcept { return m_config; }

private:
    /// A bounded map with least-recently-touched eviction.
    template <typename Key>
    class BoundedTable {
    public:
        struct Entry {
            Key key;
            int count = 0;
            std::int64_t expiresAtMs = 0;
        };
        explicit BoundedTable(int capacity) : m_capacity(capacity) {}
        Entry *find(const Key &key);
        const Entry *find(const Key &key) const;
        /// Finds or inserts (evicting the oldest when full); moves it to the fresh end.
        Entry &touch(const Key &key, std::int64_t &evictions);
        void erase(const Key &key);
        void expire(std::int64_t nowMs, int maxWork);
        qsizetype size() const { return m_index.size(); }

    private:
        using List = std::list<Entry>;
        int m_capacity;
        List m_order; // oldest first
        QHash<Key, typename List::iterator> m_index;
    };

    Config m_config;
    BoundedTable<SourceKey> m_strangers;
    BoundedTable<SourceKey> m_sourceFailures;
    BoundedTable<DeviceId> m_idFailures;
    BoundedTable<SourceKey> m_bannedSources;
    BoundedTable<DeviceId> m_bannedIds;
    mutable Stats m_stats;
};

} // namespace Vigil::Gb
