#include "gb28181/admissioncontrol.h"

#include <QTest>

using namespace Vigil;
using namespace Vigil::Gb;
using namespace Qt::StringLiterals;

namespace {

SourceKey source(const char *ip, quint16 port)
{
    return SourceKey{QHostAddress(QString::fromLatin1(ip)), port};
}

const DeviceId kCamera = *DeviceId::parse(u"34020000001320000001"_s);

} // namespace

class TestAdmissionControl : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void strangerTryLimit()
    {
        AdmissionControl::Config config;
        config.strangerTryLimit = 3;
        config.strangerLifetimeSec = 60;
        AdmissionControl admission(config);
        const auto scanner = source("203.0.113.9", 5060);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(admission.admitStranger(scanner, 1000), AdmissionControl::Verdict::Allow);
        QCOMPARE(admission.admitStranger(scanner, 2000), AdmissionControl::Verdict::Ignore);
        QCOMPARE(admission.stats().strangersIgnored, 1);
        // another source is not affected, and the scanner is forgotten after the lifetime
        QCOMPARE(admission.admitStranger(source("203.0.113.9", 5061), 2000), AdmissionControl::Verdict::Allow);
        QCOMPARE(admission.admitStranger(scanner, 2000 + 61000), AdmissionControl::Verdict::Allow);
    }

    void strangerTableIsBounded()
    {
        AdmissionControl::Config config;
        config.strangerCapacity = 1000;
        AdmissionControl admission(config);
        for (int i = 0; i < 100000; ++i)
            admission.admitStranger(SourceKey{QHostAddress(quint32(0xC6336400u + quint32(i))), 5060}, 1000);
        QCOMPARE(admission.stats().strangersTracked, 1000);
        QCOMPARE(admission.stats().evictions, 99000);
    }

    void wrongPasswordsBanSourceAndId()
    {
        AdmissionControl::Config config;
        config.authFailureLimit = 3;
        config.banDurationSec = 600;
        AdmissionControl admission(config);
        const auto guesser = source("198.51.100.7", 40000);
        AdmissionControl::FailureOutcome outcome;
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(admission.admitAttempt(guesser, kCamera, 1000), AdmissionControl::Verdict::Allow);
            outcome = admission.recordFailure(guesser, kCamera, 1000);
        }
        QVERIFY(outcome.sourceBanned);
        QVERIFY(outcome.deviceIdBanned);
        QCOMPARE(admission.admitAttempt(guesser, kCamera, 2000), AdmissionControl::Verdict::Ignore);
        QCOMPARE(admission.admitStranger(guesser, 2000), AdmissionControl::Verdict::Ignore);
        // the ID is banned from any source; a neighbour behind the same NAT address is not
        QCOMPARE(admission.admitAttempt(source("198.51.100.7", 40001), kCamera, 2000),
                 AdmissionControl::Verdict::Ignore);
        const DeviceId other = *DeviceId::parse(u"34020000001320000002"_s);
        QCOMPARE(admission.admitAttempt(source("198.51.100.7", 40001), other, 2000),
                 AdmissionControl::Verdict::Allow);
        // bans lapse
        QCOMPARE(admission.admitAttempt(guesser, kCamera, 1000 + 600001), AdmissionControl::Verdict::Allow);
    }

    void successForgetsFailures()
    {
        AdmissionControl::Config config;
        config.authFailureLimit = 3;
        AdmissionControl admission(config);
        const auto camera = source("10.0.0.2", 5060);
        admission.recordFailure(camera, kCamera, 1000);
        admission.recordFailure(camera, kCamera, 1000);
        admission.recordSuccess(camera, kCamera);
        QVERIFY(!admission.recordFailure(camera, kCamera, 1000).sourceBanned);
        QVERIFY(!admission.recordFailure(camera, kCamera, 1000).sourceBanned);
        QVERIFY(admission.recordFailure(camera, kCamera, 1000).sourceBanned);
    }

    void expiryDropsEntries()
    {
        AdmissionControl admission;
        for (int i = 0; i < 100; ++i)
            admission.admitStranger(SourceKey{QHostAddress(quint32(0x0A000001u + quint32(i))), 5060}, 1000);
        admission.expire(1000 + 61000);
        QCOMPARE(admission.stats().strangersTracked, 0);
    }
};

QTEST_GUILESS_MAIN(TestAdmissionControl)
#include "tst_admissioncontrol.moc"
