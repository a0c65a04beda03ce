#include "admissioncontrol.h"

namespace Vigil::Gb {

size_t qHash(const SourceKey &key, size_t seed) noexcept
{
    return qHashMulti(seed, key.address, key.port);
}

template <typename Key>
typename AdmissionControl::BoundedTable<Key>::Entry *AdmissionControl::BoundedTable<Key>::find(const Key &key)
{
    const auto it = m_index.find(key);
    return it == m_index.end() ? nullptr : &*it.value();
}

template <typename Key>
const typename AdmissionControl::BoundedTable<Key>::Entry *
AdmissionControl::BoundedTable<Key>::find(const Key &key) const
{
    const auto it = m_index.constFind(key);
    return it == m_index.constEnd() ? nullptr : &*it.value();
}

template <typename Key>
typename AdmissionControl::BoundedTable<Key>::Entry &
AdmissionControl::BoundedTable<Key>::touch(const Key &key, std::int64_t &evictions)
{
    if (const auto it = m_index.find(key); it != m_index.end()) {
        m_order.splice(m_order.end(), m_order, it.value());
        return m_order.back();
    }
    if (m_index.size() >= m_capacity && !m_order.empty()) {
        m_index.remove(m_order.front().key);
        m_order.pop_front();
        ++evictions;
    }
    m_order.push_back(Entry{key, 0, 0});
    m_index.insert(key, std::prev(m_order.end()));
    return m_order.back();
}

template <typename Key>
void AdmissionControl::BoundedTable<Key>::erase(const Key &key)
{
    if (const auto it = m_index.find(key); it != m_index.end()) {
        m_order.erase(it.value());
        m_index.erase(it);
    }
}

template <typename Key>
void AdmissionControl::BoundedTable<Key>::expire(std::int64_t nowMs, int maxWork)
{
    // Entries are touched in time order and share one lifetime per table, so the oldest
    // expire first; stop at the first live one.
    for (int i = 0; i < maxWork && !m_order.empty() && m_order.front().expiresAtMs <= nowMs; ++i) {
        m_index.remove(m_order.front().key);
        m_order.pop_front();
    }
}

AdmissionControl::AdmissionControl()
    : AdmissionControl(Config())
{
}

AdmissionControl::AdmissionControl(const Config &config)
    : m_config(config)
    , m_strangers(config.strangerCapacity)
    , m_sourceFailures(config.strangerCapacity)
    , m_idFailures(config.strangerCapacity)
    , m_bannedSources(config.banCapacity)
    , m_bannedIds(config.banCapacity)
{
}

bool AdmissionControl::isBanned(const SourceKey &source, std::int64_t nowMs) const
{
    const auto *ban = m_bannedSources.find(source);
    return ban && ban->expiresAtMs > nowMs;
}

bool AdmissionControl::isBanned(const DeviceId &id, std::int64_t nowMs) const
{
    const auto *ban = m_bannedIds.find(id);
    return ban && ban->expiresAtMs > nowMs;
}

AdmissionControl::Verdict AdmissionControl::admitStranger(const SourceKey &source, std::int64_t nowMs)
{
    if (isBanned(source, nowMs)) {
        ++m_stats.bannedIgnored;
        return Verdict::Ignore;
    }
    auto &entry = m_strangers.touch(source, m_stats.evictions);
    if (entry.expiresAtMs <= nowMs) {
        entry.count = 0;
    }
    entry.expiresAtMs = nowMs + std::int64_t(m_config.strangerLifetimeSec) * 1000;
    if (++entry.count > m_config.strangerTryLimit) {
        ++m_stats.strangersIgnored;
        return Verdict::Ignore;
    }
    return Verdict::Allow;
}

AdmissionControl::Verdict AdmissionControl::admitAttempt(const SourceKey &source, const DeviceId &id,
                                                         std::int64_t nowMs)
{
    if (isBanned(source, nowMs) || isBanned(id, nowMs)) {
        ++m_stats.bannedIgnored;
        return Verdict::Ignore;
    }
    return Verdict::Allow;
}

AdmissionControl::FailureOutcome AdmissionControl::recordFailure(const SourceKey &source, const DeviceId &id,
                                                                 std::int64_t nowMs)
{
    FailureOutcome outcome;
    const std::int64_t window = std::int64_t(m_config.banDurationSec) * 1000;
    const auto count = [&](auto &table, const auto &key) {
        auto &entry = table.touch(key, m_stats.evictions);
        if (entry.expiresAtMs <= nowMs)
            entry.count = 0;
        entry.expiresAtMs = nowMs + window;
        return ++entry.count;
    };
    if (count(m_sourceFailures, source) >= m_config.authFailureLimit) {
        auto &ban = m_bannedSources.touch(source, m_stats.evictions);
        ban.expiresAtMs = nowMs + window;
        m_sourceFailures.erase(source);
        ++m_stats.sourceBans;
        outcome.sourceBanned = true;
    }
    if (!id.isNull() && count(m_idFailures, id) >= m_config.authFailureLimit) {
        auto &ban = m_bannedIds.touch(id, m_stats.evictions);
        ban.expiresAtMs = nowMs + window;
        m_idFailures.erase(id);
        ++m_stats.deviceIdBans;
        outcome.deviceIdBanned = true;
    }
    return outcome;
}

void AdmissionControl::recordSuccess(const SourceKey &source, const DeviceId &id)
{
    m_strangers.erase(source);
    m_sourceFailures.erase(source);
    m_idFailures.erase(id);
}

void AdmissionControl::expire(std::int64_t nowMs)
{
    constexpr int kMaxWork = 4096;
    m_strangers.expire(nowMs, kMaxWork);
    m_sourceFailures.expire(nowMs, kMaxWork);
    m_idFailures.expire(nowMs, kMaxWork);
    m_bannedSources.expire(nowMs, kMaxWork);
    m_bannedIds.expire(nowMs, kMaxWork);
}

AdmissionControl::Stats AdmissionControl::stats() const
{
    Stats s = m_stats;
    s.strangersTracked = m_strangers.size();
    return s;
}

} // namespace Vigil::Gb
