#include "localaddresses.h"

#include <QHostAddress>
#include <QNetworkInterface>

namespace Vigil::Ui {

QStringList localIpv4Addresses()
{
    QStringList result;
    const auto addresses = QNetworkInterface::allAddresses();
    for (const QHostAddress &address : addresses) {
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback())
            result.append(address.toString());
    }
    return result;
}

} // namespace Vigil::Ui
