// VideoDecoder against the ffmpeg CLI: the same pictures, bit for bit, for H.264 and H.265 with
// and without B-frames and threads; what the operator sees after loss (a frozen picture until
// the next key frame, never a smeared one); codec and size changes; formats that need
// converting; and the shared camera-like clips when they are present.

#include "mediafixtures.h"

#include "media/ffmpeg/ffmpeglog.h"
#include "media/ffmpeg/videodecoder.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Vigil;
using namespace Vigil::Media;
using namespace Vigil::Media::Testing;
using namespace Qt::StringLiterals;

namespace {

struct Output {
    QString md5;
    int width = 0;
    int height = 0;
    VideoPixelFormat format = VideoPixelFormat::Yuv420p;
    qint64 pts90k = 0;
    quint64 frameNumber = 0;
};

/// Collects what a decoder outputs.
struct Collector {
    std::vector<Output> frames;

    VideoDecoder::FrameCallback callback()
    {
        return [this](VideoFrame frame) {
            frames.push_back(Output{frameMd5(frame), frame.width(), frame.height(), frame.pixelFormat(),
                                    frame.pts90k(), frame.frameNumber()});
        };
    }

    QStringList md5s() const
    {
        QStringList list;
        for (const Output &o : frames)
            list << o.md5;
        return list;
    }
};

// Designated initializers would be shorter, but g++ warns about every field they leave out.
template <typename Change>
ClipSpec spec(Change &&change)
{
    ClipSpec s;
    change(s);
    return s;
}

VideoDecoderOptions withThreads(int count, DecoderThreading threading = DecoderThreading::Frame)
{
    VideoDecoderOptions options;
    options.threadCount = count;
    options.threading = threading;
    return options;
}

// Puts a SEI NAL unit that claims 64 bytes of payload but carries 8 before the first slice of
// `unit`: something strict FFmpeg rejects, while the picture itself is fine.
void insertTruncatedSei(EncodedFrame &unit)
{
    const bool hevc = unit.codec == EncodedFrame::Codec::H265;
    const QByteArray sei = (hevc ? QByteArray("\x00\x00\x01\x4e\x01", 5) : QByteArray("\x00\x00\x01\x06", 4))
        + QByteArray("\x05\x40", 2) + QByteArray(8, '\xaa') + QByteArray("\x80", 1);
    for (qsizetype i = 0; i + 3 < unit.data.size(); ++i) {
        if (unit.data[i] != 0 || unit.data[i + 1] != 0 || unit.data[i + 2] != 1)
            continue;
        const uchar header = uchar(unit.data[i + 3]);
        const bool slice = hevc ? ((header >> 1) & 0x3F) < 32 : ((header & 0x1F) >= 1 && (header & 0x1F) <= 5);
        if (slice) {
            unit.data.insert(i, sei);
            return;
        }
    }
}

QStringList slice(const QStringList &list, qsizetype from, qsizetype to)
{
    return list.mid(from, to - from);
}

} // namespace

class TestVideoDecoder : public QObject {
    Q_OBJECT

private:
    struct Clip {
        QString path;
        EncodedFrame::Codec codec;
        std::vector<EncodedFrame> units;
        QStringList reference; // ffmpeg's framemd5, output order
    };

    QTemporaryDir m_dir;
    QHash<QString, Clip> m_clips;

    const Clip &clip(const QString &name) { return m_clips[name]; }

    void addClip(const QString &name, const ClipSpec &spec)
    {
        const bool hevc = spec.encoder == u"libx265";
        const QString path = m_dir.filePath(name + (hevc ? u".h265"_s : u".h264"_s));
        const Result<QString> made = makeClip(path, spec);
        QVERIFY2(made.has_value(), qPrintable(made ? QString() : made.error().message));
        Clip c;
        c.path = path;
        c.codec = hevc ? EncodedFrame::Codec::H265 : EncodedFrame::Codec::H264;
        Result<std::vector<EncodedFrame>> units = readAccessUnits(path, c.codec);
        QVERIFY(units.has_value());
        c.units = std::move(*units);
        Result<QStringList> reference = ffmpegFrameMd5s(path);
        QVERIFY2(reference.has_value(), qPrintable(reference ? QString() : reference.error().message));
        c.reference = *reference;
        QCOMPARE(qsizetype(c.reference.size()), qsizetype(spec.frames));
        m_clips.insert(name, std::move(c));
    }

    static VideoDecoderStats decodeAll(const std::vector<EncodedFrame> &units, Collector &out,
                                       VideoDecoderOptions options = {})
    {
        VideoDecoder decoder(out.callback(), std::move(options));
        for (const EncodedFrame &unit : units)
            decoder.decode(unit);
        decoder.drain();
        return decoder.stats();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (ffmpegPath().isEmpty())
            QSKIP("the ffmpeg command line tool is not installed; it makes the test clips");
        QVERIFY(m_dir.isValid());
        // FFmpeg's complaints about the damaged streams below go to vigil.media debug output.
        Ffmpeg::installLogHandler();
        addClip(u"h264"_s, ClipSpec{});
        addClip(u"h264-bframes"_s, spec([](ClipSpec &s) { s.bFrames = 3; }));
        addClip(u"h264-slices"_s, spec([](ClipSpec &s) { s.extraArguments = {u"-slices"_s, u"4"_s}; }));
        addClip(u"h265"_s, spec([](ClipSpec &s) { s.encoder = u"libx265"_s; }));
        addClip(u"h265-bframes"_s, spec([](ClipSpec &s) { s.encoder = u"libx265"_s; s.bFrames = 3; }));
        addClip(u"h264-gop10"_s, spec([](ClipSpec &s) { s.frames = 40; s.gop = 10; }));
        addClip(u"h265-gop10"_s, spec([](ClipSpec &s) { s.encoder = u"libx265"_s; s.frames = 40; s.gop = 10; }));
        addClip(u"h264-small"_s, spec([](ClipSpec &s) { s.width = 320; s.height = 180; s.frames = 30; }));
        addClip(u"h264-yuv422p"_s, spec([](ClipSpec &s) { s.frames = 10; s.pixelFormat = u"yuv422p"_s; }));
        addClip(u"h265-10bit"_s, spec([](ClipSpec &s) { s.encoder = u"libx265"_s; s.frames = 10; s.pixelFormat = u"yuv420p10le"_s; }));
        addClip(u"h264-fullrange"_s, spec([](ClipSpec &s) { s.frames = 10; s.pixelFormat = u"yuvj420p"_s; }));
    }

    void decodesLikeFfmpeg_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("threads");
        QTest::addColumn<DecoderThreading>("threading");
        QTest::newRow("H.264") << u"h264"_s << 1 << DecoderThreading::Frame;
        QTest::newRow("H.264 B-frames") << u"h264-bframes"_s << 1 << DecoderThreading::Frame;
        QTest::newRow("H.265") << u"h265"_s << 1 << DecoderThreading::Frame;
        QTest::newRow("H.265 B-frames") << u"h265-bframes"_s << 1 << DecoderThreading::Frame;
        QTest::newRow("H.264 B-frames, 2 frame threads") << u"h264-bframes"_s << 2 << DecoderThreading::Frame;
        QTest::newRow("H.265 B-frames, 3 frame threads") << u"h265-bframes"_s << 3 << DecoderThreading::Frame;
        QTest::newRow("H.264 4 slices, 2 slice threads") << u"h264-slices"_s << 2 << DecoderThreading::Slice;
        QTest::newRow("H.265, 2 slice threads") << u"h265"_s << 2 << DecoderThreading::Slice;
    }

    void decodesLikeFfmpeg()
    {
        QFETCH(QString, name);
        QFETCH(int, threads);
        QFETCH(DecoderThreading, threading);
        const Clip &c = clip(name);
        Collector out;
        const VideoDecoderStats stats =
            decodeAll(c.units, out, withThreads(threads, threading));

        QCOMPARE(out.md5s(), c.reference);
        QCOMPARE(stats.framesOutput, quint64(c.reference.size()));
        QCOMPARE(stats.accessUnits, quint64(c.units.size()));
        QCOMPARE(stats.decodeErrors, 0u);
        QCOMPARE(stats.skippedAccessUnits, 0u);
        QVERIFY(stats.hasCodec);
        QCOMPARE(stats.codec, c.codec);
        QCOMPARE(stats.width, 640);
        QCOMPARE(stats.height, 360);
        for (size_t i = 0; i < out.frames.size(); ++i) {
            QCOMPARE(out.frames[i].frameNumber, quint64(i));
            QCOMPARE(out.frames[i].format, VideoPixelFormat::Yuv420p);
        }
    }

    void passesTimestamps()
    {
        // Each picture keeps the PTS of the access unit that carried it. Without B-frames that
        // is the input order; with them the pictures are reordered, their PTS with them.
        for (const QString &name : {u"h264"_s, u"h264-bframes"_s}) {
            const Clip &c = clip(name);
            Collector out;
            decodeAll(c.units, out);
            QCOMPARE(out.frames.size(), c.units.size());
            std::vector<qint64> input;
            std::vector<qint64> output;
            for (size_t i = 0; i < out.frames.size(); ++i) {
                input.push_back(c.units[i].pts90k);
                output.push_back(out.frames[i].pts90k);
            }
            if (name == u"h264") {
                QCOMPARE(output, input);
            } else {
                QVERIFY(output != input);
                std::sort(output.begin(), output.end());
                QCOMPARE(output, input);
            }
        }
    }

    void startsAtTheFirstKeyFrame()
    {
        // Joining a stream mid-GOP: nothing is shown until the key frame at 25.
        const Clip &c = clip(u"h264"_s);
        const std::vector<EncodedFrame> units(c.units.begin() + 5, c.units.end());
        Collector out;
        const VideoDecoderStats stats = decodeAll(units, out);
        QCOMPARE(out.md5s(), slice(c.reference, 25, 50));
        QCOMPARE(stats.skippedAccessUnits, 20u);
        QCOMPARE(stats.decodeErrors, 0u);
    }

    void findsKeyFramesWithoutTheFlag()
    {
        // A demuxer that does not flag key frames: the IDR/IRAP NAL units say it.
        for (const QString &name : {u"h264"_s, u"h265"_s}) {
            std::vector<EncodedFrame> units = clip(name).units;
            for (EncodedFrame &unit : units)
                unit.keyFrame = false;
            Collector out;
            const VideoDecoderStats stats = decodeAll(units, out);
            QCOMPARE(out.md5s(), clip(name).reference);
            QCOMPARE(stats.skippedAccessUnits, 0u);
        }
    }

    void reportedGapFreezesUntilTheNextKeyFrame_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("threads");
        QTest::newRow("H.264") << u"h264"_s << 1;
        QTest::newRow("H.265") << u"h265"_s << 1;
        QTest::newRow("H.264, 2 frame threads") << u"h264"_s << 2;
    }

    void reportedGapFreezesUntilTheNextKeyFrame()
    {
        // Access units 10 and 11 are lost and the receiver says so: frames 0-9 are shown (also
        // those still inside a threaded decoder), 12-24 are dropped, 25 on are shown again.
        QFETCH(QString, name);
        QFETCH(int, threads);
        const Clip &c = clip(name);
        Collector out;
        VideoDecoder decoder(out.callback(), withThreads(threads));
        for (size_t i = 0; i < c.units.size(); ++i) {
            if (i == 10 || i == 11)
                continue;
            if (i == 12)
                decoder.markDiscontinuity();
            const DecodeStatus status = decoder.decode(c.units[i]);
            QCOMPARE(status, i >= 12 && i < 25 ? DecodeStatus::WaitingForKeyFrame : DecodeStatus::Decoded);
        }
        decoder.drain();
        QCOMPARE(out.md5s(), slice(c.reference, 0, 10) + slice(c.reference, 25, 50));
        QCOMPARE(decoder.stats().discontinuities, 1u);
        QCOMPARE(decoder.stats().skippedAccessUnits, 13u);
        QCOMPARE(decoder.stats().decodeErrors, 0u);
        QCOMPARE(decoder.stats().framesOutput, 35u);
    }

    void reportedGapWithBFramesShowsOnlyIntactFrames()
    {
        // With B-frames the pictures decoded before a gap are not a prefix of the display order;
        // whatever is shown must still be a picture of the clip, in display order, and decoding
        // must be back at the key frame.
        const Clip &c = clip(u"h264-bframes"_s);
        Collector out;
        VideoDecoder decoder(out.callback());
        for (size_t i = 0; i < c.units.size(); ++i) {
            if (i == 10)
                continue;
            if (i == 11)
                decoder.markDiscontinuity();
            decoder.decode(c.units[i]);
        }
        decoder.drain();
        qsizetype previous = -1;
        for (const QString &md5 : out.md5s()) {
            const qsizetype index = c.reference.indexOf(md5);
            QVERIFY2(index > previous, qPrintable(u"frame %1 shown out of order or damaged"_s.arg(index)));
            previous = index;
        }
        QCOMPARE(out.md5s().mid(out.md5s().indexOf(c.reference[25])), slice(c.reference, 25, 50));
        QCOMPARE(decoder.stats().decodeErrors, 0u);
    }

    void damagedAccessUnitFreezesUntilTheNextKeyFrame_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("H.264") << u"h264"_s;
        QTest::newRow("H.265") << u"h265"_s;
    }

    void damagedAccessUnitFreezesUntilTheNextKeyFrame()
    {
        // Loss inside an access unit that nobody reported: the second half of frame 10 is
        // missing. The decoder notices, withholds the damaged picture and restarts at 25.
        QFETCH(QString, name);
        const Clip &c = clip(name);
        std::vector<EncodedFrame> units = c.units;
        units[10].data.truncate(units[10].data.size() / 2);
        Collector out;
        const VideoDecoderStats stats = decodeAll(units, out);
        QCOMPARE(out.md5s(), slice(c.reference, 0, 10) + slice(c.reference, 25, 50));
        QVERIFY(stats.decodeErrors >= 1);
        QCOMPARE(stats.skippedAccessUnits, 14u);
    }

    void turnsTolerantWhenEveryKeyFrameFailsStrictDecoding_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("H.264") << u"h264-gop10"_s;
        QTest::newRow("H.265") << u"h265-gop10"_s;
    }

    void turnsTolerantWhenEveryKeyFrameFailsStrictDecoding()
    {
        // A sloppy encoder whose every key frame carries a malformed SEI: strict decoding fails
        // on key frames 0, 10 and 20, then the decoder turns tolerant and shows 20 on.
        QFETCH(QString, name);
        const Clip &c = clip(name);
        std::vector<EncodedFrame> units = c.units;
        for (EncodedFrame &unit : units) {
            if (unit.keyFrame)
                insertTruncatedSei(unit);
        }
        Collector out;
        const VideoDecoderStats stats = decodeAll(units, out);
        QVERIFY(stats.tolerant);
        QCOMPARE(stats.decodeErrors, 3u);
        QCOMPARE(out.md5s(), slice(c.reference, 20, 40));
    }

    void staysStrictWhenOnlyAfterGapsKeyFramesFail()
    {
        // Key frames damaged by a loss the receiver reported do not make the decoder tolerant.
        const Clip &c = clip(u"h265-gop10"_s);
        std::vector<EncodedFrame> units = c.units;
        Collector out;
        VideoDecoder decoder(out.callback());
        for (size_t i = 0; i < units.size(); ++i) {
            if (units[i].keyFrame && i < 30) {
                decoder.markDiscontinuity();
                units[i].data.truncate(units[i].data.size() / 2);
            }
            decoder.decode(units[i]);
        }
        decoder.drain();
        QVERIFY(!decoder.stats().tolerant);
        QCOMPARE(decoder.stats().decodeErrors, 3u);
        QCOMPARE(out.md5s(), slice(c.reference, 30, 40));
    }

    void garbageIsCountedAndSkipped()
    {
        const Clip &c = clip(u"h264"_s);
        std::vector<EncodedFrame> units = c.units;
        QByteArray noise(3000, Qt::Uninitialized);
        for (qsizetype i = 0; i < noise.size(); ++i)
            noise[i] = char((i * 7919 + 13) % 251);
        units[30].data = QByteArray("\x00\x00\x01\x41", 4) + noise; // a "P slice" of noise
        Collector out;
        const VideoDecoderStats stats = decodeAll(units, out);
        // Frames 0-29 are intact; 30-49 are not shown (nothing after 30 is a key frame).
        QCOMPARE(out.md5s(), slice(c.reference, 0, 30));
        QVERIFY(stats.decodeErrors >= 1);
    }

    void followsACodecChange()
    {
        // A device switched from H.264 to H.265 in the middle of a stream.
        std::vector<EncodedFrame> units = clip(u"h264"_s).units;
        const std::vector<EncodedFrame> &hevc = clip(u"h265"_s).units;
        units.insert(units.end(), hevc.begin(), hevc.end());
        Collector out;
        const VideoDecoderStats stats = decodeAll(units, out);
        QCOMPARE(out.md5s(), clip(u"h264"_s).reference + clip(u"h265"_s).reference);
        QCOMPARE(stats.codec, EncodedFrame::Codec::H265);
        QCOMPARE(stats.reinitializations, 1u);
        QCOMPARE(stats.decodeErrors, 0u);
    }

    void followsASizeChange()
    {
        // The operator changed the camera's resolution: new SPS/PPS at the next IDR.
        std::vector<EncodedFrame> units = clip(u"h264"_s).units;
        const std::vector<EncodedFrame> &small = clip(u"h264-small"_s).units;
        units.insert(units.end(), small.begin(), small.end());
        Collector out;
        const VideoDecoderStats stats = decodeAll(units, out);
        QCOMPARE(out.md5s(), clip(u"h264"_s).reference + clip(u"h264-small"_s).reference);
        QCOMPARE(stats.width, 320);
        QCOMPARE(stats.height, 180);
        QCOMPARE(stats.reinitializations, 1u);
        QCOMPARE(out.frames.back().width, 320);
        QCOMPARE(out.frames.front().width, 640);
    }

    void convertsOtherFormatsToYuv420p_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<VideoPixelFormat>("format");
        QTest::newRow("yuv422p") << u"h264-yuv422p"_s << VideoPixelFormat::Yuv420p;
        QTest::newRow("yuv420p10le") << u"h265-10bit"_s << VideoPixelFormat::Yuv420p;
        QTest::newRow("yuvj420p, kept") << u"h264-fullrange"_s << VideoPixelFormat::Yuvj420p;
    }

    void convertsOtherFormatsToYuv420p()
    {
        // The same conversion as `ffmpeg -pix_fmt yuv420p` (swscale, bicubic), bit for bit.
        QFETCH(QString, name);
        QFETCH(VideoPixelFormat, format);
        const Clip &c = clip(name);
        Collector out;
        const VideoDecoderStats stats = decodeAll(c.units, out);
        QCOMPARE(stats.decodeErrors, 0u);
        QCOMPARE(out.frames.size(), size_t(10));
        for (const Output &o : out.frames)
            QCOMPARE(o.format, format);
        if (format == VideoPixelFormat::Yuv420p)
            QCOMPARE(out.md5s(), c.reference);
    }

    void ignoresAudio()
    {
        Collector out;
        VideoDecoder decoder(out.callback());
        EncodedFrame audio;
        audio.codec = EncodedFrame::Codec::G711A;
        audio.data = QByteArray(160, 'x');
        QCOMPARE(decoder.decode(audio), DecodeStatus::Failed);
        QCOMPARE(decoder.stats().decodeErrors, 1u);
        QVERIFY(out.frames.empty());
    }

    void decodesTheSharedMedia_data()
    {
        // Clips made like cameras' streams (shared/media), and captures of real cameras
        // (shared/media/real) demuxed here by libavformat: the PS demuxer is tested elsewhere.
        // The references are FFmpeg's own decode.
        QTest::addColumn<QString>("file");
        QTest::addColumn<VideoPixelFormat>("format");
        QTest::newRow("CIF H.264") << u"clip_cif25_h264.h264"_s << VideoPixelFormat::Yuv420p;
        QTest::newRow("1080p H.264") << u"clip_1080p25_h264.h264"_s << VideoPixelFormat::Yuv420p;
        QTest::newRow("720p H.265 (CRA)") << u"clip_720p25_h265.h265"_s << VideoPixelFormat::Yuv420p;
        QTest::newRow("2160p H.264") << u"clip_2160p25_h264.h264"_s << VideoPixelFormat::Yuv420p;
        QTest::newRow("2160p H.265") << u"clip_2160p25_h265.h265"_s << VideoPixelFormat::Yuv420p;
        QTest::newRow("Hikvision D1 PS") << u"real/real_hik_d1_h264.ps"_s << VideoPixelFormat::Yuvj420p;
        QTest::newRow("1080p camera PS, joined mid-stream") << u"real/real_cam_1080p15_h264_midstart.ps"_s
                                                            << VideoPixelFormat::Yuvj420p;
    }

    void decodesTheSharedMedia()
    {
        QFETCH(QString, file);
        QFETCH(VideoPixelFormat, format);
        const QFileInfo info(sharedMediaDir() + u'/' + file);
        const QString refs = info.path() + u"/refs/"_s + info.completeBaseName() + u".md5"_s;
        if (sharedMediaDir().isEmpty() || !info.exists() || !QFile::exists(refs))
            QSKIP(qPrintable(u"%1 or its reference MD5s are not in shared/media"_s.arg(file)));
        Result<std::vector<EncodedFrame>> units;
        if (info.suffix() == u"ps")
            units = readContainerVideo(info.filePath());
        else
            units = readAccessUnits(info.filePath(), info.suffix() == u"h265" ? EncodedFrame::Codec::H265 : EncodedFrame::Codec::H264);
        QVERIFY2(units.has_value(), qPrintable(units ? QString() : units.error().message));
        Collector out;
        const VideoDecoderStats stats = decodeAll(*units, out);
        QCOMPARE(out.md5s(), readMd5File(refs));
        QCOMPARE(stats.decodeErrors, 0u);
        QCOMPARE(out.frames.front().format, format);
    }
};

QTEST_GUILESS_MAIN(TestVideoDecoder)
#include "tst_videodecoder.moc"
