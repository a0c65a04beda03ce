// badRequestResponse(): the 400 the transport sends for a request SipMessage::parse() rejected,
// on hand-written broken messages and on the invalid RFC 4475 messages (read in place from
// ../shared when it is there).

#include "sip/badrequest.h"
#include "sip/sipmessage.h"
#include "siptestutil.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QTest>

using namespace Vigil;
using namespace Vigil::Sip;
using namespace Vigil::Sip::Test;
using namespace Qt::StringLiterals;

namespace {

// The first REGISTER of docs/gb28181.md §2.2 with a CSeq number above 2^31-1.
const char kBadRegister[] = "REGISTER sip:34020000002000000001@3402000000 SIP/2.0\n"
                            "Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1837420266\n"
                            "From: <sip:34020000001320000001@3402000000>;tag=1109863470\n"
                            "To: <sip:34020000001320000001@3402000000>\n"
                            "Call-ID: 2082571306\n"
                            "CSeq: 4294967296 REGISTER\n"
                            "Contact: <sip:34020000001320000001@192.168.1.64:5060>\n"
                            "Max-Forwards: 70\n"
                            "User-Agent: IP Camera\n"
                            "Expires: 3600\n"
                            "Content-Length: 0\n"
                            "\n";

QString tortureDir()
{
    return QStringLiteral(VIGIL_SHARED_DIR "/sip/torture/rfc4475");
}

/// The header lines of a response, without the start line and the empty line.
QList<QByteArray> headerLines(const QByteArray &response)
{
    QList<QByteArray> lines = response.split('\n');
    QList<QByteArray> result;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        QByteArray line = lines[i];
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            break;
        result << line;
    }
    return result;
}

} // namespace

class TestBadRequest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void gbRegister()
    {
        const QByteArray request = crlf(kBadRegister);
        const auto parsed = SipMessage::parse(request);
        QVERIFY(!parsed);
        const auto response = badRequestResponse(request, parsed.error().message.toUtf8());
        QVERIFY(response);
        QVERIFY2(response->startsWith("SIP/2.0 400 Bad Request\r\n"), response->constData());
        QVERIFY(response->endsWith("\r\nContent-Length: 0\r\n\r\n"));
        const auto lines = headerLines(*response);
        QCOMPARE(lines.size(), 7);
        QCOMPARE(lines[0], "Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1837420266"_ba);
        QCOMPARE(lines[1], "From: <sip:34020000001320000001@3402000000>;tag=1109863470"_ba);
        QVERIFY(lines[2].startsWith("To: <sip:34020000001320000001@3402000000>;tag="));
        QCOMPARE(lines[3], "Call-ID: 2082571306"_ba);
        QCOMPARE(lines[4], "CSeq: 4294967296 REGISTER"_ba);
        QCOMPARE(lines[5], "Warning: 399 vigil \"CSeq: sequence number missing or above 2^31-1\""_ba);
        QCOMPARE(lines[6], "Content-Length: 0"_ba);
        // A retransmission gets the same tag: the 400 is stateless but consistent.
        QCOMPARE(badRequestResponse(request, parsed.error().message.toUtf8()), response);
    }

    void responseParsesWhenTheCopiedHeadersAreFine()
    {
        QByteArray request = crlf(kBadRegister);
        request.replace("CSeq: 4294967296 REGISTER", "CSeq: 1 REGISTER");
        request.replace("Expires: 3600", "Expires: soon");
        const auto response = badRequestResponse(request, "Expires: not a number");
        QVERIFY(response);
        const auto parsed = SipMessage::parse(*response);
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
        QCOMPARE(parsed->statusCode(), 400);
        QCOMPARE(b(parsed->reasonPhrase()), "Bad Request"_ba);
        QCOMPARE(b(parsed->callId()), "2082571306"_ba);
        QCOMPARE(b(parsed->from().tag()), "1109863470"_ba);
        QVERIFY(!parsed->to().tag().isEmpty());
        QCOMPARE(parsed->cseq().number, 1u);
        QCOMPARE(b(parsed->topVia().branch), "z9hG4bK1837420266"_ba);
        QVERIFY(parsed->contacts().empty());
        QVERIFY(parsed->header(HeaderId::UserAgent).isNull());
    }

    void lenientSearch()
    {
        // Compact and lower-case names, folding, LF line ends, several Vias, an existing To
        // tag, unknown and broken lines in between.
        const QByteArray request = "\r\nMESSAGE sip:34020000002000000001@3402000000 SIP/2.0\n"
                                   "v: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKp2, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKp1\n"
                                   "this line is garbage\n"
                                   "VIA: SIP/2.0/UDP 192.168.1.64:5060;\n"
                                   " rport;branch=z9hG4bK4017\n"
                                   "f: <sip:34020000001320000001@3402000000>;tag=15\n"
                                   "t: <sip:34020000002000000001@3402000000>;tag=ours\n"
                                   "call-id:   12@h  \n"
                                   "cseq: 20\n"
                                   "\tMESSAGE\n"
                                   "X-Broken\n"
                                   "Content-Length: 9\n"
                                   "\n"
                                   "Via: SIP/2.0/UDP in.the.body;branch=z9hG4bKno\n"_ba;
        const auto response = badRequestResponse(request, "broken");
        QVERIFY(response);
        const auto lines = headerLines(*response);
        QCOMPARE(lines, (QList<QByteArray>{
                            "Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKp2"_ba,
                            "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKp1"_ba,
                            "Via: SIP/2.0/UDP 192.168.1.64:5060; rport;branch=z9hG4bK4017"_ba,
                            "From: <sip:34020000001320000001@3402000000>;tag=15"_ba,
                            "To: <sip:34020000002000000001@3402000000>;tag=ours"_ba,
                            "Call-ID: 12@h"_ba,
                            "CSeq: 20 MESSAGE"_ba,
                            "Warning: 399 vigil \"broken\""_ba,
                            "Content-Length: 0"_ba,
                        }));
    }

    void noResponse_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QByteArray ack = crlf(kBadRegister);
        ack.replace("REGISTER sip:", "ACK sip:");
        QTest::newRow("ACK") << ack;
        QTest::newRow("response") << crlf("SIP/2.0 200 OK\n"
                                          "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\n"
                                          "From: <sip:a@h>;tag=1\nTo: <sip:b@h>\nCall-ID: 1\nCSeq: 99999999999 INVITE\n\n");
        QTest::newRow("lower-case response") << crlf("sip/2.0 2000 OK\nVia: SIP/2.0/UDP h\nFrom: a\nTo: b\nCall-ID: 1\nCSeq: 1 X\n\n");
        QTest::newRow("HTTP") << crlf("GET / HTTP/1.1\nVia: SIP/2.0/UDP h\nFrom: a\nTo: b\nCall-ID: 1\nCSeq: 1 GET\n\n");
        QTest::newRow("no request line") << crlf("Via: SIP/2.0/UDP h\nFrom: a\nTo: b\nCall-ID: 1\nCSeq: 1 X\n\n");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("CRLF pings") << "\r\n\r\n"_ba;
        QTest::newRow("binary") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
        for (const char *name : {"Via", "From", "To", "Call-ID", "CSeq"}) {
            QByteArray bytes = crlf(kBadRegister);
            const qsizetype start = bytes.indexOf(QByteArray("\r\n" + QByteArray(name) + ':')) + 2;
            bytes.remove(start, bytes.indexOf("\r\n", start) + 2 - start);
            QTest::newRow(qPrintable(u"without "_s + QLatin1StringView(name))) << bytes;
        }
        QByteArray headersInBody = crlf("OPTIONS sip:h SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n\n"
                                        "From: a\nTo: b\nCall-ID: 1\nCSeq: 1 OPTIONS\n");
        QTest::newRow("headers after the empty line") << headersInBody;
        QByteArray control = crlf(kBadRegister);
        control.replace("Call-ID: 2082571306", QByteArray("Call-ID: 2082\x00" "571306", 20));
        QTest::newRow("NUL in Call-ID") << control;
        QByteArray emptyValue = crlf(kBadRegister);
        emptyValue.replace("Call-ID: 2082571306", "Call-ID:");
        QTest::newRow("empty Call-ID") << emptyValue;
    }

    void noResponse()
    {
        QFETCH(QByteArray, bytes);
        QCOMPARE(badRequestResponse(bytes, "reason"), std::nullopt);
    }

    void warningText_data()
    {
        QTest::addColumn<QByteArray>("reason");
        QTest::addColumn<QByteArray>("warning");
        QTest::newRow("plain") << "Via: empty parameter"_ba << "Via: empty parameter"_ba;
        QTest::newRow("quotes and backslashes") << "To: \"x\\\" <y>"_ba << "To: x <y>"_ba;
        QTest::newRow("line ends") << "a\r\nWarning: 1 evil \"x\"\r\n\r\nb"_ba << "a Warning: 1 evil x b"_ba;
        QTest::newRow("non-ASCII") << "\xe6\xa0\xbc\xe5\xbc\x8f error"_ba << "error"_ba;
        QTest::newRow("controls") << "\x01\x02tab\there\x7f"_ba << "tab here"_ba;
        QTest::newRow("empty") << QByteArray() << "malformed message"_ba;
        QTest::newRow("only quotes") << "\"\"\""_ba << "malformed message"_ba;
        QTest::newRow("long") << QByteArray(300, 'x') << QByteArray(100, 'x');
        QTest::newRow("long with spaces") << QByteArray(99, 'y') + "  z"_ba << QByteArray(99, 'y');
    }

    void warningText()
    {
        QFETCH(QByteArray, reason);
        QFETCH(QByteArray, warning);
        const auto response = badRequestResponse(crlf(kBadRegister), reason);
        QVERIFY(response);
        QVERIFY2(response->contains(QByteArray("\r\nWarning: 399 vigil \"" + warning + "\"\r\n")), response->constData());
        // Whatever the reason said, the response has exactly its header lines.
        QCOMPARE(headerLines(*response).size(), 7);
    }

    void stampsTheTopVia()
    {
        const auto response = badRequestResponse(crlf(kBadRegister), "bad CSeq", QHostAddress(u"198.51.100.23"_s), 40122);
        QVERIFY(response);
        QCOMPARE(headerLines(*response).first(),
                 "Via: SIP/2.0/UDP 192.168.1.64:5060;rport=40122;branch=z9hG4bK1837420266;received=198.51.100.23"_ba);
        // A top Via too broken to parse goes back as it came.
        QByteArray broken = crlf(kBadRegister);
        broken.replace("SIP/2.0/UDP 192.168.1.64:5060;rport;", "SIP/2.0/UDP 192.168.1.64:5060;;rport;");
        const auto asItCame = badRequestResponse(broken, "bad Via", QHostAddress(u"198.51.100.23"_s), 40122);
        QVERIFY(asItCame);
        QCOMPARE(headerLines(*asItCame).first(), "Via: SIP/2.0/UDP 192.168.1.64:5060;;rport;branch=z9hG4bK1837420266"_ba);
    }

    void rfc4475_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("answered");
        QTest::addColumn<bool>("answerParses");
        // 3.1.2: invalid requests get a 400, invalid responses nothing.
        for (const char *name : {"clerr", "ncl", "ltgtruri", "lwsruri", "lwsstart", "trws", "escruri", "baddate",
                                 "regbadct", "mismatch01", "mismatch02"})
            QTest::newRow(name) << QString::fromLatin1(name) << true << true;
        // The same, but what they copy is what is broken, so the 400 does not parse either.
        for (const char *name : {"badinv01", "scalar02", "quotbal", "badaspec", "baddn", "badvers"})
            QTest::newRow(name) << QString::fromLatin1(name) << true << false;
        for (const char *name : {"scalarlg", "bigcode"})
            QTest::newRow(name) << QString::fromLatin1(name) << false << false;
        // 3.3.1: without From, To and Call-ID there is nothing to answer with.
        QTest::newRow("insuf") << u"insuf"_s << false << false;
    }

    void rfc4475()
    {
        QFETCH(QString, file);
        QFETCH(bool, answered);
        QFETCH(bool, answerParses);
        if (!QDir(tortureDir()).exists())
            QSKIP(qPrintable(u"SIP torture messages not found at %1; skipping"_s.arg(tortureDir())));
        QFile f(tortureDir() + u'/' + file + u".dat"_s);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
        const QByteArray bytes = f.readAll();
        const auto request = SipMessage::parse(bytes);
        QVERIFY(!request);
        const auto response = badRequestResponse(bytes, request.error().message.toUtf8());
        QCOMPARE(response.has_value(), answered);
        if (!answered)
            return;
        QVERIFY(response->startsWith("SIP/2.0 400 Bad Request\r\n"));
        const auto parsed = SipMessage::parse(*response);
        QVERIFY2(bool(parsed) == answerParses, qPrintable(parsed ? QString() : parsed.error().message));
        if (parsed) {
            QVERIFY(b(parsed->callId()).startsWith(QByteArray(file.toLatin1() + '.')));
            QVERIFY(!parsed->to().tag().isEmpty());
            QCOMPARE(parsed->headerValues(HeaderId::Warning).size(), 1u);
        }
    }
};

QTEST_GUILESS_MAIN(TestBadRequest)
#include "tst_badrequest.moc"
