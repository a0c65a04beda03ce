#pragma once

#include "common/gbid.h"

#include <QString>

#include <cstdint>

namespace Vigil::Gb {

/// The identity and addresses of our SIP server, as devices must be configured to reach it.
/// The defaults are the usual GB/T 28181 examples, so that a newcomer's camera settings match.
struct ServerConfig {
    DeviceId serverId = DeviceId(*GbId::parse(QByteArrayView("34020000002000000001")));
    /// SIP domain and digest realm: by convention the first 10 digits of the server ID.
    QString domain = QStringLiteral("3402000000");
    std::uint16_t sipPort = 5060;
};

} // namespace Vigil::Gb
