// The settings dialog: every field the issue lists, errors shown under the field concerned
// (from the field's own check or ServerConfig::validate()), OK only when all is well, and
// language and theme applied at once and undone on Cancel.

#include "appearance.h"
#include "localization.h"
#include "settings/consolesettings.h"
#include "settings/settingsdialog.h"
#include "uitestsupport.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Vigil;
using Vigil::Ui::SettingsDialog;

namespace {

QLabel *errorLabel(const SettingsDialog &dialog, const QString &field)
{
    return dialog.findChild<QLabel *>(field + u"Error"_s);
}

bool okEnabled(const SettingsDialog &dialog)
{
    return dialog.buttons()->button(QDialogButtonBox::Ok)->isEnabled();
}

} // namespace

class TestSettingsDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { UiTest::isolateSettings(); }

    void showsTheCurrentSettings()
    {
        Gb::ServerConfig config;
        config.sipPort = 15060;
        config.mediaAddress = QHostAddress(u"198.51.100.7"_s);
        config.defaultMediaTransport = Devices::MediaTransport::TcpPassive;
        Ui::ConsoleSettings console;
        console.theme = Ui::Theme::Dark;
        console.snapshotFolder = u"/tmp/shots"_s;
        console.automaticStreams = false;
        SettingsDialog dialog(config, console);
        QCOMPARE(dialog.serverIdField()->text(), u"34020000002000000001"_s);
        QCOMPARE(dialog.domainField()->text(), u"3402000000"_s);
        QCOMPARE(dialog.passwordField()->text(), u"12345678"_s);
        QCOMPARE(dialog.bindAddressField()->currentText(), u"0.0.0.0"_s);
        QCOMPARE(dialog.sipPortField()->value(), 15060);
        QCOMPARE(dialog.mediaAddressField()->currentText(), u"198.51.100.7"_s);
        QCOMPARE(dialog.mediaPortMinField()->value(), 30000);
        QCOMPARE(dialog.mediaPortMaxField()->value(), 30999);
        QCOMPARE(dialog.transportField()->currentData().toInt(), int(Devices::MediaTransport::TcpPassive));
        QCOMPARE(dialog.themeField()->currentData().toInt(), int(Ui::Theme::Dark));
        QCOMPARE(dialog.languageField()->currentData().toInt(), int(Ui::Language::System));
        QCOMPARE(dialog.snapshotFolderField()->text(), u"/tmp/shots"_s);
        QVERIFY(!dialog.automaticStreamsField()->isChecked());
        QVERIFY(dialog.errors().isEmpty());
        QVERIFY(okEnabled(dialog));
        QCOMPARE(dialog.serverConfig().sipPort, 15060);
        QCOMPARE(dialog.consoleSettings(), console);
    }

    void showsErrorsUnderTheirFields()
    {
        SettingsDialog dialog(Gb::ServerConfig{}, Ui::ConsoleSettings{});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));

        dialog.serverIdField()->setText(u"3402000000200000"_s);
        QVERIFY(dialog.errors().contains(u"serverId"_s));
        QVERIFY(errorLabel(dialog, u"serverId"_s)->isVisible());
        QVERIFY(errorLabel(dialog, u"serverId"_s)->text().contains(u"3402000000200000"_s));
        QVERIFY(!okEnabled(dialog));
        dialog.serverIdField()->setText(u"34020000002000000002"_s);
        QVERIFY(dialog.errors().isEmpty());
        QVERIFY(!errorLabel(dialog, u"serverId"_s)->isVisible());
        QVERIFY(okEnabled(dialog));

        // ServerConfig::validate()'s messages land under the field they are about.
        dialog.domainField()->setText(u"34020"_s);
        QCOMPARE(dialog.errors().keys(), QStringList{u"domain"_s});
        QVERIFY(dialog.errors().value(u"domain"_s).contains(u"10 digits"_s));
        dialog.domainField()->setText(u"3402000000"_s);

        dialog.mediaPortMinField()->setValue(31000);
        QCOMPARE(dialog.errors().keys(), QStringList{u"mediaPorts"_s});
        QVERIFY(errorLabel(dialog, u"mediaPorts"_s)->text().contains(u"31000-30999"_s));
        QVERIFY(!okEnabled(dialog));
        dialog.mediaPortMaxField()->setValue(31999);

        QCOMPARE(dialog.sipPortField()->minimum(), 1); // devices need a fixed port to find us
        dialog.sipPortField()->setValue(5061);

        dialog.bindAddressField()->setEditText(u"999.1.1.1"_s);
        QCOMPARE(dialog.errors().keys(), QStringList{u"bindAddress"_s});
        dialog.bindAddressField()->setEditText(u"127.0.0.1"_s);
        dialog.mediaAddressField()->setEditText(u"camera.local"_s);
        QCOMPARE(dialog.errors().keys(), QStringList{u"mediaAddress"_s});
        dialog.mediaAddressField()->setEditText(QString());

        QVERIFY(dialog.errors().isEmpty());
        QVERIFY(okEnabled(dialog));
        QVERIFY(dialog.findChild<QLabel *>(u"restartNote"_s)->isVisible());
        const Gb::ServerConfig edited = dialog.serverConfig();
        QCOMPARE(edited.serverId.toString(), u"34020000002000000002"_s);
        QCOMPARE(edited.sipPort, 5061);
        QCOMPARE(edited.sipBindAddress, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(edited.mediaPortMin, 31000);
        QCOMPARE(edited.mediaPortMax, 31999);
        QVERIFY(edited.mediaAddress.isNull());
        QVERIFY(edited.validate());
    }

    void appliesLanguageAndThemeAtOnce()
    {
        Ui::Localization::apply(Ui::Language::English);
        Ui::Appearance::apply(Ui::Theme::System);
        const QColor systemWindow = QApplication::palette().color(QPalette::Window);
        SettingsDialog dialog(Gb::ServerConfig{}, Ui::ConsoleSettings{});
        QCOMPARE(dialog.windowTitle(), u"Settings"_s);

        dialog.languageField()->setCurrentIndex(dialog.languageField()->findData(int(Ui::Language::Chinese)));
        QTRY_COMPARE(dialog.windowTitle(), u"设置"_s);
        QVERIFY(dialog.errors().isEmpty());
        dialog.themeField()->setCurrentIndex(dialog.themeField()->findData(int(Ui::Theme::Dark)));
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);
        QCOMPARE(Ui::Appearance::current(), Ui::Theme::Dark);

        dialog.reject();
        QTRY_COMPARE(dialog.windowTitle(), u"Settings"_s);
        QCOMPARE(Ui::Appearance::current(), Ui::Theme::System);
        QCOMPARE(QApplication::palette().color(QPalette::Window), systemWindow);
    }

    void consoleSettingsRoundTrip()
    {
        QSettings settings;
        Ui::ConsoleSettings console;
        QCOMPARE(Ui::ConsoleSettings::load(settings), console);
        console.language = Ui::Language::Chinese;
        console.theme = Ui::Theme::Light;
        console.snapshotFolder = u"/srv/snapshots"_s;
        console.snapshotFormat = Ui::SnapshotFormat::Png;
        QVERIFY(console.automaticStreams); // on for operators who never looked
        console.automaticStreams = false;
        console.save(settings);
        QCOMPARE(Ui::ConsoleSettings::load(settings), console);
        QCOMPARE(Ui::Localization::localeFor(Ui::Language::Chinese).name(), u"zh_CN"_s);
        QVERIFY(Ui::ConsoleSettings{}.effectiveSnapshotFolder().endsWith(u"Vigil"_s));
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
