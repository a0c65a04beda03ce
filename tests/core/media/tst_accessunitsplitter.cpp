// AccessUnitSplitter: hand-made H.264/H.265 streams with known picture boundaries, chunking,
// timestamps and limits; then real encoder output (generated with ffmpeg at test time, and the
// clips in ../shared/media when present) against FFmpeg's own frame count.

#include "media/accessunitsplitter.h"
#include "media/nalunit.h"

#include "fftools.h"
#include "nalbuilder.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Vigil;
using namespace Vigil::Media;
using namespace Vigil::Media::Test;
using namespace Qt::StringLiterals;

namespace {

QList<AccessUnit> splitAll(VideoCodec codec, const QList<QByteArray> &chunks, bool flush = true)
{
    QList<AccessUnit> units;
    AccessUnitSplitter splitter(codec, [&units](AccessUnit &&au) { units.append(std::move(au)); });
    for (const QByteArray &chunk : chunks) {
        const auto fed = splitter.feed(chunk);
        if (!fed)
            qWarning() << fed.error().message;
    }
    if (flush)
        splitter.flush();
    return units;
}

QList<AccessUnit> splitAll(VideoCodec codec, const QByteArray &bytes)
{
    return splitAll(codec, QList<QByteArray>{bytes});
}

QList<QByteArray> dataOf(const QList<AccessUnit> &units)
{
    QList<QByteArray> out;
    for (const AccessUnit &au : units)
        out.append(au.data);
    return out;
}

QList<QByteArray> chunked(const QByteArray &bytes, qsizetype size)
{
    QList<QByteArray> out;
    for (qsizetype i = 0; i < bytes.size(); i += size)
        out.append(bytes.mid(i, size));
    return out;
}

H264SliceFields p(int frameNum, int firstMb = 0)
{
    H264SliceFields f;
    f.frameNum = frameNum;
    f.pocLsb = 2 * frameNum;
    f.firstMb = firstMb;
    return f;
}

H264SliceFields idr(int idrPicId = 0, int firstMb = 0)
{
    H264SliceFields f;
    f.idr = true;
    f.sliceType = 7;
    f.idrPicId = idrPicId;
    f.firstMb = firstMb;
    return f;
}

// Three pictures: IDR with parameter sets, then two P pictures.
struct Expected {
    QByteArray stream;
    QList<QByteArray> units;
};

Expected threePictures()
{
    const QByteArray au1 = annexB({h264Sps(), h264Pps(), h264Slice(idr())});
    const QByteArray au2 = annexB({h264Slice(p(1))});
    const QByteArray au3 = annexB({h264Slice(p(2))});
    return {au1 + au2 + au3, {au1, au2, au3}};
}

} // namespace

class TestAccessUnitSplitter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void h264WithoutAud()
    {
        const Expected e = threePictures();
        const auto units = splitAll(VideoCodec::H264, e.stream);
        QCOMPARE(dataOf(units), e.units);
        QCOMPARE(units.at(0).keyFrame, true);
        QCOMPARE(units.at(1).keyFrame, false);
        QCOMPARE(units.at(2).keyFrame, false);
        QCOMPARE(units.at(0).codec, VideoCodec::H264);
    }

    void h264WithAud()
    {
        const QByteArray aud = h264Nal(H264NalType::Aud, 0, 1);
        const QByteArray au1 = annexB({aud, h264Sps(), h264Pps(), h264Slice(idr())});
        const QByteArray au2 = annexB({aud, h264Slice(p(1))});
        const QByteArray au3 = annexB({aud, h264Slice(p(2))});
        QCOMPARE(dataOf(splitAll(VideoCodec::H264, au1 + au2 + au3)), (QList<QByteArray>{au1, au2, au3}));
    }

    void audEndsPictureWithoutWaiting()
    {
        // An AUD is conclusive: the picture before it comes out before the next slice is read.
        const QByteArray aud = h264Nal(H264NalType::Aud, 0, 1);
        const QByteArray au1 = annexB({aud, h264Sps(), h264Pps(), h264Slice(idr())});
        const auto units = splitAll(VideoCodec::H264, {au1 + annexB({aud}) + "\x00\x00\x01"_ba}, false);
        QCOMPARE(dataOf(units), QList<QByteArray>{au1});
    }

    void seiAndParameterSetsBeginTheNextPicture()
    {
        const QByteArray sei = h264Nal(H264NalType::Sei, 0, 20);
        const QByteArray au1 = annexB({h264Sps(), h264Pps(), h264Slice(idr())});
        const QByteArray au2 = annexB({sei, h264Slice(p(1))});
        const QByteArray au3 = annexB({h264Sps(), h264Pps(), sei, h264Slice(idr(1))});
        const auto units = splitAll(VideoCodec::H264, au1 + au2 + au3);
        QCOMPARE(dataOf(units), (QList<QByteArray>{au1, au2, au3}));
        QCOMPARE(units.at(2).keyFrame, true);
    }

    void parameterSetBetweenSlicesOfOnePictureStays()
    {
        // A PPS may sit between two slices of one picture (7.4.1.2.3); it does not cut it.
        const QByteArray au1 = annexB({h264Sps(), h264Pps(), h264Slice(idr(0, 0)), h264Pps(), h264Slice(idr(0, 150))});
        const QByteArray au2 = annexB({h264Slice(p(1))});
        QCOMPARE(dataOf(splitAll(VideoCodec::H264, au1 + au2)), (QList<QByteArray>{au1, au2}));
    }

    void multiSlicePictures()
    {
        const QByteArray au1 = annexB({h264Sps(), h264Pps(), h264Slice(idr(0, 0)), h264Slice(idr(0, 100)),
                                       h264Slice(idr(0, 200))});
        const QByteArray au2 = annexB({h264Slice(p(1, 0)), h264Slice(p(1, 150))});
        const QByteArray au3 = annexB({h264Slice(p(2, 0)), h264Slice(p(2, 150))});
        QCOMPARE(dataOf(splitAll(VideoCodec::H264, au1 + au2 + au3)), (QList<QByteArray>{au1, au2, au3}));
    }

    void lostFirstSliceStillEndsPicture()
    {
        // The first slice of picture 2 was lost: first_mb_in_slice is not 0, but frame_num and
        // the POC differ from picture 1 (7.4.1.2.4), so it is a new picture.
        const QByteArray au1 = annexB({h264Sps(), h264Pps(), h264Slice(idr(0, 0)), h264Slice(idr(0, 200))});
        const QByteArray au2 = annexB({h264Slice(p(1, 250))});
        const QByteArray au3 = annexB({h264Slice(p(2, 0))});
        QCOMPARE(dataOf(splitAll(VideoCodec::H264, au1 + au2 + au3)), (QList<QByteArray>{au1, au2, au3}));
    }

    void consecutiveIdrPictures()
    {
        // Two IDR pictures in a row differ only by idr_pic_id.
        const QByteArray au1 = annexB({h264Sps(), h264Pps(), h264Slice(idr(0))});
        const QByteArray au2 = annexB({h264Slice(idr(1))});
        const auto units = splitAll(VideoCodec::H264, au1 + au2);
        QCOMPARE(dataOf(units), (QList<QByteArray>{au1, au2}));
        QVERIFY(units.at(1).keyFrame);
    }

    void nonReferencePicturesWithSameFrameNum()
    {
        // Consecutive non-reference pictures (B) share frame_num; the POC tells them apart.
        H264SliceFields b1 = p(1, 0);
        b1.refIdc = 0;
        b1.pocLsb = 2;
        H264SliceFields b2 = b1;
        b2.pocLsb = 4;
        b2.firstMb = 10; // as if its first slice were lost
        const QByteArray au1 = annexB({h264Sps(), h264Pps(), h264Slice(idr())});
        const QByteArray au2 = annexB({h264Slice(b1)});
        const QByteArray au3 = annexB({h264Slice(b2)});
        QCOMPARE(dataOf(splitAll(VideoCodec::H264, au1 + au2 + au3)), (QList<QByteArray>{au1, au2, au3}));
    }

    void startCodesSplitAcrossChunks()
    {
        const Expected e = threePictures();
        for (qsizetype size = 1; size <= 9; ++size)
            QCOMPARE(dataOf(splitAll(VideoCodec::H264, chunked(e.stream, size))), e.units);
        // every possible single cut
        for (qsizetype cut = 1; cut < e.stream.size(); ++cut) {
            const auto units = splitAll(VideoCodec::H264, {e.stream.first(cut), e.stream.sliced(cut)});
            QVERIFY2(dataOf(units) == e.units, qPrintable(u"cut at %1"_s.arg(cut)));
        }
    }

    void fourByteStartCodes()
    {
        const QByteArray au1 = annexB({h264Sps(), h264Pps(), h264Slice(idr())}, true);
        const QByteArray au2 = annexB({h264Slice(p(1))}, true);
        const QByteArray au3 = annexB({h264Slice(p(2))}, true);
        QCOMPARE(dataOf(splitAll(VideoCodec::H264, chunked(au1 + au2 + au3, 2))),
                 (QList<QByteArray>{au1, au2, au3}));
    }

    void garbageBeforeFirstStartCode()
    {
        const Expected e = threePictures();
        const QByteArray garbage = QByteArray::fromHex("ff00aa0000bb01") + filler(3000);
        QList<AccessUnit> units;
        AccessUnitSplitter splitter(VideoCodec::H264, [&units](AccessUnit &&au) { units.append(std::move(au)); });
        for (const QByteArray &chunk : chunked(garbage + e.stream, 1000))
            QVERIFY(splitter.feed(chunk));
        splitter.flush();
        QCOMPARE(dataOf(units), e.units);
        QCOMPARE(splitter.droppedBytes(), quint64(garbage.size()));
    }

    void startsMidStreamWithoutParameterSets()
    {
        // A stream joined mid-GOP: no key frame until parameter sets have been seen.
        const QByteArray au1 = annexB({h264Slice(p(5))});
        const QByteArray au2 = annexB({h264Slice(idr())});
        const QByteArray au3 = annexB({h264Sps(), h264Pps(), h264Slice(idr(1))});
        const QByteArray au4 = annexB({h264Slice(p(1))});
        const auto units = splitAll(VideoCodec::H264, au1 + au2 + au3 + au4);
        QCOMPARE(dataOf(units), (QList<QByteArray>{au1, au2, au3, au4}));
        QCOMPARE(units.at(1).keyFrame, false);
        QCOMPARE(units.at(2).keyFrame, true);
    }

    void flushKeepsTrailingParameterSets()
    {
        const QByteArray au1 = annexB({h264Sps(), h264Pps(), h264Slice(idr())});
        const QByteArray tail = annexB({h264Sps(), h264Pps()});
        const auto units = splitAll(VideoCodec::H264, au1 + tail);
        QCOMPARE(dataOf(units), QList<QByteArray>{au1});
    }

    void flushAtPictureEndsFromContainer()
    {
        // A demuxer that knows where pictures end flushes after each one: no delay.
        const Expected e = threePictures();
        QList<AccessUnit> units;
        AccessUnitSplitter splitter(VideoCodec::H264, [&units](AccessUnit &&au) { units.append(std::move(au)); });
        for (qsizetype i = 0; i < e.units.size(); ++i) {
            QVERIFY(splitter.feed(e.units.at(i), 3600 * i));
            splitter.flush();
            QCOMPARE(units.size(), i + 1);
            QCOMPARE(units.last().data, e.units.at(i));
            QCOMPARE(units.last().pts90k, 3600 * i);
        }
    }

    void timestampsFollowPes()
    {
        const QByteArray sei = h264Nal(H264NalType::Sei, 0, 20);
        const QByteArray au1 = annexB({h264Sps(), h264Pps(), h264Slice(idr())});
        const QByteArray au2 = annexB({sei, h264Slice(p(1))});
        const QByteArray au3 = annexB({h264Slice(p(2))});
        const QByteArray au4 = annexB({h264Slice(p(3))});
        QList<AccessUnit> units;
        AccessUnitSplitter splitter(VideoCodec::H264, [&units](AccessUnit &&au) { units.append(std::move(au)); });
        // au1 in two PES (only the first timed), au2 with PTS and DTS, au3 untimed, au4 starting
        // inside a PES that begins with the end of au3 (ISO 13818-1: the PTS is au4's).
        QVERIFY(splitter.feed(au1.first(10), 90000));
        QVERIFY(splitter.feed(au1.sliced(10)));
        QVERIFY(splitter.feed(au2, 93600, 90000));
        QVERIFY(splitter.feed(au3.first(50)));
        QVERIFY(splitter.feed(QByteArray(au3.sliced(50) + au4), 100800));
        splitter.flush();
        QCOMPARE(units.size(), 4);
        QCOMPARE(units.at(0).pts90k, 90000);
        QCOMPARE(units.at(0).dts90k, 90000);
        QCOMPARE(units.at(1).pts90k, 93600);
        QCOMPARE(units.at(1).dts90k, 90000);
        QCOMPARE(units.at(2).pts90k, kNoTimestamp);
        QCOMPARE(units.at(3).pts90k, 100800);
    }

    void oversizedPictureIsDroppedAndSplitterRecovers()
    {
        const QByteArray au1 = annexB({h264Sps(), h264Pps(), h264Slice(idr())});
        H264SliceFields huge = p(1);
        huge.payloadBytes = 20000;
        const QByteArray au2 = annexB({h264Slice(huge), h264Slice(p(1, 100))}); // the second slice is skipped too
        const QByteArray au3 = annexB({h264Slice(p(2))});
        const QByteArray au4 = annexB({h264Sps(), h264Pps(), h264Slice(idr(1))});
        QList<AccessUnit> units;
        AccessUnitSplitter splitter(VideoCodec::H264, [&units](AccessUnit &&au) { units.append(std::move(au)); }, 8192);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"access unit over 8192 bytes"_s));
        bool failed = false;
        for (const QByteArray &chunk : chunked(au1 + au2 + au3 + au4, 1500)) {
            const auto fed = splitter.feed(chunk);
            if (!fed) {
                failed = true;
                QVERIFY(fed.error().message.contains(u"8192"_s));
            }
        }
        splitter.flush();
        QVERIFY(failed);
        QCOMPARE(dataOf(units), (QList<QByteArray>{au1, au3, au4}));
        QVERIFY(splitter.droppedBytes() >= quint64(huge.payloadBytes));
        QVERIFY(units.at(2).keyFrame);
    }

    void hugeUnitAfterPictureKeepsThePicture()
    {
        const QByteArray au1 = annexB({h264Sps(), h264Pps(), h264Slice(idr())});
        const QByteArray hugeSei = annexB({h264Nal(H264NalType::Sei, 0, 20000)});
        const QByteArray au3 = annexB({h264Sps(), h264Pps(), h264Slice(idr(1))});
        QList<AccessUnit> units;
        AccessUnitSplitter splitter(VideoCodec::H264, [&units](AccessUnit &&au) { units.append(std::move(au)); }, 8192);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"access unit over 8192 bytes"_s));
        QVERIFY(splitter.feed(au1));
        QVERIFY(!splitter.feed(hugeSei));
        QVERIFY(splitter.feed(au3));
        splitter.flush();
        QCOMPARE(dataOf(units), (QList<QByteArray>{au1, au3}));
    }

    void discardResyncsAtNextPicture()
    {
        const Expected e = threePictures();
        QList<AccessUnit> units;
        AccessUnitSplitter splitter(VideoCodec::H264, [&units](AccessUnit &&au) { units.append(std::move(au)); });
        QVERIFY(splitter.feed(e.units.at(0)));
        QVERIFY(splitter.feed(e.units.at(1).first(40))); // then packets are lost
        splitter.discard();
        const QByteArray secondSliceOfLostPicture = annexB({h264Slice(p(2, 100))});
        QVERIFY(splitter.feed(QByteArray(secondSliceOfLostPicture + e.units.at(2) + annexB({h264Slice(p(3))}))));
        splitter.flush();
        QCOMPARE(units.size(), 2);
        QCOMPARE(units.at(0).data, e.units.at(2));
        QVERIFY(!units.at(0).keyFrame);
    }

    void handlerMayDropAccessUnits()
    {
        // The splitter hands its buffer over with each access unit; nothing of it may be used
        // afterwards, even when the receiver frees the unit at once (a use after free that
        // VIGIL_SANITIZE builds report here).
        QList<QByteArray> nals = {h264Sps(), h264Pps()};
        for (int i = 0; i < 6; ++i) {
            H264SliceFields f = idr(i);
            f.payloadBytes = 1'500'000;
            nals.append(h264Slice(f));
        }
        const QByteArray stream = annexB(nals);
        int count = 0;
        qsizetype bytes = 0;
        AccessUnitSplitter splitter(VideoCodec::H264, [&](AccessUnit &&au) {
            ++count;
            bytes += au.data.size();
            QVERIFY(au.keyFrame);
        });
        for (const QByteArray &chunk : chunked(stream, 100'000))
            QVERIFY(splitter.feed(chunk));
        splitter.flush();
        QCOMPARE(count, 6);
        QCOMPARE(bytes, stream.size());
    }

    void h265WithParameterSets()
    {
        const QByteArray au1 = annexB({h265Vps(), h265Sps(), h265Pps(), h265Slice({.type = 19})});
        const QByteArray au2 = annexB({h265Slice({.pocLsb = 1}), h265Slice({.first = false, .address = 40})});
        const QByteArray sei = h265Header(H265NalType::PrefixSei) + filler(12);
        const QByteArray suffixSei = h265Header(H265NalType::SuffixSei) + filler(12);
        const QByteArray au3 = annexB({sei, h265Slice({.pocLsb = 2}), suffixSei});
        const QByteArray au4 = annexB({h265Vps(), h265Sps(), h265Pps(), h265Slice({.type = 21, .pocLsb = 3})});
        const auto units = splitAll(VideoCodec::H265, au1 + au2 + au3 + au4);
        QCOMPARE(dataOf(units), (QList<QByteArray>{au1, au2, au3, au4}));
        QCOMPARE(units.at(0).keyFrame, true);
        QCOMPARE(units.at(1).keyFrame, false);
        QCOMPARE(units.at(3).keyFrame, true); // CRA is IRAP
        for (qsizetype size : {1, 3, 7})
            QCOMPARE(dataOf(splitAll(VideoCodec::H265, chunked(au1 + au2 + au3 + au4, size))),
                     (QList<QByteArray>{au1, au2, au3, au4}));
    }

    void h265AudAndNonBaseLayer()
    {
        const QByteArray aud = h265Header(H265NalType::Aud) + "\x50"_ba;
        QByteArray layer1Slice = h265Slice({.pocLsb = 1});
        layer1Slice[0] = char(quint8(layer1Slice[0]) | 1); // nuh_layer_id 32: not base layer
        const QByteArray au1 = annexB({aud, h265Vps(), h265Sps(), h265Pps(), h265Slice({.type = 19})});
        const QByteArray au2 = annexB({aud, h265Slice({.pocLsb = 1}), layer1Slice});
        const auto units = splitAll(VideoCodec::H265, au1 + au2);
        QCOMPARE(dataOf(units), (QList<QByteArray>{au1, au2}));
    }

    void realEncoderOutput_data()
    {
        QTest::addColumn<QStringList>("encoder");
        QTest::addColumn<QString>("format");
        QTest::addColumn<VideoCodec>("codec");
        QTest::addColumn<int>("slicesPerPicture");
        QTest::addColumn<bool>("frameMbsOnly");
        const QStringList x264 = {u"-c:v"_s, u"libx264"_s, u"-preset"_s, u"veryfast"_s, u"-g"_s, u"25"_s};
        const QStringList x265 = {u"-c:v"_s, u"libx265"_s, u"-preset"_s, u"ultrafast"_s, u"-x265-params"_s};
        QTest::newRow("h264 no B-frames") << (x264 + QStringList{u"-bf"_s, u"0"_s}) << u"h264"_s << VideoCodec::H264
                                          << 1 << true;
        QTest::newRow("h264 B-frames") << (x264 + QStringList{u"-bf"_s, u"3"_s}) << u"h264"_s << VideoCodec::H264 << 1
                                       << true;
        QTest::newRow("h264 4 slices, AUD, high")
            << (x264 + QStringList{u"-profile:v"_s, u"high"_s, u"-x264-params"_s, u"slices=4:aud=1"_s}) << u"h264"_s
            << VideoCodec::H264 << 4 << true;
        QTest::newRow("h264 interlaced (MBAFF)") << (x264 + QStringList{u"-flags"_s, u"+ildct"_s, u"-bf"_s, u"0"_s})
                                                 << u"h264"_s << VideoCodec::H264 << 1 << false;
        QTest::newRow("h265") << (x265 + QStringList{u"log-level=error:keyint=25:bframes=0"_s}) << u"hevc"_s
                              << VideoCodec::H265 << 1 << true;
        QTest::newRow("h265 B-frames, slices") << (x265 + QStringList{u"log-level=error:keyint=25:bframes=3:slices=3"_s})
                                               << u"hevc"_s << VideoCodec::H265 << 3 << true;
    }

    void realEncoderOutput()
    {
        QFETCH(QStringList, encoder);
        QFETCH(QString, format);
        QFETCH(VideoCodec, codec);
        QFETCH(int, slicesPerPicture);
        QFETCH(bool, frameMbsOnly);
        if (!haveFfmpegTools())
            QSKIP("ffmpeg/ffprobe not found in PATH; install FFmpeg to run this test");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"clip."_s + format);
        QByteArray errors;
        QVERIFY2(makeTestClip(path, format, encoder, 60, u"320x240"_s, &errors), errors.constData());
        QList<AccessUnit> units;
        checkAgainstFfprobe(path, codec, &units);
        QVERIFY(!units.isEmpty());

        // The rows exercise what they claim: several slices per picture, field-capable SPS.
        for (const AccessUnit &au : std::as_const(units)) {
            int slices = 0;
            for (const NalUnit &nal : NalUnit::split(codec, au.data))
                slices += nal.isVcl() ? 1 : 0;
            QCOMPARE(slices, slicesPerPicture);
        }
        if (codec == VideoCodec::H264) {
            ParameterSets sets(codec);
            for (const NalUnit &nal : NalUnit::split(codec, units.first().data))
                QVERIFY(sets.add(nal));
            QVERIFY(sets.h264Sps(0));
            QCOMPARE(sets.h264Sps(0)->frameMbsOnly, frameMbsOnly);
        }
    }

    void sharedClips_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<VideoCodec>("codec");
        for (const char *name : {"clip_cif25_h264.h264", "clip_1080p25_h264.h264", "clip_2160p25_h264.h264"})
            QTest::newRow(name) << QString::fromLatin1(name) << VideoCodec::H264;
        for (const char *name : {"clip_720p25_h265.h265", "clip_2160p25_h265.h265"})
            QTest::newRow(name) << QString::fromLatin1(name) << VideoCodec::H265;
    }

    void sharedClips()
    {
        QFETCH(QString, file);
        QFETCH(VideoCodec, codec);
        const QString path = sharedMediaPath(file);
        if (!QFile::exists(path))
            QSKIP(qPrintable(u"%1 not found (optional fixtures beside the checkout); skipping"_s.arg(path)));
        if (!haveFfmpegTools())
            QSKIP("ffmpeg/ffprobe not found in PATH; install FFmpeg to run this test");
        checkAgainstFfprobe(path, codec);
    }

private:
    void checkAgainstFfprobe(const QString &path, VideoCodec codec, QList<AccessUnit> *result = nullptr)
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QCOMPARE(NalUnit::sniffCodec(bytes), codec);

        const auto units = splitAll(codec, bytes);
        const auto expected = countVideoFrames(path);
        QVERIFY(expected.has_value());
        QCOMPARE(units.size(), qsizetype(*expected));

        // Nothing lost, nothing added, every unit starts with a start code, the first is a key frame.
        QByteArray joined;
        for (const AccessUnit &au : units) {
            QVERIFY(au.data.startsWith("\x00\x00\x01"_ba) || au.data.startsWith("\x00\x00\x00\x01"_ba));
            joined += au.data;
        }
        QCOMPARE(joined.size(), bytes.size());
        QVERIFY(joined == bytes);
        QVERIFY(units.first().keyFrame);

        // Fed in random pieces, the result is the same.
        QRandomGenerator random(1234);
        QList<QByteArray> pieces;
        for (qsizetype i = 0; i < bytes.size();) {
            const qsizetype n = qMin<qsizetype>(bytes.size() - i, random.bounded(1, 3000));
            pieces.append(bytes.mid(i, n));
            i += n;
        }
        const auto again = splitAll(codec, pieces);
        QCOMPARE(again.size(), units.size());
        for (qsizetype i = 0; i < units.size(); ++i) {
            QVERIFY(again.at(i).data == units.at(i).data);
            QCOMPARE(again.at(i).keyFrame, units.at(i).keyFrame);
        }
        if (result)
            *result = units;
    }
};

QTEST_GUILESS_MAIN(TestAccessUnitSplitter)
#include "tst_accessunitsplitter.moc"
