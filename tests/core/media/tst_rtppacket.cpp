// RtpPacket: RFC 3550 headers as GB/T 28181 devices send them, with CSRCs, header extensions
// and padding, and the packets that must be refused with a reason.

#include "media/rtppacket.h"

#include "mediatestutil.h"

#include <QTest>

using namespace Vigil;
using namespace Vigil::Media;
using namespace Qt::StringLiterals;
using namespace MediaTest;

class TestRtpPacket : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void gbExample()
    {
        // gb28181.md 7.1: V2, PT 96, seq 0x0A1B, ts 180000, SSRC 200000001 (y=0200000001).
        const QByteArray bytes = QByteArray::fromHex("80600A1B0002BF200BEBC201") + "payload";
        const auto packet = RtpPacket::parse(bytes);
        QVERIFY(packet);
        QCOMPARE(packet->payloadType(), 96);
        QVERIFY(!packet->marker());
        QCOMPARE(packet->sequence(), 0x0A1B);
        QCOMPARE(packet->timestamp(), 180000u);
        QCOMPARE(packet->ssrc(), 200000001u);
        QCOMPARE(packet->csrcCount(), 0);
        QVERIFY(!packet->hasExtension());
        QCOMPARE(packet->payload(), QByteArrayView("payload"));
        QCOMPARE(packet->header().paddingSize, 0);
        QVERIFY(packet->bytes().isSharedWith(bytes)); // kept, not copied

        QByteArray last = bytes;
        last[1] = char(0xE0); // the last packet of a frame
        QVERIFY(RtpPacket::parse(last)->marker());
        QCOMPARE(RtpPacket::parse(last)->payloadType(), 96);
    }

    void fieldsRoundTrip_data()
    {
        QTest::addColumn<int>("csrcs");
        QTest::addColumn<bool>("extension");
        QTest::addColumn<int>("padding");
        QTest::addColumn<int>("payloadSize");
        QTest::newRow("plain") << 0 << false << 0 << 1400;
        QTest::newRow("empty payload") << 0 << false << 0 << 0;
        QTest::newRow("CSRCs") << 3 << false << 0 << 100;
        QTest::newRow("15 CSRCs") << 15 << false << 0 << 10;
        QTest::newRow("extension") << 0 << true << 0 << 100;
        QTest::newRow("padding 1") << 0 << false << 1 << 100;
        QTest::newRow("padding 4") << 0 << false << 4 << 100;
        QTest::newRow("padding only") << 0 << false << 255 << 0;
        QTest::newRow("everything") << 2 << true << 3 << 1000;
    }

    void fieldsRoundTrip()
    {
        QFETCH(int, csrcs);
        QFETCH(bool, extension);
        QFETCH(int, padding);
        QFETCH(int, payloadSize);
        RtpFields fields;
        fields.sequence = 65535;
        fields.timestamp = 0xFFFFFFFF;
        fields.ssrc = 0x47868C01; // y=1200000001
        fields.payloadType = 98;
        fields.marker = true;
        for (int i = 0; i < csrcs; ++i)
            fields.csrcs.append(0x11111111u * std::uint32_t(i + 1));
        if (extension) {
            fields.extensionProfile = 0xBEDE;
            fields.extension = QByteArray::fromHex("10FF0000ABCDEF01");
        }
        fields.padding = padding;
        QByteArray payload(payloadSize, '\0');
        for (int i = 0; i < payloadSize; ++i)
            payload[i] = char(i * 13);
        const auto packet = RtpPacket::parse(makeRtp(fields, payload));
        QVERIFY2(packet, packet ? "" : qPrintable(packet.error().message));
        QCOMPARE(packet->sequence(), 65535);
        QCOMPARE(packet->timestamp(), 0xFFFFFFFFu);
        QCOMPARE(packet->ssrc(), 0x47868C01u);
        QCOMPARE(packet->payloadType(), 98);
        QVERIFY(packet->marker());
        QCOMPARE(packet->csrcCount(), csrcs);
        for (int i = 0; i < csrcs; ++i)
            QCOMPARE(packet->csrc(i), 0x11111111u * std::uint32_t(i + 1));
        QCOMPARE(packet->hasExtension(), extension);
        if (extension) {
            QCOMPARE(packet->extensionProfile(), 0xBEDE);
            QCOMPARE(packet->extensionData(), QByteArrayView(fields.extension));
        }
        QCOMPARE(packet->header().paddingSize, padding);
        QCOMPARE(packet->payload(), QByteArrayView(payload));
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reason");
        const QByteArray header = QByteArray::fromHex("80600A1B0002BF200BEBC201");
        QTest::newRow("empty") << QByteArray() << u"too short"_s;
        QTest::newRow("11 bytes") << header.left(11) << u"too short"_s;
        QByteArray v1 = header;
        v1[0] = 0x40;
        QTest::newRow("version 1") << v1 << u"version"_s;
        QTest::newRow("version 0 (raw PS, no RTP)") << QByteArray::fromHex("000001BA440004000401005F6BF8") << u"version"_s;
        QByteArray csrcs = header + "12345678";
        csrcs[0] = char(0x83); // 3 CSRCs, room for 2
        QTest::newRow("CSRCs past the end") << csrcs << u"CSRC"_s;
        QByteArray extShort = header + QByteArray::fromHex("BEDE");
        extShort[0] = char(0x90);
        QTest::newRow("extension header cut") << extShort << u"extension"_s;
        QByteArray extLong = header + QByteArray::fromHex("BEDE0003") + "12345678";
        extLong[0] = char(0x90);
        QTest::newRow("extension longer than the packet") << extLong << u"extension"_s;
        QByteArray padZero = header + "abc" + '\0';
        padZero[0] = char(0xA0);
        QTest::newRow("padding count 0") << padZero << u"padding"_s;
        QByteArray padLong = header + "abc" + char(5);
        padLong[0] = char(0xA0);
        QTest::newRow("padding longer than the payload") << padLong << u"padding"_s;
        QByteArray padIntoExt = header + QByteArray::fromHex("BEDE0001") + "1234" + char(2);
        padIntoExt[0] = char(0xB0);
        QTest::newRow("padding into the extension") << padIntoExt << u"padding"_s;
    }

    void refused()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        const auto packet = RtpPacket::parse(bytes);
        QVERIFY(!packet);
        QCOMPARE(packet.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(packet.error().message.contains(reason, Qt::CaseInsensitive), qPrintable(packet.error().message));
        QVERIFY(!RtpPacket::parseHeader(bytes));
    }

    void paddingExactlyFillsThePacket()
    {
        QByteArray bytes = QByteArray::fromHex("A0600A1B0002BF200BEBC201") + QByteArray(3, '\0') + char(4);
        const auto packet = RtpPacket::parse(bytes);
        QVERIFY(packet);
        QVERIFY(packet->payload().isEmpty());
    }

    void rtcpIsRecognised()
    {
        QVERIFY(isRtcpPacket(QByteArray::fromHex("80C80006"))); // SR
        QVERIFY(isRtcpPacket(QByteArray::fromHex("81C90007"))); // RR
        QVERIFY(isRtcpPacket(QByteArray::fromHex("81CA0002"))); // SDES
        QVERIFY(!isRtcpPacket(QByteArray::fromHex("80600A1B")));
        QVERIFY(!isRtcpPacket(QByteArray::fromHex("80E00A1B"))); // RTP PT 96 with the marker
        QVERIFY(!isRtcpPacket(QByteArray::fromHex("80")));
    }

    void realCapturesParse()
    {
        const QString path = QStringLiteral(VIGIL_SHARED_DIR "/media/real/real_hik_d1_h264.rtp-udp");
        if (!QFile::exists(path))
            QSKIP(qPrintable(u"%1 not found (shared/media is an optional folder beside the checkout)"_s.arg(path)));
        const QList<QByteArray> packets = readRtpUdp(path);
        QCOMPARE(packets.size(), 3096);
        int markers = 0;
        std::uint16_t expected = 0;
        for (const QByteArray &bytes : packets) {
            const auto packet = RtpPacket::parse(bytes);
            QVERIFY(packet);
            QCOMPARE(packet->ssrc(), 0x05F5ED76u);
            QCOMPARE(packet->payloadType(), 96);
            QCOMPARE(packet->sequence(), expected++);
            QVERIFY(packet->bytes().size() <= 1412);
            markers += packet->marker() ? 1 : 0;
        }
        QCOMPARE(markers, 1400); // one per frame
    }
};

QTEST_GUILESS_MAIN(TestRtpPacket)
#include "tst_rtppacket.moc"
