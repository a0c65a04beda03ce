#pragma once

#include "common/gbid.h"

#include <QDialog>
#include <QPointer>

class QFormLayout;
class QLabel;
class QPushButton;

namespace Vigil::Ui {

class ConsoleBackend;

/// Shows what Vigil knows about a device (identity, firmware, address, registration times)
/// and asks the device for fresh DeviceInfo on request. Follows registry changes while open.
/// GUI thread.
class DeviceInfoDialog : public QDialog {
    Q_OBJECT

public:
    DeviceInfoDialog(ConsoleBackend &backend, const DeviceId &id, QWidget *parent = nullptr);

    const DeviceId &deviceId() const noexcept { return m_id; }
    /// The value shown for a field, by its object name ("model", "firmware"...); for tests.
    QString value(const QString &field) const;
    /// Asks the device for DeviceInfo; the result shows under the fields.
    void query();

protected:
    void changeEvent(QEvent *event) override;

private:
    void refresh();
    void setValue(const QString &field, const QString &label, const QString &value);

    ConsoleBackend &m_backend;
    DeviceId m_id;
    QFormLayout *m_form = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_queryButton = nullptr;
};

} // namespace Vigil::Ui
