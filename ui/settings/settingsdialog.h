#pragma once

#include "consolesettings.h"
#include "gb28181/serverconfig.h"

#include <QDialog>
#include <QMap>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTabWidget;

namespace Vigil::Ui {

/// The settings: the server's identity and addresses (server ID, domain, password, SIP bind
/// address and port, the media address written into SDP, the media port range, the default
/// media transport) and the console's own (language, theme, snapshots).
///
/// Each edit is checked at once — field by field, then with ServerConfig::validate() — and
/// errors show under the field concerned; OK stays disabled while any is left. Language and
/// theme apply immediately (and are undone on Cancel). GUI thread.
class SettingsDialog : public QDialog {
    Q_OBJECT

public:
    SettingsDialog(const Gb::ServerConfig &config, const ConsoleSettings &console, QWidget *parent = nullptr);

    /// The server configuration as edited; meaningful when errors() is empty.
    Gb::ServerConfig serverConfig() const;
    ConsoleSettings consoleSettings() const;
    /// Field (object name) → error message, for every field in error.
    const QMap<QString, QString> &errors() const noexcept { return m_errors; }

    QLineEdit *serverIdField() const noexcept { return m_serverId; }
    QLineEdit *domainField() const noexcept { return m_domain; }
    QLineEdit *passwordField() const noexcept { return m_password; }
    QComboBox *bindAddressField() const noexcept { return m_bindAddress; }
    QSpinBox *sipPortField() const noexcept { return m_sipPort; }
    QComboBox *mediaAddressField() const noexcept { return m_mediaAddress; }
    QSpinBox *mediaPortMinField() const noexcept { return m_mediaPortMin; }
    QSpinBox *mediaPortMaxField() const noexcept { return m_mediaPortMax; }
    QComboBox *transportField() const noexcept { return m_transport; }
    QComboBox *languageField() const noexcept { return m_language; }
    QComboBox *themeField() const noexcept { return m_theme; }
    QLineEdit *snapshotFolderField() const noexcept { return m_snapshotFolder; }
    QComboBox *snapshotFormatField() const noexcept { return m_snapshotFormat; }
    QCheckBox *automaticStreamsField() const noexcept { return m_automaticStreams; }
    QDialogButtonBox *buttons() const noexcept { return m_buttons; }

public Q_SLOTS:
    void reject() override;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void validate();
    void setError(QWidget *field, const QString &message);
    QLabel *errorLabelFor(QWidget *field) const;
    void browseSnapshotFolder();

    Gb::ServerConfig m_original;
    ConsoleSettings m_originalConsole;
    QMap<QString, QString> m_errors;
    QMap<QWidget *, QLabel *> m_errorLabels;
    QMap<QWidget *, QLabel *> m_fieldLabels;

    QTabWidget *m_tabs = nullptr;
    QLineEdit *m_serverId = nullptr;
    QLineEdit *m_domain = nullptr;
    QLineEdit *m_password = nullptr;
    QComboBox *m_bindAddress = nullptr;
    QSpinBox *m_sipPort = nullptr;
    QComboBox *m_mediaAddress = nullptr;
    QSpinBox *m_mediaPortMin = nullptr;
    QSpinBox *m_mediaPortMax = nullptr;
    QComboBox *m_transport = nullptr;
    QComboBox *m_language = nullptr;
    QComboBox *m_theme = nullptr;
    QLineEdit *m_snapshotFolder = nullptr;
    QComboBox *m_snapshotFormat = nullptr;
    QCheckBox *m_automaticStreams = nullptr;
    QLabel *m_restartNote = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace Vigil::Ui
