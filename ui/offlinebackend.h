#pragma once

#include "consolebackend.h"

#include <memory>

namespace Vigil::Ui {

/// A backend with no server behind it: an empty registry and event log, the configuration
/// from the settings file, and every action failing with a message that says why. What the
/// console runs on when the server cannot start, and what MainWindow uses when it is given no
/// backend. GUI thread.
class OfflineBackend : public ConsoleBackend {
    Q_DECLARE_TR_FUNCTIONS(Vigil::Ui::OfflineBackend)

public:
    /// `reason`: what operators read when they try something ("The SIP port 5060 is taken...").
    explicit OfflineBackend(QString reason = {});
    ~OfflineBackend() override;

    const Devices::DeviceRegistry &registry() const override;
    Devices::EventLog &events() override;
    Gb::ServerConfig serverConfig() const override;
    QFuture<Result<int>> refreshCatalog(const DeviceId &device) override;
    QFuture<Result<void>> queryDeviceInfo(const DeviceId &device) override;
    QFuture<Result<void>> ptz(const QString &channelId, const Gb::PtzCommand &command) override;
    QFuture<Result<void>> setDeviceSettings(const DeviceId &device, const Devices::DeviceSettings &settings) override;
    QFuture<Result<void>> removeDevice(const DeviceId &device) override;
    /// Saves the configuration to the settings file (there is no server to restart).
    QFuture<Result<void>> applyServerConfig(const Gb::ServerConfig &config) override;
    std::unique_ptr<LiveStream> openStream(const QString &channelId, Devices::StreamProfile profile,
                                           std::shared_ptr<LatestFrameSlot> frames) override;

private:
    Error error() const;

    QString m_reason;
    std::unique_ptr<Devices::DeviceRegistry> m_registry;
    std::unique_ptr<Devices::EventLog> m_events;
    Gb::ServerConfig m_config;
};

} // namespace Vigil::Ui
