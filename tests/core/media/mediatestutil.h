#pragma once

// Small test-side helpers for the RTP/PS tests: an RTP packet writer, a PS packetiser, readers
// for the capture formats in shared/media, the ffmpeg command line, and a simple access-unit
// count. Written independently of the code under test.

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace MediaTest {

struct RtpFields {
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::uint32_t ssrc = 0x0BEBC201;
    std::uint8_t payloadType = 96;
    bool marker = false;
    QList<std::uint32_t> csrcs;
    std::optional<std::uint16_t> extensionProfile; ///< adds an extension when set
    QByteArray extension;                          ///< a multiple of 4 bytes
    int padding = 0;                               ///< padding bytes, count byte included
};

inline void appendU16(QByteArray &out, std::uint32_t value)
{
    out.append(char((value >> 8) & 0xFF));
    out.append(char(value & 0xFF));
}

inline void appendU32(QByteArray &out, std::uint32_t value)
{
    appendU16(out, value >> 16);
    appendU16(out, value & 0xFFFF);
}

inline QByteArray makeRtp(const RtpFields &fields, const QByteArray &payload)
{
    QByteArray out;
    out.append(char(0x80 | (fields.padding > 0 ? 0x20 : 0) | (fields.extensionProfile ? 0x10 : 0)
                     | int(fields.csrcs.size())));
    out.append(char((fields.marker ? 0x80 : 0) | fields.payloadType));
    appendU16(out, fields.sequence);
    appendU32(out, fields.timestamp);
    appendU32(out, fields.ssrc);
    for (std::uint32_t csrc : fields.csrcs)
        appendU32(out, csrc);
    if (fields.extensionProfile) {
        appendU16(out, *fields.extensionProfile);
        appendU16(out, std::uint32_t(fields.extension.size() / 4));
        out.append(fields.extension);
    }
    out.append(payload);
    if (fields.padding > 0) {
        out.append(QByteArray(fields.padding - 1, '\0'));
        out.append(char(fields.padding));
    }
    return out;
}

/// Cuts a byte stream into RTP packets of at most `maxPayload` payload bytes, as a device would.
inline QList<QByteArray> packetize(const QByteArray &stream, std::uint32_t ssrc, std::uint16_t firstSequence,
                                   qsizetype maxPayload = 1400)
{
    QList<QByteArray> packets;
    RtpFields fields;
    fields.ssrc = ssrc;
    fields.sequence = firstSequence;
    for (qsizetype pos = 0; pos < stream.size(); pos += maxPayload) {
        fields.timestamp = std::uint32_t(pos / 10000 * 3600);
        fields.marker = pos + maxPayload >= stream.size();
        packets.append(makeRtp(fields, stream.mid(pos, maxPayload)));
        ++fields.sequence;
    }
    return packets;
}

/// Reads a shared/media ".rtp-udp" capture: repeated [4-byte big-endian length][packet].
inline QList<QByteArray> readRtpUdp(const QString &path)
{
    QList<QByteArray> packets;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return packets;
    const QByteArray all = file.readAll();
    qsizetype pos = 0;
    while (pos + 4 <= all.size()) {
        const auto length = qsizetype((std::uint8_t(all[pos]) << 24) | (std::uint8_t(all[pos + 1]) << 16)
                                      | (std::uint8_t(all[pos + 2]) << 8) | std::uint8_t(all[pos + 3]));
        pos += 4;
        if (length > all.size() - pos)
            break;
        packets.append(all.mid(pos, length));
        pos += length;
    }
    return packets;
}

inline QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

inline bool haveFfmpeg()
{
    return !QStandardPaths::findExecutable(QStringLiteral("ffmpeg")).isEmpty();
}

/// Runs ffmpeg with `arguments` (after -hide_banner -loglevel error -nostdin) and returns its
/// standard output, or nothing when it failed; `error` gets its standard error.
inline std::optional<QByteArray> runFfmpeg(const QStringList &arguments, QString *error = nullptr,
                                           const QString &program = QStringLiteral("ffmpeg"))
{
    QProcess process;
    QStringList all{QStringLiteral("-hide_banner"), QStringLiteral("-loglevel"), QStringLiteral("error")};
    if (program == QStringLiteral("ffmpeg"))
        all << QStringLiteral("-nostdin");
    all << arguments;
    process.start(program, all);
    if (!process.waitForStarted(10000))
        return std::nullopt;
    QByteArray out;
    while (!process.waitForFinished(100))
        out += process.readAllStandardOutput();
    out += process.readAllStandardOutput();
    if (error)
        *error = QString::fromLocal8Bit(process.readAllStandardError());
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return std::nullopt;
    return out;
}

/// The video elementary stream of a file as `ffmpeg -c copy` extracts it ("h264" or "hevc").
inline std::optional<QByteArray> ffmpegExtractVideo(const QString &path, const QString &format,
                                                    const QStringList &inputOptions = {})
{
    QStringList arguments = inputOptions;
    arguments << QStringLiteral("-i") << path << QStringLiteral("-map") << QStringLiteral("0:v:0")
              << QStringLiteral("-c") << QStringLiteral("copy") << QStringLiteral("-f") << format
              << QStringLiteral("-");
    return runFfmpeg(arguments);
}

enum class Codec { H264, H265 };

/// Counts access units in an Annex-B stream the simple way: slices that start a picture
/// (first_mb_in_slice == 0 for H.264, first_slice_segment_in_pic_flag for H.265).
inline int countAccessUnits(const QByteArray &es, Codec codec)
{
    int count = 0;
    const qsizetype size = es.size();
    for (qsizetype i = 0; i + 4 < size; ++i) {
        if (es[i] != 0 || es[i + 1] != 0 || es[i + 2] != 1)
            continue;
        const auto h0 = std::uint8_t(es[i + 3]);
        if (codec == Codec::H264) {
            const int type = h0 & 0x1F;
            if ((type == 1 || type == 5) && (std::uint8_t(es[i + 4]) & 0x80))
                ++count;
        } else if (i + 5 < size) {
            const int type = (h0 >> 1) & 0x3F;
            if (type <= 31 && (std::uint8_t(es[i + 5]) & 0x80))
                ++count;
        }
        i += 2;
    }
    return count;
}

} // namespace MediaTest
