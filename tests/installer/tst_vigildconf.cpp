// The settings file the Debian package installs as /etc/vigil/vigild.conf: vigild must read it
// as it ships, and what it documents must be true. Each setting appears commented out with its
// default, so an admin who removes the ';' gets exactly what vigild does without the file.

#include "gb28181/serverconfig.h"

#include <QFile>
#include <QMap>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Vigil::Gb::ServerConfig;

namespace {

const QString kConfigPath = QStringLiteral(VIGIL_SOURCE_DIR "/resources/linux/vigild.conf");

/// "group/key" → value of every ";key = value" line, in the group it stands in.
QMap<QString, QString> documentedSettings(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    static const QRegularExpression groupLine(u"^\\[([a-z]+)\\]$"_s);
    static const QRegularExpression settingLine(u"^;([a-z][a-z-]*) =(?: (.*))?$"_s);
    QMap<QString, QString> settings;
    QString group;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (const auto match = groupLine.match(line); match.hasMatch())
            group = match.captured(1);
        else if (const auto setting = settingLine.match(line); setting.hasMatch())
            settings.insert(group + u'/' + setting.captured(1), setting.captured(2));
    }
    return settings;
}

/// The defaults as ServerConfig writes them (the text an INI file holds).
QMap<QString, QString> defaultSettings(const QString &folder)
{
    QSettings file(folder + u"/defaults.conf"_s, QSettings::IniFormat);
    ServerConfig().save(file);
    QMap<QString, QString> settings;
    const QStringList keys = file.allKeys();
    for (const QString &key : keys)
        settings.insert(key, file.value(key).toString());
    return settings;
}

} // namespace

class TestVigildConf : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsAsShipped();
    void documentsEveryServerSettingWithItsDefault();
    void documentedValuesAreAccepted();
    void holdsNoActiveSetting();
};

void TestVigildConf::readsAsShipped()
{
    QVERIFY2(QFile::exists(kConfigPath), qPrintable(kConfigPath));
    QSettings file(kConfigPath, QSettings::IniFormat);
    QCOMPARE(file.status(), QSettings::NoError);

    ServerConfig config;
    const auto loaded = config.load(file);
    QVERIFY2(loaded.has_value(), qPrintable(loaded ? QString() : loaded.error().message));
    QCOMPARE(config.sipPort, ServerConfig().sipPort);
    QCOMPARE(config.serverId.toString(), ServerConfig().serverId.toString());
}

void TestVigildConf::documentsEveryServerSettingWithItsDefault()
{
    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    const QMap<QString, QString> documented = documentedSettings(kConfigPath);
    const QMap<QString, QString> defaults = defaultSettings(folder.path());
    QVERIFY(!defaults.isEmpty());
    for (auto it = defaults.cbegin(); it != defaults.cend(); ++it) {
        QVERIFY2(documented.contains(it.key()),
                 qPrintable(u"%1 is missing from resources/linux/vigild.conf; add it, commented out, "
                            u"with its default \"%2\""_s.arg(it.key(), it.value())));
        QCOMPARE(documented.value(it.key()), it.value());
    }
    // And nothing in the server's groups that vigild would ignore.
    for (auto it = documented.cbegin(); it != documented.cend(); ++it) {
        const QString group = it.key().section(u'/', 0, 0);
        if (group == u"sip"_s || group == u"registrar"_s || group == u"media"_s)
            QVERIFY2(defaults.contains(it.key()), qPrintable(it.key() + u" is not a setting of vigild"_s));
    }
}

void TestVigildConf::documentedValuesAreAccepted()
{
    QVariantMap values;
    const QMap<QString, QString> documented = documentedSettings(kConfigPath);
    for (auto it = documented.cbegin(); it != documented.cend(); ++it) {
        if (it.key().startsWith(u"sip/"_s) || it.key().startsWith(u"registrar/"_s)
            || it.key().startsWith(u"media/"_s))
            values.insert(it.key(), it.value());
    }
    QVERIFY(!values.isEmpty());
    ServerConfig config;
    const auto loaded = config.load(values);
    QVERIFY2(loaded.has_value(), qPrintable(loaded ? QString() : loaded.error().message));

    QTemporaryDir folder;
    QVERIFY(folder.isValid());
    QSettings written(folder.path() + u"/documented.conf"_s, QSettings::IniFormat);
    config.save(written);
    const QMap<QString, QString> defaults = defaultSettings(folder.path());
    for (auto it = defaults.cbegin(); it != defaults.cend(); ++it)
        QCOMPARE(written.value(it.key()).toString(), it.value());
}

void TestVigildConf::holdsNoActiveSetting()
{
    QSettings file(kConfigPath, QSettings::IniFormat);
    QCOMPARE(file.allKeys(), QStringList());
}

QTEST_GUILESS_MAIN(TestVigildConf)
#include "tst_vigildconf.moc"
