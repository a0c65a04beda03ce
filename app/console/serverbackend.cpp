#include "serverbackend.h"

#include <QSettings>

namespace Vigil::Console {

ServerBackend::ServerBackend(Gb::GbServer &server)
    : m_server(server)
{
}

const Devices::DeviceRegistry &ServerBackend::registry() const
{
    return m_server.registry();
}

Devices::EventLog &ServerBackend::events()
{
    return m_server.events();
}

Gb::ServerConfig ServerBackend::serverConfig() const
{
    return m_server.config();
}

QFuture<Result<int>> ServerBackend::refreshCatalog(const DeviceId &device)
{
    return m_server.refreshCatalog(device);
}

QFuture<Result<void>> ServerBackend::queryDeviceInfo(const DeviceId &device)
{
    return m_server.queryDeviceInfo(device).then([](Result<Gb::DeviceInfoResponse> result) -> Result<void> {
        if (!result)
            return std::unexpected(result.error());
        return {};
    });
}

QFuture<Result<void>> ServerBackend::ptz(const QString &channelId, const Gb::PtzCommand &command)
{
    return m_server.ptz(channelId, command);
}

QFuture<Result<void>> ServerBackend::setDeviceSettings(const DeviceId &device, const Devices::DeviceSettings &settings)
{
    return m_server.setDevice(device, settings);
}

QFuture<Result<void>> ServerBackend::removeDevice(const DeviceId &device)
{
    return m_server.removeDevice(device);
}

QFuture<Result<void>> ServerBackend::applyServerConfig(const Gb::ServerConfig &config)
{
    QSettings settings;
    config.save(settings);
    return m_server.applyConfig(config);
}

std::unique_ptr<Ui::LiveStream> ServerBackend::openStream(const QString &channelId, Devices::StreamProfile,
                                                          std::shared_ptr<Ui::LatestFrameSlot>)
{
    auto stream = std::make_unique<Ui::LiveStream>(channelId);
    stream->setState(Ui::LiveStream::State::Failed,
                     tr("Live video is not available in this build yet; device management and PTZ work."));
    return stream;
}

} // namespace Vigil::Console
