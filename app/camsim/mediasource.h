#pragma once

#include "common/result.h"
#include "devices/device.h"
#include "media/elementarystreamfile.h"

#include <QCoreApplication>
#include <QString>

#include <memory>
#include <optional>

namespace Vigil::CamSim {

/// The media every simulated camera streams: an Annex-B H.264/H.265 file and optionally raw
/// G.711 audio, read into memory once and shared read-only by all streams (each stream copies
/// the ElementaryStreamFile value, which shares the frames, and reads it from the start).
struct MediaSource {
    Q_DECLARE_TR_FUNCTIONS(Vigil::CamSim::MediaSource)

public:
    Media::ElementaryStreamFile video;
    std::optional<Media::ElementaryStreamFile> audio;
    QString videoPath;
    QString audioPath;

    /// Reads the files; `audioPath` may be empty. The error names the file and what is wrong.
    static Result<std::shared_ptr<const MediaSource>> open(const QString &videoPath, const QString &audioPath,
                                                           Media::FrameRate frameRate = {});
    /// "demo-h264.h264: H.264, 250 frames, 10.0 s; audio G.711A, 500 frames", for the log.
    QString describe() const;
};

/// What a simulator streams for each profile an INVITE can ask for; `sub` is the same object
/// as `main` when both play one clip.
struct MediaSources {
    std::shared_ptr<const MediaSource> main;
    std::shared_ptr<const MediaSource> sub;

    const std::shared_ptr<const MediaSource> &of(Devices::StreamProfile profile) const noexcept
    {
        return profile == Devices::StreamProfile::Sub ? sub : main;
    }
};

} // namespace Vigil::CamSim
