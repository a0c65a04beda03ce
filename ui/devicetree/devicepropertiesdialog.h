#pragma once

#include "common/gbid.h"
#include "devices/device.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Vigil::Ui {

/// Edits a device's own settings: SIP password, text charset, media transport and stream
/// profile; or, without a device, adds one by ID. GUI thread.
class DevicePropertiesDialog : public QDialog {
    Q_OBJECT

public:
    /// Edits `device`'s settings.
    DevicePropertiesDialog(const Devices::Device &device, QWidget *parent = nullptr);
    /// Adds a device: the ID is asked for too.
    explicit DevicePropertiesDialog(QWidget *parent = nullptr);

    /// The device ID (for a new device, what was typed; null while it is not valid).
    DeviceId deviceId() const;
    Devices::DeviceSettings settings() const;

    QLineEdit *idField() const noexcept { return m_id; }
    QLineEdit *passwordField() const noexcept { return m_password; }
    QComboBox *charsetField() const noexcept { return m_charset; }
    QComboBox *transportField() const noexcept { return m_transport; }
    QComboBox *profileField() const noexcept { return m_profile; }
    QComboBox *subStreamAttributeField() const noexcept { return m_subStreamAttribute; }

private:
    void build(bool adding);
    void setSettings(const Devices::DeviceSettings &settings);
    void validate();

    DeviceId m_deviceId;
    QLineEdit *m_id = nullptr;
    QLabel *m_idError = nullptr;
    QLineEdit *m_password = nullptr;
    QComboBox *m_charset = nullptr;
    QComboBox *m_transport = nullptr;
    QComboBox *m_profile = nullptr;
    QComboBox *m_subStreamAttribute = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace Vigil::Ui
