#pragma once

#include "common/result.h"
#include "mediatypes.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace Vigil::Media {

/// Frames per second as a fraction (30000/1001 for NTSC rates).
struct FrameRate {
    int numerator = 25;
    int denominator = 1;
};

/// A media file read into memory and served as timed frames, endlessly, for the simulator.
///
/// Video: an Annex-B H.264 or H.265 elementary stream (`ffmpeg ... -f h264 x.h264`), codec
/// detected from the bytes, cut into access units with AccessUnitSplitter. Timestamps come from
/// the frame rate: DTS advances one frame per access unit; PTS follows the picture order count,
/// so files with B-frames get PTS != DTS (H.264 pic_order_cnt_type 0 and 2, H.265); with
/// pic_order_cnt_type 1 PTS = DTS is assumed. Raw audio: G.711 A-law (.alaw, .pcma, .g711a) or
/// mu-law (.ulaw, .mulaw, .pcmu, .g711u), 8 kHz mono, served as 20 ms frames of 160 bytes
/// (1800 ticks); a trailing partial frame is left out.
///
/// nextAccessUnit()/nextAudioFrame() start over at the end of the file with timestamps that
/// keep increasing, so a stream never jumps back. Files are capped at kMaxFileBytes.
/// A value type; not thread-safe.
class ElementaryStreamFile {
    Q_DECLARE_TR_FUNCTIONS(Vigil::Media::ElementaryStreamFile)

public:
    static constexpr qint64 kMaxFileBytes = 256 * 1024 * 1024;
    static constexpr int kAudioFrameMs = 20;

    enum class Kind { Video, Audio };

    /// Opens a file; the kind is taken from the extension for raw audio, from the bytes for
    /// video. The frame rate applies to video.
    static Result<ElementaryStreamFile> open(const QString &path, FrameRate frameRate = {});
    /// The same for bytes already in memory; `name` appears in error messages.
    static Result<ElementaryStreamFile> fromVideo(QByteArrayView annexB, FrameRate frameRate = {},
                                                  const QString &name = QString());
    static Result<ElementaryStreamFile> fromAudio(QByteArrayView samples, AudioCodec codec,
                                                  const QString &name = QString());

    Kind kind() const noexcept { return m_kind; }
    VideoCodec videoCodec() const noexcept { return m_videoCodec; }
    AudioCodec audioCodec() const noexcept { return m_audioCodec; }
    FrameRate frameRate() const noexcept { return m_frameRate; }

    /// Frames in one pass over the file.
    qsizetype frameCount() const noexcept;
    /// Length of one pass in 90 kHz ticks.
    qint64 duration90k() const noexcept;
    /// True when some access unit has PTS != DTS (the file has B-frames).
    bool reorders() const noexcept { return m_reorderDelay > 0; }

    /// The frames of the first pass, with their timestamps.
    const QList<AccessUnit> &accessUnits() const noexcept { return m_accessUnits; }
    const QList<AudioFrame> &audioFrames() const noexcept { return m_audioFrames; }

    /// The next frame, starting over at the end; timestamps continue across passes.
    /// Call the one that matches kind().
    AccessUnit nextAccessUnit();
    AudioFrame nextAudioFrame();
    /// Completed passes over the file.
    qint64 passCount() const noexcept { return m_pass; }
    void rewind() noexcept;

private:
    ElementaryStreamFile() = default;
    qint64 videoTimestamp(qint64 frameIndex) const noexcept;

    Kind m_kind = Kind::Video;
    VideoCodec m_videoCodec = VideoCodec::Unknown;
    AudioCodec m_audioCodec = AudioCodec::Unknown;
    FrameRate m_frameRate;
    QList<AccessUnit> m_accessUnits;
    QList<qint64> m_presentationIndex; ///< per access unit: frame slot of its PTS in a pass
    qint64 m_reorderDelay = 0;
    QList<AudioFrame> m_audioFrames;
    qsizetype m_next = 0;
    qint64 m_pass = 0;
};

} // namespace Vigil::Media
