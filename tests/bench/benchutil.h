#pragma once

// Small measuring tools the benchmarks share: CPU time of the calling thread, of this process
// or of its finished children (user + system), and the median of a set of samples.

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <vector>

namespace Vigil::Bench {

inline double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

/// `who`: RUSAGE_SELF (this process) or RUSAGE_CHILDREN (children already waited for).
inline double cpuSeconds(int who)
{
    rusage usage{};
    getrusage(who, &usage);
    const auto seconds = [](const timeval &t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

inline double processCpuSeconds()
{
    return cpuSeconds(RUSAGE_SELF);
}

/// The middle sample (the upper one of an even count); T{} when there is none.
template <typename T>
T median(std::vector<T> values)
{
    if (values.empty())
        return T{};
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace Vigil::Bench
