#include "videodecoder.h"

#include "common/logging.h"
#include "ffmpegutility.h"
#include "frameconverter.h"

#include <QElapsedTimer>

#include <cstring>

using namespace Qt::StringLiterals;

namespace Vigil::Media {

namespace {

// A stream that breaks keeps breaking: log the first error, then a summary at most this often.
constexpr qint64 kErrorLogIntervalMs = 10'000;

// Key frames in a row the strict decoder may fail on before it gives up on strictness.
constexpr int kStrictRestartAttempts = 3;

bool isDamaged(const AVFrame &frame)
{
    return frame.decode_error_flags != 0 || (frame.flags & AV_FRAME_FLAG_CORRUPT) != 0;
}

} // namespace

struct VideoDecoder::Private {
    enum class State { WaitingForKeyFrame, Decoding };

    FrameCallback onFrame;
    VideoDecoderOptions options;
    Ffmpeg::CodecContextPtr context;
    Ffmpeg::PacketPtr packet = Ffmpeg::makePacket();
    Ffmpeg::FramePtr frame = Ffmpeg::makeFrame();
    Ffmpeg::FrameConverter converter;
    State state = State::WaitingForKeyFrame;
    bool openFailed = false; // no decoder for stats.codec; not retried until the codec changes
    VideoDecoderStats stats;
    quint64 nextFrameNumber = 0;
    QElapsedTimer errorLogTimer;
    quint64 errorsNotLogged = 0;
    bool outputSinceRestart = false; // a frame came out since decoding last restarted at a key frame
    int failedRestarts = 0;          // restarts in a row that failed before any frame came out
    bool restartAfterGap = false;    // this restart follows a reported gap, which may have hit it

    QString prefix() const
    {
        return options.logName.isEmpty() ? u"video decoder:"_s : options.logName + u':';
    }

    bool open(EncodedFrame::Codec codec);
    DecodeStatus send(const EncodedFrame &unit);
    // Returns false when an output frame was damaged or FFmpeg failed (the decoder is reset).
    bool receiveFrames();
    void output(const AVFrame &decoded);
    void drainFrames();
    void recoverFromError(const QString &what);
    bool becomeTolerant();
};

bool VideoDecoder::Private::open(EncodedFrame::Codec codec)
{
    const AVCodec *decoder = avcodec_find_decoder(Ffmpeg::codecId(codec));
    if (!decoder) {
        qCWarning(lcMedia).noquote() << prefix() << "this FFmpeg has no" << codecName(codec) << "decoder";
        return false;
    }
    context = Ffmpeg::openCodecContext(decoder, [this](AVCodecContext &c) {
        c.thread_count = options.threadCount;
        c.thread_type = options.threading == DecoderThreading::Slice ? FF_THREAD_SLICE : FF_THREAD_FRAME;
        c.pkt_timebase = AVRational{1, 90000};
        // Strict: FFmpeg reports what it would otherwise conceal in silence (its H.265 decoder
        // shows a truncated slice as if nothing were wrong), so the loss policy can act on it.
        if (!stats.tolerant)
            c.err_recognition |= AV_EF_EXPLODE;
    });
    if (!context)
        return false;
    qCDebug(lcMedia).noquote() << prefix() << "opened the" << codecName(codec) << "decoder with"
                               << context->thread_count << "thread(s)," << (stats.tolerant ? "tolerant" : "strict");
    return true;
}

DecodeStatus VideoDecoder::decode(const EncodedFrame &unit)
{
    ++d->stats.accessUnits;
    if (!isVideo(unit.codec)) {
        ++d->stats.decodeErrors;
        qCWarning(lcMedia).noquote() << d->prefix() << "ignoring" << codecName(unit.codec)
                                     << "data given to the video decoder";
        return DecodeStatus::Failed;
    }

    if (!d->stats.hasCodec || unit.codec != d->stats.codec) {
        if (d->context) {
            qCInfo(lcMedia).noquote() << d->prefix() << "the stream changed from"
                                      << codecName(d->stats.codec) << "to" << codecName(unit.codec);
            d->drainFrames();
            d->context.reset();
            ++d->stats.reinitializations;
        }
        d->stats.hasCodec = true;
        d->stats.codec = unit.codec;
        d->stats.tolerant = false;
        d->failedRestarts = 0;
        d->state = Private::State::WaitingForKeyFrame;
        d->openFailed = !d->open(unit.codec);
        d->stats.unavailable = d->openFailed;
    }
    if (d->openFailed || !d->packet || !d->frame) {
        ++d->stats.decodeErrors;
        return DecodeStatus::Failed;
    }

    if (d->state == Private::State::WaitingForKeyFrame) {
        if (!unit.keyFrame && !containsRandomAccessPoint(unit.codec, unit.data)) {
            ++d->stats.skippedAccessUnits;
            return DecodeStatus::WaitingForKeyFrame;
        }
        d->state = Private::State::Decoding;
        d->outputSinceRestart = false;
    }
    const DecodeStatus status = d->send(unit);
    d->restartAfterGap = false;
    if (status == DecodeStatus::Failed && d->failedRestarts >= kStrictRestartAttempts && d->becomeTolerant()
        && (unit.keyFrame || containsRandomAccessPoint(unit.codec, unit.data))) {
        // Decode this key frame again at once rather than wait another GOP.
        d->state = Private::State::Decoding;
        d->outputSinceRestart = false;
        return d->send(unit);
    }
    return status;
}

DecodeStatus VideoDecoder::Private::send(const EncodedFrame &unit)
{
    // libavcodec reads up to AV_INPUT_BUFFER_PADDING_SIZE bytes past the end, and a QByteArray
    // has no such padding: copy into a padded, reference-counted packet buffer. The copy is a few
    // microseconds next to the decode.
    if (const int ret = av_new_packet(packet.get(), int(unit.data.size())); ret < 0) {
        recoverFromError(u"cannot allocate a packet: "_s + Ffmpeg::errorText(ret));
        return DecodeStatus::Failed;
    }
    std::memcpy(packet->data, unit.data.constData(), size_t(unit.data.size()));
    packet->pts = unit.pts90k != EncodedFrame::kNoTimestamp ? unit.pts90k : AV_NOPTS_VALUE;
    packet->dts = unit.dts90k != EncodedFrame::kNoTimestamp ? unit.dts90k : AV_NOPTS_VALUE;
    if (unit.keyFrame)
        packet->flags |= AV_PKT_FLAG_KEY;

    int ret = avcodec_send_packet(context.get(), packet.get());
    if (ret == AVERROR(EAGAIN)) {
        // Only when frames were left unread; read them and send again.
        if (!receiveFrames()) {
            av_packet_unref(packet.get());
            return DecodeStatus::Failed;
        }
        ret = avcodec_send_packet(context.get(), packet.get());
    }
    av_packet_unref(packet.get());
    if (ret < 0) {
        recoverFromError(u"the decoder rejected an access unit of %1 bytes: %2"_s
                             .arg(unit.data.size())
                             .arg(Ffmpeg::errorText(ret)));
        return DecodeStatus::Failed;
    }
    return receiveFrames() ? DecodeStatus::Decoded : DecodeStatus::Failed;
}

bool VideoDecoder::Private::receiveFrames()
{
    for (;;) {
        const int ret = avcodec_receive_frame(context.get(), frame.get());
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return true;
        if (ret < 0) {
            recoverFromError(u"decoding failed: "_s + Ffmpeg::errorText(ret));
            return false;
        }
        if (isDamaged(*frame)) {
            ++stats.damagedFrames;
            const int flags = frame->decode_error_flags;
            av_frame_unref(frame.get());
            recoverFromError(u"the decoder returned a damaged frame (decode_error_flags %1)"_s.arg(flags));
            return false;
        }
        output(*frame);
        av_frame_unref(frame.get());
    }
}

void VideoDecoder::Private::output(const AVFrame &decoded)
{
    if (decoded.width != stats.width || decoded.height != stats.height) {
        if (stats.width != 0) {
            ++stats.reinitializations;
            qCInfo(lcMedia).noquote() << prefix() << "the picture size changed from" << stats.width
                                      << "x" << stats.height << "to" << decoded.width << "x" << decoded.height;
        }
        stats.width = decoded.width;
        stats.height = decoded.height;
    }
    Result<VideoFrame> converted = converter.convert(decoded, nextFrameNumber);
    if (!converted) {
        // A format swscale cannot handle fails the same way every frame: count, log rarely.
        ++stats.decodeErrors;
        if (!errorLogTimer.isValid() || errorLogTimer.hasExpired(kErrorLogIntervalMs)) {
            qCWarning(lcMedia).noquote() << prefix() << converted.error().message;
            errorLogTimer.start();
        }
        return;
    }
    ++nextFrameNumber;
    ++stats.framesOutput;
    outputSinceRestart = true;
    failedRestarts = 0;
    if (onFrame)
        onFrame(std::move(*converted));
}

void VideoDecoder::Private::drainFrames()
{
    if (!context || state != State::Decoding)
        return;
    if (avcodec_send_packet(context.get(), nullptr) >= 0)
        receiveFrames();
    // After end of stream (or an error) a decoder takes input again only once flushed.
    avcodec_flush_buffers(context.get());
}

void VideoDecoder::Private::recoverFromError(const QString &what)
{
    ++stats.decodeErrors;
    if (!outputSinceRestart && !restartAfterGap)
        ++failedRestarts;
    avcodec_flush_buffers(context.get());
    state = State::WaitingForKeyFrame;
    if (!errorLogTimer.isValid() || errorLogTimer.hasExpired(kErrorLogIntervalMs)) {
        if (errorsNotLogged > 0) {
            qCWarning(lcMedia).noquote() << prefix() << what << u"(and %1 more errors since the last report;"_s.arg(errorsNotLogged)
                                         << "restarting at the next key frame)";
        } else {
            qCWarning(lcMedia).noquote() << prefix() << what << "(restarting at the next key frame)";
        }
        errorsNotLogged = 0;
        errorLogTimer.start();
    } else {
        ++errorsNotLogged;
    }
}

bool VideoDecoder::Private::becomeTolerant()
{
    if (stats.tolerant)
        return false;
    qCWarning(lcMedia).noquote()
        << prefix() << "strict decoding failed on" << failedRestarts
        << "key frames in a row; decoding with FFmpeg's error concealment from now on (the encoder "
           "writes something FFmpeg objects to in every key frame)";
    stats.tolerant = true;
    failedRestarts = 0;
    context.reset();
    if (!open(stats.codec)) {
        openFailed = true;
        stats.unavailable = true;
        return false;
    }
    ++stats.reinitializations;
    return true;
}

VideoDecoder::VideoDecoder(FrameCallback onFrame, VideoDecoderOptions options)
    : d(std::make_unique<Private>())
{
    d->onFrame = std::move(onFrame);
    d->options = std::move(options);
}

VideoDecoder::~VideoDecoder() = default;

void VideoDecoder::markDiscontinuity()
{
    ++d->stats.discontinuities;
    d->drainFrames();
    d->state = Private::State::WaitingForKeyFrame;
    d->restartAfterGap = true;
}

void VideoDecoder::drain()
{
    d->drainFrames();
    d->state = Private::State::WaitingForKeyFrame;
}

const VideoDecoderStats &VideoDecoder::stats() const noexcept
{
    return d->stats;
}

} // namespace Vigil::Media
