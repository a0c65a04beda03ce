// Dialogs (RFC 3261 §12) as GB/T 28181 live view uses them: the 200 OK of a device builds the
// dialog, our ACK and BYE follow its Contact and route set and go to the device's NAT address,
// and a BYE from the device is recognised by Call-ID and tags.

#include "sip/dialog.h"

#include <QHash>
#include <QTest>

using namespace Vigil;
using namespace Vigil::Sip;
using namespace Qt::StringLiterals;

namespace {

SipMessage parsed(QByteArrayView bytes)
{
    auto message = SipMessage::parse(bytes);
    Q_ASSERT(message);
    return *message;
}

/// What the layer would send: the builder with a Via, parsed back.
SipMessage onTheWire(MessageBuilder builder)
{
    builder.prepend(HeaderId::Via, "SIP/2.0/UDP 10.10.0.5:5060;rport;branch=z9hG4bKtest");
    return parsed(builder.serialize());
}

QByteArray okWith(QByteArrayView extraHeaders)
{
    return "SIP/2.0 200 OK\r\n"
           "Via: SIP/2.0/UDP 10.10.0.5:5060;rport=5060;branch=z9hG4bK3761103289\r\n"
           "From: <sip:34020000002000000001@3402000000>;tag=7d2a91c4\r\n"
           "To: <sip:34020000001310000001@198.51.100.23:40122>;tag=1320543101\r\n"
           "Call-ID: 5120887733@10.10.0.5\r\n"
           "CSeq: 3 INVITE\r\n"
           + extraHeaders.toByteArray()
           + "Content-Type: application/sdp\r\n"
             "Content-Length: 0\r\n\r\n";
}

const QByteArray kOk = okWith("Contact: <sip:34020000001310000001@192.168.1.64:5060>\r\n");

const Peer kDevice{QHostAddress(u"198.51.100.23"_s), 40122, TransportKind::Udp, 0, 0};

QByteArray byeFromDevice(QByteArrayView callId, QByteArrayView fromTag, QByteArrayView toTag, int cseq)
{
    return "BYE sip:34020000002000000001@10.10.0.5:5060 SIP/2.0\r\n"
           "Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK99" + QByteArray::number(cseq) + "\r\n"
           "From: <sip:34020000001310000001@198.51.100.23:40122>;tag=" + fromTag.toByteArray() + "\r\n"
           "To: <sip:34020000002000000001@3402000000>;tag=" + toTag.toByteArray() + "\r\n"
           "Call-ID: " + callId.toByteArray() + "\r\n"
           "CSeq: " + QByteArray::number(cseq) + " BYE\r\n"
           "Content-Length: 0\r\n\r\n";
}

} // namespace

class TestDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void uacDialogFromOk()
    {
        const auto dialog = Dialog::fromInviteResponse(parsed(kOk), kDevice);
        QVERIFY(dialog);
        QCOMPARE(dialog->role(), Dialog::Role::Uac);
        QCOMPARE(dialog->id().callId, "5120887733@10.10.0.5"_ba);
        QCOMPARE(dialog->id().localTag, "7d2a91c4"_ba);
        QCOMPARE(dialog->id().remoteTag, "1320543101"_ba);
        QCOMPARE(dialog->remoteTarget(), "sip:34020000001310000001@192.168.1.64:5060"_ba);
        QCOMPARE(dialog->peer(), kDevice);
        QCOMPARE(dialog->localCSeq(), 3u);
        QVERIFY(dialog->routeSet().isEmpty());
    }

    void ackForOkUsesInviteCSeqAndContact()
    {
        const auto dialog = Dialog::fromInviteResponse(parsed(kOk), kDevice);
        QVERIFY(dialog);
        const SipMessage ack = onTheWire(dialog->ack());
        QCOMPARE(ack.method(), Method::Ack);
        QCOMPARE(ack.requestUriText().toByteArray(), "sip:34020000001310000001@192.168.1.64:5060"_ba);
        QCOMPARE(ack.cseq().number, 3u);
        QCOMPARE(ack.cseq().method, Method::Ack);
        QCOMPARE(ack.callId().toByteArray(), "5120887733@10.10.0.5"_ba);
        QCOMPARE(ack.from().tag().toByteArray(), "7d2a91c4"_ba);
        QCOMPARE(ack.to().tag().toByteArray(), "1320543101"_ba);
        QCOMPARE(ack.maxForwards().value_or(0), 70u);
        QVERIFY(ack.body().isEmpty());
    }

    void inDialogRequestsIncreaseCSeq()
    {
        auto dialog = Dialog::fromInviteResponse(parsed(kOk), kDevice);
        QVERIFY(dialog);
        const SipMessage info = onTheWire(dialog->request(Method::Info).setBody("PLAY RTSP/1.0\r\nCSeq: 5\r\nScale: 2.0\r\n",
                                                                                "Application/MANSRTSP"));
        QCOMPARE(info.cseq().number, 4u);
        QCOMPARE(info.cseq().method, Method::Info);
        QCOMPARE(info.requestUriText().toByteArray(), "sip:34020000001310000001@192.168.1.64:5060"_ba);
        QCOMPARE(info.contentType().toByteArray(), "Application/MANSRTSP"_ba);
        const SipMessage bye = onTheWire(dialog->request(Method::Bye));
        QCOMPARE(bye.cseq().number, 5u);
        QCOMPARE(bye.cseq().method, Method::Bye);
        QCOMPARE(bye.to().tag().toByteArray(), "1320543101"_ba);
        QCOMPARE(dialog->localCSeq(), 5u);
        QCOMPARE(onTheWire(dialog->ack()).cseq().number, 3u); // a late 2xx copy is still ACKed with 3
    }

    void routeSetIsRecordRouteReversed()
    {
        const QByteArray ok = okWith("Record-Route: <sip:proxy2.example.com;lr>, <sip:proxy1.example.com;lr>\r\n"
                                     "Contact: <sip:34020000001310000001@192.168.1.64:5060>\r\n");
        auto dialog = Dialog::fromInviteResponse(parsed(ok), kDevice);
        QVERIFY(dialog);
        QCOMPARE(dialog->routeSet(),
                 (QList<QByteArray>{"<sip:proxy1.example.com;lr>"_ba, "<sip:proxy2.example.com;lr>"_ba}));
        const SipMessage bye = onTheWire(dialog->request(Method::Bye));
        // Loose routing: the Request-URI stays the remote target, the route set goes into Route.
        QCOMPARE(bye.requestUriText().toByteArray(), "sip:34020000001310000001@192.168.1.64:5060"_ba);
        const auto routes = bye.headerValues(HeaderId::Route);
        QCOMPARE(int(routes.size()), 2);
        QCOMPARE(routes[0].toByteArray(), "<sip:proxy1.example.com;lr>"_ba);
        QCOMPARE(routes[1].toByteArray(), "<sip:proxy2.example.com;lr>"_ba);
        QCOMPARE(int(onTheWire(dialog->ack()).headerValues(HeaderId::Route).size()), 2);
    }

    void strictRouterTakesTheRequestUri()
    {
        const QByteArray ok = okWith("Record-Route: <sip:strict.example.com>\r\n"
                                     "Contact: <sip:34020000001310000001@192.168.1.64:5060>\r\n");
        auto dialog = Dialog::fromInviteResponse(parsed(ok), kDevice);
        QVERIFY(dialog);
        const SipMessage bye = onTheWire(dialog->request(Method::Bye));
        QCOMPARE(bye.requestUriText().toByteArray(), "sip:strict.example.com"_ba);
        const auto routes = bye.headerValues(HeaderId::Route);
        QCOMPARE(int(routes.size()), 1);
        QCOMPARE(routes[0].toByteArray(), "<sip:34020000001310000001@192.168.1.64:5060>"_ba);
    }

    void okWithoutContactTargetsTheToUri()
    {
        auto dialog = Dialog::fromInviteResponse(parsed(okWith({})), kDevice);
        QVERIFY(dialog);
        QCOMPARE(dialog->remoteTarget(), "sip:34020000001310000001@198.51.100.23:40122"_ba);
    }

    void onlyA2xxToInviteMakesADialog()
    {
        QByteArray busy = kOk;
        busy.replace("200 OK", "486 Busy Here");
        QVERIFY(!Dialog::fromInviteResponse(parsed(busy), kDevice));
        QByteArray message = kOk;
        message.replace("3 INVITE", "3 MESSAGE");
        QVERIFY(!Dialog::fromInviteResponse(parsed(message), kDevice));
    }

    void byeFromDeviceMatches()
    {
        auto dialog = Dialog::fromInviteResponse(parsed(kOk), kDevice);
        QVERIFY(dialog);
        const SipMessage bye = parsed(byeFromDevice("5120887733@10.10.0.5", "1320543101", "7d2a91c4", 1));
        QVERIFY(dialog->matches(bye));
        QCOMPARE(DialogId::ofIncomingRequest(bye), dialog->id());
        QVERIFY(!dialog->matches(parsed(byeFromDevice("other@10.10.0.5", "1320543101", "7d2a91c4", 1))));
        QVERIFY(!dialog->matches(parsed(byeFromDevice("5120887733@10.10.0.5", "999", "7d2a91c4", 1))));
        QVERIFY(!dialog->matches(parsed(byeFromDevice("5120887733@10.10.0.5", "1320543101", "999", 1))));

        // The registrar keeps dialogs in a hash by id.
        QHash<DialogId, int> sessions;
        sessions.insert(dialog->id(), 42);
        QCOMPARE(sessions.value(DialogId::ofIncomingRequest(bye)), 42);
        QCOMPARE(sessions.value(DialogId::ofResponse(parsed(kOk))), 42);
        QVERIFY(dialog->matchesResponse(parsed(kOk)));
    }

    void remoteCSeqMustNotGoBack()
    {
        auto dialog = Dialog::fromInviteResponse(parsed(kOk), kDevice);
        QVERIFY(dialog);
        QCOMPARE(dialog->remoteCSeq(), 0u);
        QVERIFY(dialog->acceptRemoteCSeq(parsed(byeFromDevice("5120887733@10.10.0.5", "1320543101", "7d2a91c4", 10))));
        QVERIFY(!dialog->acceptRemoteCSeq(parsed(byeFromDevice("5120887733@10.10.0.5", "1320543101", "7d2a91c4", 9))));
        QVERIFY(dialog->acceptRemoteCSeq(parsed(byeFromDevice("5120887733@10.10.0.5", "1320543101", "7d2a91c4", 11))));
        QCOMPARE(dialog->remoteCSeq(), 11u);
    }

    void uasDialogFromInvite()
    {
        const QByteArray inviteBytes = "INVITE sip:34020000001370000001@10.10.0.5:5060 SIP/2.0\r\n"
                                       "Via: SIP/2.0/UDP 10.10.0.9:5060;rport;branch=z9hG4bKbroadcast\r\n"
                                       "From: <sip:34020000002000000001@3402000000>;tag=plat\r\n"
                                       "To: <sip:34020000001370000001@3402000000>\r\n"
                                       "Call-ID: talk-1\r\n"
                                       "CSeq: 20 INVITE\r\n"
                                       "Record-Route: <sip:proxy.example.com;lr>\r\n"
                                       "Contact: <sip:34020000002000000001@10.10.0.9:5060>\r\n"
                                       "Content-Length: 0\r\n\r\n";
        const SipMessage invite = parsed(inviteBytes);
        const Peer platform{QHostAddress(u"10.10.0.9"_s), 5060, TransportKind::Tcp, 12, 0};
        auto dialog = Dialog::fromInviteRequest(invite, "cam-1", platform);
        QVERIFY(dialog);
        QCOMPARE(dialog->role(), Dialog::Role::Uas);
        QCOMPARE(dialog->id().localTag, "cam-1"_ba);
        QCOMPARE(dialog->id().remoteTag, "plat"_ba);
        QCOMPARE(dialog->remoteCSeq(), 20u);
        QCOMPARE(dialog->routeSet(), QList<QByteArray>{"<sip:proxy.example.com;lr>"_ba}); // not reversed

        const SipMessage bye = onTheWire(dialog->request(Method::Bye));
        QCOMPARE(bye.requestUriText().toByteArray(), "sip:34020000002000000001@10.10.0.9:5060"_ba);
        QCOMPARE(bye.from().tag().toByteArray(), "cam-1"_ba);
        QCOMPARE(bye.from().uri.text.toByteArray(), "sip:34020000001370000001@3402000000"_ba);
        QCOMPARE(bye.to().tag().toByteArray(), "plat"_ba);
        QCOMPARE(bye.cseq().number, 1u);
        QCOMPARE(bye.headerValues(HeaderId::Route).size(), std::size_t(1));

        // The platform's BYE in this dialog: From = platform (remote), To = us (local).
        QByteArray platformBye = inviteBytes;
        platformBye.replace("INVITE sip", "BYE sip").replace("20 INVITE", "21 BYE");
        platformBye.replace("To: <sip:34020000001370000001@3402000000>", "To: <sip:34020000001370000001@3402000000>;tag=cam-1");
        QVERIFY(dialog->matches(parsed(platformBye)));
        QVERIFY(!dialog->matches(invite)); // the INVITE itself has no To tag yet
        QVERIFY(!Dialog::fromInviteRequest(invite, {}, platform));
    }
};

QTEST_GUILESS_MAIN(TestDialog)
#include "tst_dialog.moc"
