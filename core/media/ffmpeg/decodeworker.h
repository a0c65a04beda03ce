#pragma once

#include "decodequeue.h"
#include "videodecoder.h"

#include <mutex>
#include <thread>

namespace Vigil::Media {

/// Decodes one video stream on a thread of its own: the receive/demux thread push()es access
/// units into a bounded DecodeQueue, the worker thread pops them into a VideoDecoder and hands
/// each frame to the callback, on the worker thread (publish it to a FrameSlot there).
///
/// Threads: the worker thread (a std::thread: it needs no event loop) is started by the
/// constructor, owned by this object and joined by stop() or the destructor; it alone touches
/// the VideoDecoder. push(), reportGap(), stats() and stop() may be called from any other
/// thread; stop() and the destructor not from the frame callback.
class DecodeWorker {
public:
    struct Stats {
        VideoDecoderStats decoder; ///< as of the last access unit the worker finished
        DecodeQueueStats queue;
    };

    DecodeWorker(VideoDecoder::FrameCallback onFrame, VideoDecoderOptions options = {},
                 DecodeQueueLimits limits = {});
    /// stop(CloseMode::Discard).
    ~DecodeWorker();
    DecodeWorker(const DecodeWorker &) = delete;
    DecodeWorker &operator=(const DecodeWorker &) = delete;

    /// Queues an access unit for decoding; see DecodeQueue for when it drops.
    PushResult push(EncodedFrame unit);

    /// Input was lost upstream: queued units stay, later ones drop until a key frame, and the
    /// decoder resets there.
    void reportGap();

    /// Stops and joins the worker. Discard returns after at most the access unit being decoded
    /// (milliseconds); Drain first decodes what is queued and outputs what the decoder still
    /// holds (end of a file or a test). Idempotent.
    void stop(CloseMode mode = CloseMode::Discard);

    Stats stats() const;

private:
    void run();

    DecodeQueue m_queue;
    VideoDecoder m_decoder;
    mutable std::mutex m_statsMutex;
    VideoDecoderStats m_decoderStats;
    std::mutex m_stopMutex;
    CloseMode m_closeMode = CloseMode::Discard;
    std::thread m_thread; // last: it starts in the constructor and uses the members above
};

} // namespace Vigil::Media
