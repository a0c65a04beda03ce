#include "frameconverter.h"

#include "common/logging.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

using namespace Qt::StringLiterals;

namespace Vigil::Media::Ffmpeg {

namespace {

bool isFullRange(const AVFrame &frame)
{
    switch (frame.format) {
    case AV_PIX_FMT_YUVJ411P:
    case AV_PIX_FMT_YUVJ420P:
    case AV_PIX_FMT_YUVJ422P:
    case AV_PIX_FMT_YUVJ440P:
    case AV_PIX_FMT_YUVJ444P:
        return true;
    default:
        return frame.color_range == AVCOL_RANGE_JPEG;
    }
}

int swsColorspace(const AVFrame &frame)
{
    switch (frame.colorspace) {
    case AVCOL_SPC_BT709: return SWS_CS_ITU709;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: return SWS_CS_BT2020;
    default: return SWS_CS_DEFAULT;
    }
}

QString formatName(int format)
{
    const char *name = av_get_pix_fmt_name(AVPixelFormat(format));
    return name ? QString::fromLatin1(name) : u"pixel format %1"_s.arg(format);
}

} // namespace

Result<VideoFrame> FrameConverter::convert(const AVFrame &frame, quint64 frameNumber)
{
    if (frame.format == AV_PIX_FMT_YUV420P || frame.format == AV_PIX_FMT_YUVJ420P) {
        VideoFrame wrapped = VideoFrame::wrap(frame, frameNumber);
        if (wrapped.isNull())
            return fail(ErrorCode::Internal, u"out of memory while referencing a decoded frame"_s);
        return wrapped;
    }

    const bool fullRange = isFullRange(frame);
    const AVPixelFormat target = fullRange ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_YUV420P;
    if (!m_sws || frame.width != m_sourceWidth || frame.height != m_sourceHeight
        || frame.format != m_sourceFormat || fullRange != m_fullRange) {
        m_sws.reset(sws_getContext(frame.width, frame.height, AVPixelFormat(frame.format),
                                   frame.width, frame.height, target, SWS_BICUBIC,
                                   nullptr, nullptr, nullptr));
        if (!m_sws) {
            return fail(ErrorCode::Unsupported,
                        u"swscale cannot convert %1 %2x%3 to yuv420p"_s
                            .arg(formatName(frame.format)).arg(frame.width).arg(frame.height));
        }
        // Keep the range and the matrix: the shader applies them, swscale must not. swscale
        // would otherwise take a full-range "yuv422p" flagged in the VUI as limited range.
        const int *coefficients = sws_getCoefficients(swsColorspace(frame));
        sws_setColorspaceDetails(m_sws.get(), coefficients, fullRange ? 1 : 0, coefficients,
                                 fullRange ? 1 : 0, 0, 1 << 16, 1 << 16);
        m_sourceWidth = frame.width;
        m_sourceHeight = frame.height;
        m_sourceFormat = frame.format;
        m_fullRange = fullRange;
        qCDebug(lcMedia).noquote() << "converting" << formatName(frame.format) << frame.width
                                   << "x" << frame.height << "frames to" << formatName(target);
    }

    FramePtr converted = makeFrame();
    if (!converted)
        return fail(ErrorCode::Internal, u"out of memory while converting a decoded frame"_s);
    converted->format = target;
    converted->width = frame.width;
    converted->height = frame.height;
    if (const int ret = av_frame_get_buffer(converted.get(), 0); ret < 0)
        return fail(ErrorCode::Internal, u"cannot allocate a converted frame: "_s + errorText(ret));
    if (const int ret = av_frame_copy_props(converted.get(), &frame); ret < 0)
        return fail(ErrorCode::Internal, u"cannot copy the frame properties: "_s + errorText(ret));
    converted->color_range = fullRange ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG;

    const int rows = sws_scale(m_sws.get(), frame.data, frame.linesize, 0, frame.height,
                               converted->data, converted->linesize);
    if (rows != frame.height) {
        return fail(ErrorCode::Internal,
                    u"swscale converted %1 of %2 rows"_s.arg(rows).arg(frame.height));
    }
    ++m_convertedFrames;
    VideoFrame result = VideoFrame::wrap(*converted, frameNumber);
    if (result.isNull())
        return fail(ErrorCode::Internal, u"out of memory while referencing a converted frame"_s);
    return result;
}

} // namespace Vigil::Media::Ffmpeg
