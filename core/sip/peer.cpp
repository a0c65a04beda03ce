#include "peer.h"

namespace Vigil::Sip {

QString Peer::hostPort() const
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
        ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
        : address.toString();
    return host + QLatin1Char(':') + QString::number(port);
}

QString Peer::toString() const
{
    return (transport == TransportKind::Udp ? QStringLiteral("udp:") : QStringLiteral("tcp:")) + hostPort();
}

} // namespace Vigil::Sip
