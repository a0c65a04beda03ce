// The console as an operator runs it: the main window over the embedded server
// (ServerBackend, GbServer) with a simulated camera registered to it. The camera's channel
// opened in a tile plays real decoded video (checked in the pixels of the tile), closing the
// tile hangs up, and a camera that refuses the INVITE shows the reason in the tile.
// A screenshot of the playing console is written to the build folder.

#include "camsimconfig.h"
#include "loopbacksite.h"
#include "mainwindow.h"
#include "serverbackend.h"
#include "simulateddevice.h"
#include "uitestsupport.h"
#include "simulator.h"
#include "ptz/ptzpanel.h"
#include "ptzstate.h"
#include "video/videogrid.h"
#include "video/videotile.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Vigil;
using namespace Vigil::CamSim;
using namespace Qt::StringLiterals;

namespace {

constexpr int kTimeoutMs = 20000;

struct LiveConsole {
    QTemporaryDir data;
    std::unique_ptr<Gb::GbServer> server;
    std::unique_ptr<Vigil::Console::ServerBackend> backend;
    std::unique_ptr<Ui::MainWindow> window;
    std::unique_ptr<Simulator> simulator;
    QString channel;

    bool start(std::uint16_t firstMediaPort, bool media = true, int freezeAfterMs = 0)
    {
        const Gb::GbServer::Options options = CamSim::Test::loopbackServer(data.path(), firstMediaPort, 100);
        server = std::make_unique<Gb::GbServer>(options);
        if (!server->start())
            return false;
        backend = std::make_unique<Vigil::Console::ServerBackend>(*server);
        window = std::make_unique<Ui::MainWindow>(*backend);
        window->resize(1280, 800);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return false;

        SimulatorConfig config = CamSim::Test::loopbackIpc(server->sipPort());
        config.mediaEnabled = media;
        config.mediaFaults.freezeAfterMs = freezeAfterMs;
        simulator = std::make_unique<Simulator>(config);
        if (!simulator->start())
            return false;
        const DeviceId device = simulator->devices().front()->id();
        if (!QTest::qWaitFor([&] { return server->registry().channels(device).size() == 1; }, kTimeoutMs))
            return false;
        channel = server->registry().channels(device).front().id;
        return true;
    }

    ~LiveConsole()
    {
        window.reset(); // the tiles hang up first
        if (simulator)
            simulator->stop();
        if (server)
            server->stop();
    }
};

/// How far the picture is from flat: the demo clip is colour bars and a moving pattern.
int distinctColors(const QImage &image)
{
    QSet<QRgb> colors;
    for (int y = 0; y < image.height(); y += 8)
        for (int x = 0; x < image.width(); x += 8)
            colors.insert(image.pixel(x, y) & 0xF0F0F0);
    return int(colors.size());
}

} // namespace

class TestConsoleLive : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { UiTest::isolateSettings(); }
    void playsInATile();
    void ptzPanelSteersTheCamera();
    void refusedStreamSaysWhy();
    void frozenCameraShowsStalledThenRecovers();
    void smallTilesPlayTheSubStream();
};

void TestConsoleLive::playsInATile()
{
    LiveConsole console;
    QVERIFY(console.start(43200));
    QSignalSpy started(console.simulator.get(), &Simulator::streamStarted);
    QSignalSpy ended(console.simulator.get(), &Simulator::streamEnded);

    Ui::VideoGrid *grid = console.window->videoGrid();
    const int index = grid->openChannel(console.channel);
    QVERIFY(index >= 0);
    Ui::VideoTile *tile = grid->tile(index);
    QTRY_COMPARE_WITH_TIMEOUT(tile->state(), Ui::VideoTile::State::Playing, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(tile->frame(), kTimeoutMs);
    QCOMPARE(tile->frame()->width(), 640);
    QCOMPARE(tile->frame()->height(), 360);
    QCOMPARE(started.size(), 1);

    // What the operator sees: the decoded picture drawn in the tile, not a black square.
    QTest::qWait(500);
    const QImage shown = tile->grabShown();
    QVERIFY2(distinctColors(shown) > 20, qPrintable(QString::number(distinctColors(shown))));
    const QString screenshot = QDir(QCoreApplication::applicationDirPath()).filePath(u"console-live.png"_s);
    QVERIFY(console.window->screenshot().save(screenshot));
    qInfo() << "screenshot:" << screenshot;

    // Closing the tile's channel hangs up (BYE).
    tile->setChannel(QString());
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(console.simulator->devices().front()->calls().isEmpty(), kTimeoutMs);
}

void TestConsoleLive::ptzPanelSteersTheCamera()
{
    // Holding "up" in the PTZ panel tilts the camera's head up; letting go stops it.
    LiveConsole console;
    QVERIFY(console.start(43300));
    QSignalSpy applied(console.simulator.get(), &Simulator::ptzCommandApplied);
    Ui::VideoGrid *grid = console.window->videoGrid();
    const int index = grid->openChannel(console.channel);
    grid->selectTile(index);
    Ui::PtzPanel *panel = console.window->ptzPanel();
    QTRY_COMPARE_WITH_TIMEOUT(panel->channelId(), console.channel, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(panel->isControllable(), kTimeoutMs);
    QAbstractButton *up = panel->button(u"up"_s);
    QVERIFY(up && up->isEnabled());
    QTest::mousePress(up, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!applied.isEmpty(), kTimeoutMs);
    QCOMPARE(applied.front().front().toString(), console.channel);
    QCOMPARE(console.simulator->ptz(console.channel.toLatin1())->motion(), std::uint8_t(Gb::TiltUp));
    QTest::mouseRelease(up, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(applied.size() >= 2, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(console.simulator->ptz(console.channel.toLatin1())->motion(), std::uint8_t(0), kTimeoutMs);
}

void TestConsoleLive::refusedStreamSaysWhy()
{
    LiveConsole console;
    QVERIFY(console.start(43400, false));
    Ui::VideoGrid *grid = console.window->videoGrid();
    const int index = grid->openChannel(console.channel);
    Ui::VideoTile *tile = grid->tile(index);
    QTRY_COMPARE_WITH_TIMEOUT(tile->state(), Ui::VideoTile::State::Failed, kTimeoutMs);
    // The operator reads the device's answer and what to try in the tile.
    const QString text = tile->overlay().stateText;
    QVERIFY2(text.contains(u"488"_s) && text.contains(u"TCP"_s), qPrintable(text));
}

void TestConsoleLive::frozenCameraShowsStalledThenRecovers()
{
    // The camera stops sending: the tile says so over a darkened picture within seconds
    // (never a frozen picture passed off as live), and plays again once the server has asked
    // the camera again.
    LiveConsole console;
    QVERIFY(console.start(43500, true, 2500));
    Ui::VideoGrid *grid = console.window->videoGrid();
    Ui::VideoTile *tile = grid->tile(grid->openChannel(console.channel));
    QTRY_COMPARE_WITH_TIMEOUT(tile->state(), Ui::VideoTile::State::Playing, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(tile->state(), Ui::VideoTile::State::Stalled, kTimeoutMs);
    QVERIFY(tile->overlay().dimPicture);
    QVERIFY(!tile->overlay().stateText.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(tile->state(), Ui::VideoTile::State::Playing, kTimeoutMs);
}

void TestConsoleLive::smallTilesPlayTheSubStream()
{
    // In a grid of nine the tile asks the camera for its sub stream (camsim's demo sub clip is
    // 320x180); maximized it plays the main stream (640x360), restored the sub stream again.
    LiveConsole console;
    QVERIFY(console.start(44200));
    const bool haveSubClip = !demoMediaPath(kDemoSubVideoFile).isEmpty();
    const int subWidth = haveSubClip ? 320 : 640; // without the demo sub clip camsim sends the main one
    Ui::VideoGrid *grid = console.window->videoGrid();
    QVERIFY(grid->automaticStreams());
    grid->setGridLayout(Ui::VideoGrid::Layout::Nine);
    const int index = grid->openChannel(console.channel);
    Ui::VideoTile *tile = grid->tile(index);
    QCOMPARE(tile->profile(), Devices::StreamProfile::Sub);
    const auto playsWidth = [tile](int width) {
        return tile->state() == Ui::VideoTile::State::Playing && tile->frame()
            && tile->frame()->width() == width;
    };
    QTRY_VERIFY_WITH_TIMEOUT(playsWidth(subWidth), kTimeoutMs);

    grid->toggleMaximized(index);
    QCOMPARE(tile->profile(), Devices::StreamProfile::Main);
    QTRY_VERIFY_WITH_TIMEOUT(playsWidth(640), kTimeoutMs);
    QVERIFY(tile->statsLines().join(u' ').contains(u"main stream"_s));

    grid->toggleMaximized(index);
    QTRY_VERIFY_WITH_TIMEOUT(playsWidth(subWidth), kTimeoutMs);
    // One call at a time: the main stream was hung up when the sub stream came back.
    QTRY_COMPARE_WITH_TIMEOUT(console.simulator->devices().front()->calls().size(), 1, kTimeoutMs);
}

QTEST_MAIN(TestConsoleLive)

#include "tst_consolelive.moc"
