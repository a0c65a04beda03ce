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

QFuture<Result<StreamId>> GbServer::openStream(const QString &channelId, StreamOptions options)
{
    auto promise = newPromise<Result<StreamId>>();
    if (!m_running) {
        settle(promise, Result<StreamId>(std::unexpected(notRunning())));
        return promise->future();
    }
    GbService *service = m_service;
    m_threads->signalling.post([service, channelId, options = std::move(options), promise]() mutable {
        settle(promise, service->media().open(channelId, std::move(options)));
    });
    return promise->future();
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
    auto promise = newPromise<std::optional<StreamStatus>>();
    if (!m_running) {
        settle(promise, std::optional<StreamStatus>());
        return promise->future();
    }
    GbService *service = m_service;
    m_threads->signalling.post([service, id, promise] { settle(promise, service->media().status(id)); });
    return promise->future();
}

QFuture<QList<StreamStatus>> GbServer::streams()
{
    auto promise = newPromise<QList<StreamStatus>>();
    if (!m_running) {
        settle(promise, QList<StreamStatus>());
        return promise->future();
    }
    GbService *service = m_service;
    m_threads->signalling.post([service, promise] { settle(promise, service->media().streams()); });
    return promise->future();
}

QFuture<Result<Media::VideoFrame>> GbServer::latestFrame(StreamId id)
{
    auto promise = newPromise<Result<Media::VideoFrame>>();
    if (!m_running) {
        settle(promise, Result<Media::VideoFrame>(std::unexpected(notRunning())));
        return promise->future();
    }
    GbService *service = m_service;
    m_threads->signalling.post([service, id, promise] { settle(promise, service->media().latestFrame(id)); });
    return promise->future();
}

QFuture<Result<int>> GbServer::refreshCatalog(const DeviceId &device)
{
    auto promise = newPromise<Result<int>>();
    if (!m_running) {
        settle(promise, Result<int>(std::unexpected(notRunning())));
        return promise->future();
    }
    GbService *service = m_service;
    m_threads->signalling.post([service, device, promise] {
        service->refreshCatalog(device, [promise](Result<int> result) { settle(promise, std::move(result)); });
    });
    return promise->future();
}

QFuture<Result<DeviceInfoResponse>> GbServer::queryDeviceInfo(const DeviceId &device)
{
    auto promise = newPromise<Result<DeviceInfoResponse>>();
    if (!m_running) {
        settle(promise, Result<DeviceInfoResponse>(std::unexpected(notRunning())));
        return promise->future();
    }
    GbService *service = m_service;
    m_threads->signalling.post([service, device, promise] {
        service->queryDeviceInfo(device, [promise](Result<DeviceInfoResponse> r) { settle(promise, std::move(r)); });
    });
    return promise->future();
}

QFuture<Result<DeviceStatusResponse>> GbServer::queryDeviceStatus(const DeviceId &device)
{
    auto promise = newPromise<Result<DeviceStatusResponse>>();
    if (!m_running) {
        settle(promise, Result<DeviceStatusResponse>(std::unexpected(notRunning())));
        return promise->future();
    }
    GbService *service = m_service;
    m_threads->signalling.post([service, device, promise] {
        service->queryDeviceStatus(device, [promise](Result<DeviceStatusResponse> r) { settle(promise, std::move(r)); });
    });
    return promise->future();
}

QFuture<Result<void>> GbServer::ptz(const QString &channelId, const PtzCommand &command)
{
    auto promise = newPromise<Result<void>>();
    if (!m_running) {
        settle(promise, Result<void>(std::unexpected(notRunning())));
        return promise->future();
    }
    GbService *service = m_service;
    m_threads->signalling.post([service, channelId, command, promise] {
        service->sendPtz(channelId, command, [promise](Result<void> r) { settle(promise, std::move(r)); });
    });
    return promise->future();
}

QFuture<Result<void>> GbServer::setDevice(const DeviceId &device, const Devices::DeviceSettings &settings)
{
    auto promise = newPromise<Result<void>>();
    if (!m_running) {
        settle(promise, Result<void>(std::unexpected(notRunning())));
        return promise->future();
    }
    GbService *service = m_service;
    m_threads->signalling.post([service, device, settings, promise] {
        service->setDevice(device, settings);
        settle(promise, Result<void>());
    });
    return promise->future();
}

QFuture<Result<void>> GbServer::removeDevice(const DeviceId &device)
{
    auto promise = newPromise<Result<void>>();
    if (!m_running) {
        settle(promise, Result<void>(std::unexpected(notRunning())));
        return promise->future();
    }
    GbService *service = m_service;
    m_threads->signalling.post([service, device, promise] {
        service->removeDevice(device);
        settle(promise, Result<void>());
    });
    return promise->future();
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
    auto promise = newPromise<GbServiceStats>();
    if (!m_running) {
        settle(promise, GbServiceStats{});
        return promise->future();
    }
    GbService *service = m_service;
    m_threads->signalling.post([service, promise] { settle(promise, service->stats()); });
    return promise->future();
}

} // namespace Vigil::Gb
