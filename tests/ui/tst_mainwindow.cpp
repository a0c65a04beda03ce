// The main window: where to point devices while none is known, then the grid; docks, menus,
// status bar, full screen, language switching, session restore, and a screenshot of a busy
// console (written to the build folder for people to look at).

#include "devicetree/devicetreemodel.h"
#include "devicetree/devicetreewidget.h"
#include "events/eventlogwidget.h"
#include "localization.h"
#include "mainwindow.h"
#include "ptz/ptzpanel.h"
#include "settings/consolesettings.h"
#include "uitestsupport.h"
#include "video/graphicsinfo.h"
#include "video/videogrid.h"
#include "video/videotile.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTest>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace Vigil;
using Vigil::Ui::MainWindow;
using UiTest::channel;
using UiTest::deviceId;

namespace {

const DeviceId kNvr = deviceId("34020000001180000001");
const DeviceId kPlatform = deviceId("34020000002000000099");
const DeviceId kIpc = deviceId("34020000001320000009");

QString cameraId(int i)
{
    return u"340200000013100000%1"_s.arg(i, 2, 10, QChar(u'0'));
}

void addSite(UiTest::TestBackend &backend)
{
    const QStringList names{u"东门入口"_s, u"西门停车场"_s, u"一号楼大厅"_s, u"二号楼电梯厅"_s,
                            u"仓库北侧"_s, u"周界围墙 A"_s, u"周界围墙 B"_s, u"收费站"_s};
    QList<Devices::Channel> cameras;
    for (int i = 1; i <= names.size(); ++i)
        cameras.append(channel(cameraId(i), names[i - 1], kNvr.toString(), i <= 2 ? 1 : 3, i != 6));
    backend.addDevice(kNvr, u"园区 NVR"_s, cameras);

    QList<Devices::Channel> platform;
    platform.append(channel(u"3402"_s, u"芜湖市"_s));
    platform.append(channel(u"340202"_s, u"镜湖区"_s));
    platform.append(channel(u"34020000002150000001"_s, u"治安监控"_s));
    Devices::Channel street = channel(u"34020000001310000101"_s, u"中山路口"_s);
    street.civilCode = u"340202"_s;
    platform.append(street);
    platform.append(channel(u"34020000001310000102"_s, u"步行街"_s, u"34020000002150000001"_s));
    backend.addDevice(kPlatform, u"区级平台"_s, platform, "192.0.2.20");

    backend.addDevice(kIpc, u"机房"_s, {}, "192.0.2.30");
    backend.registryObject.markOffline(kIpc, Devices::OfflineReason::KeepalivesMissed);
}

/// A test picture: colour bars over a grey ramp, with a tint per tile.
std::shared_ptr<const Ui::YuvFrame> testPicture(int width, int height, QColor tint)
{
    auto frame = Ui::YuvFrame::allocate(width, height);
    const auto bars = UiTest::barColors();
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            QColor color;
            if (y < height * 2 / 3) {
                color = bars[x * int(bars.size()) / width];
            } else {
                const int level = 255 * x / width;
                color = QColor((level + tint.red()) / 2, (level + tint.green()) / 2, (level + tint.blue()) / 2);
            }
            const auto yuv = UiTest::yuvOf(color, Ui::YuvMatrix::Bt601, Ui::YuvRange::Limited);
            frame->planeData(0)[y * frame->stride(0) + x] = uchar(yuv[0]);
            if (x % 2 == 0 && y % 2 == 0) {
                frame->planeData(1)[(y / 2) * frame->stride(1) + x / 2] = uchar(yuv[1]);
                frame->planeData(2)[(y / 2) * frame->stride(2) + x / 2] = uchar(yuv[2]);
            }
        }
    }
    return frame;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { UiTest::isolateSettings(); }
    void init() { QSettings().clear(); }

    void showsWhereDevicesRegister()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.windowTitle(), u"Vigil"_s);

        // An installer reads the server ID and port off the window to configure a camera.
        QVERIFY(window.sipAddressText().contains(u"34020000002000000001"_s));
        QVERIFY(window.sipAddressText().endsWith(u":5060"_s));
        auto *details = window.findChild<QLabel *>(u"connectionDetails"_s);
        QVERIFY(details);
        QVERIFY(details->isVisible());
        QVERIFY(details->text().contains(u"3402000000"_s));
        QVERIFY(details->text().contains(u"UDP and TCP"_s));
        QVERIFY(window.isShowingWelcome());
        window.screenshot().save(QDir(QCoreApplication::applicationDirPath()).filePath(u"mainwindow_welcome.png"_s));
    }

    void welcomeGivesWayToTheGrid()
    {
        UiTest::TestBackend backend;
        MainWindow window(backend);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.isShowingWelcome());
        QVERIFY(!window.videoGrid()->isVisible());
        backend.addDevice(kNvr, u"园区 NVR"_s, {channel(cameraId(1), u"东门入口"_s, kNvr.toString())});
        QTRY_VERIFY(!window.isShowingWelcome());
        QVERIFY(window.videoGrid()->isVisible());
        QTRY_COMPARE(window.deviceCountText(), u"Devices online: 1/1"_s);
        backend.registryObject.remove(kNvr);
        QTRY_VERIFY(window.isShowingWelcome());
    }

    void hasMenusDocksAndStatus()
    {
        UiTest::TestBackend backend;
        addSite(backend);
        MainWindow window(backend);
        QStringList titles;
        const auto actions = window.menuBar()->actions();
        for (const QAction *action : actions)
            titles.append(action->text());
        QCOMPARE(titles, (QStringList{u"&File"_s, u"&View"_s, u"&Help"_s}));
        QCOMPARE(window.findChild<QDockWidget *>(u"deviceDock"_s)->windowTitle(), u"Device Tree"_s);
        QCOMPARE(window.findChild<QDockWidget *>(u"ptzDock"_s)->windowTitle(), u"PTZ Control"_s);
        QCOMPARE(window.findChild<QDockWidget *>(u"eventDock"_s)->windowTitle(), u"Events"_s);
        QCOMPARE(window.dockWidgetArea(window.findChild<QDockWidget *>(u"deviceDock"_s)), Qt::LeftDockWidgetArea);
        QCOMPARE(window.dockWidgetArea(window.findChild<QDockWidget *>(u"ptzDock"_s)), Qt::RightDockWidgetArea);
        QCOMPARE(window.dockWidgetArea(window.findChild<QDockWidget *>(u"eventDock"_s)), Qt::BottomDockWidgetArea);
        QCOMPARE(window.deviceCountText(), u"Devices online: 2/3"_s);
        QCOMPARE(window.streamCountText(), u"Streams: 0"_s);

        // Opening from the tree: the grid shows it, the PTZ panel follows, the tree marks it.
        Q_EMIT window.deviceTree()->openChannelsRequested({cameraId(1), cameraId(2)});
        QCOMPARE(window.videoGrid()->tile(0)->channelId(), cameraId(1));
        QCOMPARE(window.videoGrid()->tile(1)->channelId(), cameraId(2));
        QCOMPARE(window.ptzPanel()->channelId(), cameraId(1));
        QVERIFY(window.ptzPanel()->isControllable());
        QVERIFY(window.deviceTree()->model()->channelIndex(cameraId(1)).data(Ui::DeviceTreeModel::StreamingRole).toBool());
        QCOMPARE(window.streamCountText(), u"Streams: 2"_s);
        window.videoGrid()->selectTile(1);
        QCOMPARE(window.ptzPanel()->channelId(), cameraId(2));

        backend.openStreamFor(cameraId(1))->stream->setStats({u"H.264"_s, u"UDP"_s, 2'000'000, 0});
        backend.openStreamFor(cameraId(2))->stream->setStats({u"H.265"_s, u"TCP"_s, 1'500'000, 0});
        QTRY_COMPARE(window.bitrateText(), u"Inbound: 3.5 Mbit/s"_s);
    }

    void saysWhenVideoIsPaintedWithoutAGraphicsCard()
    {
        // Under Xvfb the console draws with Mesa's llvmpipe: installers see why a large grid
        // plays slowly, in the status bar and in About.
        const Ui::GraphicsInfo &graphics = Ui::GraphicsInfo::current();
        QVERIFY2(graphics.available, "Xvfb gives an OpenGL context");
        QVERIFY(!graphics.renderer.isEmpty());
        UiTest::TestBackend backend;
        MainWindow window(backend);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *label = window.findChild<QLabel *>(u"softwareRendering"_s);
        QVERIFY(label);
        QCOMPARE(label->isVisible(), graphics.software);
        QCOMPARE(label->text(), u"Software rendering"_s);
        QVERIFY(label->toolTip().contains(graphics.renderer));
        QVERIFY(label->toolTip().contains(u"sub streams"_s));

        QString aboutText;
        QTimer::singleShot(0, &window, [&aboutText] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                aboutText = box->text();
                box->accept();
            }
        });
        QAction *about = nullptr;
        const auto menus = window.menuBar()->actions();
        for (const QAction *menu : menus) {
            const auto items = menu->menu()->actions();
            for (QAction *item : items)
                about = item->text() == u"&About Vigil"_s ? item : about;
        }
        QVERIFY(about);
        about->trigger();
        QVERIFY(aboutText.contains(u"Video drawing: "_s + graphics.renderer));
        QCOMPARE(aboutText.contains(u"without graphics acceleration"_s), graphics.software);
    }

    void fullScreenShowsOnlyVideo()
    {
        UiTest::TestBackend backend;
        addSite(backend);
        MainWindow window(backend);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *fullScreen = window.findChild<QAction *>(u"fullScreen"_s);
        QCOMPARE(fullScreen->shortcut(), QKeySequence(Qt::Key_F11));
        fullScreen->trigger();
        QTRY_VERIFY(window.isFullScreen());
        QVERIFY(!window.menuBar()->isVisible());
        QVERIFY(!window.findChild<QDockWidget *>(u"deviceDock"_s)->isVisible());
        QVERIFY(!window.statusBar()->isVisible());
        QVERIFY(window.videoGrid()->isVisible());
        window.toggleFullScreen();
        QTRY_VERIFY(!window.isFullScreen());
        QVERIFY(window.menuBar()->isVisible());
        QVERIFY(window.findChild<QDockWidget *>(u"deviceDock"_s)->isVisible());
        QVERIFY(window.statusBar()->isVisible());
    }

    void restoresTheSession()
    {
        UiTest::TestBackend backend;
        addSite(backend);
        {
            MainWindow window(backend);
            window.show();
            window.videoGrid()->setGridLayout(Ui::VideoGrid::Layout::Nine);
            window.videoGrid()->openChannel(cameraId(3), 4);
            window.videoGrid()->openChannel(cameraId(4), 8, Devices::StreamProfile::Sub);
            window.findChild<QDockWidget *>(u"eventDock"_s)->hide();
            window.close();
        }
        QCOMPARE(backend.openCount(), 0);
        MainWindow window(backend);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.videoGrid()->gridLayout(), Ui::VideoGrid::Layout::Nine);
        QCOMPARE(window.videoGrid()->tile(4)->channelId(), cameraId(3));
        QCOMPARE(window.videoGrid()->tile(8)->profile(), Devices::StreamProfile::Sub);
        QCOMPARE(backend.openCount(), 2);
        QVERIFY(!window.findChild<QDockWidget *>(u"eventDock"_s)->isVisible());
    }

    void gridFollowsTheStreamSetting()
    {
        UiTest::TestBackend backend;
        addSite(backend);
        QSettings settings;
        Ui::ConsoleSettings console = Ui::ConsoleSettings::load(settings);
        console.automaticStreams = false;
        console.save(settings);
        {
            MainWindow window(backend);
            QVERIFY(!window.videoGrid()->automaticStreams());
            window.videoGrid()->setGridLayout(Ui::VideoGrid::Layout::Sixteen);
            window.videoGrid()->openChannel(cameraId(1), 9);
            QCOMPARE(backend.openStreamFor(cameraId(1))->profile, Devices::StreamProfile::Main);
        }
        console.automaticStreams = true;
        console.save(settings);
        MainWindow window(backend);
        QVERIFY(window.videoGrid()->automaticStreams());
        window.videoGrid()->setGridLayout(Ui::VideoGrid::Layout::Sixteen);
        window.videoGrid()->openChannel(cameraId(1), 9);
        QCOMPARE(backend.openStreamFor(cameraId(1))->profile, Devices::StreamProfile::Sub);
    }

    void speaksChinese()
    {
        // Operators mostly read Chinese: the translation is compiled in and covers the window.
        QVERIFY(Ui::Localization::apply(QLocale(QLocale::Chinese, QLocale::China)));
        {
            MainWindow window;
            QCOMPARE(window.menuBar()->actions().constFirst()->text(), u"文件(&F)"_s);
            QVERIFY(window.sipAddressText().startsWith(u"SIP："_s));
            auto *details = window.findChild<QLabel *>(u"connectionDetails"_s);
            QVERIFY(details->text().contains(u"SIP 服务器编号"_s));
            QCOMPARE(window.findChild<QLabel *>(u"softwareRendering"_s)->text(), u"软件渲染"_s);
        }
        QVERIFY(Ui::Localization::apply(QLocale(QLocale::English, QLocale::UnitedStates)) == false);
        MainWindow window;
        QCOMPARE(window.menuBar()->actions().constFirst()->text(), u"&File"_s);
    }

    void switchesLanguageWhileOpen()
    {
        UiTest::TestBackend backend;
        addSite(backend);
        MainWindow window(backend);
        window.show();
        QCOMPARE(window.findChild<QDockWidget *>(u"ptzDock"_s)->windowTitle(), u"PTZ Control"_s);
        QVERIFY(Ui::Localization::apply(Ui::Language::Chinese));
        // QApplication posts LanguageChange to the windows.
        QTRY_COMPARE(window.menuBar()->actions().constFirst()->text(), u"文件(&F)"_s);
        QCOMPARE(window.findChild<QDockWidget *>(u"ptzDock"_s)->windowTitle(), u"云台控制"_s);
        QCOMPARE(window.findChild<QDockWidget *>(u"deviceDock"_s)->windowTitle(), u"设备树"_s);
        QVERIFY(window.deviceCountText().contains(u"2/3"_s));
        QVERIFY(!window.deviceCountText().contains(u"Devices"_s));
        QVERIFY(window.videoGrid()->layoutActions().at(1)->text().contains(u"分屏"_s));
        Ui::Localization::apply(Ui::Language::English);
        QTRY_COMPARE(window.findChild<QDockWidget *>(u"ptzDock"_s)->windowTitle(), u"PTZ Control"_s);
    }

    void screenshotOfABusyConsole_data()
    {
        QTest::addColumn<int>("language");
        QTest::addColumn<QString>("file");
        QTest::newRow("English") << int(Ui::Language::English) << u"mainwindow.png"_s;
        QTest::newRow("Chinese") << int(Ui::Language::Chinese) << u"mainwindow_zh_CN.png"_s;
    }

    void screenshotOfABusyConsole()
    {
        QFETCH(int, language);
        QFETCH(QString, file);
        Ui::Localization::apply(Ui::Language(language));
        UiTest::TestBackend backend;
        addSite(backend);
        backend.eventLog.add(Devices::EventKind::DeviceRegistered, kNvr.toString(), {u"192.0.2.10:5060"_s, u"UDP"_s});
        backend.eventLog.add(Devices::EventKind::CatalogSynced, kNvr.toString(), {u"8"_s});
        backend.eventLog.add(Devices::EventKind::DeviceRegistered, kPlatform.toString(), {u"192.0.2.20:5060"_s, u"TCP"_s});
        backend.eventLog.add(Devices::EventKind::AuthFailed, QString(), {u"203.0.113.5:5060"_s, u"wrong password"_s});
        backend.eventLog.add(Devices::EventKind::DeviceOffline, kIpc.toString(), {u"3 keepalives missed"_s});

        MainWindow window(backend);
        window.resize(1440, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.deviceTree()->view()->expandAll();
        Ui::VideoGrid *grid = window.videoGrid();
        grid->setGridLayout(Ui::VideoGrid::Layout::Nine);
        for (int i = 1; i <= 6; ++i)
            grid->openChannel(cameraId(i), i - 1);
        grid->openChannel(u"34020000001310000101"_s, 6);
        backend.initialStreamState = Ui::LiveStream::State::Failed;
        grid->openChannel(cameraId(7), 7);
        const QList<QColor> tints{Qt::red, Qt::green, Qt::blue, Qt::yellow, Qt::cyan, Qt::magenta};
        for (int i = 1; i <= 4; ++i) {
            backend.openStreamFor(cameraId(i))->frames->publish(testPicture(i == 3 ? 704 : 1280, i == 3 ? 576 : 720, tints[i - 1]));
            backend.openStreamFor(cameraId(i))->stream->setStats({u"H.264"_s, u"UDP"_s, 1'800'000 + 300'000 * i, 0});
        }
        QTRY_COMPARE(grid->tile(0)->state(), Ui::VideoTile::State::Playing);
        QTRY_COMPARE(grid->tile(3)->state(), Ui::VideoTile::State::Playing);
        // Tile 3 stalls: no picture for three seconds.
        grid->tile(3)->tick(Ui::LatestFrameSlot::Clock::now() + std::chrono::seconds(3));
        QCOMPARE(grid->tile(3)->state(), Ui::VideoTile::State::Stalled);
        grid->selectTile(0);
        QTRY_VERIFY(window.bitrateText().contains(u"Mbit/s"_s));

        const QImage shot = window.screenshot();
        QVERIFY(!shot.isNull());
        const QString path = QDir(QCoreApplication::applicationDirPath()).filePath(file);
        QVERIFY(shot.save(path));
        qInfo("screenshot: %s", qPrintable(path));
        // The first tile shows its picture (bars at the top left of the tile).
        const QPoint tile0 = grid->tile(0)->mapTo(&window, grid->tile(0)->pictureRect().topLeft());
        const qreal scale = qreal(shot.width()) / window.width();
        QVERIFY(UiTest::closeTo(shot.pixel(int((tile0.x() + 10) * scale), int((tile0.y() + 40) * scale)), Qt::white, 12));
        Ui::Localization::apply(Ui::Language::English);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
