#pragma once

#include "common/result.h"
#include "videoframe.h"

#include <QByteArray>
#include <QCoreApplication>

namespace Vigil::Media {

/// Encodes a VideoFrame as a baseline JPEG (a snapshot) with FFmpeg's mjpeg encoder, without
/// QtGui. Limited-range frames are stretched to the full range JPEG uses; full-range ones are
/// encoded as they are. Reentrant: each encode() opens its own encoder (snapshots are rare),
/// so one JpegEncoder may serve several threads.
class JpegEncoder {
    Q_DECLARE_TR_FUNCTIONS(Vigil::Media::JpegEncoder)

public:
    static constexpr int kDefaultQuality = 85;

    /// `quality` from 1 (smallest) to 100 (best), like most image tools; clamped.
    explicit JpegEncoder(int quality = kDefaultQuality);

    int quality() const noexcept { return m_quality; }

    /// The JPEG file's bytes; a translated error for operators when the frame is null or
    /// FFmpeg fails.
    Result<QByteArray> encode(const VideoFrame &frame) const;

private:
    int m_quality;
};

} // namespace Vigil::Media
