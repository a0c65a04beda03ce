#pragma once

// How long the calling thread's event loop was held up: a 1 ms precise timer notes how late
// each of its timeouts comes. Shared by the benchmarks that paint video.

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
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

    void start()
    {
        m_lateness.clear();
        m_beat.start();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }

    struct Summary {
        qint64 worstMs = 0;
        qint64 p99Ms = 0;
        int timesOver16Ms = 0;
        double shareHeldUp = 0; ///< of `seconds`, the time spent in hold-ups over 16 ms
    };
    Summary summary(double seconds) const
    {
        std::vector<qint64> sorted = m_lateness;
        std::sort(sorted.begin(), sorted.end());
        Summary s;
        if (sorted.empty())
            return s;
        s.worstMs = sorted.back();
        s.p99Ms = sorted[sorted.size() * 99 / 100];
        qint64 heldMs = 0;
        for (qint64 late : sorted) {
            s.timesOver16Ms += late > 16;
            heldMs += late > 16 ? late : 0;
        }
        s.shareHeldUp = seconds > 0 ? double(heldMs) / (seconds * 1000.0) : 0.0;
        return s;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_beat;
    std::vector<qint64> m_lateness;
};

} // namespace Vigil::Bench
