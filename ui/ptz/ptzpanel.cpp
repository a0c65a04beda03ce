#include "ptzpanel.h"

#include "consolebackend.h"
#include "devices/deviceregistry.h"
#include "icons.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Vigil::Ui {

namespace {

QString presetKey(const QString &channelId)
{
    return u"ptz-presets/"_s + channelId;
}

bool isLensAction(QStringView action)
{
    return action.startsWith(u"focus") || action.startsWith(u"iris");
}

} // namespace

PtzPanel::PtzPanel(ConsoleBackend &backend, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
{
    setObjectName(u"ptzPanel"_s);
    auto *layout = new QVBoxLayout(this);

    m_title = new QLabel(this);
    m_title->setObjectName(u"ptzTitle"_s);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);
    layout->addWidget(m_title);
    m_reasonLabel = new QLabel(this);
    m_reasonLabel->setObjectName(u"ptzReason"_s);
    m_reasonLabel->setWordWrap(true);
    layout->addWidget(m_reasonLabel);

    m_controls = new QWidget(this);
    auto *controls = new QVBoxLayout(m_controls);
    controls->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_controls);

    auto *pad = new QGridLayout;
    pad->setSpacing(2);
    struct Direction {
        const char16_t *action;
        int row;
        int column;
        int angle;
    };
    const Direction directions[] = {
        {u"upleft", 0, 0, 135}, {u"up", 0, 1, 90},      {u"upright", 0, 2, 45},
        {u"left", 1, 0, 180},   {u"right", 1, 2, 0},    {u"downleft", 2, 0, 225},
        {u"down", 2, 1, 270},   {u"downright", 2, 2, 315},
    };
    for (const Direction &d : directions)
        pad->addWidget(addHoldButton(QString::fromUtf16(d.action), Icons::arrow(d.angle)), d.row, d.column);
    m_stopButton = new QToolButton(this);
    m_stopButton->setObjectName(u"ptz-stop"_s);
    m_stopButton->setIcon(Icons::stop());
    m_stopButton->setFocusPolicy(Qt::NoFocus);
    m_stopButton->setIconSize(QSize(24, 24));
    m_stopButton->setMinimumSize(40, 40);
    connect(m_stopButton, &QToolButton::clicked, this, [this] {
        m_heldAction.clear();
        send(Gb::PtzCommand::stop());
    });
    pad->addWidget(m_stopButton, 1, 1);
    auto *padRow = new QHBoxLayout;
    padRow->addStretch();
    padRow->addLayout(pad);
    padRow->addStretch();
    controls->addLayout(padRow);

    auto *speedRow = new QHBoxLayout;
    m_speedLabel = new QLabel(this);
    speedRow->addWidget(m_speedLabel);
    m_speed = new QSlider(Qt::Horizontal, this);
    m_speed->setObjectName(u"ptzSpeed"_s);
    m_speed->setRange(kMinSpeed, kMaxSpeed);
    m_speed->setPageStep(1);
    m_speed->setTickPosition(QSlider::TicksBelow);
    m_speed->setValue(QSettings().value(u"ptz/speed"_s, 5).toInt());
    speedRow->addWidget(m_speed, 1);
    m_speedValue = new QLabel(this);
    m_speedValue->setMinimumWidth(m_speedValue->fontMetrics().horizontalAdvance(u"10"_s));
    speedRow->addWidget(m_speedValue);
    controls->addLayout(speedRow);
    connect(m_speed, &QSlider::valueChanged, this, [this](int value) {
        m_speedValue->setNum(value);
        QSettings().setValue(u"ptz/speed"_s, value);
    });
    m_speedValue->setNum(m_speed->value());

    auto *lens = new QGridLayout;
    m_zoomLabel = new QLabel(this);
    m_focusLabel = new QLabel(this);
    m_irisLabel = new QLabel(this);
    const struct {
        QLabel *label;
        const char16_t *less;
        const char16_t *more;
    } lensRows[] = {
        {m_zoomLabel, u"zoomout", u"zoomin"},
        {m_focusLabel, u"focusnear", u"focusfar"},
        {m_irisLabel, u"irisclose", u"irisopen"},
    };
    int lensRow = 0;
    for (const auto &r : lensRows) {
        lens->addWidget(r.label, lensRow, 0);
        lens->addWidget(addHoldButton(QString::fromUtf16(r.less), Icons::minus()), lensRow, 1);
        lens->addWidget(addHoldButton(QString::fromUtf16(r.more), Icons::plus()), lensRow, 2);
        ++lensRow;
    }
    lens->setColumnStretch(0, 1);
    controls->addLayout(lens);

    m_presetBox = new QGroupBox(this);
    auto *presetLayout = new QVBoxLayout(m_presetBox);
    m_presets = new QListWidget(m_presetBox);
    m_presets->setObjectName(u"ptzPresets"_s);
    presetLayout->addWidget(m_presets);
    auto *presetButtons = new QGridLayout;
    m_callButton = new QPushButton(m_presetBox);
    m_callButton->setObjectName(u"presetCall"_s);
    m_setButton = new QPushButton(m_presetBox);
    m_setButton->setObjectName(u"presetSet"_s);
    m_renameButton = new QPushButton(m_presetBox);
    m_renameButton->setObjectName(u"presetRename"_s);
    m_deleteButton = new QPushButton(m_presetBox);
    m_deleteButton->setObjectName(u"presetDelete"_s);
    presetButtons->addWidget(m_callButton, 0, 0);
    presetButtons->addWidget(m_setButton, 0, 1);
    presetButtons->addWidget(m_renameButton, 1, 0);
    presetButtons->addWidget(m_deleteButton, 1, 1);
    presetLayout->addLayout(presetButtons);
    controls->addWidget(m_presetBox, 1);
    connect(m_callButton, &QPushButton::clicked, this, [this] {
        if (const int n = selectedPreset(); n > 0)
            callPreset(n);
    });
    connect(m_presets, &QListWidget::itemActivated, this, [this] {
        if (const int n = selectedPreset(); n > 0)
            callPreset(n);
    });
    connect(m_setButton, &QPushButton::clicked, this, &PtzPanel::onSetPreset);
    connect(m_renameButton, &QPushButton::clicked, this, &PtzPanel::onRenamePreset);
    connect(m_deleteButton, &QPushButton::clicked, this, &PtzPanel::onDeletePreset);
    connect(m_presets, &QListWidget::currentRowChanged, this, &PtzPanel::refresh);

    m_errorLabel = new QLabel(this);
    m_errorLabel->setObjectName(u"ptzError"_s);
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setStyleSheet(u"color: #d9534f;"_s);
    m_errorLabel->hide();
    layout->addWidget(m_errorLabel);
    layout->addStretch();

    const Devices::DeviceRegistry *registry = &backend.registry();
    connect(registry, &Devices::DeviceRegistry::deviceChanged, this, &PtzPanel::refresh, Qt::QueuedConnection);
    connect(registry, &Devices::DeviceRegistry::channelsChanged, this, &PtzPanel::refresh, Qt::QueuedConnection);
    connect(registry, &Devices::DeviceRegistry::deviceRemoved, this, &PtzPanel::refresh, Qt::QueuedConnection);
    retranslate();
}

PtzPanel::~PtzPanel()
{
    stopHold();
}

QToolButton *PtzPanel::addHoldButton(const QString &action, const QIcon &icon)
{
    auto *button = new QToolButton(this);
    button->setObjectName(u"ptz-"_s + action);
    button->setIcon(icon);
    button->setIconSize(QSize(24, 24));
    button->setMinimumSize(40, 40);
    // A PTZ pad is used with the mouse; focus would only steal keys from the video.
    button->setFocusPolicy(Qt::NoFocus);
    button->setAutoRepeat(false);
    connect(button, &QToolButton::pressed, this, [this, action] { startHold(action); });
    connect(button, &QToolButton::released, this, &PtzPanel::stopHold);
    m_buttons.insert(action, button);
    return button;
}

QAbstractButton *PtzPanel::button(const QString &action) const
{
    if (action == u"stop"_s)
        return m_stopButton;
    return m_buttons.value(action);
}

int PtzPanel::speed() const
{
    return m_speed->value();
}

void PtzPanel::setSpeed(int position)
{
    m_speed->setValue(position);
}

int PtzPanel::commandSpeed() const
{
    return (m_speed->value() * 255 + kMaxSpeed / 2) / kMaxSpeed;
}

void PtzPanel::startHold(const QString &action)
{
    if (!m_controllable)
        return;
    stopHold();
    const auto command = Gb::PtzCommand::fromAction(action, commandSpeed(), 0);
    Q_ASSERT(command);
    if (!command)
        return;
    m_heldAction = action;
    m_heldChannel = m_channelId;
    send(*command);
}

void PtzPanel::stopHold()
{
    if (m_heldAction.isEmpty())
        return;
    const QString action = std::exchange(m_heldAction, {});
    const QString channel = std::exchange(m_heldChannel, {});
    // Lens motion has its own stop (instruction 0x40 with no bits); pan, tilt and zoom stop
    // with the all-zero command.
    const Gb::PtzCommand stop = isLensAction(action) ? Gb::PtzCommand::focusIris(0, 0, 0) : Gb::PtzCommand::stop();
    Q_EMIT commandSent(channel, stop);
    m_backend.ptz(channel, stop).then(this, [this](const Result<void> &result) {
        if (!result) {
            m_errorLabel->setText(tr("The stop command failed: %1").arg(result.error().message));
            m_errorLabel->show();
        }
    });
}

void PtzPanel::send(const Gb::PtzCommand &command)
{
    if (m_channelId.isEmpty())
        return;
    m_errorLabel->hide();
    Q_EMIT commandSent(m_channelId, command);
    m_backend.ptz(m_channelId, command).then(this, [this](const Result<void> &result) {
        if (!result) {
            m_errorLabel->setText(tr("PTZ command failed: %1").arg(result.error().message));
            m_errorLabel->show();
        }
    });
}

void PtzPanel::setChannel(const QString &channelId)
{
    if (channelId == m_channelId)
        return;
    stopHold();
    m_channelId = channelId;
    m_errorLabel->hide();
    reloadPresets();
    refresh();
}

QString PtzPanel::reason() const
{
    return m_reason;
}

void PtzPanel::refresh()
{
    const Devices::DeviceRegistry &registry = m_backend.registry();
    m_channelName.clear();
    m_reason.clear();
    m_controllable = false;
    if (m_channelId.isEmpty()) {
        m_reason = tr("Select a video tile that shows a PTZ camera.");
    } else if (const auto ref = registry.findChannel(m_channelId)) {
        const Devices::Channel &channel = ref->channel;
        m_channelName = channel.name.isEmpty() ? channel.id : channel.name;
        const auto device = registry.device(ref->device);
        if (channel.kind != Devices::ChannelKind::Video) {
            m_reason = tr("%1 is not a camera.").arg(m_channelName);
        } else if (!device || !device->online || !channel.online) {
            m_reason = tr("%1 is offline.").arg(m_channelName);
        } else if (channel.ptzType == 3) {
            m_reason = tr("%1 is a fixed camera: the device reports no PTZ for it.").arg(m_channelName);
        } else {
            m_controllable = true;
            if (channel.ptzType == 0)
                m_reason = tr("The device does not say whether this camera can move; commands may have no effect.");
        }
    } else if (const auto id = DeviceId::parse(m_channelId); id && registry.device(*id)) {
        // An IPC steered by its own device ID: no catalog entry tells us its PTZ type.
        const auto device = registry.device(*id);
        m_channelName = device->displayName();
        if (!device->online) {
            m_reason = tr("%1 is offline.").arg(m_channelName);
        } else {
            m_controllable = true;
            m_reason = tr("The device does not say whether this camera can move; commands may have no effect.");
        }
    } else {
        m_channelName = m_channelId;
        m_reason = tr("%1 is not in the device list.").arg(m_channelId);
    }
    if (!m_controllable)
        stopHold();

    m_title->setText(m_channelName.isEmpty() ? tr("No camera selected") : m_channelName);
    m_reasonLabel->setText(m_reason);
    m_reasonLabel->setVisible(!m_reason.isEmpty());
    m_controls->setEnabled(m_controllable);
    const bool hasPreset = selectedPreset() > 0;
    m_callButton->setEnabled(hasPreset);
    m_renameButton->setEnabled(hasPreset);
    m_deleteButton->setEnabled(hasPreset);
}

void PtzPanel::retranslate()
{
    m_speedLabel->setText(tr("Speed"));
    m_speed->setToolTip(tr("PTZ speed, 1 (slow) to %1 (fast)").arg(kMaxSpeed));
    m_zoomLabel->setText(tr("Zoom"));
    m_focusLabel->setText(tr("Focus"));
    m_irisLabel->setText(tr("Iris"));
    const struct {
        const char16_t *action;
        QString text;
    } tips[] = {
        {u"up", tr("Up")},
        {u"down", tr("Down")},
        {u"left", tr("Left")},
        {u"right", tr("Right")},
        {u"upleft", tr("Up and left")},
        {u"upright", tr("Up and right")},
        {u"downleft", tr("Down and left")},
        {u"downright", tr("Down and right")},
        {u"zoomin", tr("Zoom in (tele)")},
        {u"zoomout", tr("Zoom out (wide)")},
        {u"focusnear", tr("Focus near")},
        {u"focusfar", tr("Focus far")},
        {u"irisopen", tr("Open the iris")},
        {u"irisclose", tr("Close the iris")},
    };
    for (const auto &tip : tips) {
        if (QToolButton *b = m_buttons.value(QString::fromUtf16(tip.action)))
            b->setToolTip(tip.text);
    }
    m_stopButton->setToolTip(tr("Stop"));
    m_presetBox->setTitle(tr("Presets"));
    m_callButton->setText(tr("&Call"));
    m_setButton->setText(tr("&Set…"));
    m_setButton->setToolTip(tr("Store the camera's current position as a preset"));
    m_renameButton->setText(tr("&Rename…"));
    m_deleteButton->setText(tr("&Delete"));
    reloadPresets();
    refresh();
}

QMap<int, QString> PtzPanel::presetNames(const QString &channelId)
{
    QMap<int, QString> result;
    if (channelId.isEmpty())
        return result;
    QSettings settings;
    settings.beginGroup(presetKey(channelId));
    const QStringList keys = settings.childKeys();
    for (const QString &key : keys) {
        bool ok = false;
        const int number = key.toInt(&ok);
        if (ok && number >= 1 && number <= 255)
            result.insert(number, settings.value(key).toString());
    }
    return result;
}

void PtzPanel::reloadPresets()
{
    const int selected = selectedPreset();
    m_presets->clear();
    const QMap<int, QString> names = presetNames(m_channelId);
    for (auto it = names.cbegin(); it != names.cend(); ++it) {
        auto *item = new QListWidgetItem(it.value().isEmpty() ? tr("Preset %1").arg(it.key())
                                                              : tr("%1: %2").arg(it.key()).arg(it.value()),
                                         m_presets);
        item->setData(Qt::UserRole, it.key());
        if (it.key() == selected)
            m_presets->setCurrentItem(item);
    }
}

int PtzPanel::selectedPreset() const
{
    const QListWidgetItem *item = m_presets ? m_presets->currentItem() : nullptr;
    return item ? item->data(Qt::UserRole).toInt() : 0;
}

void PtzPanel::setPreset(int number, const QString &name)
{
    if (!m_controllable || number < 1 || number > 255)
        return;
    send(Gb::PtzCommand::presetSet(std::uint8_t(number)));
    QSettings().setValue(presetKey(m_channelId) + u'/' + QString::number(number), name.trimmed());
    reloadPresets();
    for (int i = 0; i < m_presets->count(); ++i) {
        if (m_presets->item(i)->data(Qt::UserRole).toInt() == number)
            m_presets->setCurrentRow(i);
    }
}

void PtzPanel::callPreset(int number)
{
    if (!m_controllable || number < 1 || number > 255)
        return;
    send(Gb::PtzCommand::presetCall(std::uint8_t(number)));
}

void PtzPanel::deletePreset(int number)
{
    if (!m_controllable || number < 1 || number > 255)
        return;
    send(Gb::PtzCommand::presetDelete(std::uint8_t(number)));
    QSettings().remove(presetKey(m_channelId) + u'/' + QString::number(number));
    reloadPresets();
    refresh();
}

void PtzPanel::renamePreset(int number, const QString &name)
{
    if (m_channelId.isEmpty() || number < 1 || number > 255)
        return;
    QSettings().setValue(presetKey(m_channelId) + u'/' + QString::number(number), name.trimmed());
    reloadPresets();
}

void PtzPanel::onSetPreset()
{
    const QMap<int, QString> names = presetNames(m_channelId);
    int suggested = selectedPreset();
    if (suggested <= 0) {
        suggested = 1;
        while (names.contains(suggested) && suggested < 255)
            ++suggested;
    }
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Set Preset"));
    auto *form = new QFormLayout(&dialog);
    auto *number = new QSpinBox(&dialog);
    number->setRange(1, 255);
    number->setValue(suggested);
    auto *name = new QLineEdit(names.value(suggested), &dialog);
    name->setPlaceholderText(tr("e.g. Main gate"));
    connect(number, &QSpinBox::valueChanged, name, [name, names](int n) { name->setText(names.value(n)); });
    form->addRow(tr("&Number:"), number);
    form->addRow(tr("N&ame:"), name);
    form->addRow(new QLabel(tr("The camera's current position is stored in the device under this number."),
                            &dialog));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() == QDialog::Accepted)
        setPreset(number->value(), name->text());
}

void PtzPanel::onRenamePreset()
{
    const int number = selectedPreset();
    if (number <= 0)
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename Preset"), tr("Name of preset %1:").arg(number),
                                               QLineEdit::Normal, presetNames(m_channelId).value(number), &ok);
    if (ok)
        renamePreset(number, name);
}

void PtzPanel::onDeletePreset()
{
    const int number = selectedPreset();
    if (number <= 0)
        return;
    const auto answer = QMessageBox::question(this, tr("Delete Preset"),
                                              tr("Delete preset %1 from the camera?").arg(number),
                                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        deletePreset(number);
}

void PtzPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    else if (event->type() == QEvent::ActivationChange && !isActiveWindow())
        stopHold();
    else if (event->type() == QEvent::EnabledChange && !isEnabled())
        stopHold();
    QWidget::changeEvent(event);
}

void PtzPanel::hideEvent(QHideEvent *event)
{
    stopHold();
    QWidget::hideEvent(event);
}

} // namespace Vigil::Ui
