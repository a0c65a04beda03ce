#include "sharedportsocket.h"

#ifdef Q_OS_LINUX
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace Vigil::Transport {

#ifdef Q_OS_LINUX

bool canSharePort() noexcept
{
    return true;
}

SharedPortSocket openSharedPortSocket(SharedSocketType type, const QHostAddress &address, std::uint16_t port)
{
    const auto failure = [](int code, int descriptor) {
        if (descriptor >= 0)
            ::close(descriptor);
        SharedPortSocket result;
        switch (code) {
        case EADDRINUSE: result.error = QAbstractSocket::AddressInUseError; break;
        case EACCES:
        case EPERM: result.error = QAbstractSocket::SocketAccessError; break;
        case EADDRNOTAVAIL: result.error = QAbstractSocket::SocketAddressNotAvailableError; break;
        default: result.error = QAbstractSocket::UnknownSocketError; break;
        }
        result.errorText = qt_error_string(code);
        return result;
    };

    const bool ipv6 = address.protocol() != QAbstractSocket::IPv4Protocol;
    const int kind = (type == SharedSocketType::Udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC;
    const int fd = ::socket(ipv6 ? AF_INET6 : AF_INET, kind, 0);
    if (fd < 0)
        return failure(errno, -1);

    const int one = 1;
    // SO_REUSEADDR only for TCP (TIME_WAIT); on UDP it would let unrelated programs share the port.
    if ((type == SharedSocketType::TcpListener && ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
        || ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0)
        return failure(errno, fd);

    sockaddr_storage storage{};
    socklen_t length = 0;
    if (ipv6) {
        const int v6only = address == QHostAddress(QHostAddress::Any) ? 0 : 1;
        if (::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only) != 0)
            return failure(errno, fd);
        auto *sa = reinterpret_cast<sockaddr_in6 *>(&storage);
        sa->sin6_family = AF_INET6;
        sa->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        std::memcpy(&sa->sin6_addr, &bytes, sizeof bytes);
        length = sizeof(sockaddr_in6);
    } else {
        auto *sa = reinterpret_cast<sockaddr_in *>(&storage);
        sa->sin_family = AF_INET;
        sa->sin_port = htons(port);
        sa->sin_addr.s_addr = htonl(address.toIPv4Address());
        length = sizeof(sockaddr_in);
    }
    if (::bind(fd, reinterpret_cast<sockaddr *>(&storage), length) != 0)
        return failure(errno, fd);
    if (type == SharedSocketType::TcpListener && ::listen(fd, SOMAXCONN) != 0)
        return failure(errno, fd);
    return SharedPortSocket{fd, QAbstractSocket::UnknownSocketError, {}};
}

#else

bool canSharePort() noexcept
{
    return false;
}

SharedPortSocket openSharedPortSocket(SharedSocketType, const QHostAddress &, std::uint16_t)
{
    return SharedPortSocket{-1, QAbstractSocket::UnsupportedSocketOperationError,
                            QStringLiteral("SO_REUSEPORT load sharing is only available on Linux")};
}

#endif

} // namespace Vigil::Transport
