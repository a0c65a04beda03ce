#pragma once

#include "common/result.h"
#include "mediatypes.h"
#include "nalunit.h"
#include "parametersets.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <functional>
#include <optional>

namespace Vigil::Media {

/// Cuts an Annex-B H.264/H.265 byte stream into access units (one coded picture each).
///
/// Feed bytes in chunks of any size (start codes may be split across chunks; bytes before the
/// first start code are dropped). The boundaries follow the standards, not the container:
/// H.264 7.4.1.2.3/7.4.1.2.4 (an AUD, SPS, PPS, SEI or NAL type 14-18 after the last slice of a
/// picture, or the first slice of a new primary picture: first_mb_in_slice 0, or frame_num,
/// PPS id, field/bottom flags, nal_ref_idc, POC fields or IDR id differing from the previous
/// slice) and H.265 7.4.2.4.4 (AUD, VPS, SPS, PPS, prefix SEI, NAL type 41-44/48-55, or a slice
/// with first_slice_segment_in_pic_flag). A parameter set or SEI between two slices of the same
/// picture stays in that picture: the cut is decided when the next slice header is read.
/// Arbitrary slice order (H.264 baseline ASO) is not supported, as in FFmpeg. Field pictures
/// are separate access units, as the standard defines them.
///
/// A picture is complete when the first slice of the next one has arrived (or at an AUD, or
/// at flush()). Slices are classified from their first 96 bytes, so the delay is one picture
/// plus at most 96 bytes. Fed bytes are copied into the access unit being built, which is then
/// moved out; only what was already read of the next picture is copied a second time.
///
/// Memory is bounded: a picture larger than maxAccessUnitBytes is dropped, feed() reports it,
/// and the splitter skips to the next unit that can begin a picture.
///
/// Sans-I/O and single-threaded; the handler runs inside feed()/flush() and must not call back
/// into the splitter.
class AccessUnitSplitter {
public:
    static constexpr qsizetype kDefaultMaxAccessUnitBytes = 8 * 1024 * 1024;

    using Handler = std::function<void(AccessUnit &&)>;

    AccessUnitSplitter(VideoCodec codec, Handler handler, qsizetype maxAccessUnitBytes = kDefaultMaxAccessUnitBytes);

    /// Appends bytes. pts90k/dts90k are the timestamps of the container packet they came in
    /// (a PES): as in ISO/IEC 13818-1 they go to the first access unit whose first NAL unit
    /// header lies in these bytes; an access unit that starts in bytes fed without timestamps
    /// gets kNoTimestamp. A missing DTS means DTS = PTS.
    /// Fails when a picture outgrew maxAccessUnitBytes and was dropped; the splitter has already
    /// recovered and the next call may succeed.
    Result<void> feed(QByteArrayView bytes, qint64 pts90k = kNoTimestamp, qint64 dts90k = kNoTimestamp);

    /// The input is complete up to here (end of file, or the container says a picture ended):
    /// the buffered NAL unit counts as complete and the picture being assembled is emitted.
    /// Data fed afterwards has to begin with a start code.
    void flush();

    /// Drops the buffered bytes and the picture being assembled (after packet loss); keeps the
    /// parameter sets, so the next key frame is recognised as one.
    void discard();

    /// Forgets everything, parameter sets included (a new stream).
    void reset();

    VideoCodec codec() const noexcept { return m_codec; }
    const ParameterSets &parameterSets() const noexcept { return m_parameterSets; }
    /// Bytes dropped so far: before the first start code, and of oversized pictures.
    quint64 droppedBytes() const noexcept { return m_droppedBytes; }
    quint64 accessUnitCount() const noexcept { return m_accessUnitCount; }

private:
    struct TimestampMark {
        qsizetype offset; ///< buffer offset of the first byte fed with these timestamps
        qint64 pts90k;
        qint64 dts90k;
    };
    enum class NalFate { Keep, Skip };
    enum class Tail { Data, StartCode };

    void addMark(qint64 pts90k, qint64 dts90k);
    void append(QByteArrayView piece, Tail tail);
    void appendWhileSyncing(QByteArrayView piece);
    void startCodeAtBufferEnd();
    NalFate handleNal(qsizetype end, bool complete);
    bool startsNewPicture(const SliceHeader &slice) const;
    bool isAccessUnitStarter(const NalUnit &nal) const;
    void emitAccessUnit(qsizetype boundary);
    void dropFront(qsizetype count);
    void enterSync();
    void resetPicture();
    void checkSize();

    VideoCodec m_codec;
    Handler m_handler;
    qsizetype m_maxAccessUnitBytes;
    ParameterSets m_parameterSets;

    QByteArray m_buffer;           ///< the picture being assembled, then the current NAL unit
    qsizetype m_nalStart = -1;     ///< start code of the current NAL unit; -1 while syncing
    int m_startCodeSize = 0;
    bool m_nalHandled = false;     ///< the current NAL unit has been classified
    bool m_resync = false;         ///< after an overflow: skip units until one begins a picture
    bool m_overflowed = false;     ///< during this feed()
    QList<TimestampMark> m_marks;

    bool m_hasVcl = false;                ///< the picture being assembled has a slice
    bool m_keyFrame = false;
    qsizetype m_pendingBoundary = -1;     ///< first AU-starting unit after the last slice
    std::optional<SliceHeader> m_lastSlice;

    quint64 m_droppedBytes = 0;
    quint64 m_accessUnitCount = 0;
};

} // namespace Vigil::Media
