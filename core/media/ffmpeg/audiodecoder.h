#pragma once

#include "encodedframe.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>

namespace Vigil::Media {

/// Decoded audio: signed 16-bit samples, channels interleaved, host byte order.
struct AudioSamples {
    QByteArray samples;
    int sampleRate = 0;
    int channels = 0;
    int sampleCount = 0; ///< samples per channel
    qint64 pts90k = EncodedFrame::kNoTimestamp;
};

struct AudioDecoderOptions {
    /// G.711 carries no header; GB/T 28181 devices send 8 kHz mono. AAC takes both from its
    /// ADTS headers.
    int g711SampleRate = 8000;
    int g711Channels = 1;
    /// Names the stream in log messages, e.g. the channel ID.
    QString logName;
};

struct AudioDecoderStats {
    bool hasCodec = false; ///< false until the first packet
    EncodedFrame::Codec codec = EncodedFrame::Codec::G711A;
    int sampleRate = 0; ///< of the newest output
    int channels = 0;
    quint64 packets = 0;       ///< given to decode()
    quint64 framesOutput = 0;  ///< handed to the callback
    quint64 samplesOutput = 0; ///< per channel
    quint64 decodeErrors = 0;  ///< packets or frames FFmpeg rejected
};

/// Decodes G.711 A-law and µ-law and AAC (ADTS) to 16-bit PCM with libavcodec, for playing
/// later. Input may be cut anywhere: AAC is re-framed with FFmpeg's parser, so a PES can hold
/// several ADTS frames or part of one. A damaged packet is counted and skipped; audio frames
/// do not depend on each other for long. Frames without a timestamp of their own get the
/// previous one plus its duration.
///
/// Not thread-safe: one thread creates, feeds and destroys it. The callback runs on that
/// thread, inside decode() or drain().
class AudioDecoder {
public:
    using FrameCallback = std::function<void(AudioSamples frame)>;

    explicit AudioDecoder(FrameCallback onFrame, AudioDecoderOptions options = {});
    ~AudioDecoder();
    AudioDecoder(const AudioDecoder &) = delete;
    AudioDecoder &operator=(const AudioDecoder &) = delete;

    /// Decodes `packet` (G.711A, G.711U or AAC; a change of codec reopens the decoder).
    /// False when it was rejected (counted in decodeErrors).
    bool decode(const EncodedFrame &packet);

    /// End of stream: outputs what the parser and decoder still hold.
    void drain();

    const AudioDecoderStats &stats() const noexcept;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Vigil::Media
