#pragma once

#include <QAbstractSocket>
#include <QHostAddress>
#include <QString>

#include <cstdint>

namespace Vigil::Transport {

/// What openSharedPortSocket() makes.
enum class SharedSocketType : std::uint8_t { Udp, TcpListener };

/// A bound (UDP) or listening (TCP) socket descriptor, or why there is none.
struct SharedPortSocket {
    qintptr descriptor = -1;
    QAbstractSocket::SocketError error = QAbstractSocket::UnknownSocketError;
    QString errorText; ///< the system's words for `error`
};

/// True where several sockets, one per thread, can bind the same port and have the kernel
/// spread the traffic between them (Linux SO_REUSEPORT). Elsewhere, use one socket.
bool canSharePort() noexcept;

/// Opens a non-blocking socket with SO_REUSEPORT bound to `address`:`port` (listening, for TCP),
/// for QUdpSocket/QTcpServer::setSocketDescriptor(), which then own it. QHostAddress::Any is
/// dual-stack. Only sockets of the same user share a port; anything else bound there makes this
/// fail with AddressInUseError.
SharedPortSocket openSharedPortSocket(SharedSocketType type, const QHostAddress &address, std::uint16_t port);

} // namespace Vigil::Transport
