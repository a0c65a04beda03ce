#pragma once

#include <QMainWindow>

class QLabel;

namespace Vigil::Ui {

/// The console's top-level window: menus, status bar and the central area.
/// Lives on the GUI thread; never blocks on network, disk or decoding.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);

    /// The text of the status bar field that tells installers where to point devices.
    QString sipAddressText() const;

private:
    void createActions();
    void showAbout();
    void toggleFullScreen();

    QLabel *m_sipAddressLabel = nullptr;
};

} // namespace Vigil::Ui
