#include "gb28181/serverconfig.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Vigil;
using namespace Vigil::Gb;
using namespace Qt::StringLiterals;

class TestServerConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaultsAreTheUsualGbValues()
    {
        const ServerConfig config;
        QCOMPARE(config.serverId.toString(), u"34020000002000000001"_s);
        QCOMPARE(config.domain, u"3402000000"_s);
        QCOMPARE(config.sipPort, quint16(5060));
        QVERIFY(config.validate());
    }

    void roundTripsThroughAFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"vigild.conf"_s);
        ServerConfig config;
        config.serverId = *DeviceId::parse(u"44010000002000000001"_s);
        config.domain = u"4401000000"_s;
        config.sipPort = 15060;
        config.password = u"s3cret"_s;
        config.registrationPolicy = RegistrationPolicy::KnownDevicesOnly;
        config.mediaAddress = QHostAddress(u"192.0.2.10"_s);
        config.defaultMediaTransport = Devices::MediaTransport::TcpPassive;
        config.admission.banDurationSec = 1200;
        {
            QSettings settings(path, QSettings::IniFormat);
            config.save(settings);
        }
        QSettings settings(path, QSettings::IniFormat);
        ServerConfig loaded;
        const auto ok = loaded.load(settings);
        QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().message));
        QCOMPARE(loaded.serverId, config.serverId);
        QCOMPARE(loaded.domain, config.domain);
        QCOMPARE(loaded.sipPort, config.sipPort);
        QCOMPARE(loaded.password, config.password);
        QCOMPARE(loaded.registrationPolicy, RegistrationPolicy::KnownDevicesOnly);
        QCOMPARE(loaded.mediaAddress, config.mediaAddress);
        QCOMPARE(loaded.defaultMediaTransport, Devices::MediaTransport::TcpPassive);
        QCOMPARE(loaded.admission.banDurationSec, 1200);
    }

    void badValuesSayWhatIsWrong_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("server id") << u"sip/server-id"_s << u"3402"_s << u"sip/server-id"_s;
        QTest::newRow("port") << u"sip/port"_s << u"70000"_s << u"from 1 to 65535"_s;
        QTest::newRow("port zero") << u"sip/port"_s << u"0"_s << u"from 1 to 65535"_s;
        QTest::newRow("bind") << u"sip/bind"_s << u"not-an-ip"_s << u"IP address"_s;
        QTest::newRow("domain") << u"sip/domain"_s << u"34020"_s << u"10 digits"_s;
        QTest::newRow("media ports") << u"media/ports"_s << u"40000-30000"_s << u"FIRST-LAST"_s;
        QTest::newRow("policy") << u"registrar/policy"_s << u"everyone"_s << u"\"any\" or \"known\""_s;
    }

    void badValuesSayWhatIsWrong()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, messagePart);
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"bad.conf"_s), QSettings::IniFormat);
        settings.setValue(key, value);
        ServerConfig config;
        const auto result = config.load(settings);
        QVERIFY(!result);
        QVERIFY2(result.error().message.contains(messagePart), qPrintable(result.error().message));
    }
};

QTEST_GUILESS_MAIN(TestServerConfig)
#include "tst_serverconfig.moc"
