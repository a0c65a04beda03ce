#pragma once

// Test fixtures for the FFmpeg code: clips generated with the ffmpeg CLI at test time, access
// units read with libavformat's raw demuxers, and per-frame MD5s computed the way
// `ffmpeg -f framemd5` does. Shared by the tests in this folder and tests/bench/bench_decoder.

#include "common/result.h"
#include "media/ffmpeg/encodedframe.h"
#include "media/ffmpeg/videoframe.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <vector>

namespace Vigil::Media::Testing {

/// Full path of the ffmpeg / ffprobe command line tools, empty when not installed.
QString ffmpegPath();
QString ffprobePath();

/// Runs `program` with `arguments`, waits (up to timeoutMs) and returns its standard output,
/// or an error with its standard error when it failed.
Result<QByteArray> run(const QString &program, const QStringList &arguments, int timeoutMs = 300'000);

/// Runs ffmpeg with "-hide_banner -loglevel error -nostdin -y" in front of `arguments`.
Result<QByteArray> runFfmpeg(const QStringList &arguments, int timeoutMs = 300'000);

/// A test clip made from `testsrc2`.
struct ClipSpec {
    QString encoder = QStringLiteral("libx264"); ///< or libx265
    int width = 640;
    int height = 360;
    int frames = 50;
    int gop = 25;
    int bFrames = 0;
    QString pixelFormat = QStringLiteral("yuv420p");
    QStringList extraArguments; ///< more encoder options, e.g. {"-slices", "4"}
};

/// Encodes `spec` into `path` as a raw Annex-B elementary stream (.h264 or .h265).
Result<QString> makeClip(const QString &path, const ClipSpec &spec);

/// The access units of a raw Annex-B file, split by libavformat's h264/hevc demuxer and
/// parser. Key frames as the parser flags them; pts90k = decode index * 3600 (25 fps).
Result<std::vector<EncodedFrame>> readAccessUnits(const QString &path, EncodedFrame::Codec codec);

/// The video access units of a container file (e.g. a PS file, with libavformat's own
/// demuxer), H.264 or H.265, with the container's key frame flags and PTS in 90 kHz ticks.
Result<std::vector<EncodedFrame>> readContainerVideo(const QString &path);

/// `ffmpeg [inputArguments] -i path -map 0:v:0 -pix_fmt yuv420p -f framemd5 -`: the MD5s
/// only, one per frame in output order.
Result<QStringList> ffmpegFrameMd5s(const QString &path, const QStringList &inputArguments = {});

/// One MD5 per line of a refs/*.md5 file in shared/media.
QStringList readMd5File(const QString &path);

/// The MD5 framemd5 prints for `frame`: that of Y, U and V packed row after row with no
/// padding, as the rawvideo encoder writes them.
QString frameMd5(const VideoFrame &frame);

/// Where the optional shared media fixtures live; empty when absent.
QString sharedMediaDir();

} // namespace Vigil::Media::Testing
