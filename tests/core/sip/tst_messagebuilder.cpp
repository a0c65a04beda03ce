// MessageBuilder: canonical output byte for byte, responses per RFC 3261 §8.2.6, received/rport
// stamping per RFC 3261 §18.2.1 and RFC 3581, and parse -> copyOf -> serialise round trips.

#include "sip/messagebuilder.h"
#include "sip/sipmessage.h"
#include "siptestutil.h"

#include <QHostAddress>
#include <QTest>

using namespace Vigil;
using namespace Vigil::Sip;
using namespace Vigil::Sip::Test;
using namespace Qt::StringLiterals;

namespace {

SipMessage parsed(QByteArrayView bytes)
{
    auto message = SipMessage::parse(bytes);
    if (!message)
        qFatal("fixture does not parse: %s", qPrintable(message.error().message));
    return *message;
}

// A keepalive that went through two proxies, with headers a response must not copy.
const char kProxiedKeepalive[] = "MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\n"
                                 "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKproxy2, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKproxy1\n"
                                 "Record-Route: <sip:10.0.0.2;lr>\n"
                                 "v: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK401718733\n"
                                 "To: <sip:34020000002000000001@3402000000>\n"
                                 "From: \"IPC\" <sip:34020000001320000001@3402000000>;tag=1540385633\n"
                                 "Call-ID: 1270981113@192.168.1.64\n"
                                 "CSeq: 20 MESSAGE\n"
                                 "Contact: <sip:34020000001320000001@192.168.1.64:5060>\n"
                                 "Content-Type: Application/MANSCDP+xml\n"
                                 "Max-Forwards: 68\n"
                                 "User-Agent: IP Camera\n"
                                 "Content-Length: 169\n"
                                 "\n";

} // namespace

class TestMessageBuilder : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void canonicalForm()
    {
        // LF line ends, compact and lower-case names, a list on one line, folding, stray
        // spaces and a wrong Content-Length in; one canonical form out.
        const SipMessage m = parsed("MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\n"
                                    "v: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1 ,SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK2\n"
                                    "f: <sip:34020000001320000001@3402000000>;tag=1\n"
                                    "t:   <sip:34020000002000000001@3402000000>\n"
                                    "i: 77\n"
                                    "cseq: 4 MESSAGE\n"
                                    "c: Application/MANSCDP+xml\n"
                                    "x-gb-ver: 3.0\n"
                                    "X-Custom:   hello  \n"
                                    "Subject: a, \n"
                                    "\t b\n"
                                    "l: 0\n"
                                    "\n"
                                    "hello");
        QVERIFY(m.bodyLengthMismatch());
        const QByteArray expected = "MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\r\n"
                                    "Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1\r\n"
                                    "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK2\r\n"
                                    "From: <sip:34020000001320000001@3402000000>;tag=1\r\n"
                                    "To: <sip:34020000002000000001@3402000000>\r\n"
                                    "Call-ID: 77\r\n"
                                    "CSeq: 4 MESSAGE\r\n"
                                    "Content-Type: Application/MANSCDP+xml\r\n"
                                    "X-GB-Ver: 3.0\r\n"
                                    "X-Custom: hello\r\n"
                                    "Subject: a, b\r\n"
                                    "Content-Length: 5\r\n"
                                    "\r\n"
                                    "hello";
        QCOMPARE(MessageBuilder::copyOf(m).serialize(), expected);
        // Canonical text is a fixed point.
        QCOMPARE(MessageBuilder::copyOf(parsed(expected)).serialize(), expected);
    }

    void request()
    {
        const QByteArray out = MessageBuilder::request(Method::Message, "sip:34020000001320000001@3402000000")
                                   .add(HeaderId::Via, "SIP/2.0/UDP 192.168.1.10:5060;rport;branch=z9hG4bK42")
                                   .add(HeaderId::From, "<sip:34020000002000000001@3402000000>;tag=9")
                                   .add(HeaderId::To, "<sip:34020000001320000001@3402000000>")
                                   .add(HeaderId::CallId, "q1")
                                   .add(HeaderId::CSeq, "1 MESSAGE")
                                   .add(HeaderId::MaxForwards, "70")
                                   .add("x-gb-ver", "2.0")
                                   .add("X-Vendor", "v")
                                   .add(HeaderId::ContentLength, "999") // ignored: always computed
                                   .setBody(kKeepaliveXml, "Application/MANSCDP+xml")
                                   .serialize();
        const QByteArray expected = "MESSAGE sip:34020000001320000001@3402000000 SIP/2.0\r\n"
                                    "Via: SIP/2.0/UDP 192.168.1.10:5060;rport;branch=z9hG4bK42\r\n"
                                    "From: <sip:34020000002000000001@3402000000>;tag=9\r\n"
                                    "To: <sip:34020000001320000001@3402000000>\r\n"
                                    "Call-ID: q1\r\n"
                                    "CSeq: 1 MESSAGE\r\n"
                                    "Max-Forwards: 70\r\n"
                                    "X-GB-Ver: 2.0\r\n"
                                    "X-Vendor: v\r\n"
                                    "Content-Type: Application/MANSCDP+xml\r\n"
                                    "Content-Length: 169\r\n"
                                    "\r\n"_ba
            + kKeepaliveXml;
        QCOMPARE(out, expected);
        const SipMessage again = parsed(out);
        QCOMPARE(again.contentLength().value_or(0), 169u);
        QCOMPARE(b(again.body()), QByteArray(kKeepaliveXml));
    }

    void otherMethod()
    {
        const MessageBuilder builder = MessageBuilder::request(Method::Other, "sip:a@h", "NEWMETHOD");
        QVERIFY(builder.isRequest());
        QCOMPARE(builder.method(), Method::Other);
        QCOMPARE(builder.serialize(), "NEWMETHOD sip:a@h SIP/2.0\r\nContent-Length: 0\r\n\r\n"_ba);
    }

    void response()
    {
        MessageBuilder builder = MessageBuilder::response(486);
        QVERIFY(!builder.isRequest());
        QCOMPARE(builder.statusCode(), 486);
        QCOMPARE(builder.serialize(), "SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n\r\n"_ba);
        QCOMPARE(MessageBuilder::response(200, "\xe6\x88\x90\xe5\x8a\x9f").serialize(),
                 "SIP/2.0 200 \xe6\x88\x90\xe5\x8a\x9f\r\nContent-Length: 0\r\n\r\n"_ba);
        QCOMPARE(MessageBuilder::response(299).serialize(), "SIP/2.0 299 Unknown\r\nContent-Length: 0\r\n\r\n"_ba);
    }

    void responseTo()
    {
        const SipMessage request = parsed(QByteArray(crlf(kProxiedKeepalive) + kKeepaliveXml));
        const QByteArray out = MessageBuilder::responseTo(request, 200, "610934221").serialize();
        // Every Via in order, From, To with our tag, Call-ID, CSeq; nothing else.
        const QByteArray expected = "SIP/2.0 200 OK\r\n"
                                    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKproxy2\r\n"
                                    "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKproxy1\r\n"
                                    "Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK401718733\r\n"
                                    "To: <sip:34020000002000000001@3402000000>;tag=610934221\r\n"
                                    "From: \"IPC\" <sip:34020000001320000001@3402000000>;tag=1540385633\r\n"
                                    "Call-ID: 1270981113@192.168.1.64\r\n"
                                    "CSeq: 20 MESSAGE\r\n"
                                    "Content-Length: 0\r\n"
                                    "\r\n";
        QCOMPARE(out, expected);
        const SipMessage response = parsed(out);
        QCOMPARE(response.statusCode(), 200);
        QCOMPARE(b(response.to().tag()), "610934221"_ba);
        QCOMPARE(response.viaCount(), 3);
    }

    void responseToKeepsAnExistingTag()
    {
        QByteArray bytes = crlf(kProxiedKeepalive);
        bytes.replace("To: <sip:34020000002000000001@3402000000>", "To: <sip:34020000002000000001@3402000000>;tag=old");
        const SipMessage request = parsed(QByteArray(bytes + kKeepaliveXml));
        const MessageBuilder builder = MessageBuilder::responseTo(request, 481, "new");
        QCOMPARE(b(builder.header(HeaderId::To)), "<sip:34020000002000000001@3402000000>;tag=old"_ba);
        QVERIFY(builder.serialize().startsWith("SIP/2.0 481 Call/Transaction Does Not Exist\r\n"));
    }

    void responseToWithoutTag()
    {
        // 100 Trying carries no To tag.
        const SipMessage request = parsed(QByteArray(crlf(kProxiedKeepalive) + kKeepaliveXml));
        const MessageBuilder builder = MessageBuilder::responseTo(request, 100);
        QCOMPARE(b(builder.header(HeaderId::To)), "<sip:34020000002000000001@3402000000>"_ba);
        const MessageBuilder custom = MessageBuilder::responseTo(request, 400, "t", "Bad Keepalive");
        QVERIFY(custom.serialize().startsWith("SIP/2.0 400 Bad Keepalive\r\n"));
    }

    void responseToUnbracketedTo()
    {
        const SipMessage request = parsed(crlf("OPTIONS sip:h SIP/2.0\n"
                                               "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\n"
                                               "From: sip:a@h;tag=1\n"
                                               "To: sip:b@h\n"
                                               "Call-ID: x\n"
                                               "CSeq: 1 OPTIONS\n\n"));
        const SipMessage response = parsed(MessageBuilder::responseTo(request, 200, "t2").serialize());
        QCOMPARE(b(response.to().tag()), "t2"_ba);
        QCOMPARE(b(response.to().uri.user), "b"_ba);
    }

    void stampTopVia_data()
    {
        QTest::addColumn<QByteArray>("via");
        QTest::addColumn<QByteArray>("sourceIp");
        QTest::addColumn<int>("sourcePort");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("rport asked, NAT")
            << "SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1837420266"_ba << "198.51.100.23"_ba << 40122
            << "SIP/2.0/UDP 192.168.1.64:5060;rport=40122;branch=z9hG4bK1837420266;received=198.51.100.23"_ba;
        QTest::newRow("rport asked, same address")
            << "SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1"_ba << "192.168.1.64"_ba << 5060
            << "SIP/2.0/UDP 192.168.1.64:5060;rport=5060;branch=z9hG4bK1;received=192.168.1.64"_ba;
        QTest::newRow("rport last") << "SIP/2.0/UDP 192.168.1.64:5060;branch=z9hG4bK1;rport"_ba << "10.9.9.9"_ba << 7
                                    << "SIP/2.0/UDP 192.168.1.64:5060;branch=z9hG4bK1;rport=7;received=10.9.9.9"_ba;
        QTest::newRow("no rport, same host") << "SIP/2.0/UDP 192.168.1.64:5060;branch=z9hG4bK1"_ba
                                             << "192.168.1.64"_ba << 5060
                                             << "SIP/2.0/UDP 192.168.1.64:5060;branch=z9hG4bK1"_ba;
        QTest::newRow("no rport, other host") << "SIP/2.0/UDP 192.168.1.64:5060;branch=z9hG4bK1"_ba
                                              << "198.51.100.23"_ba << 40122
                                              << "SIP/2.0/UDP 192.168.1.64:5060;branch=z9hG4bK1;received=198.51.100.23"_ba;
        QTest::newRow("rport with a value") << "SIP/2.0/UDP 192.168.1.64:5060;rport=5060;branch=z9hG4bK1"_ba
                                            << "198.51.100.23"_ba << 40122
                                            << "SIP/2.0/UDP 192.168.1.64:5060;rport=40122;branch=z9hG4bK1;received=198.51.100.23"_ba;
        QTest::newRow("stale received") << "SIP/2.0/UDP 192.168.1.64;received=1.1.1.1;branch=z9hG4bK1"_ba
                                        << "198.51.100.23"_ba << 5060
                                        << "SIP/2.0/UDP 192.168.1.64;received=198.51.100.23;branch=z9hG4bK1"_ba;
        QTest::newRow("received already right") << "SIP/2.0/UDP 192.168.1.64;received=198.51.100.23;branch=z9hG4bK1"_ba
                                                << "198.51.100.23"_ba << 5060
                                                << "SIP/2.0/UDP 192.168.1.64;received=198.51.100.23;branch=z9hG4bK1"_ba;
        QTest::newRow("spaces kept") << "SIP/2.0/UDP 10.0.0.1 ; rport ; branch=z9hG4bK1"_ba << "10.9.9.9"_ba << 5062
                                     << "SIP/2.0/UDP 10.0.0.1 ; rport=5062 ; branch=z9hG4bK1;received=10.9.9.9"_ba;
        QTest::newRow("no params") << "SIP/2.0/UDP 10.0.0.1:5060"_ba << "10.9.9.9"_ba << 5062
                                   << "SIP/2.0/UDP 10.0.0.1:5060;received=10.9.9.9"_ba;
        QTest::newRow("domain") << "SIP/2.0/TCP cam.example.com;branch=z9hG4bK1"_ba << "10.1.1.1"_ba << 5000
                                << "SIP/2.0/TCP cam.example.com;branch=z9hG4bK1;received=10.1.1.1"_ba;
        QTest::newRow("IPv6, rport") << "SIP/2.0/UDP [2001:db8::9]:5060;rport;branch=z9hG4bK1"_ba << "2001:db8::10"_ba
                                     << 5062
                                     << "SIP/2.0/UDP [2001:db8::9]:5060;rport=5062;branch=z9hG4bK1;received=2001:db8::10"_ba;
        QTest::newRow("IPv6 in brackets") << "SIP/2.0/UDP [2001:db8::9];branch=z9hG4bK1"_ba << "[2001:db8::10]"_ba
                                          << 5062 << "SIP/2.0/UDP [2001:db8::9];branch=z9hG4bK1;received=2001:db8::10"_ba;
        QTest::newRow("IPv6, same host") << "SIP/2.0/UDP [2001:DB8::9];branch=z9hG4bK1"_ba << "2001:db8::9"_ba << 5060
                                         << "SIP/2.0/UDP [2001:DB8::9];branch=z9hG4bK1"_ba;
        QTest::newRow("IPv6, same host, other spelling")
            << "SIP/2.0/UDP [2001:db8:0:0::9];branch=z9hG4bK1"_ba << "2001:db8::9"_ba << 5060
            << "SIP/2.0/UDP [2001:db8:0:0::9];branch=z9hG4bK1"_ba;
    }

    void stampTopVia()
    {
        QFETCH(QByteArray, via);
        QFETCH(QByteArray, sourceIp);
        QFETCH(int, sourcePort);
        QFETCH(QByteArray, expected);
        // As part of a response to a parsed request (the top Via is already parsed) ...
        QByteArray bytes = crlf(kProxiedKeepalive) + kKeepaliveXml;
        bytes.replace("SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKproxy2", via);
        const SipMessage request = parsed(bytes);
        MessageBuilder response = MessageBuilder::responseTo(request, 200, "t");
        response.stampTopVia(sourceIp, std::uint16_t(sourcePort));
        QCOMPARE(b(response.header(HeaderId::Via)), expected);
        const SipMessage again = parsed(response.serialize());
        const auto vias = again.headerValues(HeaderId::Via);
        QCOMPARE(vias.size(), 3u);
        QCOMPARE(b(vias[0]), expected);
        QCOMPARE(b(vias[1]), "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKproxy1"_ba); // untouched
        // ... and on a builder filled by hand.
        MessageBuilder manual = MessageBuilder::response(200);
        manual.add(HeaderId::Via, via).add(HeaderId::Via, "SIP/2.0/UDP 10.0.0.1;rport");
        manual.stampTopVia(sourceIp, std::uint16_t(sourcePort));
        QCOMPARE(b(manual.header(HeaderId::Via)), expected);
        // Stamping twice changes nothing more.
        manual.stampTopVia(sourceIp, std::uint16_t(sourcePort));
        QCOMPARE(b(manual.header(HeaderId::Via)), expected);
    }

    void stampTopViaAfterChanges()
    {
        // A Via prepended after responseTo() is the new top Via.
        const SipMessage request = parsed(QByteArray(crlf(kProxiedKeepalive) + kKeepaliveXml));
        MessageBuilder builder = MessageBuilder::responseTo(request, 200, "t");
        builder.prepend(HeaderId::Via, "SIP/2.0/UDP 10.5.5.5;rport");
        builder.stampTopVia("10.6.6.6", 99);
        QCOMPARE(b(builder.header(HeaderId::Via)), "SIP/2.0/UDP 10.5.5.5;rport=99;received=10.6.6.6"_ba);
        builder.set(HeaderId::Via, "SIP/2.0/UDP 10.7.7.7");
        builder.stampTopVia("10.7.7.7", 99);
        QCOMPARE(b(builder.header(HeaderId::Via)), "SIP/2.0/UDP 10.7.7.7"_ba);
        builder.remove(HeaderId::Via);
        builder.stampTopVia("10.7.7.7", 99); // no Via: nothing to do
        QVERIFY(builder.header(HeaderId::Via).isNull());
    }

    void stampTopViaHostAddress()
    {
        // Dual-stack sockets report IPv4 peers as ::ffff:a.b.c.d; received wants a.b.c.d.
        const SipMessage request = parsed(QByteArray(crlf(kProxiedKeepalive) + kKeepaliveXml));
        MessageBuilder builder = MessageBuilder::responseTo(request, 200, "t");
        builder.stampTopVia(QHostAddress(u"::ffff:198.51.100.23"_s), 40122);
        QCOMPARE(b(builder.header(HeaderId::Via)),
                 "SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKproxy2;received=198.51.100.23"_ba);
        MessageBuilder v6 = MessageBuilder::response(200);
        v6.add(HeaderId::Via, "SIP/2.0/UDP [2001:db8::9];rport");
        v6.stampTopVia(QHostAddress(u"2001:db8::10"_s), 5062);
        QCOMPARE(b(v6.header(HeaderId::Via)), "SIP/2.0/UDP [2001:db8::9];rport=5062;received=2001:db8::10"_ba);
    }

    void editing()
    {
        MessageBuilder builder = MessageBuilder::response(200);
        builder.add(HeaderId::Contact, "<sip:a@h>")
            .add(HeaderId::Contact, "<sip:b@h>")
            .add(HeaderId::Expires, "3600")
            .prepend(HeaderId::Via, "SIP/2.0/UDP h;branch=z9hG4bK1");
        QCOMPARE(b(builder.header(HeaderId::Contact)), "<sip:a@h>"_ba);
        builder.set(HeaderId::Contact, "<sip:c@h>");
        builder.set(HeaderId::Date, "2024-05-20T08:00:03.512");
        builder.remove(HeaderId::Expires);
        builder.setBody("x", "text/plain");
        QCOMPARE(b(builder.body()), "x"_ba);
        QCOMPARE(builder.serialize(), "SIP/2.0 200 OK\r\n"
                                      "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                                      "Contact: <sip:c@h>\r\n"
                                      "Date: 2024-05-20T08:00:03.512\r\n"
                                      "Content-Type: text/plain\r\n"
                                      "Content-Length: 1\r\n"
                                      "\r\n"
                                      "x"_ba);
        builder.setBody({});
        QVERIFY(builder.serialize().endsWith("Content-Type: text/plain\r\nContent-Length: 0\r\n\r\n"));
    }

    void serializeTo()
    {
        const SipMessage request = parsed(QByteArray(crlf(kProxiedKeepalive) + kKeepaliveXml));
        const MessageBuilder builder = MessageBuilder::responseTo(request, 200, "t");
        QByteArray out = "previous bytes|";
        builder.serializeTo(out);
        QCOMPARE(out, "previous bytes|"_ba + builder.serialize());
        builder.serializeTo(out);
        QCOMPARE(out, "previous bytes|"_ba + builder.serialize() + builder.serialize());
    }

    void defaultReason_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QByteArray>("reason");
        QTest::newRow("100") << 100 << "Trying"_ba;
        QTest::newRow("200") << 200 << "OK"_ba;
        QTest::newRow("400") << 400 << "Bad Request"_ba;
        QTest::newRow("401") << 401 << "Unauthorized"_ba;
        QTest::newRow("403") << 403 << "Forbidden"_ba;
        QTest::newRow("404") << 404 << "Not Found"_ba;
        QTest::newRow("423") << 423 << "Interval Too Brief"_ba;
        QTest::newRow("481") << 481 << "Call/Transaction Does Not Exist"_ba;
        QTest::newRow("483") << 483 << "Too Many Hops"_ba;
        QTest::newRow("500") << 500 << "Server Internal Error"_ba;
        QTest::newRow("503") << 503 << "Service Unavailable"_ba;
        QTest::newRow("504") << 504 << "Server Time-out"_ba;
        QTest::newRow("603") << 603 << "Decline"_ba;
        QTest::newRow("unknown") << 299 << "Unknown"_ba;
    }

    void defaultReason()
    {
        QFETCH(int, code);
        QFETCH(QByteArray, reason);
        QCOMPARE(b(MessageBuilder::defaultReason(code)), reason);
    }

    void copyOfRoundTrip_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("proxied keepalive") << crlf(kProxiedKeepalive) + kKeepaliveXml;
        QTest::newRow("challenge")
            << crlf("SIP/2.0 401 Unauthorized\n"
                    "Via: SIP/2.0/UDP 192.168.1.64:5060;rport=40122;received=198.51.100.23;branch=z9hG4bK1837420266\n"
                    "From: <sip:34020000001320000001@3402000000>;tag=1109863470\n"
                    "To: <sip:34020000001320000001@3402000000>;tag=610934221\n"
                    "Call-ID: 2082571306\n"
                    "CSeq: 1 REGISTER\n"
                    "WWW-Authenticate: Digest realm=\"3402000000\",nonce=\"9bd055a2b1c3e4f5a6b7c8d9e0f1a2b3\",algorithm=MD5,qop=\"auth\"\n"
                    "Content-Length: 0\n\n");
        QTest::newRow("compact, LF, Chinese")
            << "INVITE sip:34020000001320000001@3402000000 SIP/2.0\n"
               "v: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\n"
               "f: \xe5\xb9\xb3\xe5\x8f\xb0 <sip:34020000002000000001@3402000000>;tag=1\n"
               "t: <sip:34020000001320000001@3402000000>\n"
               "i: abc\n"
               "CSeq: 1 INVITE\n"
               "s: 34020000001320000001:0,34020000002000000001:0\n"
               "m: <sip:34020000002000000001@10.0.0.1:5060>\n"
               "Allow: INVITE, ACK,BYE\n"
               "c: APPLICATION/SDP\n\n"
               "v=0\r\no=- 0 0 IN IP4 10.0.0.1\r\n"_ba;
    }

    void copyOfRoundTrip()
    {
        QFETCH(QByteArray, bytes);
        const SipMessage original = parsed(bytes);
        const QByteArray canonical = MessageBuilder::copyOf(original).serialize();
        const SipMessage again = parsed(canonical);
        QCOMPARE(again.isRequest(), original.isRequest());
        QCOMPARE(b(again.methodText()), b(original.methodText()));
        QCOMPARE(b(again.requestUriText()), b(original.requestUriText()));
        QCOMPARE(again.statusCode(), original.statusCode());
        QCOMPARE(b(again.reasonPhrase()), b(original.reasonPhrase()));
        QCOMPARE(b(again.body()), b(original.body()));
        QList<QByteArray> before, after;
        for (const HeaderField &field : original.headers()) {
            if (field.id != HeaderId::ContentLength)
                before << (field.id == HeaderId::Other ? field.name.toByteArray() : canonicalHeaderName(field.id).toByteArray()) + ": " + b(field.value);
        }
        for (const HeaderField &field : again.headers()) {
            if (field.id != HeaderId::ContentLength)
                after << b(field.name) + ": " + b(field.value);
        }
        QCOMPARE(after, before);
        QCOMPARE(again.contentLength().value_or(~0u), std::uint32_t(original.body().size()));
        QCOMPARE(MessageBuilder::copyOf(again).serialize(), canonical);
    }
};

QTEST_GUILESS_MAIN(TestMessageBuilder)
#include "tst_messagebuilder.moc"
