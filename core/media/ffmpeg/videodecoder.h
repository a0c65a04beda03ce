#pragma once

#include "encodedframe.h"
#include "videoframe.h"

#include <QString>

#include <functional>
#include <memory>

namespace Vigil::Media {

/// How codec threads beyond the first share the work (VideoDecoderOptions::threadCount > 1).
enum class DecoderThreading {
    Frame, ///< one picture per thread: scales with any stream, adds threadCount - 1 frames of delay
    Slice, ///< the slices of one picture in parallel: no delay, but only helps when the encoder
           ///< cut its pictures into several slices (many cameras write one)
};

struct VideoDecoderOptions {
    /// Codec threads for this stream. 1 decodes on the calling thread with no added delay, the
    /// right choice when many streams share a few cores: each stream already has its own decode
    /// thread, and extra codec threads only cost more CPU (3-5% with 2 frame threads, 1080p
    /// H.264, four streams at once on 2 cores; see tests/bench/bench_decoder) and, with frame
    /// threading, a frame of delay each. Raise it for one large stream (a full-screen 4K view).
    /// 0 lets FFmpeg take one thread per core.
    int threadCount = 1;
    DecoderThreading threading = DecoderThreading::Frame;
    /// Names the stream in log messages, e.g. the channel ID.
    QString logName;
};

/// What the decoder counted since it was created. Codec and size describe the newest input
/// and output.
struct VideoDecoderStats {
    bool hasCodec = false; ///< false until the first access unit
    EncodedFrame::Codec codec = EncodedFrame::Codec::H264;
    int width = 0;  ///< of the newest output frame; 0 before the first
    int height = 0;
    quint64 accessUnits = 0;        ///< given to decode()
    quint64 framesOutput = 0;       ///< handed to the frame callback
    quint64 skippedAccessUnits = 0; ///< dropped while waiting for a key frame (start, gap, error)
    quint64 decodeErrors = 0;       ///< access units FFmpeg rejected plus damaged frames it returned
    quint64 damagedFrames = 0;      ///< decoded frames withheld because FFmpeg flagged them damaged
    quint64 discontinuities = 0;    ///< gaps reported with markDiscontinuity()
    quint64 reinitializations = 0;  ///< new FFmpeg decoders (codec change, tolerant) and size changes
    /// The decoder gave up strict decoding (see VideoDecoder) for this stream.
    bool tolerant = false;
    /// FFmpeg has no decoder for the codec or could not open it: nothing of this codec decodes.
    bool unavailable = false;
};

/// What decode() did with an access unit.
enum class DecodeStatus {
    Decoded,           ///< FFmpeg took it; its picture comes out now or after a few more units
    WaitingForKeyFrame,///< dropped: decoding restarts at the next key frame
    Failed,            ///< FFmpeg rejected it (counted); decoding restarts at the next key frame
};

/// Decodes H.264 and H.265 access units (Annex-B, parameter sets in band, no extradata) with
/// libavcodec and hands out VideoFrames through a callback.
///
/// Loss policy: the picture freezes rather than smears. Decoding starts at a key frame; after
/// a reported gap (markDiscontinuity()) the frames the decoder still holds, all intact, are
/// output and it is reset, after an error (FFmpeg rejected an access unit or returned a frame
/// it had to conceal) it is reset at once; either way, input is dropped until the next key
/// frame. An access unit counts as a key frame when its flag says so or when it holds an IDR
/// (H.264) or IRAP (H.265) slice.
///
/// To notice damage at all, FFmpeg runs strict (AV_EF_EXPLODE): its H.265 decoder, for one,
/// otherwise shows a truncated slice as if nothing were wrong. Some encoders write something in
/// every key frame that strict FFmpeg rejects (a malformed SEI, say) while the pictures are fine;
/// when the decoder fails on three key frames in a row without a picture in between (not
/// counting a key frame right after a reported gap, which the loss may have hit), it reopens
/// FFmpeg tolerant for the rest of the stream (stats().tolerant) and retries that key frame.
/// Then the damage FFmpeg cannot see shows, until the next key frame at the latest.
///
/// A change of codec in the input opens a new FFmpeg decoder; a change of size inside a codec
/// is followed by FFmpeg itself and shows in the stats and in the frames.
///
/// Not thread-safe: create, feed and destroy it on one thread (DecodeWorker's). The callback
/// runs on that thread, inside decode(), markDiscontinuity() or drain(), and must neither block
/// nor call back into the decoder.
class VideoDecoder {
public:
    using FrameCallback = std::function<void(VideoFrame frame)>;

    explicit VideoDecoder(FrameCallback onFrame, VideoDecoderOptions options = {});
    ~VideoDecoder();
    VideoDecoder(const VideoDecoder &) = delete;
    VideoDecoder &operator=(const VideoDecoder &) = delete;

    /// Decodes one access unit. `unit.codec` must be H.264 or H.265; audio is Failed.
    DecodeStatus decode(const EncodedFrame &unit);

    /// Input was lost before the next access unit: outputs what the decoder still holds,
    /// resets it and drops input until the next key frame.
    void markDiscontinuity();

    /// End of stream: outputs the frames the decoder still holds (B-frame reordering, frame
    /// threads) and resets it; feeding more afterwards restarts at a key frame.
    void drain();

    const VideoDecoderStats &stats() const noexcept;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Vigil::Media
