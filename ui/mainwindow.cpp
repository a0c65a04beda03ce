#include "mainwindow.h"

#include "common/version.h"
#include "gb28181/serverconfig.h"

#include <QAction>
#include <QApplication>
#include <QHostAddress>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QNetworkInterface>
#include <QStatusBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Vigil::Ui {

namespace {

/// Non-loopback IPv4 addresses of this machine: what an installer types into a camera.
QStringList localIpv4Addresses()
{
    QStringList result;
    const auto addresses = QNetworkInterface::allAddresses();
    for (const QHostAddress &address : addresses) {
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback())
            result.append(address.toString());
    }
    return result;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Vigil"));
    setObjectName(u"mainWindow"_s);
    resize(1280, 800);

    createActions();

    const Gb::ServerConfig config;
    const QStringList addresses = localIpv4Addresses();
    const QString host = addresses.isEmpty() ? u"127.0.0.1"_s : addresses.first();

    auto *central = new QWidget(this);
    central->setObjectName(u"welcome"_s);
    auto *layout = new QVBoxLayout(central);
    layout->addStretch();
    auto *heading = new QLabel(tr("<h2>Point your devices at this console</h2>"), central);
    heading->setAlignment(Qt::AlignCenter);
    layout->addWidget(heading);
    auto *details = new QLabel(central);
    details->setObjectName(u"connectionDetails"_s);
    details->setAlignment(Qt::AlignCenter);
    details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    details->setText(tr("SIP server ID: %1<br>SIP domain: %2<br>SIP server address: %3<br>"
                        "SIP port: %4 (UDP and TCP)")
                         .arg(config.serverId.toString(), config.domain,
                              addresses.isEmpty() ? host : addresses.join(u", "_s))
                         .arg(config.sipPort));
    layout->addWidget(details);
    layout->addStretch();
    setCentralWidget(central);

    m_sipAddressLabel = new QLabel(this);
    m_sipAddressLabel->setObjectName(u"sipAddress"_s);
    m_sipAddressLabel->setText(tr("SIP: %1@%2:%3")
                                   .arg(config.serverId.toString(), host)
                                   .arg(config.sipPort));
    statusBar()->addPermanentWidget(m_sipAddressLabel);
}

QString MainWindow::sipAddressText() const
{
    return m_sipAddressLabel->text();
}

void MainWindow::createActions()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    QAction *fullScreen = viewMenu->addAction(tr("&Full Screen"), this, &MainWindow::toggleFullScreen);
    fullScreen->setShortcut(QKeySequence(Qt::Key_F11));
    fullScreen->setCheckable(true);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *about = helpMenu->addAction(tr("&About Vigil"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    QAction *aboutQt = helpMenu->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    aboutQt->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Vigil"),
                       tr("<h3>Vigil %1</h3><p>A console for GB/T 28181 video surveillance: "
                          "cameras, NVRs and platforms register to it over SIP, and it shows "
                          "their live video.</p>")
                           .arg(QString::fromLatin1(kVersion)));
}

void MainWindow::toggleFullScreen()
{
    setWindowState(windowState() ^ Qt::WindowFullScreen);
}

} // namespace Vigil::Ui
