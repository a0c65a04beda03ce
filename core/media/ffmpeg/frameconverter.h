#pragma once

#include "common/result.h"
#include "ffmpegutility.h"
#include "videoframe.h"

namespace Vigil::Media::Ffmpeg {

/// Turns what a decoder outputs into VideoFrames. yuv420p and yuvj420p pictures, what
/// cameras send in practice, are wrapped without touching a pixel; any other software format
/// (nv12, yuv422p, yuv444p, 10-bit...) is converted with swscale to yuv420p, or to yuvj420p
/// when the source is full range, keeping the range and matrix as they are.
///
/// One converter per stream: it caches the swscale context of the last source format. Not
/// thread-safe; used by the thread that decodes.
class FrameConverter {
public:
    Result<VideoFrame> convert(const AVFrame &frame, quint64 frameNumber);

    /// Frames that needed swscale so far.
    quint64 convertedFrames() const noexcept { return m_convertedFrames; }

private:
    SwsContextPtr m_sws;
    int m_sourceWidth = 0;
    int m_sourceHeight = 0;
    int m_sourceFormat = AV_PIX_FMT_NONE;
    bool m_fullRange = false;
    quint64 m_convertedFrames = 0;
};

} // namespace Vigil::Media::Ffmpeg
