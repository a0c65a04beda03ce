#pragma once

#include "consolebackend.h"
#include "gb28181/gbserver.h"

#include <QCoreApplication>

namespace Vigil::Console {

/// The console's ConsoleBackend over the embedded GB/T 28181 server: the registrar and its
/// queries run on GbServer's threads; this class only forwards and adapts. GUI thread.
class ServerBackend final : public Ui::ConsoleBackend {
    Q_DECLARE_TR_FUNCTIONS(Vigil::Console::ServerBackend)

public:
    explicit ServerBackend(Gb::GbServer &server);

    const Devices::DeviceRegistry &registry() const override;
    Devices::EventLog &events() override;
    Gb::ServerConfig serverConfig() const override;
    QFuture<Result<int>> refreshCatalog(const DeviceId &device) override;
    QFuture<Result<void>> queryDeviceInfo(const DeviceId &device) override;
    QFuture<Result<void>> ptz(const QString &channelId, const Gb::PtzCommand &command) override;
    QFuture<Result<void>> setDeviceSettings(const DeviceId &device, const Devices::DeviceSettings &settings) override;
    QFuture<Result<void>> removeDevice(const DeviceId &device) override;
    QFuture<Result<void>> applyServerConfig(const Gb::ServerConfig &config) override;
    std::unique_ptr<Ui::LiveStream> openStream(const QString &channelId, Devices::StreamProfile profile,
                                               std::shared_ptr<Ui::LatestFrameSlot> frames) override;

private:
    struct StreamLink;
    Gb::GbServer &m_server;
};

} // namespace Vigil::Console
