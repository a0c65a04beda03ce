// PsMuxer: byte-exact pieces against the values in gb28181.md section 7.2, the layout of whole
// chunks (walked by their length fields), PES splitting, and end to end: files written with
// PsMuxer must decode in FFmpeg to the same frames as the source elementary stream.

#include "media/elementarystreamfile.h"
#include "media/psmuxer.h"

#include "fftools.h"
#include "nalbuilder.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Vigil;
using namespace Vigil::Media;
using namespace Vigil::Media::Test;
using namespace Qt::StringLiterals;

namespace {

/// One structure of a program stream, found by walking its length fields.
struct PsUnit {
    quint8 id = 0;
    qsizetype offset = 0;
    QByteArray bytes;
    // PES only
    bool dataAligned = false;
    qint64 pts = kNoTimestamp;
    qint64 dts = kNoTimestamp;
    QByteArray payload;
};

qint64 readTimestamp(QByteArrayView b)
{
    const auto u = [&b](int i) { return qint64(quint8(b[i])); };
    return ((u(0) >> 1) & 7) << 30 | u(1) << 22 | (u(2) >> 1) << 15 | u(3) << 7 | u(4) >> 1;
}

qint64 readScr(QByteArrayView pack)
{
    const auto u = [&pack](int i) { return qint64(quint8(pack[i])); };
    return ((u(4) >> 3) & 7) << 30 | (u(4) & 3) << 28 | u(5) << 20 | (u(6) >> 3) << 15 | (u(6) & 3) << 13
           | u(7) << 5 | u(8) >> 3;
}

/// Splits a PS byte stream into its structures; fails (empty) on anything malformed.
QList<PsUnit> walk(const QByteArray &ps)
{
    QList<PsUnit> units;
    qsizetype pos = 0;
    while (pos < ps.size()) {
        if (ps.size() - pos < 6 || !ps.sliced(pos).startsWith("\x00\x00\x01"_ba))
            return {};
        PsUnit unit;
        unit.id = quint8(ps[pos + 3]);
        unit.offset = pos;
        qsizetype size = 0;
        if (unit.id == 0xBA) {
            if (ps.size() - pos < 14 || (quint8(ps[pos + 4]) & 0xC0) != 0x40)
                return {};
            size = 14 + (quint8(ps[pos + 13]) & 7);
        } else {
            size = 6 + (qsizetype(quint8(ps[pos + 4])) << 8 | quint8(ps[pos + 5]));
        }
        if (pos + size > ps.size())
            return {};
        unit.bytes = ps.sliced(pos, size);
        if ((unit.id & 0xE0) == 0xC0 || (unit.id & 0xF0) == 0xE0) {
            const QByteArray &b = unit.bytes;
            unit.dataAligned = quint8(b[6]) & 0x04;
            const int flags = quint8(b[7]) >> 6;
            const int headerLength = quint8(b[8]);
            if (flags & 2)
                unit.pts = readTimestamp(QByteArrayView(b).sliced(9, 5));
            if (flags == 3)
                unit.dts = readTimestamp(QByteArrayView(b).sliced(14, 5));
            unit.payload = b.sliced(9 + headerLength);
        }
        units.append(unit);
        pos += size;
    }
    return units;
}

QList<quint8> ids(const QList<PsUnit> &units)
{
    QList<quint8> out;
    for (const PsUnit &u : units)
        out.append(u.id);
    return out;
}

AccessUnit makeAccessUnit(qsizetype size, qint64 pts, bool key, qint64 dts = kNoTimestamp)
{
    AccessUnit au;
    au.codec = VideoCodec::H264;
    au.data = "\x00\x00\x00\x01\x65"_ba + filler(int(size - 5));
    au.pts90k = pts;
    au.dts90k = dts == kNoTimestamp ? pts : dts;
    au.keyFrame = key;
    return au;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

/// Muxes a whole video file (and optionally audio, interleaved by time) into one PS file.
QByteArray muxFile(ElementaryStreamFile &video, ElementaryStreamFile *audio)
{
    PsMuxer muxer(video.videoCodec(), audio ? audio->audioCodec() : AudioCodec::Unknown);
    QByteArray ps;
    qsizetype audioIndex = 0;
    for (const AccessUnit &au : video.accessUnits()) {
        while (audio && audioIndex < audio->frameCount()
               && audio->audioFrames().at(audioIndex).pts90k <= au.dts90k)
            ps += muxer.mux(audio->audioFrames().at(audioIndex++));
        ps += muxer.mux(au);
    }
    while (audio && audioIndex < audio->frameCount())
        ps += muxer.mux(audio->audioFrames().at(audioIndex++));
    return ps;
}

} // namespace

class TestPsMuxer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void packHeaderMatchesReference()
    {
        QByteArray out;
        PsMuxer::appendPackHeader(out, 3600, 6106);
        QCOMPARE(out.toHex(' '), "00 00 01 ba 44 00 04 70 84 01 00 5f 6b f8"_ba);
        // 33-bit SCR (Hikvision's first PTS is above 2^32)
        out.clear();
        PsMuxer::appendPackHeader(out, 5476751910, 1);
        QCOMPARE(readScr(out), 5476751910);
        out.clear();
        PsMuxer::appendPackHeader(out, (qint64(1) << 33) + 7, 1); // wraps
        QCOMPARE(readScr(out), 7);
    }

    void timestampsMatchReference()
    {
        QByteArray out;
        PsMuxer::appendTimestamp(out, 2, 3600);
        QCOMPARE(out.toHex(' '), "21 00 01 1c 21"_ba);
        out.clear();
        PsMuxer::appendTimestamp(out, 2, 123456789);
        QCOMPARE(out.toHex(' '), "21 1d 6f 9a 2b"_ba);
        for (qint64 t : {qint64(0), qint64(1), qint64(5476751910), (qint64(1) << 33) - 1}) {
            out.clear();
            PsMuxer::appendTimestamp(out, 3, t);
            QCOMPARE(quint8(out[0]) >> 4, 3);
            QCOMPARE(readTimestamp(out), t);
        }
    }

    void pesHeaderMatchesReference()
    {
        QByteArray out;
        PsMuxer::appendPes(out, 0xE0, "\x00\x00\x00\x01\x41"_ba, 3600, 3600, false);
        QCOMPARE(out.toHex(' '), "00 00 01 e0 00 0d 80 80 05 21 00 01 1c 21 00 00 00 01 41"_ba);
    }

    void crc32IsMpeg2()
    {
        QCOMPARE(PsMuxer::crc32Mpeg2("123456789"), 0x0376E6E7u); // the CRC-32/MPEG-2 check value
    }

    void programStreamMap_data()
    {
        QTest::addColumn<VideoCodec>("video");
        QTest::addColumn<AudioCodec>("audio");
        QTest::addColumn<QByteArray>("beforeCrc");
        // The minimal H.264 + G.711A map of gb28181.md 7.2
        QTest::newRow("h264+g711a") << VideoCodec::H264 << AudioCodec::G711A
                                    << "00 00 01 bc 00 12 e0 ff 00 00 00 08 1b e0 00 00 90 c0 00 00"_ba;
        QTest::newRow("h265") << VideoCodec::H265 << AudioCodec::Unknown
                              << "00 00 01 bc 00 0e e0 ff 00 00 00 04 24 e0 00 00"_ba;
        QTest::newRow("h265+g711u") << VideoCodec::H265 << AudioCodec::G711U
                                    << "00 00 01 bc 00 12 e0 ff 00 00 00 08 24 e0 00 00 91 c0 00 00"_ba;
        QTest::newRow("h264+aac") << VideoCodec::H264 << AudioCodec::Aac
                                  << "00 00 01 bc 00 12 e0 ff 00 00 00 08 1b e0 00 00 0f c0 00 00"_ba;
    }

    void programStreamMap()
    {
        QFETCH(VideoCodec, video);
        QFETCH(AudioCodec, audio);
        QFETCH(QByteArray, beforeCrc);
        const PsMuxer muxer(video, audio);
        const QByteArray psm = muxer.programStreamMap();
        QCOMPARE(psm.first(psm.size() - 4).toHex(' '), beforeCrc);
        QCOMPARE(PsMuxer::crc32Mpeg2(psm), 0u); // the CRC covers the whole map
        const quint32 crc = PsMuxer::crc32Mpeg2(psm.first(psm.size() - 4));
        QCOMPARE(psm.right(4).toHex(), QByteArray::number(crc, 16).rightJustified(8, '0'));

        const QByteArray sh = muxer.systemHeader();
        QCOMPARE(walk(sh).size(), 1);
        QCOMPARE(quint8(sh[3]), 0xBB);
        const int streams = audio == AudioCodec::Unknown ? 1 : 2;
        QCOMPARE(sh.size(), 12 + 3 * streams);
        QCOMPARE(quint8(sh[12]), 0xE0);
        if (streams == 2)
            QCOMPARE(quint8(sh[15]), 0xC0);
    }

    void layoutOfKeyAndOtherFrames()
    {
        PsMuxer muxer(VideoCodec::H264, AudioCodec::G711A);
        const AccessUnit key = makeAccessUnit(5000, 3600, true);
        const AccessUnit p1 = makeAccessUnit(800, 7200, false);

        const auto first = walk(muxer.mux(key));
        QCOMPARE(ids(first), (QList<quint8>{0xBA, 0xBB, 0xBC, 0xE0}));
        QCOMPARE(readScr(first.at(0).bytes), 3600);
        QCOMPARE(first.at(3).pts, 3600);
        QCOMPARE(first.at(3).dts, kNoTimestamp); // DTS = PTS is not written
        QVERIFY(first.at(3).dataAligned);
        QCOMPARE(first.at(3).payload, key.data);

        const auto second = walk(muxer.mux(p1));
        QCOMPARE(ids(second), (QList<quint8>{0xBA, 0xE0}));
        QCOMPARE(second.at(1).payload, p1.data);
        QCOMPARE(second.at(1).pts, 7200);

        AudioFrame audio;
        audio.codec = AudioCodec::G711A;
        audio.data = filler(160);
        audio.pts90k = 9000;
        const auto third = walk(muxer.mux(audio));
        QCOMPARE(ids(third), (QList<quint8>{0xBA, 0xC0}));
        QCOMPARE(third.at(1).pts, 9000);
        QCOMPARE(third.at(1).payload, audio.data);
        QCOMPARE(readScr(third.at(0).bytes), 9000);

        const auto fourth = walk(muxer.mux(makeAccessUnit(900, 10800, true)));
        QCOMPARE(ids(fourth), (QList<quint8>{0xBA, 0xBB, 0xBC, 0xE0}));
    }

    void firstChunkCarriesMapEvenWithoutKeyFrame()
    {
        PsMuxer muxer(VideoCodec::H265);
        QCOMPARE(ids(walk(muxer.mux(makeAccessUnit(300, 0, false)))), (QList<quint8>{0xBA, 0xBB, 0xBC, 0xE0}));
        QCOMPARE(ids(walk(muxer.mux(makeAccessUnit(300, 3600, false)))), (QList<quint8>{0xBA, 0xE0}));
    }

    void largeFrameIsSplitIntoSeveralPes()
    {
        PsMuxer muxer(VideoCodec::H264);
        const AccessUnit key = makeAccessUnit(200'000, 90000, true, 86400);
        const QByteArray chunk = muxer.mux(key);
        const auto units = walk(chunk);
        QCOMPARE(ids(units), (QList<quint8>{0xBA, 0xBB, 0xBC, 0xE0, 0xE0, 0xE0, 0xE0}));
        QByteArray payload;
        for (qsizetype i = 3; i < units.size(); ++i) {
            const PsUnit &pes = units.at(i);
            QVERIFY(pes.bytes.size() - 6 <= PsMuxer::kMaxPesPacketLength);
            QCOMPARE(pes.pts, i == 3 ? 90000 : kNoTimestamp);
            QCOMPARE(pes.dts, i == 3 ? 86400 : kNoTimestamp);
            QCOMPARE(pes.dataAligned, i == 3);
            payload += pes.payload;
        }
        QCOMPARE(payload, key.data);
        QCOMPARE(units.at(3).bytes.size(), 6 + PsMuxer::kMaxPesPacketLength); // full PES before a split
        QCOMPARE(readScr(units.at(0).bytes), 86400);                          // SCR from DTS
        QCOMPARE(chunk.capacity() >= chunk.size(), true);
    }

    void exactPesBoundaries()
    {
        // Payload sizes around the limit: first PES room is 65535 - 3 - 5 with a PTS.
        for (qsizetype size : {65526, 65527, 65528, 65527 + 65532, 65527 + 65532 + 1}) {
            PsMuxer muxer(VideoCodec::H264);
            const AccessUnit au = makeAccessUnit(size, 0, false);
            const auto units = walk(muxer.mux(au));
            QVERIFY(!units.isEmpty());
            QByteArray payload;
            for (const PsUnit &u : units) {
                if (u.id == 0xE0)
                    payload += u.payload;
            }
            QCOMPARE(payload.size(), size);
            QCOMPARE(payload, au.data);
        }
    }

    void scrNeverGoesBack()
    {
        PsMuxer muxer(VideoCodec::H264, AudioCodec::G711A);
        const auto video = walk(muxer.mux(makeAccessUnit(100, 36000, true)));
        AudioFrame late;
        late.codec = AudioCodec::G711A;
        late.data = filler(160);
        late.pts90k = 30000;
        const auto audio = walk(muxer.mux(late));
        QCOMPARE(readScr(audio.at(0).bytes), 36000);
        QCOMPARE(audio.at(1).pts, 30000);
        Q_UNUSED(video);
    }

    void endToEnd_data()
    {
        QTest::addColumn<QStringList>("encoder");
        QTest::addColumn<QString>("format");
        QTest::addColumn<bool>("bFrames");
        QTest::addColumn<bool>("withAudio");
        const QStringList x264 = {u"-c:v"_s, u"libx264"_s, u"-preset"_s, u"veryfast"_s, u"-g"_s, u"25"_s};
        const QStringList x265 = {u"-c:v"_s, u"libx265"_s, u"-preset"_s, u"ultrafast"_s, u"-x265-params"_s};
        QTest::newRow("h264") << (x264 + QStringList{u"-bf"_s, u"0"_s}) << u"h264"_s << false << false;
        QTest::newRow("h264+g711a") << (x264 + QStringList{u"-bf"_s, u"0"_s}) << u"h264"_s << false << true;
        QTest::newRow("h264 B-frames") << (x264 + QStringList{u"-bf"_s, u"2"_s}) << u"h264"_s << true << false;
        QTest::newRow("h265") << (x265 + QStringList{u"log-level=error:keyint=25:bframes=0"_s}) << u"hevc"_s << false
                              << false;
        QTest::newRow("h265 B-frames+g711a") << (x265 + QStringList{u"log-level=error:keyint=25:bframes=3"_s})
                                             << u"hevc"_s << true << true;
    }

    void endToEnd()
    {
        QFETCH(QStringList, encoder);
        QFETCH(QString, format);
        QFETCH(bool, bFrames);
        QFETCH(bool, withAudio);
        if (!haveFfmpegTools())
            QSKIP("ffmpeg/ffprobe not found in PATH; install FFmpeg to run this test");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString source = dir.filePath(u"source."_s + format);
        const QString audioSource = dir.filePath(u"source.alaw"_s);
        const QString muxed = dir.filePath(u"muxed.ps"_s);
        QByteArray errors;
        QVERIFY2(makeTestClip(source, format, encoder, 50, u"640x360"_s, &errors), errors.constData());
        if (withAudio) {
            QVERIFY2(ffmpeg({u"-f"_s, u"lavfi"_s, u"-i"_s, u"sine=frequency=1000:sample_rate=8000:duration=2"_s,
                             u"-c:a"_s, u"pcm_alaw"_s, u"-f"_s, u"alaw"_s, audioSource},
                            &errors),
                     errors.constData());
        }

        auto video = ElementaryStreamFile::open(source);
        QVERIFY2(video, qPrintable(video ? QString() : video.error().message));
        QCOMPARE(video->frameCount(), 50);
        std::optional<ElementaryStreamFile> audio;
        if (withAudio) {
            auto opened = ElementaryStreamFile::open(audioSource);
            QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
            QCOMPARE(opened->audioCodec(), AudioCodec::G711A);
            QCOMPARE(opened->frameCount(), 100); // 2 s of 20 ms
            audio = std::move(*opened);
        }
        QCOMPARE(video->reorders(), bFrames); // B-frames: PTS != DTS, and FFmpeg must agree below
        const QByteArray ps = muxFile(*video, audio ? &*audio : nullptr);
        QVERIFY(writeFile(muxed, ps));

        // Walked by its length fields, the file holds exactly the source's bytes.
        const auto units = walk(ps);
        QVERIFY(!units.isEmpty());
        QByteArray videoBytes;
        QByteArray audioBytes;
        for (const PsUnit &u : units) {
            if (u.id == PsMuxer::kVideoStreamId)
                videoBytes += u.payload;
            else if (u.id == PsMuxer::kAudioStreamId)
                audioBytes += u.payload;
        }
        QFile sourceFile(source);
        QVERIFY(sourceFile.open(QIODevice::ReadOnly));
        QVERIFY(videoBytes == sourceFile.readAll());
        if (withAudio) {
            QFile audioFile(audioSource);
            QVERIFY(audioFile.open(QIODevice::ReadOnly));
            QVERIFY(audioBytes == audioFile.readAll());
        }

        const QStringList codecs = probeCodecs(muxed);
        QVERIFY2(codecs.contains(format == "hevc"_L1 ? u"hevc"_s : u"h264"_s), qPrintable(codecs.join(u' ')));
        if (withAudio) {
            // FFmpeg 5.1's PS demuxer does not map stream_type 0x90 and calls 0xC0 MPEG audio;
            // it must at least find an audio stream.
            QCOMPARE(codecs.size(), 2);
        }
        const auto sourceHashes = decodedFrameMd5s(source);
        QCOMPARE(sourceHashes.size(), 50);
        QCOMPARE(decodedFrameMd5s(muxed), sourceHashes);
        QCOMPARE(countVideoFrames(muxed), std::optional<int>(50));
    }

    void sharedClipsDecodeToReference_data()
    {
        QTest::addColumn<QString>("clip");
        // The 2160p clips have key frames over 65 KB: several PES per frame.
        for (const char *name : {"clip_cif25_h264", "clip_2160p25_h264", "clip_720p25_h265", "clip_2160p25_h265"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void sharedClipsDecodeToReference()
    {
        QFETCH(QString, clip);
        const QString path = sharedMediaPath(clip + (clip.endsWith("h265"_L1) ? u".h265"_s : u".h264"_s));
        const QString reference = sharedMediaPath(u"refs/"_s + clip + u".md5"_s);
        if (!QFile::exists(path) || !QFile::exists(reference))
            QSKIP(qPrintable(u"%1 not found (optional fixtures beside the checkout); skipping"_s.arg(path)));
        if (!haveFfmpegTools())
            QSKIP("ffmpeg/ffprobe not found in PATH; install FFmpeg to run this test");
        auto video = ElementaryStreamFile::open(path);
        QVERIFY2(video, qPrintable(video ? QString() : video.error().message));
        QTemporaryDir dir;
        const QString muxed = dir.filePath(u"muxed.ps"_s);
        QVERIFY(writeFile(muxed, muxFile(*video, nullptr)));
        QFile refFile(reference);
        QVERIFY(refFile.open(QIODevice::ReadOnly));
        QList<QByteArray> expected = refFile.readAll().trimmed().split('\n');
        QCOMPARE(decodedFrameMd5s(muxed), expected);
    }
};

QTEST_GUILESS_MAIN(TestPsMuxer)
#include "tst_psmuxer.moc"
