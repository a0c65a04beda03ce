// libFuzzer target: VideoDecoder, AudioDecoder and DecodeQueue on arbitrary input, which is how
// a broken or hostile device looks to them. FFmpeg has fuzzers of its own; this one is about
// Vigil's side: the key-frame and recovery state machine, the switch to tolerant decoding,
// frame conversion and the handles given to the GUI.
//
// Input: one byte choosing the codec (low 3 bits, modulo 5) and the threading (bit 3: two
// frame threads), then records of [1-byte flags][2-byte big-endian length][data]. Flags bit 0
// reports a gap before the record, bit 1 marks it a key frame.

#include "media/ffmpeg/audiodecoder.h"
#include "media/ffmpeg/decodequeue.h"
#include "media/ffmpeg/ffmpeglog.h"
#include "media/ffmpeg/videodecoder.h"

#include <QLoggingCategory>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Vigil::Media;

namespace {

// Reads every byte of every plane the frame claims to have, so that ASan sees a plane that is
// smaller than its width, height and stride say.
void touch(const VideoFrame &frame)
{
    if (frame.width() <= 0 || frame.height() <= 0)
        std::abort();
    unsigned sum = 0;
    for (int p = 0; p < VideoFrame::kPlaneCount; ++p) {
        if (frame.stride(p) < frame.planeWidth(p))
            std::abort();
        for (int y = 0; y < frame.planeHeight(p); ++y) {
            const uchar *row = frame.plane(p) + qsizetype(y) * frame.stride(p);
            for (int x = 0; x < frame.planeWidth(p); ++x)
                sum += row[x];
        }
    }
    volatile unsigned sink = sum;
    (void)sink;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // Complaints about every damaged input, FFmpeg's and the decoders', cost more than decoding.
    static const bool quiet = [] {
        Vigil::Media::Ffmpeg::installLogHandler();
        QLoggingCategory::setFilterRules(QStringLiteral("vigil.media.warning=false\nvigil.media.info=false"));
        return true;
    }();
    (void)quiet;
    if (size < 1)
        return 0;
    const auto codec = EncodedFrame::Codec((data[0] & 0x7) % 5);
    VideoDecoderOptions options;
    options.threadCount = (data[0] & 0x8) ? 2 : 1;

    quint64 frames = 0;
    VideoDecoder video([&](VideoFrame frame) {
        touch(frame);
        ++frames;
    }, options);
    quint64 samples = 0;
    AudioDecoder audio([&](AudioSamples frame) {
        if (frame.samples.size() != qsizetype(frame.sampleCount) * frame.channels * 2)
            std::abort();
        samples += quint64(frame.sampleCount);
    });
    DecodeQueueLimits limits;
    limits.maxFrames = 4;
    limits.maxBytes = 4096;
    DecodeQueue queue(limits);

    std::size_t offset = 1;
    while (offset + 3 <= size) {
        const std::uint8_t flags = data[offset];
        const std::size_t length = std::size_t(data[offset + 1]) << 8 | data[offset + 2];
        offset += 3;
        const std::size_t available = std::min(length, size - offset);
        EncodedFrame unit;
        unit.codec = codec;
        unit.data = QByteArray(reinterpret_cast<const char *>(data + offset), qsizetype(available));
        unit.keyFrame = (flags & 2) != 0;
        unit.pts90k = qint64(offset) * 3600;
        offset += available;

        if (flags & 1) {
            video.markDiscontinuity();
            queue.reportGap();
        }
        queue.push(unit);
        if (flags & 4)
            queue.tryPop();
        if (isVideo(codec))
            video.decode(unit);
        else
            audio.decode(unit);
    }
    video.drain();
    audio.drain();
    const VideoDecoderStats stats = video.stats();
    if (stats.framesOutput != frames)
        std::abort();
    const DecodeQueueStats queueStats = queue.stats();
    if (queueStats.frames > limits.maxFrames || queueStats.bytes > limits.maxBytes + 65535)
        std::abort();
    queue.close(CloseMode::Drain);
    while (queue.pop()) {
    }
    return 0;
}
