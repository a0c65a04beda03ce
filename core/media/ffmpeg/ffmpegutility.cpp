#include "ffmpegutility.h"

#include "common/logging.h"

extern "C" {
#include <libavutil/error.h>
}

namespace Vigil::Media::Ffmpeg {

QString errorText(int averror)
{
    char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(averror, buffer, sizeof buffer);
    return QString::fromUtf8(buffer) + u" (AVERROR " + QString::number(averror) + u')';
}

AVCodecID codecId(EncodedFrame::Codec codec)
{
    switch (codec) {
    case EncodedFrame::Codec::H264: return AV_CODEC_ID_H264;
    case EncodedFrame::Codec::H265: return AV_CODEC_ID_HEVC;
    case EncodedFrame::Codec::G711A: return AV_CODEC_ID_PCM_ALAW;
    case EncodedFrame::Codec::G711U: return AV_CODEC_ID_PCM_MULAW;
    case EncodedFrame::Codec::Aac: return AV_CODEC_ID_AAC;
    }
    return AV_CODEC_ID_NONE;
}

FramePtr makeFrame()
{
    FramePtr frame(av_frame_alloc());
    if (!frame)
        qCWarning(lcMedia) << "av_frame_alloc failed: out of memory";
    return frame;
}

PacketPtr makePacket()
{
    PacketPtr packet(av_packet_alloc());
    if (!packet)
        qCWarning(lcMedia) << "av_packet_alloc failed: out of memory";
    return packet;
}

FramePtr referenceFrame(const AVFrame &source)
{
    FramePtr frame = makeFrame();
    if (!frame)
        return {};
    if (const int ret = av_frame_ref(frame.get(), &source); ret < 0) {
        qCWarning(lcMedia) << "av_frame_ref failed:" << errorText(ret);
        return {};
    }
    return frame;
}

ParserContextPtr makeParser(AVCodecID codecId)
{
    ParserContextPtr parser(av_parser_init(codecId));
    if (!parser)
        qCWarning(lcMedia) << "FFmpeg has no parser for" << avcodec_get_name(codecId);
    return parser;
}

InputFormatContextPtr openInput(const QString &path, const char *formatName)
{
    const AVInputFormat *format = nullptr;
    if (formatName) {
        format = av_find_input_format(formatName);
        if (!format) {
            qCWarning(lcMedia) << "FFmpeg has no demuxer named" << formatName;
            return {};
        }
    }
    // avformat_open_input frees the context it allocated itself when it fails, so the raw
    // pointer is owned by InputFormatContextPtr only after it succeeded.
    AVFormatContext *raw = nullptr;
    if (const int ret = avformat_open_input(&raw, path.toUtf8().constData(), format, nullptr); ret < 0) {
        qCWarning(lcMedia) << "cannot open" << path << "for demuxing:" << errorText(ret);
        return {};
    }
    InputFormatContextPtr context(raw);
    if (const int ret = avformat_find_stream_info(context.get(), nullptr); ret < 0) {
        qCWarning(lcMedia) << "cannot read the stream information of" << path << ":" << errorText(ret);
        return {};
    }
    return context;
}

namespace detail {

void logOpenFailure(const AVCodec *codec, int averror)
{
    qCWarning(lcMedia).nospace() << "cannot open the FFmpeg codec " << codec->name << " ("
                                 << (av_codec_is_encoder(codec) ? "encoder" : "decoder")
                                 << "): " << errorText(averror);
}

} // namespace detail

} // namespace Vigil::Media::Ffmpeg
