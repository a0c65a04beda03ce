// StreamAssembler without sockets: RTP packets of GB-style PS in, access units out, checked for
// when each picture comes out (latency), what it holds, and how loss, markers set in the wrong
// place, foreign SSRCs and timestamp wrap are handled.

#include "mediatestutil.h"
#include "nalbuilder.h"

#include "media/psmuxer.h"
#include "media/rtppacket.h"
#include "media/rtppacketizer.h"
#include "media/streamassembler.h"

#include <QTest>

using namespace Vigil;
using namespace Vigil::Media;
using namespace Vigil::Media::Test;
using namespace Qt::StringLiterals;

namespace {

constexpr std::uint32_t kSsrc = 0x0BEBC201;
constexpr qint64 kFrameTicks = 3600;

/// A synthetic H.264 stream: an IDR with SPS and PPS every `gop` pictures, P pictures between,
/// each picture `sliceBytes` long (several RTP packets when large).
QList<AccessUnit> h264Pictures(int count, int gop = 5, int sliceBytes = 3000, qint64 firstPts = 0)
{
    QList<AccessUnit> units;
    for (int i = 0; i < count; ++i) {
        H264SliceFields slice;
        slice.idr = i % gop == 0;
        slice.sliceType = slice.idr ? 7 : 5;
        slice.frameNum = i % gop;
        slice.pocLsb = (2 * (i % gop)) % 64;
        slice.idrPicId = (i / gop) % 2;
        slice.payloadBytes = sliceBytes;
        QList<QByteArray> nals;
        if (slice.idr)
            nals << h264Sps() << h264Pps();
        nals << h264Slice(slice);
        AccessUnit unit;
        unit.codec = VideoCodec::H264;
        unit.data = annexB(nals);
        unit.pts90k = firstPts + i * kFrameTicks;
        unit.dts90k = unit.pts90k;
        unit.keyFrame = slice.idr;
        units << unit;
    }
    return units;
}

struct Packet {
    RtpPacket rtp;
    int picture = -1;
    bool lastOfPicture = false;
};

/// The pictures as PS over RTP; `pesPerNal` writes each NAL unit as its own PES with its own
/// marker bit, like a device that marks PES rather than frame ends.
QList<Packet> rtpPackets(const QList<AccessUnit> &units, std::uint32_t ssrc = kSsrc, std::uint16_t firstSequence = 100,
                         bool markers = true, const QList<AudioFrame> &audio = {})
{
    PsMuxer muxer(VideoCodec::H264, audio.isEmpty() ? AudioCodec::Unknown : AudioCodec::G711A);
    RtpPacketizer packetizer({ssrc, 96, 1400, firstSequence});
    QList<Packet> packets;
    qsizetype nextAudio = 0;
    for (qsizetype i = 0; i < units.size(); ++i) {
        while (nextAudio < audio.size() && audio.at(nextAudio).pts90k < units.at(i).pts90k) {
            for (const QByteArray &bytes : packetizer.packetize(muxer.mux(audio.at(nextAudio)), audio.at(nextAudio).pts90k))
                packets << Packet{*RtpPacket::parse(bytes), -1, false};
            ++nextAudio;
        }
        const QList<QByteArray> pieces = packetizer.packetize(muxer.mux(units.at(i)), units.at(i).pts90k);
        for (qsizetype p = 0; p < pieces.size(); ++p) {
            QByteArray bytes = pieces.at(p);
            if (!markers)
                bytes[1] = char(bytes[1] & 0x7F);
            packets << Packet{*RtpPacket::parse(bytes), int(i), p + 1 == pieces.size()};
        }
    }
    return packets;
}

struct Output {
    QList<AccessUnit> units;
    QList<AudioFrame> audio;
    int gaps = 0;
    QList<PsContent> contents;
    QList<PsStreamInfo> streams;

    StreamAssembler::Handlers handlers()
    {
        return {
            [this](AccessUnit &&unit) { units << unit; },
            [this] { ++gaps; },
            [this](AudioFrame &&frame) { audio << frame; },
            [this](PsContent content) { contents << content; },
            [this](const PsStreamInfo &info) { streams << info; },
        };
    }
};

StreamAssembler::Options options(SsrcCheck check = SsrcCheck::Adopt, std::optional<std::uint32_t> ssrc = kSsrc)
{
    StreamAssembler::Options o;
    o.ssrcCheck = check;
    o.expectedSsrc = ssrc;
    o.reorder.maxHoldMs = 0; // no waiting: these tests push in order unless they say otherwise
    return o;
}

} // namespace

class TestStreamAssembler : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pictureLeavesWithItsLastPacket();
    void withoutMarkersThePtsChangeEndsAPicture();
    void markersInsidePicturesAreNoticed();
    void lossDropsThePictureAndReportsAGap();
    void reorderedPacketsArePutBack();
    void ssrcAdoptedAfterConsistentPackets();
    void ssrcStrictDropsOthers();
    void ssrcSwitchesWhenOursFallsSilent();
    void timestampsUnwrap();
    void audioFrames();
    void notProgramStream();
};

void TestStreamAssembler::pictureLeavesWithItsLastPacket()
{
    const QList<AccessUnit> units = h264Pictures(12);
    const QList<Packet> packets = rtpPackets(units);
    Output out;
    StreamAssembler assembler(options(), out.handlers());
    qint64 now = 1000;
    for (const Packet &packet : packets) {
        const qsizetype before = out.units.size();
        assembler.push(packet.rtp, now++);
        // A picture comes out exactly when its last packet is in, not when the next begins.
        QCOMPARE(out.units.size(), before + (packet.lastOfPicture ? 1 : 0));
    }
    QCOMPARE(out.units.size(), units.size());
    for (qsizetype i = 0; i < units.size(); ++i) {
        QCOMPARE(out.units.at(i).data, units.at(i).data);
        QCOMPARE(out.units.at(i).pts90k, units.at(i).pts90k);
        QCOMPARE(out.units.at(i).keyFrame, units.at(i).keyFrame);
    }
    const StreamAssemblerStats stats = assembler.stats();
    QVERIFY(stats.markersTrusted);
    QCOMPARE(stats.markerFlushes, quint64(units.size()));
    QCOMPARE(stats.videoCodec, VideoCodec::H264);
    QCOMPARE(stats.content, PsContent::ProgramStream);
    QCOMPARE(out.gaps, 0);
}

void TestStreamAssembler::withoutMarkersThePtsChangeEndsAPicture()
{
    const QList<AccessUnit> units = h264Pictures(8);
    const QList<Packet> packets = rtpPackets(units, kSsrc, 100, false);
    Output out;
    StreamAssembler assembler(options(), out.handlers());
    for (const Packet &packet : packets) {
        assembler.push(packet.rtp, 0);
        // Picture n is complete once the PES of picture n+1, with its new PTS, is in.
        if (packet.lastOfPicture)
            QCOMPARE(out.units.size(), qsizetype(packet.picture));
    }
    QCOMPARE(out.units.size(), units.size() - 1);
    assembler.finish();
    QCOMPARE(out.units.size(), units.size());
    for (qsizetype i = 0; i < units.size(); ++i)
        QCOMPARE(out.units.at(i).data, units.at(i).data);
    QCOMPARE(assembler.stats().markerFlushes, quint64(0));
}

void TestStreamAssembler::markersInsidePicturesAreNoticed()
{
    // Pictures of two slices, each slice in a PES of its own with the picture's PTS, and the
    // device sets the marker after each PES: the first marker cuts a picture in two.
    QList<QByteArray> firstSlices;
    QList<QByteArray> secondSlices;
    for (int i = 0; i < 6; ++i) {
        H264SliceFields slice;
        slice.idr = i == 0;
        slice.sliceType = slice.idr ? 7 : 5;
        slice.frameNum = i;
        slice.pocLsb = 2 * i;
        slice.payloadBytes = 500;
        QList<QByteArray> nals;
        if (slice.idr)
            nals << h264Sps() << h264Pps();
        nals << h264Slice(slice);
        firstSlices << annexB(nals);
        slice.firstMb = 150;
        secondSlices << annexB({h264Slice(slice)});
    }
    RtpPacketizer packetizer({kSsrc, 96, 1400, 1});
    Output out;
    StreamAssembler assembler(options(), out.handlers());
    for (int i = 0; i < firstSlices.size(); ++i) {
        const qint64 pts = i * kFrameTicks;
        QByteArray first;
        PsMuxer::appendPackHeader(first, pts, PsMuxer::kDefaultMuxRate);
        PsMuxer::appendPes(first, PsMuxer::kVideoStreamId, firstSlices.at(i), pts, pts, true);
        QByteArray second;
        PsMuxer::appendPes(second, PsMuxer::kVideoStreamId, secondSlices.at(i), pts, pts, true);
        for (const QByteArray &chunk : {first, second}) {
            for (const QByteArray &bytes : packetizer.packetize(chunk, pts))
                assembler.push(*RtpPacket::parse(bytes), 0);
        }
    }
    assembler.finish();
    const StreamAssemblerStats stats = assembler.stats();
    QVERIFY(!stats.markersTrusted);
    QCOMPARE(stats.markerFlushes, quint64(1));
    // The first picture came out in two pieces; every later one whole.
    QCOMPARE(out.units.size(), firstSlices.size() + 1);
    for (int i = 1; i < firstSlices.size(); ++i)
        QCOMPARE(out.units.at(i + 1).data, firstSlices.at(i) + secondSlices.at(i));
}

void TestStreamAssembler::lossDropsThePictureAndReportsAGap()
{
    const QList<AccessUnit> units = h264Pictures(10, 5);
    const QList<Packet> packets = rtpPackets(units);
    Output out;
    StreamAssembler assembler(options(), out.handlers());
    // Lose the second packet of picture 2.
    int seenOfPicture2 = 0;
    for (const Packet &packet : packets) {
        if (packet.picture == 2 && ++seenOfPicture2 == 2)
            continue;
        assembler.push(packet.rtp, 0);
    }
    QCOMPARE(out.gaps, 1);
    QCOMPARE(assembler.stats().reorder.lost, quint64(1));
    // Pictures 0 and 1 whole, picture 2 dropped; later pictures pass (the decoder waits for
    // the key frame at 5), each intact.
    QList<qint64> pts;
    for (const AccessUnit &unit : out.units) {
        pts << unit.pts90k / kFrameTicks;
        QCOMPARE(unit.data, units.at(unit.pts90k / kFrameTicks).data);
    }
    QCOMPARE(pts.mid(0, 2), (QList<qint64>{0, 1}));
    QVERIFY(!pts.contains(2));
    QVERIFY(pts.contains(5));
}

void TestStreamAssembler::reorderedPacketsArePutBack()
{
    const QList<AccessUnit> units = h264Pictures(6);
    QList<Packet> packets = rtpPackets(units, kSsrc, 65530); // wraps
    for (qsizetype i = 1; i + 1 < packets.size(); i += 4)
        packets.swapItemsAt(i, i + 1);
    Output out;
    StreamAssembler::Options o = options();
    o.reorder.maxHoldMs = 100;
    StreamAssembler assembler(o, out.handlers());
    qint64 now = 0;
    for (const Packet &packet : packets)
        assembler.push(packet.rtp, now++);
    assembler.poll(now + 200);
    assembler.finish();
    QCOMPARE(out.units.size(), units.size());
    for (qsizetype i = 0; i < units.size(); ++i)
        QCOMPARE(out.units.at(i).data, units.at(i).data);
    QVERIFY(assembler.stats().reorder.reordered > 0);
    QCOMPARE(out.gaps, 0);
}

void TestStreamAssembler::ssrcAdoptedAfterConsistentPackets()
{
    const QList<AccessUnit> units = h264Pictures(6);
    const QList<Packet> packets = rtpPackets(units, 0x11223344);
    Output out;
    StreamAssembler assembler(options(SsrcCheck::Adopt, kSsrc), out.handlers());
    for (const Packet &packet : packets)
        assembler.push(packet.rtp, 0);
    const StreamAssemblerStats stats = assembler.stats();
    QCOMPARE(stats.ssrc, std::optional<std::uint32_t>(0x11223344));
    QCOMPARE(stats.ssrcMismatches, quint64(StreamAssembler::kAdoptAfterPackets));
    QCOMPARE(stats.ssrcChanges, quint64(1));
    QCOMPARE(out.units.size(), units.size()); // the packets held while deciding are kept
    QCOMPARE(out.units.first().data, units.first().data);
}

void TestStreamAssembler::ssrcStrictDropsOthers()
{
    const QList<AccessUnit> units = h264Pictures(4);
    Output out;
    StreamAssembler assembler(options(SsrcCheck::Strict, kSsrc), out.handlers());
    for (const Packet &packet : rtpPackets(units, 0x11223344))
        assembler.push(packet.rtp, 0);
    QVERIFY(out.units.isEmpty());
    QCOMPARE(assembler.stats().ssrc, std::optional<std::uint32_t>(kSsrc));
    QVERIFY(assembler.stats().ssrcMismatches > 0);
}

void TestStreamAssembler::ssrcSwitchesWhenOursFallsSilent()
{
    const QList<AccessUnit> first = h264Pictures(5);
    const QList<AccessUnit> second = h264Pictures(5, 5, 3000, 5 * kFrameTicks);
    Output out;
    StreamAssembler assembler(options(SsrcCheck::Adopt, kSsrc), out.handlers());
    for (const Packet &packet : rtpPackets(first, kSsrc, 100))
        assembler.push(packet.rtp, 1000);
    // A stranger while ours is alive: dropped.
    const QList<Packet> stranger = rtpPackets(h264Pictures(2), 0x0BADF00D, 500);
    for (const Packet &packet : stranger)
        assembler.push(packet.rtp, 1100);
    QCOMPARE(assembler.stats().ssrc, std::optional<std::uint32_t>(kSsrc));
    QCOMPARE(assembler.stats().ssrcMismatches, quint64(stranger.size()));
    // The device restarted with a new SSRC: ours has been silent for over a second.
    for (const Packet &packet : rtpPackets(second, 0x55667788, 9000))
        assembler.push(packet.rtp, 3000);
    QCOMPARE(assembler.stats().ssrc, std::optional<std::uint32_t>(0x55667788));
    QCOMPARE(assembler.stats().ssrcChanges, quint64(1));
    QCOMPARE(out.units.size(), first.size() + second.size());
    QCOMPARE(out.units.last().data, second.last().data);
}

void TestStreamAssembler::timestampsUnwrap()
{
    constexpr qint64 kWrap = qint64(1) << 33;
    const QList<AccessUnit> units = h264Pictures(6, 5, 300, kWrap - 2 * kFrameTicks);
    QList<AccessUnit> wrapped = units;
    for (AccessUnit &unit : wrapped) {
        unit.pts90k %= kWrap;
        unit.dts90k %= kWrap;
    }
    Output out;
    StreamAssembler assembler(options(), out.handlers());
    for (const Packet &packet : rtpPackets(wrapped))
        assembler.push(packet.rtp, 0);
    QCOMPARE(out.units.size(), units.size());
    for (qsizetype i = 0; i < units.size(); ++i)
        QCOMPARE(out.units.at(i).pts90k, units.at(i).pts90k);
}

void TestStreamAssembler::audioFrames()
{
    const QList<AccessUnit> units = h264Pictures(5);
    QList<AudioFrame> audio;
    for (int i = 0; i < 10; ++i) {
        AudioFrame frame;
        frame.codec = AudioCodec::G711A;
        frame.data = QByteArray(160, char(0xD5 + i));
        frame.pts90k = i * 1800;
        audio << frame;
    }
    Output out;
    StreamAssembler assembler(options(), out.handlers());
    for (const Packet &packet : rtpPackets(units, kSsrc, 100, true, audio))
        assembler.push(packet.rtp, 0);
    QCOMPARE(out.units.size(), units.size());
    QCOMPARE(out.audio.size(), 8); // sent before each picture: the ninth and tenth never are
    for (qsizetype i = 0; i < out.audio.size(); ++i) {
        QCOMPARE(out.audio.at(i).codec, AudioCodec::G711A);
        QCOMPARE(out.audio.at(i).data, audio.at(i).data);
        QCOMPARE(out.audio.at(i).pts90k, audio.at(i).pts90k);
    }
    QCOMPARE(assembler.stats().audioCodec, AudioCodec::G711A);
}

void TestStreamAssembler::notProgramStream()
{
    // Annex-B H.264 straight in RTP (payload type 98), as devices that ignore "PS" send it.
    QByteArray es;
    for (const AccessUnit &unit : h264Pictures(60, 5, 1500))
        es += unit.data;
    Output out;
    StreamAssembler assembler(options(), out.handlers());
    for (const QByteArray &bytes : MediaTest::packetize(es, kSsrc, 1))
        assembler.push(*RtpPacket::parse(bytes), 0);
    QCOMPARE(out.contents, QList<PsContent>{PsContent::RawH264});
    QVERIFY(out.units.isEmpty());
}

QTEST_GUILESS_MAIN(TestStreamAssembler)
#include "tst_streamassembler.moc"
