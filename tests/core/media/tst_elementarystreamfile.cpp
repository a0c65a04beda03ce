// ElementaryStreamFile: frames and timestamps from hand-built streams (with and without
// B-frames), looping, raw G.711, and the errors a person running the simulator would see.

#include "media/elementarystreamfile.h"

#include "fftools.h"
#include "nalbuilder.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <numeric>

using namespace Vigil;
using namespace Vigil::Media;
using namespace Vigil::Media::Test;
using namespace Qt::StringLiterals;

namespace {

QList<qint64> ptsOf(const QList<AccessUnit> &units)
{
    QList<qint64> out;
    for (const AccessUnit &au : units)
        out.append(au.pts90k);
    return out;
}

QList<qint64> dtsOf(const QList<AccessUnit> &units)
{
    QList<qint64> out;
    for (const AccessUnit &au : units)
        out.append(au.dts90k);
    return out;
}

// IDR, P frames, no reordering
QByteArray ipp(int frames)
{
    QList<QByteArray> nals = {h264Sps(), h264Pps(), h264Slice({.idr = true, .sliceType = 7})};
    for (int i = 1; i < frames; ++i)
        nals.append(h264Slice({.firstMb = 0, .frameNum = i, .pocLsb = 2 * i}));
    return annexB(nals);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class TestElementaryStreamFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void videoTimestampsFromFrameRate()
    {
        auto file = ElementaryStreamFile::fromVideo(ipp(4));
        QVERIFY2(file, qPrintable(file ? QString() : file.error().message));
        QCOMPARE(file->kind(), ElementaryStreamFile::Kind::Video);
        QCOMPARE(file->videoCodec(), VideoCodec::H264);
        QCOMPARE(file->frameCount(), 4);
        QCOMPARE(ptsOf(file->accessUnits()), (QList<qint64>{0, 3600, 7200, 10800}));
        QCOMPARE(dtsOf(file->accessUnits()), (QList<qint64>{0, 3600, 7200, 10800}));
        QVERIFY(!file->reorders());
        QCOMPARE(file->duration90k(), 14400);
        QVERIFY(file->accessUnits().first().keyFrame);

        auto ntsc = ElementaryStreamFile::fromVideo(ipp(3), {30000, 1001});
        QVERIFY(ntsc);
        QCOMPARE(ptsOf(ntsc->accessUnits()), (QList<qint64>{0, 3003, 6006}));
    }

    void loopsWithGrowingTimestamps()
    {
        auto file = ElementaryStreamFile::fromVideo(ipp(3));
        QVERIFY(file);
        QList<AccessUnit> served;
        for (int i = 0; i < 7; ++i)
            served.append(file->nextAccessUnit());
        QCOMPARE(ptsOf(served), (QList<qint64>{0, 3600, 7200, 10800, 14400, 18000, 21600}));
        QCOMPARE(served.at(3).data, served.at(0).data);
        QVERIFY(served.at(3).keyFrame);
        QCOMPARE(file->passCount(), 2);
        file->rewind();
        QCOMPARE(file->nextAccessUnit().pts90k, 0);
    }

    void h264BFramesGetPtsFromPictureOrder()
    {
        // Decoding order I0 P6 B2 B4 (POC), output order I0 B2 B4 P6: one frame of delay.
        QList<QByteArray> nals = {h264Sps(), h264Pps(), h264Slice({.idr = true, .sliceType = 7})};
        nals.append(h264Slice({.frameNum = 1, .pocLsb = 6}));
        nals.append(h264Slice({.refIdc = 0, .sliceType = 6, .frameNum = 2, .pocLsb = 2}));
        nals.append(h264Slice({.refIdc = 0, .sliceType = 6, .frameNum = 2, .pocLsb = 4}));
        nals.append(h264Slice({.frameNum = 2, .pocLsb = 12}));
        nals.append(h264Slice({.refIdc = 0, .sliceType = 6, .frameNum = 3, .pocLsb = 8}));
        nals.append(h264Slice({.refIdc = 0, .sliceType = 6, .frameNum = 3, .pocLsb = 10}));
        auto file = ElementaryStreamFile::fromVideo(annexB(nals));
        QVERIFY(file);
        QCOMPARE(file->frameCount(), 7);
        QVERIFY(file->reorders());
        QCOMPARE(dtsOf(file->accessUnits()), (QList<qint64>{0, 3600, 7200, 10800, 14400, 18000, 21600}));
        QCOMPARE(ptsOf(file->accessUnits()), (QList<qint64>{3600, 14400, 7200, 10800, 25200, 18000, 21600}));
        // The second pass continues after the first.
        for (int i = 0; i < 7; ++i)
            file->nextAccessUnit();
        const AccessUnit again = file->nextAccessUnit();
        QCOMPARE(again.dts90k, 25200);
        QCOMPARE(again.pts90k, 28800);
    }

    void h265PictureOrderAcrossIdr()
    {
        // IDR, P(4), B(2), IDR, P(1): the second IDR starts the count again.
        const QList<QByteArray> nals = {h265Vps(), h265Sps(), h265Pps(), h265Slice({.type = 19}),
                                        h265Slice({.pocLsb = 4}), h265Slice({.type = 0, .pocLsb = 2}),
                                        h265Slice({.type = 19}), h265Slice({.pocLsb = 1})};
        auto file = ElementaryStreamFile::fromVideo(annexB(nals));
        QVERIFY(file);
        QCOMPARE(file->videoCodec(), VideoCodec::H265);
        QCOMPARE(file->frameCount(), 5);
        QCOMPARE(ptsOf(file->accessUnits()), (QList<qint64>{3600, 10800, 7200, 14400, 18000}));
        QCOMPARE(dtsOf(file->accessUnits()), (QList<qint64>{0, 3600, 7200, 10800, 14400}));
    }

    void rawG711()
    {
        QTemporaryDir dir;
        const QString alaw = dir.filePath(u"tone.alaw"_s);
        QVERIFY(writeFile(alaw, filler(16000 + 100))); // 100 frames and a partial one
        auto file = ElementaryStreamFile::open(alaw);
        QVERIFY2(file, qPrintable(file ? QString() : file.error().message));
        QCOMPARE(file->kind(), ElementaryStreamFile::Kind::Audio);
        QCOMPARE(file->audioCodec(), AudioCodec::G711A);
        QCOMPARE(file->frameCount(), 100);
        QCOMPARE(file->duration90k(), 180000);
        const AudioFrame first = file->nextAudioFrame();
        QCOMPARE(first.data.size(), 160);
        QCOMPARE(first.pts90k, 0);
        QCOMPARE(first.sampleRateHz, 8000);
        QCOMPARE(file->nextAudioFrame().pts90k, 1800);
        for (int i = 2; i < 100; ++i)
            file->nextAudioFrame();
        QCOMPARE(file->nextAudioFrame().pts90k, 180000); // second pass

        const QString ulaw = dir.filePath(u"tone.PCMU"_s);
        QVERIFY(writeFile(ulaw, filler(320)));
        auto mu = ElementaryStreamFile::open(ulaw);
        QVERIFY(mu);
        QCOMPARE(mu->audioCodec(), AudioCodec::G711U);
        QCOMPARE(mu->frameCount(), 2);
    }

    void errorsSayWhatIsWrong()
    {
        QTemporaryDir dir;
        const QString missing = dir.filePath(u"missing.h264"_s);
        auto notThere = ElementaryStreamFile::open(missing);
        QVERIFY(!notThere);
        QCOMPARE(notThere.error().code, ErrorCode::IoError);
        QVERIFY(notThere.error().message.contains(missing));

        const QString text = dir.filePath(u"notes.h264"_s);
        QVERIFY(writeFile(text, "these are not video frames\n"_ba.repeated(100)));
        auto wrong = ElementaryStreamFile::open(text);
        QVERIFY(!wrong);
        QCOMPARE(wrong.error().code, ErrorCode::Unsupported);
        QVERIFY(wrong.error().message.contains(u"H.264"_s));
        QVERIFY(wrong.error().message.contains(text));

        const QString empty = dir.filePath(u"empty.h265"_s);
        QVERIFY(writeFile(empty, {}));
        QVERIFY(!ElementaryStreamFile::open(empty));

        const QString shortAudio = dir.filePath(u"short.alaw"_s);
        QVERIFY(writeFile(shortAudio, filler(100)));
        auto tooShort = ElementaryStreamFile::open(shortAudio);
        QVERIFY(!tooShort);
        QVERIFY(tooShort.error().message.contains(u"20 ms"_s));

        // Parameter sets but no picture
        QVERIFY(!ElementaryStreamFile::fromVideo(annexB({h264Sps(), h264Pps()})));
        auto badRate = ElementaryStreamFile::fromVideo(ipp(2), {0, 1});
        QVERIFY(!badRate);
        QCOMPARE(badRate.error().code, ErrorCode::InvalidArgument);
    }

    void realClipOutputOrderMatchesFfmpeg()
    {
        if (!haveFfmpegTools())
            QSKIP("ffmpeg/ffprobe not found in PATH; install FFmpeg to run this test");
        QTemporaryDir dir;
        const QString clip = dir.filePath(u"b.h264"_s);
        QByteArray errors;
        QVERIFY2(makeTestClip(clip, u"h264"_s,
                              {u"-c:v"_s, u"libx264"_s, u"-preset"_s, u"medium"_s, u"-g"_s, u"30"_s, u"-bf"_s, u"3"_s},
                              40, u"320x240"_s, &errors),
                 errors.constData());
        auto file = ElementaryStreamFile::open(clip);
        QVERIFY(file);
        QVERIFY(file->reorders());
        // FFmpeg's decoder outputs frames in presentation order and says which coded picture
        // (decoding order index) each one was; sorting our access units by PTS must agree.
        const ToolResult probe = runTool(u"ffprobe"_s, {u"-v"_s, u"error"_s, u"-select_streams"_s, u"v"_s,
                                                        u"-show_entries"_s, u"frame=coded_picture_number"_s,
                                                        u"-of"_s, u"csv=p=0"_s, clip});
        QCOMPARE(probe.exitCode, 0);
        QList<qsizetype> ffmpegOrder;
        for (const QByteArray &line : probe.out.split('\n')) {
            if (!line.trimmed().isEmpty()) // side data sections print empty lines
                ffmpegOrder.append(line.split(',').first().trimmed().toLongLong());
        }
        QList<qsizetype> ourOrder(file->frameCount());
        std::iota(ourOrder.begin(), ourOrder.end(), 0);
        const auto &units = file->accessUnits();
        std::stable_sort(ourOrder.begin(), ourOrder.end(),
                         [&units](qsizetype a, qsizetype b) { return units.at(a).pts90k < units.at(b).pts90k; });
        QCOMPARE(ourOrder, ffmpegOrder);
        for (const AccessUnit &au : units)
            QVERIFY(au.pts90k >= au.dts90k);
    }
};

QTEST_GUILESS_MAIN(TestElementaryStreamFile)
#include "tst_elementarystreamfile.moc"
