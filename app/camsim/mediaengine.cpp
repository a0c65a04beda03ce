#include "mediaengine.h"

#include "camsimlog.h"
#include "common/workerthread.h"

using namespace Qt::StringLiterals;

namespace Vigil::CamSim {

MediaEngine::MediaEngine(MediaSources sources, QObject *parent)
    : QObject(parent), m_sources(std::move(sources)), m_thread(std::make_unique<WorkerThread>(u"camsim-media"_s))
{
    m_worker = m_thread->create<MediaWorker>(m_sources);
    connect(m_worker, &MediaWorker::prepared, this, &MediaEngine::prepared);
    connect(m_worker, &MediaWorker::prepareFailed, this, [this](quint64 id, const QString &error) {
        m_live.remove(id);
        Q_EMIT prepareFailed(id, error);
    });
    connect(m_worker, &MediaWorker::ended, this, [this](quint64 id, const QString &reason, const StreamStats &stats) {
        m_live.remove(id);
        Q_EMIT ended(id, reason, stats);
    });
}

MediaEngine::~MediaEngine()
{
    disconnect(m_worker, nullptr, this, nullptr);
    MediaWorker *worker = m_worker;
    m_thread->run([worker] { worker->stopAll(); });
    m_thread->stop();
}

std::uint64_t MediaEngine::open(const StreamSpec &spec)
{
    const std::uint64_t id = m_nextId++;
    m_live.insert(id, true);
    MediaWorker *worker = m_worker;
    m_thread->post([worker, id, spec] { worker->open(id, spec); });
    return id;
}

void MediaEngine::start(std::uint64_t id)
{
    MediaWorker *worker = m_worker;
    m_thread->post([worker, id] { worker->start(id); });
}

void MediaEngine::stop(std::uint64_t id)
{
    MediaWorker *worker = m_worker;
    m_thread->post([worker, id] { worker->stop(id); });
}

// ---------------------------------------------------------------------------------------------

MediaWorker::MediaWorker(MediaSources sources) : m_sources(std::move(sources)) {}

void MediaWorker::open(quint64 id, const StreamSpec &spec)
{
    auto *streamer = new MediaStreamer(spec, m_sources.of(spec.profile), this);
    const auto port = streamer->prepare();
    if (!port) {
        delete streamer;
        Q_EMIT prepareFailed(id, port.error().message);
        return;
    }
    m_streams.insert(id, streamer);
    connect(streamer, &MediaStreamer::ended, this, [this, id](const QString &reason) { remove(id, reason); });
    Q_EMIT prepared(id, *port);
}

void MediaWorker::start(quint64 id)
{
    if (MediaStreamer *streamer = m_streams.value(id))
        streamer->start();
}

void MediaWorker::stop(quint64 id)
{
    if (MediaStreamer *streamer = m_streams.value(id)) {
        streamer->stop();
        remove(id, u"stopped"_s);
    }
}

void MediaWorker::stopAll()
{
    const QList<quint64> ids = m_streams.keys();
    for (const quint64 id : ids)
        stop(id);
}

void MediaWorker::remove(quint64 id, const QString &reason)
{
    MediaStreamer *streamer = m_streams.take(id);
    if (!streamer)
        return;
    const StreamStats stats = streamer->stats();
    qCInfo(lcCamsim).noquote() << u"%1: stream ended (%2): %3 video + %4 audio frames, %5 RTP packets, %6 dropped, "
                                  u"%7 reordered, %8 duplicated, %9 TCP corruptions"_s.arg(streamer->spec().label, reason)
                                      .arg(stats.videoFrames)
                                      .arg(stats.audioFrames)
                                      .arg(stats.packetsSent)
                                      .arg(stats.packetsDropped)
                                      .arg(stats.packetsReordered)
                                      .arg(stats.packetsDuplicated)
                                      .arg(stats.tcpCorruptions);
    streamer->disconnect(this);
    streamer->deleteLater();
    Q_EMIT ended(id, reason, stats);
}

} // namespace Vigil::CamSim
