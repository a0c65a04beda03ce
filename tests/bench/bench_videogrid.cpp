// The live grid under load: N tiles (default 16) each fed 1920x1080 YUV 4:2:0 pictures at
// 25 fps from one producer thread per tile, for S seconds (default 10). Prints per second:
// pictures published, pictures uploaded to the GPU (the rest were replaced before the GUI
// took them), and CPU time of the GUI thread and of the whole process.
// Run it under a display: xvfb-run -a -s "-screen 0 1920x1080x24" bench_videogrid [tiles] [seconds]
// (Xvfb renders with llvmpipe, on the CPU: with a real GPU the GUI costs much less.)

#include "../ui/uitestsupport.h"
#include "benchutil.h"
#include "video/latestframeslot.h"
#include "video/videogrid.h"
#include "video/videotile.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace Qt::StringLiterals;
using namespace Vigil;
using Vigil::Bench::processCpuSeconds;
using Vigil::Bench::threadCpuSeconds;

namespace {

/// A few different 1080p pictures (moving bars), made once and published over and over.
std::vector<std::shared_ptr<const Ui::YuvFrame>> makePictures(int count)
{
    std::vector<std::shared_ptr<const Ui::YuvFrame>> pictures;
    const auto bars = UiTest::barColors();
    for (int n = 0; n < count; ++n) {
        auto frame = Ui::YuvFrame::allocate(1920, 1080, Ui::YuvMatrix::Bt709);
        for (int plane = 0; plane < 3; ++plane) {
            for (int y = 0; y < frame->planeHeight(plane); ++y) {
                uchar *row = frame->planeData(plane) + std::ptrdiff_t(y) * frame->stride(plane);
                for (int x = 0; x < frame->planeWidth(plane); ++x) {
                    const int bar = ((x * 8 / frame->planeWidth(plane)) + n) % 8;
                    row[x] = uchar(UiTest::yuvOf(bars[bar], Ui::YuvMatrix::Bt709, Ui::YuvRange::Limited)[std::size_t(plane)]);
                }
            }
        }
        pictures.push_back(std::move(frame));
    }
    return pictures;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    UiTest::isolateSettings();
    const int tiles = argc > 1 ? std::clamp(std::atoi(argv[1]), 1, 25) : 16;
    const int seconds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 10;
    constexpr int kFps = 25;

    UiTest::TestBackend backend;
    QList<Devices::Channel> channels;
    for (int i = 1; i <= tiles; ++i)
        channels.append(UiTest::channel(u"340200000013100000%1"_s.arg(i, 2, 10, QChar(u'0')), u"Camera %1"_s.arg(i)));
    backend.addDevice(UiTest::deviceId("34020000001180000001"), u"NVR"_s, channels);

    Ui::VideoGrid grid(backend);
    grid.resize(1920, 1080);
    grid.setGridLayout(UiTest::squareLayoutFor(tiles));
    for (int i = 0; i < tiles; ++i)
        grid.openChannel(channels[i].id, i);
    grid.show();

    const auto pictures = makePictures(8);
    std::atomic<bool> running = true;
    std::atomic<std::uint64_t> published = 0;
    std::vector<QThread *> producers;
    for (int i = 0; i < tiles; ++i) {
        const std::shared_ptr<Ui::LatestFrameSlot> slot = backend.streams[i].frames;
        producers.push_back(QThread::create([slot, &pictures, &running, &published, i] {
            QElapsedTimer clock;
            clock.start();
            for (std::int64_t n = 0; running; ++n) {
                slot->publish(pictures[std::size_t(n + i) % pictures.size()]);
                ++published;
                const std::int64_t due = (n + 1) * 1000 / kFps;
                const std::int64_t wait = due - clock.elapsed();
                if (wait > 0)
                    QThread::msleep(std::uint64_t(wait));
            }
        }));
        producers.back()->start();
    }

    const auto uploads = [&] {
        std::uint64_t total = 0;
        for (int i = 0; i < tiles; ++i)
            total += grid.tile(i)->uploadCount();
        return total;
    };
    // Let the first second warm up (GL set-up, first texture allocations), then measure.
    QTimer::singleShot(1000, &app, [&] {
        const std::uint64_t published0 = published;
        const std::uint64_t uploads0 = uploads();
        const double gui0 = threadCpuSeconds();
        const double process0 = processCpuSeconds();
        QElapsedTimer wall;
        wall.start();
        QTimer::singleShot(seconds * 1000, &app, [&, published0, uploads0, gui0, process0, wall] {
            const double elapsed = double(wall.elapsed()) / 1000.0;
            std::printf("%d tiles of 1920x1080 at %d fps for %.1f s on %d cores\n", tiles, kFps, elapsed,
                        QThread::idealThreadCount());
            std::printf("  published  %8.1f pictures/s\n", double(published - published0) / elapsed);
            std::printf("  uploaded   %8.1f pictures/s (%.0f%% of published)\n", double(uploads() - uploads0) / elapsed,
                        100.0 * double(uploads() - uploads0) / double(std::max<std::uint64_t>(1, published - published0)));
            std::printf("  GUI thread %8.1f%% of one core\n", 100.0 * (threadCpuSeconds() - gui0) / elapsed);
            std::printf("  process    %8.1f%% of one core (producers, GUI, and llvmpipe's own threads)\n",
                        100.0 * (processCpuSeconds() - process0) / elapsed);
            int playing = 0;
            for (int i = 0; i < tiles; ++i)
                playing += grid.tile(i)->state() == Ui::VideoTile::State::Playing;
            std::printf("  tiles playing at the end: %d of %d\n", playing, tiles);
            QCoreApplication::quit();
        });
    });
    const int result = QApplication::exec();
    running = false;
    for (QThread *producer : producers) {
        producer->wait();
        delete producer;
    }
    return result;
}
