// SipMessage::parse() and the value types it hands out (UriView, NameAddrView, ViaView), on
// hand-written messages: the GB/T 28181 examples, the sloppiness real devices show (compact and
// lower-case names, folding, LF line ends, unquoted Chinese display names, lying Content-Length)
// and the mistakes RFC 3261 / RFC 4475 want rejected.

#include "sip/sipmessage.h"
#include "siptestutil.h"

#include <QTest>

using namespace Vigil;
using namespace Vigil::Sip;
using namespace Vigil::Sip::Test;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Vigil::Sip::HeaderId)
Q_DECLARE_METATYPE(Vigil::Sip::Framing)

namespace {

QString errorOf(const Result<SipMessage> &message)
{
    return message ? QString() : message.error().message;
}

/// A small valid request; `extra` are more header lines ("Name: value\n"), `body` follows the
/// empty line. No Content-Length unless `extra` has one.
QByteArray request(QByteArrayView extra = {}, QByteArrayView body = {})
{
    QByteArray text = "MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\n"
                      "Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK401718733\n"
                      "From: <sip:34020000001320000001@3402000000>;tag=1540385633\n"
                      "To: <sip:34020000002000000001@3402000000>\n"
                      "Call-ID: 1270981113\n"
                      "CSeq: 20 MESSAGE\n";
    text += extra.toByteArray();
    text += "\n";
    return crlf(text) + body.toByteArray();
}

// GB/T 28181 examples (docs/gb28181.md §2.2, §2.3, §2.5, §3), typed in as printed there.

const char kGbRegister[] = "REGISTER sip:34020000002000000001@3402000000 SIP/2.0\n"
                           "Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1837420266\n"
                           "From: <sip:34020000001320000001@3402000000>;tag=1109863470\n"
                           "To: <sip:34020000001320000001@3402000000>\n"
                           "Call-ID: 2082571306\n"
                           "CSeq: 1 REGISTER\n"
                           "Contact: <sip:34020000001320000001@192.168.1.64:5060>\n"
                           "Max-Forwards: 70\n"
                           "User-Agent: IP Camera\n"
                           "Expires: 3600\n"
                           "Content-Length: 0\n"
                           "\n";

const char kGbChallenge[] = "SIP/2.0 401 Unauthorized\n"
                            "Via: SIP/2.0/UDP 192.168.1.64:5060;rport=40122;received=198.51.100.23;branch=z9hG4bK1837420266\n"
                            "From: <sip:34020000001320000001@3402000000>;tag=1109863470\n"
                            "To: <sip:34020000001320000001@3402000000>;tag=610934221\n"
                            "Call-ID: 2082571306\n"
                            "CSeq: 1 REGISTER\n"
                            "WWW-Authenticate: Digest realm=\"3402000000\",nonce=\"9bd055a2b1c3e4f5a6b7c8d9e0f1a2b3\",algorithm=MD5,qop=\"auth\"\n"
                            "Content-Length: 0\n"
                            "\n";

const char kGbSuccess[] = "SIP/2.0 200 OK\n"
                          "Via: SIP/2.0/UDP 192.168.1.64:5060;rport=40122;received=198.51.100.23;branch=z9hG4bK2139826125\n"
                          "From: <sip:34020000001320000001@3402000000>;tag=1109863470\n"
                          "To: <sip:34020000001320000001@3402000000>;tag=610934221\n"
                          "Call-ID: 2082571306\n"
                          "CSeq: 2 REGISTER\n"
                          "Contact: <sip:34020000001320000001@192.168.1.64:5060>\n"
                          "Expires: 3600\n"
                          "Date: 2024-05-20T08:00:03.512\n"
                          "Content-Length: 0\n"
                          "\n";

const char kGbKeepalive[] = "MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\n"
                            "Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK401718733\n"
                            "From: <sip:34020000001320000001@3402000000>;tag=1540385633\n"
                            "To: <sip:34020000002000000001@3402000000>\n"
                            "Call-ID: 1270981113\n"
                            "CSeq: 20 MESSAGE\n"
                            "Content-Type: Application/MANSCDP+xml\n"
                            "Max-Forwards: 70\n"
                            "User-Agent: IP Camera\n"
                            "Content-Length: 169\n"
                            "\n"
                            "<?xml version=\"1.0\" encoding=\"GB2312\"?>\n"
                            "<Notify>\n"
                            "<CmdType>Keepalive</CmdType>\n"
                            "<SN>43</SN>\n"
                            "<DeviceID>34020000001320000001</DeviceID>\n"
                            "<Status>OK</Status>\n"
                            "</Notify>\n";

} // namespace

class TestSipMessage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // --- GB/T 28181 examples --------------------------------------------------------------

    void gbFirstRegister()
    {
        const auto m = SipMessage::parse(crlf(kGbRegister));
        QVERIFY2(m, qPrintable(errorOf(m)));
        QVERIFY(m->isRequest());
        QCOMPARE(m->method(), Method::Register);
        QCOMPARE(b(m->methodText()), "REGISTER"_ba);
        QCOMPARE(b(m->requestUriText()), "sip:34020000002000000001@3402000000"_ba);
        QCOMPARE(b(m->requestUri().user), "34020000002000000001"_ba);
        QCOMPARE(b(m->requestUri().host), "3402000000"_ba);
        QCOMPARE(b(m->topVia().transport), "UDP"_ba);
        QCOMPARE(b(m->topVia().host), "192.168.1.64"_ba);
        QCOMPARE(m->topVia().port, 5060);
        QCOMPARE(m->topVia().rport, 0);
        QCOMPARE(b(m->topVia().branch), "z9hG4bK1837420266"_ba);
        QVERIFY(m->topVia().hasRfc3261Branch());
        QVERIFY(m->topVia().received.isEmpty());
        // The device ID is the user part of From.
        QCOMPARE(b(m->from().uri.user), "34020000001320000001"_ba);
        QCOMPARE(b(m->from().tag()), "1109863470"_ba);
        QVERIFY(m->to().tag().isEmpty());
        QCOMPARE(b(m->callId()), "2082571306"_ba);
        QCOMPARE(m->cseq().number, 1u);
        QCOMPARE(m->cseq().method, Method::Register);
        const auto contacts = m->contacts();
        QCOMPARE(contacts.size(), 1u);
        QCOMPARE(b(contacts[0].uri.host), "192.168.1.64"_ba);
        QCOMPARE(contacts[0].uri.port, 5060);
        QCOMPARE(m->maxForwards().value_or(~0u), 70u);
        QCOMPARE(b(m->header(HeaderId::UserAgent)), "IP Camera"_ba);
        QCOMPARE(m->expires().value_or(~0u), 3600u);
        QCOMPARE(m->contentLength().value_or(~0u), 0u);
        QVERIFY(m->body().isEmpty());
        QVERIFY(!m->bodyLengthMismatch());
        QCOMPARE(m->headers().size(), 10u);
        QCOMPARE(m->viaCount(), 1);
    }

    void gbChallenge()
    {
        const auto m = SipMessage::parse(crlf(kGbChallenge));
        QVERIFY2(m, qPrintable(errorOf(m)));
        QVERIFY(m->isResponse());
        QCOMPARE(m->statusCode(), 401);
        QCOMPARE(b(m->reasonPhrase()), "Unauthorized"_ba);
        QCOMPARE(m->topVia().rport, 40122);
        QCOMPARE(b(m->topVia().received), "198.51.100.23"_ba);
        QCOMPARE(b(m->to().tag()), "610934221"_ba);
        // Digest parameters are separated by commas but WWW-Authenticate is not a list.
        QCOMPARE(m->headerValues(HeaderId::WwwAuthenticate).size(), 1u);
        QCOMPARE(b(m->header(HeaderId::WwwAuthenticate)),
                 "Digest realm=\"3402000000\",nonce=\"9bd055a2b1c3e4f5a6b7c8d9e0f1a2b3\",algorithm=MD5,qop=\"auth\""_ba);
    }

    void gbSuccess()
    {
        const auto m = SipMessage::parse(crlf(kGbSuccess));
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(m->statusCode(), 200);
        QCOMPARE(b(m->reasonPhrase()), "OK"_ba);
        QCOMPARE(m->cseq().number, 2u);
        QCOMPARE(m->expires().value_or(~0u), 3600u);
        QCOMPARE(b(m->header(HeaderId::Date)), "2024-05-20T08:00:03.512"_ba);
        QCOMPARE(m->contacts().size(), 1u);
    }

    void gbKeepalive()
    {
        const auto m = SipMessage::parse(crlf(kGbKeepalive));
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(m->method(), Method::Message);
        QCOMPARE(b(m->contentType()), "Application/MANSCDP+xml"_ba);
        QCOMPARE(m->contentLength().value_or(~0u), 169u);
        QCOMPARE(b(m->body()), QByteArray(kKeepaliveXml));
        QVERIFY(!m->bodyLengthMismatch());
        QVERIFY(!m->expires());
    }

    void gbFieldVariations()
    {
        // §2.2: Request-URI with the server's IP:port, From/To with the device IP, no rport, a
        // Route from a Dahua NVR, X-GB-Ver from a 2022 device.
        const auto m = SipMessage::parse(crlf("REGISTER sip:34020000002000000001@192.168.1.10:5060 SIP/2.0\n"
                                              "Via: SIP/2.0/UDP 192.168.1.64:5060;branch=z9hG4bK1\n"
                                              "Route: <sip:34020000002000000001@192.168.1.10:5060;lr>\n"
                                              "From: <sip:34020000001320000001@192.168.1.64:5060>;tag=7\n"
                                              "To: <sip:34020000001320000001@192.168.1.64:5060>\n"
                                              "Call-ID: 99\n"
                                              "CSeq: 1 REGISTER\n"
                                              "X-GB-Ver: 3.0\n"
                                              "Content-Length: 0\n\n"));
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(b(m->requestUri().host), "192.168.1.10"_ba);
        QCOMPARE(m->requestUri().port, 5060);
        QCOMPARE(m->topVia().rport, -1);
        QCOMPARE(b(m->from().uri.user), "34020000001320000001"_ba);
        QCOMPARE(b(m->from().uri.host), "192.168.1.64"_ba);
        QCOMPARE(b(m->header(HeaderId::XGbVer)), "3.0"_ba);
        QCOMPARE(b(m->header("x-gb-ver")), "3.0"_ba);
        QCOMPARE(b(m->header(HeaderId::Route)), "<sip:34020000002000000001@192.168.1.10:5060;lr>"_ba);
    }

    // --- header names ---------------------------------------------------------------------

    void compactForms_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<HeaderId>("id");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("m Contact") << "m: <sip:a@192.168.1.64>"_ba << HeaderId::Contact << "<sip:a@192.168.1.64>"_ba;
        QTest::newRow("e Content-Encoding") << "e: gzip"_ba << HeaderId::ContentEncoding << "gzip"_ba;
        QTest::newRow("l Content-Length") << "l: 0"_ba << HeaderId::ContentLength << "0"_ba;
        QTest::newRow("c Content-Type") << "c: Application/MANSCDP+xml"_ba << HeaderId::ContentType
                                        << "Application/MANSCDP+xml"_ba;
        QTest::newRow("k Supported") << "k: 100rel"_ba << HeaderId::Supported << "100rel"_ba;
        QTest::newRow("s Subject") << "s: 34020000001320000001:0,34020000002000000001:0"_ba << HeaderId::Subject
                                   << "34020000001320000001:0,34020000002000000001:0"_ba;
        QTest::newRow("o Event") << "o: Catalog;id=1"_ba << HeaderId::Event << "Catalog;id=1"_ba;
        QTest::newRow("u Allow-Events") << "u: presence"_ba << HeaderId::AllowEvents << "presence"_ba;
        QTest::newRow("upper-case C") << "C: text/plain"_ba << HeaderId::ContentType << "text/plain"_ba;
    }

    void compactForms()
    {
        QFETCH(QByteArray, line);
        QFETCH(HeaderId, id);
        QFETCH(QByteArray, value);
        const auto m = SipMessage::parse(request(QByteArray(line + "\n")));
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(b(m->header(id)), value);
        QCOMPARE(headerIdFromName(line.first(1)), id);
        QCOMPARE(b(m->headers().back().name), line.first(1));
    }

    void compactCoreHeaders()
    {
        // i, f, t, v (and l) carry what every message needs.
        const auto m = SipMessage::parse(crlf("MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\n"
                                              "v: SIP/2.0/UDP 192.168.1.64:5060;branch=z9hG4bK1\n"
                                              "f: <sip:34020000001320000001@3402000000>;tag=1\n"
                                              "t: <sip:34020000002000000001@3402000000>\n"
                                              "i: abc@192.168.1.64\n"
                                              "CSeq: 3 MESSAGE\n"
                                              "l: 2\n\nok"));
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(b(m->topVia().host), "192.168.1.64"_ba);
        QCOMPARE(b(m->from().uri.user), "34020000001320000001"_ba);
        QCOMPARE(b(m->to().uri.user), "34020000002000000001"_ba);
        QCOMPARE(b(m->callId()), "abc@192.168.1.64"_ba);
        QCOMPARE(b(m->body()), "ok"_ba);
        QCOMPARE(b(m->header("Call-ID")), "abc@192.168.1.64"_ba);
        QCOMPARE(b(m->header("i")), "abc@192.168.1.64"_ba);
    }

    void caseInsensitiveNames()
    {
        const auto m = SipMessage::parse(crlf("MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\n"
                                              "VIA: SIP/2.0/udp 192.168.1.64:5060;BRANCH=z9hG4bK1;RPort\n"
                                              "fRoM: <sip:34020000001320000001@3402000000>;TAG=1\n"
                                              "to: <sip:34020000002000000001@3402000000>\n"
                                              "call-id: 5\n"
                                              "cseq: 3 MESSAGE\n"
                                              "CONTENT-LENGTH: 0\n"
                                              "max-forwards: 70\n"
                                              "x-gb-VER: 2.0\n\n"));
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(b(m->topVia().branch), "z9hG4bK1"_ba);
        QCOMPARE(m->topVia().rport, 0);
        QCOMPARE(b(m->topVia().transport), "udp"_ba);
        QCOMPARE(b(m->from().tag()), "1"_ba);
        QCOMPARE(b(m->callId()), "5"_ba);
        QCOMPARE(m->maxForwards().value_or(~0u), 70u);
        QCOMPARE(b(m->header(HeaderId::XGbVer)), "2.0"_ba);
        QCOMPARE(b(m->header("X-GB-Ver")), "2.0"_ba);
        // The name stays as written.
        QCOMPARE(b(m->headers().at(1).name), "fRoM"_ba);
    }

    void headerNameLookup_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<HeaderId>("id");
        QTest::newRow("Via") << "Via"_ba << HeaderId::Via;
        QTest::newRow("v") << "v"_ba << HeaderId::Via;
        QTest::newRow("CALL-ID") << "CALL-ID"_ba << HeaderId::CallId;
        QTest::newRow("www-authenticate") << "www-authenticate"_ba << HeaderId::WwwAuthenticate;
        QTest::newRow("Proxy-Authorization") << "Proxy-Authorization"_ba << HeaderId::ProxyAuthorization;
        QTest::newRow("Subscription-State") << "subscription-state"_ba << HeaderId::SubscriptionState;
        QTest::newRow("X-GB-Ver") << "X-GB-Ver"_ba << HeaderId::XGbVer;
        QTest::newRow("Record-Route") << "record-route"_ba << HeaderId::RecordRoute;
        QTest::newRow("unknown") << "Monitor-User-Identity"_ba << HeaderId::Other;
        QTest::newRow("prefix of a name") << "Cont"_ba << HeaderId::Other;
        QTest::newRow("longer than a name") << "Via-"_ba << HeaderId::Other;
        QTest::newRow("unknown letter") << "z"_ba << HeaderId::Other;
        QTest::newRow("near miss, last letter") << "Call-IE"_ba << HeaderId::Other;
        QTest::newRow("near miss, inside") << "Contakt"_ba << HeaderId::Other;
        QTest::newRow("near miss, hyphen") << "Call_ID"_ba << HeaderId::Other;
        QTest::newRow("near miss, CR for hyphen") << "Call\rID"_ba << HeaderId::Other;
        QTest::newRow("near miss, long") << "Proxy-Authorizatiom"_ba << HeaderId::Other;
        QTest::newRow("near miss, short") << "Tp"_ba << HeaderId::Other;
        QTest::newRow("mixed case, long") << "pROXY-aUTHORIZATION"_ba << HeaderId::ProxyAuthorization;
        QTest::newRow("empty") << QByteArray() << HeaderId::Other;
    }

    void headerNameLookup()
    {
        QFETCH(QByteArray, name);
        QFETCH(HeaderId, id);
        QCOMPARE(headerIdFromName(name), id);
        if (id != HeaderId::Other && name.size() > 1)
            QCOMPARE(headerIdFromName(canonicalHeaderName(id)), id);
    }

    void everyCanonicalNameRoundTrips()
    {
        for (int i = 1; i < int(HeaderId::Count_); ++i) {
            const auto id = HeaderId(i);
            const QByteArrayView name = canonicalHeaderName(id);
            QVERIFY2(!name.isEmpty(), qPrintable(QString::number(i)));
            QCOMPARE(headerIdFromName(name), id);
            QCOMPARE(headerIdFromName(name.toByteArray().toUpper()), id);
            QCOMPARE(headerIdFromName(name.toByteArray().toLower()), id);
        }
    }

    // --- lists ----------------------------------------------------------------------------

    void listHeadersSplit()
    {
        const auto m = SipMessage::parse(request("Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK2 , SIP/2.0/TCP [2001:db8::1]:5070;branch=z9hG4bK3\n"
                                                 "Contact: <sip:a@10.0.0.1>;expires=60, \"Doe, John\" <sip:b@10.0.0.2>, <sip:c@h?subject=a,b>\n"
                                                 "Supported: 100rel,timer , path\n"
                                                 "Allow: INVITE, ACK, MESSAGE\n"
                                                 "Route: <sip:p1;lr>, <sip:p2;lr>\n"));
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(m->viaCount(), 3);
        const auto vias = m->headerValues(HeaderId::Via);
        QCOMPARE(b(vias[1]), "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK2"_ba);
        QCOMPARE(b(vias[2]), "SIP/2.0/TCP [2001:db8::1]:5070;branch=z9hG4bK3"_ba);
        QCOMPARE(b(m->topVia().branch), "z9hG4bK401718733"_ba); // the first line's
        const auto contacts = m->contacts();
        QCOMPARE(contacts.size(), 3u);
        QCOMPARE(b(*contacts[0].param("expires")), "60"_ba);
        QCOMPARE(b(contacts[1].displayName), "\"Doe, John\""_ba);
        QCOMPARE(b(contacts[2].uri.headers), "subject=a,b"_ba);
        const auto supported = m->headerValues(HeaderId::Supported);
        QCOMPARE(supported.size(), 3u);
        QCOMPARE(b(supported[1]), "timer"_ba);
        QCOMPARE(m->headerValues(HeaderId::Allow).size(), 3u);
        QCOMPARE(m->headerValues(HeaderId::Route).size(), 2u);
    }

    void listWithGbkDisplayNames()
    {
        // A quoted GBK name ending in a 0x5C byte must not swallow its closing quote.
        const auto m = SipMessage::parse(request("Contact: \"\x81\x5c\" <sip:a@10.0.0.1>, \xc3\xc5\x81\x5c <sip:b@10.0.0.2>\n"));
        QVERIFY2(m, qPrintable(errorOf(m)));
        const auto contacts = m->contacts();
        QCOMPARE(contacts.size(), 2u);
        QCOMPARE(b(contacts[0].uri.user), "a"_ba);
        QCOMPARE(b(contacts[1].displayName), "\xc3\xc5\x81\x5c"_ba);
    }

    void nonListHeadersKeepCommas_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<HeaderId>("id");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("Authorization")
            << "Authorization: Digest username=\"34020000001320000001\", realm=\"3402000000\", nonce=\"ab\", "
               "uri=\"sip:34020000002000000001@3402000000\", response=\"db35\", algorithm=MD5"_ba
            << HeaderId::Authorization
            << "Digest username=\"34020000001320000001\", realm=\"3402000000\", nonce=\"ab\", "
               "uri=\"sip:34020000002000000001@3402000000\", response=\"db35\", algorithm=MD5"_ba;
        QTest::newRow("WWW-Authenticate") << "WWW-Authenticate: Digest realm=\"x\", nonce=\"y\", qop=\"auth,auth-int\""_ba
                                          << HeaderId::WwwAuthenticate
                                          << "Digest realm=\"x\", nonce=\"y\", qop=\"auth,auth-int\""_ba;
        QTest::newRow("Proxy-Authenticate") << "Proxy-Authenticate: Digest realm=\"x\", nonce=\"y\""_ba
                                            << HeaderId::ProxyAuthenticate << "Digest realm=\"x\", nonce=\"y\""_ba;
        QTest::newRow("Date") << "Date: Sat, 13 Nov 2010 23:29:00 GMT"_ba << HeaderId::Date
                              << "Sat, 13 Nov 2010 23:29:00 GMT"_ba;
        QTest::newRow("Subject") << "Subject: 34020000001320000001:0,34020000002000000001:0"_ba << HeaderId::Subject
                                 << "34020000001320000001:0,34020000002000000001:0"_ba;
        QTest::newRow("unknown") << "X-Vendor: a, b, c"_ba << HeaderId::Other << "a, b, c"_ba;
    }

    void nonListHeadersKeepCommas()
    {
        QFETCH(QByteArray, line);
        QFETCH(HeaderId, id);
        QFETCH(QByteArray, value);
        const auto m = SipMessage::parse(request(QByteArray(line + "\n")));
        QVERIFY2(m, qPrintable(errorOf(m)));
        const QByteArray name = line.first(line.indexOf(':'));
        QCOMPARE(b(m->header(name)), value);
        if (id != HeaderId::Other)
            QCOMPARE(m->headerValues(id).size(), 1u);
    }

    void emptyListElements()
    {
        // Empty elements of a plain list are skipped; in address lists they are an error.
        auto m = SipMessage::parse(request("Supported: ,100rel,,\n"));
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(m->headerValues(HeaderId::Supported).size(), 1u);
        m = SipMessage::parse(request("Contact: <sip:a@b>,,<sip:c@d>\n"));
        QVERIFY(!m);
        QVERIFY(m.error().message.contains(u"Contact"_s));
        m = SipMessage::parse(request("Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK2,\n"));
        QVERIFY(!m);
        // An empty value of a plain list is kept as one empty field (an empty Accept means
        // "no body").
        m = SipMessage::parse(request("Accept:\n"));
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(m->headerValues(HeaderId::Accept).size(), 1u);
        QVERIFY(m->header(HeaderId::Accept).isEmpty());
        QVERIFY(!m->header(HeaderId::Accept).isNull());
    }

    // --- line structure ---------------------------------------------------------------------

    void folding()
    {
        const auto m = SipMessage::parse(
            "MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\r\n"
            "Via: SIP/2.0/UDP 192.168.1.64:5060\r\n  ;rport\r\n\t;branch=z9hG4bK7\r\n"
            "From:\r\n <sip:34020000001320000001@3402000000>\r\n ;tag=1\r\n"
            "To: <sip:34020000002000000001@3402000000>\r\n"
            "Call-ID: 12\r\n"
            "CSeq: 0009\r\n  MESSAGE\r\n"
            "Subject: one,\r\n two\r\n"
            "\t three\r\n"
            "Content-Length: 0\r\n\r\n");
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(m->topVia().rport, 0);
        QCOMPARE(b(m->topVia().branch), "z9hG4bK7"_ba);
        QCOMPARE(b(m->from().tag()), "1"_ba);
        QCOMPARE(m->cseq().number, 9u);
        QCOMPARE(m->cseq().method, Method::Message);
        // A fold is one space (RFC 3261 §7.3.1).
        QCOMPARE(b(m->header(HeaderId::Subject)), "one, two three"_ba);
        QCOMPARE(b(m->header(HeaderId::Via)), "SIP/2.0/UDP 192.168.1.64:5060 ;rport ;branch=z9hG4bK7"_ba);
        QCOMPARE(m->headers().size(), 7u);
    }

    void foldingVariants_data()
    {
        QTest::addColumn<QByteArray>("headers");
        QTest::addColumn<QByteArray>("subject");
        QTest::newRow("LF") << "Subject: a\n b\nContent-Length: 4\n\nbody"_ba << "a b"_ba;
        QTest::newRow("trailing spaces") << "Subject: a  \r\n   b\r\nContent-Length: 4\r\n\r\nbody"_ba << "a b"_ba;
        QTest::newRow("several") << "Subject: a\r\n b\r\n c\r\n\td\r\nX: 1\r\n y\r\nContent-Length: 4\r\n\r\nbody"_ba
                                 << "a b c d"_ba;
        QTest::newRow("blank continuation") << "Subject: a\r\n \r\nContent-Length: 4\r\n\r\nbody"_ba << "a"_ba;
        QTest::newRow("last header") << "Content-Length: 4\r\nSubject: a\r\n b\r\n\r\nbody"_ba << "a b"_ba;
        QTest::newRow("empty first line") << "Subject:\r\n a\r\nl: 4\r\n\r\nbody"_ba << "a"_ba;
    }

    void foldingVariants()
    {
        QFETCH(QByteArray, headers);
        QFETCH(QByteArray, subject);
        QByteArray bytes = request();
        bytes.chop(2);
        bytes += headers;
        const auto m = SipMessage::parse(bytes);
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(b(m->header(HeaderId::Subject)), subject);
        QCOMPARE(b(m->body()), "body"_ba);
        QVERIFY(!m->bodyLengthMismatch());
        QCOMPARE(b(m->callId()), "1270981113"_ba);
        QVERIFY(m->raw().endsWith("\r\n\r\nbody") || m->raw().endsWith("\n\nbody"));
        QVERIFY(!m->raw().contains("\n "));
    }

    void manyFolds()
    {
        // Linear work however many folds a datagram has.
        QByteArray bytes = request();
        bytes.chop(2);
        bytes += "Subject: x";
        for (int i = 0; i < 15000; ++i)
            bytes += "\r\n y";
        bytes += "\r\n\r\n";
        const auto m = SipMessage::parse(bytes);
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(m->header(HeaderId::Subject).size(), 1 + 15000 * 2);
    }

    void lineEnds_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("CRLF") << crlf(kGbKeepalive);
        QTest::newRow("LF") << QByteArray(kGbKeepalive).replace("Content-Length: 169", "Content-Length: 162");
        QByteArray mixed = crlf(kGbKeepalive);
        mixed.replace("Call-ID: 1270981113\r\n", "Call-ID: 1270981113\n");
        mixed.replace("CSeq: 20 MESSAGE\r\n", "CSeq: 20 MESSAGE\n");
        mixed.replace("Content-Length: 169\r\n\r\n", "Content-Length: 169\n\n");
        QTest::newRow("mixed") << mixed;
        QTest::newRow("leading CRLFs") << "\r\n\r\n"_ba + crlf(kGbKeepalive);
        QTest::newRow("leading LFs") << "\n\n\n"_ba + crlf(kGbKeepalive);
    }

    void lineEnds()
    {
        QFETCH(QByteArray, bytes);
        const auto m = SipMessage::parse(bytes);
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(m->method(), Method::Message);
        QCOMPARE(b(m->callId()), "1270981113"_ba);
        QCOMPARE(b(m->requestUriText()), "sip:34020000002000000001@3402000000"_ba);
        QCOMPARE(b(m->header(HeaderId::UserAgent)), "IP Camera"_ba);
        QVERIFY(m->body().startsWith("<?xml"));
        QVERIFY(b(m->body()).trimmed().endsWith("</Notify>"));
        QVERIFY(!m->bodyLengthMismatch());
        QCOMPARE(m->headers().size(), 9u);
    }

    void noEmptyLineAfterHeaders()
    {
        // Some stacks end a body-less datagram right after the last header line.
        auto bytes = request("Content-Length: 0\n");
        bytes.chop(2);
        auto m = SipMessage::parse(bytes);
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(m->contentLength().value_or(~0u), 0u);
        bytes.chop(2); // not even the line end
        m = SipMessage::parse(bytes);
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(m->contentLength().value_or(~0u), 0u);
        // A lone CR where the empty line should be (found by fuzz_sipmessage).
        for (const QByteArray &end : {"\r\n\r"_ba, "\n\r"_ba}) {
            m = SipMessage::parse(QByteArray(bytes + end));
            QVERIFY2(m, qPrintable(errorOf(m)));
            QVERIFY(m->body().isEmpty());
        }
        m = SipMessage::parse(QByteArray(request().chopped(2) + "Subject: a\r\n b\r\n\r")); // after a fold, too
        QVERIFY2(m, qPrintable(errorOf(m)));
        QVERIFY(m->body().isEmpty());
        QCOMPARE(b(m->header(HeaderId::Subject)), "a b"_ba);
    }

    void whitespaceAroundSeparators()
    {
        const auto m = SipMessage::parse(crlf("MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\n"
                                              "Via  :SIP/2.0/UDP 192.168.1.64:5060 ; rport ; branch = z9hG4bK7\n"
                                              "From:<sip:34020000001320000001@3402000000> ;tag=1\n"
                                              "To\t:\t<sip:34020000002000000001@3402000000>\t\n"
                                              "Call-ID:   12   \n"
                                              "CSeq:3\tMESSAGE\n"
                                              "Content-Length :0\n\n"));
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(m->topVia().rport, 0);
        QCOMPARE(b(m->topVia().branch), "z9hG4bK7"_ba);
        QCOMPARE(b(m->from().tag()), "1"_ba);
        QCOMPARE(b(m->to().uri.user), "34020000002000000001"_ba);
        QCOMPARE(b(m->callId()), "12"_ba);
        QCOMPARE(m->cseq().number, 3u);
        QCOMPARE(b(m->cseq().methodText), "MESSAGE"_ba);
    }

    void badLines_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("error");
        QTest::newRow("empty") << QByteArray() << u"empty"_s;
        QTest::newRow("only CRLFs") << "\r\n\r\n"_ba << u"empty"_s;
        QTest::newRow("line without colon") << request("Garbage line\n") << u"':'"_s;
        QTest::newRow("name with a space") << request("Bad Name: x\n") << u"token"_s;
        QTest::newRow("empty name") << request(": x\n") << u"token"_s;
        QTest::newRow("continuation after the start line")
            << " Via: SIP/2.0/UDP h\r\n"_ba.prepend("OPTIONS sip:h SIP/2.0\r\n") << u"whitespace"_s;
    }

    void badLines()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, error);
        const auto m = SipMessage::parse(bytes);
        QVERIFY(!m);
        QVERIFY2(m.error().message.contains(error), qPrintable(m.error().message));
    }

    // --- start line -------------------------------------------------------------------------

    void startLine_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("valid");
        QTest::newRow("request") << "MESSAGE sip:a@b SIP/2.0"_ba << true;
        QTest::newRow("lower-case version") << "MESSAGE sip:a@b sip/2.0"_ba << true;
        QTest::newRow("response") << "SIP/2.0 200 OK"_ba << true;
        QTest::newRow("reason with spaces") << "SIP/2.0 480 Temporarily not available"_ba << true;
        QTest::newRow("reason in Chinese") << "SIP/2.0 200 \xe6\x88\x90\xe5\x8a\x9f"_ba << true;
        QTest::newRow("empty reason") << "SIP/2.0 200 "_ba << true;
        QTest::newRow("no reason") << "SIP/2.0 200"_ba << true;
        QTest::newRow("status 699") << "SIP/2.0 699 X"_ba << true;
        QTest::newRow("status 099") << "SIP/2.0 099 X"_ba << false;
        QTest::newRow("status 700") << "SIP/2.0 700 X"_ba << false;
        QTest::newRow("status 4 digits") << "SIP/2.0 2000 X"_ba << false;
        QTest::newRow("status 2 digits") << "SIP/2.0 20 OK"_ba << false;
        QTest::newRow("SIP/3.0 response") << "SIP/3.0 200 OK"_ba << false;
        QTest::newRow("SIP/3.0 request") << "MESSAGE sip:a@b SIP/3.0"_ba << false;
        QTest::newRow("no version") << "MESSAGE sip:a@b"_ba << false;
        QTest::newRow("two spaces") << "MESSAGE  sip:a@b SIP/2.0"_ba << false;
        QTest::newRow("trailing space") << "MESSAGE sip:a@b SIP/2.0 "_ba << false;
        QTest::newRow("URI in <>") << "MESSAGE <sip:a@b> SIP/2.0"_ba << false;
        QTest::newRow("URI with headers") << "MESSAGE sip:a@b?Route=x SIP/2.0"_ba << false;
        QTest::newRow("method not a token") << "MES(SAGE sip:a@b SIP/2.0"_ba << false;
        QTest::newRow("tel URI") << "MESSAGE tel:+8613800000000 SIP/2.0"_ba << true;
    }

    void startLine()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, valid);
        QByteArray bytes = request();
        const bool isResponse = line.startsWith("SIP/");
        bytes.replace(0, bytes.indexOf("\r\n"), line);
        const auto m = SipMessage::parse(bytes);
        QCOMPARE(bool(m), valid);
        if (!valid)
            QVERIFY2(m.error().message.startsWith(u"start line"_s), qPrintable(m.error().message));
        else
            QCOMPARE(m->isResponse(), isResponse);
    }

    void unknownMethod()
    {
        const auto m = SipMessage::parse(crlf("NEWMETHOD sip:a@b SIP/2.0\n"
                                              "Via: SIP/2.0/UDP h;branch=z9hG4bK1\n"
                                              "From: <sip:a@b>;tag=1\nTo: <sip:a@b>\nCall-ID: 1\n"
                                              "CSeq: 1 NEWMETHOD\n\n"));
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(m->method(), Method::Other);
        QCOMPARE(b(m->methodText()), "NEWMETHOD"_ba);
        QCOMPARE(m->cseq().method, Method::Other);
        QCOMPARE(b(m->cseq().methodText), "NEWMETHOD"_ba);
    }

    void responseReason()
    {
        const auto m = SipMessage::parse(crlf("SIP/2.0 200\n"
                                              "Via: SIP/2.0/UDP h;branch=z9hG4bK1\n"
                                              "From: <sip:a@b>;tag=1\nTo: <sip:a@b>;tag=2\nCall-ID: 1\n"
                                              "CSeq: 1 INVITE\n\n"));
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(m->statusCode(), 200);
        QVERIFY(m->reasonPhrase().isEmpty());
        QCOMPARE(m->method(), Method::Other);
    }

    // --- name-addr --------------------------------------------------------------------------

    void nameAddr_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("displayName");
        QTest::addColumn<QByteArray>("user");
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<bool>("bracketed");
        QTest::addColumn<QByteArray>("tag");
        QTest::newRow("brackets") << "<sip:34020000001320000001@3402000000>"_ba << QByteArray()
                                  << "34020000001320000001"_ba << "3402000000"_ba << 0 << true << QByteArray();
        QTest::newRow("brackets, tag") << "<sip:a@192.168.1.64:5060>;tag=99"_ba << QByteArray() << "a"_ba
                                       << "192.168.1.64"_ba << 5060 << true << "99"_ba;
        QTest::newRow("bare, tag") << "sip:a@192.168.1.64:5060;tag=99"_ba << QByteArray() << "a"_ba
                                   << "192.168.1.64"_ba << 5060 << false << "99"_ba;
        QTest::newRow("bare, spaces") << "  sip:a@h ; tag = 99  "_ba << QByteArray() << "a"_ba << "h"_ba << 0 << false
                                      << "99"_ba;
        QTest::newRow("quoted name") << "\"Gate 1\" <sip:a@h>;tag=5"_ba << "\"Gate 1\""_ba << "a"_ba << "h"_ba << 0
                                     << true << "5"_ba;
        QTest::newRow("quoted name, no space") << "\"Gate 1\"<sip:a@h>"_ba << "\"Gate 1\""_ba << "a"_ba << "h"_ba
                                               << 0 << true << QByteArray();
        QTest::newRow("quoted name, escaped quote") << "\"say \\\"hi\\\"\" <sip:a@h>"_ba << "\"say \\\"hi\\\"\""_ba
                                                    << "a"_ba << "h"_ba << 0 << true << QByteArray();
        QTest::newRow("token name") << "Gate1 <sip:a@h>"_ba << "Gate1"_ba << "a"_ba << "h"_ba << 0 << true
                                    << QByteArray();
        QTest::newRow("two tokens") << "Front Gate <sip:a@h>"_ba << "Front Gate"_ba << "a"_ba << "h"_ba << 0 << true
                                    << QByteArray();
        QTest::newRow("Chinese, quoted") << "\"\xe5\xa4\xa7\xe9\x97\xa8\" <sip:a@h>"_ba
                                         << "\"\xe5\xa4\xa7\xe9\x97\xa8\""_ba << "a"_ba << "h"_ba << 0 << true
                                         << QByteArray();
        QTest::newRow("Chinese UTF-8, unquoted") << "\xe5\xa4\xa7\xe9\x97\xa8 <sip:a@h>;tag=1"_ba
                                                 << "\xe5\xa4\xa7\xe9\x97\xa8"_ba << "a"_ba << "h"_ba << 0 << true
                                                 << "1"_ba;
        QTest::newRow("GB2312, unquoted") << "\xb4\xf3\xc3\xc5<sip:a@h>"_ba << "\xb4\xf3\xc3\xc5"_ba << "a"_ba
                                          << "h"_ba << 0 << true << QByteArray();
        // GBK characters whose second byte is ASCII: 乗 is 81 5C, a "backslash"; 丂 is 81 40, an "@".
        QTest::newRow("GBK, unquoted, ASCII trail bytes") << "\x81\x5c\x81\x40 <sip:a@h>;tag=1"_ba
                                                        << "\x81\x5c\x81\x40"_ba << "a"_ba << "h"_ba << 0 << true
                                                        << "1"_ba;
        QTest::newRow("GBK, quoted, backslash trail byte") << "\"\x81\x5c\" <sip:a@h>;tag=1"_ba << "\"\x81\x5c\""_ba
                                                          << "a"_ba << "h"_ba << 0 << true << "1"_ba;
        QTest::newRow("URI params vs header params")
            << "<sip:a@h;transport=udp>;tag=1;expires=60"_ba << QByteArray() << "a"_ba << "h"_ba << 0 << true
            << "1"_ba;
        QTest::newRow("no user") << "<sip:192.168.1.64>"_ba << QByteArray() << QByteArray() << "192.168.1.64"_ba << 0
                                 << true << QByteArray();
        QTest::newRow("IPv6") << "<sip:a@[2001:db8::1]:5060>"_ba << QByteArray() << "a"_ba << "[2001:db8::1]"_ba
                              << 5060 << true << QByteArray();
    }

    void nameAddr()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, displayName);
        QFETCH(QByteArray, user);
        QFETCH(QByteArray, host);
        QFETCH(int, port);
        QFETCH(bool, bracketed);
        QFETCH(QByteArray, tag);
        const auto address = NameAddrView::parse(text);
        QVERIFY2(address, address ? "" : address.error());
        QCOMPARE(b(address->displayName), displayName);
        QCOMPARE(b(address->uri.user), user);
        QCOMPARE(b(address->uri.host), host);
        QCOMPARE(address->uri.port, port);
        QCOMPARE(address->bracketed, bracketed);
        QCOMPARE(b(address->tag()), tag);

        // The same as a From header of a whole message.
        QByteArray bytes = request();
        bytes.replace("From: <sip:34020000001320000001@3402000000>;tag=1540385633", QByteArray("From: " + text));
        const auto m = SipMessage::parse(bytes);
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(b(m->from().displayName), displayName);
        QCOMPARE(b(m->from().uri.user), user);
        QCOMPARE(b(m->from().tag()), tag);
    }

    void nameAddrParams()
    {
        const auto address = NameAddrView::parse("<sip:a@h;transport=udp>;tag=1;expires=60;q=0.5;+sip.instance=\"<urn:x>\"");
        QVERIFY(address);
        QCOMPARE(b(*address->uri.param("transport")), "udp"_ba);
        QVERIFY(!address->param("transport"));
        QCOMPARE(b(*address->param("expires")), "60"_ba);
        QCOMPARE(b(*address->param("Q")), "0.5"_ba);
        QCOMPARE(b(*address->param("+sip.instance")), "\"<urn:x>\""_ba);
        // Without brackets the parameters belong to the header, not the URI (RFC 3261 §20.10).
        const auto bare = NameAddrView::parse("sip:a@h;transport=udp");
        QVERIFY(bare);
        QVERIFY(!bare->uri.param("transport"));
        QCOMPARE(b(*bare->param("transport")), "udp"_ba);
    }

    void badNameAddr_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("unterminated quote") << "\"Gate <sip:a@h>"_ba;
        QTest::newRow("quote inside a token name") << "Ga\"te <sip:a@h>"_ba;
        QTest::newRow("quoted name without <>") << "\"Gate\" sip:a@h"_ba;
        QTest::newRow("unclosed <") << "<sip:a@h"_ba;
        QTest::newRow("spaces inside <>") << "< sip:a@h >"_ba;
        QTest::newRow("bare URI with ?") << "sip:a@h?subject=x"_ba;
        QTest::newRow("bare URI with ,") << "sip:a,b@h"_ba;
        QTest::newRow("text after >") << "<sip:a@h> junk"_ba;
        QTest::newRow("empty parameter") << "<sip:a@h>;;tag=1"_ba;
        QTest::newRow("wildcard outside Contact") << "*"_ba;
        QTest::newRow("no scheme") << "<a@h>"_ba;
    }

    void badNameAddr()
    {
        QFETCH(QByteArray, text);
        QVERIFY(!NameAddrView::parse(text));
        QByteArray bytes = request();
        bytes.replace("To: <sip:34020000002000000001@3402000000>", QByteArray("To: " + text));
        const auto m = SipMessage::parse(bytes);
        QVERIFY(!m);
        QVERIFY2(m.error().message.startsWith(u"To: "_s), qPrintable(m.error().message));
    }

    void tags()
    {
        auto m = SipMessage::parse(crlf(kGbChallenge));
        QVERIFY(m);
        QCOMPARE(b(m->from().tag()), "1109863470"_ba);
        QCOMPARE(b(m->to().tag()), "610934221"_ba);
        m = SipMessage::parse(request());
        QVERIFY(m);
        QVERIFY(m->to().tag().isEmpty());
        QVERIFY(!m->to().param("tag"));
    }

    // --- URI --------------------------------------------------------------------------------

    void uri_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("scheme");
        QTest::addColumn<QByteArray>("user");
        QTest::addColumn<QByteArray>("password");
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QByteArray>("params");
        QTest::addColumn<QByteArray>("headers");
        QTest::newRow("GB device") << "sip:34020000001320000001@3402000000"_ba << "sip"_ba << "34020000001320000001"_ba
                                   << QByteArray() << "3402000000"_ba << 0 << QByteArray() << QByteArray();
        QTest::newRow("everything") << "sip:alice:secret@example.com:5061;transport=tcp;lr?subject=hi&priority=urgent"_ba
                                    << "sip"_ba << "alice"_ba << "secret"_ba << "example.com"_ba << 5061
                                    << ";transport=tcp;lr"_ba << "subject=hi&priority=urgent"_ba;
        QTest::newRow("host only") << "sip:192.168.1.10"_ba << "sip"_ba << QByteArray() << QByteArray()
                                   << "192.168.1.10"_ba << 0 << QByteArray() << QByteArray();
        QTest::newRow("IPv6") << "sip:[2001:db8::1]:5070;transport=udp"_ba << "sip"_ba << QByteArray() << QByteArray()
                              << "[2001:db8::1]"_ba << 5070 << ";transport=udp"_ba << QByteArray();
        QTest::newRow("IPv6, user") << "sips:a@[::1]"_ba << "sips"_ba << "a"_ba << QByteArray() << "[::1]"_ba << 0
                                    << QByteArray() << QByteArray();
        QTest::newRow("escaped user") << "sip:%61lice;x=y@h"_ba << "sip"_ba << "%61lice;x=y"_ba << QByteArray()
                                      << "h"_ba << 0 << QByteArray() << QByteArray();
        QTest::newRow("upper-case scheme") << "SIP:a@h:1"_ba << "SIP"_ba << "a"_ba << QByteArray() << "h"_ba << 1
                                           << QByteArray() << QByteArray();
        QTest::newRow("tel") << "tel:+86-10-1234"_ba << "tel"_ba << QByteArray() << QByteArray() << QByteArray() << 0
                             << QByteArray() << QByteArray();
    }

    void uri()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, scheme);
        QFETCH(QByteArray, user);
        QFETCH(QByteArray, password);
        QFETCH(QByteArray, host);
        QFETCH(int, port);
        QFETCH(QByteArray, params);
        QFETCH(QByteArray, headers);
        const auto uri = UriView::parse(text);
        QVERIFY2(uri, uri ? "" : uri.error());
        QCOMPARE(b(uri->text), text);
        QCOMPARE(b(uri->scheme), scheme);
        QCOMPARE(b(uri->user), user);
        QCOMPARE(b(uri->password), password);
        QCOMPARE(b(uri->host), host);
        QCOMPARE(uri->port, port);
        QCOMPARE(b(uri->params.text()), params);
        QCOMPARE(b(uri->headers), headers);
        QCOMPARE(uri->hasUserInfo, !user.isEmpty());
    }

    void uriHelpers()
    {
        const auto uri = UriView::parse("sip:a@h;transport=TCP;lr;maddr=239.0.0.1");
        QVERIFY(uri);
        QVERIFY(uri->isSip());
        QCOMPARE(b(*uri->param("transport")), "TCP"_ba);
        QCOMPARE(b(*uri->param("LR")), ""_ba);
        QVERIFY(uri->params.has("maddr"));
        QVERIFY(!uri->params.has("ttl"));
        QCOMPARE(percentDecoded("%61lice%2"), "alice%2"_ba);
        QCOMPARE(percentDecoded("%e5%A4%a7"), "\xe5\xa4\xa7"_ba);
        QCOMPARE(unquoted(" \"a \\\"b\\\\\" "), "a \"b\\"_ba);
        QCOMPARE(unquoted("token"), "token"_ba);
    }

    void badUri_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("no scheme") << "a@h"_ba;
        QTest::newRow("empty scheme") << ":a@h"_ba;
        QTest::newRow("digit scheme") << "1sip:a@h"_ba;
        QTest::newRow("empty user") << "sip:@h"_ba;
        QTest::newRow("empty host") << "sip:a@"_ba;
        QTest::newRow("bad host") << "sip:a@h!x"_ba;
        QTest::newRow("space") << "sip:a@h x"_ba;
        QTest::newRow("port 0") << "sip:a@h:0"_ba;
        QTest::newRow("port 65536") << "sip:a@h:65536"_ba;
        QTest::newRow("port not a number") << "sip:a@h:50x"_ba;
        QTest::newRow("empty port") << "sip:a@h:"_ba;
        QTest::newRow("unclosed IPv6") << "sip:[2001:db8::1"_ba;
        QTest::newRow("text after IPv6") << "sip:[::1]x"_ba;
        QTest::newRow("empty parameter") << "sip:a@h;;lr"_ba;
        QTest::newRow("empty parameter value") << "sip:a@h;transport="_ba;
        QTest::newRow("empty headers") << "sip:a@h?"_ba;
        QTest::newRow("opaque, empty") << "tel:"_ba;
    }

    void badUri()
    {
        QFETCH(QByteArray, text);
        QVERIFY(!UriView::parse(text));
    }

    // --- Via --------------------------------------------------------------------------------

    void via_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("transport");
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QByteArray>("branch");
        QTest::addColumn<bool>("rfc3261");
        QTest::addColumn<int>("rport");
        QTest::addColumn<QByteArray>("received");
        QTest::newRow("GB") << "SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1837420266"_ba << "UDP"_ba
                            << "192.168.1.64"_ba << 5060 << "z9hG4bK1837420266"_ba << true << 0 << QByteArray();
        QTest::newRow("no rport") << "SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bKx"_ba << "TCP"_ba << "10.0.0.1"_ba
                                  << 5060 << "z9hG4bKx"_ba << true << -1 << QByteArray();
        QTest::newRow("RFC 2543 branch") << "SIP/2.0/UDP 10.0.0.1;branch=1837420266"_ba << "UDP"_ba << "10.0.0.1"_ba
                                         << 0 << "1837420266"_ba << false << -1 << QByteArray();
        QTest::newRow("no branch") << "SIP/2.0/UDP 10.0.0.1:5060"_ba << "UDP"_ba << "10.0.0.1"_ba << 5060
                                   << QByteArray() << false << -1 << QByteArray();
        QTest::newRow("cookie only") << "SIP/2.0/UDP h;branch=z9hG4bK"_ba << "UDP"_ba << "h"_ba << 0 << "z9hG4bK"_ba
                                     << false << -1 << QByteArray();
        QTest::newRow("rport and received")
            << "SIP/2.0/UDP 192.168.1.64:5060;rport=40122;received=198.51.100.23;branch=z9hG4bK1"_ba << "UDP"_ba
            << "192.168.1.64"_ba << 5060 << "z9hG4bK1"_ba << true << 40122 << "198.51.100.23"_ba;
        QTest::newRow("IPv6") << "SIP/2.0/UDP [2001:db8::9]:5062;branch=z9hG4bK1;received=2001:db8::10"_ba
                              << "UDP"_ba << "[2001:db8::9]"_ba << 5062 << "z9hG4bK1"_ba << true << -1
                              << "2001:db8::10"_ba;
        QTest::newRow("spaces, case") << "sip / 2.0 / udp   h.example.com ; Branch = z9hG4bK1 ; RPORT"_ba << "udp"_ba
                                      << "h.example.com"_ba << 0 << "z9hG4bK1"_ba << true << 0 << QByteArray();
        QTest::newRow("unknown transport, extra params")
            << "SIP/2.0/NEWTRANSPORT h:1;ttl=1;maddr=239.1.1.1;branch=z9hG4bKa;x=\"y z\""_ba << "NEWTRANSPORT"_ba
            << "h"_ba << 1 << "z9hG4bKa"_ba << true << -1 << QByteArray();
    }

    void via()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, transport);
        QFETCH(QByteArray, host);
        QFETCH(int, port);
        QFETCH(QByteArray, branch);
        QFETCH(bool, rfc3261);
        QFETCH(int, rport);
        QFETCH(QByteArray, received);
        const auto via = ViaView::parse(text);
        QVERIFY2(via, via ? "" : via.error());
        QCOMPARE(b(via->transport), transport);
        QCOMPARE(b(via->host), host);
        QCOMPARE(via->port, port);
        QCOMPARE(b(via->branch), branch);
        QCOMPARE(via->hasRfc3261Branch(), rfc3261);
        QCOMPARE(via->rport, rport);
        QCOMPARE(b(via->received), received);

        QByteArray bytes = request();
        bytes.replace("SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK401718733", text);
        const auto m = SipMessage::parse(bytes);
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(b(m->topVia().host), host);
        QCOMPARE(b(m->topVia().branch), branch);
        QCOMPARE(m->topVia().rport, rport);
    }

    void badVia_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("not SIP") << "HTTP/1.1/TCP h"_ba;
        QTest::newRow("version") << "SIP/3.0/UDP h"_ba;
        QTest::newRow("no transport") << "SIP/2.0/ h"_ba;
        QTest::newRow("space for slash") << "SIP/2.0 UDP h"_ba;
        QTest::newRow("no host") << "SIP/2.0/UDP ;branch=z9hG4bK1"_ba;
        QTest::newRow("bad port") << "SIP/2.0/UDP h:70000"_ba;
        QTest::newRow("rport not a number") << "SIP/2.0/UDP h;rport=abc"_ba;
        QTest::newRow("rport too large") << "SIP/2.0/UDP h;rport=65536"_ba;
        QTest::newRow("empty parameter") << "SIP/2.0/UDP h;;branch=z9hG4bK1"_ba;
        QTest::newRow("junk after sent-by") << "SIP/2.0/UDP h junk"_ba;
        QTest::newRow("unterminated quote") << "SIP/2.0/UDP h;x=\"y"_ba;
    }

    void badVia()
    {
        QFETCH(QByteArray, text);
        QVERIFY(!ViaView::parse(text));
        QByteArray bytes = request();
        bytes.replace("SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK401718733", text);
        const auto m = SipMessage::parse(bytes);
        QVERIFY(!m);
        QVERIFY2(m.error().message.startsWith(u"Via: "_s), qPrintable(m.error().message));
    }

    void viaParamsIteration()
    {
        const auto via = ViaView::parse("SIP/2.0/UDP h;rport;branch=z9hG4bK1;received=1.2.3.4");
        QVERIFY(via);
        QList<QByteArray> names;
        via->params.forEach([&](QByteArrayView name, QByteArrayView value) { names << name.toByteArray() + '=' + value.toByteArray(); });
        QCOMPARE(names, (QList<QByteArray>{"rport="_ba, "branch=z9hG4bK1"_ba, "received=1.2.3.4"_ba}));
    }

    // --- single-valued headers ------------------------------------------------------------

    void duplicateIdenticalHeaders()
    {
        const auto m = SipMessage::parse(request("From: <sip:34020000001320000001@3402000000>;tag=1540385633\n"
                                                 "Call-ID: 1270981113\n"
                                                 "CSeq: 20 MESSAGE\n"
                                                 "Max-Forwards: 70\nMax-Forwards: 70\n"
                                                 "Expires: 60\nExpires: 60\n"
                                                 "Content-Length: 0\nl: 0\n"
                                                 "To: <sip:34020000002000000001@3402000000>\n"));
        QVERIFY2(m, qPrintable(errorOf(m)));
        // Kept once, so that responses copy them once.
        for (HeaderId id : {HeaderId::From, HeaderId::To, HeaderId::CallId, HeaderId::CSeq, HeaderId::MaxForwards,
                            HeaderId::Expires, HeaderId::ContentLength})
            QCOMPARE(m->headerValues(id).size(), 1u);
        QCOMPARE(m->maxForwards().value_or(~0u), 70u);
        QCOMPARE(m->expires().value_or(~0u), 60u);
    }

    void conflictingHeaders_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("name");
        QTest::newRow("From") << "From: <sip:other@3402000000>;tag=1\n"_ba << u"From"_s;
        QTest::newRow("To") << "t: <sip:other@3402000000>\n"_ba << u"To"_s;
        QTest::newRow("Call-ID") << "i: 2\n"_ba << u"Call-ID"_s;
        QTest::newRow("CSeq") << "CSeq: 21 MESSAGE\n"_ba << u"CSeq"_s;
        QTest::newRow("Content-Length") << "Content-Length: 0\nContent-Length: 1\n"_ba << u"Content-Length"_s;
        QTest::newRow("Max-Forwards") << "Max-Forwards: 70\nMax-Forwards: 69\n"_ba << u"Max-Forwards"_s;
        QTest::newRow("Expires") << "Expires: 60\nExpires: 0\n"_ba << u"Expires"_s;
    }

    void conflictingHeaders()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, name);
        const auto m = SipMessage::parse(request(line));
        QVERIFY(!m);
        QVERIFY2(m.error().message.startsWith(name + u": "_s), qPrintable(m.error().message));
    }

    void missingRequiredHeaders_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("name");
        QTest::newRow("Via") << "Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK401718733\r\n"_ba << u"Via"_s;
        QTest::newRow("From") << "From: <sip:34020000001320000001@3402000000>;tag=1540385633\r\n"_ba << u"From"_s;
        QTest::newRow("To") << "To: <sip:34020000002000000001@3402000000>\r\n"_ba << u"To"_s;
        QTest::newRow("Call-ID") << "Call-ID: 1270981113\r\n"_ba << u"Call-ID"_s;
        QTest::newRow("CSeq") << "CSeq: 20 MESSAGE\r\n"_ba << u"CSeq"_s;
    }

    void missingRequiredHeaders()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, name);
        QByteArray bytes = request();
        QVERIFY(bytes.contains(line));
        bytes.replace(line, QByteArray());
        const auto m = SipMessage::parse(bytes);
        QVERIFY(!m);
        QVERIFY2(m.error().message.contains(u"missing "_s + name), qPrintable(m.error().message));
    }

    void missingOptionalHeaders()
    {
        // No Max-Forwards, User-Agent, Contact, Expires, Content-Type or Content-Length: fine.
        const auto m = SipMessage::parse(request({}, kKeepaliveXml));
        QVERIFY2(m, qPrintable(errorOf(m)));
        QVERIFY(!m->maxForwards());
        QVERIFY(!m->expires());
        QVERIFY(!m->contentLength());
        QVERIFY(m->contentType().isNull());
        QVERIFY(m->header(HeaderId::UserAgent).isNull());
        QVERIFY(m->contacts().empty());
        QCOMPARE(b(m->body()), QByteArray(kKeepaliveXml));
    }

    void cseq_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<uint>("number");
        QTest::newRow("plain") << "20 MESSAGE"_ba << true << 20u;
        QTest::newRow("leading zeros") << "0020 MESSAGE"_ba << true << 20u;
        QTest::newRow("zero") << "0 MESSAGE"_ba << true << 0u;
        QTest::newRow("2^31-1") << "2147483647 MESSAGE"_ba << true << 2147483647u;
        QTest::newRow("tab") << "5\tMESSAGE"_ba << true << 5u;
        QTest::newRow("2^31") << "2147483648 MESSAGE"_ba << false << 0u;
        QTest::newRow("huge") << "36893488147419103232 MESSAGE"_ba << false << 0u;
        QTest::newRow("negative") << "-1 MESSAGE"_ba << false << 0u;
        QTest::newRow("no space") << "20MESSAGE"_ba << false << 0u;
        QTest::newRow("no method") << "20"_ba << false << 0u;
        QTest::newRow("no number") << "MESSAGE"_ba << false << 0u;
        QTest::newRow("two methods") << "20 MESSAGE INVITE"_ba << false << 0u;
        QTest::newRow("other method") << "20 INVITE"_ba << false << 0u;
        QTest::newRow("lower-case method") << "20 message"_ba << false << 0u;
    }

    void cseq()
    {
        QFETCH(QByteArray, value);
        QFETCH(bool, valid);
        QFETCH(uint, number);
        QByteArray bytes = request();
        bytes.replace("CSeq: 20 MESSAGE", QByteArray("CSeq: " + value));
        const auto m = SipMessage::parse(bytes);
        QCOMPARE(bool(m), valid);
        if (valid) {
            QCOMPARE(m->cseq().number, number);
            QCOMPARE(m->cseq().method, Method::Message);
        } else {
            QVERIFY2(m.error().message.startsWith(u"CSeq: "_s), qPrintable(m.error().message));
        }
    }

    void responseCSeqAnyMethod()
    {
        QByteArray bytes = crlf(kGbChallenge);
        bytes.replace("CSeq: 1 REGISTER", "CSeq: 1 SUBSCRIBE");
        const auto m = SipMessage::parse(bytes);
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(m->cseq().method, Method::Subscribe);
    }

    void scalars_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("valid");
        QTest::newRow("Max-Forwards 0") << "Max-Forwards: 0"_ba << true;
        QTest::newRow("Max-Forwards 255") << "Max-Forwards: 255"_ba << true;
        QTest::newRow("Max-Forwards 256") << "Max-Forwards: 256"_ba << false;
        QTest::newRow("Max-Forwards empty") << "Max-Forwards:"_ba << false;
        QTest::newRow("Expires 0") << "Expires: 0"_ba << true;
        QTest::newRow("Expires 2^32-1") << "Expires: 4294967295"_ba << true;
        QTest::newRow("Expires 2^32") << "Expires: 4294967296"_ba << false;
        QTest::newRow("Expires negative") << "Expires: -1"_ba << false;
        QTest::newRow("Expires 1.5") << "Expires: 1.5"_ba << false;
        QTest::newRow("Call-ID with space") << "Call-ID: a b"_ba << false;
        QTest::newRow("Call-ID empty") << "Call-ID:"_ba << false;
        QTest::newRow("Content-Length negative") << "Content-Length: -5"_ba << false;
        QTest::newRow("Content-Length 65536") << "Content-Length: 65536"_ba << false;
        QTest::newRow("Content-Length text") << "Content-Length: zero"_ba << false;
    }

    void scalars()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, valid);
        QByteArray bytes = request();
        if (line.startsWith("Call-ID"))
            bytes.replace("Call-ID: 1270981113", line);
        else
            bytes = request(QByteArray(line + "\n"));
        const auto m = SipMessage::parse(bytes);
        QVERIFY2(bool(m) == valid, qPrintable(errorOf(m)));
        if (!valid)
            QVERIFY2(m.error().message.startsWith(QString::fromLatin1(line.first(line.indexOf(':'))) + u": "_s),
                     qPrintable(m.error().message));
    }

    void date_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<bool>("valid");
        QTest::newRow("GB with ms") << "2024-05-20T08:00:03.512"_ba << true;
        QTest::newRow("GB without ms") << "2024-05-20T08:00:03"_ba << true;
        QTest::newRow("GB with space") << "2024-05-20 08:00:03"_ba << true;
        QTest::newRow("RFC 1123") << "Sat, 13 Nov 2010 23:29:00 GMT"_ba << true;
        QTest::newRow("EST") << "Sat, 13 Nov 2010 23:29:00 EST"_ba << false;
        QTest::newRow("bad month") << "Sat, 13 Foo 2010 23:29:00 GMT"_ba << false;
        QTest::newRow("GB bad digits") << "2024-05-2xT08:00:03"_ba << false;
        QTest::newRow("GB empty ms") << "2024-05-20T08:00:03."_ba << false;
        QTest::newRow("words") << "yesterday"_ba << false;
    }

    void date()
    {
        QFETCH(QByteArray, value);
        QFETCH(bool, valid);
        const auto m = SipMessage::parse(request(QByteArray("Date: " + value + "\n")));
        QVERIFY2(bool(m) == valid, qPrintable(errorOf(m)));
        if (valid)
            QCOMPARE(b(m->header(HeaderId::Date)), value);
        else
            QVERIFY(m.error().message.startsWith(u"Date: "_s));
    }

    void contacts()
    {
        auto m = SipMessage::parse(request("Contact: *\nExpires: 0\n"));
        QVERIFY2(m, qPrintable(errorOf(m)));
        auto contacts = m->contacts();
        QCOMPARE(contacts.size(), 1u);
        QVERIFY(contacts[0].wildcard);

        m = SipMessage::parse(request("m: <sip:a@10.0.0.1:5060>;expires=3600;q=0.7\n"
                                      "Contact: \"\xe5\xa4\xa7\xe9\x97\xa8\" <sip:b@10.0.0.2>, sip:c@10.0.0.3;expires=0\n"));
        QVERIFY2(m, qPrintable(errorOf(m)));
        contacts = m->contacts();
        QCOMPARE(contacts.size(), 3u);
        QCOMPARE(b(*contacts[0].param("expires")), "3600"_ba);
        QCOMPARE(contacts[0].uri.port, 5060);
        QCOMPARE(b(contacts[1].displayName), "\"\xe5\xa4\xa7\xe9\x97\xa8\""_ba);
        QVERIFY(!contacts[2].bracketed);
        QCOMPARE(b(*contacts[2].param("expires")), "0"_ba);

        m = SipMessage::parse(request("Contact: sip:a@h?x=y\n"));
        QVERIFY(!m);
        QVERIFY(m.error().message.startsWith(u"Contact: "_s));
    }

    void unknownHeadersKept()
    {
        const auto m = SipMessage::parse(request("Route: <sip:34020000002000000001@192.168.1.10:5060;lr>\n"
                                                 "X-GB-Ver: 3.0\n"
                                                 "Monitor-User-Identity: \xe7\x8e\x8b\xe4\xba\x94\n"
                                                 "X-Hik-Session: 1, 2\n"
                                                 "X-Empty:\n"
                                                 "x_underscore.odd~name: ok\n"));
        QVERIFY2(m, qPrintable(errorOf(m)));
        const auto &headers = m->headers();
        QCOMPARE(headers.size(), 11u);
        QCOMPARE(headers[5].id, HeaderId::Route);
        QCOMPARE(headers[6].id, HeaderId::XGbVer);
        QCOMPARE(headers[7].id, HeaderId::Other);
        QCOMPARE(b(headers[7].name), "Monitor-User-Identity"_ba);
        QCOMPARE(b(headers[7].value), "\xe7\x8e\x8b\xe4\xba\x94"_ba);
        QCOMPARE(b(m->header("monitor-user-identity")), "\xe7\x8e\x8b\xe4\xba\x94"_ba);
        QCOMPARE(b(m->header("X-HIK-SESSION")), "1, 2"_ba);
        QVERIFY(m->header("X-Empty").isEmpty());
        QVERIFY(!m->header("X-Empty").isNull());
        QVERIFY(m->header("X-Absent").isNull());
        QCOMPARE(b(m->header("X_UNDERSCORE.ODD~NAME")), "ok"_ba);
    }

    // --- body and Content-Length ----------------------------------------------------------

    void contentLength_data()
    {
        QTest::addColumn<QByteArray>("lengthLine");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<Framing>("framing");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QByteArray>("expectedBody");
        QTest::addColumn<bool>("mismatch");
        const QByteArray xml = kKeepaliveXml;
        QTest::newRow("absent: the datagram") << QByteArray() << xml << Framing::Datagram << true << xml << false;
        QTest::newRow("absent: the stream message") << QByteArray() << xml << Framing::Stream << true << xml << false;
        QTest::newRow("exact") << "Content-Length: 169"_ba << xml << Framing::Datagram << true << xml << false;
        QTest::newRow("exact, stream") << "Content-Length: 169"_ba << xml << Framing::Stream << true << xml << false;
        QTest::newRow("larger: rejected") << "Content-Length: 200"_ba << "v=0\r\n"_ba << Framing::Datagram << false
                                          << QByteArray() << false;
        QTest::newRow("larger, whole XML: kept")
            << "Content-Length: 180"_ba << xml << Framing::Datagram << true << xml << true;
        QTest::newRow("larger, cut XML: rejected") << "Content-Length: 180"_ba << xml.first(100) << Framing::Datagram
                                                   << false << QByteArray() << false;
        QTest::newRow("larger, stream: rejected") << "Content-Length: 180"_ba << xml << Framing::Stream << false
                                                  << QByteArray() << false;
        QTest::newRow("smaller, blank extra: cut") << "Content-Length: 169"_ba << xml + "\r\n\r\n \t\0"_ba
                                                   << Framing::Datagram << true << xml << false;
        QTest::newRow("smaller, another request: cut")
            << "Content-Length: 169"_ba << xml + request() << Framing::Datagram << true << xml << false;
        QTest::newRow("smaller, another response: cut")
            << "Content-Length: 169"_ba << xml + crlf(kGbChallenge) << Framing::Datagram << true << xml << false;
        QTest::newRow("smaller, CL 0 with XML: kept")
            << "Content-Length: 0"_ba << xml << Framing::Datagram << true << xml << true;
        QTest::newRow("smaller, counted characters: kept")
            << "Content-Length: 160"_ba << xml << Framing::Datagram << true << xml << true;
        QTest::newRow("smaller, stream: cut") << "Content-Length: 10"_ba << xml << Framing::Stream << true
                                              << xml.first(10) << false;
        QTest::newRow("zero, nothing") << "Content-Length: 0"_ba << QByteArray() << Framing::Datagram << true
                                       << QByteArray() << false;
        QTest::newRow("negative") << "Content-Length: -1"_ba << QByteArray() << Framing::Datagram << false
                                  << QByteArray() << false;
    }

    void contentLength()
    {
        QFETCH(QByteArray, lengthLine);
        QFETCH(QByteArray, body);
        QFETCH(Framing, framing);
        QFETCH(bool, valid);
        QFETCH(QByteArray, expectedBody);
        QFETCH(bool, mismatch);
        const QByteArray bytes = request(lengthLine.isEmpty() ? QByteArray() : lengthLine + "\n", body);
        const auto m = SipMessage::parse(bytes, framing);
        QVERIFY2(bool(m) == valid, qPrintable(errorOf(m)));
        if (!valid) {
            QVERIFY2(m.error().message.contains(u"Content-Length"_s), qPrintable(m.error().message));
            return;
        }
        QCOMPARE(b(m->body()), expectedBody);
        QCOMPARE(m->bodyLengthMismatch(), mismatch);
        if (!lengthLine.isEmpty())
            QCOMPARE(m->contentLength().value_or(~0u), lengthLine.sliced(16).toUInt());
    }

    void bodyWithoutContentType()
    {
        // An XML body without Content-Type: kept; sniffing it is the application's business.
        const auto m = SipMessage::parse(request("Content-Length: 169\n", kKeepaliveXml));
        QVERIFY2(m, qPrintable(errorOf(m)));
        QVERIFY(m->contentType().isNull());
        QVERIFY(m->body().startsWith("<?xml"));
    }

    void binaryBody()
    {
        QByteArray body(256, '\0');
        for (int i = 0; i < body.size(); ++i)
            body[i] = char(i);
        const auto m = SipMessage::parse(request("Content-Length: 256\n", body), Framing::Stream);
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(b(m->body()), body);
    }

    void sizeLimit()
    {
        QByteArray bytes = request("Content-Length: 00000\n");
        const qsizetype bodySize = SipMessage::kMaxSize - bytes.size();
        bytes.replace("Content-Length: 00000", QByteArray("Content-Length: " + QByteArray::number(bodySize)));
        bytes += QByteArray(bodySize, 'x');
        QCOMPARE(bytes.size(), SipMessage::kMaxSize);
        auto m = SipMessage::parse(bytes);
        QVERIFY2(m, qPrintable(errorOf(m)));
        QCOMPARE(m->body().size(), bodySize);

        bytes += 'x';
        m = SipMessage::parse(bytes);
        QVERIFY(!m);
        QVERIFY2(m.error().message.contains(u"65535"_s), qPrintable(m.error().message));
        m = SipMessage::parse(QByteArray(200000, 'a'));
        QVERIFY(!m);
    }

    // --- value semantics --------------------------------------------------------------------

    void copiesShareTheBytes()
    {
        SipMessage copy;
        {
            QByteArray bytes = crlf(kGbRegister);
            auto m = SipMessage::parse(bytes);
            QVERIFY(m);
            bytes.fill('#'); // the input may go away or change: parse() copied it
            copy = *m;
            QCOMPARE(copy.raw().constData(), m->raw().constData());
        }
        QCOMPARE(b(copy.callId()), "2082571306"_ba);
        QCOMPARE(b(copy.from().tag()), "1109863470"_ba);
        QCOMPARE(b(copy.topVia().branch), "z9hG4bK1837420266"_ba);
        QCOMPARE(b(copy.requestUri().user), "34020000002000000001"_ba);
        QCOMPARE(b(copy.header(HeaderId::UserAgent)), "IP Camera"_ba);
        const SipMessage moved = std::move(copy);
        QCOMPARE(b(moved.cseq().methodText), "REGISTER"_ba);
    }

    void headerAccessors()
    {
        const auto m = SipMessage::parse(crlf(kGbRegister));
        QVERIFY(m);
        QCOMPARE(b(m->header("v")), b(m->header(HeaderId::Via)));
        QCOMPARE(b(m->header("CONTACT")), "<sip:34020000001320000001@192.168.1.64:5060>"_ba);
        QVERIFY(m->header(HeaderId::ContentType).isNull());
        QCOMPARE(m->headerValues(HeaderId::Route).size(), 0u);
        QCOMPARE(b(m->headers().front().name), "Via"_ba);
        QCOMPARE(m->headers().front().id, HeaderId::Via);
    }
};

QTEST_GUILESS_MAIN(TestSipMessage)
#include "tst_sipmessage.moc"
