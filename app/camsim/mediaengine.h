#pragma once

#include "mediastreamer.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>

namespace Vigil {
class WorkerThread;
}

namespace Vigil::CamSim {

class MediaWorker;

/// The streams of a simulator, run on their own media thread so that pacing and muxing never
/// wait for signalling, and signalling never waits for them: every call returns at once and
/// results come back as signals (queued onto the engine's thread).
///
/// open() prepares a stream (binds its socket) and reports prepared() with the local port for
/// the SDP answer, or prepareFailed(); start() begins sending; stop() ends a stream. ended()
/// follows every stream exactly once, whether it ended by itself or by stop(), with its stats.
/// Each stream plays the source of its StreamSpec::profile.
///
/// Lives on the signalling thread. One media thread carries all streams: muxing a frame
/// takes microseconds, so a core keeps hundreds of 2 Mbit/s streams going.
class MediaEngine : public QObject {
    Q_OBJECT

public:
    explicit MediaEngine(MediaSources sources, QObject *parent = nullptr);
    ~MediaEngine() override;

    const MediaSources &sources() const noexcept { return m_sources; }

    /// Starts preparing a stream; the id names it in every later call and signal.
    std::uint64_t open(const StreamSpec &spec);
    void start(std::uint64_t id);
    void stop(std::uint64_t id);
    /// Streams opened and not yet ended.
    int streamCount() const noexcept { return int(m_live.size()); }

Q_SIGNALS:
    void prepared(quint64 id, quint16 localPort);
    void prepareFailed(quint64 id, const QString &error);
    void ended(quint64 id, const QString &reason, const Vigil::CamSim::StreamStats &stats);

private:
    MediaSources m_sources;
    std::unique_ptr<WorkerThread> m_thread;
    MediaWorker *m_worker = nullptr; ///< lives on m_thread
    QHash<std::uint64_t, bool> m_live;
    std::uint64_t m_nextId = 1;
};

/// The media thread's side of MediaEngine: owns the MediaStreamers. Internal.
class MediaWorker : public QObject {
    Q_OBJECT

public:
    explicit MediaWorker(MediaSources sources);

    void open(quint64 id, const StreamSpec &spec);
    void start(quint64 id);
    void stop(quint64 id);
    void stopAll();

Q_SIGNALS:
    void prepared(quint64 id, quint16 localPort);
    void prepareFailed(quint64 id, const QString &error);
    void ended(quint64 id, const QString &reason, const Vigil::CamSim::StreamStats &stats);

private:
    void remove(quint64 id, const QString &reason);

    MediaSources m_sources;
    QHash<quint64, MediaStreamer *> m_streams; ///< children of this
};

} // namespace Vigil::CamSim
