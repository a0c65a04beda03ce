#pragma once

// Test helpers that run the ffmpeg and ffprobe command-line tools (real FFmpeg, at test time).
// Header-only so that each test stays one executable.

#include <QByteArray>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

#include <optional>

namespace Vigil::Media::Test {

struct ToolResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

inline bool haveFfmpegTools()
{
    return !QStandardPaths::findExecutable(QStringLiteral("ffmpeg")).isEmpty()
           && !QStandardPaths::findExecutable(QStringLiteral("ffprobe")).isEmpty();
}

/// Runs a tool to completion (at most two minutes) and returns its exit code and output.
inline ToolResult runTool(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.start(program, arguments);
    ToolResult result;
    if (!process.waitForStarted(10'000)) {
        result.err = process.errorString().toUtf8();
        return result;
    }
    process.closeWriteChannel();
    if (!process.waitForFinished(120'000)) {
        process.kill();
        process.waitForFinished();
        result.err = "timed out";
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

/// `ffmpeg -hide_banner -loglevel error -y <arguments>`; true on success.
inline bool ffmpeg(const QStringList &arguments, QByteArray *errors = nullptr)
{
    const ToolResult r = runTool(QStringLiteral("ffmpeg"),
                                 QStringList{QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"),
                                             QStringLiteral("error"), QStringLiteral("-y")}
                                     + arguments);
    if (errors)
        *errors = r.err;
    return r.exitCode == 0;
}

/// Encodes `frames` frames of FFmpeg's testsrc2 pattern at 25 fps into an elementary stream
/// file (`format` h264 or hevc) with the given encoder options; true on success.
inline bool makeTestClip(const QString &path, const QString &format, const QStringList &encoder, int frames,
                         const QString &size = QStringLiteral("640x360"), QByteArray *errors = nullptr)
{
    return ffmpeg(QStringList{QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                              QStringLiteral("testsrc2=size=%1:rate=25").arg(size), QStringLiteral("-frames:v"),
                              QString::number(frames), QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p")}
                      + encoder + QStringList{QStringLiteral("-f"), format, path},
                  errors);
}

/// A file in the optional third-party fixtures beside the checkout (../shared/media).
inline QString sharedMediaPath(const QString &name)
{
    return QStringLiteral(VIGIL_SHARED_DIR "/media/") + name;
}

/// The number of video frames FFmpeg decodes from a file (`ffprobe -count_frames`).
inline std::optional<int> countVideoFrames(const QString &path, const QStringList &inputOptions = {})
{
    const ToolResult r = runTool(QStringLiteral("ffprobe"),
                                 QStringList{QStringLiteral("-v"), QStringLiteral("error")} + inputOptions
                                     + QStringList{QStringLiteral("-count_frames"), QStringLiteral("-select_streams"),
                                                   QStringLiteral("v:0"), QStringLiteral("-show_entries"),
                                                   QStringLiteral("stream=nb_read_frames"), QStringLiteral("-of"),
                                                   QStringLiteral("csv=p=0"), path});
    bool ok = false;
    const int frames = r.out.trimmed().toInt(&ok);
    if (r.exitCode != 0 || !ok)
        return std::nullopt;
    return frames;
}

/// codec_name of every stream of a file, in order, as ffprobe sees them ("h264", "pcm_alaw").
inline QStringList probeCodecs(const QString &path)
{
    const ToolResult r = runTool(QStringLiteral("ffprobe"),
                                 {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-show_entries"),
                                  QStringLiteral("stream=codec_name"), QStringLiteral("-of"),
                                  QStringLiteral("csv=p=0"), path});
    QStringList codecs;
    for (const QByteArray &line : r.out.split('\n')) {
        if (!line.trimmed().isEmpty())
            codecs.append(QString::fromUtf8(line.trimmed()).remove(QLatin1Char(',')));
    }
    return codecs;
}

/// The MD5 of every decoded video frame in output order (`ffmpeg -f framemd5`), hashes only.
inline QList<QByteArray> decodedFrameMd5s(const QString &path, const QStringList &inputOptions = {})
{
    const ToolResult r = runTool(QStringLiteral("ffmpeg"),
                                 QStringList{QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"),
                                             QStringLiteral("error")}
                                     + inputOptions
                                     + QStringList{QStringLiteral("-i"), path, QStringLiteral("-map"),
                                                   QStringLiteral("0:v:0"), QStringLiteral("-f"),
                                                   QStringLiteral("framemd5"), QStringLiteral("-")});
    QList<QByteArray> hashes;
    if (r.exitCode != 0)
        return hashes;
    for (const QByteArray &line : r.out.split('\n')) {
        if (line.startsWith('#') || line.trimmed().isEmpty())
            continue;
        hashes.append(line.split(',').last().trimmed());
    }
    return hashes;
}

} // namespace Vigil::Media::Test
