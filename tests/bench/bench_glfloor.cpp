// The floor under the live grid's painting: N tiles (default 16) of 1920x1080 YUV 4:2:0 in ONE
// OpenGL window, every tile's three planes uploaded (as many rows as show, as the grid does) and
// drawn with the console's own YUV painter in every pass, 25 passes a second for S seconds
// (default 10), and nothing else: no borders, no overlays, no widgets. Prints the passes
// reached, the CPU of the whole process and the CPU per pass.
// Run it beside bench_videogrid (the console's grid, which paints the same way in a GridSurface
// from a render thread) in the same go:
//   xvfb-run -a -s "-screen 0 1920x1080x24" bench_glfloor [tiles] [seconds] [--decode N] [--size WxH]
// Under Xvfb both paint with llvmpipe on the CPU; the difference is what the grid adds to the
// least that drawing the pictures costs. It paints in the GUI thread (a QOpenGLWindow): the
// GUI's hold-ups it prints are the painting's own; the console's grid, painted from a thread of
// its own, spares its GUI those (bench_consolelive measures them).
// --decode N adds what the console does beside painting: N threads each decoding an H.264 clip of
// the pictures' size at 25 fps (made with ffmpeg, about 4 Mb/s at 1080p like a camera, in
// proportion below) in real time with the console's VideoDecoder, one codec thread each. Beside
// bench_consolelive with N streams it tells how many passes the painting could reach while the
// decoders take their share.
// --size WxH: pictures of that size instead of 1920x1080 (640x360: a camera's sub stream).

#include "../core/media/ffmpeg/mediafixtures.h"

#include "benchutil.h"
#include "looplateness.h"
#include "media/ffmpeg/videodecoder.h"
#include "video/yuvpainter.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QOpenGLWindow>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <cstdio>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace Vigil;

namespace {


/// The tiles drawn with the console's YuvPainter in the GUI thread, on update() from a 40 ms
/// clock: every tile's three planes uploaded and drawn in every pass.
class FloorWindow : public QOpenGLWindow {
public:
    FloorWindow(int tiles, QSize picture)
    {
        for (int i = 0; i < tiles; ++i) {
            auto frame = Ui::YuvFrame::allocate(picture.width(), picture.height(), Ui::YuvMatrix::Bt709);
            std::fill_n(frame->planeData(0), std::size_t(picture.width()) * picture.height(), uchar(96));
            for (int plane = 1; plane < Ui::YuvFrame::kPlaneCount; ++plane)
                std::fill_n(frame->planeData(plane), std::size_t(frame->planeWidth(plane)) * frame->planeHeight(plane),
                            uchar(128));
            m_frames.push_back(std::move(frame));
        }
        m_textures.resize(std::size_t(tiles));
    }
    ~FloorWindow() override
    {
        if (!context())
            return;
        makeCurrent();
        for (auto &textures : m_textures)
            m_painter.releaseTextures(textures);
        m_painter.release();
        doneCurrent();
    }

    quint64 passes() const { return m_passes; }

protected:
    void initializeGL() override { m_painter.initialize(context()); }

    void paintGL() override
    {
        const int width = int(std::lround(this->width() * devicePixelRatio()));
        const int height = int(std::lround(this->height() * devicePixelRatio()));
        m_painter.begin(QSize(width, height), Qt::black);
        const int tiles = int(m_frames.size());
        const int side = int(std::ceil(std::sqrt(double(tiles))));
        for (int tile = 0; tile < tiles; ++tile) {
            // A new picture for every tile in every pass, as a grid of live cameras has.
            Ui::YuvFrame &frame = *m_frames[std::size_t(tile)];
            const std::size_t lumaSize = std::size_t(frame.width()) * frame.height();
            frame.planeData(0)[(m_passes * 7919 + std::size_t(tile)) % lumaSize] ^= 0x40;
            const int column = tile % side;
            const int row = tile / side;
            const QRect cell(column * width / side + 1, row * height / side + 1, width / side - 2, height / side - 2);
            // The rows that show, as the grid uploads them.
            const int shown = Ui::YuvPainter::fitRect(QSize(frame.width(), frame.height()), cell).height();
            m_painter.upload(m_textures[std::size_t(tile)], frame, Ui::YuvPainter::rowStepFor(frame.height(), shown));
            m_painter.drawPicture(m_textures[std::size_t(tile)], frame, cell, 1.0f);
        }
        m_painter.end();
        if (!m_painter.error().isEmpty())
            qFatal("YUV painter: %s", qPrintable(m_painter.error()));
        ++m_passes;
    }

private:
    std::vector<std::shared_ptr<Ui::YuvFrame>> m_frames;
    Ui::YuvPainter m_painter;
    std::vector<Ui::YuvPainter::Textures> m_textures;
    quint64 m_passes = 0;
};

/// `streams` threads, each decoding `units` over and over at 25 frames a second of wall time
/// (a thread that falls behind does not catch up by bursting), until destroyed.
class DecodeLoad {
public:
    DecodeLoad(const std::vector<Media::EncodedFrame> &units, int streams)
    {
        for (int s = 0; s < streams; ++s)
            m_threads.emplace_back([this, &units](std::stop_token stop) { run(units, stop); });
    }

    quint64 frames() const { return m_frames.load(std::memory_order_relaxed); }

private:
    void run(const std::vector<Media::EncodedFrame> &units, std::stop_token stop)
    {
        Media::VideoDecoder decoder([this](Media::VideoFrame) { m_frames.fetch_add(1, std::memory_order_relaxed); });
        constexpr auto kFrameTime = std::chrono::microseconds(40'000);
        auto due = std::chrono::steady_clock::now();
        for (std::size_t i = 0; !stop.stop_requested(); i = (i + 1) % units.size()) {
            decoder.decode(units[i]);
            due = std::max(due + kFrameTime, std::chrono::steady_clock::now() - kFrameTime);
            std::this_thread::sleep_until(due);
        }
    }

    std::atomic<quint64> m_frames{0};
    std::vector<std::jthread> m_threads;
};

} // namespace

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QStringList args = QCoreApplication::arguments().mid(1);
    int decoders = 0;
    if (const qsizetype at = args.indexOf(u"--decode"_s); at >= 0 && at + 1 < args.size()) {
        decoders = std::clamp(args[at + 1].toInt(), 0, 25);
        args.remove(at, 2);
    }
    QSize picture(1920, 1080);
    if (const qsizetype at = args.indexOf(u"--size"_s); at >= 0 && at + 1 < args.size()) {
        const QStringList parts = args[at + 1].split(u'x');
        picture = parts.size() == 2 ? QSize(parts[0].toInt(), parts[1].toInt()) : QSize();
        args.remove(at, 2);
        if (picture.width() < 16 || picture.height() < 16 || picture.width() % 2 || picture.height() % 2) {
            std::fprintf(stderr, "--size wants an even WIDTHxHEIGHT, e.g. 640x360\n");
            return 2;
        }
    }
    const int tiles = args.size() > 0 ? std::clamp(args[0].toInt(), 1, 25) : 16;
    const int seconds = args.size() > 1 ? std::max(1, args[1].toInt()) : 10;

    // About 4 Mb/s at 1080p like a camera's main stream, in proportion for other sizes.
    const qint64 bitrate = std::max<qint64>(256'000, 4'000'000LL * picture.width() * picture.height() / (1920 * 1080));
    QTemporaryDir dir;
    std::vector<Media::EncodedFrame> units;
    if (decoders > 0) {
        Media::Testing::ClipSpec spec;
        spec.width = picture.width();
        spec.height = picture.height();
        spec.frames = 250;
        spec.gop = 50;
        spec.extraArguments = {u"-profile:v"_s, u"main"_s, u"-b:v"_s, QString::number(bitrate)};
        const auto made = Media::Testing::makeClip(dir.filePath(u"clip.h264"_s), spec);
        auto read = made ? Media::Testing::readAccessUnits(*made, Media::EncodedFrame::Codec::H264)
                         : std::unexpected(made.error());
        if (!read || read->empty()) {
            std::fprintf(stderr, "cannot make the clip to decode: %s\n",
                         read ? "no access units" : qPrintable(read.error().message));
            return 1;
        }
        units = std::move(*read);
    }
    std::optional<DecodeLoad> load;
    if (decoders > 0)
        load.emplace(units, decoders);

    FloorWindow window(tiles, picture);
    window.resize(1920, 1080);
    window.show();
    QTimer frameClock;
    frameClock.setTimerType(Qt::PreciseTimer);
    QObject::connect(&frameClock, &QTimer::timeout, &window, [&window] { window.update(); });
    frameClock.start(40);

    // Settle for 2 s (GL set-up, shader compilation), then measure.
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 2000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    const quint64 passes0 = window.passes();
    const quint64 decoded0 = load ? load->frames() : 0;
    const double cpu0 = Bench::processCpuSeconds();
    Bench::LoopLateness lateness;
    const double elapsed = lateness.runFor(seconds);
    const double cpu = Bench::processCpuSeconds() - cpu0;
    const double passes = double(window.passes() - passes0);
    const double decoded = load ? double(load->frames() - decoded0) : 0.0;
    load.reset();

    std::printf("%d tiles of %dx%d in one OpenGL window, asked for 25 passes/s, for %.1f s on %d cores\n", tiles,
                picture.width(), picture.height(), elapsed, QThread::idealThreadCount());
    if (decoders > 0)
        std::printf("  beside %d threads decoding %dx%d 25 fps H.264 in real time: %.1f frames/s each\n", decoders,
                    picture.width(), picture.height(), decoded / elapsed / decoders);
    std::printf("  passes           %5.1f /s (each uploads and draws every tile)\n", passes / elapsed);
    std::printf("  process          %5.1f%% of one core (GUI, llvmpipe's threads and any decoders)\n", 100.0 * cpu / elapsed);
    std::printf("  CPU per pass     %5.1f ms\n", passes > 0 ? 1000.0 * cpu / passes : 0.0);
    lateness.print();
    return 0;
}
