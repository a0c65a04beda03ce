// VideoFrame and FrameConverter: what the GUI gets to upload is always 8-bit YUV 4:2:0 in three
// planes, referenced rather than copied when the decoder made it so, converted otherwise.

#include "media/ffmpeg/frameconverter.h"
#include "media/ffmpeg/videoframe.h"

#include <QTest>

extern "C" {
#include <libavutil/imgutils.h>
}

using namespace Vigil;
using namespace Vigil::Media;
using namespace Vigil::Media::Ffmpeg;

namespace {

// A frame of `format` whose every sample of plane p is value(p, x, y).
template <typename Value>
FramePtr makePicture(AVPixelFormat format, int width, int height, Value value)
{
    FramePtr frame = makeFrame();
    frame->format = format;
    frame->width = width;
    frame->height = height;
    if (av_frame_get_buffer(frame.get(), 0) < 0)
        return {};
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(format);
    for (int p = 0; p < av_pix_fmt_count_planes(format); ++p) {
        const bool chroma = p > 0;
        const int rows = chroma ? AV_CEIL_RSHIFT(height, desc->log2_chroma_h) : height;
        const int bytes = av_image_get_linesize(format, width, p);
        for (int y = 0; y < rows; ++y) {
            for (int x = 0; x < bytes; ++x)
                frame->data[p][y * frame->linesize[p] + x] = uint8_t(value(p, x, y));
        }
    }
    return frame;
}

} // namespace

class TestVideoFrame : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void nullFrame()
    {
        const VideoFrame frame;
        QVERIFY(frame.isNull());
        QCOMPARE(frame.width(), 0);
        QCOMPARE(frame.height(), 0);
        QCOMPARE(frame.plane(0), nullptr);
        QCOMPARE(frame.stride(2), 0);
        QCOMPARE(frame.pts90k(), EncodedFrame::kNoTimestamp);
        QCOMPARE(frame.avFrame(), nullptr);
    }

    void wrapsWithoutCopying()
    {
        FramePtr picture = makePicture(AV_PIX_FMT_YUV420P, 101, 51, [](int p, int x, int y) { return p * 50 + x + y; });
        picture->pts = 123456;
        picture->key_frame = 1;
        FrameConverter converter;
        const Result<VideoFrame> frame = converter.convert(*picture, 7);
        QVERIFY(frame.has_value());
        QCOMPARE(frame->plane(0), picture->data[0]);
        QCOMPARE(frame->plane(2), picture->data[2]);
        QCOMPARE(converter.convertedFrames(), 0u);
        QCOMPARE(frame->width(), 101);
        QCOMPARE(frame->height(), 51);
        QCOMPARE(frame->planeWidth(0), 101);
        QCOMPARE(frame->planeWidth(1), 51);
        QCOMPARE(frame->planeHeight(2), 26);
        QCOMPARE(frame->stride(1), picture->linesize[1]);
        QCOMPARE(frame->pts90k(), 123456);
        QCOMPARE(frame->frameNumber(), 7u);
        QVERIFY(frame->isKeyFrame());
        QCOMPARE(frame->pixelFormat(), VideoPixelFormat::Yuv420p);
        QCOMPARE(frame->colorMatrix(), ColorMatrix::Bt601);

        // The handle keeps the pixels alive after the decoder let go of its frame.
        const uchar *y = frame->plane(0);
        picture.reset();
        QCOMPARE(int(y[100]), 100);
        const VideoFrame copy = *frame;
        QCOMPARE(copy.plane(0), y);
    }

    void reportsRangeAndMatrix()
    {
        FrameConverter converter;
        FramePtr full = makePicture(AV_PIX_FMT_YUVJ420P, 16, 16, [](int, int, int) { return 0; });
        QCOMPARE(converter.convert(*full, 0)->pixelFormat(), VideoPixelFormat::Yuvj420p);
        FramePtr flagged = makePicture(AV_PIX_FMT_YUV420P, 16, 16, [](int, int, int) { return 0; });
        flagged->color_range = AVCOL_RANGE_JPEG;
        flagged->colorspace = AVCOL_SPC_BT709;
        const VideoFrame frame = *converter.convert(*flagged, 0);
        QCOMPARE(frame.pixelFormat(), VideoPixelFormat::Yuvj420p);
        QCOMPARE(frame.colorMatrix(), ColorMatrix::Bt709);
        // HD without a colour description: BT.709, as players assume.
        FramePtr hd = makePicture(AV_PIX_FMT_YUV420P, 1280, 720, [](int, int, int) { return 0; });
        QCOMPARE(converter.convert(*hd, 0)->colorMatrix(), ColorMatrix::Bt709);
    }

    void convertsNv12()
    {
        // What hardware decoders output: U and V interleaved in one plane.
        FramePtr nv12 = makePicture(AV_PIX_FMT_NV12, 64, 32, [](int p, int x, int y) {
            if (p == 0)
                return 16 + (x + y) % 200;
            return x % 2 == 0 ? 60 + y : 180 - y; // U at even bytes, V at odd
        });
        nv12->pts = 42;
        FrameConverter converter;
        const Result<VideoFrame> frame = converter.convert(*nv12, 3);
        QVERIFY(frame.has_value());
        QCOMPARE(converter.convertedFrames(), 1u);
        QCOMPARE(frame->pixelFormat(), VideoPixelFormat::Yuv420p);
        QCOMPARE(frame->pts90k(), 42);
        QCOMPARE(frame->frameNumber(), 3u);
        for (int y = 0; y < 32; ++y) {
            for (int x = 0; x < 64; ++x)
                QCOMPARE(int(frame->plane(0)[y * frame->stride(0) + x]), 16 + (x + y) % 200);
        }
        for (int y = 0; y < 16; ++y) {
            for (int x = 0; x < 32; ++x) {
                QCOMPARE(int(frame->plane(1)[y * frame->stride(1) + x]), 60 + y);
                QCOMPARE(int(frame->plane(2)[y * frame->stride(2) + x]), 180 - y);
            }
        }
    }

    void keepsTheRangeOfAFullRangeSource()
    {
        // yuvj422p (a full-range camera) becomes yuvj420p with its values untouched: the
        // shader expands the range, swscale must not do it twice.
        FramePtr source = makePicture(AV_PIX_FMT_YUVJ422P, 32, 16, [](int p, int, int) { return p == 0 ? 255 : 0; });
        FrameConverter converter;
        const Result<VideoFrame> frame = converter.convert(*source, 0);
        QVERIFY(frame.has_value());
        QCOMPARE(frame->pixelFormat(), VideoPixelFormat::Yuvj420p);
        QCOMPARE(int(frame->plane(0)[0]), 255);
        QCOMPARE(int(frame->plane(1)[0]), 0);
    }

    void refusesWhatSwscaleCannotRead()
    {
        FramePtr frame = makeFrame();
        frame->format = AV_PIX_FMT_VAAPI; // a hardware surface: no pixels in memory
        frame->width = 64;
        frame->height = 32;
        FrameConverter converter;
        const Result<VideoFrame> converted = converter.convert(*frame, 0);
        QVERIFY(!converted);
        QVERIFY(converted.error().message.contains(QLatin1StringView("vaapi")));
    }
};

QTEST_GUILESS_MAIN(TestVideoFrame)
#include "tst_videoframe.moc"
