#include "devicepropertiesdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Vigil::Ui {

DevicePropertiesDialog::DevicePropertiesDialog(const Devices::Device &device, QWidget *parent)
    : QDialog(parent)
    , m_deviceId(device.id)
{
    build(false);
    setWindowTitle(tr("Device Properties — %1").arg(device.displayName()));
    m_id->setText(device.id.toString());
    setSettings(device.settings);
    validate();
}

DevicePropertiesDialog::DevicePropertiesDialog(QWidget *parent)
    : QDialog(parent)
{
    build(true);
    setWindowTitle(tr("Add Device"));
    setSettings({});
    validate();
}

void DevicePropertiesDialog::build(bool adding)
{
    setObjectName(u"devicePropertiesDialog"_s);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    layout->addLayout(form);

    m_id = new QLineEdit(this);
    m_id->setObjectName(u"deviceId"_s);
    m_id->setReadOnly(!adding);
    m_id->setMaxLength(20);
    m_id->setPlaceholderText(tr("20-digit device ID, e.g. 34020000001320000001"));
    form->addRow(tr("Device &ID:"), m_id);
    m_idError = new QLabel(this);
    m_idError->setObjectName(u"idError"_s);
    m_idError->setWordWrap(true);
    m_idError->setStyleSheet(u"color: #d9534f;"_s);
    m_idError->hide();
    form->addRow(QString(), m_idError);

    m_password = new QLineEdit(this);
    m_password->setObjectName(u"password"_s);
    m_password->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    m_password->setPlaceholderText(tr("Empty: the server's SIP password"));
    form->addRow(tr("SIP &password:"), m_password);

    m_charset = new QComboBox(this);
    m_charset->setObjectName(u"charset"_s);
    m_charset->addItem(tr("Automatic"), int(CharsetOverride::Auto));
    m_charset->addItem(tr("GB18030 (GBK, GB2312)"), int(CharsetOverride::Gb18030));
    m_charset->addItem(tr("UTF-8"), int(CharsetOverride::Utf8));
    m_charset->setToolTip(tr("How the device's XML text is decoded. Choose GB18030 when names show as "
                             "garbage and the device does not declare its encoding correctly."));
    form->addRow(tr("&Character set:"), m_charset);

    m_transport = new QComboBox(this);
    m_transport->setObjectName(u"transport"_s);
    m_transport->addItem(tr("UDP"), int(Devices::MediaTransport::Udp));
    m_transport->addItem(tr("TCP passive (the device connects to us)"), int(Devices::MediaTransport::TcpPassive));
    m_transport->addItem(tr("TCP active (we connect to the device)"), int(Devices::MediaTransport::TcpActive));
    form->addRow(tr("Media &transport:"), m_transport);

    m_profile = new QComboBox(this);
    m_profile->setObjectName(u"profile"_s);
    m_profile->addItem(tr("Main stream"), int(Devices::StreamProfile::Main));
    m_profile->addItem(tr("Sub stream"), int(Devices::StreamProfile::Sub));
    m_profile->setToolTip(tr("Sub stream: the device's channels always play their sub stream (for devices on slow "
                             "links). Main stream: large tiles play the main stream, and small tiles the sub "
                             "stream when the console plays sub streams in small tiles (Settings)."));
    form->addRow(tr("&Stream:"), m_profile);

    m_subStreamAttribute = new QComboBox(this);
    m_subStreamAttribute->setObjectName(u"subStreamAttribute"_s);
    m_subStreamAttribute->addItem(tr("a=streamnumber (GB/T 28181-2022, Hikvision)"),
                                  int(Devices::SubStreamAttribute::StreamNumber));
    m_subStreamAttribute->addItem(tr("a=streamprofile (Dahua)"), int(Devices::SubStreamAttribute::StreamProfile));
    m_subStreamAttribute->addItem(tr("a=stream"), int(Devices::SubStreamAttribute::Stream));
    m_subStreamAttribute->addItem(tr("a=streamMode (TP-LINK, Mercury)"), int(Devices::SubStreamAttribute::StreamMode));
    m_subStreamAttribute->setToolTip(tr("How the request for video asks for the sub stream; vendors differ. "
                                        "When the sub stream shows the main stream's picture, try another."));
    form->addRow(tr("Sub stream &request:"), m_subStreamAttribute);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_id, &QLineEdit::textChanged, this, &DevicePropertiesDialog::validate);
}

void DevicePropertiesDialog::setSettings(const Devices::DeviceSettings &settings)
{
    m_password->setText(settings.password);
    m_charset->setCurrentIndex(m_charset->findData(int(settings.charset)));
    m_transport->setCurrentIndex(m_transport->findData(int(settings.mediaTransport)));
    m_profile->setCurrentIndex(m_profile->findData(int(settings.streamProfile)));
    m_subStreamAttribute->setCurrentIndex(m_subStreamAttribute->findData(int(settings.subStreamAttribute)));
}

void DevicePropertiesDialog::validate()
{
    if (m_id->isReadOnly())
        return;
    const QString text = m_id->text().trimmed();
    const auto parsed = DeviceId::parse(text);
    m_deviceId = parsed ? *parsed : DeviceId();
    m_idError->setVisible(!parsed && !text.isEmpty());
    if (!parsed)
        m_idError->setText(parsed.error().message);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(bool(parsed));
}

DeviceId DevicePropertiesDialog::deviceId() const
{
    return m_deviceId;
}

Devices::DeviceSettings DevicePropertiesDialog::settings() const
{
    Devices::DeviceSettings result;
    result.password = m_password->text();
    result.charset = CharsetOverride(m_charset->currentData().toInt());
    result.mediaTransport = Devices::MediaTransport(m_transport->currentData().toInt());
    result.streamProfile = Devices::StreamProfile(m_profile->currentData().toInt());
    result.subStreamAttribute = Devices::SubStreamAttribute(m_subStreamAttribute->currentData().toInt());
    return result;
}

} // namespace Vigil::Ui
