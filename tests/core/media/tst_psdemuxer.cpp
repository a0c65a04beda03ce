// PsDemuxer: hand-made bytes for each quirk GB/T 28181 devices show, PS files that ffmpeg
// muxes at test time (compared byte for byte with ffmpeg's own -c copy extraction), fed whole,
// in random chunks and through RTP with reordering and loss, and the files and real captures in
// shared/media when that folder is present.

#include "media/psdemuxer.h"
#include "media/reorderbuffer.h"
#include "media/rtppacket.h"
#include "media/rtptcpframer.h"

#include "mediatestutil.h"

#include <QDir>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <map>
#include <set>

using namespace Vigil;
using namespace Vigil::Media;
using namespace Qt::StringLiterals;
using namespace MediaTest;

namespace {

/// Everything a PsDemuxer reported, with the payload bytes copied.
struct Collected {
    struct Payload {
        std::uint8_t streamId = 0;
        EsKind kind = EsKind::Video;
        PsStreamType type = PsStreamType::Unknown;
        std::optional<std::uint64_t> pts;
        std::optional<std::uint64_t> dts;
        PesFlags flags;
        QByteArray data;
    };
    std::vector<Payload> payloads;
    std::vector<PsStreamInfo> infos;
    std::vector<PsContent> contents;

    QByteArray es(std::uint8_t streamId) const
    {
        QByteArray result;
        for (const Payload &payload : payloads) {
            if (payload.streamId == streamId)
                result += payload.data;
        }
        return result;
    }
    /// The elementary stream of the first video stream seen.
    QByteArray videoEs() const
    {
        for (const Payload &payload : payloads) {
            if (payload.kind == EsKind::Video)
                return es(payload.streamId);
        }
        return {};
    }
    std::optional<PsStreamInfo> lastInfo(std::uint8_t streamId) const
    {
        std::optional<PsStreamInfo> result;
        for (const PsStreamInfo &info : infos) {
            if (info.streamId == streamId)
                result = info;
        }
        return result;
    }
};

void attach(PsDemuxer &demuxer, Collected &collected)
{
    demuxer.setPayloadHandler([&collected](const PesPayload &payload) {
        collected.payloads.push_back(
            {payload.streamId, payload.kind, payload.type, payload.pts, payload.dts, payload.flags,
             payload.data.toByteArray()});
    });
    demuxer.setStreamHandler([&collected](const PsStreamInfo &info) { collected.infos.push_back(info); });
    demuxer.setContentHandler([&collected](PsContent content) { collected.contents.push_back(content); });
}

/// The receive path as a stream session builds it: RTP packets -> ReorderBuffer -> PsDemuxer,
/// a gap in the sequence marking a discontinuity.
struct RtpToPs {
    explicit RtpToPs(const ReorderBuffer::Options &options = {})
        : reorder(options, [this](const RtpPacket &packet, Continuity continuity, std::uint32_t) {
            if (continuity == Continuity::Gap) {
                ++gaps;
                demuxer.markDiscontinuity();
            }
            demuxer.feed(packet.payload());
        })
    {
        attach(demuxer, out);
    }
    void push(const QByteArray &bytes, qint64 nowMs)
    {
        if (const auto packet = RtpPacket::parse(bytes))
            reorder.push(*packet, nowMs);
        else
            ++unparsable;
    }
    void finish()
    {
        reorder.flush();
        demuxer.finish();
    }

    PsDemuxer demuxer;
    Collected out;
    int gaps = 0;
    int unparsable = 0;
    ReorderBuffer reorder;
};

enum class Chunking { Whole, Random, Bytewise };

Collected demux(const QByteArray &input, Chunking chunking = Chunking::Whole, PsDemuxerStats *stats = nullptr,
                quint32 seed = 1)
{
    PsDemuxer demuxer;
    Collected collected;
    attach(demuxer, collected);
    QRandomGenerator random(seed);
    qsizetype pos = 0;
    while (pos < input.size()) {
        qsizetype size = input.size();
        if (chunking == Chunking::Random)
            size = random.bounded(1, 3000);
        else if (chunking == Chunking::Bytewise)
            size = 1;
        size = std::min(size, input.size() - pos);
        demuxer.feed(QByteArrayView(input).sliced(pos, size));
        pos += size;
    }
    demuxer.finish();
    if (stats)
        *stats = demuxer.stats();
    return collected;
}

// ---- hand-made PS ------------------------------------------------------------------------------

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(text);
}

QByteArray timestampBytes(std::uint64_t value, int prefix)
{
    QByteArray out(5, '\0');
    out[0] = char((prefix << 4) | (((value >> 30) & 0x07) << 1) | 1);
    out[1] = char((value >> 22) & 0xFF);
    out[2] = char((((value >> 15) & 0x7F) << 1) | 1);
    out[3] = char((value >> 7) & 0xFF);
    out[4] = char(((value & 0x7F) << 1) | 1);
    return out;
}

/// MPEG-2 pack header with SCR 0 and the given stuffing bytes.
QByteArray packHeader(const QByteArray &stuffing = {})
{
    QByteArray out = hex("000001BA440004000401005F6B");
    out.append(char(0xF8 | stuffing.size()));
    out.append(stuffing);
    return out;
}

QByteArray systemHeader()
{
    return hex("000001BB000C80CCF504E17FE0E080C0C020");
}

struct PsmEntry {
    std::uint8_t type;
    std::uint8_t id;
    QByteArray info;
};

QByteArray psm(const QList<PsmEntry> &entries, int version = 0, const QByteArray &programInfo = {})
{
    QByteArray map;
    for (const PsmEntry &entry : entries) {
        map.append(char(entry.type));
        map.append(char(entry.id));
        appendU16(map, std::uint32_t(entry.info.size()));
        map.append(entry.info);
    }
    QByteArray body;
    body.append(char(0x80 | 0x40 | (version & 0x1F)));
    body.append(char(0xFF));
    appendU16(body, std::uint32_t(programInfo.size()));
    body.append(programInfo);
    appendU16(body, std::uint32_t(map.size()));
    body.append(map);
    body.append(hex("00000000")); // CRC: devices get it wrong too; not checked
    QByteArray out = hex("000001BC");
    appendU16(out, std::uint32_t(body.size()));
    out.append(body);
    return out;
}

/// MPEG-2 PES packet; `length0` writes PES_packet_length 0 (unbounded video).
QByteArray pes(std::uint8_t streamId, const QByteArray &payload, std::optional<std::uint64_t> pts = {},
               std::optional<std::uint64_t> dts = {}, bool length0 = false, const QByteArray &headerStuffing = {})
{
    QByteArray header;
    if (pts && dts)
        header = timestampBytes(*pts, 3) + timestampBytes(*dts, 1);
    else if (pts)
        header = timestampBytes(*pts, 2);
    header += headerStuffing;
    QByteArray out = hex("000001");
    out.append(char(streamId));
    appendU16(out, length0 ? 0 : std::uint32_t(3 + header.size() + payload.size()));
    out.append(char(0x84)); // '10', data_alignment_indicator
    out.append(char(pts ? (dts ? 0xC0 : 0x80) : 0x00));
    out.append(char(header.size()));
    out.append(header);
    out.append(payload);
    return out;
}

// Minimal Annex-B access units. The slice bytes are arbitrary; only the NAL headers matter here.
const QByteArray kH264Sps = hex("0000000167640028ACD940780227E5C04000000300400000");
const QByteArray kH264Pps = hex("0000000168EBE3CB22C0");
const QByteArray kH264Idr = hex("0000000165888404BFFFFEF7E2");
const QByteArray kH264P = hex("00000001419A2456789ABCDEF0");
const QByteArray kH265Vps = hex("0000000140010C01FFFF016000000300B0000003000003005D");
const QByteArray kH265Sps = hex("000000014201010160000003009000000300000300");
const QByteArray kH265Pps = hex("000000014401C172B46240");
const QByteArray kH265Idr = hex("0000000126018AE2C8F3");
const QByteArray kH265Trail = hex("0000000102018E5F2C");

QByteArray h264KeyFrame() { return kH264Sps + kH264Pps + kH264Idr; }
QByteArray h265KeyFrame() { return kH265Vps + kH265Sps + kH265Pps + kH265Idr; }

/// A GB/T 28181-shaped stream: pack + system header + map + video per key frame, pack + video
/// for the others, optional G.711 audio.
QByteArray gbStream(std::uint8_t videoType, const QList<QByteArray> &frames, bool withAudio = false)
{
    QByteArray out;
    std::uint64_t pts = 3600;
    for (qsizetype i = 0; i < frames.size(); ++i) {
        out += packHeader(hex("FFFF00000000"));
        if (i == 0) {
            out += systemHeader();
            QList<PsmEntry> entries{{videoType, 0xE0, {}}};
            if (withAudio)
                entries.append({0x90, 0xC0, {}});
            out += psm(entries);
        }
        out += pes(0xE0, frames[i], pts);
        if (withAudio)
            out += pes(0xC0, QByteArray(320, char(0xD5)), pts);
        pts += 3600;
    }
    return out;
}

// ---- fixtures ----------------------------------------------------------------------------------

QString sharedMedia()
{
    return QStringLiteral(VIGIL_SHARED_DIR "/media");
}

int lineCount(const QString &path)
{
    return int(readFile(path).count('\n'));
}

} // namespace

Q_DECLARE_METATYPE(Chunking)

class TestPsDemuxer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // hand-made structures and quirks
    void gbStreamH264();
    void chunkingDoesNotMatter_data();
    void chunkingDoesNotMatter();
    void packStuffingSkippedByLength();
    void packStuffingAnnouncedButMissing();
    void mpeg1SystemStream();
    void psmStreamTypes_data();
    void psmStreamTypes();
    void psmMalformedLengths();
    void psmVersionChange();
    void psmTruncatedAndGarbage();
    void timestamps33Bit();
    void pesLengthZeroVideo();
    void privateAndPaddingStreamsSkipped();
    void hikvisionEmptyPackHeader();
    void unknownStartCodeSkipped();
    void noPsmSniffsCodec_data();
    void noPsmSniffsCodec();
    void psmSaysH264ButPayloadIsH265();
    void codecSwitchWithoutNewPsm();
    void notProgramStream_data();
    void notProgramStream();
    void garbageBeforeFirstPack();
    void discontinuityDropsPartialPes();
    void truncatedAtEnd();
    void resyncAfterCorruption();

    // PS that ffmpeg makes now, compared with ffmpeg's own extraction
    void ffmpegMuxed_data();
    void ffmpegMuxed();
    void ffmpegMuxedOverRtp_data();
    void ffmpegMuxedOverRtp();
    void rtpLossRecovers();

    // shared/media (optional)
    void sharedPsFiles_data();
    void sharedPsFiles();
    void realHikvisionPs();
    void realHikvisionRtp();
    void realHikvisionRtpOverTcp();
    void realMidstartCamera();
    void realNonPsPreview();

private:
    enum class NeedFfmpeg { No, Yes };
    /// Why a test of the shared/media file `relativePath` cannot run; empty when it can.
    QString whyNot(const QString &relativePath, NeedFfmpeg needFfmpeg) const;
    /// Demuxes a real capture and checks its video ES and frame count against the references.
    Collected demuxRealPs(const QString &name, PsDemuxerStats &stats);

    bool m_ffmpeg = false;
    QTemporaryDir m_dir;
    std::map<QString, QString> m_fixtures; ///< name -> muxed file
};

void TestPsDemuxer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_ffmpeg = haveFfmpeg();
    if (!m_ffmpeg)
        return;
    const QString dir = m_dir.path();
    const auto make = [](const QStringList &arguments) {
        QString error;
        const auto ok = runFfmpeg(QStringList{QStringLiteral("-y")} + arguments, &error);
        if (!ok)
            qWarning("ffmpeg %s failed: %s", qPrintable(arguments.join(u' ')), qPrintable(error));
        return ok.has_value();
    };
    const QString h264 = dir + u"/v.h264"_s;
    const QString h265 = dir + u"/v.h265"_s;
    const QString mp2 = dir + u"/a.mp2"_s;
    QVERIFY(make({u"-f"_s, u"lavfi"_s, u"-i"_s, u"testsrc2=size=320x240:rate=25:duration=2"_s, u"-c:v"_s,
                  u"libx264"_s, u"-preset"_s, u"veryfast"_s, u"-g"_s, u"25"_s, u"-bf"_s, u"0"_s, u"-pix_fmt"_s,
                  u"yuv420p"_s, u"-f"_s, u"h264"_s, h264}));
    QVERIFY(make({u"-f"_s, u"lavfi"_s, u"-i"_s, u"testsrc2=size=320x240:rate=25:duration=2"_s, u"-c:v"_s,
                  u"libx265"_s, u"-preset"_s, u"ultrafast"_s, u"-x265-params"_s,
                  u"log-level=error:keyint=25:bframes=0"_s, u"-pix_fmt"_s, u"yuv420p"_s, u"-f"_s, u"hevc"_s,
                  h265}));
    QVERIFY(make({u"-f"_s, u"lavfi"_s, u"-i"_s, u"sine=frequency=1000:sample_rate=48000:duration=2"_s,
                  u"-c:a"_s, u"mp2"_s, u"-b:a"_s, u"64k"_s, u"-ac"_s, u"1"_s, u"-f"_s, u"mp2"_s, mp2}));
    const auto mux = [&](const QString &name, const QString &video, const QString &format, bool audio) {
        const QString out = dir + u'/' + name + u".mpg"_s;
        QStringList arguments{u"-fflags"_s, u"+genpts"_s, u"-r"_s, u"25"_s, u"-i"_s, video};
        if (audio)
            arguments << u"-i"_s << mp2 << u"-map"_s << u"0:v"_s << u"-map"_s << u"1:a"_s;
        arguments << u"-c"_s << u"copy"_s << u"-f"_s << format << out;
        if (make(arguments))
            m_fixtures[name] = out;
    };
    mux(u"vob_h264_mp2"_s, h264, u"vob"_s, true);
    mux(u"dvd_h264"_s, h264, u"dvd"_s, false);
    mux(u"mpeg1system_h264_mp2"_s, h264, u"mpeg"_s, true);
    mux(u"vob_h265"_s, h265, u"vob"_s, false);
    mux(u"vob_h265_mp2"_s, h265, u"vob"_s, true);
    mux(u"mpeg1system_h265"_s, h265, u"mpeg"_s, false);
    // B-frames need time stamps from the encoder (a raw .h264 gives ffmpeg none to copy), so this
    // one is encoded straight into the PS: PES with PTS and DTS.
    const QString bframes = dir + u"/vob_h264_bframes_mp2.mpg"_s;
    if (make({u"-f"_s, u"lavfi"_s, u"-i"_s, u"testsrc2=size=320x240:rate=25:duration=2"_s, u"-i"_s, mp2,
              u"-map"_s, u"0:v"_s, u"-map"_s, u"1:a"_s, u"-c:v"_s, u"libx264"_s, u"-preset"_s, u"veryfast"_s,
              u"-g"_s, u"25"_s, u"-bf"_s, u"2"_s, u"-pix_fmt"_s, u"yuv420p"_s, u"-c:a"_s, u"copy"_s, u"-f"_s,
              u"vob"_s, bframes}))
        m_fixtures[u"vob_h264_bframes_mp2"_s] = bframes;
    QCOMPARE(m_fixtures.size(), std::size_t(7));
}

// ---- hand-made ---------------------------------------------------------------------------------

void TestPsDemuxer::gbStreamH264()
{
    const QList<QByteArray> frames{h264KeyFrame(), kH264P, kH264P, h264KeyFrame()};
    PsDemuxerStats stats;
    const Collected out = demux(gbStream(0x1B, frames, true), Chunking::Whole, &stats);
    QCOMPARE(out.es(0xE0), frames.join());
    QCOMPARE(out.es(0xC0), QByteArray(4 * 320, char(0xD5)));
    QCOMPARE(out.contents, std::vector<PsContent>{PsContent::ProgramStream});
    const auto video = out.lastInfo(0xE0);
    QVERIFY(video);
    QCOMPARE(video->type, PsStreamType::H264);
    QCOMPARE(video->declaredType, PsStreamType::H264);
    QCOMPARE(video->source, TypeSource::Psm);
    QCOMPARE(video->kind, EsKind::Video);
    const auto audio = out.lastInfo(0xC0);
    QVERIFY(audio);
    QCOMPARE(audio->type, PsStreamType::G711A);
    QCOMPARE(audio->kind, EsKind::Audio);
    QCOMPARE(stats.packHeaders, 4u);
    QCOMPARE(stats.systemHeaders, 1u);
    QCOMPARE(stats.psms, 1u);
    QCOMPARE(stats.pesPackets, 8u);
    QCOMPARE(stats.resyncs, 0u);
    QCOMPARE(stats.bytesSkipped, 0u);
    // PTS per PES, every payload the start of a PES
    std::vector<std::uint64_t> videoPts;
    for (const auto &payload : out.payloads) {
        QVERIFY(payload.flags.testFlag(PesFlag::PesStart));
        QVERIFY(payload.flags.testFlag(PesFlag::DataAlignment));
        if (payload.streamId == 0xE0)
            videoPts.push_back(payload.pts.value_or(0));
    }
    QCOMPARE(videoPts, (std::vector<std::uint64_t>{3600, 7200, 10800, 14400}));
}

void TestPsDemuxer::chunkingDoesNotMatter_data()
{
    QTest::addColumn<Chunking>("chunking");
    QTest::newRow("random") << Chunking::Random;
    QTest::newRow("bytewise") << Chunking::Bytewise;
}

void TestPsDemuxer::chunkingDoesNotMatter()
{
    QFETCH(Chunking, chunking);
    QByteArray big(200000, '\0');
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char((i * 7) % 251 + 2); // no start codes inside
    const QByteArray idr = h264KeyFrame() + hex("00000001") + char(0x65) + big;
    const QList<QByteArray> frames{idr, kH264P, h265KeyFrame()};
    QByteArray input;
    // A key frame larger than one PES, split over several (only the first with a PTS), as devices do.
    input += packHeader() + systemHeader() + psm({{0x1B, 0xE0, {}}});
    for (qsizetype pos = 0; pos < idr.size(); pos += 65000)
        input += pes(0xE0, idr.mid(pos, 65000), pos == 0 ? std::optional<std::uint64_t>(3600) : std::nullopt);
    input += packHeader() + pes(0xE0, kH264P, 7200, {}, true);
    input += packHeader() + pes(0xBE, QByteArray(100, char(0xFF)));
    const Collected whole = demux(input);
    const Collected chunked = demux(input, chunking);
    QCOMPARE(whole.es(0xE0), idr + kH264P);
    QCOMPARE(chunked.es(0xE0), whole.es(0xE0));
    QCOMPARE(chunked.infos, whole.infos);
    QCOMPARE(chunked.contents, whole.contents);
}

void TestPsDemuxer::packStuffingSkippedByLength()
{
    // Hikvision writes 6 stuffing bytes that are not 0xFF (a frame counter), here even a fake
    // start code: they must be skipped by pack_stuffing_length, never by looking at them.
    const QByteArray frame = h264KeyFrame();
    const QByteArray input = packHeader(hex("FFFF000001BA")) + psm({{0x1B, 0xE0, {}}}) + pes(0xE0, frame, 0)
        + packHeader(hex("00000001E000")) + pes(0xE0, kH264P, 3600) + packHeader(hex("0000")) + pes(0xE0, kH264P, 7200);
    PsDemuxerStats stats;
    const Collected out = demux(input, Chunking::Bytewise, &stats);
    QCOMPARE(out.es(0xE0), frame + kH264P + kH264P);
    QCOMPARE(stats.packHeaders, 3u);
    QCOMPARE(stats.resyncs, 0u);
    QCOMPARE(stats.bytesSkipped, 0u);
}

void TestPsDemuxer::packStuffingAnnouncedButMissing()
{
    QByteArray pack = packHeader();
    pack[13] = char(0xFE); // says 6 stuffing bytes, writes none
    const QByteArray input = pack + psm({{0x1B, 0xE0, {}}}) + pes(0xE0, h264KeyFrame(), 0);
    PsDemuxerStats stats;
    const Collected out = demux(input, Chunking::Whole, &stats);
    QCOMPARE(out.es(0xE0), h264KeyFrame());
    QCOMPARE(stats.resyncs, 0u);
}

void TestPsDemuxer::mpeg1SystemStream()
{
    // MPEG-1 pack header (12 bytes) and MPEG-1 PES headers: stuffing, STD buffer, PTS / PTS+DTS.
    const QByteArray pack = hex("000001BA2100010001800001");
    QByteArray video1 = hex("000001E0");
    const QByteArray header1 = hex("FFFF") + hex("6000") + timestampBytes(90000, 2);
    appendU16(video1, std::uint32_t(header1.size() + h264KeyFrame().size()));
    video1 += header1 + h264KeyFrame();
    QByteArray video2 = hex("000001E0");
    const QByteArray header2 = timestampBytes(93600, 3) + timestampBytes(90000, 1);
    appendU16(video2, std::uint32_t(header2.size() + kH264P.size()));
    video2 += header2 + kH264P;
    QByteArray audio = hex("000001C0");
    appendU16(audio, 1 + 4);
    audio += hex("0F") + hex("FFFD1234"); // no time stamp; an MPEG-1 layer II frame header
    PsDemuxerStats stats;
    const Collected out = demux(pack + video1 + pack + video2 + audio, Chunking::Random, &stats);
    QCOMPARE(stats.mpeg1PackHeaders, 2u);
    QCOMPARE(out.es(0xE0), h264KeyFrame() + kH264P);
    QCOMPARE(out.es(0xC0), hex("FFFD1234"));
    QCOMPARE(out.payloads.size(), std::size_t(3));
    QCOMPARE(out.payloads[0].pts, std::optional<std::uint64_t>(90000));
    QCOMPARE(out.payloads[0].dts, std::nullopt);
    QCOMPARE(out.payloads[1].pts, std::optional<std::uint64_t>(93600));
    QCOMPARE(out.payloads[1].dts, std::optional<std::uint64_t>(90000));
    QCOMPARE(out.lastInfo(0xE0)->type, PsStreamType::H264);
    QCOMPARE(out.lastInfo(0xE0)->source, TypeSource::Sniffed);
    QCOMPARE(out.lastInfo(0xC0)->type, PsStreamType::Mpeg1Audio);
}

void TestPsDemuxer::psmStreamTypes_data()
{
    QTest::addColumn<int>("streamType");
    QTest::addColumn<int>("streamId");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<PsStreamType>("expected");
    QTest::addColumn<EsKind>("kind");
    QTest::newRow("H.264") << 0x1B << 0xE0 << h264KeyFrame() << PsStreamType::H264 << EsKind::Video;
    QTest::newRow("H.265") << 0x24 << 0xE0 << h265KeyFrame() << PsStreamType::H265 << EsKind::Video;
    QTest::newRow("MPEG-4") << 0x10 << 0xE0 << hex("000001B0F5000001B50900000100000001200086")
                            << PsStreamType::Mpeg4Visual << EsKind::Video;
    QTest::newRow("SVAC video") << 0x80 << 0xE0 << hex("0000000167001234") << PsStreamType::SvacVideo
                                << EsKind::Video;
    QTest::newRow("G.711A") << 0x90 << 0xC0 << QByteArray(160, char(0xD5)) << PsStreamType::G711A << EsKind::Audio;
    QTest::newRow("G.711U") << 0x91 << 0xC0 << QByteArray(160, char(0xFF)) << PsStreamType::G711U << EsKind::Audio;
    QTest::newRow("G.722.1") << 0x92 << 0xC0 << QByteArray(60, 'x') << PsStreamType::G7221 << EsKind::Audio;
    QTest::newRow("G.723.1") << 0x93 << 0xC0 << QByteArray(24, 'x') << PsStreamType::G7231 << EsKind::Audio;
    QTest::newRow("G.729") << 0x99 << 0xC0 << QByteArray(20, 'x') << PsStreamType::G729 << EsKind::Audio;
    QTest::newRow("SVAC audio") << 0x9B << 0xC0 << QByteArray(20, 'x') << PsStreamType::SvacAudio << EsKind::Audio;
    QTest::newRow("AAC") << 0x0F << 0xC0 << hex("FFF15080021FFC2100") << PsStreamType::AacAdts << EsKind::Audio;
    QTest::newRow("MPEG audio") << 0x03 << 0xC0 << hex("FFFD1234") << PsStreamType::Mpeg1Audio << EsKind::Audio;
    QTest::newRow("unknown type on E0") << 0x42 << 0xE0 << QByteArray(20, 'x') << PsStreamType(0x42)
                                        << EsKind::Video;
}

void TestPsDemuxer::psmStreamTypes()
{
    QFETCH(int, streamType);
    QFETCH(int, streamId);
    QFETCH(QByteArray, payload);
    QFETCH(PsStreamType, expected);
    QFETCH(EsKind, kind);
    const QByteArray input = packHeader() + psm({{std::uint8_t(streamType), std::uint8_t(streamId), {}}})
        + pes(std::uint8_t(streamId), payload, 0);
    const Collected out = demux(input);
    QCOMPARE(out.es(std::uint8_t(streamId)), payload);
    const auto info = out.lastInfo(std::uint8_t(streamId));
    QVERIFY(info);
    QCOMPARE(info->type, expected);
    QCOMPARE(info->declaredType, PsStreamType(streamType));
    QCOMPARE(info->kind, kind);
    QCOMPARE(out.payloads.front().type, expected);
    QVERIFY(!psStreamTypeName(expected).isEmpty());
}

void TestPsDemuxer::psmMalformedLengths()
{
    // The midstart camera's map: es_info_length 16 for a 12-byte descriptor, the other 4 bytes
    // being a G.711A entry; CRC 0. And Hikvision's program descriptors.
    const QByteArray midstart = hex("000001BC001EE1FF000000141BE000102A0A7FFF00000BB81FFEF08790C0000000000000");
    PsDemuxerStats stats;
    QByteArray input = packHeader() + midstart + pes(0xE0, h264KeyFrame(), 0) + pes(0xC0, QByteArray(80, char(0xD5)), 0);
    Collected out = demux(input, Chunking::Whole, &stats);
    QCOMPARE(out.es(0xE0), h264KeyFrame());
    QCOMPARE(out.lastInfo(0xE0)->type, PsStreamType::H264);
    QCOMPARE(out.lastInfo(0xE0)->source, TypeSource::Psm);
    QCOMPARE(out.lastInfo(0xC0)->type, PsStreamType::G711A);
    QCOMPARE(stats.malformedPsms, 1u);

    // es_map_length and es_info_length running past program_stream_map_length: trust the latter.
    QByteArray broken = psm({{0x24, 0xE0, hex("0A04656E6700")}});
    broken[broken.size() - 4 - 6 - 1] = char(0x7F); // es_info_length 0x..7F
    input = packHeader() + broken + pes(0xE0, h265KeyFrame(), 0);
    out = demux(input, Chunking::Whole, &stats);
    QCOMPARE(out.es(0xE0), h265KeyFrame());
    QCOMPARE(out.lastInfo(0xE0)->type, PsStreamType::H265);
    QCOMPARE(stats.malformedPsms, 1u);
}

void TestPsDemuxer::psmVersionChange()
{
    // The camera switches from H.264 to H.265 and says so with a new map version.
    QByteArray input = packHeader() + psm({{0x1B, 0xE0, {}}}, 3) + pes(0xE0, h264KeyFrame(), 0)
        + packHeader() + pes(0xE0, kH264P, 3600);
    input += packHeader() + psm({{0x24, 0xE0, {}}}, 4) + pes(0xE0, h265KeyFrame(), 7200)
        + packHeader() + pes(0xE0, kH265Trail, 10800);
    PsDemuxerStats stats;
    const Collected out = demux(input, Chunking::Random, &stats);
    QCOMPARE(out.es(0xE0), h264KeyFrame() + kH264P + h265KeyFrame() + kH265Trail);
    QCOMPARE(stats.psms, 2u);
    QCOMPARE(stats.typeMismatches, 0u);
    QCOMPARE(out.infos.size(), std::size_t(2));
    QCOMPARE(out.infos[0].type, PsStreamType::H264);
    QCOMPARE(out.infos[1].type, PsStreamType::H265);
    QCOMPARE(out.infos[1].declaredType, PsStreamType::H265);
    QCOMPARE(out.payloads.back().type, PsStreamType::H265);
    QCOMPARE(out.payloads.front().type, PsStreamType::H264);

    // The same map again (Hikvision repeats it at every key frame, version counting): no event.
    QByteArray repeated;
    for (int version = 0; version < 40; ++version)
        repeated += packHeader() + psm({{0x1B, 0xE0, {}}}, version) + pes(0xE0, h264KeyFrame(), 0);
    const Collected again = demux(repeated);
    QCOMPARE(again.infos.size(), std::size_t(1));
}

void TestPsDemuxer::psmTruncatedAndGarbage()
{
    // Maps cut short or full of nonsense must neither crash nor stop the stream.
    QRandomGenerator random(7);
    for (int round = 0; round < 500; ++round) {
        QByteArray map = psm({{0x1B, 0xE0, hex("2A0A7FFF00000BB81FFEF087")}, {0x90, 0xC0, {}}}, round & 0x1F,
                             hex("400E484B01001367")); // Hikvision-like program descriptor
        for (int flips = random.bounded(1, 6); flips > 0; --flips)
            map[random.bounded(6, int(map.size()))] = char(random.bounded(256));
        const QByteArray input = packHeader() + map + pes(0xE0, h264KeyFrame(), 0);
        const Collected out = demux(input);
        QCOMPARE(out.es(0xE0), h264KeyFrame());
    }
}

void TestPsDemuxer::timestamps33Bit()
{
    const std::uint64_t pts = 5476751910; // the Hikvision capture's first PTS, above 2^32
    const std::uint64_t dts = (std::uint64_t(1) << 33) - 1;
    const QByteArray input = packHeader() + psm({{0x1B, 0xE0, {}}}) + pes(0xE0, h264KeyFrame(), pts, dts)
        + pes(0xE0, kH264P, 123456789) + pes(0xE0, kH264P, {}, {}, false, hex("FFFFFC"));
    const Collected out = demux(input);
    QCOMPARE(out.payloads.size(), std::size_t(3));
    QCOMPARE(out.payloads[0].pts, std::optional<std::uint64_t>(pts));
    QCOMPARE(out.payloads[0].dts, std::optional<std::uint64_t>(dts));
    QCOMPARE(out.payloads[1].pts, std::optional<std::uint64_t>(123456789));
    QCOMPARE(out.payloads[1].dts, std::nullopt);
    QCOMPARE(out.payloads[2].pts, std::nullopt);
    QCOMPARE(out.payloads[2].data, kH264P); // header stuffing (not all 0xFF on Hikvision) skipped
    // The brief's worked example: PTS 3600 as 21 00 01 1C 21.
    QCOMPARE(timestampBytes(3600, 2), hex("2100011C21"));
}

void TestPsDemuxer::pesLengthZeroVideo()
{
    // Video PES with length 0: the payload runs to the next PS start code, even across many
    // feeds; NAL start codes inside do not end it.
    const QByteArray frame1 = h264KeyFrame() + QByteArray(5000, char(0x11)) + kH264P;
    const QByteArray frame2 = kH264P + QByteArray(3, char(0x22));
    const QByteArray input = packHeader() + psm({{0x1B, 0xE0, {}}}) + pes(0xE0, frame1, 0, {}, true)
        + pes(0xC0, QByteArray(160, char(0xD5)), 0) + packHeader() + pes(0xE0, frame2, 3600, {}, true);
    for (Chunking chunking : {Chunking::Whole, Chunking::Random, Chunking::Bytewise}) {
        const Collected out = demux(input, chunking);
        QCOMPARE(out.es(0xE0), frame1 + frame2);
        QCOMPARE(out.es(0xC0), QByteArray(160, char(0xD5)));
        int starts = 0;
        for (const auto &payload : out.payloads) {
            if (payload.streamId != 0xE0)
                continue;
            if (payload.flags.testFlag(PesFlag::PesStart)) {
                ++starts;
                QVERIFY(payload.pts.has_value());
            } else {
                QVERIFY(!payload.pts.has_value());
            }
        }
        QCOMPARE(starts, 2);
    }
}

void TestPsDemuxer::privateAndPaddingStreamsSkipped()
{
    // 0xBD private data (Hikvision, with a PTS and a fake start code inside), 0xBF, 0xBE padding,
    // and other stream ids (0xF0 ECM) are skipped by their length.
    const QByteArray privateData = QByteArray(50, char(0x55)) + hex("000001BA000001E0") + QByteArray(48, 'p');
    const QByteArray input = packHeader() + psm({{0x1B, 0xE0, {}}}) + pes(0xE0, h264KeyFrame(), 0)
        + pes(0xBD, privateData, 0) + pes(0xBF, privateData) + pes(0xBE, QByteArray(200, char(0xFF)))
        + pes(0xF0, privateData) + pes(0xE0, kH264P, 3600);
    PsDemuxerStats stats;
    const Collected out = demux(input, Chunking::Random, &stats);
    QCOMPARE(out.es(0xE0), h264KeyFrame() + kH264P);
    QCOMPARE(out.infos.size(), std::size_t(1));
    QCOMPARE(stats.skippedPackets, 4u);
    QCOMPARE(stats.resyncs, 0u);
}

void TestPsDemuxer::hikvisionEmptyPackHeader()
{
    // Hikvision H.265: "00 00 01 BA" directly followed by "00 00 01 E0".
    const QByteArray input = packHeader() + psm({{0x24, 0xE0, {}}}) + pes(0xE0, h265KeyFrame(), 0) + hex("000001BA")
        + pes(0xE0, kH265Trail, 3600) + hex("000001BA") + pes(0xE0, kH265Trail, 7200);
    PsDemuxerStats stats;
    const Collected out = demux(input, Chunking::Bytewise, &stats);
    QCOMPARE(out.es(0xE0), h265KeyFrame() + kH265Trail + kH265Trail);
    QCOMPARE(stats.truncatedPackHeaders, 2u);
    QCOMPARE(stats.resyncs, 0u);
    QVERIFY(!out.payloads.back().flags.testFlag(PesFlag::Discontinuity));
}

void TestPsDemuxer::unknownStartCodeSkipped()
{
    const QByteArray input = packHeader() + psm({{0x1B, 0xE0, {}}}) + pes(0xE0, h264KeyFrame(), 0) + packHeader()
        + hex("000001AF0102030405") + pes(0xE0, kH264P, 3600);
    PsDemuxerStats stats;
    const Collected out = demux(input, Chunking::Random, &stats);
    QCOMPARE(out.es(0xE0), h264KeyFrame() + kH264P);
    QCOMPARE(stats.unknownStartCodes, 1u);
    QVERIFY(!out.payloads.back().flags.testFlag(PesFlag::Discontinuity));
}

void TestPsDemuxer::noPsmSniffsCodec_data()
{
    QTest::addColumn<QByteArray>("first");
    QTest::addColumn<QByteArray>("next");
    QTest::addColumn<PsStreamType>("expected");
    QTest::newRow("H.264 key frame") << h264KeyFrame() << kH264P << PsStreamType::H264;
    QTest::newRow("H.265 key frame") << h265KeyFrame() << kH265Trail << PsStreamType::H265;
    QTest::newRow("H.264 AUD first") << hex("0000000109F0") + kH264P << kH264P << PsStreamType::H264;
    QTest::newRow("H.265 AUD first") << hex("00000001460150") + kH265Trail << kH265Trail << PsStreamType::H265;
    // Mid-GOP start: only non-IDR slices, then the key frame; what was held comes out too.
    QTest::newRow("H.264 mid-GOP") << kH264P << h264KeyFrame() << PsStreamType::H264;
    QTest::newRow("H.265 mid-GOP") << kH265Trail << h265KeyFrame() << PsStreamType::H265;
}

void TestPsDemuxer::noPsmSniffsCodec()
{
    QFETCH(QByteArray, first);
    QFETCH(QByteArray, next);
    QFETCH(PsStreamType, expected);
    const QByteArray input = packHeader() + pes(0xE0, first, 0) + pes(0xC0, QByteArray(160, char(0xD5)), 0)
        + packHeader() + pes(0xE0, next, 3600);
    const Collected out = demux(input, Chunking::Random);
    QCOMPARE(out.es(0xE0), first + next);
    const auto video = out.lastInfo(0xE0);
    QVERIFY(video);
    QCOMPARE(video->type, expected);
    QCOMPARE(video->source, TypeSource::Sniffed);
    QCOMPARE(video->declaredType, PsStreamType::Unknown);
    for (const auto &payload : out.payloads) {
        if (payload.streamId == 0xE0)
            QCOMPARE(payload.type, expected); // the first payload already knows
    }
    const auto audio = out.lastInfo(0xC0);
    QVERIFY(audio);
    QCOMPARE(audio->kind, EsKind::Audio);
    QCOMPARE(audio->type, PsStreamType::Unknown);
    QCOMPARE(audio->source, TypeSource::StreamId);
}

void TestPsDemuxer::psmSaysH264ButPayloadIsH265()
{
    const QByteArray input = packHeader() + psm({{0x1B, 0xE0, {}}}) + pes(0xE0, h265KeyFrame(), 0) + packHeader()
        + pes(0xE0, kH265Trail, 3600);
    PsDemuxerStats stats;
    const Collected out = demux(input, Chunking::Random, &stats);
    QCOMPARE(out.es(0xE0), h265KeyFrame() + kH265Trail);
    QCOMPARE(out.infos.size(), std::size_t(1));
    QCOMPARE(out.infos[0].type, PsStreamType::H265);
    QCOMPARE(out.infos[0].declaredType, PsStreamType::H264);
    QCOMPARE(out.infos[0].source, TypeSource::Sniffed);
    QCOMPARE(stats.typeMismatches, 1u);
    for (const auto &payload : out.payloads)
        QCOMPARE(payload.type, PsStreamType::H265);

    // and the reverse
    const Collected reverse = demux(packHeader() + psm({{0x24, 0xE0, {}}}) + pes(0xE0, h264KeyFrame(), 0));
    QCOMPARE(reverse.lastInfo(0xE0)->type, PsStreamType::H264);
}

void TestPsDemuxer::codecSwitchWithoutNewPsm()
{
    // The map keeps saying H.264, the camera starts sending H.265 parameter sets.
    const QByteArray input = packHeader() + psm({{0x1B, 0xE0, {}}}) + pes(0xE0, h264KeyFrame(), 0) + packHeader()
        + pes(0xE0, kH265Vps + kH265Sps, 3600) + pes(0xE0, kH265Pps + kH265Idr);
    PsDemuxerStats stats;
    const Collected out = demux(input, Chunking::Random, &stats);
    QCOMPARE(out.es(0xE0), h264KeyFrame() + h265KeyFrame());
    QCOMPARE(out.infos.size(), std::size_t(2));
    QCOMPARE(out.infos[1].type, PsStreamType::H265);
    QCOMPARE(out.payloads.back().type, PsStreamType::H265);
    QCOMPARE(stats.typeMismatches, 1u);
}

void TestPsDemuxer::notProgramStream_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<PsContent>("expected");
    QByteArray rawH264;
    QByteArray rawH265;
    for (int i = 0; i < 400; ++i) {
        rawH264 += (i % 50 == 0 ? h264KeyFrame() : kH264P) + QByteArray(300, char(0x33));
        rawH265 += (i % 50 == 0 ? h265KeyFrame() : kH265Trail) + QByteArray(300, char(0x33));
    }
    QByteArray ts;
    QRandomGenerator random(3);
    for (int i = 0; i < 500; ++i) {
        QByteArray packet(188, '\0');
        for (auto &c : packet)
            c = char(random.bounded(256));
        packet[0] = 0x47;
        // TS carries PES: start codes with PES headers inside must not be taken for PS.
        if (i % 10 == 0)
            packet.replace(4, 10, hex("000001E0000084800521"));
        ts += packet;
    }
    QByteArray garbage(200000, '\0');
    for (auto &c : garbage)
        c = char(random.bounded(256));
    QTest::newRow("raw H.264") << rawH264 << PsContent::RawH264;
    QTest::newRow("raw H.265") << rawH265 << PsContent::RawH265;
    QTest::newRow("MPEG-TS") << ts << PsContent::MpegTs;
    QTest::newRow("garbage") << garbage << PsContent::NoPsSync;
    QTest::newRow("short garbage") << garbage.left(5000) << PsContent::NoPsSync;
}

void TestPsDemuxer::notProgramStream()
{
    QFETCH(QByteArray, input);
    QFETCH(PsContent, expected);
    PsDemuxerStats stats;
    const Collected out = demux(input, Chunking::Random, &stats);
    QCOMPARE(out.contents, std::vector<PsContent>{expected});
    QVERIFY(out.payloads.empty());
    QCOMPARE(stats.bytesSkipped, std::uint64_t(input.size()));
    QVERIFY(!psContentName(expected).isEmpty());
}

void TestPsDemuxer::garbageBeforeFirstPack()
{
    // A capture that starts in the middle of a PES (the midstart camera): the tail of a video
    // PES, then the first pack.
    const QByteArray tail = kH264P.mid(2) + QByteArray(1600, char(0x5A)) + hex("000001E000108C");
    const QByteArray input = tail + gbStream(0x1B, {h264KeyFrame(), kH264P});
    PsDemuxerStats stats;
    const Collected out = demux(input, Chunking::Random, &stats);
    QCOMPARE(out.es(0xE0), h264KeyFrame() + kH264P);
    QCOMPARE(stats.bytesSkipped, std::uint64_t(tail.size()));
    QCOMPARE(out.contents, std::vector<PsContent>{PsContent::ProgramStream});
}

void TestPsDemuxer::discontinuityDropsPartialPes()
{
    const QByteArray first = packHeader() + psm({{0x1B, 0xE0, {}}}) + pes(0xE0, h264KeyFrame(), 0);
    const QByteArray second = packHeader() + pes(0xE0, kH264P + QByteArray(3000, char(0x44)), 3600);
    const QByteArray third = packHeader() + pes(0xE0, kH264P, 7200) + pes(0xC0, QByteArray(80, char(0xD5)), 7200);
    PsDemuxer demuxer;
    Collected out;
    attach(demuxer, out);
    demuxer.feed(first);
    demuxer.feed(second.left(1000)); // the rest of this PES is lost
    demuxer.markDiscontinuity();
    demuxer.feed(second.mid(1500));  // resumes inside the lost PES
    demuxer.feed(third);
    demuxer.finish();
    QCOMPARE(out.es(0xE0), h264KeyFrame() + kH264P);
    QCOMPARE(out.payloads.size(), std::size_t(3));
    QVERIFY(!out.payloads[0].flags.testFlag(PesFlag::Discontinuity));
    QVERIFY(out.payloads[1].flags.testFlag(PesFlag::Discontinuity));
    QVERIFY(!out.payloads[2].flags.testFlag(PesFlag::Discontinuity)); // audio: first seen after the loss
    QCOMPARE(demuxer.stats().resyncs, 1u);
}

void TestPsDemuxer::truncatedAtEnd()
{
    const QByteArray frame = kH264P + QByteArray(1000, char(0x44));
    const QByteArray input = packHeader() + psm({{0x1B, 0xE0, {}}}) + pes(0xE0, frame, 0);
    const Collected out = demux(input.left(input.size() - 400));
    QCOMPARE(out.payloads.size(), std::size_t(1));
    QVERIFY(out.payloads[0].flags.testFlag(PesFlag::Truncated));
    QCOMPARE(out.payloads[0].data, frame.left(frame.size() - 400));
}

void TestPsDemuxer::resyncAfterCorruption()
{
    // A PES length that points into the middle of the next pack: the demuxer notices that no
    // start code follows and finds the next pack header.
    QByteArray bad = pes(0xE0, kH264P, 3600);
    bad[5] = char(bad[5] + 10);
    const QByteArray input = packHeader() + psm({{0x1B, 0xE0, {}}}) + pes(0xE0, h264KeyFrame(), 0) + packHeader()
        + bad + QByteArray(30, char(0x77)) + packHeader() + pes(0xE0, kH264P, 7200);
    PsDemuxerStats stats;
    const Collected out = demux(input, Chunking::Random, &stats);
    QCOMPARE(stats.resyncs, 1u);
    QVERIFY(out.es(0xE0).startsWith(h264KeyFrame()));
    QVERIFY(out.es(0xE0).endsWith(kH264P));
    QVERIFY(out.payloads.back().flags.testFlag(PesFlag::Discontinuity));
    QCOMPARE(out.contents, std::vector<PsContent>{PsContent::ProgramStream});
}

// ---- ffmpeg-made PS ----------------------------------------------------------------------------

void TestPsDemuxer::ffmpegMuxed_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<Chunking>("chunking");
    for (const char *name : {"vob_h264_mp2", "vob_h264_bframes_mp2", "dvd_h264", "mpeg1system_h264_mp2", "vob_h265",
                             "vob_h265_mp2", "mpeg1system_h265"}) {
        QTest::addRow("%s whole", name) << QString::fromLatin1(name) << Chunking::Whole;
        QTest::addRow("%s random chunks", name) << QString::fromLatin1(name) << Chunking::Random;
    }
}

void TestPsDemuxer::ffmpegMuxed()
{
    if (!m_ffmpeg)
        QSKIP("ffmpeg is not installed; the PS fixtures are made with it at test time");
    QFETCH(QString, name);
    QFETCH(Chunking, chunking);
    const QString path = m_fixtures.at(name);
    const bool h265 = name.contains(u"h265"_s);
    const auto reference = ffmpegExtractVideo(path, h265 ? u"hevc"_s : u"h264"_s);
    QVERIFY(reference);
    PsDemuxerStats stats;
    const Collected out = demux(readFile(path), chunking, &stats);
    const QByteArray es = out.videoEs();
    QCOMPARE(es.size(), reference->size());
    QVERIFY(es == *reference);
    QCOMPARE(countAccessUnits(es, h265 ? Codec::H265 : Codec::H264), 50);
    QCOMPARE(out.contents, std::vector<PsContent>{PsContent::ProgramStream});
    QCOMPARE(stats.resyncs, 0u);
    QCOMPARE(stats.bytesSkipped, 0u);
    const auto video = std::find_if(out.infos.begin(), out.infos.end(),
                                    [](const PsStreamInfo &info) { return info.kind == EsKind::Video; });
    QVERIFY(video != out.infos.end());
    QCOMPARE(video->type, h265 ? PsStreamType::H265 : PsStreamType::H264);
    QCOMPARE(video->source, TypeSource::Sniffed); // ffmpeg writes no map
    // Time stamps: every PTS/DTS pair the demuxer reports is one ffprobe reports for an access
    // unit (ffprobe also fills in those of access units whose PES carried none).
    const auto probed = runFfmpeg({u"-select_streams"_s, u"v:0"_s, u"-show_entries"_s, u"packet=pts,dts"_s,
                                   u"-of"_s, u"csv=p=0"_s, path},
                                  nullptr, u"ffprobe"_s);
    QVERIFY(probed);
    std::set<std::pair<qint64, qint64>> probedStamps;
    for (const QByteArray &line : probed->split('\n')) {
        const QList<QByteArray> fields = line.trimmed().split(',');
        if (fields.size() == 2)
            probedStamps.insert({fields[0].toLongLong(), fields[1].toLongLong()});
    }
    int stamped = 0;
    bool sawDts = false;
    for (const auto &payload : out.payloads) {
        if (payload.kind != EsKind::Video || !payload.pts)
            continue;
        ++stamped;
        sawDts = sawDts || payload.dts.has_value();
        const std::pair<qint64, qint64> stamp{qint64(*payload.pts), qint64(payload.dts.value_or(*payload.pts))};
        QVERIFY2(probedStamps.count(stamp),
                 qPrintable(u"PTS %1 DTS %2 unknown to ffprobe"_s.arg(stamp.first).arg(stamp.second)));
    }
    QVERIFY2(stamped >= 10, qPrintable(QString::number(stamped)));
    QCOMPARE(sawDts, name.contains(u"bframes"_s));
    if (name.contains(u"mp2"_s)) {
        const auto audio = std::find_if(out.infos.begin(), out.infos.end(),
                                        [](const PsStreamInfo &info) { return info.kind == EsKind::Audio; });
        QVERIFY(audio != out.infos.end());
        QCOMPARE(audio->type, PsStreamType::Mpeg1Audio);
        QVERIFY(out.es(audio->streamId).size() > 10000);
    }
}

void TestPsDemuxer::ffmpegMuxedOverRtp_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("vob H.264 + MP2") << u"vob_h264_mp2"_s;
    QTest::newRow("vob H.265") << u"vob_h265"_s;
}

void TestPsDemuxer::ffmpegMuxedOverRtp()
{
    // PS cut into RTP payloads of 1400 bytes, sent with bursts of reordering and duplicates:
    // the reorder buffer puts them back and the ES comes out exact.
    if (!m_ffmpeg)
        QSKIP("ffmpeg is not installed; the PS fixtures are made with it at test time");
    QFETCH(QString, name);
    const QString path = m_fixtures.at(name);
    const bool h265 = name.contains(u"h265"_s);
    const auto reference = ffmpegExtractVideo(path, h265 ? u"hevc"_s : u"h264"_s);
    QVERIFY(reference);
    QList<QByteArray> packets = packetize(readFile(path), 0x0BEBC201, 65000); // wraps at 65535
    QRandomGenerator random(11);
    for (qsizetype i = 0; i + 8 < packets.size(); i += 8) {
        if (random.bounded(3) == 0)
            std::shuffle(packets.begin() + i, packets.begin() + i + 8, random);
        if (random.bounded(10) == 0)
            packets.insert(i + 3, packets[i]);
    }
    RtpToPs receiver;
    qint64 nowMs = 0;
    for (const QByteArray &bytes : std::as_const(packets))
        receiver.push(bytes, nowMs += 1);
    receiver.finish();
    const Collected &out = receiver.out;
    QCOMPARE(receiver.unparsable, 0);
    QCOMPARE(receiver.gaps, 0);
    QCOMPARE(receiver.reorder.stats().lost, 0u);
    QVERIFY(receiver.reorder.stats().reordered > 0);
    QVERIFY(receiver.reorder.stats().duplicates > 0);
    QCOMPARE(out.videoEs().size(), reference->size());
    QVERIFY(out.videoEs() == *reference);
}

void TestPsDemuxer::rtpLossRecovers()
{
    // Lost RTP packets: every video payload that comes out is a whole, untouched PES payload of
    // the original (a partial one is never passed on), the ones after a loss are flagged, and
    // only the PES packets a loss touched are missing.
    if (!m_ffmpeg)
        QSKIP("ffmpeg is not installed; the PS fixtures are made with it at test time");
    const QByteArray ps = readFile(m_fixtures.at(u"vob_h264_mp2"_s));
    const Collected clean = demux(ps);
    std::multiset<QByteArray> original;
    qsizetype originalVideoBytes = 0;
    for (const auto &payload : clean.payloads) {
        if (payload.kind == EsKind::Video) {
            original.insert(payload.data);
            originalVideoBytes += payload.data.size();
        }
    }
    const QList<QByteArray> packets = packetize(ps, 0x0BEBC201, 100, 500);
    QList<QByteArray> sent;
    for (qsizetype i = 0; i < packets.size(); ++i) {
        if (i % 20 != 7) // 5 % loss, never the last packet (its loss could not be noticed)
            sent.append(packets[i]);
    }
    QVERIFY(packets.size() > 100);
    RtpToPs receiver({64, 50, 3000, 100});
    qint64 nowMs = 0;
    for (const QByteArray &bytes : std::as_const(sent)) {
        receiver.push(bytes, nowMs);
        nowMs += 5;
        receiver.reorder.poll(nowMs);
    }
    receiver.finish();
    const Collected &out = receiver.out;
    QVERIFY(receiver.gaps > 0);
    QCOMPARE(receiver.reorder.stats().lost, std::uint64_t(packets.size() - sent.size()));
    qsizetype videoBytes = 0;
    int flagged = 0;
    for (const auto &payload : out.payloads) {
        if (payload.kind != EsKind::Video)
            continue;
        QVERIFY2(original.count(payload.data) > 0, "a video payload that is not a whole PES payload of the input");
        videoBytes += payload.data.size();
        flagged += payload.flags.testFlag(PesFlag::Discontinuity) ? 1 : 0;
    }
    QVERIFY(flagged > 0);
    // A lost 500-byte packet overlaps at most two of ffmpeg's 2048-byte packs; only their PES
    // may be lost, the demuxer finds the next pack.
    const qsizetype lostPackets = packets.size() - sent.size();
    QVERIFY2(originalVideoBytes - videoBytes <= lostPackets * 2 * 2048,
             qPrintable(u"%1 of %2 video bytes lost"_s.arg(originalVideoBytes - videoBytes).arg(originalVideoBytes)));
    QCOMPARE(receiver.demuxer.content(), PsContent::ProgramStream);
}

// ---- shared/media ------------------------------------------------------------------------------

void TestPsDemuxer::sharedPsFiles_data()
{
    // Every ps_*.mpg there; the clip it was muxed from follows from its name
    // (ps_<muxer>_<resolution>_<codec>... -> clip_<resolution>25_<codec>).
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("clip");
    const QStringList files = QDir(sharedMedia()).entryList({u"ps_*.mpg"_s}, QDir::Files, QDir::Name);
    if (files.isEmpty()) {
        QTest::newRow("none") << QString() << QString();
        return;
    }
    for (const QString &file : files) {
        const QStringList parts = file.chopped(4).split(u'_');
        QString clip;
        for (qsizetype i = 1; i + 1 < parts.size(); ++i) {
            if (parts[i].endsWith(u'p') && parts[i + 1].startsWith(u'h'))
                clip = u"clip_%1%2_%3"_s.arg(parts[i], u"25"_s, parts[i + 1]);
        }
        QTest::newRow(qPrintable(file)) << file.chopped(4) << clip;
    }
}

void TestPsDemuxer::sharedPsFiles()
{
    QFETCH(QString, file);
    QFETCH(QString, clip);
    if (file.isEmpty())
        QSKIP(qPrintable(u"no ps_*.mpg in %1 (an optional folder beside the checkout)"_s.arg(sharedMedia())));
    if (const QString why = whyNot(u'/' + file + u".mpg"_s, NeedFfmpeg::Yes); !why.isEmpty())
        QSKIP(qPrintable(why));
    const QString path = sharedMedia() + u'/' + file + u".mpg"_s;
    const QByteArray input = readFile(path);
    const Collected first = demux(input);
    const auto video = std::find_if(first.infos.begin(), first.infos.end(),
                                    [](const PsStreamInfo &info) { return info.kind == EsKind::Video; });
    QVERIFY(video != first.infos.end());
    const bool h265 = video->type == PsStreamType::H265;
    const auto reference = ffmpegExtractVideo(path, h265 ? u"hevc"_s : u"h264"_s);
    QVERIFY(reference);
    const QString refs = sharedMedia() + u"/refs/"_s + clip + u".md5"_s;
    for (Chunking chunking : {Chunking::Whole, Chunking::Random}) {
        PsDemuxerStats stats;
        const Collected out = demux(input, chunking, &stats);
        const QByteArray es = out.videoEs();
        QCOMPARE(es.size(), reference->size());
        QVERIFY(es == *reference);
        if (QFile::exists(refs))
            QCOMPARE(countAccessUnits(es, h265 ? Codec::H265 : Codec::H264), lineCount(refs));
        QCOMPARE(out.contents, std::vector<PsContent>{PsContent::ProgramStream});
        QCOMPARE(stats.resyncs, 0u);
    }
    if (!QFile::exists(refs))
        qInfo("%s: no reference frame count (%s)", qPrintable(file), qPrintable(refs));
    // The clip itself, when ffmpeg copied it unchanged (gst adds access unit delimiters).
    if (file.startsWith(u"ps_ffmpeg"_s) && !clip.isEmpty())
        QVERIFY(*reference == readFile(sharedMedia() + u'/' + clip + (h265 ? u".h265"_s : u".h264"_s)));
}

void TestPsDemuxer::realHikvisionPs()
{
    if (const QString why = whyNot(u"/real/real_hik_d1_h264.ps"_s, NeedFfmpeg::Yes); !why.isEmpty())
        QSKIP(qPrintable(why));
    PsDemuxerStats stats;
    const Collected out = demuxRealPs(u"real_hik_d1_h264"_s, stats);
    if (QTest::currentTestFailed() || out.payloads.empty())
        return;
    const auto video = out.lastInfo(0xE0);
    QVERIFY(video);
    QCOMPARE(video->type, PsStreamType::H264);
    QCOMPARE(video->source, TypeSource::Psm);
    QCOMPARE(stats.psms, 54u); // repeated at every IDR, version wrapping
    QCOMPARE(stats.resyncs, 0u);
    QVERIFY(stats.skippedPackets >= 54); // the 0xBD private PES after every IDR
    QVERIFY(out.payloads.front().pts.value_or(0) > (std::uint64_t(1) << 32)); // 33rd bit
}

void TestPsDemuxer::realHikvisionRtp()
{
    if (const QString why = whyNot(u"/real/real_hik_d1_h264.rtp-udp"_s, NeedFfmpeg::Yes); !why.isEmpty())
        QSKIP(qPrintable(why));
    const QString path = sharedMedia() + u"/real/real_hik_d1_h264.rtp-udp"_s;
    const QList<QByteArray> packets = readRtpUdp(path);
    QCOMPARE(packets.size(), 3096);
    QByteArray concatenated;
    for (const QByteArray &bytes : packets)
        concatenated += RtpPacket::parse(bytes)->payload();
    const QString joined = m_dir.path() + u"/hik_payloads.ps"_s;
    QVERIFY(writeFile(joined, concatenated));
    const auto reference = ffmpegExtractVideo(joined, u"h264"_s);
    QVERIFY(reference);

    // Through the receive path, with some reordering and a jitter of arrival times.
    QList<QByteArray> shuffled = packets;
    QRandomGenerator random(9);
    for (qsizetype i = 0; i + 4 < shuffled.size(); i += 4) {
        if (random.bounded(4) == 0)
            std::swap(shuffled[i], shuffled[i + 2]);
    }
    RtpToPs receiver;
    qint64 nowMs = 0;
    for (const QByteArray &bytes : std::as_const(shuffled))
        receiver.push(bytes, nowMs += 2);
    receiver.finish();
    const Collected &out = receiver.out;
    QCOMPARE(receiver.unparsable, 0);
    QCOMPARE(receiver.gaps, 0);
    QCOMPARE(receiver.reorder.stats().lost, 0u);
    QVERIFY(out.videoEs() == *reference);
    QCOMPARE(countAccessUnits(out.videoEs(), Codec::H264),
             lineCount(sharedMedia() + u"/real/refs/real_hik_d1_h264.rtp-udp.md5"_s));
}

void TestPsDemuxer::realHikvisionRtpOverTcp()
{
    // The same packets over a TCP connection with RFC 4571 framing, read in random pieces; a
    // device that fell behind drops two chunks of its send buffer. The framer resynchronises,
    // the reorder buffer reports the gap and the demuxer recovers.
    if (const QString why = whyNot(u"/real/real_hik_d1_h264.rtp-udp"_s, NeedFfmpeg::No); !why.isEmpty())
        QSKIP(qPrintable(why));
    const QString path = sharedMedia() + u"/real/real_hik_d1_h264.rtp-udp"_s;
    const QList<QByteArray> packets = readRtpUdp(path);
    QByteArray tcp;
    QList<qsizetype> packetStarts;
    for (const QByteArray &packet : packets) {
        packetStarts.append(tcp.size());
        appendU16(tcp, std::uint32_t(packet.size()));
        tcp += packet;
    }
    QByteArray damaged = tcp;
    damaged.remove(packetStarts[1000] + 700, 5000);
    damaged.remove(packetStarts[2000] + 300, 20000);

    const auto run = [&](const QByteArray &stream, RtpTcpFramerStats &framerStats, ReorderStats &reorderStats,
                         RtpTcpFraming &framing) {
        RtpToPs receiver;
        qint64 nowMs = 0;
        RtpTcpFramer framer({RtpTcpFraming::Auto, 65535, 0x05F5ED76}, [&](const RtpTcpFramer::Frame &frame) {
            QVERIFY(!frame.rtcp);
            receiver.push(frame.packet.toByteArray(), nowMs);
        });
        QRandomGenerator random(13);
        for (qsizetype pos = 0; pos < stream.size();) {
            const qsizetype size = std::min<qsizetype>(random.bounded(1, 9000), stream.size() - pos);
            framer.feed(QByteArrayView(stream).sliced(pos, size));
            pos += size;
            nowMs += 10;
            receiver.reorder.poll(nowMs);
        }
        receiver.finish();
        framing = framer.framing();
        framerStats = framer.stats();
        reorderStats = receiver.reorder.stats();
        return receiver.out;
    };
    RtpTcpFramerStats framerStats;
    ReorderStats reorderStats;
    RtpTcpFraming framing = RtpTcpFraming::Auto;
    const Collected clean = run(tcp, framerStats, reorderStats, framing);
    QCOMPARE(framing, RtpTcpFraming::Rfc4571);
    QCOMPARE(framerStats.rtpPackets, std::uint64_t(packets.size()));
    QCOMPARE(framerStats.resyncs, 0u);
    QByteArray concatenated;
    for (const QByteArray &bytes : packets)
        concatenated += RtpPacket::parse(bytes)->payload();
    QVERIFY(clean.videoEs() == demux(concatenated).videoEs());

    const Collected recovered = run(damaged, framerStats, reorderStats, framing);
    QCOMPARE(framerStats.resyncs, 2u);
    QVERIFY(framerStats.bytesSkipped > 0);
    QVERIFY(framerStats.rtpPackets > std::uint64_t(packets.size()) - 30);
    QVERIFY(reorderStats.lost > 0);
    const int frames = countAccessUnits(recovered.videoEs(), Codec::H264);
    QVERIFY2(frames > 1350, qPrintable(u"only %1 frames after the damage"_s.arg(frames)));
}

void TestPsDemuxer::realMidstartCamera()
{
    if (const QString why = whyNot(u"/real/real_cam_1080p15_h264_midstart.ps"_s, NeedFfmpeg::Yes); !why.isEmpty())
        QSKIP(qPrintable(why));
    PsDemuxerStats stats;
    const Collected out = demuxRealPs(u"real_cam_1080p15_h264_midstart"_s, stats);
    if (QTest::currentTestFailed() || out.payloads.empty())
        return;
    QCOMPARE(stats.bytesSkipped, 1651u);
    QCOMPARE(stats.resyncs, 0u);
    QCOMPARE(out.contents, std::vector<PsContent>{PsContent::ProgramStream});
    QCOMPARE(out.lastInfo(0xE0)->type, PsStreamType::H264);
    QCOMPARE(out.lastInfo(0xE0)->source, TypeSource::Psm);
}

void TestPsDemuxer::realNonPsPreview()
{
    if (const QString why = whyNot(u"/real/real_gb_preview_nonps.rtp-udp"_s, NeedFfmpeg::No); !why.isEmpty())
        QSKIP(qPrintable(why));
    const QString path = sharedMedia() + u"/real/real_gb_preview_nonps.rtp-udp"_s;
    const QList<QByteArray> packets = readRtpUdp(path);
    QVERIFY(packets.size() >= 1561);
    RtpToPs receiver;
    qint64 nowMs = 0;
    for (const QByteArray &bytes : packets)
        receiver.push(bytes, nowMs += 2);
    receiver.finish();
    QCOMPARE(receiver.unparsable, 0);
    QCOMPARE(receiver.out.contents, std::vector<PsContent>{PsContent::NoPsSync});
    QCOMPARE(receiver.demuxer.content(), PsContent::NoPsSync);
    QVERIFY(receiver.out.payloads.empty());
    QVERIFY(receiver.demuxer.stats().bytesSkipped > 1000000);
}

QString TestPsDemuxer::whyNot(const QString &relativePath, NeedFfmpeg needFfmpeg) const
{
    const QString path = sharedMedia() + relativePath;
    if (!QFile::exists(path))
        return u"%1 not found (shared/media is an optional folder beside the checkout)"_s.arg(path);
    if (needFfmpeg == NeedFfmpeg::Yes && !m_ffmpeg)
        return u"ffmpeg is not installed; it gives the reference extraction"_s;
    return {};
}

Collected TestPsDemuxer::demuxRealPs(const QString &name, PsDemuxerStats &stats)
{
    const QString path = sharedMedia() + u"/real/"_s + name + u".ps"_s;
    const auto reference = ffmpegExtractVideo(path, u"h264"_s);
    if (!reference) {
        QTest::qFail("ffmpeg could not extract the reference", __FILE__, __LINE__);
        return {};
    }
    Collected out = demux(readFile(path), Chunking::Random, &stats);
    if (out.videoEs() != *reference)
        QTest::qFail("the video ES differs from ffmpeg's extraction", __FILE__, __LINE__);
    const int frames = countAccessUnits(out.videoEs(), Codec::H264);
    const int expected = lineCount(sharedMedia() + u"/real/refs/"_s + name + u".md5"_s);
    if (frames != expected)
        QTest::qFail(qPrintable(u"%1 frames, the reference has %2"_s.arg(frames).arg(expected)), __FILE__, __LINE__);
    return out;
}

QTEST_GUILESS_MAIN(TestPsDemuxer)
#include "tst_psdemuxer.moc"
