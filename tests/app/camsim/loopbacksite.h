#pragma once

// Settings for a server and simulated cameras that talk over loopback, shared by the tests
// that play live video end to end.

#include "camsimconfig.h"
#include "gb28181/gbserver.h"

#include <QString>

namespace Vigil::CamSim::Test {

/// A server on a free SIP port of 127.0.0.1, receiving media there on `portCount` ports from
/// `firstMediaPort` (tests running at once use ranges of their own).
inline Gb::GbServer::Options loopbackServer(const QString &dataDir, std::uint16_t firstMediaPort, int portCount = 200)
{
    Gb::GbServer::Options options;
    options.dataDir = dataDir;
    options.config.sipBindAddress = QHostAddress::LocalHost;
    options.config.sipPort = 0;
    options.config.mediaAddress = QHostAddress::LocalHost;
    options.config.mediaPortMin = firstMediaPort;
    options.config.mediaPortMax = std::uint16_t(firstMediaPort + portCount - 1);
    return options;
}

/// One simulated IPC on 127.0.0.1 registering to `sipPort` over UDP.
inline SimulatorConfig loopbackIpc(std::uint16_t sipPort)
{
    SimulatorConfig config;
    config.server.address = QHostAddress::LocalHost;
    config.server.port = sipPort;
    config.bindAddress = QHostAddress::LocalHost;
    config.kind = DeviceKind::Ipc;
    return config;
}

} // namespace Vigil::CamSim::Test
