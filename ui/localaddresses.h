#pragma once

#include <QStringList>

namespace Vigil::Ui {

/// This machine's non-loopback IPv4 addresses: what an installer types into a camera.
QStringList localIpv4Addresses();

} // namespace Vigil::Ui
