#include "audiodecoder.h"

#include "common/logging.h"
#include "ffmpegutility.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace Qt::StringLiterals;

namespace Vigil::Media {

namespace {

constexpr qint64 kErrorLogIntervalMs = 10'000;

// The same rounding and clipping as libswresample (and so `ffmpeg -f s16le`): round to
// nearest, clip to the 16-bit range.
qint16 floatToS16(float sample)
{
    return qint16(std::clamp<long>(std::lrintf(sample * 32768.0f), -32768, 32767));
}

// Interleaves the decoded samples as signed 16 bits; empty for a format no decoder of ours
// produces.
QByteArray toInterleavedS16(const AVFrame &frame)
{
    const int channels = frame.ch_layout.nb_channels;
    const int count = frame.nb_samples;
    QByteArray out(qsizetype(count) * channels * qsizetype(sizeof(qint16)), Qt::Uninitialized);
    auto *dst = reinterpret_cast<qint16 *>(out.data());
    const auto sampleAt = [&](auto convert, auto type, bool planar) {
        using T = decltype(type);
        for (int c = 0; c < channels; ++c) {
            const auto *src = reinterpret_cast<const T *>(frame.extended_data[planar ? c : 0]);
            const int step = planar ? 1 : channels;
            const int offset = planar ? 0 : c;
            for (int i = 0; i < count; ++i)
                dst[i * channels + c] = convert(src[i * step + offset]);
        }
    };
    const auto fromS16 = [](qint16 v) { return v; };
    const auto fromS32 = [](qint32 v) { return qint16(v >> 16); };
    switch (frame.format) {
    case AV_SAMPLE_FMT_S16: std::memcpy(dst, frame.data[0], size_t(out.size())); break;
    case AV_SAMPLE_FMT_S16P: sampleAt(fromS16, qint16{}, true); break;
    case AV_SAMPLE_FMT_S32: sampleAt(fromS32, qint32{}, false); break;
    case AV_SAMPLE_FMT_S32P: sampleAt(fromS32, qint32{}, true); break;
    case AV_SAMPLE_FMT_FLT: sampleAt(floatToS16, float{}, false); break;
    case AV_SAMPLE_FMT_FLTP: sampleAt(floatToS16, float{}, true); break;
    default: return {};
    }
    return out;
}

} // namespace

struct AudioDecoder::Private {
    FrameCallback onFrame;
    AudioDecoderOptions options;
    Ffmpeg::CodecContextPtr context;
    Ffmpeg::ParserContextPtr parser; // AAC only: splits the input into ADTS frames
    Ffmpeg::PacketPtr packet = Ffmpeg::makePacket();
    Ffmpeg::FramePtr frame = Ffmpeg::makeFrame();
    QByteArray input; // the current input plus zeroed padding, for the parser
    AudioDecoderStats stats;
    bool openFailed = false;
    qint64 nextPts90k = EncodedFrame::kNoTimestamp;
    QElapsedTimer errorLogTimer;

    QString prefix() const
    {
        return options.logName.isEmpty() ? u"audio decoder:"_s : options.logName + u':';
    }

    bool open(EncodedFrame::Codec codec);
    bool sendPacket(const uint8_t *data, int size, qint64 pts);
    void receiveFrames();
    bool parseAndSend(const uint8_t *data, int size, qint64 pts);
    void reportError(const QString &what);
};

bool AudioDecoder::Private::open(EncodedFrame::Codec codec)
{
    const AVCodecID id = Ffmpeg::codecId(codec);
    const AVCodec *decoder = avcodec_find_decoder(id);
    if (!decoder) {
        qCWarning(lcMedia).noquote() << prefix() << "this FFmpeg has no" << codecName(codec) << "decoder";
        return false;
    }
    const bool g711 = codec == EncodedFrame::Codec::G711A || codec == EncodedFrame::Codec::G711U;
    context = Ffmpeg::openCodecContext(decoder, [&](AVCodecContext &c) {
        c.pkt_timebase = AVRational{1, 90000};
        if (g711) {
            c.sample_rate = options.g711SampleRate;
            av_channel_layout_default(&c.ch_layout, options.g711Channels);
        }
    });
    if (!context)
        return false;
    if (codec == EncodedFrame::Codec::Aac) {
        parser = Ffmpeg::makeParser(id);
        if (!parser)
            return false;
    } else {
        parser.reset();
    }
    return true;
}

bool AudioDecoder::decode(const EncodedFrame &packet)
{
    ++d->stats.packets;
    if (isVideo(packet.codec)) {
        d->reportError(u"ignoring %1 data given to the audio decoder"_s.arg(QLatin1StringView(codecName(packet.codec))));
        return false;
    }
    if (!d->stats.hasCodec || packet.codec != d->stats.codec) {
        if (d->context) {
            qCInfo(lcMedia).noquote() << d->prefix() << "the stream changed from"
                                      << codecName(d->stats.codec) << "to" << codecName(packet.codec);
            drain();
            d->context.reset();
        }
        d->stats.hasCodec = true;
        d->stats.codec = packet.codec;
        d->nextPts90k = EncodedFrame::kNoTimestamp;
        d->openFailed = !d->open(packet.codec);
    }
    if (d->openFailed || !d->packet || !d->frame) {
        ++d->stats.decodeErrors;
        return false;
    }
    if (packet.data.isEmpty())
        return true;

    // The parser may look a few bytes past what it is given; give it FFmpeg's usual padding.
    const qsizetype size = packet.data.size();
    d->input.resize(size + AV_INPUT_BUFFER_PADDING_SIZE);
    std::memcpy(d->input.data(), packet.data.constData(), size_t(size));
    std::memset(d->input.data() + size, 0, AV_INPUT_BUFFER_PADDING_SIZE);
    const auto *data = reinterpret_cast<const uint8_t *>(d->input.constData());
    const qint64 pts = packet.pts90k != EncodedFrame::kNoTimestamp ? packet.pts90k : AV_NOPTS_VALUE;
    if (d->parser)
        return d->parseAndSend(data, int(size), pts);
    return d->sendPacket(data, int(size), pts);
}

bool AudioDecoder::Private::parseAndSend(const uint8_t *data, int size, qint64 pts)
{
    bool ok = true;
    // size == 0 flushes the parser (drain()).
    do {
        uint8_t *out = nullptr;
        int outSize = 0;
        const int used = av_parser_parse2(parser.get(), context.get(), &out, &outSize, data, size,
                                          pts, pts, 0);
        // Like libavformat: the timestamp belongs to the first frame that starts in this input.
        pts = AV_NOPTS_VALUE;
        if (used < 0) {
            reportError(u"the AAC parser failed: "_s + Ffmpeg::errorText(used));
            return false;
        }
        data += used;
        size -= used;
        if (outSize > 0)
            ok = sendPacket(out, outSize, parser->pts) && ok;
        else if (used == 0)
            break;
    } while (size > 0);
    return ok;
}

bool AudioDecoder::Private::sendPacket(const uint8_t *data, int size, qint64 pts)
{
    if (const int ret = av_new_packet(packet.get(), size); ret < 0) {
        reportError(u"cannot allocate a packet: "_s + Ffmpeg::errorText(ret));
        return false;
    }
    std::memcpy(packet->data, data, size_t(size));
    packet->pts = pts;
    packet->dts = pts;
    int ret = avcodec_send_packet(context.get(), packet.get());
    if (ret == AVERROR(EAGAIN)) {
        receiveFrames();
        ret = avcodec_send_packet(context.get(), packet.get());
    }
    av_packet_unref(packet.get());
    if (ret < 0) {
        reportError(u"the decoder rejected a packet of %1 bytes: %2"_s.arg(size).arg(Ffmpeg::errorText(ret)));
        return false;
    }
    receiveFrames();
    return true;
}

void AudioDecoder::Private::receiveFrames()
{
    for (;;) {
        const int ret = avcodec_receive_frame(context.get(), frame.get());
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return;
        if (ret < 0) {
            reportError(u"decoding failed: "_s + Ffmpeg::errorText(ret));
            return;
        }
        AudioSamples out;
        out.samples = toInterleavedS16(*frame);
        out.sampleRate = frame->sample_rate;
        out.channels = frame->ch_layout.nb_channels;
        out.sampleCount = frame->nb_samples;
        const qint64 pts = frame->pts != AV_NOPTS_VALUE ? frame->pts : frame->best_effort_timestamp;
        out.pts90k = pts != AV_NOPTS_VALUE ? pts : nextPts90k;
        av_frame_unref(frame.get());
        if (out.samples.isEmpty() && out.sampleCount > 0) {
            reportError(u"the decoder produced a sample format Vigil does not convert"_s);
            continue;
        }
        if (out.pts90k != EncodedFrame::kNoTimestamp && out.sampleRate > 0)
            nextPts90k = out.pts90k + qint64(out.sampleCount) * 90000 / out.sampleRate;
        stats.sampleRate = out.sampleRate;
        stats.channels = out.channels;
        ++stats.framesOutput;
        stats.samplesOutput += quint64(out.sampleCount);
        if (onFrame)
            onFrame(std::move(out));
    }
}

void AudioDecoder::Private::reportError(const QString &what)
{
    ++stats.decodeErrors;
    if (!errorLogTimer.isValid() || errorLogTimer.hasExpired(kErrorLogIntervalMs)) {
        qCWarning(lcMedia).noquote() << prefix() << what << u"(%1 errors so far)"_s.arg(stats.decodeErrors);
        errorLogTimer.start();
    }
}

AudioDecoder::AudioDecoder(FrameCallback onFrame, AudioDecoderOptions options)
    : d(std::make_unique<Private>())
{
    d->onFrame = std::move(onFrame);
    d->options = std::move(options);
}

AudioDecoder::~AudioDecoder() = default;

void AudioDecoder::drain()
{
    if (!d->context || d->openFailed)
        return;
    if (d->parser)
        d->parseAndSend(nullptr, 0, AV_NOPTS_VALUE);
    if (avcodec_send_packet(d->context.get(), nullptr) >= 0)
        d->receiveFrames();
    avcodec_flush_buffers(d->context.get());
}

const AudioDecoderStats &AudioDecoder::stats() const noexcept
{
    return d->stats;
}

} // namespace Vigil::Media
