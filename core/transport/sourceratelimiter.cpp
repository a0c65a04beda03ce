#include "sourceratelimiter.h"

#include <algorithm>

namespace Vigil::Transport {

SourceRateLimiter::SourceRateLimiter(Limits limits)
    : m_limits(limits)
{
    Q_ASSERT(limits.burst > 0 && limits.globalBurst > 0 && limits.maxSources > 0);
    m_global.tokens = limits.globalBurst;
    m_overflow.tokens = limits.burst;
}

void SourceRateLimiter::refill(Bucket &bucket, double burst, double perSecond, std::int64_t nowMs)
{
    if (nowMs > bucket.updatedMs) {
        bucket.tokens = std::min(burst, bucket.tokens + double(nowMs - bucket.updatedMs) * perSecond / 1000.0);
        bucket.updatedMs = nowMs;
    }
}

SourceRateLimiter::Bucket &SourceRateLimiter::bucketFor(const QHostAddress &source, std::int64_t nowMs)
{
    if (auto it = m_sources.find(source); it != m_sources.end())
        return *it;
    if (m_sources.size() >= m_limits.maxSources && nowMs - m_lastPurgeMs >= kPurgeIntervalMs) {
        // Forget sources that would be back at a full bucket anyway. Not more often than this:
        // under a flood from ever new addresses a scan per packet would cost more than it saves.
        m_lastPurgeMs = nowMs;
        const double burst = m_limits.burst;
        for (auto it = m_sources.begin(); it != m_sources.end();) {
            refill(*it, burst, m_limits.perSecond, nowMs);
            it = (it->tokens >= burst && it->suppressed == 0) ? m_sources.erase(it) : std::next(it);
        }
    }
    if (m_sources.size() >= m_limits.maxSources)
        return m_overflow;
    return *m_sources.insert(source, Bucket{double(m_limits.burst), nowMs, 0});
}

SourceRateLimiter::Decision SourceRateLimiter::take(const QHostAddress &source, std::int64_t nowMs)
{
    Bucket &bucket = bucketFor(source, nowMs);
    refill(bucket, m_limits.burst, m_limits.perSecond, nowMs);
    refill(m_global, m_limits.globalBurst, m_limits.globalPerSecond, nowMs);
    if (bucket.tokens < 1.0 || m_global.tokens < 1.0) {
        ++bucket.suppressed;
        return Decision{false, 0};
    }
    bucket.tokens -= 1.0;
    m_global.tokens -= 1.0;
    Decision decision{true, bucket.suppressed};
    bucket.suppressed = 0;
    return decision;
}

} // namespace Vigil::Transport
