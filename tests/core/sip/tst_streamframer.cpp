// StreamFramer: SIP over TCP cut into messages whatever the read sizes, keep-alives, and the
// errors that end a connection.

#include "sip/sipmessage.h"
#include "sip/streamframer.h"

#include <QTest>

using namespace Vigil;
using namespace Vigil::Sip;
using namespace Qt::StringLiterals;

namespace {

QByteArray message(QByteArrayView method, int cseq, QByteArrayView body = {})
{
    QByteArray m = method.toByteArray() + " sip:34020000001320000001@192.168.1.64:5060 SIP/2.0\r\n"
        "Via: SIP/2.0/TCP 10.10.0.5:5060;branch=z9hG4bK" + QByteArray::number(cseq) + "\r\n"
        "From: <sip:34020000002000000001@3402000000>;tag=a" + QByteArray::number(cseq) + "\r\n"
        "To: <sip:34020000001320000001@3402000000>\r\n"
        "Call-ID: call" + QByteArray::number(cseq) + "@10.10.0.5\r\n"
        "CSeq: " + QByteArray::number(cseq) + " " + method.toByteArray() + "\r\n"
        "Max-Forwards: 70\r\n";
    if (!body.isEmpty())
        m += "Content-Type: Application/MANSCDP+xml\r\n";
    m += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n";
    m += body;
    return m;
}

const QByteArray kXml = "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Query>\r\n<CmdType>Catalog</CmdType>\r\n"
                        "<SN>17430</SN>\r\n<DeviceID>34020000001320000001</DeviceID>\r\n</Query>\r\n";

/// Everything one feed sequence produced.
struct Outcome {
    QList<QByteArray> messages;
    QList<bool> missingLength;
    int pings = 0;
    QString error;
    qsizetype maxBuffered = 0;
};

Outcome feedAll(StreamFramer &framer, const QList<QByteArrayView> &chunks)
{
    Outcome out;
    for (QByteArrayView chunk : chunks) {
        auto result = framer.feed(chunk, [&](const StreamFramer::Event &event) {
            if (event.kind == StreamFramer::Event::Kind::KeepAlivePing) {
                ++out.pings;
                return;
            }
            out.messages.append(event.message.toByteArray());
            out.missingLength.append(event.contentLengthMissing);
        });
        out.maxBuffered = std::max(out.maxBuffered, framer.bufferedBytes());
        if (!result) {
            out.error = result.error().message;
            break;
        }
    }
    return out;
}

Outcome feedInChunks(QByteArrayView stream, qsizetype chunkSize, qsizetype maxMessageSize = SipMessage::kMaxSize)
{
    StreamFramer framer(maxMessageSize);
    QList<QByteArrayView> chunks;
    for (qsizetype pos = 0; pos < stream.size(); pos += chunkSize)
        chunks.append(stream.sliced(pos, std::min(chunkSize, stream.size() - pos)));
    return feedAll(framer, chunks);
}

} // namespace

class TestStreamFramer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void wholeMessageIsAViewIntoTheChunk()
    {
        const QByteArray m = message("MESSAGE", 1, kXml);
        StreamFramer framer;
        int count = 0;
        auto result = framer.feed(m, [&](const StreamFramer::Event &event) {
            QCOMPARE(event.kind, StreamFramer::Event::Kind::Message);
            QCOMPARE(event.message.data(), m.constData()); // not copied
            QCOMPARE(event.message.size(), m.size());
            QVERIFY(!event.contentLengthMissing);
            ++count;
        });
        QVERIFY(result);
        QCOMPARE(count, 1);
        QVERIFY(framer.isBetweenMessages());

        auto parsed = SipMessage::parse(m, Framing::Stream);
        QVERIFY(parsed);
        QCOMPARE(parsed->body(), QByteArrayView(kXml));
    }

    void severalMessagesInOneRead()
    {
        const QByteArray stream = message("REGISTER", 1) + message("MESSAGE", 2, kXml) + "\r\n"
            + message("MESSAGE", 3, "x") + message("BYE", 4);
        const Outcome out = feedInChunks(stream, stream.size());
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QCOMPARE(out.messages.size(), 4);
        QCOMPARE(out.messages[0], message("REGISTER", 1));
        QCOMPARE(out.messages[1], message("MESSAGE", 2, kXml));
        QCOMPARE(out.messages[2], message("MESSAGE", 3, "x"));
        QCOMPARE(out.messages[3], message("BYE", 4));
        QCOMPARE(out.pings, 0);
        QCOMPARE(out.maxBuffered, 0); // nothing was held back
        for (const QByteArray &m : out.messages)
            QVERIFY(SipMessage::parse(m, Framing::Stream));
    }

    void splitAtEveryPosition()
    {
        const QByteArray first = message("MESSAGE", 1, kXml);
        const QByteArray second = message("REGISTER", 2);
        const QByteArray stream = "\r\n\r\n" + first + "\r\n" + second;
        for (qsizetype cut = 1; cut < stream.size(); ++cut) {
            StreamFramer framer;
            const Outcome out = feedAll(framer, {QByteArrayView(stream).first(cut), QByteArrayView(stream).sliced(cut)});
            QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
            QCOMPARE(out.messages.size(), 2);
            QCOMPARE(out.messages[0], first);
            QCOMPARE(out.messages[1], second);
            QCOMPARE(out.pings, 1);
        }
    }

    void everyChunkSize()
    {
        QByteArray stream;
        for (int i = 1; i <= 6; ++i)
            stream += message(i % 2 ? "MESSAGE" : "NOTIFY", i, i % 3 ? kXml : QByteArray());
        for (qsizetype chunk : {1, 2, 3, 7, 64, 100, 511, 4096}) {
            const Outcome out = feedInChunks(stream, chunk);
            QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
            QCOMPARE(out.messages.size(), 6);
            QCOMPARE(out.messages.join(), stream);
        }
    }

    void keepAlives_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<int>("pings");
        QTest::addColumn<int>("messages");
        QTest::newRow("ping") << QByteArray("\r\n\r\n") << 1 << 0;
        QTest::newRow("two pings") << QByteArray("\r\n\r\n\r\n\r\n") << 2 << 0;
        QTest::newRow("lone CRLF (a pong)") << QByteArray("\r\n") << 0 << 0;
        QTest::newRow("LF-only ping") << QByteArray("\n\n") << 1 << 0;
        QTest::newRow("ping between messages") << message("MESSAGE", 1) + "\r\n\r\n" + message("MESSAGE", 2) << 1 << 2;
        QTest::newRow("CRLF before a message") << "\r\n" + message("MESSAGE", 1) << 0 << 1;
    }

    void keepAlives()
    {
        QFETCH(QByteArray, stream);
        QFETCH(int, pings);
        QFETCH(int, messages);
        for (qsizetype chunk : {qsizetype(1), stream.size()}) {
            const Outcome out = feedInChunks(stream, chunk);
            QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
            QCOMPARE(out.pings, pings);
            QCOMPARE(out.messages.size(), messages);
        }
    }

    void missingContentLengthMeansNoBody()
    {
        QByteArray first = message("MESSAGE", 1);
        first.replace("Content-Length: 0\r\n", "");
        const QByteArray stream = first + message("MESSAGE", 2);
        for (qsizetype chunk : {qsizetype(5), stream.size()}) {
            const Outcome out = feedInChunks(stream, chunk);
            QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
            QCOMPARE(out.messages.size(), 2);
            QCOMPARE(out.messages[0], first);
            QCOMPARE(out.missingLength, (QList<bool>{true, false}));
        }
    }

    void contentLengthSpellings_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::newRow("compact") << QByteArray("l: 5");
        QTest::newRow("lower case, no space") << QByteArray("content-length:5");
        QTest::newRow("spaces around the colon") << QByteArray("CONTENT-LENGTH  :   5  ");
        QTest::newRow("folded") << QByteArray("Content-Length:\r\n   5");
        QTest::newRow("leading zeros") << QByteArray("Content-Length: 005");
        QTest::newRow("repeated, same value") << QByteArray("Content-Length: 5\r\nl: 5");
    }

    void contentLengthSpellings()
    {
        QFETCH(QByteArray, header);
        QByteArray m = message("MESSAGE", 1, "hello");
        m.replace("Content-Length: 5", header);
        const QByteArray stream = m + message("BYE", 2);
        for (qsizetype chunk : {qsizetype(1), stream.size()}) {
            const Outcome out = feedInChunks(stream, chunk);
            QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
            QCOMPARE(out.messages.size(), 2);
            QVERIFY(out.messages[0].endsWith("\r\n\r\nhello"));
            QCOMPARE(out.messages[1], message("BYE", 2));
        }
    }

    void lfOnlyLineEnds()
    {
        QByteArray m = message("MESSAGE", 1, kXml);
        m.replace("\r\n", "\n");
        QByteArray body = kXml;
        body.replace("\r\n", "\n");
        m.replace(QByteArray("Content-Length: " + QByteArray::number(kXml.size())),
                  QByteArray("Content-Length: " + QByteArray::number(body.size())));
        const Outcome out = feedInChunks(QByteArray(m + m), 3);
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QCOMPARE(out.messages.size(), 2);
        QCOMPARE(out.messages[0], m);
        auto parsed = SipMessage::parse(out.messages[0], Framing::Stream);
        QVERIFY(parsed);
        QCOMPARE(parsed->body(), QByteArrayView(body));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QString>("error");
        QByteArray garbage = message("MESSAGE", 1, "hello");
        garbage.replace("Content-Length: 5", "Content-Length: five");
        QTest::newRow("not a number") << garbage << u"Content-Length \"five\" is not a number"_s;
        QByteArray negative = message("MESSAGE", 1, "hello");
        negative.replace("Content-Length: 5", "Content-Length: -5");
        QTest::newRow("negative") << negative << u"Content-Length \"-5\" is not a number"_s;
        QByteArray huge = message("MESSAGE", 1, "hello");
        huge.replace("Content-Length: 5", "Content-Length: 99999999999");
        QTest::newRow("above 2^32") << huge << u"Content-Length \"99999999999\" is too large"_s;
        QByteArray big = message("MESSAGE", 1, "hello");
        big.replace("Content-Length: 5", "Content-Length: 70000");
        QTest::newRow("declared body too large") << big
                                                 << u"Content-Length 70000 makes a message of %1 bytes, larger than the limit of 65535"_s
                                                        .arg(big.indexOf("\r\n\r\n") + 4 + 70000);
        QByteArray twice = message("MESSAGE", 1, "hello");
        twice.replace("Content-Length: 5", "Content-Length: 5\r\nl: 4");
        QTest::newRow("two values") << twice << u"two different Content-Length values (5 and 4)"_s;
        QByteArray endless = "MESSAGE sip:a@b SIP/2.0\r\n";
        while (endless.size() <= SipMessage::kMaxSize)
            endless += "X-Padding: 0123456789012345678901234567890123456789\r\n";
        QTest::newRow("header section too long") << endless << u"no end of the header section within 65535 bytes"_s;
    }

    void errors()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QString, error);
        const QByteArray good = message("MESSAGE", 9);
        for (qsizetype chunk : {qsizetype(1), qsizetype(1000), stream.size()}) {
            const QByteArray all = good + stream;
            StreamFramer framer;
            QList<QByteArrayView> chunks;
            for (qsizetype pos = 0; pos < all.size(); pos += chunk)
                chunks.append(QByteArrayView(all).sliced(pos, std::min(chunk, all.size() - pos)));
            const Outcome out = feedAll(framer, chunks);
            QCOMPARE(out.error, error);
            QCOMPARE(out.messages.size(), 1); // the message before the bad one got through
            QVERIFY(out.maxBuffered <= SipMessage::kMaxSize);
            QVERIFY(framer.hasFailed());
            QCOMPARE(framer.bufferedBytes(), 0);
            // Final: the stream cannot be trusted any more.
            auto again = framer.feed(good, [](const StreamFramer::Event &) { QFAIL("event after an error"); });
            QVERIFY(!again);
            QCOMPARE(again.error().message, error);
        }
    }

    void oversizeBodyFailsBeforeItArrives()
    {
        QByteArray head = message("MESSAGE", 1);
        head.replace("Content-Length: 0", "Content-Length: 65535");
        StreamFramer framer;
        auto result = framer.feed(head, [](const StreamFramer::Event &) { QFAIL("no event expected"); });
        QVERIFY(!result);
        QVERIFY(result.error().message.contains(u"larger than the limit"_s));
    }

    void configuredLimit()
    {
        const QByteArray m = message("MESSAGE", 1, kXml);
        QVERIFY(feedInChunks(m, 10, m.size()).error.isEmpty());
        QCOMPARE(feedInChunks(m, 10, m.size()).messages.size(), 1);
        const Outcome over = feedInChunks(m, 10, m.size() - 1);
        QVERIFY(over.error.contains(u"larger than the limit of %1"_s.arg(m.size() - 1)));
        QVERIFY(over.maxBuffered <= m.size() - 1);
    }

    void largestMessageSplitAnywhere()
    {
        QByteArray body(SipMessage::kMaxSize, 'b');
        QByteArray m = message("MESSAGE", 1, "x");
        body.chop(m.size() - 1 + 4); // "Content-Length: 1" grows to five digits
        m = message("MESSAGE", 1, body);
        QCOMPARE(m.size(), SipMessage::kMaxSize);
        for (qsizetype chunk : {qsizetype(1), qsizetype(1460), qsizetype(65536)}) {
            const Outcome out = feedInChunks(QByteArray(m + message("BYE", 2)), chunk);
            QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
            QCOMPARE(out.messages.size(), 2);
            QCOMPARE(out.messages[0].size(), SipMessage::kMaxSize);
            QVERIFY(out.maxBuffered <= SipMessage::kMaxSize);
        }
    }
};

QTEST_APPLESS_MAIN(TestStreamFramer)
#include "tst_streamframer.moc"
