#pragma once

#include <QMainWindow>

#include <memory>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QShortcut;
class QStackedWidget;
class QToolBar;

namespace Vigil::Ui {

class ConsoleBackend;
class DeviceTreeWidget;
class EventLogWidget;
class PtzPanel;
class VideoGrid;

/// The console's top-level window: the device tree docked left, the live grid in the centre
/// (with where-to-point-devices as its empty state while no device is known), PTZ control
/// docked right, the event log docked below; menus, a tool bar, and a status bar with devices
/// online/total, open streams, inbound bitrate and the SIP address devices should use.
///
/// Window layout and the grid's tiles are saved on close and restored on start. Lives on the
/// GUI thread and never blocks on network, disk or decoding: the backend's registry and event
/// log are read through their thread-safe readers, their signals connected queued.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    /// A window without a server behind it (OfflineBackend): empty, actions fail with a reason.
    explicit MainWindow(QWidget *parent = nullptr);
    /// A window on `backend`, which must outlive it.
    explicit MainWindow(ConsoleBackend &backend, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// The text of the status bar field that tells installers where to point devices.
    QString sipAddressText() const;
    QString deviceCountText() const;
    QString streamCountText() const;
    QString bitrateText() const;
    /// The window as it looks, video included (QWidget::grab() leaves out the video, which is
    /// painted in a native window of its own). Waits for the video's render thread.
    QImage screenshot();

    DeviceTreeWidget *deviceTree() const noexcept { return m_tree; }
    VideoGrid *videoGrid() const noexcept { return m_grid; }
    PtzPanel *ptzPanel() const noexcept { return m_ptz; }
    EventLogWidget *eventLog() const noexcept { return m_events; }
    /// Whether the grid's empty state (where to point devices) is shown instead of the grid.
    bool isShowingWelcome() const;

    /// Opens the settings dialog and applies what was changed.
    void openSettings();
    void toggleFullScreen();
    /// Saves window layout and tiles (also done on close).
    void saveSession() const;

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void build();
    void createActions();
    void retranslate();
    void updateStatus();
    void updateWelcome();
    void updateConnectionTexts();
    void onTilesChanged();
    void restoreSession();
    void showAbout();

    std::unique_ptr<ConsoleBackend> m_ownedBackend;
    ConsoleBackend &m_backend;

    QStackedWidget *m_central = nullptr;
    QWidget *m_welcome = nullptr;
    QLabel *m_welcomeHeading = nullptr;
    QLabel *m_welcomeDetails = nullptr;
    VideoGrid *m_grid = nullptr;
    DeviceTreeWidget *m_tree = nullptr;
    PtzPanel *m_ptz = nullptr;
    EventLogWidget *m_events = nullptr;
    QDockWidget *m_treeDock = nullptr;
    QDockWidget *m_ptzDock = nullptr;
    QDockWidget *m_eventDock = nullptr;
    QToolBar *m_toolBar = nullptr;

    QMenu *m_fileMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_layoutMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_fullScreenAction = nullptr;
    QShortcut *m_leaveFullScreen = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_aboutQtAction = nullptr;

    QLabel *m_softwareRenderingLabel = nullptr;
    QLabel *m_deviceCountLabel = nullptr;
    QLabel *m_streamCountLabel = nullptr;
    QLabel *m_bitrateLabel = nullptr;
    QLabel *m_sipAddressLabel = nullptr;

    QByteArray m_stateBeforeFullScreen;
    bool m_menuBarWasVisible = true;
    bool m_statusBarWasVisible = true;
};

} // namespace Vigil::Ui
