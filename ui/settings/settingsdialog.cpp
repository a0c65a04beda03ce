#include "settingsdialog.h"

#include "appearance.h"
#include "localaddresses.h"
#include "localization.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Vigil::Ui {

namespace {

const QString kErrorStyle = u"color: #d9534f;"_s;
const QString kFieldErrorStyle = u"border: 1px solid #d9534f;"_s;

} // namespace

SettingsDialog::SettingsDialog(const Gb::ServerConfig &config, const ConsoleSettings &console, QWidget *parent)
    : QDialog(parent)
    , m_original(config)
    , m_originalConsole(console)
{
    setObjectName(u"settingsDialog"_s);
    auto *layout = new QVBoxLayout(this);
    m_tabs = new QTabWidget(this);
    layout->addWidget(m_tabs);

    const auto addField = [this](QFormLayout *form, QWidget *field, const QString &name) {
        field->setObjectName(name);
        auto *label = new QLabel(this);
        label->setBuddy(field);
        form->addRow(label, field);
        auto *error = new QLabel(this);
        error->setObjectName(name + u"Error"_s);
        error->setWordWrap(true);
        error->setStyleSheet(kErrorStyle);
        error->hide();
        form->addRow(QString(), error);
        m_fieldLabels.insert(field, label);
        m_errorLabels.insert(field, error);
    };

    // Server
    auto *serverPage = new QWidget(m_tabs);
    auto *server = new QFormLayout(serverPage);
    m_serverId = new QLineEdit(config.serverId.toString(), serverPage);
    m_serverId->setMaxLength(20);
    addField(server, m_serverId, u"serverId"_s);
    m_domain = new QLineEdit(config.domain, serverPage);
    m_domain->setMaxLength(10);
    addField(server, m_domain, u"domain"_s);
    m_password = new QLineEdit(config.password, serverPage);
    m_password->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    addField(server, m_password, u"password"_s);
    m_bindAddress = new QComboBox(serverPage);
    m_bindAddress->setEditable(true);
    m_bindAddress->addItem(u"0.0.0.0"_s);
    m_bindAddress->addItems(localIpv4Addresses());
    m_bindAddress->setEditText(config.sipBindAddress.toString());
    addField(server, m_bindAddress, u"bindAddress"_s);
    m_sipPort = new QSpinBox(serverPage);
    m_sipPort->setRange(1, 65535); // 0 (any free port) is for tests, not for devices to find
    m_sipPort->setValue(config.sipPort);
    addField(server, m_sipPort, u"sipPort"_s);
    m_tabs->addTab(serverPage, QString());

    // Media
    auto *mediaPage = new QWidget(m_tabs);
    auto *media = new QFormLayout(mediaPage);
    m_mediaAddress = new QComboBox(mediaPage);
    m_mediaAddress->setEditable(true);
    m_mediaAddress->addItem(QString());
    m_mediaAddress->addItems(localIpv4Addresses());
    m_mediaAddress->setEditText(config.mediaAddress.isNull() ? QString() : config.mediaAddress.toString());
    addField(media, m_mediaAddress, u"mediaAddress"_s);
    auto *ports = new QWidget(mediaPage);
    auto *portsLayout = new QHBoxLayout(ports);
    portsLayout->setContentsMargins(0, 0, 0, 0);
    m_mediaPortMin = new QSpinBox(ports);
    m_mediaPortMin->setRange(0, 65535);
    m_mediaPortMin->setValue(config.mediaPortMin);
    m_mediaPortMin->setObjectName(u"mediaPortMin"_s);
    m_mediaPortMax = new QSpinBox(ports);
    m_mediaPortMax->setRange(0, 65535);
    m_mediaPortMax->setValue(config.mediaPortMax);
    m_mediaPortMax->setObjectName(u"mediaPortMax"_s);
    portsLayout->addWidget(m_mediaPortMin);
    portsLayout->addWidget(new QLabel(u"–"_s, ports));
    portsLayout->addWidget(m_mediaPortMax);
    portsLayout->addStretch();
    addField(media, ports, u"mediaPorts"_s);
    m_transport = new QComboBox(mediaPage);
    m_transport->addItem(QString(), int(Devices::MediaTransport::Udp));
    m_transport->addItem(QString(), int(Devices::MediaTransport::TcpPassive));
    m_transport->addItem(QString(), int(Devices::MediaTransport::TcpActive));
    m_transport->setCurrentIndex(m_transport->findData(int(config.defaultMediaTransport)));
    addField(media, m_transport, u"transport"_s);
    m_tabs->addTab(mediaPage, QString());

    // Console
    auto *consolePage = new QWidget(m_tabs);
    auto *consoleForm = new QFormLayout(consolePage);
    m_language = new QComboBox(consolePage);
    m_language->addItem(QString(), int(Language::System));
    // Language names are written in their own language, whatever the current one is.
    m_language->addItem(u"中文"_s, int(Language::Chinese));
    m_language->addItem(u"English"_s, int(Language::English));
    m_language->setCurrentIndex(m_language->findData(int(console.language)));
    addField(consoleForm, m_language, u"language"_s);
    m_theme = new QComboBox(consolePage);
    m_theme->addItem(QString(), int(Theme::System));
    m_theme->addItem(QString(), int(Theme::Light));
    m_theme->addItem(QString(), int(Theme::Dark));
    m_theme->setCurrentIndex(m_theme->findData(int(console.theme)));
    addField(consoleForm, m_theme, u"theme"_s);
    auto *folder = new QWidget(consolePage);
    auto *folderLayout = new QHBoxLayout(folder);
    folderLayout->setContentsMargins(0, 0, 0, 0);
    m_snapshotFolder = new QLineEdit(console.snapshotFolder, folder);
    m_snapshotFolder->setObjectName(u"snapshotFolderPath"_s);
    m_snapshotFolder->setPlaceholderText(QDir::toNativeSeparators(ConsoleSettings::defaultSnapshotFolder()));
    auto *browse = new QToolButton(folder);
    browse->setObjectName(u"browseSnapshotFolder"_s);
    browse->setText(u"…"_s);
    connect(browse, &QToolButton::clicked, this, &SettingsDialog::browseSnapshotFolder);
    folderLayout->addWidget(m_snapshotFolder, 1);
    folderLayout->addWidget(browse);
    addField(consoleForm, folder, u"snapshotFolder"_s);
    m_snapshotFormat = new QComboBox(consolePage);
    m_snapshotFormat->addItem(u"JPEG"_s, int(SnapshotFormat::Jpeg));
    m_snapshotFormat->addItem(u"PNG"_s, int(SnapshotFormat::Png));
    m_snapshotFormat->setCurrentIndex(m_snapshotFormat->findData(int(console.snapshotFormat)));
    addField(consoleForm, m_snapshotFormat, u"snapshotFormat"_s);
    m_automaticStreams = new QCheckBox(consolePage);
    m_automaticStreams->setObjectName(u"automaticStreams"_s);
    m_automaticStreams->setChecked(console.automaticStreams);
    consoleForm->addRow(QString(), m_automaticStreams);
    m_tabs->addTab(consolePage, QString());

    m_restartNote = new QLabel(this);
    m_restartNote->setObjectName(u"restartNote"_s);
    m_restartNote->setWordWrap(true);
    layout->addWidget(m_restartNote);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    for (QLineEdit *edit : {m_serverId, m_domain, m_password, m_snapshotFolder})
        connect(edit, &QLineEdit::textChanged, this, &SettingsDialog::validate);
    for (QComboBox *combo : {m_bindAddress, m_mediaAddress})
        connect(combo, &QComboBox::editTextChanged, this, &SettingsDialog::validate);
    for (QSpinBox *spin : {m_sipPort, m_mediaPortMin, m_mediaPortMax})
        connect(spin, &QSpinBox::valueChanged, this, &SettingsDialog::validate);
    connect(m_transport, &QComboBox::currentIndexChanged, this, &SettingsDialog::validate);
    connect(m_language, &QComboBox::currentIndexChanged, this,
            [this] { Localization::apply(Language(m_language->currentData().toInt())); });
    connect(m_theme, &QComboBox::currentIndexChanged, this,
            [this] { Appearance::apply(Theme(m_theme->currentData().toInt())); });

    retranslate();
    validate();
}

void SettingsDialog::retranslate()
{
    setWindowTitle(tr("Settings"));
    m_tabs->setTabText(0, tr("SIP Server"));
    m_tabs->setTabText(1, tr("Media"));
    m_tabs->setTabText(2, tr("Console"));
    const struct {
        QWidget *field;
        QString text;
    } labels[] = {
        {m_serverId, tr("Server &ID:")},
        {m_domain, tr("SIP &domain:")},
        {m_password, tr("SIP &password:")},
        {m_bindAddress, tr("SIP &bind address:")},
        {m_sipPort, tr("SIP p&ort:")},
        {m_mediaAddress, tr("Media &address in SDP:")},
        {m_mediaPortMin->parentWidget(), tr("Media p&orts:")},
        {m_transport, tr("Default &transport:")},
        {m_language, tr("&Language:")},
        {m_theme, tr("&Theme:")},
        {m_snapshotFolder->parentWidget(), tr("Snapshot &folder:")},
        {m_snapshotFormat, tr("Snapshot f&ormat:")},
    };
    for (const auto &label : labels)
        m_fieldLabels.value(label.field)->setText(label.text);
    m_serverId->setToolTip(tr("The 20-digit ID devices are configured with as their SIP server ID."));
    m_domain->setToolTip(tr("Usually the first 10 digits of the server ID."));
    m_password->setToolTip(tr("The password devices authenticate with, unless a device has its own."));
    m_bindAddress->setToolTip(tr("0.0.0.0 listens on every address of this computer."));
    m_mediaAddress->lineEdit()->setPlaceholderText(tr("Automatic: the address the device's SIP traffic reaches"));
    m_mediaAddress->setToolTip(tr("The address devices send video to. Set it when Vigil is behind NAT or has "
                                  "several networks."));
    m_transport->setItemText(0, tr("UDP"));
    m_transport->setItemText(1, tr("TCP passive (the device connects to us)"));
    m_transport->setItemText(2, tr("TCP active (we connect to the device)"));
    m_language->setItemText(0, tr("Automatic (system language)"));
    m_automaticStreams->setText(tr("Play &sub streams in small tiles"));
    m_automaticStreams->setToolTip(tr("Tiles smaller than half the grid (layouts of 9 tiles and more) ask cameras "
                                      "for their sub stream, which takes far less network and CPU; large and "
                                      "maximized tiles play the main stream."));
    m_theme->setItemText(0, tr("System"));
    m_theme->setItemText(1, tr("Light"));
    m_theme->setItemText(2, tr("Dark"));
    validate();
}

QLabel *SettingsDialog::errorLabelFor(QWidget *field) const
{
    return m_errorLabels.value(field);
}

void SettingsDialog::setError(QWidget *field, const QString &message)
{
    if (m_errors.contains(field->objectName()))
        return; // the first problem of a field is the one to fix first
    m_errors.insert(field->objectName(), message);
    if (QLabel *label = errorLabelFor(field)) {
        label->setText(message);
        label->show();
    }
    if (qobject_cast<QLineEdit *>(field) || qobject_cast<QComboBox *>(field))
        field->setStyleSheet(kFieldErrorStyle);
    else if (field == m_mediaPortMin->parentWidget()) {
        m_mediaPortMin->setStyleSheet(kFieldErrorStyle);
        m_mediaPortMax->setStyleSheet(kFieldErrorStyle);
    }
}

Gb::ServerConfig SettingsDialog::serverConfig() const
{
    Gb::ServerConfig config = m_original;
    if (const auto id = DeviceId::parse(m_serverId->text()))
        config.serverId = *id;
    config.domain = m_domain->text().trimmed();
    config.password = m_password->text();
    QHostAddress bind;
    if (bind.setAddress(m_bindAddress->currentText().trimmed()))
        config.sipBindAddress = bind;
    config.sipPort = std::uint16_t(m_sipPort->value());
    const QString media = m_mediaAddress->currentText().trimmed();
    QHostAddress mediaAddress;
    if (media.isEmpty())
        config.mediaAddress = QHostAddress();
    else if (mediaAddress.setAddress(media))
        config.mediaAddress = mediaAddress;
    config.mediaPortMin = std::uint16_t(m_mediaPortMin->value());
    config.mediaPortMax = std::uint16_t(m_mediaPortMax->value());
    config.defaultMediaTransport = Devices::MediaTransport(m_transport->currentData().toInt());
    return config;
}

ConsoleSettings SettingsDialog::consoleSettings() const
{
    ConsoleSettings console;
    console.language = Language(m_language->currentData().toInt());
    console.theme = Theme(m_theme->currentData().toInt());
    console.snapshotFolder = m_snapshotFolder->text().trimmed();
    console.snapshotFormat = SnapshotFormat(m_snapshotFormat->currentData().toInt());
    console.automaticStreams = m_automaticStreams->isChecked();
    return console;
}

void SettingsDialog::validate()
{
    if (!m_buttons)
        return;
    m_errors.clear();
    for (auto it = m_errorLabels.cbegin(); it != m_errorLabels.cend(); ++it) {
        it.value()->hide();
        it.key()->setStyleSheet(QString());
    }
    m_mediaPortMin->setStyleSheet(QString());
    m_mediaPortMax->setStyleSheet(QString());

    if (const auto id = DeviceId::parse(m_serverId->text()); !id)
        setError(m_serverId, id.error().message);
    QHostAddress address;
    if (!address.setAddress(m_bindAddress->currentText().trimmed()))
        setError(m_bindAddress, tr("Enter an IP address of this computer, or 0.0.0.0 for all of them."));
    const QString media = m_mediaAddress->currentText().trimmed();
    if (!media.isEmpty() && !address.setAddress(media))
        setError(m_mediaAddress, tr("Enter an IP address devices can reach, or leave it empty."));

    // ServerConfig::validate() reports one problem at a time; trying each field alone on top
    // of the defaults tells which field it is about.
    const Gb::ServerConfig edited = serverConfig();
    const auto check = [this](QWidget *field, const auto &apply) {
        Gb::ServerConfig probe;
        apply(probe);
        if (const auto result = probe.validate(); !result)
            setError(field, result.error().message);
    };
    check(m_domain, [&](Gb::ServerConfig &c) { c.domain = edited.domain; });
    check(m_sipPort, [&](Gb::ServerConfig &c) { c.sipPort = edited.sipPort; });
    check(m_mediaPortMin->parentWidget(), [&](Gb::ServerConfig &c) {
        c.mediaPortMin = edited.mediaPortMin;
        c.mediaPortMax = edited.mediaPortMax;
    });
    if (m_errors.isEmpty()) {
        if (const auto result = edited.validate(); !result)
            setError(m_serverId, result.error().message);
    }

    const bool serverChanged = m_errors.isEmpty()
        && (edited.serverId != m_original.serverId || edited.domain != m_original.domain
            || edited.password != m_original.password || edited.sipBindAddress != m_original.sipBindAddress
            || edited.sipPort != m_original.sipPort || edited.mediaAddress != m_original.mediaAddress
            || edited.mediaPortMin != m_original.mediaPortMin || edited.mediaPortMax != m_original.mediaPortMax
            || edited.defaultMediaTransport != m_original.defaultMediaTransport);
    m_restartNote->setText(serverChanged ? tr("The SIP server restarts with the new settings when you press OK; "
                                              "devices register again within a minute or so.")
                                         : QString());
    m_restartNote->setVisible(serverChanged);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_errors.isEmpty());
}

void SettingsDialog::browseSnapshotFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Snapshot Folder"),
        m_snapshotFolder->text().isEmpty() ? ConsoleSettings::defaultSnapshotFolder() : m_snapshotFolder->text());
    if (!folder.isEmpty())
        m_snapshotFolder->setText(QDir::toNativeSeparators(folder));
}

void SettingsDialog::reject()
{
    const ConsoleSettings edited = consoleSettings();
    if (edited.language != m_originalConsole.language)
        Localization::apply(m_originalConsole.language);
    if (edited.theme != m_originalConsole.theme)
        Appearance::apply(m_originalConsole.theme);
    QDialog::reject();
}

void SettingsDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange && m_buttons)
        retranslate();
    QDialog::changeEvent(event);
}

} // namespace Vigil::Ui
