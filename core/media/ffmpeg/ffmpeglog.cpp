#include "ffmpeglog.h"

#include "common/logging.h"

extern "C" {
#include <libavutil/log.h>
}

#include <QByteArray>

#include <cstdarg>

namespace Vigil::Media::Ffmpeg {

namespace {

void logCallback(void *avClass, int level, const char *format, va_list args)
{
    const bool fatal = level <= AV_LOG_FATAL;
    if (level > AV_LOG_WARNING || (!fatal && !lcMedia().isDebugEnabled()))
        return;
    // FFmpeg writes a line in several calls; the prefix flag and the pending text are per thread
    // because codec threads log concurrently.
    thread_local int printPrefix = 1;
    thread_local QByteArray pending;
    char line[1024];
    av_log_format_line2(avClass, level, format, args, line, sizeof line, &printPrefix);
    pending += line;
    constexpr qsizetype kMaxLineBytes = 4096;
    if (!pending.endsWith('\n') && pending.size() < kMaxLineBytes)
        return;
    if (pending.endsWith('\n'))
        pending.chop(1);
    if (fatal)
        qCWarning(lcMedia, "ffmpeg: %s", pending.constData());
    else
        qCDebug(lcMedia, "ffmpeg: %s", pending.constData());
    pending.clear();
}

} // namespace

void installLogHandler()
{
    av_log_set_callback(logCallback);
}

} // namespace Vigil::Media::Ffmpeg
