// The floor under the live grid's painting: N tiles (default 16) of 1920x1080 YUV 4:2:0 in ONE
// OpenGL window (a QOpenGLWindow: no widgets, no composition of QOpenGLWidget textures into the
// window), every tile's three planes uploaded and drawn with the console's own YUV shader in
// every pass, 25 passes a second for S seconds (default 10). Prints the passes reached, the CPU
// of the whole process and the CPU per pass.
// Run it beside bench_videogrid (the console's grid: one QOpenGLWidget per tile) in the same go:
//   xvfb-run -a -s "-screen 0 1920x1080x24" bench_glfloor [tiles] [seconds] [--decode N]
// Under Xvfb both paint with llvmpipe on the CPU; the difference is what Qt's widget composition
// costs, the rest is what drawing the pictures costs at the least.
// --decode N adds what the console does beside painting: N threads each decoding a 1080p25 H.264
// clip (made with ffmpeg, about 4 Mb/s like a camera) in real time with the console's VideoDecoder,
// one codec thread each. Beside bench_consolelive with N main streams it tells how many passes a
// renderer with no widget composition at all could reach while the decoders take their share.

#include "../core/media/ffmpeg/mediafixtures.h"

#include "benchutil.h"
#include "media/ffmpeg/videodecoder.h"
#include "video/videoview.h"
#include "vigilresources.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QOpenGLFunctions>
#include <QOpenGLShaderProgram>
#include <QOpenGLWindow>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include "video/glnames.h" // after the GL headers

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <optional>
#include <cstdio>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace Vigil;

namespace {

constexpr int kWidth = 1920;
constexpr int kHeight = 1080;

constexpr GLfloat kQuad[] = {
    -1.0f, -1.0f, 0.0f, 1.0f, 1.0f, -1.0f, 1.0f, 1.0f, -1.0f, 1.0f, 0.0f, 0.0f, 1.0f, 1.0f, 1.0f, 0.0f,
};

class FloorWindow : public QOpenGLWindow, protected QOpenGLFunctions {
public:
    explicit FloorWindow(int tiles)
        : m_tiles(tiles)
        , m_luma(std::size_t(kWidth) * kHeight, 96)
        , m_chroma(std::size_t(kWidth / 2) * (kHeight / 2), 128)
    {
    }

    quint64 passes() const { return m_passes; }

protected:
    void initializeGL() override
    {
        initializeOpenGLFunctions();
        m_program.addShaderFromSourceCode(QOpenGLShader::Vertex, Resources::shaderSource(u"yuv.vert"));
        m_program.addShaderFromSourceCode(QOpenGLShader::Fragment,
                                          Ui::VideoView::fragmentShaderSource(Ui::YuvMatrix::Bt709, Ui::YuvRange::Limited));
        m_program.bindAttributeLocation("position", 0);
        m_program.bindAttributeLocation("texCoord", 1);
        if (!m_program.link())
            qFatal("YUV shader: %s", qPrintable(m_program.log()));
        m_program.bind();
        m_program.setUniformValue("planeY", 0);
        m_program.setUniformValue("planeU", 1);
        m_program.setUniformValue("planeV", 2);
        m_program.setUniformValue("dim", 1.0f);
        m_program.setUniformValue("scale", 1.0f, 1.0f);
        m_textures.resize(std::size_t(m_tiles) * 3);
        glGenTextures(GLsizei(m_textures.size()), m_textures.data());
        for (std::size_t i = 0; i < m_textures.size(); ++i) {
            glBindTexture(GL_TEXTURE_2D, m_textures[i]);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
            const bool luma = i % 3 == 0;
            glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, luma ? kWidth : kWidth / 2, luma ? kHeight : kHeight / 2, 0, GL_RED,
                         GL_UNSIGNED_BYTE, nullptr);
        }
    }

    void paintGL() override
    {
        const qreal ratio = devicePixelRatio();
        const int width = int(std::lround(this->width() * ratio));
        const int height = int(std::lround(this->height() * ratio));
        glViewport(0, 0, width, height);
        glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        const int side = int(std::ceil(std::sqrt(double(m_tiles))));
        m_program.bind();
        m_program.enableAttributeArray(0);
        m_program.enableAttributeArray(1);
        m_program.setAttributeArray(0, GL_FLOAT, kQuad, 2, 4 * sizeof(GLfloat));
        m_program.setAttributeArray(1, GL_FLOAT, kQuad + 2, 2, 4 * sizeof(GLfloat));
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        for (int tile = 0; tile < m_tiles; ++tile) {
            // A new picture for every tile in every pass, as a grid of live cameras has.
            m_luma[(m_passes * 7919 + std::size_t(tile)) % m_luma.size()] ^= 0x40;
            for (int plane = 0; plane < 3; ++plane) {
                glActiveTexture(GLenum(GL_TEXTURE0 + plane));
                glBindTexture(GL_TEXTURE_2D, m_textures[std::size_t(tile * 3 + plane)]);
                const bool luma = plane == 0;
                glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, luma ? kWidth : kWidth / 2, luma ? kHeight : kHeight / 2,
                                GL_RED, GL_UNSIGNED_BYTE, luma ? m_luma.data() : m_chroma.data());
            }
            const int column = tile % side;
            const int row = tile / side;
            glViewport(column * width / side + 1, height - (row + 1) * height / side + 1, width / side - 2,
                       height / side - 2);
            glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
        }
        m_program.disableAttributeArray(0);
        m_program.disableAttributeArray(1);
        ++m_passes;
    }

private:
    int m_tiles;
    std::vector<uchar> m_luma;
    std::vector<uchar> m_chroma;
    QOpenGLShaderProgram m_program;
    std::vector<GLuint> m_textures;
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
    const int tiles = args.size() > 0 ? std::clamp(args[0].toInt(), 1, 25) : 16;
    const int seconds = args.size() > 1 ? std::max(1, args[1].toInt()) : 10;

    QTemporaryDir dir;
    std::vector<Media::EncodedFrame> units;
    if (decoders > 0) {
        const QString clip = dir.filePath(u"clip.h264"_s);
        const auto made = Media::Testing::runFfmpeg(
            {u"-f"_s, u"lavfi"_s, u"-i"_s, u"testsrc2=size=%1x%2:rate=25"_s.arg(kWidth).arg(kHeight), u"-frames:v"_s,
             u"250"_s, u"-pix_fmt"_s, u"yuv420p"_s, u"-c:v"_s, u"libx264"_s, u"-preset"_s, u"veryfast"_s,
             u"-profile:v"_s, u"main"_s, u"-g"_s, u"50"_s, u"-bf"_s, u"0"_s, u"-b:v"_s, u"4M"_s, u"-f"_s, u"h264"_s,
             clip});
        auto read = made ? Media::Testing::readAccessUnits(clip, Media::EncodedFrame::Codec::H264)
                         : std::unexpected(made.error());
        if (!read || read->empty()) {
            std::fprintf(stderr, "cannot make the 1080p clip to decode: %s\n",
                         read ? "no access units" : qPrintable(read.error().message));
            return 1;
        }
        units = std::move(*read);
    }
    std::optional<DecodeLoad> load;
    if (decoders > 0)
        load.emplace(units, decoders);

    FloorWindow window(tiles);
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
    QElapsedTimer wall;
    wall.start();
    while (wall.elapsed() < qint64(seconds) * 1000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    const double elapsed = double(wall.elapsed()) / 1000.0;
    const double cpu = Bench::processCpuSeconds() - cpu0;
    const double passes = double(window.passes() - passes0);
    const double decoded = load ? double(load->frames() - decoded0) : 0.0;
    load.reset();

    std::printf("%d tiles of %dx%d in one OpenGL window, asked for 25 passes/s, for %.1f s on %d cores\n", tiles,
                kWidth, kHeight, elapsed, QThread::idealThreadCount());
    if (decoders > 0)
        std::printf("  beside %d threads decoding 1080p25 H.264 in real time: %.1f frames/s each\n", decoders,
                    decoded / elapsed / decoders);
    std::printf("  passes           %5.1f /s (each uploads and draws every tile)\n", passes / elapsed);
    std::printf("  process          %5.1f%% of one core (GUI, llvmpipe's threads and any decoders)\n", 100.0 * cpu / elapsed);
    std::printf("  CPU per pass     %5.1f ms\n", passes > 0 ? 1000.0 * cpu / passes : 0.0);
    return 0;
}
