#pragma once

#include "mediatypes.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QFlags>
#include <QString>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace Vigil::Media {

/// "H.264", "G.711A", ... or "stream type 0x42"; for logs and diagnostics.
QString psStreamTypeName(PsStreamType type);

/// What kind of elementary stream a stream carries.
enum class EsKind : std::uint8_t { Video, Audio };

/// Where the type of an elementary stream came from.
enum class TypeSource : std::uint8_t {
    Psm,      ///< the program stream map, and the payload agrees (or cannot be checked)
    Sniffed,  ///< the payload itself (no map, or a map that names the wrong codec)
    StreamId, ///< only the stream_id range (0xE0.. video, 0xC0.. audio) says what it is
};

/// The current description of one elementary stream of the program stream.
struct PsStreamInfo {
    std::uint8_t streamId = 0;
    EsKind kind = EsKind::Video;
    PsStreamType type = PsStreamType::Unknown;         ///< what the payload is
    PsStreamType declaredType = PsStreamType::Unknown; ///< what the map says; Unknown without an entry
    TypeSource source = TypeSource::StreamId;

    friend bool operator==(const PsStreamInfo &, const PsStreamInfo &) = default;
};

/// Flags of a PesPayload.
enum class PesFlag : std::uint8_t {
    None = 0,
    PesStart = 0x01,      ///< the first bytes of a PES packet's payload (else a continuation of one)
    Discontinuity = 0x02, ///< bytes of this stream were lost before these (RTP loss, resync)
    DataAlignment = 0x04, ///< the PES header's data_alignment_indicator was set
    Truncated = 0x08,     ///< the input ended (finish()) before the PES packet was complete
};
Q_DECLARE_FLAGS(PesFlags, PesFlag)
Q_DECLARE_OPERATORS_FOR_FLAGS(PesFlags)

/// Elementary stream bytes of one PES packet, or a piece of one.
///
/// The concatenation of the `data` of one stream is exactly its elementary stream (for video,
/// the Annex-B byte stream), whatever the PES or RTP boundaries were: access units must be
/// found in those bytes, not from PES boundaries, PTS or RTP markers.
struct PesPayload {
    std::uint8_t streamId = 0;
    EsKind kind = EsKind::Video;
    PsStreamType type = PsStreamType::Unknown;
    /// Presentation and decoding time stamps as written (33 bits, 90 kHz, not unwrapped). Only
    /// on the payload that starts a PES packet with time stamps; a DTS only when written.
    std::optional<std::uint64_t> pts;
    std::optional<std::uint64_t> dts;
    PesFlags flags;
    /// The bytes; valid only during the callback.
    QByteArrayView data;
};

/// What the bytes given to a PsDemuxer look like.
enum class PsContent : std::uint8_t {
    Unknown,       ///< too little seen yet
    ProgramStream, ///< MPEG-2 program stream (or MPEG-1 system stream)
    MpegTs,        ///< MPEG-2 transport stream (0x47 every 188 bytes) instead of PS
    RawH264,       ///< H.264 Annex-B elementary stream instead of PS
    RawH265,       ///< H.265 Annex-B elementary stream instead of PS
    NoPsSync,      ///< no PS structure found and nothing else recognised
};

/// "program stream", "MPEG-TS", ... for logs.
QString psContentName(PsContent content);

/// Counters of a PsDemuxer since it was made.
struct PsDemuxerStats {
    std::uint64_t packHeaders = 0;
    std::uint64_t mpeg1PackHeaders = 0;
    std::uint64_t truncatedPackHeaders = 0; ///< "00 00 01 BA" followed at once by another start code
    std::uint64_t systemHeaders = 0;
    std::uint64_t psms = 0;
    std::uint64_t malformedPsms = 0;   ///< maps whose lengths did not add up (what could be read was used)
    std::uint64_t pesPackets = 0;      ///< audio and video PES packets
    std::uint64_t skippedPackets = 0;  ///< private, padding and other streams, skipped by length
    std::uint64_t malformedPes = 0;    ///< PES packets whose header did not fit; skipped by length
    std::uint64_t unknownStartCodes = 0;
    std::uint64_t resyncs = 0;         ///< times the structure was lost and searched for
    std::uint64_t bytesSkipped = 0;    ///< bytes thrown away while searching
    std::uint64_t typeMismatches = 0;  ///< payloads whose codec differed from what the map said
    std::uint64_t payloadBytes = 0;    ///< elementary stream bytes delivered
};

/// Incremental MPEG-2 program stream demuxer (ISO/IEC 13818-1 section 2.5) for GB/T 28181.
///
/// Sans-I/O: feed() takes the PS byte stream in pieces of any size (RTP payloads in sequence
/// order, file chunks); elementary stream bytes come out through the payload callback, changes
/// of a stream's description through the stream callback, and what the input turned out to be
/// through the content callback. Structures are parsed by their length fields, never by
/// searching, as long as the stream is in sync; start codes are searched only to find the way
/// back after loss or garbage, and to end a video PES whose length is 0.
///
/// Handles what GB/T 28181 devices send: MPEG-2 and MPEG-1 pack headers with stuffing skipped by
/// its length (the bytes are not always 0xFF), system headers, program stream maps (every stream
/// type GB/T 28181 lists; maps whose lengths do not add up are read as far as they make sense;
/// re-read when repeated), PES packets with 33-bit PTS/DTS, video PES with length 0, private
/// streams and padding (skipped), Hikvision's empty pack header, unknown start codes, streams
/// without a map (the type is sniffed from the payload), maps that name the wrong one of
/// H.264/H.265 (the payload wins), and input that is not PS at all (reported, never parsed).
///
/// A bounded PES payload is delivered whole in one callback, a length-0 video PES in pieces as
/// it arrives. The payload of a video stream whose codec is not known yet is held (bounded)
/// until a NAL header tells, so that the first callback already carries the right type.
/// Memory is bounded: the largest PES packet (64 KiB), that held payload (kMaxSniffBytes per
/// stream) and the bytes kept to classify input without PS structure (kProbeBytes).
///
/// The output depends only on the bytes, not on how they were cut into feed() calls (apart from
/// how a length-0 PES is split into pieces). Not thread-safe; callbacks must not call back into
/// the demuxer.
class PsDemuxer {
public:
    using PayloadHandler = std::function<void(const PesPayload &payload)>;
    using StreamHandler = std::function<void(const PsStreamInfo &info)>;
    using ContentHandler = std::function<void(PsContent content)>;

    PsDemuxer();
    ~PsDemuxer();
    PsDemuxer(const PsDemuxer &) = delete;
    PsDemuxer &operator=(const PsDemuxer &) = delete;

    void setPayloadHandler(PayloadHandler handler) { m_onPayload = std::move(handler); }
    /// Called when a stream is first seen and whenever its description changes.
    void setStreamHandler(StreamHandler handler) { m_onStream = std::move(handler); }
    /// Called when content() changes.
    void setContentHandler(ContentHandler handler) { m_onContent = std::move(handler); }

    /// Adds the next bytes of the stream.
    void feed(QByteArrayView bytes);
    /// Bytes were lost before the next feed() (an RTP sequence gap): drops the partial
    /// structure, searches for the next one, and flags each stream's next payload.
    void markDiscontinuity();
    /// End of input: delivers what is held (a partial PES, flagged Truncated; video held for
    /// sniffing) and classifies the input if that is still open.
    void finish();
    /// Back to the initial state, as for a new stream; keeps the callbacks and the stats.
    void reset();

    PsContent content() const noexcept { return m_content; }
    /// Bytes fed but not parsed yet: a structure still incomplete (or the last bytes of a
    /// length-0 PES, held until its end shows). 0 means every elementary stream byte fed so far
    /// has been delivered, except video held while its codec is sniffed.
    qsizetype bufferedBytes() const noexcept { return m_buffer.size() - m_readPos; }
    /// The streams seen so far, by stream_id.
    std::vector<PsStreamInfo> streams() const;
    const PsDemuxerStats &stats() const noexcept { return m_stats; }

    /// Video payload held while no NAL header has told its codec, at most (bytes).
    static constexpr qsizetype kMaxSniffBytes = 1024 * 1024;
    /// Bytes without any PS structure after which the input is classified as something else.
    static constexpr qsizetype kProbeBytes = 64 * 1024;

private:
    struct Stream;
    enum class Parse : std::uint8_t { Consumed, NeedMore, Lost };

    qsizetype process(QByteArrayView data, bool atEnd);
    Parse parseAt(QByteArrayView data, qsizetype &pos, bool atEnd);
    Parse parsePackHeader(QByteArrayView data, qsizetype &pos, bool atEnd);
    Parse parsePes(QByteArrayView data, qsizetype &pos, std::uint8_t streamId, bool atEnd);
    qsizetype continueUnboundedPes(QByteArrayView data, qsizetype pos, bool atEnd);
    void parsePsm(QByteArrayView psm);
    bool searchSync(QByteArrayView data, qsizetype &pos, bool atEnd);
    enum class Candidate : std::uint8_t { No, NeedMore, Yes };
    Candidate syncCandidate(QByteArrayView data, qsizetype pos, bool acceptPes) const;
    void loseSync(); ///< bytes of every stream may be missing from here on
    void setSynced();
    void collectProbe(QByteArrayView skipped);
    void classifyProbe();
    void setContent(PsContent content);

    Stream &stream(std::uint8_t streamId);
    void resolveType(Stream &stream);
    void deliver(Stream &stream, QByteArrayView data, std::optional<std::uint64_t> pts,
                 std::optional<std::uint64_t> dts, PesFlags flags);
    void emitPayload(Stream &stream, QByteArrayView data, std::optional<std::uint64_t> pts,
                     std::optional<std::uint64_t> dts, PesFlags flags);
    void decide(Stream &stream, PsStreamType type, TypeSource source);
    void flushPending(Stream &stream);
    void announce(Stream &stream);

    PayloadHandler m_onPayload;
    StreamHandler m_onStream;
    ContentHandler m_onContent;

    QByteArray m_buffer;
    qsizetype m_readPos = 0;
    qsizetype m_skipRemaining = 0; ///< bytes of a structure skipped by its length still to come
    bool m_inCallback = false;

    PsContent m_content = PsContent::Unknown;
    bool m_synced = false;        ///< parsing structure by structure
    bool m_everSynced = false;    ///< a PS structure was found since the start (or reset)
    qsizetype m_lostBytes = 0;    ///< skipped since sync was lost
    QByteArray m_probe;           ///< the first bytes without PS structure, for classifyProbe()
    bool m_probing = true;

    // A PES packet with length 0 being delivered as it arrives.
    std::optional<std::uint8_t> m_unboundedStream;
    bool m_unboundedStarted = false;
    std::optional<std::uint64_t> m_unboundedPts;
    std::optional<std::uint64_t> m_unboundedDts;
    PesFlags m_unboundedFlags;

    std::array<std::uint8_t, 256> m_psmTypes{}; ///< stream_type per stream_id; 0 = no entry
    std::optional<int> m_psmVersion;
    bool m_mpeg1 = false; ///< the last pack header was MPEG-1 (its PES headers are MPEG-1 too)

    std::vector<Stream> m_streams; ///< stream_id 0xC0..0xEF
    PsDemuxerStats m_stats;
};

} // namespace Vigil::Media
