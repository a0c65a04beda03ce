#pragma once

#include <QHash>
#include <QHostAddress>

#include <cstdint>

namespace Vigil::Transport {

/// Token buckets per source address plus one for everyone, for the things a stranger can make
/// us do: answer garbage with 400 Bad Request and write log lines about it. A flood from one
/// source is cut to a trickle, and a flood from many (spoofed) sources is capped as a whole, so
/// Vigil can neither be used as an amplifier nor have its log filled.
///
/// The table holds at most `maxSources` addresses; when it is full, sources that have been quiet
/// long enough to refill are forgotten (checked at most once a second), and new ones share one
/// overflow bucket meanwhile.
/// Time comes from the caller (milliseconds on any monotonic clock) so that tests need no sleep.
class SourceRateLimiter {
public:
    struct Limits {
        int burst = 10;              ///< tokens a source starts with
        double perSecond = 0.5;      ///< refill rate per source
        int globalBurst = 100;
        double globalPerSecond = 20;
        int maxSources = 4096;
    };
    struct Decision {
        bool allowed = false;
        /// How many were refused for this source since the last one allowed (for "N more").
        std::uint64_t suppressedBefore = 0;
    };

    SourceRateLimiter() : SourceRateLimiter(Limits{}) {}
    explicit SourceRateLimiter(Limits limits);

    Decision take(const QHostAddress &source, std::int64_t nowMs);
    int trackedSources() const noexcept { return int(m_sources.size()); }

private:
    struct Bucket {
        double tokens = 0;
        std::int64_t updatedMs = 0;
        std::uint64_t suppressed = 0;
    };

    static void refill(Bucket &bucket, double burst, double perSecond, std::int64_t nowMs);
    Bucket &bucketFor(const QHostAddress &source, std::int64_t nowMs);

    static constexpr std::int64_t kPurgeIntervalMs = 1000;

    Limits m_limits;
    std::int64_t m_lastPurgeMs = -kPurgeIntervalMs;
    QHash<QHostAddress, Bucket> m_sources;
    Bucket m_overflow;
    Bucket m_global;
};

} // namespace Vigil::Transport
