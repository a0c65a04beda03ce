// ReorderBuffer: sequence order restored within its bounds, loss given up by count or by time,
// duplicates and late packets dropped and counted, 16-bit wrap, stream resets confirmed before
// they are believed.

#include "media/reorderbuffer.h"

#include "mediatestutil.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

using namespace Vigil::Media;
using namespace MediaTest;

namespace {

struct Released {
    std::uint16_t sequence;
    std::uint32_t ssrc;
    Continuity continuity;
    std::uint32_t lostBefore;
};

RtpPacket packet(std::uint16_t sequence, std::uint32_t ssrc = 0x0BEBC201)
{
    RtpFields fields;
    fields.sequence = sequence;
    fields.ssrc = ssrc;
    fields.timestamp = std::uint32_t(sequence) * 3600;
    auto parsed = RtpPacket::parse(makeRtp(fields, QByteArray::number(sequence)));
    Q_ASSERT(parsed);
    return *parsed;
}

/// A ReorderBuffer whose output is recorded.
struct Harness {
    explicit Harness(const ReorderBuffer::Options &options = {})
        : buffer(options, [this](const RtpPacket &p, Continuity continuity, std::uint32_t lostBefore) {
            QCOMPARE(p.payload(), QByteArrayView(QByteArray::number(p.sequence())));
            out.push_back({p.sequence(), p.ssrc(), continuity, lostBefore});
        })
    {
    }
    void push(std::uint16_t sequence, qint64 nowMs, std::uint32_t ssrc = 0x0BEBC201)
    {
        buffer.push(packet(sequence, ssrc), nowMs);
    }
    std::vector<std::uint16_t> sequences() const
    {
        std::vector<std::uint16_t> result;
        for (const Released &released : out)
            result.push_back(released.sequence);
        return result;
    }

    std::vector<Released> out;
    ReorderBuffer buffer;
};

using Seqs = std::vector<std::uint16_t>;

} // namespace

class TestReorderBuffer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void startHoldsThenFlowsInOrder()
    {
        Harness h;
        for (std::uint16_t s = 100; s < 105; ++s)
            h.push(s, 0);
        QVERIFY(h.out.empty()); // the start waits for packets that overtook the first
        QCOMPARE(h.buffer.nextDeadlineMs(), std::optional<qint64>(100));
        h.buffer.poll(99);
        QVERIFY(h.out.empty());
        h.buffer.poll(100);
        QCOMPARE(h.sequences(), (Seqs{100, 101, 102, 103, 104}));
        QCOMPARE(h.out[0].continuity, Continuity::StreamStart);
        QCOMPARE(h.out[1].continuity, Continuity::Continuous);
        QCOMPARE(h.buffer.nextDeadlineMs(), std::nullopt);
        // From now on, packets in order go straight through.
        h.push(105, 101);
        QCOMPARE(h.out.size(), std::size_t(6));
        QCOMPARE(h.buffer.heldPackets(), 0);
        QCOMPARE(h.buffer.stats().received, 6u);
        QCOMPARE(h.buffer.stats().released, 6u);
        QCOMPARE(h.buffer.stats().lost, 0u);
    }

    void startAcceptsEarlierPackets()
    {
        Harness h;
        h.push(5, 0);
        h.push(3, 1);
        h.push(4, 2);
        h.push(2, 3);
        h.buffer.poll(100);
        QCOMPARE(h.sequences(), (Seqs{2, 3, 4, 5}));
        QCOMPARE(h.out[0].continuity, Continuity::StreamStart);
        QCOMPARE(h.buffer.stats().reordered, 3u);
        QCOMPARE(h.buffer.stats().late, 0u);
    }

    void zeroHoldTimeDoesNotWait()
    {
        Harness h({256, 0, 3000, 100});
        h.push(7, 0);
        h.push(8, 0);
        QCOMPARE(h.sequences(), (Seqs{7, 8}));
    }

    void reorderedWithinWindow()
    {
        Harness h;
        h.push(10, 0);
        h.buffer.poll(100);
        h.push(12, 101);
        h.push(13, 102);
        QCOMPARE(h.sequences(), (Seqs{10}));
        h.push(11, 103);
        QCOMPARE(h.sequences(), (Seqs{10, 11, 12, 13}));
        for (const Released &r : h.out)
            QVERIFY(r.continuity != Continuity::Gap);
        QCOMPARE(h.buffer.stats().reordered, 1u);
        QCOMPARE(h.buffer.stats().lost, 0u);
    }

    void duplicatesDropped()
    {
        Harness h;
        h.push(1, 0);
        h.buffer.poll(100);
        h.push(3, 101);
        h.push(3, 102); // held twice
        h.push(1, 103); // already released
        h.push(2, 104);
        h.push(2, 105);
        QCOMPARE(h.sequences(), (Seqs{1, 2, 3}));
        QCOMPARE(h.buffer.stats().duplicates, 3u);
        QCOMPARE(h.buffer.stats().late, 0u);
    }

    void gapGivenUpAfterHoldTime()
    {
        Harness h;
        h.push(1, 0);
        h.buffer.poll(100);
        h.push(3, 110);
        h.push(4, 150);
        QCOMPARE(h.sequences(), (Seqs{1}));
        QCOMPARE(h.buffer.nextDeadlineMs(), std::optional<qint64>(210)); // 3 arrived first
        h.buffer.poll(209);
        QCOMPARE(h.sequences(), (Seqs{1}));
        h.buffer.poll(210);
        QCOMPARE(h.sequences(), (Seqs{1, 3, 4}));
        QCOMPARE(h.out[1].continuity, Continuity::Gap);
        QCOMPARE(h.out[1].lostBefore, 1u);
        QCOMPARE(h.out[2].continuity, Continuity::Continuous);
        QCOMPARE(h.buffer.stats().lost, 1u);
        // The missing one arrives after all: too late.
        h.push(2, 211);
        QCOMPARE(h.buffer.stats().late, 1u);
        QCOMPARE(h.out.size(), std::size_t(3));
    }

    void oldestPacketDecidesTheDeadline()
    {
        // Packets held behind two gaps; the later one arrived first, so when its time is up both
        // gaps are given up.
        Harness h;
        h.push(1, 0);
        h.buffer.poll(100);
        h.push(5, 100);
        h.push(3, 150);
        h.buffer.poll(200);
        QCOMPARE(h.sequences(), (Seqs{1, 3, 5}));
        QCOMPARE(h.out[1].lostBefore, 1u);
        QCOMPARE(h.out[2].lostBefore, 1u);
        QCOMPARE(h.buffer.stats().lost, 2u);
    }

    void gapGivenUpWhenFull()
    {
        Harness h({4, 1000, 3000, 100});
        h.push(1, 0);
        h.buffer.poll(1000);
        h.push(3, 1001);
        h.push(4, 1001);
        h.push(5, 1001);
        QCOMPARE(h.sequences(), (Seqs{1}));
        h.push(6, 1001); // the fourth held packet
        QCOMPARE(h.sequences(), (Seqs{1, 3, 4, 5, 6}));
        QCOMPARE(h.out[1].continuity, Continuity::Gap);
        QCOMPARE(h.buffer.stats().lost, 1u);
    }

    void jumpBeyondWindowGivesUpWhatIsMissing()
    {
        Harness h({16, 100, 3000, 100});
        h.push(1, 0);
        h.buffer.poll(100);
        h.push(501, 101); // 499 packets lost in a burst (within maxDropout)
        QCOMPARE(h.buffer.stats().lost, 484u); // the window moved; 15 are still waited for
        h.buffer.poll(201);
        QCOMPARE(h.sequences(), (Seqs{1, 501}));
        QCOMPARE(h.buffer.stats().lost, 499u);
        QCOMPARE(h.out[1].lostBefore, 499u);
        QCOMPARE(h.buffer.stats().resets, 0u);
    }

    void sequenceWraps()
    {
        Harness h;
        h.push(65533, 0);
        h.buffer.poll(100);
        const Seqs arrival{65535, 65534, 1, 0, 2, 4, 3, 5};
        for (std::uint16_t s : arrival)
            h.push(s, 101);
        QCOMPARE(h.sequences(), (Seqs{65533, 65534, 65535, 0, 1, 2, 3, 4, 5}));
        QCOMPARE(h.buffer.stats().lost, 0u);
        QCOMPARE(h.buffer.stats().late, 0u);
        QCOMPARE(h.buffer.stats().resets, 0u);
    }

    void streamResetIsConfirmedFirst()
    {
        Harness h;
        h.push(1000, 0);
        h.buffer.poll(100);
        h.push(1001, 101);
        h.push(1003, 102); // held, waiting for 1002
        // The device restarted: the new sequence numbers are far away.
        h.push(40000, 103);
        QCOMPARE(h.buffer.stats().resets, 0u); // a lone stray proves nothing
        h.push(40001, 104);
        QCOMPARE(h.buffer.stats().resets, 1u);
        QCOMPARE(h.sequences(), (Seqs{1000, 1001, 1003})); // what was held came out first
        h.buffer.poll(204);
        h.push(40002, 205);
        QCOMPARE(h.sequences(), (Seqs{1000, 1001, 1003, 40000, 40001, 40002}));
        QCOMPARE(h.out[3].continuity, Continuity::StreamStart);
        QCOMPARE(h.out[4].continuity, Continuity::Continuous);
    }

    void resetWithSinglePacketBuffer()
    {
        // maxPackets 1 (no reordering at all) must still take a confirmed reset, which stores two
        // packets at once (found by fuzz_reorderbuffer).
        Harness h({1, 0, 100, 10});
        h.push(10, 0);
        h.push(11, 1);
        h.push(5000, 2);
        h.push(5001, 3);
        h.push(5002, 4);
        QCOMPARE(h.sequences(), (Seqs{10, 11, 5000, 5001, 5002}));
        QCOMPARE(h.buffer.stats().resets, 1u);
        QCOMPARE(h.buffer.heldPackets(), 0);
    }

    void strayPacketDiscarded()
    {
        Harness h;
        h.push(10, 0);
        h.buffer.poll(100);
        h.push(30000, 101);
        h.push(11, 102);
        h.push(12, 103);
        QCOMPARE(h.sequences(), (Seqs{10, 11, 12}));
        QCOMPARE(h.buffer.stats().discarded, 1u);
        QCOMPARE(h.buffer.stats().resets, 0u);
    }

    void ssrcChangeRestarts()
    {
        Harness h;
        h.push(10, 0);
        h.buffer.poll(100);
        h.push(500, 101, 0x12345678); // another source on the port: one stray
        h.push(11, 102);
        QCOMPARE(h.buffer.stats().discarded, 1u);
        // The device re-keyed its stream (a new SSRC, sequence near the old one).
        h.push(12, 103, 0x47868C01);
        h.push(13, 104, 0x47868C01);
        QCOMPARE(h.buffer.stats().resets, 1u);
        h.buffer.poll(204);
        QCOMPARE(h.sequences(), (Seqs{10, 11, 12, 13}));
        QCOMPARE(h.out[2].ssrc, 0x47868C01u);
        QCOMPARE(h.out[2].continuity, Continuity::StreamStart);
    }

    void flushReleasesEverything()
    {
        Harness h;
        h.push(1, 0);
        h.buffer.poll(100);
        h.push(3, 101);
        h.push(6, 101);
        h.buffer.flush();
        QCOMPARE(h.sequences(), (Seqs{1, 3, 6}));
        QCOMPARE(h.buffer.stats().lost, 3u);
        QCOMPARE(h.buffer.heldPackets(), 0);
        QCOMPARE(h.buffer.nextDeadlineMs(), std::nullopt);
    }

    void resetForgetsTheStream()
    {
        Harness h;
        h.push(1, 0);
        h.buffer.poll(100);
        h.push(3, 101);
        h.buffer.reset();
        QCOMPARE(h.buffer.heldPackets(), 0);
        h.push(9000, 200); // no stray handling: a new stream
        h.buffer.poll(300);
        QCOMPARE(h.sequences(), (Seqs{1, 9000}));
        QCOMPARE(h.out[1].continuity, Continuity::StreamStart);
        QCOMPARE(h.buffer.stats().received, 3u);
    }

    void randomisedNetwork_data()
    {
        QTest::addColumn<quint32>("seed");
        QTest::addColumn<int>("maxPackets");
        for (quint32 seed = 1; seed <= 20; ++seed)
            QTest::addRow("seed %u", seed) << seed << (seed % 2 ? 64 : 256);
    }

    void randomisedNetwork()
    {
        // A UDP path with jitter (packets displaced by up to 20 places), 1 % loss and 1 %
        // duplicates, across the 16-bit wrap: the output is in order, without duplicates, and
        // everything that was not lost comes out.
        QFETCH(quint32, seed);
        QFETCH(int, maxPackets);
        QRandomGenerator random(seed);
        const int count = 5000;
        const std::uint16_t first = std::uint16_t(random.bounded(65536));
        struct Sent {
            double key;
            std::uint16_t sequence;
        };
        std::vector<Sent> sent;
        int lost = 0;
        for (int i = 0; i < count; ++i) {
            if (i > 0 && i < count - 1 && random.bounded(100) == 0) {
                ++lost;
                continue;
            }
            const double key = i + random.bounded(20.0);
            sent.push_back({key, std::uint16_t(first + i)});
            if (random.bounded(100) == 0)
                sent.push_back({key + random.bounded(5.0), std::uint16_t(first + i)});
        }
        std::stable_sort(sent.begin(), sent.end(), [](const Sent &a, const Sent &b) { return a.key < b.key; });
        Harness h({maxPackets, 500, 3000, 100});
        qint64 nowMs = 0;
        for (const Sent &s : sent) {
            h.push(s.sequence, nowMs);
            h.buffer.poll(nowMs);
            nowMs += 1;
        }
        h.buffer.flush();
        const ReorderStats &stats = h.buffer.stats();
        QCOMPARE(stats.received, std::uint64_t(sent.size()));
        QCOMPARE(std::int64_t(stats.released + stats.duplicates + stats.late + stats.discarded),
                 std::int64_t(sent.size()));
        for (std::size_t i = 1; i < h.out.size(); ++i) {
            const auto step = std::uint16_t(h.out[i].sequence - h.out[i - 1].sequence);
            QVERIFY2(step >= 1 && step < 1000, "out of order or repeated");
            QCOMPARE(h.out[i].lostBefore, std::uint32_t(step - 1));
        }
        QCOMPARE(stats.late, 0u); // a displacement of 20 is well within the window and hold time
        QCOMPARE(std::int64_t(stats.released), std::int64_t(count - lost));
        QCOMPARE(std::int64_t(stats.lost), std::int64_t(lost));
        QVERIFY(stats.reordered > 0);
        QCOMPARE(stats.resets, 0u);
    }
};

QTEST_GUILESS_MAIN(TestReorderBuffer)
#include "tst_reorderbuffer.moc"
