// The YUV renderer: pictures made here from known RGB colours (with the standard forward
// equations) must come out of the GPU (Mesa llvmpipe under Xvfb) in those colours, in the right
// places, for BT.601/BT.709, limited/full range, padded rows and odd sizes; the aspect ratio is
// kept. Also the frame hand-off between a producer thread and the GUI.

#include "uitestsupport.h"
#include "video/graphicsinfo.h"
#include "video/latestframeslot.h"
#include "video/videoview.h"
#include "video/yuvframe.h"

#include <QApplication>
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

/// Sizes in the image grabbed from `view` (device pixels) of its picture rectangle.
QRect inImage(const VideoView &view, const QImage &image)
{
    const qreal scale = qreal(image.width()) / view.width();
    const QRect r = view.pictureRect();
    return QRect(int(r.x() * scale), int(r.y() * scale), int(r.width() * scale), int(r.height() * scale));
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

} // namespace

class TestVideoView : public QObject {
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
        VideoView view;
        view.resize(frameSize.width(), frameSize.height());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setFrame(colorBars(frameSize.width(), frameSize.height(), barColors(), YuvMatrix(matrix),
                                YuvRange(range), padding));
        const QImage image = view.grabFramebuffer();
        QVERIFY(!image.isNull());
        QVERIFY2(view.glError().isEmpty(), qPrintable(view.glError()));
        QCOMPARE(view.uploadCount(), 1u);
        const QRect picture = inImage(view, image);
        for (int bar = 0; bar < barColors().size(); ++bar) {
            const QRgb actual = barSample(image, picture, bar, int(barColors().size()));
            QVERIFY2(closeTo(actual, barColors()[bar]),
                     qPrintable(u"bar %1: expected %2, got %3"_s.arg(bar).arg(describe(barColors()[bar].rgb()),
                                                                               describe(actual))));
        }
    }

    void keepsTheAspectRatio()
    {
        VideoView view;
        view.resize(400, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        // 16:9 in a square: black bands above and below, the picture in the middle.
        view.setFrame(colorBars(320, 180, {Qt::red}));
        QCOMPARE(view.pictureRect(), QRect(0, 87, 400, 225));
        QImage image = view.grabFramebuffer();
        const qreal scale = qreal(image.width()) / view.width();
        QVERIFY(closeTo(image.pixel(int(200 * scale), int(40 * scale)), Qt::black, 2));
        QVERIFY(closeTo(image.pixel(int(200 * scale), int(200 * scale)), Qt::red));
        QVERIFY(closeTo(image.pixel(int(200 * scale), int(360 * scale)), Qt::black, 2));

        // 4:3 in a wide widget: bands left and right.
        view.resize(800, 300);
        view.setFrame(colorBars(640, 480, {Qt::blue}));
        QCOMPARE(view.pictureRect(), QRect(200, 0, 400, 300));
        image = view.grabFramebuffer();
        QVERIFY(closeTo(image.pixel(int(100 * scale), int(150 * scale)), Qt::black, 2));
        QVERIFY(closeTo(image.pixel(int(400 * scale), int(150 * scale)), Qt::blue));
        QVERIFY(closeTo(image.pixel(int(700 * scale), int(150 * scale)), Qt::black, 2));
    }

    void reusesTexturesAndDimsWhenNotLive()
    {
        VideoView view;
        view.resize(320, 180);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        for (QColor color : {Qt::red, Qt::green, Qt::white}) {
            view.setFrame(colorBars(320, 180, {color}));
            const QImage image = view.grabFramebuffer();
            QVERIFY(closeTo(image.pixel(image.width() / 2, image.height() / 2), color));
        }
        QCOMPARE(view.uploadCount(), 3u);
        // A frame is uploaded once, however often it is painted.
        view.grabFramebuffer();
        QCOMPARE(view.uploadCount(), 3u);

        VideoOverlay overlay;
        overlay.dimPicture = true;
        view.setOverlay(overlay);
        const QImage dimmed = view.grabFramebuffer();
        const QRgb center = dimmed.pixel(dimmed.width() / 2, dimmed.height() / 2);
        QVERIFY2(qRed(center) < 128 && qRed(center) > 60, qPrintable(describe(center)));

        view.setFrame(nullptr);
        const QImage empty = view.grabFramebuffer();
        QVERIFY(closeTo(empty.pixel(empty.width() / 2, empty.height() / 2), Qt::black, 2));
    }

    void drawsTheOverlay()
    {
        VideoView view;
        view.resize(480, 270);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setFrame(colorBars(480, 270, {Qt::blue}));
        const QImage plain = view.grabFramebuffer();
        VideoOverlay overlay;
        overlay.title = u"东门入口"_s;
        overlay.stateText = u"No video for 5 s"_s;
        overlay.tone = VideoOverlay::Tone::Warning;
        view.setOverlay(overlay);
        const QImage labelled = view.grabFramebuffer();
        const qreal scale = qreal(labelled.width()) / view.width();
        // Text boxes top left and in the centre; the rest of the picture untouched.
        QVERIFY(labelled.copy(0, 0, int(120 * scale), int(30 * scale)) != plain.copy(0, 0, int(120 * scale), int(30 * scale)));
        const QRect middle(int(160 * scale), int(125 * scale), int(160 * scale), int(20 * scale));
        QVERIFY(labelled.copy(middle) != plain.copy(middle));
        QCOMPARE(labelled.pixel(labelled.width() - 5, labelled.height() - 5), plain.pixel(plain.width() - 5, plain.height() - 5));
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

QTEST_MAIN(TestVideoView)
#include "tst_videoview.moc"
