#pragma once

namespace Vigil::Media::Ffmpeg {

/// Sends FFmpeg's own log (av_log) to the vigil.media category instead of stderr. FFmpeg's
/// per-frame complaints about damaged input ("concealing 120 DC, 120 AC, 120 MV errors") become
/// debug messages and only fatal ones warnings: with sixteen lossy streams they would otherwise
/// flood the console, and the decoders log a summary of their own. Process-wide; call once at
/// start-up before any decoder runs. Thread-safe: FFmpeg logs from its codec threads.
void installLogHandler();

} // namespace Vigil::Media::Ffmpeg
