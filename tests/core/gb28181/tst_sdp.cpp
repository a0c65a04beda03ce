#include "gb28181/sdp.h"

#include <QTest>

using namespace Vigil;
using namespace Vigil::Gb;
using namespace Qt::StringLiterals;

namespace {

// gb28181.md §6.2: wvp's live offer over UDP.
constexpr QByteArrayView kUdpOffer = "v=0\r\n"
                                     "o=34020000002000000001 0 0 IN IP4 10.10.0.5\r\n"
                                     "s=Play\r\n"
                                     "c=IN IP4 10.10.0.5\r\n"
                                     "t=0 0\r\n"
                                     "m=video 30010 RTP/AVP 96 97 98 99\r\n"
                                     "a=recvonly\r\n"
                                     "a=rtpmap:96 PS/90000\r\n"
                                     "a=rtpmap:97 MPEG4/90000\r\n"
                                     "a=rtpmap:98 H264/90000\r\n"
                                     "a=rtpmap:99 H265/90000\r\n"
                                     "y=0200000001\r\n";

// gb28181.md §6.3: a device's answer.
constexpr QByteArrayView kDeviceAnswer = "v=0\r\n"
                                         "o=34020000001310000001 0 0 IN IP4 192.168.1.64\r\n"
                                         "s=Play\r\n"
                                         "c=IN IP4 192.168.1.64\r\n"
                                         "t=0 0\r\n"
                                         "m=video 15060 RTP/AVP 96\r\n"
                                         "a=sendonly\r\n"
                                         "a=rtpmap:96 PS/90000\r\n"
                                         "y=0200000001\r\n"
                                         "f=\r\n";

// A TCP passive offer as LiveGBS/wvp write it, with Dahua's stream selection; LF line ends.
constexpr QByteArrayView kTcpPassiveOfferLf = "v=0\n"
                                              "o=34020000002000000001 0 0 IN IP4 10.10.0.5\n"
                                              "s=Play\n"
                                              "c=IN IP4 10.10.0.5\n"
                                              "t=0 0\n"
                                              "m=video 30012 TCP/RTP/AVP 96 98 97\n"
                                              "a=recvonly\n"
                                              "a=rtpmap:96 PS/90000\n"
                                              "a=rtpmap:98 H264/90000\n"
                                              "a=rtpmap:97 MPEG4/90000\n"
                                              "a=setup:passive\n"
                                              "a=connection:new\n"
                                              "a=streamprofile:1\n"
                                              "y=0200000002\n";

// §6.6: playback with u=, a time range and a history SSRC.
constexpr QByteArrayView kPlaybackOffer = "v=0\r\n"
                                          "o=34020000002000000001 0 0 IN IP4 10.10.0.5\r\n"
                                          "s=Playback\r\n"
                                          "u=34020000001310000001:0\r\n"
                                          "c=IN IP4 10.10.0.5\r\n"
                                          "t=1716163200 1716166800\r\n"
                                          "m=video 30012 RTP/AVP 96 97 98\r\n"
                                          "a=recvonly\r\n"
                                          "a=rtpmap:96 PS/90000\r\n"
                                          "a=rtpmap:97 MPEG4/90000\r\n"
                                          "a=rtpmap:98 H264/90000\r\n"
                                          "y=1200000002\r\n";

} // namespace

class TestSdp : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parsesLiveOffer()
    {
        const auto parsed = SessionDescription::parse(kUdpOffer);
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
        QCOMPARE(parsed->originUser, "34020000002000000001");
        QCOMPARE(parsed->originAddress, "10.10.0.5");
        QCOMPARE(parsed->sessionName, SdpSessionName::Play);
        QCOMPARE(parsed->connectionAddress, "10.10.0.5");
        QCOMPARE(parsed->media.size(), 1);
        const SdpMediaSection &video = parsed->media.front();
        QCOMPARE(video.media, "video");
        QCOMPARE(video.port, 30010);
        QCOMPARE(video.protocol, SdpProtocol::RtpAvp);
        QCOMPARE(video.payloadTypes, (QList<int>{96, 97, 98, 99}));
        QCOMPARE(video.direction, SdpDirection::RecvOnly);
        QCOMPARE(video.rtpMaps.size(), 4);
        QCOMPARE(video.rtpMap(99)->encoding, "H265");
        QCOMPARE(video.rtpMap(96)->clockRate, 90000);
        QCOMPARE(parsed->ssrcText, "0200000001");
        QVERIFY(!parsed->hasFormat);

        const auto offer = MediaSdp::fromDescription(*parsed);
        QVERIFY(offer);
        QCOMPARE(offer->address, QHostAddress(u"10.10.0.5"_s));
        QCOMPARE(offer->port, 30010);
        QCOMPARE(offer->ssrc->value(), 200000001u);
        QCOMPARE(offer->ssrc->value(), 0x0BEBC201u);
        QCOMPARE(offer->platformTransport(), Devices::MediaTransport::Udp);
        QCOMPARE(offer->formats, MediaSdp::defaultFormats());
    }

    void writesWhatItParses_data()
    {
        QTest::addColumn<QByteArray>("sdp");
        QTest::newRow("udp offer") << kUdpOffer.toByteArray();
        QTest::newRow("device answer") << kDeviceAnswer.toByteArray();
        QTest::newRow("playback") << kPlaybackOffer.toByteArray();
    }

    void writesWhatItParses()
    {
        // Canonical GB SDP goes through parse() and serialize() byte for byte.
        QFETCH(QByteArray, sdp);
        const auto parsed = SessionDescription::parse(sdp);
        QVERIFY(parsed);
        QCOMPARE(parsed->serialize(), sdp);
    }

    void parsesTcpPassiveWithLfOnly()
    {
        const auto offer = MediaSdp::parse(kTcpPassiveOfferLf);
        QVERIFY(offer);
        QCOMPARE(offer->protocol, SdpProtocol::TcpRtpAvp);
        QCOMPARE(offer->setup, SdpSetup::Passive);
        QCOMPARE(offer->platformTransport(), Devices::MediaTransport::TcpPassive);
        QCOMPARE(offer->streamNumber, 1);
        QCOMPARE(offer->streamNumberAttribute, StreamNumberAttribute::StreamProfile);
        QCOMPARE(offer->formats.size(), 3);
        QCOMPARE(offer->formats.at(1).encoding, "H264");
        QCOMPARE(offer->ssrc->toText(), "0200000002");

        // What we write again uses CRLF, ends with CRLF and keeps the attributes.
        const QByteArray written = offer->serialize();
        QVERIFY(written.endsWith("\r\n"));
        QVERIFY(!written.contains("\n\n"));
        QCOMPARE(written.count('\n'), written.count("\r\n"));
        QVERIFY(written.contains("m=video 30012 TCP/RTP/AVP 96 98 97\r\n"));
        QVERIFY(written.contains("a=setup:passive\r\na=connection:new\r\na=streamprofile:1\r\n"));
    }

    void subStreamAttributes_data()
    {
        QTest::addColumn<int>("attribute");
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("GB 2022") << int(StreamNumberAttribute::StreamNumber) << QByteArray("a=streamnumber:1\r\n");
        QTest::newRow("Dahua") << int(StreamNumberAttribute::StreamProfile) << QByteArray("a=streamprofile:1\r\n");
        QTest::newRow("stream") << int(StreamNumberAttribute::Stream) << QByteArray("a=stream:1\r\n");
        QTest::newRow("TP-LINK") << int(StreamNumberAttribute::StreamMode) << QByteArray("a=streamMode:SUB\r\n");
    }

    void subStreamAttributes()
    {
        // Each vendor's spelling of "the sub stream" is written after the other attributes
        // and read back as stream 1 with the same spelling.
        QFETCH(int, attribute);
        QFETCH(QByteArray, line);
        MediaSdp offer = MediaSdp::offer(SdpSessionName::Play, "34020000002000000001", QHostAddress(u"10.0.0.5"_s),
                                         30000, Devices::MediaTransport::Udp, Ssrc::make(false, "3402000000", 7));
        offer.streamNumber = 1;
        offer.streamNumberAttribute = StreamNumberAttribute(attribute);
        const QByteArray written = offer.serialize();
        const QByteArray expected = QByteArray("a=rtpmap:99 H265/90000\r\n").append(line).append("y=0200000007\r\n");
        QVERIFY2(written.contains(expected), written.constData());
        const auto parsed = MediaSdp::parse(written);
        QVERIFY(parsed);
        QCOMPARE(parsed->streamNumber, 1);
        QCOMPARE(parsed->streamNumberAttribute, StreamNumberAttribute(attribute));

        // The main stream in TP-LINK's spelling.
        const auto main = MediaSdp::parse(QByteArray(written).replace("streamMode:SUB", "streamMode:MAIN"));
        QVERIFY(main);
        if (StreamNumberAttribute(attribute) == StreamNumberAttribute::StreamMode)
            QCOMPARE(main->streamNumber, 0);
    }

    void answersEachTransport_data()
    {
        QTest::addColumn<int>("transport");
        QTest::addColumn<QByteArray>("mLine");
        QTest::addColumn<QByteArray>("setupLine");
        QTest::addColumn<int>("deviceSetup");
        QTest::newRow("udp") << int(Devices::MediaTransport::Udp) << QByteArray("m=video 30010 RTP/AVP 96 97 98 99")
                             << QByteArray() << int(SdpSetup::Unspecified);
        QTest::newRow("tcp passive") << int(Devices::MediaTransport::TcpPassive)
                                     << QByteArray("m=video 30010 TCP/RTP/AVP 96 97 98 99") << QByteArray("a=setup:passive")
                                     << int(SdpSetup::Active);
        QTest::newRow("tcp active") << int(Devices::MediaTransport::TcpActive)
                                    << QByteArray("m=video 30010 TCP/RTP/AVP 96 97 98 99") << QByteArray("a=setup:active")
                                    << int(SdpSetup::Passive);
    }

    void answersEachTransport()
    {
        QFETCH(int, transport);
        QFETCH(QByteArray, mLine);
        QFETCH(QByteArray, setupLine);
        QFETCH(int, deviceSetup);
        const auto mediaTransport = Devices::MediaTransport(transport);

        const MediaSdp offer = MediaSdp::offer(SdpSessionName::Play, "34020000002000000001", QHostAddress(u"10.10.0.5"_s),
                                               30010, mediaTransport, Ssrc::make(false, "3402000000", 1));
        const QByteArray offerBytes = offer.serialize();
        QVERIFY(offerBytes.startsWith("v=0\r\no=34020000002000000001 0 0 IN IP4 10.10.0.5\r\ns=Play\r\nc=IN IP4 10.10.0.5\r\nt=0 0\r\n"));
        QVERIFY(offerBytes.contains(QByteArray(mLine + "\r\na=recvonly\r\na=rtpmap:96 PS/90000\r\n")));
        QVERIFY(offerBytes.endsWith("y=0200000001\r\n"));
        if (!setupLine.isEmpty())
            QVERIFY(offerBytes.contains(QByteArray(setupLine + "\r\na=connection:new\r\n")));
        else
            QVERIFY(!offerBytes.contains("a=setup"));

        // The device reads the offer and answers.
        const auto received = MediaSdp::parse(offerBytes);
        QVERIFY(received);
        QCOMPARE(received->platformTransport(), mediaTransport);
        const MediaSdp answer = MediaSdp::answerTo(*received, "34020000001310000001", QHostAddress(u"192.168.1.64"_s),
                                                   15060, received->ssrc);
        QCOMPARE(int(answer.setup), deviceSetup);
        QCOMPARE(answer.direction, SdpDirection::SendOnly);
        QCOMPARE(answer.formats, (QList<SdpRtpMap>{{96, "PS", 90000}}));

        // The platform reads the answer and agrees on the transport.
        const auto answerBack = MediaSdp::parse(answer.serialize());
        QVERIFY(answerBack);
        QCOMPARE(answerBack->platformTransport(), mediaTransport);
        QCOMPARE(answerBack->address, QHostAddress(u"192.168.1.64"_s));
        QCOMPARE(answerBack->port, 15060);
        QCOMPARE(answerBack->ssrc, Ssrc(200000001));
        QCOMPARE(answerBack->ownerId, "34020000001310000001");
    }

    void answerUsesTheOfferedPsPayloadType()
    {
        MediaSdp offer = MediaSdp::offer(SdpSessionName::Play, "34020000002000000001", QHostAddress(u"10.0.0.1"_s), 1000,
                                         Devices::MediaTransport::Udp, Ssrc(1));
        offer.formats = {{98, "H264", 90000}, {100, "ps", 90000}};
        const MediaSdp answer = MediaSdp::answerTo(offer, "x", QHostAddress(u"10.0.0.2"_s), 2000, std::nullopt);
        QCOMPARE(answer.formats.front().payloadType, 100);
        QVERIFY(!answer.serialize().contains("y="));
    }

    void tcpOfferWithoutSetupMeansThePlatformListens()
    {
        // GB practice: in TCP mode the device is the client unless told otherwise.
        const auto offer = MediaSdp::parse("v=0\r\no=1 0 0 IN IP4 10.0.0.1\r\ns=Play\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
                                           "m=video 9000 TCP/RTP/AVP 96\r\na=recvonly\r\ny=0100000001\r\n");
        QVERIFY(offer);
        QCOMPARE(offer->setup, SdpSetup::Unspecified);
        QCOMPARE(offer->platformTransport(), Devices::MediaTransport::TcpPassive);
        const MediaSdp answer = MediaSdp::answerTo(*offer, "2", QHostAddress(u"10.0.0.2"_s), 0, offer->ssrc);
        QCOMPARE(answer.setup, SdpSetup::Active);
        // An offer with no rtpmap still names PS by its payload type in the answer.
        QCOMPARE(answer.formats.front().payloadType, 96);
    }

    void parsesPlayback()
    {
        const auto offer = MediaSdp::parse(kPlaybackOffer);
        QVERIFY(offer);
        QCOMPARE(offer->session, SdpSessionName::Playback);
        QCOMPARE(offer->uri, "34020000001310000001:0");
        QCOMPARE(offer->startTime, 1716163200);
        QCOMPARE(offer->stopTime, 1716166800);
        QCOMPARE(offer->ssrc->value(), 1200000002u);
        QCOMPARE(offer->ssrc->value(), 0x47868C02u);
    }

    void toleratesSloppyDevices()
    {
        // Upper-case types, spaces around '=', a session-level direction, a media-level c=,
        // y= before m=, "RTP/AVP/TCP", lower-case s=, an unknown attribute, trailing NULs.
        const QByteArray sloppy = QByteArrayLiteral("\r\n V=0\n"
                                                    "o=34020000001320000001 1 1 IN IP4 192.168.1.64\n"
                                                    "s = play\n"
                                                    "y=200000001\r\n"
                                                    "a=sendonly\n"
                                                    "t=0 0\n"
                                                    "m=video 6000 RTP/AVP/TCP 96\n"
                                                    "c=IN IP4 192.168.1.65/127\n"
                                                    "a=setup:ACTIVE\n"
                                                    "a=x-vendor-thing:42\n"
                                                    "a=rtpmap:96 PS/90000/1\n"
                                                    "m=audio 6002 RTP/AVP 8\n")
            + QByteArray(3, '\0');
        const auto parsed = SessionDescription::parse(sloppy);
        QVERIFY(parsed);
        QCOMPARE(parsed->sessionName, SdpSessionName::Play);
        QCOMPARE(parsed->media.size(), 2);
        QCOMPARE(parsed->media[0].direction, SdpDirection::SendOnly);
        QCOMPARE(parsed->media[1].direction, SdpDirection::SendOnly);
        QCOMPARE(parsed->media[0].otherAttributes.size(), 1);
        QCOMPARE(parsed->media[0].otherAttributes.front().first, "x-vendor-thing");

        const auto answer = MediaSdp::fromDescription(*parsed);
        QVERIFY(answer);
        QCOMPARE(answer->address, QHostAddress(u"192.168.1.65"_s)); // media-level c= wins, TTL dropped
        QCOMPARE(answer->protocol, SdpProtocol::TcpRtpAvp);
        QCOMPARE(answer->setup, SdpSetup::Active);
        QCOMPARE(answer->platformTransport(), Devices::MediaTransport::TcpPassive);
        QCOMPARE(answer->ssrc, Ssrc(200000001)); // leading zero dropped by the device
        QCOMPARE(answer->formats.front().encoding, "PS");

        // The audio section alone: the PCMA static type is known without an rtpmap.
        SessionDescription audioOnly = *parsed;
        audioOnly.media.removeFirst();
        QCOMPARE(MediaSdp::fromDescription(audioOnly)->formats.front().encoding, "PCMA");
    }

    void crLineEndsAndNuls()
    {
        // Old stacks end lines with a lone CR; NULs inside a line are dropped, as on writing.
        const auto parsed = SessionDescription::parse(QByteArrayLiteral("v=0\rc=IN IP4 10.0.0.1\rm=video 7000 RTP/AVP 96\r"
                                                                         "a=recv\0only\ry=0100000009\r"));
        QVERIFY(parsed);
        QCOMPARE(parsed->media.front().port, 7000);
        QCOMPARE(parsed->media.front().direction, SdpDirection::RecvOnly);
        QCOMPARE(parsed->ssrcText, "0100000009");
        QCOMPARE(SessionDescription::parse(parsed->serialize())->serialize(), parsed->serialize());
    }

    void missingLinesGetDefaults()
    {
        // No v=, o=, s=, t=: the session is live and the address comes from c=.
        const auto offer = MediaSdp::parse("c=IN IP4 127.0.0.1\nm=video 5000 RTP/AVP 96\n");
        QVERIFY(offer);
        QCOMPARE(offer->session, SdpSessionName::Play);
        QCOMPARE(offer->port, 5000);
        QVERIFY(!offer->ssrc);
        // No c= at all: the o= address is the best guess.
        const auto fromOrigin = MediaSdp::parse("o=x 0 0 IN IP4 10.1.2.3\nm=video 5000 RTP/AVP 96\n");
        QVERIFY(fromOrigin);
        QCOMPARE(fromOrigin->address, QHostAddress(u"10.1.2.3"_s));
    }

    void invalidSsrcIsIgnored()
    {
        const auto offer = MediaSdp::parse("c=IN IP4 127.0.0.1\nm=video 5000 RTP/AVP 96\ny=abc\n");
        QVERIFY(offer);
        QVERIFY(!offer->ssrc);
    }

    void rejectsWhatIsNotSdp_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("xml") << QByteArray("<?xml version=\"1.0\"?>\r\n<Query></Query>\r\n");
        QTest::newRow("no m=") << QByteArray("v=0\r\nc=IN IP4 1.2.3.4\r\n");
        QTest::newRow("port too big") << QByteArray("v=0\r\nc=IN IP4 1.2.3.4\r\nm=video 70000 RTP/AVP 96\r\n");
        QTest::newRow("no port") << QByteArray("v=0\r\nm=video\r\n");
        QTest::newRow("huge") << QByteArray("m=video 1 RTP/AVP 96\r\n") + QByteArray(SessionDescription::kMaxBytes, 'a');
    }

    void rejectsWhatIsNotSdp()
    {
        QFETCH(QByteArray, bytes);
        const auto parsed = SessionDescription::parse(bytes);
        QVERIFY(!parsed);
        QVERIFY(!parsed.error().message.isEmpty());
    }

    void rejectsHostNames()
    {
        const auto offer = MediaSdp::parse("c=IN IP4 media.example.com\nm=video 5000 RTP/AVP 96\n");
        QVERIFY(!offer);
        QVERIFY(offer.error().message.contains(u"media.example.com"_s));
    }

    void boundsWhatItKeeps()
    {
        QByteArray many = "c=IN IP4 1.2.3.4\r\n";
        for (int i = 0; i < 40; ++i)
            many += "m=video " + QByteArray::number(1000 + i) + " RTP/AVP 96\r\n";
        for (int i = 0; i < 400; ++i)
            many += "a=x" + QByteArray::number(i) + "\r\n";
        const auto parsed = SessionDescription::parse(many);
        QVERIFY(parsed);
        QCOMPARE(parsed->media.size(), SessionDescription::kMaxMediaSections);
        QCOMPARE(parsed->media.back().port, 1000 + SessionDescription::kMaxMediaSections - 1);
        QVERIFY(parsed->media.back().otherAttributes.isEmpty()); // they followed an ignored section
    }

    void writesNoLineBreaksFromValues()
    {
        MediaSdp answer;
        answer.ownerId = "34020000001310000001\r\nm=evil 1 RTP/AVP 0";
        answer.address = QHostAddress(u"10.0.0.2"_s);
        answer.port = 1;
        answer.formats = {{96, "PS", 90000}};
        const QByteArray written = answer.serialize();
        QCOMPARE(written.count("\r\nm="), 1);
        QCOMPARE(written.count('\n'), written.count("\r\n"));
    }

    void writesAddressesAsTheyAre()
    {
        MediaSdp sdp;
        sdp.port = 1;
        sdp.address = QHostAddress(u"::ffff:10.0.0.7"_s); // from a dual-stack socket
        QVERIFY(sdp.serialize().contains("c=IN IP4 10.0.0.7\r\n"));
        sdp.address = QHostAddress(u"::"_s);
        QVERIFY(sdp.serialize().contains("c=IN IP6 ::\r\n"));
        QCOMPARE(MediaSdp::parse(sdp.serialize())->address, QHostAddress(u"::"_s));
        sdp.address = QHostAddress(u"fe80::1"_s);
        QVERIFY(sdp.serialize().contains("o=- 0 0 IN IP6 fe80::1\r\n"));
    }

    void ssrc()
    {
        QCOMPARE(Ssrc::make(false, "3402000000", 1).toText(), "0200000001");
        QCOMPARE(Ssrc::make(true, "3402000000", 2).toText(), "1200000002");
        QCOMPARE(Ssrc::make(false, "4401060000", 12345).toText(), "0106002345");
        QCOMPARE(Ssrc::parse("1999999999")->value(), 1999999999u);
        QCOMPARE(Ssrc::parse(" 0000000007 ")->toText(), "0000000007");
        QVERIFY(!Ssrc::parse("4294967296"));
        QVERIFY(!Ssrc::parse("12345678901"));
        QVERIFY(!Ssrc::parse("12a"));
        QVERIFY(!Ssrc::parse(""));
        QCOMPARE(Ssrc::parse("4294967295")->value(), 0xFFFFFFFFu);
    }

    void subject()
    {
        QCOMPARE(inviteSubject("34020000001310000001", Ssrc(200000001), "34020000002000000001"),
                 "34020000001310000001:0200000001,34020000002000000001:0");
    }
};

QTEST_APPLESS_MAIN(TestSdp)
#include "tst_sdp.moc"
