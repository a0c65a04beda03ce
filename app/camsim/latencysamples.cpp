#include "latencysamples.h"

#include <algorithm>
#include <cmath>

namespace Vigil::CamSim {

LatencySamples::LatencySamples(std::size_t capacity) : m_capacity(std::max<std::size_t>(capacity, 1)) {}

void LatencySamples::add(std::int64_t micros)
{
    micros = std::max<std::int64_t>(micros, 0);
    ++m_count;
    m_sumMicros += double(micros);
    m_maxMicros = std::max(m_maxMicros, micros);
    if (m_samples.size() < m_capacity) {
        m_samples.push_back(micros);
        return;
    }
    const auto slot = std::uint64_t(m_random.bounded(quint64(m_count)));
    if (slot < m_capacity)
        m_samples[std::size_t(slot)] = micros;
}

LatencySamples::Summary LatencySamples::summary() const
{
    Summary summary;
    summary.count = m_count;
    if (m_samples.empty())
        return summary;
    std::vector<std::int64_t> sorted = m_samples;
    std::sort(sorted.begin(), sorted.end());
    const auto at = [&sorted](double quantile) {
        // nearest rank
        const auto rank = std::size_t(std::ceil(quantile * double(sorted.size())));
        return double(sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1]) / 1000.0;
    };
    summary.p50Ms = at(0.50);
    summary.p95Ms = at(0.95);
    summary.p99Ms = at(0.99);
    summary.maxMs = double(m_maxMicros) / 1000.0;
    summary.meanMs = m_sumMicros / double(m_count) / 1000.0;
    return summary;
}

void LatencySamples::clear()
{
    m_samples.clear();
    m_count = 0;
    m_maxMicros = 0;
    m_sumMicros = 0.0;
}

} // namespace Vigil::CamSim
