#pragma once

// Owning handles for FFmpeg objects, in the manner of Telegram Desktop's ffmpeg_utility: one
// deleter struct per type, a unique_ptr alias, and factories that log what failed
// (vigil.media) and return null. Internal to core/media/ffmpeg, the only place that includes
// libav* headers: public headers of this folder forward-declare what they need.

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

#include "encodedframe.h"

#include <QString>

#include <memory>

namespace Vigil::Media::Ffmpeg {

struct CodecContextDeleter {
    void operator()(AVCodecContext *context) const noexcept { avcodec_free_context(&context); }
};
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;

struct FrameDeleter {
    void operator()(AVFrame *frame) const noexcept { av_frame_free(&frame); }
};
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;

struct PacketDeleter {
    void operator()(AVPacket *packet) const noexcept { av_packet_free(&packet); }
};
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;

/// For contexts opened with avformat_open_input() (demuxing): closes the input and frees.
struct InputFormatContextDeleter {
    void operator()(AVFormatContext *context) const noexcept { avformat_close_input(&context); }
};
using InputFormatContextPtr = std::unique_ptr<AVFormatContext, InputFormatContextDeleter>;

struct SwsContextDeleter {
    void operator()(SwsContext *context) const noexcept { sws_freeContext(context); }
};
using SwsContextPtr = std::unique_ptr<SwsContext, SwsContextDeleter>;

struct ParserContextDeleter {
    void operator()(AVCodecParserContext *context) const noexcept { av_parser_close(context); }
};
using ParserContextPtr = std::unique_ptr<AVCodecParserContext, ParserContextDeleter>;

/// FFmpeg's description of an AVERROR code plus the code, e.g.
/// "Invalid data found when processing input (AVERROR -1094995529)".
QString errorText(int averror);

/// The libavcodec codec for `codec`.
AVCodecID codecId(EncodedFrame::Codec codec);

/// An empty frame (av_frame_alloc), or null after logging.
FramePtr makeFrame();

/// An empty packet (av_packet_alloc), or null after logging.
PacketPtr makePacket();

/// A new frame referencing the buffers of `source` (av_frame_ref: no pixels are copied), or
/// null after logging.
FramePtr referenceFrame(const AVFrame &source);

/// Allocates a context for `codec`, lets `configure` fill it in, and opens it.
/// Returns null, after logging, when any step fails.
template <typename Configure>
CodecContextPtr openCodecContext(const AVCodec *codec, Configure &&configure);

/// A parser for `codecId` (av_parser_init), or null after logging.
ParserContextPtr makeParser(AVCodecID codecId);

/// Opens `path` for demuxing, forcing the demuxer `formatName` when it is not null (e.g. "h264"
/// for a raw Annex-B file), and reads the stream information. Null after logging on failure.
InputFormatContextPtr openInput(const QString &path, const char *formatName);

namespace detail {
void logOpenFailure(const AVCodec *codec, int averror);
} // namespace detail

template <typename Configure>
CodecContextPtr openCodecContext(const AVCodec *codec, Configure &&configure)
{
    if (!codec)
        return {};
    CodecContextPtr context(avcodec_alloc_context3(codec));
    if (!context) {
        detail::logOpenFailure(codec, AVERROR(ENOMEM));
        return {};
    }
    configure(*context);
    if (const int ret = avcodec_open2(context.get(), codec, nullptr); ret < 0) {
        detail::logOpenFailure(codec, ret);
        return {};
    }
    return context;
}

} // namespace Vigil::Media::Ffmpeg
