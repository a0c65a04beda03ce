// libFuzzer target: DigestChallenge::parse and DigestCredentials::parse on arbitrary bytes.
// Whatever parses must write and parse again to the same fields; parsed credentials also go
// through the registrar's verify() (nonce decoding, hashing) and parsed challenges through the
// client.

#include "sip/digest.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Vigil::Sip;

namespace {

DigestAuthenticator &authenticator()
{
    static DigestAuthenticator instance([] {
        DigestAuthenticator::Options options;
        options.replayTableCapacity = 64;
        options.clock = [] { return std::int64_t(1000); };
        return options;
    }());
    return instance;
}

/// Nonces the authenticator really issued, so that inputs also reach the replay table.
const QByteArray &issuedNonce(std::size_t index)
{
    static const std::array<QByteArray, 4> nonces = [] {
        std::array<QByteArray, 4> n;
        for (QByteArray &nonce : n)
            nonce = authenticator().issueNonce("3402000000");
        return n;
    }();
    return nonces[index % nonces.size()];
}

void checkChallenge(QByteArrayView bytes)
{
    const auto challenge = DigestChallenge::parse(bytes);
    if (!challenge)
        return;
    const auto again = DigestChallenge::parse(challenge->toHeaderValue());
    if (!again)
        std::abort(); // what we write must parse
    DigestChallenge expected = *challenge;
    if (expected.algorithm.isEmpty())
        expected.algorithm = "MD5"; // written explicitly
    if (*again != expected)
        std::abort();
    DigestClient client("34020000001320000001", "12345678");
    const auto answer = client.answer(*challenge, "REGISTER", "sip:34020000002000000001@3402000000");
    if (answer && !DigestCredentials::parse(answer->toHeaderValue()))
        std::abort();
}

void checkCredentials(QByteArrayView bytes)
{
    const auto credentials = DigestCredentials::parse(bytes);
    if (!credentials)
        return;
    const auto again = DigestCredentials::parse(credentials->toHeaderValue());
    if (!again || *again != *credentials)
        std::abort();
    (void)authenticator().verify(*credentials, "REGISTER", "12345678", "3402000000", RealmCheck::AcceptDeviceRealm);
    (void)authenticator().verify(*credentials, "REGISTER", "12345678", "3402000000", RealmCheck::Strict);

    // The same fields with a genuine nonce and a matching response.
    DigestCredentials genuine = *credentials;
    genuine.nonce = issuedNonce(std::size_t(bytes.size()));
    const DigestInput input{"REGISTER", genuine.uri, genuine.nonce, genuine.qop, genuine.nc, genuine.cnonce};
    const DigestHex response = digestResponse(genuine.username, genuine.realm, "12345678", input);
    genuine.response = QByteArray(response.data(), qsizetype(response.size()));
    const DigestOutcome outcome = authenticator().verify(genuine, "REGISTER", "12345678", "3402000000");
    if (outcome == DigestOutcome::WrongResponse || outcome == DigestOutcome::ForgedNonce)
        std::abort(); // a right response to our own nonce is never wrong
    if (authenticator().replayTableSize() > 64)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    checkChallenge(bytes);
    checkCredentials(bytes);
    return 0;
}
