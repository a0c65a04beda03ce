// SourceRateLimiter: per-source and global token buckets, and a bounded table of sources.
// Time is passed in, so nothing here waits.

#include "transport/sourceratelimiter.h"

#include <QTest>

using namespace Vigil::Transport;

namespace {

QHostAddress source(int n)
{
    return QHostAddress(quint32(0x0A000000u + quint32(n))); // 10.0.0.n
}

int allowedOf(SourceRateLimiter &limiter, const QHostAddress &from, int tries, std::int64_t nowMs)
{
    int allowed = 0;
    for (int i = 0; i < tries; ++i)
        allowed += limiter.take(from, nowMs).allowed;
    return allowed;
}

} // namespace

class TestSourceRateLimiter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void burstThenRefill()
    {
        SourceRateLimiter limiter({.burst = 5, .perSecond = 1, .globalBurst = 100, .globalPerSecond = 100, .maxSources = 16});
        QCOMPARE(allowedOf(limiter, source(1), 20, 0), 5);
        QCOMPARE(allowedOf(limiter, source(1), 20, 999), 0);
        QCOMPARE(allowedOf(limiter, source(1), 20, 3000), 3); // three seconds, three tokens
        // Another source has its own bucket.
        QCOMPARE(allowedOf(limiter, source(2), 20, 3000), 5);
    }

    void suppressedCountComesWithTheNextAllowed()
    {
        SourceRateLimiter limiter({.burst = 1, .perSecond = 1, .globalBurst = 100, .globalPerSecond = 100, .maxSources = 16});
        QVERIFY(limiter.take(source(1), 0).allowed);
        for (int i = 0; i < 7; ++i)
            QVERIFY(!limiter.take(source(1), 10).allowed);
        const auto next = limiter.take(source(1), 2000);
        QVERIFY(next.allowed);
        QCOMPARE(next.suppressedBefore, 7u);
        QCOMPARE(limiter.take(source(1), 5000).suppressedBefore, 0u);
    }

    void manySourcesShareTheGlobalLimit()
    {
        SourceRateLimiter limiter({.burst = 10, .perSecond = 1, .globalBurst = 50, .globalPerSecond = 10, .maxSources = 4096});
        int allowed = 0;
        for (int n = 0; n < 1000; ++n)
            allowed += allowedOf(limiter, source(n), 2, 0);
        QCOMPARE(allowed, 50);
        QCOMPARE(allowedOf(limiter, source(5000), 100, 1000), 10); // one second of global refill
    }

    void theTableStaysBounded()
    {
        SourceRateLimiter limiter({.burst = 2, .perSecond = 1, .globalBurst = 1000000, .globalPerSecond = 1000000, .maxSources = 100});
        for (int n = 0; n < 10000; ++n)
            limiter.take(source(n), 0);
        QVERIFY(limiter.trackedSources() <= 100);
        // New sources beyond the table share one overflow bucket meanwhile...
        QCOMPARE(allowedOf(limiter, source(20000), 5, 0) + allowedOf(limiter, source(20001), 5, 0), 0);
        // ...and once the old ones have refilled they are forgotten to make room.
        QCOMPARE(allowedOf(limiter, source(30000), 5, 60000), 2);
        QVERIFY(limiter.trackedSources() <= 100);
    }
};

QTEST_APPLESS_MAIN(TestSourceRateLimiter)
#include "tst_sourceratelimiter.moc"
