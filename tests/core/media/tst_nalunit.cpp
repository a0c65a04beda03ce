// NAL unit basics: start codes, types, RBSP, codec sniffing, Exp-Golomb reading, parameter
// sets (x264/x265 output and hand-built ones) and the slice header fields the splitter needs.

#include "media/bitreader.h"
#include "media/nalunit.h"
#include "media/parametersets.h"

#include "nalbuilder.h"

#include <QTest>

using namespace Vigil;
using namespace Vigil::Media;
using namespace Vigil::Media::Test;
using namespace Qt::StringLiterals;

namespace {

// Parameter sets written by x264 0.164 (1920x1080 High, so with frame cropping) and x265 3.5
// (1280x720 Main) for FFmpeg's testsrc2.
const QByteArray kX264Sps1080 = QByteArray::fromHex("67640028acd940780227e5c044000003000400000300c83c60c658");
const QByteArray kX264Pps = QByteArray::fromHex("68ebe3cb22c0");
const QByteArray kX265Vps = QByteArray::fromHex("40010c01ffff01600000030090000003000003005d959809");
const QByteArray kX265Sps720 = QByteArray::fromHex(
    "42010101600000030090000003000003005da00280802d165959a4932bc05a020000030002000003003210");
const QByteArray kX265Pps = QByteArray::fromHex("4401c172b46240");

} // namespace

class TestNalUnit : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void findStartCode_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<qsizetype>("from");
        QTest::addColumn<qsizetype>("pos");
        QTest::addColumn<int>("size");
        QTest::newRow("none") << "\x12\x00\x00\x02\x00\x01"_ba << qsizetype(0) << qsizetype(-1) << 0;
        QTest::newRow("empty") << QByteArray() << qsizetype(0) << qsizetype(-1) << 0;
        QTest::newRow("3-byte at 0") << "\x00\x00\x01\x65"_ba << qsizetype(0) << qsizetype(0) << 3;
        QTest::newRow("4-byte at 0") << "\x00\x00\x00\x01\x65"_ba << qsizetype(0) << qsizetype(0) << 4;
        QTest::newRow("extra zeros") << "\x00\x00\x00\x00\x01\x65"_ba << qsizetype(0) << qsizetype(1) << 4;
        QTest::newRow("after data") << "\x65\x88\x01\x00\x00\x01\x41"_ba << qsizetype(0) << qsizetype(3) << 3;
        QTest::newRow("ones before") << "\x01\x01\x00\x01\x00\x00\x01"_ba << qsizetype(0) << qsizetype(4) << 3;
        QTest::newRow("at the very end") << "\x41\x00\x00\x01"_ba << qsizetype(0) << qsizetype(1) << 3;
        QTest::newRow("from skips the first") << "\x00\x00\x01\x41\x00\x00\x01\x41"_ba << qsizetype(1) << qsizetype(4)
                                              << 3;
        QTest::newRow("zero before from is not counted")
            << "\x00\x00\x00\x01"_ba << qsizetype(1) << qsizetype(1) << 3;
        QTest::newRow("from past the end") << "\x00\x00\x01"_ba << qsizetype(9) << qsizetype(-1) << 0;
    }

    void findStartCode()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(qsizetype, from);
        QFETCH(qsizetype, pos);
        QFETCH(int, size);
        const StartCode sc = NalUnit::findStartCode(bytes, from);
        QCOMPARE(sc.pos, pos);
        QCOMPARE(sc.size, size);
        QCOMPARE(sc.found(), pos >= 0);
    }

    void splitSkipsGarbageTrailingZerosAndEmptyUnits()
    {
        const QByteArray bytes = "\xff\x00\x12"_ba + "\x00\x00\x00\x01\x67\x42"_ba + "\x00\x00\x01\x68\xce\x00\x00"_ba
                                 + "\x00\x00\x01"_ba + "\x00\x00\x01\x65\x88\x80"_ba;
        const auto units = NalUnit::split(VideoCodec::H264, bytes);
        QCOMPARE(units.size(), 3);
        QCOMPARE(units.at(0).bytes(), "\x67\x42"_ba);
        QCOMPARE(units.at(1).bytes(), "\x68\xce"_ba);
        QCOMPARE(units.at(2).bytes(), "\x65\x88\x80"_ba);
        QCOMPARE(units.at(0).type(), H264NalType::Sps);
        QVERIFY(units.at(1).isParameterSet());
        QVERIFY(units.at(2).isVcl() && units.at(2).isRandomAccess() && units.at(2).isIdr());
    }

    void h264Types()
    {
        const NalUnit sps(VideoCodec::H264, "\x67"_ba);
        QCOMPARE(sps.type(), 7);
        QCOMPARE(sps.nalRefIdc(), 3);
        QVERIFY(!sps.isVcl());
        const NalUnit p(VideoCodec::H264, "\x41\x9a"_ba);
        QCOMPARE(p.type(), 1);
        QVERIFY(p.isVcl() && !p.isRandomAccess());
        const NalUnit nonRef(VideoCodec::H264, "\x01\x9e"_ba);
        QCOMPARE(nonRef.nalRefIdc(), 0);
        QVERIFY(NalUnit(VideoCodec::H264, "\x09\xf0"_ba).isAccessUnitDelimiter());
        QVERIFY(!NalUnit(VideoCodec::H264, "\x23"_ba).isVcl()); // data partition B: no slice header
        QCOMPARE(NalUnit(VideoCodec::H264, {}).type(), -1);
    }

    void h265Types()
    {
        const NalUnit vps(VideoCodec::H265, "\x40\x01"_ba);
        QCOMPARE(vps.type(), H265NalType::Vps);
        QCOMPARE(vps.layerId(), 0);
        QCOMPARE(vps.temporalId(), 0);
        QVERIFY(vps.isParameterSet());
        const NalUnit idr(VideoCodec::H265, "\x26\x01\xaf"_ba);
        QCOMPARE(idr.type(), H265NalType::IdrWRadl);
        QVERIFY(idr.isVcl() && idr.isRandomAccess() && idr.isIdr());
        const NalUnit cra(VideoCodec::H265, "\x2a\x01\xaf"_ba);
        QVERIFY(cra.isRandomAccess() && !cra.isIdr());
        const NalUnit trail(VideoCodec::H265, "\x02\x03"_ba); // TemporalId 2
        QVERIFY(trail.isVcl() && !trail.isRandomAccess());
        QCOMPARE(trail.temporalId(), 2);
        QCOMPARE(NalUnit(VideoCodec::H265, "\x03\x09"_ba).layerId(), 33);
        QVERIFY(NalUnit(VideoCodec::H265, "\x46\x01"_ba).isAccessUnitDelimiter());
        QVERIFY(!NalUnit(VideoCodec::H265, "\x26"_ba).hasHeader()); // one byte is not a header
    }

    void toRbsp()
    {
        QCOMPARE(NalUnit::toRbsp("\x65\x00\x00\x03\x01\x00\x00\x03"_ba), "\x65\x00\x00\x01\x00\x00"_ba);
        QCOMPARE(NalUnit::toRbsp("\x00\x00\x03\x00\x00\x03\x00"_ba), "\x00\x00\x00\x00\x00"_ba);
        QCOMPARE(NalUnit::toRbsp("\x12\x03\x00\x03"_ba), "\x12\x03\x00\x03"_ba); // no 00 00 before the 03
        QCOMPARE(NalUnit::toRbsp("\x01\x02\x03\x04\x05"_ba, 3), "\x01\x02\x03"_ba);
        QCOMPARE(escapeRbsp(NalUnit::toRbsp(kX265Sps720)), kX265Sps720);
    }

    void sniffCodec_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<VideoCodec>("codec");
        QTest::newRow("x264 parameter sets") << annexB({kX264Sps1080, kX264Pps}) << VideoCodec::H264;
        QTest::newRow("x265 parameter sets") << annexB({kX265Vps, kX265Sps720, kX265Pps}) << VideoCodec::H265;
        QTest::newRow("built H.264") << annexB({h264Sps(), h264Pps(), h264Slice({.idr = true})}) << VideoCodec::H264;
        QTest::newRow("built H.265") << annexB({h265Vps(), h265Sps(), h265Pps(), h265Slice({.type = 19})})
                                     << VideoCodec::H265;
        // Joined mid-stream, no parameter sets: decided by which codec explains the headers.
        QTest::newRow("H.264 slices only") << annexB({"\x41\x9a\x02"_ba, "\x01\x9e\x10"_ba, "\x41\x9a\x04"_ba})
                                           << VideoCodec::H264;
        QTest::newRow("H.265 slices only") << annexB({"\x02\x01\xd0"_ba, "\x00\x01\xe0"_ba, "\x02\x01\xd2"_ba})
                                           << VideoCodec::H265;
        QTest::newRow("no start code") << QByteArray(100, 'x') << VideoCodec::Unknown;
        QTest::newRow("empty") << QByteArray() << VideoCodec::Unknown;
        QTest::newRow("forbidden bits") << annexB({"\xff\xff"_ba, "\x80\x01"_ba}) << VideoCodec::Unknown;
    }

    void sniffCodec()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(VideoCodec, codec);
        QCOMPARE(NalUnit::sniffCodec(bytes), codec);
    }

    void bitReader()
    {
        BitWriter w;
        w.bits(0x5, 3);
        w.ue(0);
        w.ue(1);
        w.ue(2);
        w.ue(254);
        w.ue(0xFFFFFFFE); // the largest ue(v) there is
        w.se(-3);
        w.se(7);
        w.bits(0xABCDEF12, 32);
        const QByteArray bytes = w.bytes();
        BitReader r(bytes);
        QCOMPARE(r.bits(3), 5u);
        QCOMPARE(r.ue(), 0u);
        QCOMPARE(r.ue(), 1u);
        QCOMPARE(r.ue(), 2u);
        QCOMPARE(r.ue(), 254u);
        QCOMPARE(r.ue(), 0xFFFFFFFEu);
        QCOMPARE(r.se(), -3);
        QCOMPARE(r.se(), 7);
        QCOMPARE(r.bits(32), 0xABCDEF12u);
        QVERIFY(r.ok());
        QVERIFY(r.bitsLeft() < 8);
        r.bits(8);
        QVERIFY(!r.ok()); // past the end: fails, reads 0
        QCOMPARE(r.bits(1), 0u);

        const QByteArray eightZeros(8, '\0');
        BitReader zeros(eightZeros);
        QCOMPARE(zeros.ue(), 0u);
        QVERIFY(!zeros.ok()); // 32+ leading zeros is not a valid code
        BitReader empty(QByteArrayView{});
        empty.skip(1);
        QVERIFY(!empty.ok());
    }

    void h264SpsFromX264()
    {
        const auto sps = H264Sps::parse(kX264Sps1080);
        QVERIFY2(sps, qPrintable(sps ? QString() : sps.error().message));
        QCOMPARE(sps->profileIdc, 100);
        QCOMPARE(sps->levelIdc, 40);
        QCOMPARE(sps->id, 0);
        QCOMPARE(sps->width, 1920);
        QCOMPARE(sps->height, 1080); // 1088 coded, cropped
        QVERIFY(sps->frameMbsOnly);
        const auto pps = H264Pps::parse(kX264Pps);
        QVERIFY(pps);
        QCOMPARE(pps->id, 0);
        QCOMPARE(pps->spsId, 0);
    }

    void h264SpsBuilt_data()
    {
        QTest::addColumn<int>("profile");
        QTest::addColumn<int>("pocType");
        QTest::addColumn<bool>("frameMbsOnly");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::newRow("baseline poc 0") << 66 << 0 << true << 320 << 240;
        QTest::newRow("high poc 2") << 100 << 2 << true << 320 << 240;
        QTest::newRow("fields") << 77 << 0 << false << 320 << 480; // map units are field MB rows
    }

    void h264SpsBuilt()
    {
        QFETCH(int, profile);
        QFETCH(int, pocType);
        QFETCH(bool, frameMbsOnly);
        QFETCH(int, width);
        QFETCH(int, height);
        const auto sps = H264Sps::parse(h264Sps({.id = 3, .profileIdc = profile, .log2MaxFrameNum = 9,
                                                 .pocType = pocType, .frameMbsOnly = frameMbsOnly}));
        QVERIFY2(sps, qPrintable(sps ? QString() : sps.error().message));
        QCOMPARE(sps->id, 3);
        QCOMPARE(sps->log2MaxFrameNum, 9);
        QCOMPARE(sps->picOrderCntType, pocType);
        QCOMPARE(sps->frameMbsOnly, frameMbsOnly);
        QCOMPARE(sps->width, width);
        QCOMPARE(sps->height, height);
    }

    void h265ParameterSetsFromX265()
    {
        const auto sps = H265Sps::parse(kX265Sps720);
        QVERIFY2(sps, qPrintable(sps ? QString() : sps.error().message));
        QCOMPARE(sps->width, 1280);
        QCOMPARE(sps->height, 720);
        QCOMPARE(sps->id, 0);
        QCOMPARE(sps->log2MaxPicOrderCntLsb, 8);
        const auto pps = H265Pps::parse(kX265Pps);
        QVERIFY(pps);
        QCOMPARE(pps->spsId, 0);
    }

    void brokenParameterSetsAreErrors()
    {
        QVERIFY(!H264Sps::parse("\x67\x42"_ba));
        QVERIFY(!H264Sps::parse(kX264Sps1080.first(8)));
        QVERIFY(!H264Pps::parse("\x68"_ba));
        QVERIFY(!H265Sps::parse(kX265Sps720.first(20)));
        QVERIFY(!H265Pps::parse("\x44\x01"_ba));
        // The error says what could not be read.
        const auto truncated = H264Sps::parse(kX264Sps1080.first(8));
        QVERIFY(truncated.error().message.contains(u"H.264 SPS"_s));

        ParameterSets sets(VideoCodec::H264);
        QVERIFY(!sets.add(NalUnit(VideoCodec::H264, "\x67\x42"_ba)));
        QVERIFY(sets.add(NalUnit(VideoCodec::H264, kX264Pps)));
        QVERIFY(sets.complete()); // seen counts, parsed or not
    }

    void h264SliceHeaders()
    {
        ParameterSets sets(VideoCodec::H264);
        QVERIFY(sets.add(NalUnit(VideoCodec::H264, h264Sps({.log2MaxFrameNum = 5, .log2MaxPocLsb = 7}))));
        QVERIFY(!sets.complete());
        QVERIFY(sets.add(NalUnit(VideoCodec::H264, h264Pps())));
        QVERIFY(sets.complete());

        const QByteArray idr = h264Slice({.idr = true, .firstMb = 0, .sliceType = 7, .frameNum = 0, .idrPicId = 3,
                                          .pocLsb = 0, .log2MaxFrameNum = 5, .log2MaxPocLsb = 7});
        const auto h = sets.readSliceHeader(NalUnit(VideoCodec::H264, idr));
        QVERIFY(h && h->detailsKnown);
        QVERIFY(h->idr && h->firstInPicture);
        QCOMPARE(h->idrPicId, 3u);

        const QByteArray p = h264Slice({.refIdc = 0, .firstMb = 77, .frameNum = 17, .pocLsb = 100,
                                        .log2MaxFrameNum = 5, .log2MaxPocLsb = 7});
        const auto hp = sets.readSliceHeader(NalUnit(VideoCodec::H264, p));
        QVERIFY(hp && hp->detailsKnown);
        QVERIFY(!hp->firstInPicture);
        QCOMPARE(hp->firstMbInSlice, 77u);
        QCOMPARE(hp->frameNum, 17u);
        QCOMPARE(hp->picOrderCntLsb, 100u);
        QCOMPARE(hp->nalRefIdc, 0);

        // Unknown PPS: only the first fields.
        const auto unknown = sets.readSliceHeader(NalUnit(VideoCodec::H264, h264Slice({.ppsId = 9})));
        QVERIFY(unknown && !unknown->detailsKnown);
        QCOMPARE(unknown->ppsId, 9u);
        // Not a slice, or too short to read.
        QVERIFY(!sets.readSliceHeader(NalUnit(VideoCodec::H264, h264Pps())));
        QVERIFY(!sets.readSliceHeader(NalUnit(VideoCodec::H264, "\x41"_ba)));
    }

    void h265SliceHeaders()
    {
        ParameterSets sets(VideoCodec::H265);
        for (const QByteArray &nal : {h265Vps(), h265Sps(6), h265Pps()})
            QVERIFY(sets.add(NalUnit(VideoCodec::H265, nal)));
        QVERIFY(sets.complete());
        const auto idr = sets.readSliceHeader(NalUnit(VideoCodec::H265, h265Slice({.type = 19})));
        QVERIFY(idr && idr->detailsKnown && idr->idr && idr->firstInPicture);
        const auto trail = sets.readSliceHeader(
            NalUnit(VideoCodec::H265, h265Slice({.pocLsb = 37, .log2MaxPocLsb = 6, .temporalIdPlus1 = 3})));
        QVERIFY(trail && trail->detailsKnown);
        QCOMPARE(trail->picOrderCntLsb, 37u);
        QCOMPARE(trail->temporalId, 2);
        const auto later = sets.readSliceHeader(NalUnit(VideoCodec::H265, h265Slice({.first = false, .address = 5})));
        QVERIFY(later && !later->firstInPicture);
    }
};

QTEST_GUILESS_MAIN(TestNalUnit)
#include "tst_nalunit.moc"
