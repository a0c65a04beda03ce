#pragma once

#include "gb28181/ptzcommand.h"

#include <QMap>
#include <QWidget>

class QAbstractButton;
class QGroupBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSlider;
class QToolButton;

namespace Vigil::Ui {

class ConsoleBackend;

/// PTZ control for the channel of the selected video tile: eight directions, zoom, focus and
/// iris — each sends its command while the button is held and a stop when it is released
/// (also when the pointer leaves it, the window loses focus, the panel hides or the channel
/// changes while held) — a speed slider, and presets (call, set, rename, delete) with names
/// kept locally per channel, since GB/T 28181 devices store only numbers.
///
/// Disabled, with the reason shown, when nothing is selected, the channel is offline, is not
/// a camera, or the device reports a fixed camera (PTZType 3). PTZType unknown stays usable
/// with a note: many NVRs never send it. GUI thread.
class PtzPanel : public QWidget {
    Q_OBJECT

public:
    /// Slider positions; the command speed is position × 255 / kMaxSpeed.
    static constexpr int kMinSpeed = 1;
    static constexpr int kMaxSpeed = 10;

    explicit PtzPanel(ConsoleBackend &backend, QWidget *parent = nullptr);
    ~PtzPanel() override;

    /// The channel to steer (empty: none).
    void setChannel(const QString &channelId);
    const QString &channelId() const noexcept { return m_channelId; }
    /// Whether the controls are enabled, and why not (or a note when they are).
    bool isControllable() const noexcept { return m_controllable; }
    QString reason() const;

    int speed() const;
    void setSpeed(int position);
    /// The speed byte (0-255) sent in commands for the current slider position.
    int commandSpeed() const;

    /// The hold button of an action of Gb::PtzCommand::fromAction ("up", "zoomin"...).
    QAbstractButton *button(const QString &action) const;
    QListWidget *presetList() const noexcept { return m_presets; }

    /// Local preset names of a channel, by number.
    static QMap<int, QString> presetNames(const QString &channelId);
    /// Stores the camera's current position as preset `number` named `name`.
    void setPreset(int number, const QString &name);
    void callPreset(int number);
    /// Deletes the preset on the device and its local name (no confirmation).
    void deletePreset(int number);
    /// Changes only the local name.
    void renamePreset(int number, const QString &name);

Q_SIGNALS:
    /// Every command handed to the backend, in order.
    void commandSent(const QString &channelId, const Vigil::Gb::PtzCommand &command);

protected:
    void changeEvent(QEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QToolButton *addHoldButton(const QString &action, const QIcon &icon);
    void startHold(const QString &action);
    void stopHold();
    void send(const Gb::PtzCommand &command);
    void refresh();
    void retranslate();
    void reloadPresets();
    int selectedPreset() const;
    void onSetPreset();
    void onRenamePreset();
    void onDeletePreset();

    ConsoleBackend &m_backend;
    QString m_channelId;
    QString m_channelName;
    bool m_controllable = false;
    QString m_reason;
    QString m_heldAction;      ///< the action whose command went out and whose stop is due
    QString m_heldChannel;     ///< the channel it went to

    QLabel *m_title = nullptr;
    QLabel *m_reasonLabel = nullptr;
    QLabel *m_errorLabel = nullptr;
    QWidget *m_controls = nullptr;
    QMap<QString, QToolButton *> m_buttons;
    QToolButton *m_stopButton = nullptr;
    QLabel *m_speedLabel = nullptr;
    QSlider *m_speed = nullptr;
    QLabel *m_speedValue = nullptr;
    QLabel *m_zoomLabel = nullptr;
    QLabel *m_focusLabel = nullptr;
    QLabel *m_irisLabel = nullptr;
    QGroupBox *m_presetBox = nullptr;
    QListWidget *m_presets = nullptr;
    QPushButton *m_callButton = nullptr;
    QPushButton *m_setButton = nullptr;
    QPushButton *m_renameButton = nullptr;
    QPushButton *m_deleteButton = nullptr;
};

} // namespace Vigil::Ui
