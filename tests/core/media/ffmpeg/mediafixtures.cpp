#include "mediafixtures.h"

#include "media/ffmpeg/ffmpegutility.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace Vigil::Media::Testing {

QString ffmpegPath()
{
    return QStandardPaths::findExecutable(u"ffmpeg"_s);
}

QString ffprobePath()
{
    return QStandardPaths::findExecutable(u"ffprobe"_s);
}

Result<QByteArray> run(const QString &program, const QStringList &arguments, int timeoutMs)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForStarted())
        return fail(ErrorCode::IoError, program + u" did not start: "_s + process.errorString());
    process.closeWriteChannel();
    // QProcess keeps reading the pipes while it waits, so large outputs do not block the tool.
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return fail(ErrorCode::Timeout, program + u" timed out"_s);
    }
    const QByteArray out = process.readAllStandardOutput();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        return fail(ErrorCode::IoError, u"%1 %2 failed: %3"_s.arg(program, arguments.join(u' '),
                                                                  QString::fromUtf8(process.readAllStandardError())));
    }
    return out;
}

Result<QByteArray> runFfmpeg(const QStringList &arguments, int timeoutMs)
{
    return run(ffmpegPath(), QStringList{u"-hide_banner"_s, u"-loglevel"_s, u"error"_s, u"-nostdin"_s, u"-y"_s} + arguments,
               timeoutMs);
}

Result<QString> makeClip(const QString &path, const ClipSpec &spec)
{
    const bool hevc = spec.encoder == u"libx265";
    QStringList args{u"-f"_s, u"lavfi"_s, u"-i"_s,
                     u"testsrc2=size=%1x%2:rate=25"_s.arg(spec.width).arg(spec.height),
                     u"-frames:v"_s, QString::number(spec.frames), u"-pix_fmt"_s, spec.pixelFormat,
                     u"-c:v"_s, spec.encoder};
    if (hevc) {
        args << u"-x265-params"_s
             << u"log-level=error:keyint=%1:min-keyint=%1:scenecut=0:bframes=%2"_s.arg(spec.gop).arg(spec.bFrames);
    } else {
        args << u"-g"_s << QString::number(spec.gop) << u"-keyint_min"_s << QString::number(spec.gop)
             << u"-sc_threshold"_s << u"0"_s << u"-bf"_s << QString::number(spec.bFrames);
    }
    args << u"-preset"_s << u"veryfast"_s << spec.extraArguments << u"-f"_s << (hevc ? u"hevc"_s : u"h264"_s) << path;
    Result<QByteArray> out = runFfmpeg(args);
    if (!out)
        return std::unexpected(out.error());
    return path;
}

Result<std::vector<EncodedFrame>> readAccessUnits(const QString &path, EncodedFrame::Codec codec)
{
    Ffmpeg::InputFormatContextPtr input =
        Ffmpeg::openInput(path, codec == EncodedFrame::Codec::H265 ? "hevc" : "h264");
    if (!input)
        return fail(ErrorCode::IoError, u"cannot demux "_s + path);
    Ffmpeg::PacketPtr packet = Ffmpeg::makePacket();
    std::vector<EncodedFrame> units;
    while (av_read_frame(input.get(), packet.get()) >= 0) {
        EncodedFrame unit;
        unit.codec = codec;
        unit.data = QByteArray(reinterpret_cast<const char *>(packet->data), packet->size);
        unit.keyFrame = (packet->flags & AV_PKT_FLAG_KEY) != 0;
        unit.pts90k = qint64(units.size()) * 3600;
        units.push_back(std::move(unit));
        av_packet_unref(packet.get());
    }
    return units;
}

Result<std::vector<EncodedFrame>> readContainerVideo(const QString &path)
{
    Ffmpeg::InputFormatContextPtr input = Ffmpeg::openInput(path, nullptr);
    if (!input)
        return fail(ErrorCode::IoError, u"cannot demux "_s + path);
    const int index = av_find_best_stream(input.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (index < 0)
        return fail(ErrorCode::NotFound, u"no video in "_s + path);
    const AVStream *stream = input->streams[index];
    EncodedFrame::Codec codec = EncodedFrame::Codec::H264;
    if (stream->codecpar->codec_id == AV_CODEC_ID_HEVC)
        codec = EncodedFrame::Codec::H265;
    else if (stream->codecpar->codec_id != AV_CODEC_ID_H264)
        return fail(ErrorCode::Unsupported, u"the video of %1 is neither H.264 nor H.265"_s.arg(path));
    const auto to90k = [&](int64_t ts) {
        return ts == AV_NOPTS_VALUE ? EncodedFrame::kNoTimestamp : av_rescale_q(ts, stream->time_base, AVRational{1, 90000});
    };
    Ffmpeg::PacketPtr packet = Ffmpeg::makePacket();
    std::vector<EncodedFrame> units;
    while (av_read_frame(input.get(), packet.get()) >= 0) {
        if (packet->stream_index == index) {
            EncodedFrame unit;
            unit.codec = codec;
            unit.data = QByteArray(reinterpret_cast<const char *>(packet->data), packet->size);
            unit.keyFrame = (packet->flags & AV_PKT_FLAG_KEY) != 0;
            unit.pts90k = to90k(packet->pts);
            unit.dts90k = to90k(packet->dts);
            units.push_back(std::move(unit));
        }
        av_packet_unref(packet.get());
    }
    return units;
}

Result<QStringList> ffmpegFrameMd5s(const QString &path, const QStringList &inputArguments)
{
    Result<QByteArray> out = runFfmpeg(inputArguments + QStringList{u"-i"_s, path, u"-map"_s, u"0:v:0"_s, u"-pix_fmt"_s,
                                                                    u"yuv420p"_s, u"-f"_s, u"framemd5"_s, u"-"_s});
    if (!out)
        return std::unexpected(out.error());
    QStringList hashes;
    for (const QByteArray &line : out->split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        hashes << QString::fromLatin1(line.mid(line.lastIndexOf(',') + 1).trimmed());
    }
    return hashes;
}

QStringList readMd5File(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QStringList hashes;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (!line.trimmed().isEmpty())
            hashes << QString::fromLatin1(line.trimmed());
    }
    return hashes;
}

QString frameMd5(const VideoFrame &frame)
{
    QCryptographicHash md5(QCryptographicHash::Md5);
    for (int p = 0; p < VideoFrame::kPlaneCount; ++p) {
        for (int row = 0; row < frame.planeHeight(p); ++row) {
            md5.addData(QByteArrayView(reinterpret_cast<const char *>(frame.plane(p)) + qsizetype(row) * frame.stride(p),
                                       frame.planeWidth(p)));
        }
    }
    return QString::fromLatin1(md5.result().toHex());
}

QString sharedMediaDir()
{
    const QString dir = QStringLiteral(VIGIL_SHARED_DIR) + u"/media"_s;
    return QFileInfo(dir).isDir() ? dir : QString();
}

} // namespace Vigil::Media::Testing
