#include "streamhealth.h"

#include <algorithm>

namespace Vigil::Media {

QLatin1StringView transportName(MediaTransport transport) noexcept
{
    switch (transport) {
    case MediaTransport::Udp: return QLatin1StringView("UDP");
    case MediaTransport::TcpPassive: return QLatin1StringView("TCP passive");
    case MediaTransport::TcpActive: return QLatin1StringView("TCP active");
    }
    return QLatin1StringView("unknown");
}

QLatin1StringView stateName(StreamState state) noexcept
{
    switch (state) {
    case StreamState::Idle: return QLatin1StringView("idle");
    case StreamState::Connecting: return QLatin1StringView("connecting");
    case StreamState::Playing: return QLatin1StringView("playing");
    case StreamState::Stalled: return QLatin1StringView("stalled");
    case StreamState::Failed: return QLatin1StringView("failed");
    case StreamState::Stopped: return QLatin1StringView("stopped");
    }
    return QLatin1StringView("unknown");
}

void RateMeter::add(qint64 nowMs, qint64 amount)
{
    advance(nowMs);
    m_buckets[size_t(m_currentBucket % kBuckets)] += amount;
}

double RateMeter::ratePerSecond(qint64 nowMs) const
{
    if (m_currentBucket < 0)
        return 0;
    const qint64 nowBucket = nowMs / kBucketMs;
    qint64 sum = 0;
    for (qint64 index = std::min(m_currentBucket, nowBucket); index > nowBucket - kBuckets && index >= 0
         && index > m_currentBucket - kBuckets;
         --index) {
        sum += m_buckets[size_t(index % kBuckets)];
    }
    const qint64 windowStartMs = std::max((nowBucket - kBuckets + 1) * kBucketMs, m_firstMs);
    const qint64 spanMs = std::max(nowMs - windowStartMs, kBucketMs);
    return double(sum) * 1000.0 / double(spanMs);
}

void RateMeter::advance(qint64 nowMs)
{
    const qint64 nowBucket = nowMs / kBucketMs;
    if (m_currentBucket < 0) {
        m_buckets.fill(0);
        m_currentBucket = nowBucket;
        m_firstMs = nowMs;
        return;
    }
    if (nowBucket <= m_currentBucket)
        return;
    const qint64 steps = std::min<qint64>(nowBucket - m_currentBucket, kBuckets);
    for (qint64 i = 1; i <= steps; ++i)
        m_buckets[size_t((m_currentBucket + i) % kBuckets)] = 0;
    m_currentBucket = nowBucket;
}

} // namespace Vigil::Media
