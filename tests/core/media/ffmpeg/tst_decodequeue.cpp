// DecodeQueue: bounded in frames and bytes, drops until the next key frame when full or after
// a reported gap, marks where the decoder must restart, and hands entries across threads.

#include "media/ffmpeg/decodequeue.h"

#include <QTest>

#include <thread>

using namespace Vigil::Media;

namespace {

EncodedFrame frame(bool key, qsizetype bytes = 100, qint64 pts = 0)
{
    EncodedFrame f;
    f.codec = EncodedFrame::Codec::H264;
    f.keyFrame = key;
    f.pts90k = pts;
    // A start code and a non-IDR slice header byte, so that the NAL scan finds no key frame.
    f.data = QByteArray("\x00\x00\x01\x41", 4) + QByteArray(bytes - 4, '\x55');
    return f;
}

DecodeQueueLimits limits(qsizetype frames, qsizetype bytes = 1 << 20)
{
    DecodeQueueLimits l;
    l.maxFrames = frames;
    l.maxBytes = bytes;
    return l;
}

} // namespace

class TestDecodeQueue : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void keepsOrder()
    {
        DecodeQueue queue;
        for (int i = 0; i < 5; ++i)
            QCOMPARE(queue.push(frame(i == 0, 100, i)), PushResult::Queued);
        for (int i = 0; i < 5; ++i) {
            const auto entry = queue.tryPop();
            QVERIFY(entry);
            QCOMPARE(entry->frame.pts90k, qint64(i));
            QVERIFY(!entry->afterGap);
        }
        QVERIFY(!queue.tryPop());
    }

    void whenFullDropsUntilTheNextKeyFrame()
    {
        // The decoder is stuck: ten frames fit, the rest of the GOP is dropped, and when the
        // decoder has caught up a little, P frames are still refused: they would need the
        // dropped ones.
        DecodeQueue queue(limits(10));
        QCOMPARE(queue.push(frame(true)), PushResult::Queued);
        for (int i = 1; i < 10; ++i)
            QCOMPARE(queue.push(frame(false)), PushResult::Queued);
        for (int i = 10; i < 25; ++i)
            QCOMPARE(queue.push(frame(false)), PushResult::Dropped);
        QVERIFY(queue.tryPop());
        QVERIFY(queue.tryPop());
        QCOMPARE(queue.push(frame(false)), PushResult::Dropped);

        QCOMPARE(queue.push(frame(true, 100, 25)), PushResult::Queued);
        QCOMPARE(queue.push(frame(false, 100, 26)), PushResult::Queued);

        DecodeQueueStats stats = queue.stats();
        QCOMPARE(stats.queued, 12u);
        QCOMPARE(stats.dropped, 16u);
        QCOMPARE(stats.droppedBytes, 1600u);
        QCOMPARE(stats.overflows, 1u);
        QCOMPARE(stats.peakFrames, 10);
        QCOMPARE(stats.frames, 10);

        // The eight frames queued before the overflow are intact and decode as usual; the key
        // frame after the drop tells the decoder to restart.
        for (int i = 0; i < 8; ++i)
            QVERIFY(!queue.tryPop()->afterGap);
        const auto key = queue.tryPop();
        QCOMPARE(key->frame.pts90k, 25);
        QVERIFY(key->afterGap);
        QVERIFY(!queue.tryPop()->afterGap);
    }

    void keyFrameIntoAFullQueueThrowsOutWhatIsStale()
    {
        // Still full when the next key frame arrives: the queued frames are older than it and
        // decoding them would only keep the picture behind. Restart at the key frame.
        DecodeQueue queue(limits(5));
        QCOMPARE(queue.push(frame(true, 100, 0)), PushResult::Queued);
        for (int i = 1; i < 5; ++i)
            queue.push(frame(false, 100, i));
        QCOMPARE(queue.push(frame(true, 100, 5)), PushResult::Queued);
        QCOMPARE(queue.stats().frames, 1);
        QCOMPARE(queue.stats().dropped, 5u);
        QCOMPARE(queue.stats().overflows, 1u);
        const auto entry = queue.tryPop();
        QCOMPARE(entry->frame.pts90k, 5);
        QVERIFY(entry->afterGap);
    }

    void boundsBytes()
    {
        DecodeQueue queue(limits(100, 1000));
        QCOMPARE(queue.push(frame(true, 300)), PushResult::Queued);
        QCOMPARE(queue.push(frame(false, 300)), PushResult::Queued);
        QCOMPARE(queue.push(frame(false, 300)), PushResult::Queued);
        QCOMPARE(queue.push(frame(false, 300)), PushResult::Dropped);
        QCOMPARE(queue.stats().bytes, 900);
        QCOMPARE(queue.stats().peakBytes, 900);
    }

    void takesAnOversizedKeyFrameIntoAnEmptyQueue()
    {
        // A 4K IDR may be larger than the whole byte budget; refusing it would show nothing.
        DecodeQueue queue(limits(10, 1000));
        QCOMPARE(queue.push(frame(true, 5000)), PushResult::Queued);
        QCOMPARE(queue.push(frame(false, 100)), PushResult::Dropped);
        QVERIFY(queue.tryPop());
        QCOMPARE(queue.stats().bytes, 0);
    }

    void reportedGapDropsUntilTheNextKeyFrame()
    {
        DecodeQueue queue;
        queue.push(frame(true, 100, 0));
        queue.push(frame(false, 100, 1));
        queue.reportGap();
        QCOMPARE(queue.push(frame(false, 100, 3)), PushResult::Dropped);
        QCOMPARE(queue.push(frame(false, 100, 4)), PushResult::Dropped);
        QCOMPARE(queue.push(frame(true, 100, 5)), PushResult::Queued);
        QCOMPARE(queue.stats().gaps, 1u);
        QCOMPARE(queue.stats().overflows, 0u);
        QCOMPARE(queue.stats().dropped, 2u);
        QCOMPARE(queue.tryPop()->frame.pts90k, 0);
        QCOMPARE(queue.tryPop()->frame.pts90k, 1);
        const auto key = queue.tryPop();
        QCOMPARE(key->frame.pts90k, 5);
        QVERIFY(key->afterGap);
    }

    void recognisesAnUnflaggedIdr()
    {
        DecodeQueue queue;
        queue.reportGap();
        EncodedFrame idr = frame(false);
        idr.data = QByteArray("\x00\x00\x00\x01\x67\x42\x00\x1e\x00\x00\x01\x65\x88", 13);
        QCOMPARE(queue.push(idr), PushResult::Queued);
    }

    void audioIsNeverWaitingForAKeyFrame()
    {
        DecodeQueue queue;
        queue.reportGap();
        EncodedFrame audio;
        audio.codec = EncodedFrame::Codec::G711A;
        audio.data = QByteArray(160, '\xd5');
        QCOMPARE(queue.push(audio), PushResult::Queued);
    }

    void closeDiscardsOrDrains()
    {
        DecodeQueue discard;
        discard.push(frame(true));
        discard.close(CloseMode::Discard);
        QCOMPARE(discard.push(frame(true)), PushResult::Closed);
        QVERIFY(!discard.pop());

        DecodeQueue drain;
        drain.push(frame(true, 100, 7));
        drain.close(CloseMode::Drain);
        QCOMPARE(drain.push(frame(true)), PushResult::Closed);
        const auto last = drain.pop();
        QVERIFY(last);
        QCOMPARE(last->frame.pts90k, 7);
        QVERIFY(!drain.pop());
    }

    void popWaitsForAnotherThread()
    {
        DecodeQueue queue;
        std::vector<qint64> received;
        std::thread consumer([&] {
            while (auto entry = queue.pop())
                received.push_back(entry->frame.pts90k);
        });
        for (int i = 0; i < 100; ++i)
            queue.push(frame(i % 25 == 0, 100, i));
        queue.close(CloseMode::Drain);
        consumer.join();
        // However the threads were scheduled, what arrived is in order and starts at a key frame.
        QVERIFY(!received.empty());
        QCOMPARE(received.front() % 25, 0);
        QVERIFY(std::is_sorted(received.begin(), received.end()));
        QCOMPARE(qsizetype(received.size()) + qsizetype(queue.stats().dropped), 100);
    }

    void closeWakesAWaitingConsumer()
    {
        DecodeQueue queue;
        std::thread consumer([&] { QVERIFY(!queue.pop()); });
        queue.close(CloseMode::Discard);
        consumer.join();
    }
};

QTEST_GUILESS_MAIN(TestDecodeQueue)
#include "tst_decodequeue.moc"
