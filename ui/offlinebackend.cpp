#include "offlinebackend.h"

#include "devices/deviceregistry.h"
#include "devices/eventlog.h"

#include <QSettings>

namespace Vigil::Ui {

namespace {

template <typename T>
QFuture<Result<T>> failed(const Error &error)
{
    return QtFuture::makeReadyFuture(Result<T>(std::unexpected(error)));
}

} // namespace

OfflineBackend::OfflineBackend(QString reason)
    : m_reason(std::move(reason))
    , m_registry(std::make_unique<Devices::DeviceRegistry>())
    , m_events(std::make_unique<Devices::EventLog>())
{
    QSettings settings;
    Gb::ServerConfig loaded;
    if (loaded.load(settings))
        m_config = loaded;
}

OfflineBackend::~OfflineBackend() = default;

Error OfflineBackend::error() const
{
    return Error{ErrorCode::Unsupported,
                 m_reason.isEmpty() ? tr("The GB/T 28181 server is not running; restart Vigil.") : m_reason};
}

const Devices::DeviceRegistry &OfflineBackend::registry() const
{
    return *m_registry;
}

Devices::EventLog &OfflineBackend::events()
{
    return *m_events;
}

Gb::ServerConfig OfflineBackend::serverConfig() const
{
    return m_config;
}

QFuture<Result<int>> OfflineBackend::refreshCatalog(const DeviceId &)
{
    return failed<int>(error());
}

QFuture<Result<void>> OfflineBackend::queryDeviceInfo(const DeviceId &)
{
    return failed<void>(error());
}

QFuture<Result<void>> OfflineBackend::ptz(const QString &, const Gb::PtzCommand &)
{
    return failed<void>(error());
}

QFuture<Result<void>> OfflineBackend::setDeviceSettings(const DeviceId &, const Devices::DeviceSettings &)
{
    return failed<void>(error());
}

QFuture<Result<void>> OfflineBackend::removeDevice(const DeviceId &)
{
    return failed<void>(error());
}

QFuture<Result<void>> OfflineBackend::applyServerConfig(const Gb::ServerConfig &config)
{
    QSettings settings;
    config.save(settings);
    m_config = config;
    return QtFuture::makeReadyFuture(Result<void>());
}

std::unique_ptr<LiveStream> OfflineBackend::openStream(const QString &channelId, Devices::StreamProfile,
                                                       std::shared_ptr<LatestFrameSlot>)
{
    auto stream = std::make_unique<LiveStream>(channelId);
    stream->setState(LiveStream::State::Failed, error().message);
    return stream;
}

} // namespace Vigil::Ui
