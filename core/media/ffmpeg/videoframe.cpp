#include "videoframe.h"

#include "ffmpegutility.h"

namespace Vigil::Media {

struct VideoFrame::Data {
    Ffmpeg::FramePtr frame;
    quint64 frameNumber = 0;
    qint64 pts90k = EncodedFrame::kNoTimestamp;
    VideoPixelFormat pixelFormat = VideoPixelFormat::Yuv420p;
    ColorMatrix colorMatrix = ColorMatrix::Bt601;
};

namespace {

ColorMatrix matrixOf(const AVFrame &frame)
{
    switch (frame.colorspace) {
    case AVCOL_SPC_BT709:
        return ColorMatrix::Bt709;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL:
        return ColorMatrix::Bt2020;
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M:
    case AVCOL_SPC_FCC:
        return ColorMatrix::Bt601;
    default:
        // Most cameras leave the VUI colour description out; HD streams are then BT.709 by
        // convention (what players and TVs assume), SD streams BT.601.
        return frame.height >= 720 ? ColorMatrix::Bt709 : ColorMatrix::Bt601;
    }
}

} // namespace

VideoFrame::VideoFrame(std::shared_ptr<const Data> data)
    : m_d(std::move(data))
{
}

VideoFrame VideoFrame::wrap(const AVFrame &frame, quint64 frameNumber)
{
    Q_ASSERT(frame.format == AV_PIX_FMT_YUV420P || frame.format == AV_PIX_FMT_YUVJ420P);
    auto data = std::make_shared<Data>();
    data->frame = Ffmpeg::referenceFrame(frame);
    if (!data->frame)
        return {};
    data->frameNumber = frameNumber;
    const qint64 pts = frame.pts != AV_NOPTS_VALUE ? frame.pts : frame.best_effort_timestamp;
    data->pts90k = pts != AV_NOPTS_VALUE ? pts : EncodedFrame::kNoTimestamp;
    data->pixelFormat = frame.format == AV_PIX_FMT_YUVJ420P || frame.color_range == AVCOL_RANGE_JPEG
        ? VideoPixelFormat::Yuvj420p
        : VideoPixelFormat::Yuv420p;
    data->colorMatrix = matrixOf(frame);
    return VideoFrame(std::move(data));
}

int VideoFrame::width() const noexcept
{
    return m_d ? m_d->frame->width : 0;
}

int VideoFrame::height() const noexcept
{
    return m_d ? m_d->frame->height : 0;
}

VideoPixelFormat VideoFrame::pixelFormat() const noexcept
{
    return m_d ? m_d->pixelFormat : VideoPixelFormat::Yuv420p;
}

ColorMatrix VideoFrame::colorMatrix() const noexcept
{
    return m_d ? m_d->colorMatrix : ColorMatrix::Bt601;
}

const uchar *VideoFrame::plane(int index) const noexcept
{
    Q_ASSERT(index >= 0 && index < kPlaneCount);
    return m_d ? m_d->frame->data[index] : nullptr;
}

int VideoFrame::stride(int index) const noexcept
{
    Q_ASSERT(index >= 0 && index < kPlaneCount);
    return m_d ? m_d->frame->linesize[index] : 0;
}

int VideoFrame::planeWidth(int index) const noexcept
{
    Q_ASSERT(index >= 0 && index < kPlaneCount);
    return index == 0 ? width() : (width() + 1) / 2;
}

int VideoFrame::planeHeight(int index) const noexcept
{
    Q_ASSERT(index >= 0 && index < kPlaneCount);
    return index == 0 ? height() : (height() + 1) / 2;
}

qint64 VideoFrame::pts90k() const noexcept
{
    return m_d ? m_d->pts90k : EncodedFrame::kNoTimestamp;
}

quint64 VideoFrame::frameNumber() const noexcept
{
    return m_d ? m_d->frameNumber : 0;
}

bool VideoFrame::isKeyFrame() const noexcept
{
    return m_d && m_d->frame->key_frame;
}

const AVFrame *VideoFrame::avFrame() const noexcept
{
    return m_d ? m_d->frame.get() : nullptr;
}

} // namespace Vigil::Media
