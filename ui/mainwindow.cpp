#include "mainwindow.h"

#include "common/version.h"
#include "consolebackend.h"
#include "devicetree/devicetreemodel.h"
#include "devicetree/devicetreewidget.h"
#include "devices/deviceregistry.h"
#include "events/eventlogwidget.h"
#include "format.h"
#include "icons.h"
#include "localaddresses.h"
#include "offlinebackend.h"
#include "ptz/ptzpanel.h"
#include "settings/settingsdialog.h"
#include "video/graphicsinfo.h"
#include "video/gridsurface.h"
#include "video/videogrid.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QSettings>
#include <QShortcut>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Vigil::Ui {

namespace {

/// The address installers should type into devices: the bound one, or this machine's.
QString sipHost(const Gb::ServerConfig &config, const QStringList &localAddresses)
{
    const QHostAddress &bind = config.sipBindAddress;
    if (!bind.isNull() && bind != QHostAddress(QHostAddress::AnyIPv4) && bind != QHostAddress(QHostAddress::Any))
        return bind.toString();
    return localAddresses.isEmpty() ? u"127.0.0.1"_s : localAddresses.first();
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_ownedBackend(std::make_unique<OfflineBackend>())
    , m_backend(*m_ownedBackend)
{
    build();
}

MainWindow::MainWindow(ConsoleBackend &backend, QWidget *parent)
    : QMainWindow(parent)
    , m_backend(backend)
{
    build();
}

MainWindow::~MainWindow()
{
    // The widgets hold references to the backend: they go first.
    delete m_central;
    m_central = nullptr;
    const auto docks = findChildren<QDockWidget *>();
    qDeleteAll(docks);
}

void MainWindow::build()
{
    setObjectName(u"mainWindow"_s);
    setWindowIcon(Icons::application());
    resize(1280, 800);
    setDockNestingEnabled(true);

    // Centre: the grid, or while no device is known, where to point devices.
    m_central = new QStackedWidget(this);
    m_central->setObjectName(u"centralStack"_s);
    m_welcome = new QWidget(m_central);
    m_welcome->setObjectName(u"welcome"_s);
    auto *welcomeLayout = new QVBoxLayout(m_welcome);
    welcomeLayout->addStretch();
    m_welcomeHeading = new QLabel(m_welcome);
    m_welcomeHeading->setAlignment(Qt::AlignCenter);
    welcomeLayout->addWidget(m_welcomeHeading);
    m_welcomeDetails = new QLabel(m_welcome);
    m_welcomeDetails->setObjectName(u"connectionDetails"_s);
    m_welcomeDetails->setAlignment(Qt::AlignCenter);
    m_welcomeDetails->setTextInteractionFlags(Qt::TextSelectableByMouse);
    welcomeLayout->addWidget(m_welcomeDetails);
    welcomeLayout->addStretch();
    m_grid = new VideoGrid(m_backend, m_central);
    m_grid->setAutomaticStreams(ConsoleSettings::load(QSettings()).automaticStreams);
    m_central->addWidget(m_welcome);
    m_central->addWidget(m_grid);
    setCentralWidget(m_central);

    m_tree = new DeviceTreeWidget(m_backend, this);
    m_treeDock = new QDockWidget(this);
    m_treeDock->setObjectName(u"deviceDock"_s);
    m_treeDock->setWidget(m_tree);
    addDockWidget(Qt::LeftDockWidgetArea, m_treeDock);

    m_ptz = new PtzPanel(m_backend, this);
    m_ptzDock = new QDockWidget(this);
    m_ptzDock->setObjectName(u"ptzDock"_s);
    m_ptzDock->setWidget(m_ptz);
    addDockWidget(Qt::RightDockWidgetArea, m_ptzDock);

    m_events = new EventLogWidget(m_backend.events(), &m_backend.registry(), this);
    m_eventDock = new QDockWidget(this);
    m_eventDock->setObjectName(u"eventDock"_s);
    m_eventDock->setWidget(m_events);
    addDockWidget(Qt::BottomDockWidgetArea, m_eventDock);
    resizeDocks({m_treeDock, m_ptzDock}, {260, 220}, Qt::Horizontal);
    resizeDocks({m_eventDock}, {170}, Qt::Vertical);

    // Said where installers look first when video stutters: no graphics acceleration.
    m_softwareRenderingLabel = new QLabel(this);
    m_softwareRenderingLabel->setObjectName(u"softwareRendering"_s);
    m_softwareRenderingLabel->setContentsMargins(6, 0, 6, 0);
    statusBar()->addPermanentWidget(m_softwareRenderingLabel);
    m_softwareRenderingLabel->setVisible(GraphicsInfo::current().software);

    m_deviceCountLabel = new QLabel(this);
    m_deviceCountLabel->setObjectName(u"deviceCount"_s);
    m_streamCountLabel = new QLabel(this);
    m_streamCountLabel->setObjectName(u"streamCount"_s);
    m_bitrateLabel = new QLabel(this);
    m_bitrateLabel->setObjectName(u"bitrate"_s);
    m_sipAddressLabel = new QLabel(this);
    m_sipAddressLabel->setObjectName(u"sipAddress"_s);
    m_sipAddressLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    for (QLabel *label : {m_deviceCountLabel, m_streamCountLabel, m_bitrateLabel, m_sipAddressLabel}) {
        label->setContentsMargins(6, 0, 6, 0);
        statusBar()->addPermanentWidget(label);
    }

    createActions();

    connect(m_tree, &DeviceTreeWidget::openChannelsRequested, this, [this](const QStringList &channels) {
        m_central->setCurrentWidget(m_grid);
        m_grid->openChannels(channels);
    });
    const auto showMessage = [this](const QString &message) { statusBar()->showMessage(message, 8000); };
    connect(m_tree, &DeviceTreeWidget::statusMessage, this, showMessage);
    connect(m_grid, &VideoGrid::statusMessage, this, showMessage);
    connect(m_grid, &VideoGrid::selectionChanged, this, &MainWindow::onTilesChanged);
    connect(m_grid, &VideoGrid::tilesChanged, this, &MainWindow::onTilesChanged);
    DeviceTreeModel *model = m_tree->model();
    connect(model, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateWelcome);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateWelcome);
    connect(model, &QAbstractItemModel::modelReset, this, &MainWindow::updateWelcome);
    connect(model, &DeviceTreeModel::updated, this, &MainWindow::updateStatus);

    auto *statusTimer = new QTimer(this);
    statusTimer->setInterval(1000);
    connect(statusTimer, &QTimer::timeout, this, &MainWindow::updateStatus);
    statusTimer->start();

    retranslate();
    restoreSession();
    updateWelcome();
    onTilesChanged();
}

void MainWindow::createActions()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_settingsAction = m_fileMenu->addAction(Icons::settings(), QString(), this, &MainWindow::openSettings);
    m_settingsAction->setObjectName(u"settings"_s);
    m_settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_settingsAction->setMenuRole(QAction::PreferencesRole);
    m_fileMenu->addSeparator();
    m_quitAction = m_fileMenu->addAction(QString(), this, &QWidget::close);
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);

    m_viewMenu = menuBar()->addMenu(QString());
    for (QDockWidget *dock : {m_treeDock, m_ptzDock, m_eventDock})
        m_viewMenu->addAction(dock->toggleViewAction());
    m_viewMenu->addSeparator();
    m_layoutMenu = m_viewMenu->addMenu(QString());
    m_layoutMenu->addActions(m_grid->layoutActions());
    m_viewMenu->addAction(m_grid->maximizeAction());
    m_fullScreenAction = m_viewMenu->addAction(Icons::fullScreen(), QString(), this, &MainWindow::toggleFullScreen);
    m_fullScreenAction->setObjectName(u"fullScreen"_s);
    m_fullScreenAction->setShortcut(QKeySequence(Qt::Key_F11));
    m_fullScreenAction->setCheckable(true);
    // Shortcuts must keep working in full screen, where the menu bar is hidden.
    addAction(m_fullScreenAction);
    // Escape leaves full screen; enabled only there, so that it means nothing else meanwhile.
    m_leaveFullScreen = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    m_leaveFullScreen->setEnabled(false);
    connect(m_leaveFullScreen, &QShortcut::activated, this, &MainWindow::toggleFullScreen);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_grid->snapshotAction());
    m_viewMenu->addAction(m_grid->closeAction());
    m_viewMenu->addAction(m_grid->closeAllAction());

    m_helpMenu = menuBar()->addMenu(QString());
    m_aboutAction = m_helpMenu->addAction(QString(), this, &MainWindow::showAbout);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    m_aboutQtAction = m_helpMenu->addAction(QString(), qApp, &QApplication::aboutQt);
    m_aboutQtAction->setMenuRole(QAction::AboutQtRole);

    m_toolBar = addToolBar(QString());
    m_toolBar->setObjectName(u"liveToolBar"_s);
    m_toolBar->setIconSize(QSize(20, 20));
    m_toolBar->addActions(m_grid->layoutActions());
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_grid->maximizeAction());
    m_toolBar->addAction(m_fullScreenAction);
    m_toolBar->addAction(m_grid->snapshotAction());
    m_toolBar->addAction(m_grid->closeAllAction());
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_settingsAction);
}

void MainWindow::retranslate()
{
    setWindowTitle(tr("Vigil"));
    m_fileMenu->setTitle(tr("&File"));
    m_settingsAction->setText(tr("&Settings…"));
    m_quitAction->setText(tr("&Quit"));
    m_viewMenu->setTitle(tr("&View"));
    m_layoutMenu->setTitle(tr("&Layout"));
    m_fullScreenAction->setText(tr("&Full Screen"));
    m_helpMenu->setTitle(tr("&Help"));
    m_aboutAction->setText(tr("&About Vigil"));
    m_aboutQtAction->setText(tr("About &Qt"));
    m_treeDock->setWindowTitle(tr("Device Tree"));
    m_ptzDock->setWindowTitle(tr("PTZ Control"));
    m_eventDock->setWindowTitle(tr("Events"));
    m_toolBar->setWindowTitle(tr("Live View"));
    m_welcomeHeading->setText(tr("<h2>Point your devices at this console</h2>"));
    m_softwareRenderingLabel->setText(tr("Software rendering"));
    m_softwareRenderingLabel->setToolTip(
        tr("Video is drawn without graphics acceleration (%1): the processor paints every picture, so "
           "large layouts of main streams play at a lower frame rate. Install the graphics card's driver, "
           "or let small tiles play sub streams (Settings, Console).")
            .arg(GraphicsInfo::current().renderer));
    updateConnectionTexts();
    updateStatus();
}

void MainWindow::updateConnectionTexts()
{
    const Gb::ServerConfig config = m_backend.serverConfig();
    const QStringList addresses = localIpv4Addresses();
    const QString host = sipHost(config, addresses);
    const bool anyAddress = host != config.sipBindAddress.toString();
    m_welcomeDetails->setText(tr("SIP server ID: %1<br>SIP domain: %2<br>SIP server address: %3<br>"
                                 "SIP port: %4 (UDP and TCP)")
                                  .arg(config.serverId.toString(), config.domain,
                                       anyAddress && !addresses.isEmpty() ? addresses.join(u", "_s) : host)
                                  .arg(config.sipPort));
    m_sipAddressLabel->setText(tr("SIP: %1@%2:%3").arg(config.serverId.toString(), host).arg(config.sipPort));
}

void MainWindow::updateStatus()
{
    const auto counts = m_backend.registry().counts();
    m_deviceCountLabel->setText(tr("Devices online: %1/%2").arg(counts.online).arg(counts.devices));
    m_streamCountLabel->setText(tr("Streams: %1").arg(m_grid->openStreamCount()));
    m_bitrateLabel->setText(tr("Inbound: %1").arg(Format::bitrate(m_grid->inboundBitrateBps())));
    // Room for the widest value, so that the status bar does not jitter as the rate changes.
    m_bitrateLabel->setMinimumWidth(m_bitrateLabel->fontMetrics().horizontalAdvance(
                                        tr("Inbound: %1").arg(Format::bitrate(999'900'000)))
                                    + 12);
}

void MainWindow::updateWelcome()
{
    const bool empty = m_tree->model()->rowCount() == 0 && m_grid->streamingChannels().isEmpty();
    m_central->setCurrentWidget(empty ? m_welcome : static_cast<QWidget *>(m_grid));
}

bool MainWindow::isShowingWelcome() const
{
    return m_central->currentWidget() == m_welcome;
}

void MainWindow::onTilesChanged()
{
    m_ptz->setChannel(m_grid->selectedChannel());
    m_tree->model()->setStreamingChannels(m_grid->streamingChannels());
    updateStatus();
}

QString MainWindow::sipAddressText() const
{
    return m_sipAddressLabel->text();
}

QString MainWindow::deviceCountText() const
{
    return m_deviceCountLabel->text();
}

QString MainWindow::streamCountText() const
{
    return m_streamCountLabel->text();
}

QImage MainWindow::screenshot()
{
    QImage image = grab().toImage();
    if (m_grid->isVisible()) {
        const QImage video = m_grid->surface()->grabFramebuffer();
        if (!video.isNull()) {
            QPainter painter(&image);
            painter.drawImage(QRect(m_grid->mapTo(this, QPoint(0, 0)), m_grid->size()), video);
        }
    }
    return image;
}

QString MainWindow::bitrateText() const
{
    return m_bitrateLabel->text();
}

void MainWindow::openSettings()
{
    QSettings settings;
    const ConsoleSettings console = ConsoleSettings::load(settings);
    const Gb::ServerConfig before = m_backend.serverConfig();
    SettingsDialog dialog(before, console, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ConsoleSettings edited = dialog.consoleSettings();
    edited.save(settings);
    m_grid->setAutomaticStreams(edited.automaticStreams);
    const Gb::ServerConfig after = dialog.serverConfig();
    if (after.serverId == before.serverId && after.domain == before.domain && after.password == before.password
        && after.sipBindAddress == before.sipBindAddress && after.sipPort == before.sipPort
        && after.mediaAddress == before.mediaAddress && after.mediaPortMin == before.mediaPortMin
        && after.mediaPortMax == before.mediaPortMax && after.defaultMediaTransport == before.defaultMediaTransport)
        return;
    statusBar()->showMessage(tr("Restarting the SIP server with the new settings…"));
    m_backend.applyServerConfig(after).then(this, [this](const Result<void> &result) {
        updateConnectionTexts();
        if (result)
            statusBar()->showMessage(tr("The SIP server runs with the new settings."), 8000);
        else
            QMessageBox::warning(this, tr("Settings"),
                                 tr("The SIP server could not start with the new settings: %1")
                                     .arg(result.error().message));
    });
}

void MainWindow::toggleFullScreen()
{
    if (!isFullScreen()) {
        m_stateBeforeFullScreen = saveState();
        m_menuBarWasVisible = menuBar()->isVisible();
        m_statusBarWasVisible = statusBar()->isVisible();
        for (QDockWidget *dock : {m_treeDock, m_ptzDock, m_eventDock})
            dock->hide();
        m_toolBar->hide();
        menuBar()->hide();
        statusBar()->hide();
        showFullScreen();
    } else {
        showNormal();
        restoreState(m_stateBeforeFullScreen);
        menuBar()->setVisible(m_menuBarWasVisible);
        statusBar()->setVisible(m_statusBarWasVisible);
    }
    m_fullScreenAction->setChecked(isFullScreen());
    m_leaveFullScreen->setEnabled(isFullScreen());
}

void MainWindow::saveSession() const
{
    QSettings settings;
    settings.setValue(u"window/geometry"_s, saveGeometry());
    settings.setValue(u"window/state"_s, isFullScreen() ? m_stateBeforeFullScreen : saveState());
    m_grid->saveState(settings);
}

void MainWindow::restoreSession()
{
    QSettings settings;
    restoreGeometry(settings.value(u"window/geometry"_s).toByteArray());
    restoreState(settings.value(u"window/state"_s).toByteArray());
    m_grid->restoreState(settings);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSession();
    QMainWindow::closeEvent(event);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange && m_fileMenu)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::showAbout()
{
    const GraphicsInfo &graphics = GraphicsInfo::current();
    QString video;
    if (!graphics.available)
        video = tr("Video drawing: no OpenGL available");
    else if (graphics.software)
        video = tr("Video drawing: %1, OpenGL %2, without graphics acceleration")
                    .arg(graphics.renderer.toHtmlEscaped(), graphics.version.toHtmlEscaped());
    else
        video = tr("Video drawing: %1, OpenGL %2").arg(graphics.renderer.toHtmlEscaped(), graphics.version.toHtmlEscaped());
    QMessageBox::about(this, tr("About Vigil"),
                       tr("<h3>Vigil %1</h3><p>A console for GB/T 28181 video surveillance: "
                          "cameras, NVRs and platforms register to it over SIP, and it shows "
                          "their live video.</p>")
                               .arg(QString::fromLatin1(kVersion))
                           + u"<p>"_s + video + u"</p>"_s);
}

} // namespace Vigil::Ui
