#pragma once

// How long the calling thread's event loop was held up: a 1 ms precise timer notes how late
// each of its timeouts comes. Shared by the benchmarks that paint video.

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace Vigil::Bench {

class LoopLateness {
public:
    LoopLateness()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { m_lateness.push_back(m_beat.restart() - 1); });
    }

    /// Runs the event loop for `seconds` while measuring; returns the seconds that passed.
    double runFor(int seconds)
    {
        m_lateness.clear();
        m_beat.start();
        m_timer.start();
        QElapsedTimer wall;
        wall.start();
        // A loop that sleeps until something happens, like the console's: one that spun through
        // processEvents() would take a core from the painting and decoding it measures.
        QEventLoop loop;
        QTimer::singleShot(seconds * 1000, &loop, &QEventLoop::quit);
        loop.exec();
        m_timer.stop();
        m_seconds = double(wall.elapsed()) / 1000.0;
        return m_seconds;
    }

    /// Prints the worst and 99th-percentile hold-ups of the last runFor() (the GUI thread in the
    /// benchmarks), how often one passed 16 ms and the share of the time spent in those.
    void print() const
    {
        std::vector<qint64> sorted = m_lateness;
        std::sort(sorted.begin(), sorted.end());
        qint64 heldMs = 0;
        int over16 = 0;
        for (qint64 late : sorted) {
            over16 += late > 16;
            heldMs += late > 16 ? late : 0;
        }
        std::printf("  GUI event loop held up: worst %lld ms, p99 %lld ms, %d times over 16 ms, %.0f%% of the time\n",
                    sorted.empty() ? 0LL : (long long)sorted.back(),
                    sorted.empty() ? 0LL : (long long)sorted[sorted.size() * 99 / 100], over16,
                    m_seconds > 0 ? 100.0 * double(heldMs) / (m_seconds * 1000.0) : 0.0);
    }

private:
    QTimer m_timer;
    QElapsedTimer m_beat;
    std::vector<qint64> m_lateness;
    double m_seconds = 0;
};

} // namespace Vigil::Bench
