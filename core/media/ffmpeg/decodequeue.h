#pragma once

#include "encodedframe.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace Vigil::Media {

/// How much a DecodeQueue holds before it drops. The defaults hold about two seconds of a
/// 25 fps camera and stay far below the byte limit for 1080p; a 4K key frame alone can be over
/// 1 MB.
struct DecodeQueueLimits {
    qsizetype maxFrames = 50;
    qsizetype maxBytes = 8 * 1024 * 1024;
};

enum class PushResult {
    Queued,
    Dropped, ///< full, or waiting for a key frame after an overflow or a gap (counted)
    Closed,  ///< close() was called
};

/// Whether close() keeps what is queued for the consumer.
enum class CloseMode {
    Discard, ///< pop() returns nothing more: a prompt stop
    Drain,   ///< pop() returns what is queued, then nothing: end of stream
};

struct DecodeQueueStats {
    quint64 queued = 0;        ///< frames accepted by push()
    quint64 dropped = 0;       ///< frames push() refused or that were thrown out to make room
    quint64 droppedBytes = 0;
    quint64 overflows = 0;     ///< times the queue was full
    quint64 gaps = 0;          ///< reportGap() calls
    qsizetype frames = 0;      ///< queued now
    qsizetype bytes = 0;
    qsizetype peakFrames = 0;  ///< most ever queued at once
    qsizetype peakBytes = 0;
};

/// The bounded input between the thread that receives and demuxes a stream and the thread
/// that decodes it. It never grows past its limits and never makes the decoder fall behind:
///
/// - When a frame arrives and the queue is full, that frame and every frame after it are
///   dropped until the next key frame, since none of them could be decoded without the one
///   before. The frames already queued are complete and stay.
/// - When a key frame arrives and the queue is still full, what is queued is stale: it is
///   thrown out and decoding restarts at the key frame.
/// - reportGap() (input was lost upstream) drops likewise until the next key frame.
///
/// The first frame queued after such a drop is marked `afterGap`, so that the decoder knows to
/// reset (VideoDecoder::markDiscontinuity()). One frame larger than maxBytes is accepted into
/// an empty queue, so memory stays below maxBytes plus one frame.
///
/// Thread-safe: any number of producers, one consumer.
class DecodeQueue {
public:
    struct Entry {
        EncodedFrame frame;
        bool afterGap = false; ///< input before this frame was lost or dropped
    };

    explicit DecodeQueue(DecodeQueueLimits limits = {});

    PushResult push(EncodedFrame frame);

    /// Input was lost upstream: drop until the next key frame.
    void reportGap();

    /// Waits for the next entry; nothing once the queue is closed (and, after
    /// CloseMode::Drain, empty).
    std::optional<Entry> pop();

    /// The next entry if there is one, without waiting.
    std::optional<Entry> tryPop();

    /// Refuses further input and wakes pop().
    void close(CloseMode mode);

    DecodeQueueStats stats() const;

private:
    bool isFull(qsizetype incomingBytes) const;
    void dropQueued();
    void drop(const EncodedFrame &frame);
    std::optional<Entry> takeFront();

    const DecodeQueueLimits m_limits;
    mutable std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<Entry> m_entries;
    DecodeQueueStats m_stats;
    bool m_waitingForKeyFrame = false;
    bool m_gapPending = false;
    bool m_closed = false;
};

} // namespace Vigil::Media
