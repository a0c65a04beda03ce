#pragma once

#include "accessunitsplitter.h"
#include "mediatypes.h"
#include "psdemuxer.h"
#include "reorderbuffer.h"
#include "rtppacket.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace Vigil::Media {

/// How strictly the SSRC of incoming RTP is held against the one the session follows.
enum class SsrcCheck : std::uint8_t {
    /// Packets with another SSRC are counted and dropped, except that a stream which keeps to one
    /// other SSRC while ours is silent is adopted: devices that ignore the offer's y=, answer
    /// with another one, or restart their encoder with a new SSRC. The port is the session's
    /// own, so such a stream is the device's (gb28181.md 6.3, wvp's "SSRC correction").
    Adopt,
    /// Only the expected SSRC (or, with none expected, the first one seen) passes.
    Strict,
    /// Every packet passes; a change of SSRC is a new stream.
    Off,
};

/// Counters of a StreamAssembler since it was made.
struct StreamAssemblerStats {
    std::optional<std::uint32_t> ssrc; ///< the SSRC followed
    int payloadType = -1;              ///< of the newest packet passed on
    std::uint64_t packets = 0;         ///< pushed
    std::uint64_t ssrcMismatches = 0;  ///< packets whose SSRC was not the one followed
    std::uint64_t ssrcChanges = 0;     ///< times another SSRC was adopted
    std::uint64_t discontinuities = 0; ///< loss or stream restarts the demuxer was told about
    std::uint64_t videoGaps = 0;       ///< times video bytes were lost: decoding waits for a key frame
    std::uint64_t accessUnits = 0;
    std::uint64_t oversizedAccessUnits = 0; ///< pictures over the size limit, dropped
    std::uint64_t audioFrames = 0;
    std::uint64_t videoBytes = 0; ///< elementary stream bytes
    std::uint64_t audioBytes = 0;
    std::uint64_t markerFlushes = 0; ///< pictures completed by the RTP marker bit
    bool markersTrusted = true;      ///< false once the device set the marker bit inside a picture
    VideoCodec videoCodec = VideoCodec::Unknown;
    AudioCodec audioCodec = AudioCodec::Unknown;
    ReorderStats reorder;
    PsDemuxerStats demux;
    PsContent content = PsContent::Unknown;
};

/// The receive pipeline of one GB/T 28181 stream between the socket and the decoders, without
/// I/O: RTP packets in (from UDP datagrams or TCP frames), complete video access units and
/// audio frames out, through callbacks.
///
///     RTP ─▶ SSRC check ─▶ ReorderBuffer ─▶ PsDemuxer ─▶ AccessUnitSplitter ─▶ access units
///                                                     └──────────────────────▶ audio frames
///
/// Access units are found in the elementary stream itself (AccessUnitSplitter), and completed
/// as early as the stream allows so that a picture reaches the decoder as soon as its last
/// packet arrived, not one frame later:
///  - on the RTP marker bit (the last packet of a frame, set by most devices), when the PS
///    structure is complete there. A device that sets the bit inside pictures (the video after
///    it is not a PES that starts a NAL unit with a new PTS) is noticed and its marker bits are
///    ignored from then on;
///  - when a video PES that starts with a start code carries a new PTS: the previous picture
///    has ended.
/// Without either, a picture is complete when the next one begins.
///
/// Loss (a sequence gap the reorder buffer gave up on, or a stream restart) makes the demuxer
/// resynchronise; the partial picture is dropped and videoGap() tells the decoder to wait for
/// the next key frame. PTS and DTS are unwrapped from 33 bits onto one 64-bit timeline.
///
/// Time is passed in (monotonic milliseconds); the owner calls poll() at nextDeadlineMs().
/// Not thread-safe; callbacks must not call back into the assembler.
class StreamAssembler {
public:
    struct Options {
        SsrcCheck ssrcCheck = SsrcCheck::Adopt;
        /// The SSRC the session expects (the y= of the offer or answer); empty to take the first.
        std::optional<std::uint32_t> expectedSsrc;
        ReorderBuffer::Options reorder;
        qsizetype maxAccessUnitBytes = AccessUnitSplitter::kDefaultMaxAccessUnitBytes;
    };

    struct Handlers {
        /// A complete picture, in decoding order.
        std::function<void(AccessUnit &&unit)> accessUnit;
        /// Video was lost: drop input until the next key frame (DecodeWorker::reportGap()).
        std::function<void()> videoGap;
        /// One audio PES payload (G.711A/U, or AAC ADTS).
        std::function<void(AudioFrame &&frame)> audioFrame;
        /// What the payload turned out to be (PsDemuxer's content callback).
        std::function<void(PsContent content)> content;
        /// A stream of the program was seen or its description changed.
        std::function<void(const PsStreamInfo &info)> streamInfo;
    };

    /// Consecutive packets of another SSRC that make Adopt follow it.
    static constexpr int kAdoptAfterPackets = 3;
    /// How long the followed SSRC must have been silent before Adopt switches away from it.
    static constexpr qint64 kAdoptSilenceMs = 1000;

    StreamAssembler(const Options &options, Handlers handlers);
    ~StreamAssembler();
    StreamAssembler(const StreamAssembler &) = delete;
    StreamAssembler &operator=(const StreamAssembler &) = delete;

    /// Takes one RTP packet that arrived at `nowMs` and passes on what is now in order.
    void push(RtpPacket packet, qint64 nowMs);
    /// Gives up on missing packets that were waited for long enough.
    void poll(qint64 nowMs);
    /// When poll() has something to do; empty while nothing waits.
    std::optional<qint64> nextDeadlineMs() const;
    /// End of the stream: releases what is held and completes the last picture.
    void finish();

    /// The SSRC to follow from now on (the device's answer re-keys the session).
    void setExpectedSsrc(std::uint32_t ssrc);

    StreamAssemblerStats stats() const;

private:
    bool acceptSsrc(RtpPacket &packet, qint64 nowMs);
    void onReleased(const RtpPacket &packet, Continuity continuity);
    void onPayload(const PesPayload &payload);
    void onVideo(const PesPayload &payload);
    void onAudio(const PesPayload &payload);
    void distrustMarkers();
    qint64 unwrap(std::uint64_t timestamp33);

    Handlers m_handlers;
    SsrcCheck m_ssrcCheck;
    qsizetype m_maxAccessUnitBytes;
    ReorderBuffer m_reorder;
    PsDemuxer m_demuxer;
    std::optional<AccessUnitSplitter> m_splitter;

    std::optional<std::uint32_t> m_ssrc;
    bool m_ssrcSeen = false;  ///< a packet with m_ssrc arrived
    qint64 m_ssrcLastMs = 0;  ///< when the last one did
    std::vector<RtpPacket> m_candidate; ///< consecutive packets of another SSRC (Adopt)

    bool m_released = false;           ///< the reorder buffer has passed a packet on
    bool m_videoSinceFlush = false;    ///< the splitter holds bytes a flush would complete
    bool m_expectPictureStart = false; ///< flushed on a marker: the next video must begin a picture
    std::optional<qint64> m_flushedPts; ///< of the picture the marker completed
    std::optional<qint64> m_lastVideoPts;
    std::optional<qint64> m_lastTimestamp; ///< unwrapped, the newest PTS/DTS seen

    StreamAssemblerStats m_stats;
};

} // namespace Vigil::Media
