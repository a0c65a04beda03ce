#pragma once

#include "encodedframe.h"

#include <QtGlobal>

#include <memory>

struct AVFrame;

namespace Vigil::Media {

/// Layout of the samples of a VideoFrame: always three planes, Y at full size and U, V at half
/// width and half height (rounded up), 8 bits per sample.
enum class VideoPixelFormat {
    Yuv420p,  ///< limited ("TV") range: Y 16-235, U/V 16-240
    Yuvj420p, ///< full ("JPEG") range: 0-255
};

/// The matrix that turns the frame's YUV into RGB.
enum class ColorMatrix { Bt601, Bt709, Bt2020 };

/// A decoded picture: a shared, immutable handle on an FFmpeg frame (the pixels are reference
/// counted by FFmpeg and never copied when the handle is copied or passed between threads).
///
/// Whatever the decoder produced, a VideoFrame is 3-plane YUV 4:2:0, 8 bit (see
/// VideoPixelFormat), which is what the GUI uploads as three textures and converts in a
/// shader. Frames the decoder outputs as yuv420p or yuvj420p are wrapped as they are; others
/// (nv12, yuv422p, 10-bit...) are converted once with swscale (see FrameConverter).
///
/// The decoder publishes the newest frame to a FrameSlot; a viewer keeps a copy for as long
/// as it shows it. All members are const and safe to call from any thread.
class VideoFrame {
public:
    static constexpr int kPlaneCount = 3;

    /// A null frame: isNull() is true, the sizes are 0 and the planes null.
    VideoFrame() = default;

    /// A handle on the picture of `frame`, which must be yuv420p or yuvj420p (Q_ASSERT): the
    /// buffers are referenced (av_frame_ref), not copied, and `frame` stays the caller's.
    /// A null VideoFrame when FFmpeg is out of memory. For core/media/ffmpeg.
    static VideoFrame wrap(const AVFrame &frame, quint64 frameNumber);

    bool isNull() const noexcept { return !m_d; }

    int width() const noexcept;
    int height() const noexcept;
    VideoPixelFormat pixelFormat() const noexcept;
    ColorMatrix colorMatrix() const noexcept;

    /// Start of plane 0 (Y), 1 (U) or 2 (V).
    const uchar *plane(int index) const noexcept;
    /// Bytes from one row of plane `index` to the next; at least planeWidth(index), often more.
    int stride(int index) const noexcept;
    /// Samples per row of plane `index`: width() for Y, (width() + 1) / 2 for U and V.
    int planeWidth(int index) const noexcept;
    /// Rows of plane `index`: height() for Y, (height() + 1) / 2 for U and V.
    int planeHeight(int index) const noexcept;

    /// Presentation time in 90 kHz ticks, from the access unit the picture came from;
    /// EncodedFrame::kNoTimestamp when the stream had none.
    qint64 pts90k() const noexcept;
    /// 0 for the first frame the decoder output, then counting up by one per frame it output.
    quint64 frameNumber() const noexcept;
    bool isKeyFrame() const noexcept;

    /// The FFmpeg frame behind the handle, for core/media/ffmpeg (e.g. the JPEG encoder).
    /// Read only: other handles may share it.
    const AVFrame *avFrame() const noexcept;

private:
    struct Data;
    explicit VideoFrame(std::shared_ptr<const Data> data);
    std::shared_ptr<const Data> m_d;
};

} // namespace Vigil::Media
