#include "digest.h"

#include "text.h"

#include <QRandomGenerator>
#include <QString>

#include <chrono>
#include <initializer_list>

using namespace Qt::StringLiterals;

namespace Vigil::Sip {

namespace {

// ---- auth-param lists (RFC 2617 §1.2, RFC 3261 §25: scheme LWS param *("," param)) ----------

/// One parameter as written. A quoted value is the text between the quotes with its
/// backslash escapes still in place; paramValue() removes them.
struct RawParam {
    QByteArrayView name;
    QByteArrayView value;
    bool quoted = false;
};

struct ListError {
    const char *what = nullptr; ///< null: no error
    QByteArrayView name;        ///< the parameter it concerns, when known
};

constexpr bool isForbiddenInValue(char c) noexcept
{
    // A header value cannot carry these; refusing them keeps what we write back well-formed.
    return c == '\r' || c == '\n' || c == '\0';
}

/// Calls f(RawParam) for each parameter. Separators are commas with optional whitespace; a
/// missing comma between two parameters is tolerated, as are empty list elements.
template <typename F>
ListError forEachAuthParam(QByteArrayView text, F &&f)
{
    const qsizetype n = text.size();
    qsizetype i = 0;
    for (;;) {
        while (i < n && (isWsp(text[i]) || text[i] == ','))
            ++i;
        if (i == n)
            return {};
        const qsizetype nameBegin = i;
        while (i < n && isTokenChar(text[i]))
            ++i;
        if (i == nameBegin)
            return {"expected a parameter name", {}};
        RawParam param;
        param.name = text.sliced(nameBegin, i - nameBegin);
        while (i < n && isWsp(text[i]))
            ++i;
        if (i == n || text[i] != '=')
            return {"parameter has no '=' and value", param.name};
        ++i;
        while (i < n && isWsp(text[i]))
            ++i;
        if (i < n && text[i] == '"') {
            const qsizetype begin = ++i;
            while (i < n && text[i] != '"') {
                if (text[i] == '\\' && i + 1 < n)
                    ++i;
                if (isForbiddenInValue(text[i]))
                    return {"control character in quoted value of", param.name};
                ++i;
            }
            if (i >= n)
                return {"unterminated quoted string in", param.name};
            param.value = text.sliced(begin, i - begin);
            param.quoted = true;
            ++i;
        } else {
            const qsizetype begin = i;
            while (i < n && text[i] != ',' && !isWsp(text[i])) {
                if (isForbiddenInValue(text[i]))
                    return {"control character in value of", param.name};
                ++i;
            }
            param.value = text.sliced(begin, i - begin);
        }
        f(param);
        while (i < n && isWsp(text[i]))
            ++i;
        if (i < n && text[i] != ',' && !isTokenChar(text[i]))
            return {"unexpected text after the value of", param.name};
    }
}

QByteArray paramValue(const RawParam &param)
{
    if (!param.quoted || !param.value.contains('\\'))
        return param.value.toByteArray();
    QByteArray out(param.value.size(), Qt::Uninitialized);
    qsizetype size = 0;
    for (qsizetype i = 0; i < param.value.size(); ++i) {
        if (param.value[i] == '\\' && i + 1 < param.value.size())
            ++i;
        out[size++] = param.value[i];
    }
    out.truncate(size);
    return out;
}

/// At most 40 bytes of peer-supplied text, for an error message.
QString excerpt(QByteArrayView text)
{
    return QString::fromLatin1(text.first(qMin<qsizetype>(text.size(), 40)));
}

/// Splits "Digest rest": checks the scheme and returns the parameter text.
Result<QByteArrayView> splitScheme(QByteArrayView value, QLatin1StringView what)
{
    value = trimmed(value);
    if (value.isEmpty())
        return fail(ErrorCode::InvalidArgument, u"digest %1: empty header value"_s.arg(what));
    qsizetype i = 0;
    while (i < value.size() && isTokenChar(value[i]))
        ++i;
    const QByteArrayView scheme = value.first(i);
    if (scheme.isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    u"digest %1: no authentication scheme before \"%2\""_s.arg(what, excerpt(value)));
    if (!equalsIgnoreCase(scheme, "Digest"))
        return fail(ErrorCode::Unsupported,
                    u"digest %1: authentication scheme \"%2\" is not supported (only Digest is)"_s.arg(
                        what, excerpt(scheme)));
    if (i < value.size() && !isWsp(value[i]) && value[i] != ',')
        return fail(ErrorCode::InvalidArgument,
                    u"digest %1: unexpected character after the Digest scheme"_s.arg(what));
    return value.sliced(i);
}

Error listFailure(QLatin1StringView what, const ListError &error)
{
    QString message = u"digest %1: %2"_s.arg(what, QLatin1StringView(error.what));
    if (!error.name.isEmpty())
        message += u" \""_s + excerpt(error.name) + u'"';
    return Error{ErrorCode::InvalidArgument, message};
}

/// A parameter a parser wants, and where its first occurrence goes.
struct Wanted {
    QByteArrayView name;
    QByteArray *target;
    bool seen = false;
};

/// Stores `param` in the entry of `wanted` with its name (case-insensitive), unless it was seen
/// before: the first of a duplicate wins. Parameters nobody wants are skipped.
template <std::size_t N>
void store(std::array<Wanted, N> &wanted, const RawParam &param)
{
    for (Wanted &w : wanted) {
        if (equalsIgnoreCase(param.name, w.name)) {
            if (!w.seen)
                *w.target = paramValue(param);
            w.seen = true;
            return;
        }
    }
}

/// Parses `Digest name=value, ...` into `wanted`; an Error when it cannot.
template <std::size_t N>
std::optional<Error> parseDigestParams(QByteArrayView value, QLatin1StringView what, std::array<Wanted, N> &wanted)
{
    const auto params = splitScheme(value, what);
    if (!params)
        return params.error();
    const ListError error = forEachAuthParam(*params, [&](const RawParam &param) { store(wanted, param); });
    if (error.what)
        return listFailure(what, error);
    return std::nullopt;
}

void appendQuoted(QByteArray &out, QByteArrayView value)
{
    out.append('"');
    for (char c : value) {
        if (isForbiddenInValue(c))
            continue;
        if (c == '"' || c == '\\')
            out.append('\\');
        out.append(c);
    }
    out.append('"');
}

/// Bare when the value is a token (qop=auth, nc=00000001), quoted otherwise.
void appendTokenOrQuoted(QByteArray &out, QByteArrayView value)
{
    if (isToken(value))
        out.append(value);
    else
        appendQuoted(out, value);
}

/// Writes "Digest name=value<sep>name=value...".
class ParamWriter {
public:
    ParamWriter(QByteArray &out, QByteArrayView separator) : m_out(out), m_separator(separator)
    {
        m_out.append("Digest ");
    }
    void quoted(QByteArrayView name, QByteArrayView value)
    {
        start(name);
        appendQuoted(m_out, value);
    }
    void tokenOrQuoted(QByteArrayView name, QByteArrayView value)
    {
        start(name);
        appendTokenOrQuoted(m_out, value);
    }

private:
    void start(QByteArrayView name)
    {
        if (!m_first)
            m_out.append(m_separator);
        m_first = false;
        m_out.append(name).append('=');
    }

    QByteArray &m_out;
    QByteArrayView m_separator;
    bool m_first = true;
};

// ---- hashing ------------------------------------------------------------------------------

constexpr char kHexDigits[] = "0123456789abcdef";

void hexInto(QByteArrayView bytes, char *out) noexcept
{
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        out[2 * i] = kHexDigits[b >> 4];
        out[2 * i + 1] = kHexDigits[b & 0x0f];
    }
}

int hexValue(char c) noexcept
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/// 1 to 16 hex digits, either case.
std::optional<std::uint64_t> parseHex(QByteArrayView text) noexcept
{
    if (text.isEmpty() || text.size() > 16)
        return std::nullopt;
    std::uint64_t value = 0;
    for (char c : text) {
        const int digit = hexValue(c);
        if (digit < 0)
            return std::nullopt;
        value = (value << 4) | std::uint64_t(digit);
    }
    return value;
}

/// MD5 of the parts joined with ':', as lowercase hex. Reuses `md5` (no allocation).
DigestHex md5Hex(QCryptographicHash &md5, std::initializer_list<QByteArrayView> parts)
{
    md5.reset();
    bool first = true;
    for (QByteArrayView part : parts) {
        if (!first)
            md5.addData(QByteArrayView(":", 1));
        md5.addData(part);
        first = false;
    }
    DigestHex hex;
    hexInto(md5.resultView(), hex.data());
    return hex;
}

QByteArrayView view(const DigestHex &hex) noexcept
{
    return QByteArrayView(hex.data(), qsizetype(hex.size()));
}

DigestHex response(QCryptographicHash &md5, const DigestHex &ha1, const DigestInput &input)
{
    const DigestHex ha2 = md5Hex(md5, {input.method, input.digestUri});
    if (input.qop.isEmpty())
        return md5Hex(md5, {view(ha1), input.nonce, view(ha2)});
    return md5Hex(md5, {view(ha1), input.nonce, input.nc, input.cnonce, input.qop, view(ha2)});
}

/// Case-insensitive, and in time independent of where the first difference is.
bool sameHexDigest(QByteArrayView received, const DigestHex &expected) noexcept
{
    if (received.size() != qsizetype(expected.size()))
        return false;
    unsigned difference = 0;
    for (std::size_t i = 0; i < expected.size(); ++i)
        difference |= unsigned(static_cast<unsigned char>(asciiLower(received[qsizetype(i)])) ^
                               static_cast<unsigned char>(expected[i]));
    return difference == 0;
}

bool isHex(QByteArrayView text) noexcept
{
    for (char c : text) {
        if (hexValue(c) < 0)
            return false;
    }
    return true;
}

/// a <= b on a clock that may wrap at 2^32 seconds.
bool notLaterThan(std::uint32_t a, std::uint32_t b) noexcept
{
    return std::int32_t(a - b) <= 0;
}

constexpr qsizetype kNonceSize = 40; // hex: 8 time + 16 serial + 16 MAC

} // namespace

// ---- DigestChallenge ------------------------------------------------------------------------

bool DigestChallenge::offersQopAuth() const noexcept
{
    for (const QByteArray &option : qopOptions) {
        if (equalsIgnoreCase(option, "auth"))
            return true;
    }
    return false;
}

Result<DigestChallenge> DigestChallenge::parse(QByteArrayView value)
{
    DigestChallenge challenge;
    QByteArray opaque, qop, stale;
    std::array<Wanted, 7> wanted{{
        {"realm", &challenge.realm},
        {"nonce", &challenge.nonce},
        {"algorithm", &challenge.algorithm},
        {"domain", &challenge.domain},
        {"qop", &qop},
        {"stale", &stale},
        {"opaque", &opaque},
    }};
    if (auto error = parseDigestParams(value, "challenge"_L1, wanted))
        return std::unexpected(std::move(*error));
    if (!wanted[0].seen)
        return fail(ErrorCode::InvalidArgument, u"digest challenge: no realm"_s);
    if (challenge.nonce.isEmpty())
        return fail(ErrorCode::InvalidArgument, u"digest challenge: no nonce"_s);
    if (wanted[6].seen)
        challenge.opaque = opaque;
    challenge.stale = equalsIgnoreCase(stale, "true");
    for (const QByteArray &option : qop.split(',')) {
        const QByteArrayView name = trimmed(option);
        if (!name.isEmpty())
            challenge.qopOptions.append(name.toByteArray());
    }
    return challenge;
}

QByteArray DigestChallenge::toHeaderValue() const
{
    QByteArray out;
    out.reserve(96 + realm.size() + nonce.size() + (opaque ? opaque->size() : 0) + domain.size());
    ParamWriter w(out, ",");
    w.quoted("realm", realm);
    w.quoted("nonce", nonce);
    if (opaque)
        w.quoted("opaque", *opaque);
    w.tokenOrQuoted("algorithm", algorithm.isEmpty() ? QByteArrayView("MD5") : algorithm);
    if (!qopOptions.isEmpty())
        w.quoted("qop", qopOptions.join(','));
    if (stale)
        w.tokenOrQuoted("stale", "true");
    if (!domain.isEmpty())
        w.quoted("domain", domain);
    return out;
}

// ---- DigestCredentials ----------------------------------------------------------------------

Result<DigestCredentials> DigestCredentials::parse(QByteArrayView value)
{
    DigestCredentials c;
    QByteArray opaque;
    std::array<Wanted, 10> wanted{{
        {"username", &c.username},
        {"realm", &c.realm},
        {"nonce", &c.nonce},
        {"uri", &c.uri},
        {"response", &c.response},
        {"algorithm", &c.algorithm},
        {"cnonce", &c.cnonce},
        {"qop", &c.qop},
        {"nc", &c.nc},
        {"opaque", &opaque},
    }};
    if (auto error = parseDigestParams(value, "credentials"_L1, wanted))
        return std::unexpected(std::move(*error));
    if (wanted[9].seen)
        c.opaque = opaque;
    return c;
}

QByteArray DigestCredentials::toHeaderValue() const
{
    QByteArray out;
    out.reserve(160 + username.size() + realm.size() + nonce.size() + uri.size() + cnonce.size()
                + (opaque ? opaque->size() : 0));
    ParamWriter w(out, ", ");
    w.quoted("username", username);
    w.quoted("realm", realm);
    w.quoted("nonce", nonce);
    w.quoted("uri", uri);
    w.quoted("response", response);
    if (!algorithm.isEmpty())
        w.tokenOrQuoted("algorithm", algorithm);
    if (!cnonce.isEmpty())
        w.quoted("cnonce", cnonce);
    if (!qop.isEmpty())
        w.tokenOrQuoted("qop", qop);
    if (!nc.isEmpty())
        w.tokenOrQuoted("nc", nc);
    if (opaque)
        w.quoted("opaque", *opaque);
    return out;
}

QByteArrayView DigestCredentials::missingField() const noexcept
{
    if (username.isEmpty())
        return "username";
    if (nonce.isEmpty())
        return "nonce";
    if (uri.isEmpty())
        return "uri";
    if (response.isEmpty())
        return "response";
    if (!qop.isEmpty() && cnonce.isEmpty())
        return "cnonce";
    if (!qop.isEmpty() && nc.isEmpty())
        return "nc";
    return {};
}

// ---- digest computation ---------------------------------------------------------------------

DigestHex digestHa1(QByteArrayView username, QByteArrayView realm, QByteArrayView password)
{
    QCryptographicHash md5(QCryptographicHash::Md5);
    return md5Hex(md5, {username, realm, password});
}

DigestHex digestResponse(const DigestHex &ha1, const DigestInput &input)
{
    QCryptographicHash md5(QCryptographicHash::Md5);
    return response(md5, ha1, input);
}

DigestHex digestResponse(QByteArrayView username, QByteArrayView realm, QByteArrayView password,
                         const DigestInput &input)
{
    QCryptographicHash md5(QCryptographicHash::Md5);
    return response(md5, md5Hex(md5, {username, realm, password}), input);
}

const char *digestOutcomeName(DigestOutcome outcome) noexcept
{
    switch (outcome) {
    case DigestOutcome::Ok: return "Ok";
    case DigestOutcome::StaleNonce: return "StaleNonce";
    case DigestOutcome::ForgedNonce: return "ForgedNonce";
    case DigestOutcome::WrongResponse: return "WrongResponse";
    case DigestOutcome::ReplayedNonceCount: return "ReplayedNonceCount";
    case DigestOutcome::RealmMismatch: return "RealmMismatch";
    case DigestOutcome::Unsupported: return "Unsupported";
    case DigestOutcome::Malformed: return "Malformed";
    }
    return "?";
}

// ---- DigestAuthenticator --------------------------------------------------------------------

namespace {

QByteArray randomSecret()
{
    std::array<quint32, 8> words;
    QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
    return QByteArray(reinterpret_cast<const char *>(words.data()), qsizetype(sizeof words));
}

/// a <= b for serials that may wrap.
bool serialNotAfter(std::uint64_t a, std::uint64_t b) noexcept
{
    return std::int64_t(a - b) <= 0;
}

} // namespace

DigestAuthenticator::DigestAuthenticator() : DigestAuthenticator(Options{}) {}

DigestAuthenticator::DigestAuthenticator(Options options)
    : m_options(std::move(options)),
      m_hmac(QCryptographicHash::Sha256, randomSecret()),
      m_nextSerial(QRandomGenerator::system()->generate64())
{
    Q_ASSERT(m_options.replayTableCapacity > 0);
    if (!m_options.clock) {
        m_options.clock = [] {
            return std::int64_t(std::chrono::duration_cast<std::chrono::seconds>(
                                    std::chrono::steady_clock::now().time_since_epoch())
                                    .count());
        };
    }
}

std::uint32_t DigestAuthenticator::nowSec() const
{
    return std::uint32_t(m_options.clock());
}

std::array<char, 8> DigestAuthenticator::mac(std::uint32_t issuedSec, std::uint64_t serial, QByteArrayView realm)
{
    char message[12];
    for (int i = 0; i < 4; ++i)
        message[i] = char(issuedSec >> (24 - 8 * i));
    for (int i = 0; i < 8; ++i)
        message[4 + i] = char(serial >> (56 - 8 * i));
    m_hmac.reset();
    m_hmac.addData(message, sizeof message);
    m_hmac.addData(realm.data(), realm.size());
    const QByteArray full = m_hmac.result();
    std::array<char, 8> truncated;
    std::copy_n(full.constData(), truncated.size(), truncated.begin());
    return truncated;
}

QByteArray DigestAuthenticator::issueNonce(QByteArrayView realm)
{
    const std::uint32_t issuedSec = nowSec();
    const std::uint64_t serial = m_nextSerial++;
    const std::array<char, 8> tag = mac(issuedSec, serial, realm);

    char raw[20];
    for (int i = 0; i < 4; ++i)
        raw[i] = char(issuedSec >> (24 - 8 * i));
    for (int i = 0; i < 8; ++i)
        raw[4 + i] = char(serial >> (56 - 8 * i));
    std::copy(tag.begin(), tag.end(), raw + 12);
    QByteArray nonce(kNonceSize, Qt::Uninitialized);
    hexInto(QByteArrayView(raw, sizeof raw), nonce.data());
    return nonce;
}

DigestChallenge DigestAuthenticator::challenge(QByteArrayView realm, Stale stale)
{
    DigestChallenge c;
    c.realm = realm.toByteArray();
    c.nonce = issueNonce(realm);
    c.algorithm = "MD5";
    if (m_options.qop == QopOffer::Auth)
        c.qopOptions = {QByteArray("auth")};
    c.stale = stale == Stale::Yes;
    return c;
}

QByteArray DigestAuthenticator::challengeFor(QByteArrayView realm, Stale stale)
{
    return challenge(realm, stale).toHeaderValue();
}

DigestAuthenticator::NonceState DigestAuthenticator::checkNonce(QByteArrayView nonce, QByteArrayView realm,
                                                                NonceParts &parts)
{
    if (nonce.size() != kNonceSize || !isHex(nonce))
        return NonceState::Foreign;
    parts.issuedSec = std::uint32_t(*parseHex(nonce.first(8)));
    parts.serial = *parseHex(nonce.sliced(8, 16));
    for (std::size_t i = 0; i < parts.mac.size(); ++i)
        parts.mac[i] = char((hexValue(nonce[24 + 2 * qsizetype(i)]) << 4) | hexValue(nonce[25 + 2 * qsizetype(i)]));

    const std::array<char, 8> expected = mac(parts.issuedSec, parts.serial, realm);
    unsigned difference = 0;
    for (std::size_t i = 0; i < expected.size(); ++i)
        difference |= unsigned(static_cast<unsigned char>(expected[i] ^ parts.mac[i]));
    if (difference != 0)
        return NonceState::Foreign;

    const std::uint32_t now = nowSec();
    // A nonce from the future can only come from a clock that went back: treat it as expired.
    if (!notLaterThan(parts.issuedSec, now) || now - parts.issuedSec > m_options.nonceLifetimeSec)
        return NonceState::Expired;
    return NonceState::Fresh;
}

DigestOutcome DigestAuthenticator::checkReplay(const NonceParts &parts, std::uint32_t nc)
{
    if (const auto it = m_slotOf.constFind(parts.serial); it != m_slotOf.cend()) {
        ReplayEntry &entry = m_ring[std::size_t(*it)];
        if (nc <= entry.highestNc)
            return DigestOutcome::ReplayedNonceCount;
        entry.highestNc = nc;
        return DigestOutcome::Ok;
    }
    // Not in the table: never used, or used and evicted. Only the first is safe to accept, and
    // every evicted serial is at most m_evictedUpTo.
    if (m_evictedUpTo && serialNotAfter(parts.serial, *m_evictedUpTo))
        return DigestOutcome::StaleNonce;

    const ReplayEntry fresh{parts.serial, nc};
    if (qsizetype(m_ring.size()) < m_options.replayTableCapacity) {
        m_ring.push_back(fresh);
        m_slotOf.insert(fresh.serial, qsizetype(m_ring.size()) - 1);
        return DigestOutcome::Ok;
    }
    ReplayEntry &oldest = m_ring[std::size_t(m_ringNext)];
    m_slotOf.remove(oldest.serial);
    if (!m_evictedUpTo || serialNotAfter(*m_evictedUpTo, oldest.serial))
        m_evictedUpTo = oldest.serial;
    oldest = fresh;
    m_slotOf.insert(fresh.serial, m_ringNext);
    m_ringNext = (m_ringNext + 1) % m_options.replayTableCapacity;
    return DigestOutcome::Ok;
}

DigestOutcome DigestAuthenticator::verify(const DigestCredentials &credentials, QByteArrayView method,
                                          QByteArrayView password, QByteArrayView ourRealm,
                                          RealmCheck realmCheck)
{
    const DigestCredentials &c = credentials;
    if (!c.missingField().isEmpty())
        return DigestOutcome::Malformed;
    if (!c.algorithm.isEmpty() && !equalsIgnoreCase(c.algorithm, "MD5"))
        return DigestOutcome::Unsupported;
    const bool withQop = !c.qop.isEmpty();
    if (withQop && !equalsIgnoreCase(c.qop, "auth"))
        return DigestOutcome::Unsupported;
    if (c.response.size() != 32 || !isHex(c.response))
        return DigestOutcome::Malformed;
    std::uint32_t nc = 0;
    if (withQop) {
        const auto parsed = c.nc.size() <= 8 ? parseHex(c.nc) : std::nullopt;
        if (!parsed)
            return DigestOutcome::Malformed;
        nc = std::uint32_t(*parsed);
    }
    if (realmCheck == RealmCheck::Strict && c.realm != ourRealm)
        return DigestOutcome::RealmMismatch;

    NonceParts parts;
    const NonceState nonceState = checkNonce(c.nonce, ourRealm, parts);

    const DigestHex ha1 = md5Hex(m_md5, {c.username, c.realm, password});
    const DigestHex expected = response(m_md5, ha1, {method, c.uri, c.nonce, c.qop, c.nc, c.cnonce});
    const bool matches = sameHexDigest(c.response, expected);

    switch (nonceState) {
    case NonceState::Foreign:
        return matches ? DigestOutcome::StaleNonce : DigestOutcome::ForgedNonce;
    case NonceState::Expired:
        return matches ? DigestOutcome::StaleNonce : DigestOutcome::WrongResponse;
    case NonceState::Fresh:
        break;
    }
    if (!matches)
        return DigestOutcome::WrongResponse;
    return withQop ? checkReplay(parts, nc) : DigestOutcome::Ok;
}

// ---- DigestClient ---------------------------------------------------------------------------

DigestClient::DigestClient(QByteArray username, QByteArray password, Quirks quirks)
    : m_username(std::move(username)), m_password(std::move(password)), m_quirks(std::move(quirks))
{
}

Result<DigestCredentials> DigestClient::answer(const DigestChallenge &challenge, QByteArrayView method,
                                               QByteArrayView requestUri)
{
    if (!challenge.algorithm.isEmpty() && !equalsIgnoreCase(challenge.algorithm, "MD5"))
        return fail(ErrorCode::Unsupported,
                    u"digest: the server asks for algorithm %1; only MD5 is supported"_s.arg(
                        excerpt(challenge.algorithm)));
    bool withQop = false;
    if (m_quirks.qop == QopUse::AsOffered && !challenge.qopOptions.isEmpty()) {
        if (!challenge.offersQopAuth())
            return fail(ErrorCode::Unsupported,
                        u"digest: the server offers qop \"%1\"; only auth is supported"_s.arg(
                            excerpt(challenge.qopOptions.join(','))));
        withQop = true;
    }

    DigestCredentials c;
    c.username = m_username;
    c.realm = challenge.realm;
    c.nonce = challenge.nonce;
    c.uri = m_quirks.digestUri.isEmpty() ? requestUri.toByteArray() : m_quirks.digestUri;
    c.algorithm = "MD5";
    c.opaque = challenge.opaque;
    if (withQop) {
        if (challenge.nonce != m_lastNonce) {
            m_lastNonce = challenge.nonce;
            m_nc = 0;
        }
        ++m_nc;
        c.qop = "auth";
        c.nc = QByteArray::number(m_nc, 16).rightJustified(8, '0');
        c.cnonce = QByteArray::number(QRandomGenerator::global()->generate64(), 16).rightJustified(16, '0');
    }
    const DigestHex digest = digestResponse(m_username, c.realm, m_password,
                                            {method, c.uri, c.nonce, c.qop, c.nc, c.cnonce});
    c.response = QByteArray(digest.data(), qsizetype(digest.size()));
    return c;
}

Result<QByteArray> DigestClient::authorization(const DigestChallenge &challenge, QByteArrayView method,
                                               QByteArrayView requestUri)
{
    const auto credentials = answer(challenge, method, requestUri);
    if (!credentials)
        return std::unexpected(credentials.error());
    return credentials->toHeaderValue();
}

} // namespace Vigil::Sip
