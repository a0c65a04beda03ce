// SIP digest authentication: header parsing and writing, the response computation with the
// GB/T 28181 worked example, the registrar's verifier (stateless nonces, stale and forged nonces,
// replay protection, realm handling) and the device simulator's client, alone and together.

#include "sip/digest.h"
#include "sip/sipmessage.h"

#include <QFile>
#include <QSet>
#include <QTest>

#include <cstdint>

using namespace Vigil;
using namespace Vigil::Sip;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Vigil::Sip::DigestOutcome)

namespace QTest {
template <>
char *toString(const Vigil::Sip::DigestOutcome &outcome)
{
    return qstrdup(Vigil::Sip::digestOutcomeName(outcome));
}
} // namespace QTest

namespace {

// gb28181.md §2.4
constexpr QByteArrayView kDeviceId = "34020000001320000001";
constexpr QByteArrayView kRealm = "3402000000";
constexpr QByteArrayView kPassword = "12345678";
constexpr QByteArrayView kUri = "sip:34020000002000000001@3402000000";
const QByteArray kGbAuthorization =
    "Digest username=\"34020000001320000001\", realm=\"3402000000\", "
    "nonce=\"9bd055a2b1c3e4f5a6b7c8d9e0f1a2b3\", uri=\"sip:34020000002000000001@3402000000\", "
    "response=\"db3547e2a215fc012b010536a6829ece\", algorithm=MD5, cnonce=\"0a4f113b\", qop=auth, nc=00000001";

QByteArray str(const DigestHex &hex)
{
    return QByteArray(hex.data(), qsizetype(hex.size()));
}

DigestCredentials parsedCredentials(QByteArrayView value)
{
    auto parsed = DigestCredentials::parse(value);
    if (!parsed)
        qFatal("does not parse: %s", qPrintable(parsed.error().message));
    return *parsed;
}

DigestChallenge parsedChallenge(QByteArrayView value)
{
    auto parsed = DigestChallenge::parse(value);
    if (!parsed)
        qFatal("does not parse: %s", qPrintable(parsed.error().message));
    return *parsed;
}

/// A clock the test moves by hand.
struct ManualClock {
    std::int64_t nowSec = 1'000'000;
    DigestAuthenticator::Clock clock()
    {
        return [this] { return nowSec; };
    }
};

DigestAuthenticator::Options optionsWith(ManualClock &clock, std::uint32_t lifetimeSec = 300,
                                         qsizetype capacity = 65536)
{
    DigestAuthenticator::Options options;
    options.nonceLifetimeSec = lifetimeSec;
    options.replayTableCapacity = capacity;
    options.clock = clock.clock();
    return options;
}

DigestOutcome registerWith(DigestAuthenticator &auth, const DigestCredentials &credentials)
{
    return auth.verify(credentials, "REGISTER", kPassword, kRealm);
}

/// What a device would send after `challengeValue`, with the given client.
DigestCredentials answer(DigestClient &client, const QByteArray &challengeValue, QByteArrayView requestUri = kUri)
{
    auto credentials = client.answer(parsedChallenge(challengeValue), "REGISTER", requestUri);
    if (!credentials)
        qFatal("client failed: %s", qPrintable(credentials.error().message));
    // Through the wire format, as the registrar will see it.
    return parsedCredentials(credentials->toHeaderValue());
}

} // namespace

class TestDigest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // ---- response computation ----

    void gbWorkedExample()
    {
        QCOMPARE(str(digestHa1(kDeviceId, kRealm, kPassword)), "8258341d7dd730ce4d3b8fd2db050320");
        const DigestInput withQop{"REGISTER", kUri, "9bd055a2b1c3e4f5a6b7c8d9e0f1a2b3", "auth", "00000001", "0a4f113b"};
        QCOMPARE(str(digestResponse(kDeviceId, kRealm, kPassword, withQop)), "db3547e2a215fc012b010536a6829ece");
        const DigestInput withoutQop{"REGISTER", kUri, "9bd055a2b1c3e4f5a6b7c8d9e0f1a2b3", {}, {}, {}};
        QCOMPARE(str(digestResponse(kDeviceId, kRealm, kPassword, withoutQop)), "be03b5525dc721a40b56eb532143e328");
        // nc and cnonce do not count without qop
        const DigestInput stray{"REGISTER", kUri, "9bd055a2b1c3e4f5a6b7c8d9e0f1a2b3", {}, "00000001", "0a4f113b"};
        QCOMPARE(str(digestResponse(kDeviceId, kRealm, kPassword, stray)), "be03b5525dc721a40b56eb532143e328");
        // HA1 form
        const DigestHex ha1 = digestHa1(kDeviceId, kRealm, kPassword);
        QCOMPARE(str(digestResponse(ha1, withQop)), "db3547e2a215fc012b010536a6829ece");
    }

    void ncIsHashedVerbatim()
    {
        // "0000000a" and "0000000A" are the same count but different hash input: a device that
        // writes upper case hashed upper case.
        const DigestInput lower{"REGISTER", kUri, "n", "auth", "0000000a", "c"};
        const DigestInput upper{"REGISTER", kUri, "n", "auth", "0000000A", "c"};
        QVERIFY(digestResponse(kDeviceId, kRealm, kPassword, lower)
                != digestResponse(kDeviceId, kRealm, kPassword, upper));
    }

    // ---- DigestCredentials::parse ----

    void parsesGbExample()
    {
        const auto c = DigestCredentials::parse(kGbAuthorization);
        QVERIFY2(c.has_value(), qPrintable(c ? QString() : c.error().message));
        QCOMPARE(c->username, "34020000001320000001");
        QCOMPARE(c->realm, "3402000000");
        QCOMPARE(c->nonce, "9bd055a2b1c3e4f5a6b7c8d9e0f1a2b3");
        QCOMPARE(c->uri, "sip:34020000002000000001@3402000000");
        QCOMPARE(c->response, "db3547e2a215fc012b010536a6829ece");
        QCOMPARE(c->algorithm, "MD5");
        QCOMPARE(c->cnonce, "0a4f113b");
        QCOMPARE(c->qop, "auth");
        QCOMPARE(c->nc, "00000001");
        QVERIFY(!c->opaque.has_value());
        QVERIFY(c->missingField().isEmpty());
    }

    void parsesDeviceVariants_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QByteArray>("qop");
        QTest::addColumn<QByteArray>("nc");
        QTest::addColumn<QByteArray>("algorithm");
        QTest::newRow("bare qop and nc") << QByteArray("Digest username=\"u\",qop=auth,nc=00000001,algorithm=MD5")
                                         << QByteArray("auth") << QByteArray("00000001") << QByteArray("MD5");
        QTest::newRow("quoted qop and nc") << QByteArray("Digest username=\"u\", qop=\"auth\", nc=\"00000001\"")
                                           << QByteArray("auth") << QByteArray("00000001") << QByteArray();
        QTest::newRow("lower-case scheme, spaces around =")
            << QByteArray("digest username = \"u\" , qop = auth , nc = 0000000A")
            << QByteArray("auth") << QByteArray("0000000A") << QByteArray();
        QTest::newRow("upper-case scheme and names, tabs")
            << QByteArray("DIGEST\tUSERNAME=\"u\",\tQOP=auth,NC=0000000a,Algorithm=md5")
            << QByteArray("auth") << QByteArray("0000000a") << QByteArray("md5");
        QTest::newRow("no commas") << QByteArray("Digest username=\"u\" qop=auth nc=00000002")
                                   << QByteArray("auth") << QByteArray("00000002") << QByteArray();
        QTest::newRow("empty list elements") << QByteArray("Digest ,username=\"u\",, qop=auth,nc=00000003,")
                                             << QByteArray("auth") << QByteArray("00000003") << QByteArray();
        QTest::newRow("no qop") << QByteArray("Digest username=\"u\"")
                                << QByteArray() << QByteArray() << QByteArray();
    }

    void parsesDeviceVariants()
    {
        QFETCH(QByteArray, value);
        QFETCH(QByteArray, qop);
        QFETCH(QByteArray, nc);
        QFETCH(QByteArray, algorithm);
        const auto c = DigestCredentials::parse(value);
        QVERIFY2(c.has_value(), qPrintable(c ? QString() : c.error().message));
        QCOMPARE(c->username, "u");
        QCOMPARE(c->qop, qop);
        QCOMPARE(c->nc, nc);
        QCOMPARE(c->algorithm, algorithm);
    }

    void quotedStringsAndDuplicates()
    {
        const auto c = DigestCredentials::parse(
            "Digest username=\"say \\\"hi\\\", \\\\ ok\", realm=\"a,b\", uri=\"sip:x@y;transport=udp\", "
            "realm=\"second\", x-vendor=\"ignored, \\\"really\\\"\", flag=token, username=\"again\", opaque=\"\"");
        QVERIFY2(c.has_value(), qPrintable(c ? QString() : c.error().message));
        QCOMPARE(c->username, "say \"hi\", \\ ok");
        QCOMPARE(c->realm, "a,b"); // the first wins
        QCOMPARE(c->uri, "sip:x@y;transport=udp");
        QVERIFY(c->opaque.has_value());
        QCOMPARE(*c->opaque, "");
    }

    void unknownScheme()
    {
        // RFC 4475 3.3.7
        const auto c = DigestCredentials::parse("NoOneKnowsThisScheme opaque-data=here");
        QVERIFY(!c.has_value());
        QCOMPARE(c.error().code, ErrorCode::Unsupported);
        QVERIFY2(c.error().message.contains(u"NoOneKnowsThisScheme"_s), qPrintable(c.error().message));
        const auto basic = DigestCredentials::parse("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        QVERIFY(!basic.has_value());
        QCOMPARE(basic.error().code, ErrorCode::Unsupported);
        // "Digestive" is not "Digest"
        QCOMPARE(DigestCredentials::parse("Digestive username=\"u\"").error().code, ErrorCode::Unsupported);
    }

    void unknownSchemeFromTortureMessage()
    {
        QFile file(QStringLiteral(VIGIL_SHARED_DIR "/sip/torture/rfc4475/regaut01.dat"));
        if (!file.open(QIODevice::ReadOnly))
            QSKIP(qPrintable(u"%1 not found (an optional folder beside the checkout); skipping"_s.arg(
                file.fileName())));
        const auto message = SipMessage::parse(file.readAll());
        QVERIFY2(message.has_value(), qPrintable(message ? QString() : message.error().message));
        const QByteArrayView value = message->header(HeaderId::Authorization);
        QCOMPARE(value, "NoOneKnowsThisScheme opaque-data=here");
        const auto c = DigestCredentials::parse(value);
        QVERIFY(!c.has_value());
        QCOMPARE(c.error().code, ErrorCode::Unsupported);
    }

    void syntaxErrors_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("empty") << QByteArray("") << u"empty"_s;
        QTest::newRow("blank") << QByteArray("  \t ") << u"empty"_s;
        QTest::newRow("no scheme") << QByteArray("=\"x\"") << u"scheme"_s;
        QTest::newRow("unterminated") << QByteArray("Digest realm=\"x\", username=\"abc") << u"unterminated"_s;
        QTest::newRow("escaped closing quote") << QByteArray("Digest username=\"abc\\\"") << u"unterminated"_s;
        QTest::newRow("no =") << QByteArray("Digest username") << u"username"_s;
        QTest::newRow("name expected") << QByteArray("Digest =abc") << u"parameter name"_s;
        QTest::newRow("junk after quoted") << QByteArray("Digest username=\"a\"\"b\"") << u"username"_s;
        QTest::newRow("newline in value") << QByteArray("Digest username=\"a\nb\"") << u"control"_s;
        QTest::newRow("NUL in bare value") << QByteArray("Digest nc=0\0001", 13) << u"control"_s;
        QTest::newRow("junk after scheme") << QByteArray("Digest\"x\"") << u"after the Digest scheme"_s;
    }

    void syntaxErrors()
    {
        QFETCH(QByteArray, value);
        QFETCH(QString, mentions);
        const auto c = DigestCredentials::parse(value);
        QVERIFY(!c.has_value());
        QCOMPARE(c.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(c.error().message.contains(mentions), qPrintable(c.error().message));
    }

    void missingFields()
    {
        QCOMPARE(parsedCredentials("Digest").missingField(), "username");
        QCOMPARE(parsedCredentials("Digest username=\"u\"").missingField(), "nonce");
        QCOMPARE(parsedCredentials("Digest username=\"u\",nonce=\"n\"").missingField(), "uri");
        QCOMPARE(parsedCredentials("Digest username=\"u\",nonce=\"n\",uri=\"sip:a\"").missingField(), "response");
        const QByteArray complete = "Digest username=\"u\",nonce=\"n\",uri=\"sip:a\",response=\"r\"";
        QCOMPARE(parsedCredentials(complete).missingField(), "");
        QCOMPARE(parsedCredentials(QByteArray(complete + ",qop=auth")).missingField(), "cnonce");
        QCOMPARE(parsedCredentials(QByteArray(complete + ",qop=auth,cnonce=\"c\"")).missingField(), "nc");
        QCOMPARE(parsedCredentials(QByteArray(complete + ",qop=auth,cnonce=\"c\",nc=1")).missingField(), "");
    }

    void credentialsRoundTrip()
    {
        DigestCredentials c = parsedCredentials(kGbAuthorization);
        QCOMPARE(c.toHeaderValue(), kGbAuthorization);
        c.opaque = QByteArray("o\"p");
        c.username = "name with \\ and \" and\r\n newline";
        const DigestCredentials again = parsedCredentials(c.toHeaderValue());
        QCOMPARE(again.username, "name with \\ and \" and newline"); // CR LF cannot be written
        QCOMPARE(*again.opaque, "o\"p");
        QCOMPARE(again.nc, c.nc);
        // A quoted qop comes back bare.
        QCOMPARE(parsedCredentials("Digest qop=\"auth\"").toHeaderValue(),
                 "Digest username=\"\", realm=\"\", nonce=\"\", uri=\"\", response=\"\", qop=auth");
    }

    // ---- DigestChallenge ----

    void challengeParse()
    {
        const auto c = DigestChallenge::parse(
            "Digest realm=\"3402000000\",nonce=\"9bd055a2b1c3e4f5a6b7c8d9e0f1a2b3\",algorithm=MD5,qop=\"auth\"");
        QVERIFY2(c.has_value(), qPrintable(c ? QString() : c.error().message));
        QCOMPARE(c->realm, "3402000000");
        QCOMPARE(c->nonce, "9bd055a2b1c3e4f5a6b7c8d9e0f1a2b3");
        QCOMPARE(c->algorithm, "MD5");
        QCOMPARE(c->qopOptions, QList<QByteArray>{"auth"});
        QVERIFY(c->offersQopAuth());
        QVERIFY(!c->stale);
        QVERIFY(!c->opaque);

        const auto full = DigestChallenge::parse(
            "digest Realm=\"biloxi.com\", qop=\"auth-int, AUTH\", nonce=\"dcd98b\", stale=TRUE, "
            "opaque=\"5ccc069c\", domain=\"sip:a sip:b\", unknown=\"x\"");
        QVERIFY2(full.has_value(), qPrintable(full ? QString() : full.error().message));
        QCOMPARE(full->qopOptions, (QList<QByteArray>{"auth-int", "AUTH"}));
        QVERIFY(full->offersQopAuth());
        QVERIFY(full->stale);
        QCOMPARE(full->opaque.value_or("none"), "5ccc069c");
        QCOMPARE(full->domain, "sip:a sip:b");
        QCOMPARE(full->algorithm, ""); // absent means MD5

        QVERIFY(parsedChallenge("Digest realm=\"r\",nonce=\"n\",qop=auth").offersQopAuth());
        QVERIFY(!parsedChallenge("Digest realm=\"r\",nonce=\"n\",stale=false").stale);
    }

    void challengeErrors()
    {
        QCOMPARE(DigestChallenge::parse("Basic realm=\"x\"").error().code, ErrorCode::Unsupported);
        const auto noNonce = DigestChallenge::parse("Digest realm=\"x\"");
        QVERIFY(!noNonce);
        QVERIFY2(noNonce.error().message.contains(u"nonce"_s), qPrintable(noNonce.error().message));
        const auto noRealm = DigestChallenge::parse("Digest nonce=\"x\"");
        QVERIFY(!noRealm);
        QVERIFY2(noRealm.error().message.contains(u"realm"_s), qPrintable(noRealm.error().message));
        QCOMPARE(DigestChallenge::parse("Digest realm=\"x\",nonce=\"unterminated").error().code,
                 ErrorCode::InvalidArgument);
    }

    void challengeWrite()
    {
        DigestChallenge c;
        c.realm = "3402000000";
        c.nonce = "9bd055a2b1c3e4f5a6b7c8d9e0f1a2b3";
        c.qopOptions = {"auth"};
        QCOMPARE(c.toHeaderValue(),
                 "Digest realm=\"3402000000\",nonce=\"9bd055a2b1c3e4f5a6b7c8d9e0f1a2b3\",algorithm=MD5,qop=\"auth\"");
        c.opaque = QByteArray("op");
        c.stale = true;
        c.qopOptions = {"auth", "auth-int"};
        QCOMPARE(c.toHeaderValue(),
                 "Digest realm=\"3402000000\",nonce=\"9bd055a2b1c3e4f5a6b7c8d9e0f1a2b3\",opaque=\"op\","
                 "algorithm=MD5,qop=\"auth,auth-int\",stale=true");
        c.algorithm = "MD5";
        QCOMPARE(parsedChallenge(c.toHeaderValue()), c);
    }

    // ---- DigestAuthenticator ----

    void challengeFormat()
    {
        ManualClock clock;
        DigestAuthenticator auth(optionsWith(clock));
        const QByteArray value = auth.challengeFor(kRealm);
        QVERIFY2(value.startsWith("Digest realm=\"3402000000\",nonce=\""), value.constData());
        QVERIFY2(value.endsWith("\",algorithm=MD5,qop=\"auth\""), value.constData());
        const DigestChallenge c = parsedChallenge(value);
        QCOMPARE(c.nonce.size(), 40);
        for (char ch : c.nonce)
            QVERIFY(QByteArrayView("0123456789abcdef").contains(ch));
        QVERIFY(!c.opaque);
        QVERIFY(!c.stale);
        QVERIFY(parsedChallenge(auth.challengeFor(kRealm, Stale::Yes)).stale);
        QVERIFY(auth.challengeFor(kRealm, Stale::Yes).endsWith(",stale=true"));

        DigestAuthenticator::Options noQop = optionsWith(clock);
        noQop.qop = QopOffer::None;
        DigestAuthenticator old(noQop);
        QVERIFY2(old.challengeFor(kRealm).endsWith("\",algorithm=MD5"), old.challengeFor(kRealm).constData());
    }

    void noncesAreUniqueAndCostNothing()
    {
        ManualClock clock;
        DigestAuthenticator auth(optionsWith(clock));
        QSet<QByteArray> nonces;
        for (int i = 0; i < 10000; ++i)
            nonces.insert(auth.issueNonce(kRealm));
        QCOMPARE(nonces.size(), 10000);
        QCOMPARE(auth.replayTableSize(), 0);
    }

    void clientServerRoundTrip_data()
    {
        QTest::addColumn<int>("qopOffer");
        QTest::addColumn<int>("qopUse");
        QTest::addColumn<bool>("expectQop");
        QTest::newRow("qop offered and used") << int(QopOffer::Auth) << int(DigestClient::QopUse::AsOffered) << true;
        QTest::newRow("qop offered, old device ignores it")
            << int(QopOffer::Auth) << int(DigestClient::QopUse::Never) << false;
        QTest::newRow("qop not offered") << int(QopOffer::None) << int(DigestClient::QopUse::AsOffered) << false;
    }

    void clientServerRoundTrip()
    {
        QFETCH(int, qopOffer);
        QFETCH(int, qopUse);
        QFETCH(bool, expectQop);
        ManualClock clock;
        DigestAuthenticator::Options options = optionsWith(clock);
        options.qop = QopOffer(qopOffer);
        DigestAuthenticator auth(options);
        DigestClient::Quirks quirks;
        quirks.qop = DigestClient::QopUse(qopUse);
        DigestClient client(kDeviceId.toByteArray(), kPassword.toByteArray(), quirks);

        const DigestCredentials c = answer(client, auth.challengeFor(kRealm));
        QCOMPARE(c.qop.isEmpty(), !expectQop);
        QCOMPARE(c.nc.isEmpty(), !expectQop);
        QCOMPARE(c.cnonce.isEmpty(), !expectQop);
        QCOMPARE(c.username, kDeviceId);
        QCOMPARE(c.uri, kUri);
        QCOMPARE(auth.verify(c, "REGISTER", kPassword, kRealm), DigestOutcome::Ok);
        QCOMPARE(auth.verify(c, "REGISTER", "87654321", kRealm), DigestOutcome::WrongResponse);
        // The method is part of the digest.
        QCOMPARE(auth.verify(c, "MESSAGE", kPassword, kRealm), DigestOutcome::WrongResponse);
        QCOMPARE(auth.replayTableSize(), expectQop ? 1 : 0);
    }

    void defaultOptions()
    {
        DigestAuthenticator auth; // steady clock, 300 s, qop offered
        QCOMPARE(auth.options().nonceLifetimeSec, 300u);
        DigestClient client(kDeviceId.toByteArray(), kPassword.toByteArray());
        const DigestCredentials c = answer(client, auth.challengeFor(kRealm));
        QCOMPARE(c.qop, "auth");
        QCOMPARE(registerWith(auth, c), DigestOutcome::Ok);
        QCOMPARE(registerWith(auth, c), DigestOutcome::ReplayedNonceCount);
    }

    void responseComparedCaseInsensitively()
    {
        ManualClock clock;
        DigestAuthenticator auth(optionsWith(clock));
        DigestClient client(kDeviceId.toByteArray(), kPassword.toByteArray());
        DigestCredentials c = answer(client, auth.challengeFor(kRealm));
        c.response = c.response.toUpper();
        QCOMPARE(auth.verify(c, "REGISTER", kPassword, kRealm), DigestOutcome::Ok);
    }

    void quotedQopAndNcAccepted()
    {
        ManualClock clock;
        DigestAuthenticator auth(optionsWith(clock));
        DigestClient client(kDeviceId.toByteArray(), kPassword.toByteArray());
        const DigestCredentials c = answer(client, auth.challengeFor(kRealm));
        QByteArray value = c.toHeaderValue();
        value.replace("qop=auth", "qop=\"auth\"")
            .replace("nc=00000001", "nc=\"00000001\"")
            .replace(", algorithm=MD5", "");
        const DigestCredentials quoted = parsedCredentials(value);
        QCOMPARE(quoted.qop, "auth");
        QCOMPARE(quoted.nc, "00000001");
        QCOMPARE(quoted.algorithm, ""); // missing algorithm means MD5
        QCOMPARE(auth.verify(quoted, "REGISTER", kPassword, kRealm), DigestOutcome::Ok);
    }

    void ncCase()
    {
        // A device counting in upper-case hex: the hash uses its text, the replay check its value.
        ManualClock clock;
        DigestAuthenticator auth(optionsWith(clock));
        const DigestChallenge challenge = parsedChallenge(auth.challengeFor(kRealm));
        const auto credentials = [&](QByteArrayView nc) {
            DigestCredentials c;
            c.username = kDeviceId.toByteArray();
            c.realm = kRealm.toByteArray();
            c.nonce = challenge.nonce;
            c.uri = kUri.toByteArray();
            c.qop = "auth";
            c.nc = nc.toByteArray();
            c.cnonce = "0a4f113b";
            c.response = str(digestResponse(kDeviceId, kRealm, kPassword,
                                            {"REGISTER", kUri, c.nonce, c.qop, c.nc, c.cnonce}));
            return parsedCredentials(c.toHeaderValue());
        };
        QCOMPARE(auth.verify(credentials("0000000A"), "REGISTER", kPassword, kRealm), DigestOutcome::Ok);
        QCOMPARE(registerWith(auth, credentials("0000000a")), DigestOutcome::ReplayedNonceCount);
        QCOMPARE(auth.verify(credentials("0000000B"), "REGISTER", kPassword, kRealm), DigestOutcome::Ok);
        QCOMPARE(auth.verify(credentials("c"), "REGISTER", kPassword, kRealm), DigestOutcome::Ok); // short form
        QCOMPARE(auth.verify(credentials("0000000x"), "REGISTER", kPassword, kRealm), DigestOutcome::Malformed);
        QCOMPARE(auth.verify(credentials("000000010"), "REGISTER", kPassword, kRealm), DigestOutcome::Malformed);
    }

    void replayedNonceCount()
    {
        ManualClock clock;
        DigestAuthenticator auth(optionsWith(clock));
        DigestClient client(kDeviceId.toByteArray(), kPassword.toByteArray());
        const DigestChallenge challenge = parsedChallenge(auth.challengeFor(kRealm));
        const DigestCredentials first = parsedCredentials(*client.authorization(challenge, "REGISTER", kUri));
        const DigestCredentials second = parsedCredentials(*client.authorization(challenge, "REGISTER", kUri));
        QCOMPARE(first.nc, "00000001");
        QCOMPARE(second.nc, "00000002");
        QVERIFY(first.cnonce != second.cnonce);
        QCOMPARE(auth.verify(first, "REGISTER", kPassword, kRealm), DigestOutcome::Ok);
        QCOMPARE(auth.verify(first, "REGISTER", kPassword, kRealm), DigestOutcome::ReplayedNonceCount);
        QCOMPARE(auth.verify(second, "REGISTER", kPassword, kRealm), DigestOutcome::Ok);
        QCOMPARE(auth.verify(first, "REGISTER", kPassword, kRealm), DigestOutcome::ReplayedNonceCount);
        QCOMPARE(auth.verify(second, "REGISTER", kPassword, kRealm), DigestOutcome::ReplayedNonceCount);
        QCOMPARE(auth.replayTableSize(), 1);

        // A new nonce starts the count again, on both sides.
        const DigestCredentials other = answer(client, auth.challengeFor(kRealm));
        QCOMPARE(other.nc, "00000001");
        QCOMPARE(auth.verify(other, "REGISTER", kPassword, kRealm), DigestOutcome::Ok);
        QCOMPARE(auth.replayTableSize(), 2);
    }

    void nonceReuseWithoutQop()
    {
        // Devices refresh with the nonce they already have; without qop there is no count.
        ManualClock clock;
        DigestAuthenticator auth(optionsWith(clock, 300));
        DigestClient::Quirks quirks;
        quirks.qop = DigestClient::QopUse::Never;
        DigestClient client(kDeviceId.toByteArray(), kPassword.toByteArray(), quirks);
        const DigestCredentials c = answer(client, auth.challengeFor(kRealm));
        QCOMPARE(auth.verify(c, "REGISTER", kPassword, kRealm), DigestOutcome::Ok);
        clock.nowSec += 200;
        QCOMPARE(auth.verify(c, "REGISTER", kPassword, kRealm), DigestOutcome::Ok);
        clock.nowSec += 101;
        QCOMPARE(auth.verify(c, "REGISTER", kPassword, kRealm), DigestOutcome::StaleNonce);
        QCOMPARE(auth.replayTableSize(), 0);
    }

    void staleNonce()
    {
        ManualClock clock;
        DigestAuthenticator auth(optionsWith(clock, 60));
        DigestClient client(kDeviceId.toByteArray(), kPassword.toByteArray());
        const QByteArray challenge = auth.challengeFor(kRealm);
        clock.nowSec += 60;
        QCOMPARE(auth.verify(answer(client, challenge), "REGISTER", kPassword, kRealm), DigestOutcome::Ok);
        clock.nowSec += 1;
        const DigestCredentials late = answer(client, challenge);
        QCOMPARE(auth.verify(late, "REGISTER", kPassword, kRealm), DigestOutcome::StaleNonce);
        // Expired and the wrong password: the password is what matters.
        QCOMPARE(auth.verify(late, "REGISTER", "wrong", kRealm), DigestOutcome::WrongResponse);
        // A clock that went back makes a nonce look issued in the future: stale, never trusted.
        const QByteArray future = auth.challengeFor(kRealm);
        clock.nowSec -= 10;
        QCOMPARE(auth.verify(answer(client, future), "REGISTER", kPassword, kRealm), DigestOutcome::StaleNonce);
    }

    void forgedNonce()
    {
        ManualClock clock;
        DigestAuthenticator auth(optionsWith(clock));
        DigestClient client(kDeviceId.toByteArray(), kPassword.toByteArray());
        const DigestChallenge challenge = parsedChallenge(auth.challengeFor(kRealm));

        const auto tampered = [&](qsizetype index) {
            DigestChallenge c = challenge;
            c.nonce[index] = c.nonce[index] == '0' ? '1' : '0';
            return c;
        };
        for (qsizetype index : {0, 7, 8, 23, 24, 39}) {
            // The attacker does not know the password: no match, not ours.
            DigestClient attacker(kDeviceId.toByteArray(), "guess");
            const DigestCredentials forged =
                parsedCredentials(*attacker.authorization(tampered(index), "REGISTER", kUri));
            QCOMPARE(auth.verify(forged, "REGISTER", kPassword, kRealm), DigestOutcome::ForgedNonce);
        }
        // Garbage and foreign nonces
        DigestCredentials c = answer(client, auth.challengeFor(kRealm));
        c.response = "00000000000000000000000000000000";
        for (const QByteArray &nonce : {QByteArray("9bd055a2b1c3e4f5a6b7c8d9e0f1a2b3"), QByteArray(40, 'z'),
                                        QByteArray(41, '0'), QByteArray("x")}) {
            c.nonce = nonce;
            QCOMPARE(auth.verify(c, "REGISTER", kPassword, kRealm), DigestOutcome::ForgedNonce);
        }
        // A nonce issued for another realm is not valid for ours.
        const DigestCredentials otherRealm = answer(client, auth.challengeFor("4401000000"));
        QCOMPARE(auth.verify(otherRealm, "REGISTER", "wrong", kRealm), DigestOutcome::ForgedNonce);
        QCOMPARE(auth.replayTableSize(), 0);
    }

    void restartMakesNoncesStale()
    {
        ManualClock clock;
        DigestAuthenticator before(optionsWith(clock));
        DigestAuthenticator after(optionsWith(clock)); // a new process: another secret
        DigestClient client(kDeviceId.toByteArray(), kPassword.toByteArray());
        const DigestCredentials c = answer(client, before.challengeFor(kRealm));
        QCOMPARE(after.verify(c, "REGISTER", kPassword, kRealm), DigestOutcome::StaleNonce);
        QCOMPARE(after.verify(c, "REGISTER", "wrong", kRealm), DigestOutcome::ForgedNonce);

        // The GB worked example names a nonce we never issued, with the right digest.
        QCOMPARE(after.verify(parsedCredentials(kGbAuthorization), "REGISTER", kPassword, kRealm),
                 DigestOutcome::StaleNonce);
    }

    void wrongPassword()
    {
        ManualClock clock;
        DigestAuthenticator auth(optionsWith(clock));
        DigestClient client(kDeviceId.toByteArray(), "not-the-password");
        const DigestCredentials c = answer(client, auth.challengeFor(kRealm));
        QCOMPARE(auth.verify(c, "REGISTER", kPassword, kRealm), DigestOutcome::WrongResponse);
        QCOMPARE(auth.replayTableSize(), 0); // failures never fill the table
        QCOMPARE(auth.verify(c, "REGISTER", "not-the-password", kRealm), DigestOutcome::Ok);
    }

    void realmMismatch()
    {
        // The device answers with its own realm; HA1 is over what it sent.
        ManualClock clock;
        DigestAuthenticator auth(optionsWith(clock));
        DigestClient client(kDeviceId.toByteArray(), kPassword.toByteArray());
        DigestChallenge challenge = parsedChallenge(auth.challengeFor(kRealm));
        challenge.realm = "4401000000";
        const DigestCredentials c = parsedCredentials(*client.authorization(challenge, "REGISTER", kUri));
        QCOMPARE(c.realm, "4401000000");
        QCOMPARE(auth.verify(c, "REGISTER", kPassword, kRealm, RealmCheck::Strict), DigestOutcome::RealmMismatch);
        QCOMPARE(auth.verify(c, "REGISTER", kPassword, kRealm, RealmCheck::AcceptDeviceRealm), DigestOutcome::Ok);
        QCOMPARE(auth.verify(c, "REGISTER", "wrong", kRealm, RealmCheck::AcceptDeviceRealm),
                 DigestOutcome::WrongResponse);
    }

    void digestUriFromHeaderNotRequestUri()
    {
        // Hikvision hashes a digest uri that differs from the Request-URI.
        ManualClock clock;
        DigestAuthenticator auth(optionsWith(clock));
        DigestClient::Quirks quirks;
        quirks.digestUri = "sip:34020000002000000001@192.168.1.100:5060";
        DigestClient client(kDeviceId.toByteArray(), kPassword.toByteArray(), quirks);
        const DigestCredentials c = answer(client, auth.challengeFor(kRealm), kUri);
        QCOMPARE(c.uri, "sip:34020000002000000001@192.168.1.100:5060");
        QCOMPARE(auth.verify(c, "REGISTER", kPassword, kRealm), DigestOutcome::Ok);
    }

    void usernameDiffersFromDeviceId()
    {
        ManualClock clock;
        DigestAuthenticator auth(optionsWith(clock));
        DigestClient client("admin", kPassword.toByteArray());
        const DigestCredentials c = answer(client, auth.challengeFor(kRealm));
        QCOMPARE(c.username, "admin");
        QCOMPARE(auth.verify(c, "REGISTER", kPassword, kRealm), DigestOutcome::Ok);
        // The hash covers the user name: claiming to be the device ID does not match.
        DigestCredentials renamed = c;
        renamed.username = kDeviceId.toByteArray();
        renamed.nc = "00000002";
        QCOMPARE(auth.verify(renamed, "REGISTER", kPassword, kRealm), DigestOutcome::WrongResponse);
    }

    void malformedAndUnsupported_data()
    {
        QTest::addColumn<QByteArray>("field");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<DigestOutcome>("outcome");
        QTest::newRow("no username") << QByteArray("username") << QByteArray() << DigestOutcome::Malformed;
        QTest::newRow("no nonce") << QByteArray("nonce") << QByteArray() << DigestOutcome::Malformed;
        QTest::newRow("no uri") << QByteArray("uri") << QByteArray() << DigestOutcome::Malformed;
        QTest::newRow("no response") << QByteArray("response") << QByteArray() << DigestOutcome::Malformed;
        QTest::newRow("short response") << QByteArray("response") << QByteArray("abc") << DigestOutcome::Malformed;
        QTest::newRow("non-hex response") << QByteArray("response") << QByteArray(32, 'g') << DigestOutcome::Malformed;
        QTest::newRow("no cnonce") << QByteArray("cnonce") << QByteArray() << DigestOutcome::Malformed;
        QTest::newRow("no nc") << QByteArray("nc") << QByteArray() << DigestOutcome::Malformed;
        QTest::newRow("SHA-256") << QByteArray("algorithm") << QByteArray("SHA-256") << DigestOutcome::Unsupported;
        QTest::newRow("MD5-sess") << QByteArray("algorithm") << QByteArray("MD5-sess") << DigestOutcome::Unsupported;
        QTest::newRow("auth-int") << QByteArray("qop") << QByteArray("auth-int") << DigestOutcome::Unsupported;
        QTest::newRow("md5 lower case") << QByteArray("algorithm") << QByteArray("md5") << DigestOutcome::Ok;
    }

    void malformedAndUnsupported()
    {
        QFETCH(QByteArray, field);
        QFETCH(QByteArray, value);
        QFETCH(DigestOutcome, outcome);
        ManualClock clock;
        DigestAuthenticator auth(optionsWith(clock));
        DigestClient client(kDeviceId.toByteArray(), kPassword.toByteArray());
        DigestCredentials c = answer(client, auth.challengeFor(kRealm));
        QByteArray *target = field == "username" ? &c.username
                           : field == "nonce"    ? &c.nonce
                           : field == "uri"      ? &c.uri
                           : field == "response" ? &c.response
                           : field == "cnonce"   ? &c.cnonce
                           : field == "nc"       ? &c.nc
                           : field == "qop"      ? &c.qop
                                                 : &c.algorithm;
        *target = value;
        QCOMPARE(auth.verify(c, "REGISTER", kPassword, kRealm), outcome);
    }

    void replayTableIsBounded()
    {
        ManualClock clock;
        DigestAuthenticator auth(optionsWith(clock, 300, 4));
        DigestClient client(kDeviceId.toByteArray(), kPassword.toByteArray());

        // A nonce issued and answered first, but used again only after eviction.
        const QByteArray early = auth.challengeFor(kRealm);
        QCOMPARE(auth.verify(answer(client, early), "REGISTER", kPassword, kRealm), DigestOutcome::Ok);
        // Issued early, never used until after the eviction.
        const QByteArray unused = auth.challengeFor(kRealm);
        DigestClient other(kDeviceId.toByteArray(), kPassword.toByteArray());

        clock.nowSec += 1;
        for (int i = 0; i < 10; ++i) {
            QCOMPARE(registerWith(auth, answer(client, auth.challengeFor(kRealm))), DigestOutcome::Ok);
            QVERIFY(auth.replayTableSize() <= 4);
        }
        QCOMPARE(auth.replayTableSize(), 4);
        // Both were issued no later than an evicted nonce: the table cannot vouch for them.
        QCOMPARE(auth.verify(answer(client, early), "REGISTER", kPassword, kRealm), DigestOutcome::StaleNonce);
        QCOMPARE(auth.verify(answer(other, unused), "REGISTER", kPassword, kRealm), DigestOutcome::StaleNonce);
        // Nonces issued later are unaffected.
        clock.nowSec += 1;
        QCOMPARE(registerWith(auth, answer(client, auth.challengeFor(kRealm))), DigestOutcome::Ok);
    }

    void strangersDoNotGrowTheTable()
    {
        ManualClock clock;
        DigestAuthenticator auth(optionsWith(clock));
        for (int i = 0; i < 2000; ++i) {
            const DigestChallenge challenge = parsedChallenge(auth.challengeFor(kRealm));
            DigestClient stranger(QByteArray::number(i), "guess");
            QCOMPARE(auth.verify(*stranger.answer(challenge, "REGISTER", kUri), "REGISTER", kPassword, kRealm),
                     DigestOutcome::WrongResponse);
        }
        QCOMPARE(auth.replayTableSize(), 0);
    }

    // ---- DigestClient ----

    void clientEchoesOpaqueAndRejectsWhatItCannotDo()
    {
        DigestClient client(kDeviceId.toByteArray(), kPassword.toByteArray());
        DigestChallenge challenge = parsedChallenge("Digest realm=\"3402000000\",nonce=\"abc\",opaque=\"xyz\"");
        const auto c = client.answer(challenge, "REGISTER", kUri);
        QVERIFY(c.has_value());
        QCOMPARE(c->opaque.value_or("none"), "xyz");
        QCOMPARE(c->qop, ""); // not offered
        QCOMPARE(c->algorithm, "MD5");
        QCOMPARE(c->response, str(digestResponse(kDeviceId, kRealm, kPassword, {"REGISTER", kUri, "abc", {}, {}, {}})));

        challenge.algorithm = "SHA-256";
        const auto sha = client.answer(challenge, "REGISTER", kUri);
        QVERIFY(!sha);
        QCOMPARE(sha.error().code, ErrorCode::Unsupported);
        QVERIFY2(sha.error().message.contains(u"SHA-256"_s), qPrintable(sha.error().message));

        challenge.algorithm = "MD5";
        challenge.qopOptions = {"auth-int"};
        const auto authInt = client.answer(challenge, "REGISTER", kUri);
        QVERIFY(!authInt);
        QCOMPARE(authInt.error().code, ErrorCode::Unsupported);
    }

    void clientWritesWhatDevicesWrite()
    {
        DigestClient client(kDeviceId.toByteArray(), kPassword.toByteArray());
        const DigestChallenge challenge = parsedChallenge(
            "Digest realm=\"3402000000\",nonce=\"9bd055a2b1c3e4f5a6b7c8d9e0f1a2b3\",algorithm=MD5,qop=\"auth\"");
        const auto value = client.authorization(challenge, "REGISTER", kUri);
        QVERIFY(value.has_value());
        QVERIFY2(value->startsWith("Digest username=\"34020000001320000001\", realm=\"3402000000\", "
                                   "nonce=\"9bd055a2b1c3e4f5a6b7c8d9e0f1a2b3\", "
                                   "uri=\"sip:34020000002000000001@3402000000\", response=\""),
                 value->constData());
        QVERIFY2(value->contains(", algorithm=MD5, cnonce=\""), value->constData());
        QVERIFY2(value->endsWith("\", qop=auth, nc=00000001"), value->constData());
    }
};

QTEST_GUILESS_MAIN(TestDigest)
#include "tst_digest.moc"
