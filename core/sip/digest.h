#pragma once

// SIP digest authentication (RFC 2617, RFC 3261 §22), MD5 only, sans I/O: header values in,
// header values and verdicts out. The registrar uses DigestAuthenticator, vigil-camsim uses
// DigestClient; both use the two header types and digestResponse().

#include "common/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCryptographicHash>
#include <QHash>
#include <QList>
#include <QMessageAuthenticationCode>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace Vigil::Sip {

/// Thirty-two lowercase hex digits: an MD5 digest as digest authentication writes it.
using DigestHex = std::array<char, 32>;

/// A WWW-Authenticate or Proxy-Authenticate value with the Digest scheme. Owns its bytes.
struct DigestChallenge {
    QByteArray realm;
    QByteArray nonce;
    /// Echoed back by the client when present. Vigil never sends one: several GB devices drop it.
    std::optional<QByteArray> opaque;
    QByteArray algorithm;        ///< as written; empty when absent, which means MD5
    QList<QByteArray> qopOptions; ///< the quoted comma list split and trimmed: {"auth", "auth-int"}
    bool stale = false;          ///< the previous nonce was stale: retry without asking the user
    QByteArray domain;           ///< space-separated URIs, verbatim; rarely sent

    /// True when qopOptions has "auth" (case-insensitive).
    bool offersQopAuth() const noexcept;

    /// Parses a header value such as `Digest realm="3402000000",nonce="...",qop="auth"`. The
    /// scheme is case-insensitive, parameters come in any order, the first of a duplicate wins,
    /// unknown ones are skipped. Fails with ErrorCode::Unsupported for another scheme (Basic...)
    /// and with ErrorCode::InvalidArgument for broken syntax or a missing realm or nonce.
    static Result<DigestChallenge> parse(QByteArrayView value);

    /// `Digest realm="3402000000",nonce="...",algorithm=MD5,qop="auth"`, followed by opaque,
    /// stale=true and domain only when set. An empty algorithm is written as MD5. CR, LF and NUL
    /// cannot appear in a header and are left out of quoted values.
    QByteArray toHeaderValue() const;

    friend bool operator==(const DigestChallenge &, const DigestChallenge &) = default;
};

/// An Authorization or Proxy-Authorization value with the Digest scheme. Owns its bytes; every
/// field is kept exactly as received (quotes and escapes removed), so that the hash is computed
/// over what the device hashed. Empty means absent.
struct DigestCredentials {
    QByteArray username; ///< a device ID, or a user name configured on the device
    QByteArray realm;    ///< the realm the device used, which may not be ours
    QByteArray nonce;
    QByteArray uri;      ///< the digest-uri: hash this, never the Request-URI (Hikvision differ)
    QByteArray response; ///< hex; compared case-insensitively
    QByteArray algorithm; ///< empty means MD5
    QByteArray cnonce;
    QByteArray qop;      ///< "auth", or empty for RFC 2069 style answers without qop
    QByteArray nc;       ///< nonce count, 8 hex digits as sent: hashed verbatim, never reformatted
    std::optional<QByteArray> opaque;

    /// Parses a header value. Liberal like the devices it serves: scheme case-insensitive,
    /// parameters separated by commas with optional spaces (or by spaces alone), quoted strings
    /// with backslash escapes, bare values where devices use them (qop=auth, nc=00000001) and
    /// quoted ones where others do (qop="auth"), first of a duplicate wins, unknown ones skipped.
    /// Missing fields are not a parse error (DigestAuthenticator::verify() says Malformed).
    /// Fails with ErrorCode::Unsupported for a scheme other than Digest (RFC 4475's
    /// `NoOneKnowsThisScheme opaque-data=here`), which a registrar answers with a fresh
    /// challenge, and with ErrorCode::InvalidArgument for broken syntax.
    static Result<DigestCredentials> parse(QByteArrayView value);

    /// `Digest username="...", realm="...", nonce="...", uri="...", response="...",
    /// algorithm=MD5, cnonce="...", qop=auth, nc=00000001`: the first five always, the others
    /// when not empty, opaque when set. qop, nc and algorithm are bare when they are tokens.
    /// CR, LF and NUL are left out of quoted values.
    QByteArray toHeaderValue() const;

    /// The name of the first required field that is empty ("username", "nc"...), or an empty
    /// view when nothing is missing. cnonce and nc are required only with qop.
    QByteArrayView missingField() const noexcept;

    friend bool operator==(const DigestCredentials &, const DigestCredentials &) = default;
};

/// HA1 = MD5(username ":" realm ":" password), lowercase hex.
DigestHex digestHa1(QByteArrayView username, QByteArrayView realm, QByteArrayView password);

/// What goes into a digest response besides the secret.
struct DigestInput {
    QByteArrayView method;    ///< "REGISTER"
    QByteArrayView digestUri; ///< the uri parameter, exactly as in the Authorization header
    QByteArrayView nonce;
    QByteArrayView qop;       ///< "auth", or empty for the RFC 2069 form
    QByteArrayView nc;        ///< used only with qop, verbatim
    QByteArrayView cnonce;    ///< used only with qop
};

/// The request-digest of RFC 2617 §3.2.2.1 with algorithm MD5, lowercase hex:
/// HA2 = MD5(method ":" digest-uri); without qop MD5(HA1 ":" nonce ":" HA2), with qop
/// MD5(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2). `ha1` is digestHa1()'s result.
DigestHex digestResponse(const DigestHex &ha1, const DigestInput &input);

/// Convenience: digestResponse(digestHa1(username, realm, password), input).
DigestHex digestResponse(QByteArrayView username, QByteArrayView realm, QByteArrayView password,
                         const DigestInput &input);

/// What DigestAuthenticator::verify() concluded, with what a registrar should answer.
enum class DigestOutcome : std::uint8_t {
    Ok,                 ///< 200: the device knows the password and the nonce is fresh
    /// 401 with stale=true: the response is right for the nonce it names, but that nonce has
    /// expired, was issued before a restart (each process has its own secret), or may have
    /// left the replay table. The device retries with the new nonce without a new password.
    StaleNonce,
    /// 401 with a fresh challenge: the nonce was not issued here and the response does not match
    /// it either: a forgery, a guess, or an old nonce answered with a wrong password.
    ForgedNonce,
    /// 403: our fresh (or expired) nonce, but the response is wrong: the password differs.
    WrongResponse,
    /// 401 with stale=true: the nonce count did not increase, so this may be a replay. A genuine
    /// device that restarts its count gets a new nonce; a replayer learns nothing.
    ReplayedNonceCount,
    /// 403: RealmCheck::Strict and the device used another realm than ours.
    RealmMismatch,
    /// 403: an algorithm other than MD5 (SHA-256, SM3...) or a qop other than auth (auth-int).
    Unsupported,
    /// 400 or a fresh 401: a required field is missing or has an impossible form
    /// (see DigestCredentials::missingField()).
    Malformed,
};

/// English name of an outcome ("StaleNonce"), for logs.
const char *digestOutcomeName(DigestOutcome outcome) noexcept;

/// Whether verify() insists that the device hashed with our realm. GB/T 28181 platforms use
/// the realm the device sent (a wrong realm still needs the right password to match).
enum class RealmCheck : std::uint8_t { AcceptDeviceRealm, Strict };

/// Whether a challenge says stale=true.
enum class Stale : std::uint8_t { No, Yes };

/// Whether challenges offer qop="auth" (RFC 2617, wvp, LiveGBS) or leave it out (RFC 2069).
enum class QopOffer : std::uint8_t { Auth, None };

/// The server side of digest authentication, one per registrar. Signalling thread only: not
/// thread-safe (verify() updates the replay table, both calls reuse hash state).
///
/// Nonces are stateless, so that challenging a flood of strangers costs no memory: a nonce is
/// 40 lowercase hex digits, hex(issue time, 4 bytes) + hex(serial, 8 bytes) + hex(the first
/// 8 bytes of HMAC-SHA256(secret, time | serial | realm)). The serial counts issued nonces from
/// a random start, so no two nonces of a process are alike and their issue order is known.
/// verify() checks authenticity and age from the nonce alone. The secret is random per
/// authenticator, so a restart turns every outstanding nonce into a stale one: devices answering
/// an old challenge get StaleNonce (their response still matches their nonce) and retry after a
/// 401 with stale=true.
///
/// With qop=auth the nonce count must grow per nonce. The highest count of each nonce is kept
/// in a table that is filled only after a successful verification (strangers cannot grow it)
/// and holds at most Options::replayTableCapacity entries (about 50 bytes each: 3.2 MB for the
/// default 65536); when full, the entry used first is evicted, and from then on a nonce that is
/// not in the table but was issued before an evicted one is answered StaleNonce rather than
/// trusted. Under load that only affects devices that answer later than `capacity` other
/// successful verifications. Without qop there is no count: a device may reuse a nonce while it
/// is fresh (devices do, on refresh), so such a response can be replayed within the nonce
/// lifetime; the registrar's Call-ID and source checks are what remains.
class DigestAuthenticator {
public:
    /// A monotonic clock in seconds (the epoch does not matter: only differences do).
    using Clock = std::function<std::int64_t()>;

    struct Options {
        std::uint32_t nonceLifetimeSec = 300;
        qsizetype replayTableCapacity = 65536;
        QopOffer qop = QopOffer::Auth;
        /// Empty: std::chrono::steady_clock. Tests inject their own.
        Clock clock;
    };

    DigestAuthenticator();
    explicit DigestAuthenticator(Options options);

    DigestAuthenticator(const DigestAuthenticator &) = delete;
    DigestAuthenticator &operator=(const DigestAuthenticator &) = delete;

    /// A WWW-Authenticate (or Proxy-Authenticate) value with a new nonce for `realm`:
    /// `Digest realm="3402000000",nonce="...",algorithm=MD5,qop="auth"`, plus stale=true.
    QByteArray challengeFor(QByteArrayView realm, Stale stale = Stale::No);
    /// The challenge itself, for callers that add to it.
    DigestChallenge challenge(QByteArrayView realm, Stale stale = Stale::No);
    /// A new nonce bound to `realm`, valid for Options::nonceLifetimeSec.
    QByteArray issueNonce(QByteArrayView realm);

    /// Checks credentials from an Authorization header against `password`. `method` is the
    /// request's method ("REGISTER"); `ourRealm` is the realm the challenge was issued for.
    /// The digest uri is taken from the credentials, as sent, never from the Request-URI; the
    /// response is compared case-insensitively and in constant time.
    DigestOutcome verify(const DigestCredentials &credentials, QByteArrayView method,
                         QByteArrayView password, QByteArrayView ourRealm,
                         RealmCheck realmCheck = RealmCheck::AcceptDeviceRealm);

    /// Entries in the replay table (at most Options::replayTableCapacity).
    qsizetype replayTableSize() const noexcept { return m_slotOf.size(); }
    const Options &options() const noexcept { return m_options; }

private:
    struct NonceParts {
        std::uint32_t issuedSec = 0;
        std::uint64_t serial = 0;
        std::array<char, 8> mac{};
    };
    struct ReplayEntry {
        std::uint64_t serial = 0;
        std::uint32_t highestNc = 0;
    };
    enum class NonceState : std::uint8_t { Fresh, Expired, Foreign };

    std::uint32_t nowSec() const;
    std::array<char, 8> mac(std::uint32_t issuedSec, std::uint64_t serial, QByteArrayView realm);
    NonceState checkNonce(QByteArrayView nonce, QByteArrayView realm, NonceParts &parts);
    DigestOutcome checkReplay(const NonceParts &parts, std::uint32_t nc);

    Options m_options;
    QCryptographicHash m_md5{QCryptographicHash::Md5};
    QMessageAuthenticationCode m_hmac;
    std::uint64_t m_nextSerial = 0;
    std::vector<ReplayEntry> m_ring; ///< insertion order; m_ringNext is the oldest when full
    qsizetype m_ringNext = 0;
    QHash<std::uint64_t, qsizetype> m_slotOf; ///< nonce serial -> index in m_ring
    std::optional<std::uint64_t> m_evictedUpTo; ///< the highest serial ever evicted
};

/// Deliberate device behaviours of a DigestClient, for tests of the registrar's tolerance.
struct DigestClientQuirks {
    /// Whether to use qop="auth" when the challenge offers it.
    enum class QopUse : std::uint8_t {
        AsOffered,
        Never, ///< the RFC 2069 form (no qop, nc, cnonce) even when offered, as old devices do
    };

    QopUse qop = QopUse::AsOffered;
    /// Hash and send this digest uri instead of the Request-URI (Hikvision style), when set.
    QByteArray digestUri;
};

/// The client side, one per simulated device (vigil-camsim): answers challenges with a fresh
/// cnonce and a nonce count that grows per nonce and restarts at 1 for a new nonce.
/// Not thread-safe.
class DigestClient {
public:
    using Quirks = DigestClientQuirks;
    using QopUse = DigestClientQuirks::QopUse;

    /// `username` is usually the device ID, but devices let installers configure another one.
    DigestClient(QByteArray username, QByteArray password, Quirks quirks = {});

    /// The credentials answering `challenge` for a request. Fails with ErrorCode::Unsupported
    /// when the challenge asks for an algorithm other than MD5, or offers only qops other than
    /// auth.
    Result<DigestCredentials> answer(const DigestChallenge &challenge, QByteArrayView method,
                                     QByteArrayView requestUri);
    /// answer() written as an Authorization value.
    Result<QByteArray> authorization(const DigestChallenge &challenge, QByteArrayView method,
                                     QByteArrayView requestUri);

    const QByteArray &username() const noexcept { return m_username; }

private:
    QByteArray m_username;
    QByteArray m_password;
    Quirks m_quirks;
    QByteArray m_lastNonce;
    std::uint32_t m_nc = 0;
};

} // namespace Vigil::Sip
