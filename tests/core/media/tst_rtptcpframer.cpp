// RtpTcpFramer: RFC 4571 and '$'-interleaved framing told apart, packets cut the same way
// however the stream is read, and the way back after garbage, dropped chunks, absurd lengths and
// foreign SSRCs, counted.

#include "media/rtppacket.h"
#include "media/rtptcpframer.h"

#include "mediatestutil.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Vigil::Media;
using namespace MediaTest;

namespace {

constexpr std::uint32_t kSsrc = 0x0BEBC201;

QList<QByteArray> makePackets(int count, std::uint32_t ssrc = kSsrc, std::uint16_t firstSequence = 0,
                              int payloadSize = 0)
{
    QList<QByteArray> packets;
    QRandomGenerator random(firstSequence + 1);
    for (int i = 0; i < count; ++i) {
        RtpFields fields;
        fields.ssrc = ssrc;
        fields.sequence = std::uint16_t(firstSequence + i);
        fields.timestamp = std::uint32_t(i / 4) * 3600;
        fields.marker = i % 4 == 3;
        QByteArray payload(payloadSize > 0 ? payloadSize : random.bounded(1, 1400), '\0');
        for (auto &c : payload)
            c = char(random.bounded(256));
        if (i % 4 == 0)
            payload.replace(0, 4, QByteArray::fromHex("000001BA"));
        packets.append(makeRtp(fields, payload));
    }
    return packets;
}

QByteArray lengthPrefixed(const QByteArray &packet)
{
    QByteArray out;
    appendU16(out, std::uint32_t(packet.size()));
    return out + packet;
}

QByteArray interleaved(const QByteArray &packet, int channel)
{
    QByteArray out("$");
    out.append(char(channel));
    appendU16(out, std::uint32_t(packet.size()));
    return out + packet;
}

QByteArray rtcpReceiverReport(std::uint32_t ssrc)
{
    QByteArray out = QByteArray::fromHex("81C90007");
    appendU32(out, ssrc);
    out += QByteArray(24, '\0');
    return out;
}

struct Result {
    QList<QByteArray> packets;
    QList<int> channels;
    int rtcp = 0;
    RtpTcpFramerStats stats;
    RtpTcpFraming framing = RtpTcpFraming::Auto;
    std::optional<std::uint32_t> ssrc;
    qsizetype buffered = 0;
};

Result frame(const QByteArray &stream, const RtpTcpFramer::Options &options = {}, int maxChunk = 0, quint32 seed = 1)
{
    Result result;
    RtpTcpFramer framer(options, [&result](const RtpTcpFramer::Frame &frame) {
        if (frame.rtcp) {
            ++result.rtcp;
            return;
        }
        result.packets.append(frame.packet.toByteArray());
        result.channels.append(frame.channel);
    });
    QRandomGenerator random(seed);
    for (qsizetype pos = 0; pos < stream.size();) {
        const qsizetype size = maxChunk > 0 ? std::min<qsizetype>(random.bounded(1, maxChunk + 1), stream.size() - pos)
                                            : stream.size();
        framer.feed(QByteArrayView(stream).sliced(pos, size));
        pos += size;
    }
    result.stats = framer.stats();
    result.framing = framer.framing();
    result.ssrc = framer.ssrc();
    result.buffered = framer.bufferedBytes();
    return result;
}

} // namespace

class TestRtpTcpFramer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rfc4571_data()
    {
        QTest::addColumn<int>("maxChunk");
        QTest::newRow("whole") << 0;
        QTest::newRow("byte by byte") << 1;
        QTest::newRow("small pieces") << 7;
        QTest::newRow("TCP-sized pieces") << 3000;
    }

    void rfc4571()
    {
        QFETCH(int, maxChunk);
        const QList<QByteArray> packets = makePackets(200);
        QByteArray stream;
        for (const QByteArray &packet : packets)
            stream += lengthPrefixed(packet);
        const Result result = frame(stream, {}, maxChunk);
        QCOMPARE(result.packets, packets);
        QCOMPARE(result.framing, RtpTcpFraming::Rfc4571);
        QCOMPARE(result.channels.count(-1), packets.size());
        QCOMPARE(result.ssrc, std::optional<std::uint32_t>(kSsrc));
        QCOMPARE(result.stats.rtpPackets, 200u);
        QCOMPARE(result.stats.resyncs, 0u);
        QCOMPARE(result.stats.bytesSkipped, 0u);
        QCOMPARE(result.buffered, 0);
    }

    void interleavedWithRtcp()
    {
        const QList<QByteArray> packets = makePackets(50);
        QByteArray stream;
        for (qsizetype i = 0; i < packets.size(); ++i) {
            stream += interleaved(packets[i], 0);
            if (i % 10 == 9)
                stream += interleaved(rtcpReceiverReport(kSsrc), 1);
        }
        const Result result = frame(stream, {}, 100);
        QCOMPARE(result.packets, packets);
        QCOMPARE(result.framing, RtpTcpFraming::Interleaved);
        QCOMPARE(result.channels.count(0), packets.size());
        QCOMPARE(result.rtcp, 5);
        QCOMPARE(result.stats.rtcpPackets, 5u);
        QCOMPARE(result.stats.resyncs, 0u);
    }

    void rfc4571LengthStartingWithDollar()
    {
        // An RFC 4571 length of 0x24xx (9216..9471 bytes) starts with '$', and the sequence number
        // 0x8000 makes the '$' reading look valid too: the next packet decides.
        const QList<QByteArray> packets = makePackets(8, kSsrc, 0x8000, 0x2410 - 12);
        QByteArray stream;
        for (const QByteArray &packet : packets)
            stream += lengthPrefixed(packet);
        QCOMPARE(stream[0], '$');
        const Result result = frame(stream, {}, 500);
        QCOMPARE(result.framing, RtpTcpFraming::Rfc4571);
        QCOMPARE(result.packets, packets);
    }

    void fixedFraming()
    {
        const QList<QByteArray> packets = makePackets(10);
        QByteArray stream;
        for (const QByteArray &packet : packets)
            stream += interleaved(packet, 2);
        const Result result = frame(stream, {RtpTcpFraming::Interleaved, 65535, kSsrc});
        QCOMPARE(result.packets, packets);
        QCOMPARE(result.channels.count(2), 10);
        // Read as RFC 4571, every '$' and channel byte is garbage before a plausible length: the
        // resync finds each packet anyway.
        const Result wrong = frame(stream, {RtpTcpFraming::Rfc4571, 65535, kSsrc});
        QCOMPARE(wrong.packets, packets);
        QCOMPARE(wrong.stats.resyncs, 10u);
        QCOMPARE(wrong.stats.bytesSkipped, 20u);
    }

    void resyncAfterCorruption_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<bool>("sessionSsrcKnown");
        for (const char *damage : {"garbage between packets", "dropped chunk", "version 1", "absurd length",
                                   "foreign SSRC", "zero length", "RTSP text"}) {
            QTest::addRow("%s, SSRC from the SDP", damage) << QString::fromLatin1(damage) << true;
            QTest::addRow("%s, SSRC learnt", damage) << QString::fromLatin1(damage) << false;
        }
    }

    void resyncAfterCorruption()
    {
        // 100 good packets, damage, 100 good packets: everything after the damage comes back, the
        // resync is counted once and the bytes skipped are exactly the damaged ones.
        QFETCH(QString, damage);
        QFETCH(bool, sessionSsrcKnown);
        const QList<QByteArray> before = makePackets(100);
        const QList<QByteArray> after = makePackets(100, kSsrc, 100);
        QByteArray bad;
        if (damage == QLatin1String("garbage between packets")) {
            bad = QByteArray(777, char(0x5A));
        } else if (damage == QLatin1String("dropped chunk")) {
            // A device that fell behind dropped the end of one packet and the start of the next.
            const QByteArray a = lengthPrefixed(makePackets(1, kSsrc, 1000, 1200).front());
            const QByteArray b = lengthPrefixed(makePackets(1, kSsrc, 1001, 1200).front());
            bad = a.left(500) + b.mid(900);
        } else if (damage == QLatin1String("version 1")) {
            bad = lengthPrefixed(makePackets(1, kSsrc, 1000, 300).front());
            bad[2] = char(0x40);
        } else if (damage == QLatin1String("absurd length")) {
            bad = lengthPrefixed(makePackets(1, kSsrc, 1000, 300).front());
            bad[0] = char(0x90); // 0x90xx > maxPacketSize below
        } else if (damage == QLatin1String("foreign SSRC")) {
            bad = lengthPrefixed(makePackets(1, 0x12345678, 1000, 300).front());
        } else if (damage == QLatin1String("zero length")) {
            bad = QByteArray(2, '\0');
        } else {
            bad = "RTSP/1.0 200 OK\r\nCSeq: 3\r\n\r\n";
        }
        QByteArray stream;
        for (const QByteArray &packet : before)
            stream += lengthPrefixed(packet);
        stream += bad;
        for (const QByteArray &packet : after)
            stream += lengthPrefixed(packet);
        RtpTcpFramer::Options options;
        options.maxPacketSize = 1500;
        if (sessionSsrcKnown)
            options.ssrc = kSsrc;
        for (int maxChunk : {0, 1, 1500}) {
            const Result result = frame(stream, options, maxChunk);
            QCOMPARE(result.packets, before + after);
            QCOMPARE(result.stats.resyncs, 1u);
            QCOMPARE(result.stats.bytesSkipped, std::uint64_t(bad.size()));
            QCOMPARE(result.stats.ssrcChanges, 0u);
            QCOMPARE(result.ssrc, std::optional<std::uint32_t>(kSsrc));
        }
    }

    void garbageBeforeFirstPacket()
    {
        // Without the session's SSRC: a packet whose payload is a PS pack header, or three
        // well-formed packets in a row, show where the stream starts. (Garbage that happens to
        // read as a packet of up to 64 KiB needs that many bytes more before it is ruled out.)
        QRandomGenerator random(4);
        for (int round = 0; round < 20; ++round) {
            const QList<QByteArray> packets = makePackets(1000, random.generate(), 0, round % 2 ? 0 : 300);
            QByteArray garbage(random.bounded(1, 2000), '\0');
            for (auto &c : garbage)
                c = char(random.bounded(256));
            QByteArray stream = garbage;
            for (const QByteArray &packet : packets)
                stream += lengthPrefixed(packet);
            for (int maxChunk : {0, 3, 1500}) {
                const Result result = frame(stream, {}, maxChunk);
                QCOMPARE(result.packets, packets);
                QCOMPARE(result.stats.bytesSkipped, std::uint64_t(garbage.size()));
                QCOMPARE(result.stats.resyncs, 0u); // nothing was lost: there was no sync yet
            }
        }
    }

    void ssrcChangeIsFollowed()
    {
        // The device re-keys the stream mid-connection: three well-formed packets with the new
        // SSRC in a row are believed; a single foreign packet is not.
        const QList<QByteArray> first = makePackets(30);
        const QList<QByteArray> second = makePackets(30, 0x47868C01, 5000);
        QByteArray stream;
        for (const QByteArray &packet : first)
            stream += lengthPrefixed(packet);
        for (const QByteArray &packet : second)
            stream += lengthPrefixed(packet);
        for (int maxChunk : {0, 1, 700}) {
            const Result result = frame(stream, {RtpTcpFraming::Auto, 65535, kSsrc}, maxChunk);
            QCOMPARE(result.packets, first + second);
            QCOMPARE(result.stats.ssrcChanges, 1u);
            QCOMPARE(result.stats.resyncs, 0u);
            QCOMPARE(result.ssrc, std::optional<std::uint32_t>(0x47868C01));
        }
    }

    void deviceUsesAnotherSsrcThanOffered()
    {
        // The SDP said y=0200000001, the device sends its own SSRC from the first packet on.
        const QList<QByteArray> packets = makePackets(40, 0x05F5ED76);
        QByteArray stream;
        for (const QByteArray &packet : packets)
            stream += lengthPrefixed(packet);
        const Result result = frame(stream, {RtpTcpFraming::Auto, 65535, kSsrc}, 500);
        QCOMPARE(result.packets, packets);
        QCOMPARE(result.stats.ssrcChanges, 1u);
        QCOMPARE(result.ssrc, std::optional<std::uint32_t>(0x05F5ED76));
    }

    void maxPacketSizeBounds()
    {
        const QList<QByteArray> small = makePackets(5, kSsrc, 0, 500);
        const QList<QByteArray> big = makePackets(1, kSsrc, 5, 3000);
        QByteArray stream;
        for (const QByteArray &packet : small + big + small)
            stream += lengthPrefixed(packet);
        RtpTcpFramer::Options options;
        options.maxPacketSize = 1500;
        const Result result = frame(stream, options, 100);
        QCOMPARE(result.packets, small + small);
        QCOMPARE(result.stats.resyncs, 1u);
        QCOMPARE(result.stats.bytesSkipped, std::uint64_t(lengthPrefixed(big.front()).size()));
        options.maxPacketSize = 65535;
        QCOMPARE(frame(stream, options, 100).packets.size(), 11);
    }

    void noiseNeverCrashes()
    {
        QRandomGenerator random(77);
        for (int round = 0; round < 200; ++round) {
            QByteArray noise(random.bounded(1, 20000), '\0');
            for (auto &c : noise)
                c = char(random.bounded(256));
            if (round % 2)
                noise.replace(random.bounded(int(noise.size())), 2, lengthPrefixed(makePackets(1).front()));
            const Result whole = frame(noise, {RtpTcpFraming::Auto, 65535, std::nullopt});
            const Result chunked = frame(noise, {RtpTcpFraming::Auto, 65535, std::nullopt}, 300, quint32(round));
            QCOMPARE(chunked.packets, whole.packets);
            QCOMPARE(chunked.stats.bytesSkipped, whole.stats.bytesSkipped);
            QVERIFY(whole.buffered <= 4 * 65540);
        }
    }

    void resetForNewConnection()
    {
        QList<QByteArray> got;
        RtpTcpFramer framer({}, [&got](const RtpTcpFramer::Frame &frame) { got.append(frame.packet.toByteArray()); });
        const QList<QByteArray> first = makePackets(2);
        framer.feed(QByteArray(lengthPrefixed(first[0]) + lengthPrefixed(first[1]).left(10)));
        QCOMPARE(framer.bufferedBytes(), 10);
        framer.reset();
        QCOMPARE(framer.bufferedBytes(), 0);
        QCOMPARE(framer.framing(), RtpTcpFraming::Auto);
        QCOMPARE(framer.ssrc(), std::nullopt);
        const QList<QByteArray> second = makePackets(2, 0x47868C01);
        framer.feed(QByteArray(interleaved(second[0], 0) + interleaved(second[1], 0)));
        QCOMPARE(got, (QList<QByteArray>{first[0], second[0], second[1]}));
        QCOMPARE(framer.framing(), RtpTcpFraming::Interleaved);
    }
};

QTEST_GUILESS_MAIN(TestRtpTcpFramer)
#include "tst_rtptcpframer.moc"
