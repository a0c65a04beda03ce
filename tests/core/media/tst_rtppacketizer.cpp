// RtpPacketizer and RFC 4571 framing: header bytes against gb28181.md 7.1, packet sizes,
// marker placement, sequence wrap, timestamps, and reassembly of real PS chunks.

#include "media/psmuxer.h"
#include "media/rtppacketizer.h"

#include "nalbuilder.h"

#include <QTest>

using namespace Vigil;
using namespace Vigil::Media;
using namespace Vigil::Media::Test;
using namespace Qt::StringLiterals;

namespace {

struct Header {
    int version = 0;
    bool padding = false;
    bool extension = false;
    int csrcCount = 0;
    bool marker = false;
    int payloadType = 0;
    quint16 sequence = 0;
    quint32 timestamp = 0;
    quint32 ssrc = 0;
};

Header parse(const QByteArray &packet)
{
    const auto u = [&packet](int i) { return quint32(quint8(packet[i])); };
    Header h;
    h.version = int(u(0) >> 6);
    h.padding = u(0) & 0x20;
    h.extension = u(0) & 0x10;
    h.csrcCount = int(u(0) & 0x0F);
    h.marker = u(1) & 0x80;
    h.payloadType = int(u(1) & 0x7F);
    h.sequence = quint16(u(2) << 8 | u(3));
    h.timestamp = u(4) << 24 | u(5) << 16 | u(6) << 8 | u(7);
    h.ssrc = u(8) << 24 | u(9) << 16 | u(10) << 8 | u(11);
    return h;
}

QByteArray payloadOf(const QList<QByteArray> &packets)
{
    QByteArray out;
    for (const QByteArray &p : packets)
        out += p.sliced(RtpPacketizer::kHeaderBytes);
    return out;
}

} // namespace

class TestRtpPacketizer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void headerMatchesReference()
    {
        // gb28181.md 7.1: seq 0x0A1B, ts 180000 (2 s), SSRC 200000001 (y=0200000001), PT 96
        RtpPacketizer packetizer({.ssrc = 200000001, .firstSequenceNumber = 0x0A1B});
        const auto packets = packetizer.packetize(filler(2000), 180000);
        QCOMPARE(packets.size(), 2);
        QCOMPARE(packets.at(0).first(12).toHex(' '), "80 60 0a 1b 00 02 bf 20 0b eb c2 01"_ba);
        QCOMPARE(packets.at(1).first(12).toHex(' '), "80 e0 0a 1c 00 02 bf 20 0b eb c2 01"_ba);
        const Header h = parse(packets.at(0));
        QCOMPARE(h.version, 2);
        QVERIFY(!h.padding && !h.extension);
        QCOMPARE(h.csrcCount, 0);
    }

    void sizesAndMarker_data()
    {
        QTest::addColumn<int>("frameBytes");
        QTest::addColumn<int>("maxPayload");
        QTest::addColumn<QList<int>>("payloadSizes");
        QTest::newRow("one byte") << 1 << 1400 << QList<int>{1};
        QTest::newRow("exactly one packet") << 1400 << 1400 << QList<int>{1400};
        QTest::newRow("one over") << 1401 << 1400 << QList<int>{1400, 1};
        QTest::newRow("three") << 3000 << 1400 << QList<int>{1400, 1400, 200};
        QTest::newRow("exact multiple") << 2800 << 1400 << QList<int>{1400, 1400};
        QTest::newRow("small payloads") << 1000 << 300 << QList<int>{300, 300, 300, 100};
    }

    void sizesAndMarker()
    {
        QFETCH(int, frameBytes);
        QFETCH(int, maxPayload);
        QFETCH(QList<int>, payloadSizes);
        RtpPacketizer packetizer({.ssrc = 7, .maxPayloadBytes = maxPayload});
        const QByteArray frame = filler(frameBytes);
        const auto packets = packetizer.packetize(frame, 3600);
        QCOMPARE(packets.size(), payloadSizes.size());
        for (qsizetype i = 0; i < packets.size(); ++i) {
            QCOMPARE(packets.at(i).size(), RtpPacketizer::kHeaderBytes + payloadSizes.at(i));
            QCOMPARE(parse(packets.at(i)).marker, i == packets.size() - 1);
            QCOMPARE(parse(packets.at(i)).timestamp, 3600u);
        }
        QCOMPARE(payloadOf(packets), frame);
    }

    void emptyFrameSendsNothing()
    {
        RtpPacketizer packetizer({.ssrc = 1, .firstSequenceNumber = 10});
        QVERIFY(packetizer.packetize({}, 0).isEmpty());
        QCOMPARE(packetizer.nextSequenceNumber(), 10);
    }

    void sequenceContinuesAndWraps()
    {
        RtpPacketizer packetizer({.ssrc = 1, .maxPayloadBytes = 100, .firstSequenceNumber = 65534});
        const auto first = packetizer.packetize(filler(250), 0);
        const auto second = packetizer.packetize(filler(50), 3600);
        QCOMPARE(parse(first.at(0)).sequence, 65534);
        QCOMPARE(parse(first.at(1)).sequence, 65535);
        QCOMPARE(parse(first.at(2)).sequence, 0);
        QCOMPARE(parse(second.at(0)).sequence, 1);
        QCOMPARE(packetizer.nextSequenceNumber(), 2);
    }

    void timestampIsPtsModulo32Bits()
    {
        RtpPacketizer packetizer({.ssrc = 1, .payloadType = 98});
        const qint64 pts = (qint64(1) << 32) + 1234; // PES PTS has 33 bits, RTP 32
        const auto packets = packetizer.packetize(filler(5000), pts);
        for (const QByteArray &p : packets) {
            QCOMPARE(parse(p).timestamp, 1234u);
            QCOMPARE(parse(p).payloadType, 98);
            QCOMPARE(parse(p).ssrc, 1u);
        }
    }

    void reassemblesPsChunks()
    {
        // Frames from the PS muxer, key frame over one PES, packetized and joined again.
        PsMuxer muxer(VideoCodec::H264, AudioCodec::G711A);
        RtpPacketizer packetizer({.ssrc = 0x0BEBC201, .firstSequenceNumber = 65000});
        QByteArray stream;
        QByteArray received;
        quint16 expectedSequence = 65000;
        for (int frame = 0; frame < 30; ++frame) {
            AccessUnit au;
            au.codec = VideoCodec::H264;
            au.data = "\x00\x00\x00\x01\x65"_ba + filler(frame == 0 ? 150'000 : 3000 + 97 * frame, char(frame));
            au.pts90k = au.dts90k = 3600 * frame;
            au.keyFrame = frame == 0;
            const QByteArray chunk = muxer.mux(au);
            stream += chunk;
            const auto packets = packetizer.packetize(chunk, au.pts90k);
            for (const QByteArray &p : packets) {
                const Header h = parse(p);
                QCOMPARE(h.sequence, expectedSequence++);
                QCOMPARE(h.timestamp, quint32(au.pts90k));
                QVERIFY(p.size() <= RtpPacketizer::kHeaderBytes + RtpPacketizer::kDefaultMaxPayloadBytes);
            }
            QVERIFY(parse(packets.last()).marker);
            received += payloadOf(packets);
        }
        QCOMPARE(received, stream);
    }

    void rfc4571Framing()
    {
        RtpPacketizer packetizer({.ssrc = 5});
        const auto packets = packetizer.packetize(filler(3000), 0);
        QCOMPARE(frameRfc4571(packets.at(0)).first(2).toHex(), "0584"_ba); // 1412 bytes
        QCOMPARE(frameRfc4571(packets.at(0)).sliced(2), packets.at(0));

        QByteArray tcp;
        for (const QByteArray &p : packets)
            appendRfc4571(tcp, p);
        QList<QByteArray> back;
        for (qsizetype pos = 0; pos < tcp.size();) {
            const qsizetype length = qsizetype(quint8(tcp[pos])) << 8 | quint8(tcp[pos + 1]);
            back.append(tcp.sliced(pos + 2, length));
            pos += 2 + length;
        }
        QCOMPARE(back, packets);
        QCOMPARE(frameRfc4571(QByteArray(65535, 'x')).first(2).toHex(), "ffff"_ba);
        QCOMPARE(frameRfc4571({}).toHex(), "0000"_ba);
    }
};

QTEST_GUILESS_MAIN(TestRtpPacketizer)
#include "tst_rtppacketizer.moc"
