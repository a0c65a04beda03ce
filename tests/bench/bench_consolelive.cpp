// The console with real live streams: N tiles (default 16) of a 1080p25 H.264 camera each,
// from a vigil-camsim NVR process over loopback, through the embedded server (GbServer: INVITE,
// RTP/PS, FFmpeg decoding) into the OpenGL tiles, for S seconds (default 20) after all tiles
// play. Prints per tile the pictures decoded and painted per second, the CPU of the GUI thread
// and of the whole console process (camsim is another process), and the longest time the GUI
// thread's event loop was held up (a 1 ms timer's worst lateness).
// Run it under a display:
//   xvfb-run -a -s "-screen 0 1920x1080x24" bench_consolelive [tiles] [seconds] [--sub-streams]
// Every tile plays the 1080p main stream; with --sub-streams the console chooses streams by tile
// size as operators have it by default (ConsoleSettings::automaticStreams) and the cameras'
// sub stream is a 640x360 25 fps clip.
// VIGIL_BENCH_MAX_RATE=N caps the grid's passes at N a second instead of GridSurface's default
// (to compare caps in the same go); the line "grid passes" says what it reached.
// (Xvfb paints with llvmpipe on the CPU, which competes with decoding on this machine.)

#include "../ui/uitestsupport.h"
#include "gb28181/gbserver.h"
#include "mainwindow.h"
#include "serverbackend.h"
#include "video/gridsurface.h"
#include "video/videogrid.h"
#include "video/videotile.h"
#include "benchutil.h"
#include "looplateness.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace Qt::StringLiterals;
using namespace Vigil;
using Vigil::Bench::processCpuSeconds;
using Vigil::Bench::threadCpuSeconds;

using Vigil::Bench::median;

namespace {

[[noreturn]] void die(const QString &why)
{
    std::fprintf(stderr, "bench_consolelive: %s\n", qPrintable(why));
    std::exit(1);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    UiTest::isolateSettings();
    QStringList args = QCoreApplication::arguments().mid(1);
    const bool subStreams = args.removeAll(u"--sub-streams"_s) > 0;
    const int tiles = args.size() > 0 ? std::clamp(args[0].toInt(), 1, 25) : 16;
    const int seconds = args.size() > 1 ? std::max(1, args[1].toInt()) : 20;

    QTemporaryDir work;
    if (!work.isValid())
        die(u"no temporary folder"_s);
    // Camera-like clips: H.264 main profile, no B-frames, a key frame each 2 s; the main stream
    // 1080p25 at 4 Mb/s, the sub stream 640x360 at 512 kb/s.
    const auto makeClip = [&work](const QString &name, const QString &size, const QString &bitrate) {
        const QString path = work.filePath(name);
        std::printf("generating a 10 s %s 25 fps H.264 clip with ffmpeg...\n", qPrintable(size));
        if (QProcess::execute(u"ffmpeg"_s,
                              {u"-v"_s, u"error"_s, u"-f"_s, u"lavfi"_s, u"-i"_s, u"testsrc2=size=%1:rate=25"_s.arg(size),
                               u"-t"_s, u"10"_s, u"-c:v"_s, u"libx264"_s, u"-preset"_s, u"veryfast"_s, u"-profile:v"_s,
                               u"main"_s, u"-bf"_s, u"0"_s, u"-g"_s, u"50"_s, u"-b:v"_s, bitrate, u"-f"_s, u"h264"_s, path})
            != 0)
            die(u"ffmpeg could not make the clip"_s);
        return path;
    };
    const QString clip = makeClip(u"main.h264"_s, u"1920x1080"_s, u"4M"_s);
    const QString subClip = makeClip(u"sub.h264"_s, u"640x360"_s, u"512k"_s);

    Gb::GbServer::Options options;
    options.dataDir = work.filePath(u"data"_s);
    options.config.sipBindAddress = QHostAddress::LocalHost;
    options.config.sipPort = 0;
    options.config.mediaAddress = QHostAddress::LocalHost;
    options.config.mediaPortMin = 47000;
    options.config.mediaPortMax = 47199;
    Gb::GbServer server(options);
    if (auto started = server.start(); !started)
        die(started.error().message);
    Console::ServerBackend backend(server);
    auto window = std::make_unique<Ui::MainWindow>(backend);
    window->resize(1920, 1080);
    window->show();
    Ui::VideoGrid *grid = window->videoGrid();
    grid->setAutomaticStreams(subStreams);
    grid->setGridLayout(UiTest::squareLayoutFor(tiles));

    QProcess camsim;
    camsim.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    camsim.setStandardOutputFile(QProcess::nullDevice());
    const QString camsimPath = QDir(QCoreApplication::applicationDirPath()).filePath(u"../bin/vigil-camsim"_s);
    camsim.start(camsimPath, {u"--server"_s, u"127.0.0.1:%1"_s.arg(server.sipPort()), u"--bind"_s, u"127.0.0.1"_s,
                              u"--devices"_s, u"1"_s, u"--type"_s, u"nvr"_s, u"--channels"_s, QString::number(tiles),
                              u"--media"_s, clip, u"--sub-media"_s, subClip, u"--keepalive"_s, u"30"_s});
    if (!camsim.waitForStarted(5000))
        die(u"cannot start %1"_s.arg(camsimPath));

    const DeviceId nvr = *DeviceId::parse(u"34020000001180000001"_s);
    QElapsedTimer setup;
    setup.start();
    while (server.registry().channels(nvr).size() < tiles) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        if (setup.elapsed() > 30000)
            die(u"camsim's NVR did not register with %1 channels"_s.arg(tiles));
    }
    const QList<Devices::Channel> channels = server.registry().channels(nvr);
    for (int i = 0; i < tiles; ++i)
        grid->openChannel(channels[i].id, i);
    const auto allPlaying = [&] {
        for (int i = 0; i < tiles; ++i)
            if (grid->tile(i)->state() != Ui::VideoTile::State::Playing)
                return false;
        return true;
    };
    while (!allPlaying() && setup.elapsed() < 60000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    const qint64 toPlay = setup.elapsed();
    // Settle for 3 s (first key frames, GL set-up), then measure.
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 3000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);

    if (const QByteArray rate = qgetenv("VIGIL_BENCH_MAX_RATE"); !rate.isEmpty())
        grid->surface()->setMaximumRate(rate.toInt());
    const quint64 passes0 = grid->surface()->passCount();
    std::vector<std::uint64_t> uploads0(static_cast<std::size_t>(tiles));
    for (int i = 0; i < tiles; ++i)
        uploads0[std::size_t(i)] = grid->tile(i)->uploadCount();
    struct Counts {
        std::vector<std::uint64_t> decoded;
        std::vector<std::uint64_t> dropped;
    };
    const auto decoded = [&] {
        Counts counts{std::vector<std::uint64_t>(std::size_t(tiles)), std::vector<std::uint64_t>(std::size_t(tiles))};
        const auto future = server.streams();
        while (!future.isFinished())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        for (const Gb::StreamStatus &status : future.result()) {
            for (int i = 0; i < tiles; ++i)
                if (status.channelId == channels[i].id) {
                    counts.decoded[std::size_t(i)] = status.health.framesDecoded;
                    counts.dropped[std::size_t(i)] = status.health.framesDropped;
                }
        }
        return counts;
    };
    const Counts decoded0 = decoded();
    const double gui0 = threadCpuSeconds();
    const double process0 = processCpuSeconds();

    Bench::LoopLateness lateness;
    const double elapsed = lateness.runFor(seconds);
    const double guiCpu = (threadCpuSeconds() - gui0) / elapsed;
    const double processCpu = (processCpuSeconds() - process0) / elapsed;
    const Counts decoded1 = decoded();

    const double passes = double(grid->surface()->passCount() - passes0) / elapsed;
    std::vector<double> painted;
    std::vector<double> decodedRate;
    std::uint64_t dropped = 0;
    int playing = 0;
    for (int i = 0; i < tiles; ++i) {
        painted.push_back(double(grid->tile(i)->uploadCount() - uploads0[std::size_t(i)]) / elapsed);
        decodedRate.push_back(double(decoded1.decoded[std::size_t(i)] - decoded0.decoded[std::size_t(i)]) / elapsed);
        dropped += decoded1.dropped[std::size_t(i)] - decoded0.dropped[std::size_t(i)];
        playing += grid->tile(i)->state() == Ui::VideoTile::State::Playing;
    }

    int subTiles = 0;
    for (int i = 0; i < tiles; ++i)
        subTiles += grid->tile(i)->profile() == Devices::StreamProfile::Sub;
    std::printf("%d tiles of H.264 25 fps from vigil-camsim (%d main streams 1920x1080, %d sub streams 640x360) for "
                "%.1f s on %d cores (all playing after %.1f s)\n",
                tiles, tiles - subTiles, subTiles, elapsed, QThread::idealThreadCount(), double(toPlay) / 1000.0);
    std::printf("  decoded per tile   min %5.1f  median %5.1f  max %5.1f pictures/s\n",
                *std::min_element(decodedRate.begin(), decodedRate.end()), median(decodedRate),
                *std::max_element(decodedRate.begin(), decodedRate.end()));
    std::printf("  dropped before decoding: %llu access units (decoders behind)\n", (unsigned long long)dropped);
    std::printf("  painted per tile   min %5.1f  median %5.1f  max %5.1f pictures/s\n",
                *std::min_element(painted.begin(), painted.end()), median(painted),
                *std::max_element(painted.begin(), painted.end()));
    std::printf("  grid passes        %5.1f /s (at most %d, painted from %s)\n", passes,
                grid->surface()->maximumRate(), grid->surface()->isThreaded() ? "a render thread" : "the GUI thread");
    std::printf("  GUI thread         %5.1f%% of one core\n", 100.0 * guiCpu);
    std::printf("  console process    %5.1f%% of one core (receive, decode, GUI, llvmpipe)\n", 100.0 * processCpu);
    lateness.print();
    std::printf("  tiles playing at the end: %d of %d\n", playing, tiles);

    window.reset();
    camsim.terminate();
    camsim.waitForFinished(5000);
    server.stop();
    return 0;
}
