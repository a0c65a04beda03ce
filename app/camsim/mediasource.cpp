#include "mediasource.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace Vigil::CamSim {

Result<std::shared_ptr<const MediaSource>> MediaSource::open(const QString &videoPath, const QString &audioPath,
                                                             Media::FrameRate frameRate)
{
    auto video = Media::ElementaryStreamFile::open(videoPath, frameRate);
    if (!video)
        return std::unexpected(video.error());
    if (video->kind() != Media::ElementaryStreamFile::Kind::Video || video->frameCount() == 0)
        return fail(ErrorCode::InvalidArgument,
                    tr("%1 holds no H.264 or H.265 video; give an Annex-B elementary stream (ffmpeg -f h264).")
                        .arg(videoPath));

    auto source = std::make_shared<MediaSource>(MediaSource{std::move(*video), std::nullopt, videoPath, audioPath});
    if (!audioPath.isEmpty()) {
        auto audio = Media::ElementaryStreamFile::open(audioPath);
        if (!audio)
            return std::unexpected(audio.error());
        if (audio->kind() != Media::ElementaryStreamFile::Kind::Audio || audio->frameCount() == 0)
            return fail(ErrorCode::InvalidArgument,
                        tr("%1 holds no G.711 audio; give raw A-law samples (.alaw) at 8 kHz.").arg(audioPath));
        source->audio = std::move(*audio);
    }
    return std::shared_ptr<const MediaSource>(std::move(source));
}

QString MediaSource::describe() const
{
    QString text = u"%1: %2, %3 frames, %4 s"_s.arg(QFileInfo(videoPath).fileName(), Media::codecName(video.videoCodec()))
                       .arg(video.frameCount())
                       .arg(double(video.duration90k()) / double(Media::kClockRate90k), 0, 'f', 1);
    if (audio) {
        text += u"; audio %1 (%2), %3 frames"_s.arg(QFileInfo(audioPath).fileName(), Media::codecName(audio->audioCodec()))
                    .arg(audio->frameCount());
    }
    return text;
}

} // namespace Vigil::CamSim
