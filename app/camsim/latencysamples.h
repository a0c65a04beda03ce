#pragma once

#include <QRandomGenerator>

#include <cstdint>
#include <vector>

namespace Vigil::CamSim {

/// Percentiles of response times, with bounded memory: keeps every sample up to `capacity`,
/// then a uniform random subset of that size (reservoir sampling), so that p50/p95/p99 stay
/// right for runs of any length. Microseconds in, milliseconds out. Not thread-safe.
class LatencySamples {
public:
    struct Summary {
        std::int64_t count = 0; ///< every sample ever added, not only those kept
        double p50Ms = 0.0;
        double p95Ms = 0.0;
        double p99Ms = 0.0;
        double maxMs = 0.0; ///< exact, over every sample
        double meanMs = 0.0; ///< exact, over every sample
    };

    static constexpr std::size_t kDefaultCapacity = 200000;

    LatencySamples() : LatencySamples(kDefaultCapacity) {}
    explicit LatencySamples(std::size_t capacity);

    void add(std::int64_t micros);
    std::int64_t count() const noexcept { return m_count; }
    /// Sorts a copy of the kept samples: O(n log n); for reports, not per sample.
    Summary summary() const;
    void clear();

private:
    std::vector<std::int64_t> m_samples;
    std::size_t m_capacity;
    std::int64_t m_count = 0;
    std::int64_t m_maxMicros = 0;
    double m_sumMicros = 0.0;
    QRandomGenerator m_random{0x5eed};
};

} // namespace Vigil::CamSim
