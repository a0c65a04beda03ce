#include "gbserver.h"

#include "common/logging.h"
#include "common/workerthread.h"
#include "gb28181/gbservice.h"
#include "gb28181/mediasessions.h"
#include "storage/database.h"
#include "storage/storagewriter.h"

#include <QDir>
#include <QPointer>
#include <QPromise>

using namespace Qt::StringLiterals;

namespace Vigil::Gb {

namespace {

constexpr int kEventsRestored = 10000;

/// A promise shared between the caller's future and a callback on another thread.
template <typename T>
std::shared_ptr<QPromise<T>> newPromise()
{
    auto promise = std::make_shared<QPromise<T>>();
    promise->start();
    return promise;
}

template <typename T>
void settle(const std::shared_ptr<QPromise<T>> &promise, T value)
{
    promise->addResult(std::move(value));
    promise->finish();
}

Error notRunning()
{
    return Error{ErrorCode::Internal, GbServer::tr("The GB/T 28181 server is not running.")};
}

} // namespace

/// The two worker threads and what lives on them besides the service.
class GbServer::Threads {
public:
    WorkerThread signalling{u"vigil-sip"_s};
    WorkerThread storage{u"vigil-storage"_s};
    Storage::StorageWriter *writer = nullptr;   ///< on the storage thread
    Storage::Persister *persister = nullptr;    ///< on the signalling thread
};

GbServer::GbServer(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_events(std::make_unique<Devices::EventLog>())
{
}

GbServer::~GbServer()
{
    stop();
}

const Devices::DeviceRegistry &GbServer::registry() const
{
    Q_ASSERT(m_registry);
    return *m_registry;
}

Devices::EventLog &GbServer::events()
{
    return *m_events;
}

Result<void> GbServer::start()
{
    if (m_running)
        return {};
    if (auto ok = m_options.config.validate(); !ok)
        return ok;
    const QString dataDir = m_options.dataDir.isEmpty() ? QDir::currentPath() : m_options.dataDir;
    const QString dbPath = QDir(dataDir).filePath(u"vigil.db"_s);

    // Read everything back before any device can talk to us.
    Storage::Database::Snapshot snapshot;
    {
        auto db = Storage::Database::open(dbPath);
        if (!db)
            return std::unexpected(db.error());
        auto loaded = (*db)->load();
        if (!loaded)
            return std::unexpected(loaded.error());
        snapshot = std::move(*loaded);
        if (auto events = (*db)->loadEvents(kEventsRestored))
            m_events->restore(*events);
    }

    m_threads = std::make_unique<Threads>();
    m_threads->writer = m_threads->storage.create<Storage::StorageWriter>(dbPath);
    Storage::StorageWriter *writer = m_threads->writer;
    if (auto opened = m_threads->storage.run([writer] { return writer->open(); }); !opened) {
        m_threads.reset();
        return opened;
    }

    m_registry = m_threads->signalling.create<Devices::DeviceRegistry>();
    Devices::DeviceRegistry *registry = m_registry;
    m_threads->signalling.run([registry, &snapshot] { registry->restore(snapshot.devices, snapshot.channels); });
    m_service = m_threads->signalling.create<GbService>(m_options.config, *m_registry, *m_events);
    WorkerThread *storageThread = &m_threads->storage;
    m_threads->persister = m_threads->signalling.create<Storage::Persister>(
        *m_registry, *m_events, writer, [storageThread](std::function<void()> work) { storageThread->post(std::move(work)); });

    GbService *service = m_service;
    // Direct: emitted on the signalling thread, delivered to receivers by their own connections.
    connect(&service->media(), &MediaSessions::statusChanged, this, &GbServer::streamStatusChanged,
            Qt::DirectConnection);
    Storage::Persister *persister = m_threads->persister;
    const auto started = m_threads->signalling.run([service, persister]() -> Result<void> {
        persister->start();
        return service->start();
    });
    if (!started) {
        stop();
        return started;
    }
    m_sipPort = m_threads->signalling.run([service] { return service->sipPort(); });
    m_running = true;
    qCInfo(lcGb) << "server started:" << snapshot.devices.size() << "devices from" << QDir::toNativeSeparators(dbPath);
    return {};
}

void GbServer::stop()
{
    if (!m_threads)
        return;
    if (m_threads->signalling.isRunning()) {
        GbService *service = m_service;
        Storage::Persister *persister = m_threads->persister;
        m_threads->signalling.run([service, persister] {
            if (service)
                service->stop();
            if (persister)
                persister->flushAll(); // queued on the storage thread before the stop below
        });
    }
    // Stopping the storage thread runs everything already posted to it first.
    m_threads->storage.run([] {});
    m_threads->signalling.stop();
    m_threads->storage.stop();
    m_threads.reset();
    m_service = nullptr;
    m_registry = nullptr;
    m_running = false;
}

template <typename T, typename Work>
QFuture<T> GbServer::onService(T whenStopped, Work work)
{
    auto promise = newPromise<T>();
    if (!m_running) {
        settle(promise, std::move(whenStopped));
        return promise->future();
    }
    GbService *service = m_service;
    m_threads->signalling.post([service, promise, work = std::move(work)]() mutable {
        work(*service, [promise](T value) { settle(promise, std::move(value)); });
    });
    return promise->future();
}

namespace {

template <typename T>
Result<T> stopped()
{
    return std::unexpected(notRunning());
}

} // namespace

QFuture<Result<StreamId>> GbServer::openStream(const QString &channelId, StreamOptions options)
{
    return onService(stopped<StreamId>(), [channelId, options = std::move(options)](GbService &service, auto done) mutable {
        done(service.media().open(channelId, std::move(options)));
    });
}

void GbServer::closeStream(StreamId id)
{
    if (!m_running)
        return;
    GbService *service = m_service;
    m_threads->signalling.post([service, id] { service->media().close(id); });
}

QFuture<std::optional<StreamStatus>> GbServer::streamStatus(StreamId id)
{
    return onService(std::optional<StreamStatus>(), [id](GbService &service, auto done) { done(service.media().status(id)); });
}

QFuture<QList<StreamStatus>> GbServer::streams()
{
    return onService(QList<StreamStatus>(), [](GbService &service, auto done) { done(service.media().streams()); });
}

QFuture<Result<Media::VideoFrame>> GbServer::latestFrame(StreamId id)
{
    return onService(stopped<Media::VideoFrame>(),
                     [id](GbService &service, auto done) { done(service.media().latestFrame(id)); });
}

QFuture<Result<int>> GbServer::refreshCatalog(const DeviceId &device)
{
    return onService(stopped<int>(), [device](GbService &service, auto done) { service.refreshCatalog(device, done); });
}

QFuture<Result<DeviceInfoResponse>> GbServer::queryDeviceInfo(const DeviceId &device)
{
    return onService(stopped<DeviceInfoResponse>(),
                     [device](GbService &service, auto done) { service.queryDeviceInfo(device, done); });
}

QFuture<Result<DeviceStatusResponse>> GbServer::queryDeviceStatus(const DeviceId &device)
{
    return onService(stopped<DeviceStatusResponse>(),
                     [device](GbService &service, auto done) { service.queryDeviceStatus(device, done); });
}

QFuture<Result<void>> GbServer::ptz(const QString &channelId, const PtzCommand &command)
{
    return onService(stopped<void>(),
                     [channelId, command](GbService &service, auto done) { service.sendPtz(channelId, command, done); });
}

QFuture<Result<void>> GbServer::setDevice(const DeviceId &device, const Devices::DeviceSettings &settings)
{
    return onService(stopped<void>(), [device, settings](GbService &service, auto done) {
        service.setDevice(device, settings);
        done(Result<void>());
    });
}

QFuture<Result<void>> GbServer::removeDevice(const DeviceId &device)
{
    return onService(stopped<void>(), [device](GbService &service, auto done) {
        service.removeDevice(device);
        done(Result<void>());
    });
}

QFuture<Result<void>> GbServer::applyConfig(const ServerConfig &config)
{
    auto promise = newPromise<Result<void>>();
    if (!m_running) {
        m_options.config = config;
        settle(promise, Result<void>());
        return promise->future();
    }
    GbService *service = m_service;
    QPointer<GbServer> self(this);
    m_threads->signalling.post([service, config, promise, self] {
        auto result = service->reconfigure(config);
        const std::uint16_t port = service->sipPort();
        if (result && self) {
            QMetaObject::invokeMethod(self, [self, config, port] {
                if (self) {
                    self->m_options.config = config;
                    self->m_sipPort = port;
                }
            });
        }
        settle(promise, std::move(result));
    });
    return promise->future();
}

QFuture<GbServiceStats> GbServer::stats()
{
    return onService(GbServiceStats{}, [](GbService &service, auto done) { done(service.stats()); });
}

} // namespace Vigil::Gb
