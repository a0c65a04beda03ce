// JpegEncoder: snapshots that ffprobe and ffmpeg read back at the right size, with the picture
// (and its brightness range) intact.

#include "mediafixtures.h"

#include "media/ffmpeg/jpegencoder.h"
#include "media/ffmpeg/videodecoder.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace Vigil;
using namespace Vigil::Media;
using namespace Vigil::Media::Testing;
using namespace Qt::StringLiterals;

class TestJpegEncoder : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    VideoFrame m_limited; // yuv420p, 640x360
    VideoFrame m_full;    // yuvj420p, 320x240

    VideoFrame firstFrameOf(const ClipSpec &spec, const QString &name)
    {
        const QString path = m_dir.filePath(name);
        if (!makeClip(path, spec))
            return {};
        auto units = readAccessUnits(path, EncodedFrame::Codec::H264);
        VideoFrame first;
        VideoDecoder decoder([&](VideoFrame frame) {
            if (first.isNull())
                first = std::move(frame);
        });
        for (const EncodedFrame &unit : *units)
            decoder.decode(unit);
        decoder.drain();
        return first;
    }

    QString save(const QByteArray &jpeg, const QString &name)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(jpeg) != jpeg.size())
            return {};
        return path;
    }

    // The mean absolute difference between the Y plane of `frame` and that of the JPEG decoded
    // by ffmpeg into `pixelFormat`.
    static double lumaDifference(const VideoFrame &frame, const QString &jpegPath, const QString &pixelFormat)
    {
        const auto raw = runFfmpeg({u"-i"_s, jpegPath, u"-pix_fmt"_s, pixelFormat, u"-f"_s, u"rawvideo"_s, u"-"_s});
        if (!raw || raw->size() < qsizetype(frame.width()) * frame.height())
            return 1e9;
        double sum = 0;
        for (int y = 0; y < frame.height(); ++y) {
            const uchar *original = frame.plane(0) + qsizetype(y) * frame.stride(0);
            const auto *decoded = reinterpret_cast<const uchar *>(raw->constData()) + qsizetype(y) * frame.width();
            for (int x = 0; x < frame.width(); ++x)
                sum += std::abs(int(original[x]) - int(decoded[x]));
        }
        return sum / (double(frame.width()) * frame.height());
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (ffmpegPath().isEmpty() || ffprobePath().isEmpty())
            QSKIP("the ffmpeg and ffprobe command line tools are not installed; they make and check the test files");
        ClipSpec limited;
        limited.frames = 1;
        m_limited = firstFrameOf(limited, u"limited.h264"_s);
        ClipSpec full;
        full.frames = 1;
        full.width = 320;
        full.height = 240;
        full.pixelFormat = u"yuvj420p"_s;
        m_full = firstFrameOf(full, u"full.h264"_s);
        QVERIFY(!m_limited.isNull());
        QVERIFY(!m_full.isNull());
        QCOMPARE(m_limited.pixelFormat(), VideoPixelFormat::Yuv420p);
        QCOMPARE(m_full.pixelFormat(), VideoPixelFormat::Yuvj420p);
    }

    void encodesAJpegOthersRead_data()
    {
        QTest::addColumn<bool>("fullRange");
        QTest::addColumn<QString>("size");
        QTest::newRow("limited range (cameras)") << false << u"640x360"_s;
        QTest::newRow("full range") << true << u"320x240"_s;
    }

    void encodesAJpegOthersRead()
    {
        QFETCH(bool, fullRange);
        QFETCH(QString, size);
        const VideoFrame &frame = fullRange ? m_full : m_limited;
        const Result<QByteArray> jpeg = JpegEncoder().encode(frame);
        QVERIFY2(jpeg.has_value(), qPrintable(jpeg ? QString() : jpeg.error().message));
        QVERIFY(jpeg->startsWith("\xff\xd8"));
        QVERIFY(jpeg->endsWith("\xff\xd9"));
        const QString path = save(*jpeg, u"snapshot.jpg"_s);

        const auto probe = run(ffprobePath(), {u"-v"_s, u"error"_s, u"-show_entries"_s, u"stream=codec_name,width,height,pix_fmt"_s,
                                               u"-of"_s, u"csv=p=0:s=x"_s, path});
        QVERIFY(probe.has_value());
        QCOMPARE(QString::fromLatin1(probe->trimmed()), u"mjpegx"_s + size + u"xyuvj420p"_s);

        // The same picture, at the same brightness: a limited-range frame was stretched to
        // full range, and ffmpeg squeezes it back.
        const double difference = lumaDifference(frame, path, fullRange ? u"yuvj420p"_s : u"yuv420p"_s);
        QVERIFY2(difference < 2.0, qPrintable(u"mean luma difference %1"_s.arg(difference)));
    }

    void qualityTradesSizeForDetail()
    {
        const Result<QByteArray> small = JpegEncoder(20).encode(m_limited);
        const Result<QByteArray> large = JpegEncoder(95).encode(m_limited);
        QVERIFY(small && large);
        QVERIFY2(small->size() * 2 < large->size(), qPrintable(u"%1 vs %2 bytes"_s.arg(small->size()).arg(large->size())));
        QCOMPARE(JpegEncoder(0).quality(), 1);
        QCOMPARE(JpegEncoder(300).quality(), 100);
        QCOMPARE(JpegEncoder().quality(), JpegEncoder::kDefaultQuality);
    }

    void refusesANullFrame()
    {
        const Result<QByteArray> jpeg = JpegEncoder().encode(VideoFrame());
        QVERIFY(!jpeg);
        QCOMPARE(jpeg.error().code, ErrorCode::InvalidArgument);
        QVERIFY(jpeg.error().message.contains(u"no picture"_s));
    }
};

QTEST_GUILESS_MAIN(TestJpegEncoder)
#include "tst_jpegencoder.moc"
