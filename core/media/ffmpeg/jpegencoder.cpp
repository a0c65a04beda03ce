#include "jpegencoder.h"

#include "common/logging.h"
#include "ffmpegutility.h"

#include <algorithm>

namespace Vigil::Media {

namespace {

// 1..100 onto mjpeg's quantiser scale, 31 (coarsest) .. 1 (finest).
int quantiserFor(int quality)
{
    return 1 + (100 - quality) * 30 / 99;
}

// The picture the mjpeg encoder needs: yuvj420p, full range. A full-range frame is referenced
// under that name; a limited-range one is stretched with swscale.
Result<Ffmpeg::FramePtr> fullRangeFrame(const AVFrame &source, const auto &failure)
{
    if (source.format == AV_PIX_FMT_YUVJ420P || source.color_range == AVCOL_RANGE_JPEG) {
        Ffmpeg::FramePtr frame = Ffmpeg::referenceFrame(source);
        if (!frame)
            return failure(Ffmpeg::errorText(AVERROR(ENOMEM)));
        frame->format = AV_PIX_FMT_YUVJ420P;
        return frame;
    }
    Ffmpeg::SwsContextPtr sws(sws_getContext(source.width, source.height, AV_PIX_FMT_YUV420P,
                                             source.width, source.height, AV_PIX_FMT_YUVJ420P,
                                             SWS_BICUBIC | SWS_ACCURATE_RND, nullptr, nullptr, nullptr));
    Ffmpeg::FramePtr frame = Ffmpeg::makeFrame();
    if (!sws || !frame)
        return failure(QStringLiteral("swscale"));
    frame->format = AV_PIX_FMT_YUVJ420P;
    frame->width = source.width;
    frame->height = source.height;
    if (const int ret = av_frame_get_buffer(frame.get(), 0); ret < 0)
        return failure(Ffmpeg::errorText(ret));
    sws_scale(sws.get(), source.data, source.linesize, 0, source.height, frame->data, frame->linesize);
    frame->color_range = AVCOL_RANGE_JPEG;
    return frame;
}

} // namespace

JpegEncoder::JpegEncoder(int quality)
    : m_quality(std::clamp(quality, 1, 100))
{
}

Result<QByteArray> JpegEncoder::encode(const VideoFrame &frame) const
{
    if (frame.isNull()) {
        return fail(ErrorCode::InvalidArgument,
                    tr("There is no picture to take a snapshot of yet. Wait until the video shows, then try again."));
    }
    const auto failure = [](const QString &detail) {
        qCWarning(lcMedia).noquote() << "JPEG snapshot failed:" << detail;
        return fail(ErrorCode::Internal,
                    tr("The snapshot could not be encoded as JPEG (%1). Try again; if it keeps failing, "
                       "report it with the log.").arg(detail));
    };

    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    if (!codec) {
        return fail(ErrorCode::Unsupported,
                    tr("This FFmpeg has no JPEG encoder, so snapshots cannot be saved. Install an FFmpeg "
                       "build with the mjpeg encoder."));
    }

    Result<Ffmpeg::FramePtr> picture = fullRangeFrame(*frame.avFrame(), failure);
    if (!picture)
        return std::unexpected(picture.error());

    const int quantiser = quantiserFor(m_quality);
    Ffmpeg::CodecContextPtr context = Ffmpeg::openCodecContext(codec, [&](AVCodecContext &c) {
        c.width = frame.width();
        c.height = frame.height();
        c.pix_fmt = AV_PIX_FMT_YUVJ420P;
        c.color_range = AVCOL_RANGE_JPEG;
        c.time_base = AVRational{1, 25};
        c.flags |= AV_CODEC_FLAG_QSCALE;
        c.global_quality = quantiser * FF_QP2LAMBDA;
        c.qmin = 1;
        c.qmax = quantiser;
    });
    Ffmpeg::PacketPtr packet = Ffmpeg::makePacket();
    if (!context || !packet)
        return failure(QStringLiteral("mjpeg"));

    (*picture)->pts = 0;
    (*picture)->quality = context->global_quality;
    if (const int ret = avcodec_send_frame(context.get(), picture->get()); ret < 0)
        return failure(Ffmpeg::errorText(ret));
    if (const int ret = avcodec_send_frame(context.get(), nullptr); ret < 0)
        return failure(Ffmpeg::errorText(ret));
    if (const int ret = avcodec_receive_packet(context.get(), packet.get()); ret < 0)
        return failure(Ffmpeg::errorText(ret));
    return QByteArray(reinterpret_cast<const char *>(packet->data), packet->size);
}

} // namespace Vigil::Media
