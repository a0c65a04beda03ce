// DecodeWorker and FrameSlot: decoding on a thread of its own behind a bounded queue, what the
// viewer gets when decoding falls behind, and the hand-off of the newest frame to the GUI.

#include "mediafixtures.h"

#include "media/ffmpeg/decodeworker.h"
#include "media/ffmpeg/frameslot.h"

#include <QPointer>
#include <QTemporaryDir>
#include <QTest>

#include <future>
#include <mutex>

using namespace Vigil;
using namespace Vigil::Media;
using namespace Vigil::Media::Testing;
using namespace Qt::StringLiterals;

namespace {

/// Frame MD5s collected on the worker thread.
class Collected {
public:
    void add(const VideoFrame &frame)
    {
        const QString md5 = frameMd5(frame);
        std::lock_guard lock(m_mutex);
        m_md5s << md5;
    }

    QStringList md5s() const
    {
        std::lock_guard lock(m_mutex);
        return m_md5s;
    }

private:
    mutable std::mutex m_mutex;
    QStringList m_md5s;
};

DecodeQueueLimits queueOf(qsizetype frames)
{
    DecodeQueueLimits limits;
    limits.maxFrames = frames;
    return limits;
}

} // namespace

/// Stands in for the video widget: counts the coalesced updates it is posted.
class Viewer : public QObject {
    Q_OBJECT

public:
    explicit Viewer(FrameSlot &slot) : m_slot(slot) {}

    int updates = 0;
    quint64 lastFrameNumber = 0;

public Q_SLOTS:
    void frameReady()
    {
        ++updates;
        lastFrameNumber = m_slot.take().frameNumber();
    }

private:
    FrameSlot &m_slot;
};

class TestDecodeWorker : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::vector<EncodedFrame> m_units; // 50 frames, key frames at 0 and 25
    QStringList m_reference;

private Q_SLOTS:
    void initTestCase()
    {
        if (ffmpegPath().isEmpty())
            QSKIP("the ffmpeg command line tool is not installed; it makes the test clips");
        const QString path = m_dir.filePath(u"clip.h264"_s);
        QVERIFY(makeClip(path, ClipSpec{}).has_value());
        auto units = readAccessUnits(path, EncodedFrame::Codec::H264);
        QVERIFY(units.has_value());
        m_units = *units;
        auto reference = ffmpegFrameMd5s(path);
        QVERIFY(reference.has_value());
        m_reference = *reference;
    }

    void decodesEverythingItIsGiven()
    {
        Collected out;
        DecodeWorker worker([&](VideoFrame frame) { out.add(frame); }, {}, queueOf(1000));
        for (const EncodedFrame &unit : m_units)
            QCOMPARE(worker.push(unit), PushResult::Queued);
        worker.stop(CloseMode::Drain);
        QCOMPARE(out.md5s(), m_reference);
        const DecodeWorker::Stats stats = worker.stats();
        QCOMPARE(stats.decoder.framesOutput, 50u);
        QCOMPARE(stats.decoder.accessUnits, 50u);
        QCOMPARE(stats.queue.dropped, 0u);
        QCOMPARE(worker.push(m_units.front()), PushResult::Closed);
    }

    void fallingBehindDropsToTheNewestKeyFrame()
    {
        // Eight copies of the clip arrive while the viewer holds the decoder up on the first
        // frame. The queue never holds more than 8 frames; each key frame that finds it full
        // throws out the stale GOP, so once the decoder runs again it shows frame 0, then the
        // newest GOP (the clip's frames 25 on), and never a frame whose reference was dropped.
        std::vector<EncodedFrame> units;
        for (int copy = 0; copy < 8; ++copy) {
            for (EncodedFrame unit : m_units) {
                unit.pts90k += copy * 50 * 3600;
                units.push_back(std::move(unit));
            }
        }
        std::promise<void> firstFrame;
        std::promise<void> release;
        std::shared_future<void> released = release.get_future().share();
        Collected out;
        bool first = true;
        DecodeWorker worker(
            [&](VideoFrame frame) {
                out.add(frame);
                if (std::exchange(first, false)) {
                    firstFrame.set_value();
                    released.wait();
                }
            },
            {}, queueOf(8));
        worker.push(units.front());
        firstFrame.get_future().wait();
        for (size_t i = 1; i < units.size(); ++i)
            worker.push(units[i]);
        const DecodeQueueStats whileBlocked = worker.stats().queue;
        release.set_value();
        worker.stop(CloseMode::Drain);

        QCOMPARE(out.md5s(), QStringList{m_reference[0]} + m_reference.mid(25, 8));
        QCOMPARE(whileBlocked.frames, 8);
        QCOMPARE(whileBlocked.peakFrames, 8);
        QVERIFY(whileBlocked.peakBytes <= DecodeQueueLimits{}.maxBytes);
        QCOMPARE(whileBlocked.dropped, 400u - 1 - 8);
        QVERIFY(whileBlocked.overflows >= 15);
        const DecodeWorker::Stats stats = worker.stats();
        QCOMPARE(stats.decoder.decodeErrors, 0u);
        QCOMPARE(stats.decoder.discontinuities, 1u);
        QCOMPARE(stats.decoder.framesOutput, 9u);
    }

    void reportedGapRestartsAtTheNextKeyFrame()
    {
        Collected out;
        DecodeWorker worker([&](VideoFrame frame) { out.add(frame); }, {}, queueOf(1000));
        for (size_t i = 0; i < m_units.size(); ++i) {
            if (i == 10 || i == 11)
                continue;
            if (i == 12)
                worker.reportGap();
            worker.push(m_units[i]);
        }
        worker.stop(CloseMode::Drain);
        QCOMPARE(out.md5s(), m_reference.mid(0, 10) + m_reference.mid(25));
        QCOMPARE(worker.stats().queue.gaps, 1u);
        QCOMPARE(worker.stats().queue.dropped, 13u);
        QCOMPARE(worker.stats().decoder.discontinuities, 1u);
    }

    void stopDiscardsWhatIsQueued()
    {
        Collected out;
        DecodeWorker worker([&](VideoFrame frame) { out.add(frame); }, {}, queueOf(1000));
        for (const EncodedFrame &unit : m_units)
            worker.push(unit);
        worker.stop(CloseMode::Discard);
        worker.stop(CloseMode::Discard);
        const DecodeWorker::Stats stats = worker.stats();
        QCOMPARE(stats.queue.frames, 0);
        QCOMPARE(stats.decoder.accessUnits + stats.queue.dropped, 50u);
        QCOMPARE(out.md5s(), m_reference.mid(0, out.md5s().size()));
    }

    void destructionStopsTheThread()
    {
        Collected out;
        {
            DecodeWorker worker([&](VideoFrame frame) { out.add(frame); });
            for (const EncodedFrame &unit : m_units)
                worker.push(unit);
        }
        QVERIFY(out.md5s().size() <= 50);
    }

    void slotKeepsOnlyTheNewestFrame()
    {
        VideoFrame frames[3];
        {
            int n = 0;
            VideoDecoder decoder([&](VideoFrame frame) {
                if (n < 3)
                    frames[n++] = std::move(frame);
            });
            for (int i = 0; i < 3; ++i)
                decoder.decode(m_units[size_t(i)]);
        }
        FrameSlot slot;
        QVERIFY(slot.latest().isNull());
        QVERIFY(slot.publish(frames[0]));
        QVERIFY(!slot.publish(frames[1])); // an update is already on its way
        QCOMPARE(slot.overwrittenFrames(), 1u);
        QCOMPARE(slot.latest().frameNumber(), 1u);
        QCOMPARE(slot.take().frameNumber(), 1u);
        QVERIFY(slot.publish(frames[2]));
        QCOMPARE(slot.latest().frameNumber(), 2u);
        // The decoder is gone; the frames it made stay valid as long as someone holds them.
        QCOMPARE(frameMd5(slot.take()), m_reference[2]);
    }

    void handsFramesToTheGuiThread()
    {
        // The pattern FrameSlot documents: the worker publishes, posts one coalesced update,
        // the GUI thread takes the newest frame.
        FrameSlot slot;
        Viewer viewer(slot);
        QPointer<Viewer> target(&viewer);
        DecodeWorker worker([&](VideoFrame frame) {
            if (slot.publish(std::move(frame)))
                QMetaObject::invokeMethod(target, &Viewer::frameReady, Qt::QueuedConnection);
        });
        for (const EncodedFrame &unit : m_units)
            worker.push(unit);
        worker.stop(CloseMode::Drain);
        QTRY_COMPARE(viewer.lastFrameNumber, 49u);
        QVERIFY(viewer.updates >= 1 && viewer.updates <= 50);
        QCOMPARE(quint64(viewer.updates) + slot.overwrittenFrames(), 50u);
    }
};

QTEST_GUILESS_MAIN(TestDecodeWorker)
#include "tst_decodeworker.moc"
