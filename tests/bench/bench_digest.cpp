// Digest authentication throughput on the registrar's path, one thread.
// Prints, as the median of several rounds: parse + verify of an Authorization value with
// qop=auth (each with a new nonce count, as a device sends them), verify alone, verify of a
// refresh without qop, a stranger's forged nonce, and issuing a challenge.
// Usage: bench_digest [seconds-per-round, default 0.5]

#include "sip/digest.h"

#include <QByteArray>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace Vigil::Sip;

namespace {

constexpr QByteArrayView kRealm = "3402000000";
constexpr QByteArrayView kPassword = "12345678";
constexpr QByteArrayView kUri = "sip:34020000002000000001@3402000000";
constexpr int kRounds = 7;

volatile std::size_t g_sink; // keeps the optimiser from dropping the work

/// Median rate over rounds; `prepare(n)` builds n inputs untimed, `work(i)` handles input i.
template <typename Prepare, typename Work>
double medianRate(double secondsPerRound, Prepare &&prepare, Work &&work)
{
    std::vector<double> rates;
    qsizetype batch = 1000;
    for (int round = 0; round < kRounds; ++round) {
        // Size each round's inputs so that it lasts about secondsPerRound.
        prepare(batch);
        QElapsedTimer timer;
        timer.start();
        for (qsizetype i = 0; i < batch; ++i)
            work(i);
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        rates.push_back(double(batch) / seconds);
        batch = std::clamp<qsizetype>(qsizetype(rates.back() * secondsPerRound), 1000, 5'000'000);
    }
    std::sort(rates.begin(), rates.end());
    return rates[rates.size() / 2];
}

void expect(DigestOutcome outcome, DigestOutcome wanted)
{
    if (outcome != wanted) {
        std::fprintf(stderr, "unexpected outcome %s (wanted %s)\n", digestOutcomeName(outcome),
                     digestOutcomeName(wanted));
        std::exit(1);
    }
}

} // namespace

int main(int argc, char **argv)
{
    const double seconds = argc > 1 ? std::atof(argv[1]) : 0.5;
    std::printf("Digest verification throughput, one thread, median of %d rounds of about %.2f s\n", kRounds, seconds);

    DigestAuthenticator auth;
    std::vector<QByteArray> headers;
    std::vector<DigestCredentials> credentials;

    // A device registering again and again on one nonce: nc 1, 2, 3...
    const auto prepareHeaders = [&](qsizetype n) {
        headers.clear();
        credentials.clear();
        DigestClient client("34020000001320000001", kPassword.toByteArray());
        const DigestChallenge challenge = *DigestChallenge::parse(auth.challengeFor(kRealm));
        for (qsizetype i = 0; i < n; ++i)
            headers.push_back(*client.authorization(challenge, "REGISTER", kUri));
    };
    const double parseVerify = medianRate(seconds, prepareHeaders, [&](qsizetype i) {
        const auto c = DigestCredentials::parse(headers[std::size_t(i)]);
        expect(auth.verify(*c, "REGISTER", kPassword, kRealm), DigestOutcome::Ok);
    });
    std::printf("parse + verify (qop=auth)      %10.0f /s\n", parseVerify);

    const double verifyOnly = medianRate(
        seconds,
        [&](qsizetype n) {
            prepareHeaders(n);
            for (const QByteArray &h : headers)
                credentials.push_back(*DigestCredentials::parse(h));
        },
        [&](qsizetype i) {
            expect(auth.verify(credentials[std::size_t(i)], "REGISTER", kPassword, kRealm), DigestOutcome::Ok);
        });
    std::printf("verify (qop=auth)              %10.0f /s\n", verifyOnly);

    const double parseOnly = medianRate(seconds, prepareHeaders, [&](qsizetype i) {
        const auto c = DigestCredentials::parse(headers[std::size_t(i)]);
        g_sink = g_sink + std::size_t(c->nonce.size());
    });
    std::printf("parse alone                    %10.0f /s\n", parseOnly);

    DigestClient::Quirks oldDevice;
    oldDevice.qop = DigestClient::QopUse::Never;
    DigestClient refresher("34020000001320000001", kPassword.toByteArray(), oldDevice);
    const DigestCredentials refresh =
        *refresher.answer(*DigestChallenge::parse(auth.challengeFor(kRealm)), "REGISTER", kUri);
    const double noQop = medianRate(seconds, [](qsizetype) {}, [&](qsizetype) {
        expect(auth.verify(refresh, "REGISTER", kPassword, kRealm), DigestOutcome::Ok);
    });
    std::printf("verify (no qop, nonce reused)  %10.0f /s\n", noQop);

    DigestClient stranger("34020000001320000099", "guess");
    DigestChallenge fake = *DigestChallenge::parse(auth.challengeFor(kRealm));
    fake.nonce[30] = fake.nonce[30] == '0' ? '1' : '0';
    const DigestCredentials forged = *stranger.answer(fake, "REGISTER", kUri);
    const double forgedRate = medianRate(seconds, [](qsizetype) {}, [&](qsizetype) {
        expect(auth.verify(forged, "REGISTER", kPassword, kRealm), DigestOutcome::ForgedNonce);
    });
    std::printf("verify (forged nonce)          %10.0f /s\n", forgedRate);

    const double challengeRate = medianRate(seconds, [](qsizetype) {}, [&](qsizetype) {
        g_sink = g_sink + std::size_t(auth.challengeFor(kRealm).size());
    });
    std::printf("challengeFor                   %10.0f /s\n", challengeRate);
    std::printf("replay table entries: %lld\n", static_cast<long long>(auth.replayTableSize()));
    return 0;
}
