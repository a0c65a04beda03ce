#include "deviceinfodialog.h"

#include "consolebackend.h"
#include "devices/deviceregistry.h"
#include "format.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Vigil::Ui {

DeviceInfoDialog::DeviceInfoDialog(ConsoleBackend &backend, const DeviceId &id, QWidget *parent)
    : QDialog(parent)
    , m_backend(backend)
    , m_id(id)
{
    setObjectName(u"deviceInfoDialog"_s);
    auto *layout = new QVBoxLayout(this);
    m_form = new QFormLayout;
    layout->addLayout(m_form);
    m_status = new QLabel(this);
    m_status->setObjectName(u"queryStatus"_s);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_queryButton = buttons->addButton(QString(), QDialogButtonBox::ActionRole);
    m_queryButton->setObjectName(u"queryButton"_s);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_queryButton, &QPushButton::clicked, this, &DeviceInfoDialog::query);
    connect(&backend.registry(), &Devices::DeviceRegistry::deviceChanged, this,
            [this](const DeviceId &changed) {
                if (changed == m_id)
                    refresh();
            },
            Qt::QueuedConnection);
    refresh();
    resize(460, sizeHint().height());
}

void DeviceInfoDialog::setValue(const QString &field, const QString &label, const QString &value)
{
    auto *valueLabel = findChild<QLabel *>(field);
    if (!valueLabel) {
        valueLabel = new QLabel(this);
        valueLabel->setObjectName(field);
        valueLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
        valueLabel->setWordWrap(true);
        auto *name = new QLabel(label, this);
        name->setObjectName(field + u"Label"_s);
        m_form->addRow(name, valueLabel);
    } else if (auto *name = findChild<QLabel *>(field + u"Label"_s)) {
        name->setText(label);
    }
    valueLabel->setText(value.isEmpty() ? tr("—") : value);
}

QString DeviceInfoDialog::value(const QString &field) const
{
    const auto *label = findChild<QLabel *>(field);
    return label ? label->text() : QString();
}

void DeviceInfoDialog::refresh()
{
    const auto device = m_backend.registry().device(m_id);
    setWindowTitle(tr("Device Information — %1").arg(device ? device->displayName() : m_id.toString()));
    m_queryButton->setText(tr("&Query Device"));
    m_queryButton->setEnabled(device && device->online);
    if (!device) {
        m_status->setText(tr("This device is not in the device list any more."));
        return;
    }
    setValue(u"name"_s, tr("Name:"), device->name);
    setValue(u"id"_s, tr("ID:"), device->id.toString());
    setValue(u"type"_s, tr("Type:"), GbId::typeName(device->id.type()));
    setValue(u"manufacturer"_s, tr("Manufacturer:"), device->manufacturer);
    setValue(u"model"_s, tr("Model:"), device->model);
    setValue(u"firmware"_s, tr("Firmware:"), device->firmware);
    setValue(u"channels"_s, tr("Channels:"),
             tr("%1 in the catalog, %2 reported").arg(device->channelCount).arg(device->reportedChannelCount));
    setValue(u"status"_s, tr("Status:"),
             device->online ? tr("Online")
                            : tr("Offline: %1").arg(Devices::Device::offlineReasonText(device->offlineReason)));
    setValue(u"address"_s, tr("Address:"),
             device->route.address.isNull() ? QString() : device->route.toString());
    setValue(u"userAgent"_s, tr("User agent:"), device->userAgent);
    setValue(u"gbVersion"_s, tr("GB/T 28181 version:"), device->gbVersion);
    setValue(u"registered"_s, tr("Registered:"), Format::dateTime(device->registeredAt));
    setValue(u"expires"_s, tr("Registration expires:"), Format::dateTime(device->registrationExpiresAt));
    setValue(u"lastSeen"_s, tr("Last seen:"), Format::dateTime(device->lastSeen));
    setValue(u"catalogSynced"_s, tr("Catalog synchronised:"), Format::dateTime(device->catalogSyncedAt));
}

void DeviceInfoDialog::query()
{
    m_status->setText(tr("Asking the device…"));
    m_queryButton->setEnabled(false);
    m_backend.queryDeviceInfo(m_id).then(this, [this](const Result<void> &result) {
        m_status->setText(result ? tr("The device answered.")
                                 : tr("The device did not answer: %1").arg(result.error().message));
        refresh();
    });
}

void DeviceInfoDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        refresh();
    QDialog::changeEvent(event);
}

} // namespace Vigil::Ui
