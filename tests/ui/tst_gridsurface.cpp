// The video grid's renderer: pictures made here from known RGB colours (with the standard
// forward equations) must come out of the GPU (Mesa llvmpipe under Xvfb, painted from the render
// thread) in those colours, in the right places, for BT.601/BT.709, limited/full range, padded
// rows and odd sizes; the aspect ratio is kept; tiles, borders and overlays land where they
// belong; the window hands its input to the widgets under it. Also the frame hand-off between a
// producer thread and the GUI.

#include "uitestsupport.h"
#include "video/graphicsinfo.h"
#include "video/gridsurface.h"
#include "video/latestframeslot.h"
#include "video/yuvframe.h"
#include "video/yuvpainter.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QMimeData>
#include <QOpenGLContext>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace Vigil::Ui;
using UiTest::barColors;
using UiTest::closeTo;
using UiTest::colorBars;

namespace {

QString describe(QRgb rgb)
{
    return u"(%1, %2, %3)"_s.arg(qRed(rgb)).arg(qGreen(rgb)).arg(qBlue(rgb));
}

/// The colour at the middle of bar `bar` of `count` bars, half-way down the picture rect.
QRgb barSample(const QImage &image, const QRect &picture, int bar, int count)
{
    const int x = picture.left() + (2 * bar + 1) * picture.width() / (2 * count);
    return image.pixel(x, picture.center().y() + picture.height() / 4);
}

/// `r` (logical pixels of `surface`) in an image grabbed from it (device pixels).
QRect inImage(const GridSurface &surface, const QImage &image, const QRect &r)
{
    const qreal scale = qreal(image.width()) / surface.width();
    return QRect(int(r.x() * scale), int(r.y() * scale), int(r.width() * scale), int(r.height() * scale));
}

/// The colour at `p` (logical pixels of `surface`).
QRgb at(const GridSurface &surface, const QImage &image, QPoint p)
{
    const qreal scale = qreal(image.width()) / surface.width();
    return image.pixel(int(p.x() * scale), int(p.y() * scale));
}

/// A surface of `size` on screen, with tile 0 filling it and no border.
bool showSingleTile(GridSurface &surface, QSize size)
{
    surface.resize(size);
    surface.setTileRect(0, QRect(QPoint(0, 0), size));
    surface.setTileBorder(0, Qt::black, 0);
    surface.show();
    return QTest::qWaitForWindowExposed(&surface);
}

class Counter : public QObject {
public:
    int events = 0;
    bool event(QEvent *e) override
    {
        if (e->type() == LatestFrameSlot::frameReadyEventType()) {
            ++events;
            return true;
        }
        return QObject::event(e);
    }
};

/// A widget that writes down the input it gets.
class Recorder : public QWidget {
public:
    using QWidget::QWidget;
    QStringList log;

protected:
    void mousePressEvent(QMouseEvent *e) override { record(u"press"_s, e->position()); }
    void mouseReleaseEvent(QMouseEvent *e) override { record(u"release"_s, e->position()); }
    void mouseDoubleClickEvent(QMouseEvent *e) override { record(u"double"_s, e->position()); }
    void mouseMoveEvent(QMouseEvent *e) override { record(u"move"_s, e->position()); }
    void contextMenuEvent(QContextMenuEvent *e) override { record(u"menu"_s, e->pos()); }
    void enterEvent(QEnterEvent *) override { log.append(u"enter"_s); }
    void leaveEvent(QEvent *) override { log.append(u"leave"_s); }
    void dragEnterEvent(QDragEnterEvent *e) override
    {
        record(u"dragenter"_s, e->position());
        e->acceptProposedAction();
    }
    void dragLeaveEvent(QDragLeaveEvent *) override { log.append(u"dragleave"_s); }
    void dropEvent(QDropEvent *e) override
    {
        record(u"drop "_s + e->mimeData()->text(), e->position());
        e->acceptProposedAction();
    }

private:
    void record(const QString &what, QPointF p) { log.append(u"%1 %2,%3"_s.arg(what).arg(p.x()).arg(p.y())); }
};

} // namespace

class TestGridSurface : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { UiTest::isolateSettings(); }

    void rendersColorBars_data()
    {
        QTest::addColumn<int>("matrix");
        QTest::addColumn<int>("range");
        QTest::addColumn<int>("padding");
        QTest::addColumn<QSize>("frameSize");
        QTest::newRow("BT.601 limited") << int(YuvMatrix::Bt601) << int(YuvRange::Limited) << 0 << QSize(640, 360);
        QTest::newRow("BT.709 limited") << int(YuvMatrix::Bt709) << int(YuvRange::Limited) << 0 << QSize(640, 360);
        QTest::newRow("BT.601 full") << int(YuvMatrix::Bt601) << int(YuvRange::Full) << 0 << QSize(640, 360);
        QTest::newRow("BT.709 full") << int(YuvMatrix::Bt709) << int(YuvRange::Full) << 0 << QSize(640, 360);
        QTest::newRow("padded rows") << int(YuvMatrix::Bt709) << int(YuvRange::Limited) << 64 << QSize(640, 360);
        QTest::newRow("odd size") << int(YuvMatrix::Bt601) << int(YuvRange::Limited) << 3 << QSize(643, 361);
    }

    void rendersColorBars()
    {
        QFETCH(int, matrix);
        QFETCH(int, range);
        QFETCH(int, padding);
        QFETCH(QSize, frameSize);
        GridSurface surface;
        QVERIFY(showSingleTile(surface, frameSize));
        surface.setTileFrame(0, colorBars(frameSize.width(), frameSize.height(), barColors(), YuvMatrix(matrix),
                                          YuvRange(range), padding));
        const QImage image = surface.grabFramebuffer();
        QVERIFY(!image.isNull());
        QVERIFY2(surface.glError().isEmpty(), qPrintable(surface.glError()));
        QCOMPARE(surface.uploadCount(0), 1u);
        const QRect picture = inImage(surface, image, surface.pictureRect(0));
        for (int bar = 0; bar < barColors().size(); ++bar) {
            const QRgb actual = barSample(image, picture, bar, int(barColors().size()));
            QVERIFY2(closeTo(actual, barColors()[bar]),
                     qPrintable(u"bar %1: expected %2, got %3"_s.arg(bar).arg(describe(barColors()[bar].rgb()),
                                                                               describe(actual))));
        }
    }

    void paintsFromARenderThread()
    {
        GridSurface surface;
        QCOMPARE(surface.isThreaded(), QOpenGLContext::supportsThreadedOpenGL());
        QVERIFY2(surface.isThreaded(), "Mesa under Xvfb supports threaded OpenGL: the grid must use it");
    }

    void paintsInTheGuiThreadWhenToldTo()
    {
        qputenv("VIGIL_VIDEO_RENDER_THREAD", "0");
        GridSurface surface;
        qunsetenv("VIGIL_VIDEO_RENDER_THREAD");
        QVERIFY(!surface.isThreaded());
        QVERIFY(showSingleTile(surface, QSize(320, 180)));
        // Passes come from the GUI thread's event loop.
        surface.setTileFrame(0, colorBars(320, 180, barColors()));
        QTRY_COMPARE(surface.uploadCount(0), 1u);
        const quint64 passes = surface.passCount();
        surface.setTileFrame(0, colorBars(320, 180, {Qt::green}));
        QTRY_VERIFY(surface.passCount() > passes);
        QCOMPARE(surface.uploadCount(0), 2u);
        const QImage image = surface.grabFramebuffer();
        QVERIFY(closeTo(image.pixel(image.width() / 2, image.height() / 2), Qt::green));
        VideoOverlay overlay;
        overlay.dimPicture = true;
        surface.setTileOverlay(0, overlay);
        const QImage dimmed = surface.grabFramebuffer();
        QVERIFY(qGreen(dimmed.pixel(dimmed.width() / 2, dimmed.height() / 2)) < 128);
    }

    void keepsTheAspectRatio()
    {
        GridSurface surface;
        QVERIFY(showSingleTile(surface, QSize(400, 400)));
        // 16:9 in a square: black bands above and below, the picture in the middle.
        surface.setTileFrame(0, colorBars(320, 180, {Qt::red}));
        QCOMPARE(surface.pictureRect(0), QRect(0, 87, 400, 225));
        QImage image = surface.grabFramebuffer();
        QVERIFY(closeTo(at(surface, image, {200, 40}), Qt::black, 2));
        QVERIFY(closeTo(at(surface, image, {200, 200}), Qt::red));
        QVERIFY(closeTo(at(surface, image, {200, 360}), Qt::black, 2));

        // 4:3 in a wide tile: bands left and right.
        surface.resize(800, 300);
        surface.setTileRect(0, QRect(0, 0, 800, 300));
        surface.setTileFrame(0, colorBars(640, 480, {Qt::blue}));
        QCOMPARE(surface.pictureRect(0), QRect(200, 0, 400, 300));
        QTRY_COMPARE(surface.size(), QSize(800, 300));
        image = surface.grabFramebuffer();
        QVERIFY(closeTo(at(surface, image, {100, 150}), Qt::black, 2));
        QVERIFY2(closeTo(at(surface, image, {400, 150}), Qt::blue),
                 qPrintable(describe(at(surface, image, {400, 150})) + u" %1x%2"_s.arg(image.width()).arg(image.height())));
        QVERIFY(closeTo(at(surface, image, {700, 150}), Qt::black, 2));
    }

    void reusesTexturesAndDimsWhenNotLive()
    {
        GridSurface surface;
        QVERIFY(showSingleTile(surface, QSize(320, 180)));
        for (QColor color : {Qt::red, Qt::green, Qt::white}) {
            surface.setTileFrame(0, colorBars(320, 180, {color}));
            const QImage image = surface.grabFramebuffer();
            QVERIFY(closeTo(image.pixel(image.width() / 2, image.height() / 2), color));
        }
        QCOMPARE(surface.uploadCount(0), 3u);
        // A frame is uploaded once, however often it is painted.
        surface.grabFramebuffer();
        QCOMPARE(surface.uploadCount(0), 3u);

        VideoOverlay overlay;
        overlay.dimPicture = true;
        surface.setTileOverlay(0, overlay);
        const QImage dimmed = surface.grabFramebuffer();
        const QRgb center = dimmed.pixel(dimmed.width() / 2, dimmed.height() / 2);
        QVERIFY2(qRed(center) < 128 && qRed(center) > 60, qPrintable(describe(center)));

        surface.setTileFrame(0, nullptr);
        const QImage empty = surface.grabFramebuffer();
        QVERIFY(closeTo(empty.pixel(empty.width() / 2, empty.height() / 2), Qt::black, 2));
        // The closed tile's textures went; the next picture gets new ones.
        surface.setTileOverlay(0, VideoOverlay{});
        surface.setTileFrame(0, colorBars(320, 180, {Qt::blue}));
        const QImage again = surface.grabFramebuffer();
        QVERIFY(closeTo(again.pixel(again.width() / 2, again.height() / 2), Qt::blue));
        QCOMPARE(surface.uploadCount(0), 4u);
    }

    void drawsTheOverlay()
    {
        GridSurface surface;
        QVERIFY(showSingleTile(surface, QSize(480, 270)));
        surface.setTileFrame(0, colorBars(480, 270, {Qt::blue}));
        const QImage plain = surface.grabFramebuffer();
        VideoOverlay overlay;
        overlay.title = u"东门入口"_s;
        overlay.stateText = u"No video for 5 s"_s;
        overlay.tone = VideoOverlay::Tone::Warning;
        surface.setTileOverlay(0, overlay);
        const QImage labelled = surface.grabFramebuffer();
        const qreal scale = qreal(labelled.width()) / surface.width();
        // Text boxes top left and in the centre; the rest of the picture untouched.
        QVERIFY(labelled.copy(0, 0, int(120 * scale), int(30 * scale)) != plain.copy(0, 0, int(120 * scale), int(30 * scale)));
        const QRect middle(int(160 * scale), int(125 * scale), int(160 * scale), int(20 * scale));
        QVERIFY(labelled.copy(middle) != plain.copy(middle));
        QCOMPARE(labelled.pixel(labelled.width() - 5, labelled.height() - 5), plain.pixel(plain.width() - 5, plain.height() - 5));
    }

    void showsLargePicturesInSmallTilesFromFewerRows()
    {
        QCOMPARE(YuvPainter::rowStepFor(1080, 1080), 1);
        QCOMPARE(YuvPainter::rowStepFor(1080, 537), 2);
        QCOMPARE(YuvPainter::rowStepFor(1080, 263), 4);
        QCOMPARE(YuvPainter::rowStepFor(2160, 100), 4); // at most 4
        QCOMPARE(YuvPainter::rowStepFor(360, 500), 1);

        // 1280x720 bars in a 320x180 tile: every 4th row uploaded, colours and places unchanged.
        GridSurface surface;
        QVERIFY(showSingleTile(surface, QSize(320, 180)));
        surface.setTileFrame(0, colorBars(1280, 720, barColors(), YuvMatrix::Bt709, YuvRange::Limited, 32));
        QImage image = surface.grabFramebuffer();
        QRect picture = inImage(surface, image, surface.pictureRect(0));
        for (int bar = 0; bar < barColors().size(); ++bar)
            QVERIFY2(closeTo(barSample(image, picture, bar, int(barColors().size())), barColors()[bar]),
                     qPrintable(u"bar %1"_s.arg(bar)));

        // Top half red, bottom half blue (BT.601 limited samples): the edge stays in the middle,
        // the chroma rows still match the luma rows.
        auto bands = YuvFrame::allocate(64, 720);
        for (int row = 0; row < 720; ++row)
            std::fill_n(bands->planeData(0) + row * 64, 64, uchar(row < 360 ? 81 : 41));
        for (int row = 0; row < 360; ++row) {
            std::fill_n(bands->planeData(1) + row * 32, 32, uchar(row < 180 ? 90 : 240));
            std::fill_n(bands->planeData(2) + row * 32, 32, uchar(row < 180 ? 240 : 110));
        }
        surface.setTileFrame(0, bands);
        image = surface.grabFramebuffer();
        picture = surface.pictureRect(0);
        QCOMPARE(picture.height(), 180);
        QVERIFY(closeTo(at(surface, image, {160, 45}), Qt::red));
        QVERIFY(closeTo(at(surface, image, {160, 80}), Qt::red));
        QVERIFY(closeTo(at(surface, image, {160, 100}), Qt::blue));
        QVERIFY(closeTo(at(surface, image, {160, 135}), Qt::blue));
    }

    void paintsEveryTileInItsPlace()
    {
        // A 2 x 2 grid: each tile its own colour inside its border; a hidden tile leaves the background.
        GridSurface surface;
        surface.resize(400, 300);
        surface.setBackground(QColor(0x1b, 0x1b, 0x1b));
        const QList<QColor> colors{Qt::red, Qt::green, Qt::blue, Qt::white};
        for (int i = 0; i < 4; ++i) {
            surface.setTileRect(i, QRect((i % 2) * 200, (i / 2) * 150, 198, 148));
            surface.setTileBorder(i, i == 1 ? QColor(Qt::yellow) : QColor(0x30, 0x30, 0x30), 4);
            surface.setTileFrame(i, colorBars(320, 240, {colors[i]}));
        }
        surface.show();
        QVERIFY(QTest::qWaitForWindowExposed(&surface));
        QImage image = surface.grabFramebuffer();
        for (int i = 0; i < 4; ++i) {
            const QPoint centre((i % 2) * 200 + 99, (i / 2) * 150 + 74);
            QVERIFY2(closeTo(at(surface, image, centre), colors[i]), qPrintable(u"tile %1"_s.arg(i)));
        }
        QVERIFY(closeTo(at(surface, image, {200 + 1, 70}), Qt::yellow, 2));  // the selected tile's border
        QVERIFY(closeTo(at(surface, image, {1, 70}), QColor(0x30, 0x30, 0x30), 2));
        QVERIFY(closeTo(at(surface, image, {199, 70}), QColor(0x1b, 0x1b, 0x1b), 2)); // between tiles

        surface.setTileRect(3, QRect());
        image = surface.grabFramebuffer();
        QVERIFY(closeTo(at(surface, image, {299, 224}), QColor(0x1b, 0x1b, 0x1b), 2));
    }

    void survivesItsNativeWindowGoing()
    {
        // Reparenting a window container, for one, destroys the native window and makes another.
        GridSurface surface;
        QVERIFY(showSingleTile(surface, QSize(160, 90)));
        surface.setTileFrame(0, colorBars(160, 90, {Qt::red}));
        QVERIFY(closeTo(surface.grabFramebuffer().pixel(80, 45), Qt::red));
        surface.destroy();
        QVERIFY(surface.grabFramebuffer().isNull());
        surface.show();
        QVERIFY(QTest::qWaitForWindowExposed(&surface));
        surface.setTileFrame(0, colorBars(160, 90, {Qt::green}));
        QVERIFY(closeTo(surface.grabFramebuffer().pixel(80, 45), Qt::green));
    }

    void handsItsInputToTheWidgetsUnderIt()
    {
        QWidget grid;
        grid.resize(400, 200);
        auto *left = new Recorder(&grid);
        left->setGeometry(0, 0, 200, 200);
        auto *right = new Recorder(&grid);
        right->setGeometry(200, 0, 200, 200);
        right->setAcceptDrops(true);
        auto *surface = new GridSurface(&grid);
        QWidget *container = QWidget::createWindowContainer(surface, &grid);
        container->setAttribute(Qt::WA_TransparentForMouseEvents);
        container->setGeometry(grid.rect());
        grid.show();
        QVERIFY(QTest::qWaitForWindowExposed(&grid));
        QVERIFY(QTest::qWaitForWindowExposed(surface));

        QTest::mouseClick(surface, Qt::LeftButton, {}, QPoint(50, 60));
        QVERIFY2(left->log.contains(u"press 50,60"_s), qPrintable(left->log.join(u" | "_s)));
        QVERIFY(left->log.contains(u"release 50,60"_s));
        QVERIFY(right->log.isEmpty());

        // Positions are the widget's own; the right button opens its context menu.
        QTest::mouseClick(surface, Qt::RightButton, {}, QPoint(250, 20));
        QVERIFY2(right->log.contains(u"press 50,20"_s), qPrintable(right->log.join(u" | "_s)));
        QVERIFY(right->log.contains(u"menu 50,20"_s));
        QTest::mouseDClick(surface, Qt::LeftButton, {}, QPoint(210, 190));
        QVERIFY(right->log.contains(u"double 10,190"_s));

        // The pointer moving from one to the other: leave and enter.
        left->log.clear();
        right->log.clear();
        QTest::mouseMove(surface, QPoint(100, 100));
        QTest::mouseMove(surface, QPoint(300, 100));
        QVERIFY2(left->log.contains(u"leave"_s), qPrintable(left->log.join(u" | "_s)));
        QVERIFY(right->log.contains(u"enter"_s));
        // The widget under the pointer hides (a tile leaves the layout): it is left, as widgets are.
        right->log.clear();
        right->hide();
        QCOMPARE(right->log, QStringList{u"leave"_s});
        right->show();

        // Drag and drop: only the widget that accepts drops gets them.
        QMimeData mime;
        mime.setText(u"channel"_s);
        QDragEnterEvent enterLeft(QPoint(20, 20), Qt::CopyAction | Qt::MoveAction, &mime, Qt::LeftButton, {});
        QCoreApplication::sendEvent(surface, &enterLeft);
        QVERIFY(!enterLeft.isAccepted());
        QDragMoveEvent moveRight(QPoint(320, 30), Qt::CopyAction | Qt::MoveAction, &mime, Qt::LeftButton, {});
        QCoreApplication::sendEvent(surface, &moveRight);
        QVERIFY(moveRight.isAccepted());
        QVERIFY(right->log.contains(u"dragenter 120,30"_s));
        QDropEvent drop(QPointF(330, 40), Qt::CopyAction | Qt::MoveAction, &mime, Qt::LeftButton, {});
        QCoreApplication::sendEvent(surface, &drop);
        QVERIFY(drop.isAccepted());
        QVERIFY2(right->log.contains(u"drop channel 130,40"_s), qPrintable(right->log.join(u" | "_s)));
        QVERIFY(!left->log.join(u' ').contains(u"drag"_s));
    }

    void convertsOnTheCpuLikeTheShader()
    {
        const auto frame = colorBars(64, 16, barColors(), YuvMatrix::Bt709, YuvRange::Full, 16);
        const QImage image = frame->toImage();
        QCOMPARE(image.size(), QSize(64, 16));
        for (int bar = 0; bar < barColors().size(); ++bar)
            QVERIFY(closeTo(image.pixel(bar * 8 + 4, 8), barColors()[bar], 3));
    }

    void recognisesSoftwareRenderers_data()
    {
        QTest::addColumn<QString>("renderer");
        QTest::addColumn<bool>("software");
        QTest::newRow("llvmpipe") << u"llvmpipe (LLVM 15.0.6, 256 bits)"_s << true;
        QTest::newRow("softpipe") << u"softpipe"_s << true;
        QTest::newRow("d3d12 on warp") << u"D3D12 (Microsoft Basic Render Driver)"_s << true;
        QTest::newRow("swiftshader") << u"Google SwiftShader"_s << true;
        QTest::newRow("angle swiftshader")
            << u"ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)"_s << true;
        QTest::newRow("windows opengl 1.1") << u"GDI Generic"_s << true;
        QTest::newRow("intel") << u"Mesa Intel(R) UHD Graphics 620 (KBL GT2)"_s << false;
        QTest::newRow("amd") << u"AMD Radeon RX 6600 (radeonsi, navi23, LLVM 15.0.6, DRM 3.49, 6.1.0-13-amd64)"_s << false;
        QTest::newRow("nvidia") << u"NVIDIA GeForce GTX 1650/PCIe/SSE2"_s << false;
        QTest::newRow("virtualbox") << u"SVGA3D; build: RELEASE; LLVM;"_s << false;
        QTest::newRow("empty") << QString() << false;
    }

    void recognisesSoftwareRenderers()
    {
        QFETCH(QString, renderer);
        QFETCH(bool, software);
        QCOMPARE(GraphicsInfo::isSoftwareRenderer(renderer), software);
    }

    void rejectsBadFrames()
    {
        QVERIFY(!YuvFrame::allocate(0, 10));
        const uchar plane[16] = {};
        QVERIFY(!YuvFrame::wrap(8, 2, {plane, plane, plane}, {4, 4, 4}, YuvMatrix::Bt601, YuvRange::Limited, nullptr));
        QVERIFY(YuvFrame::wrap(8, 2, {plane, plane, plane}, {8, 4, 4}, YuvMatrix::Bt601, YuvRange::Limited, nullptr));
        auto frame = YuvFrame::allocate(5, 3);
        QCOMPARE(frame->planeWidth(1), 3);
        QCOMPARE(frame->planeHeight(2), 2);
        QVERIFY(frame->planeData(2));
    }

    void handsOverOnlyTheNewestFrame()
    {
        auto slot = std::make_shared<LatestFrameSlot>();
        Counter receiver;
        slot->setReceiver(&receiver);
        const auto first = YuvFrame::allocate(16, 16);
        const auto second = YuvFrame::allocate(16, 16);
        QVERIFY(slot->publish(first));
        QVERIFY(!slot->publish(second)); // an event is pending already
        QCoreApplication::sendPostedEvents(&receiver);
        QCOMPARE(receiver.events, 1);
        QCOMPARE(slot->take(), std::shared_ptr<const YuvFrame>(second));
        QCOMPARE(slot->counters().overwritten, 1u);

        // A producer thread floods it: the GUI sees a bounded number of events and the last frame.
        constexpr int kFrames = 2000;
        std::atomic<int> posted = 0;
        std::shared_ptr<const YuvFrame> last;
        QThread *producer = QThread::create([&] {
            for (int i = 0; i < kFrames; ++i) {
                auto frame = YuvFrame::allocate(16, 16);
                if (i == kFrames - 1)
                    last = frame;
                if (slot->publish(std::move(frame)))
                    ++posted;
            }
        });
        producer->start();
        while (!producer->isFinished()) {
            QCoreApplication::sendPostedEvents(&receiver);
            slot->take();
        }
        producer->wait();
        delete producer;
        QCoreApplication::sendPostedEvents(&receiver);
        QCOMPARE(slot->latest(), last);
        QCOMPARE(slot->counters().published, std::uint64_t(kFrames) + 2);
        QVERIFY(posted <= kFrames);

        // A receiver that went away gets nothing more.
        slot->setReceiver(nullptr);
        QVERIFY(!slot->publish(YuvFrame::allocate(16, 16)));
        slot->clear();
        QVERIFY(!slot->latest());
        QCOMPARE(slot->counters().published, 0u);
    }
};

QTEST_MAIN(TestGridSurface)
#include "tst_gridsurface.moc"
