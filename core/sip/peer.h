#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QString>

#include <cstdint>

namespace Vigil::Sip {

/// The transport a SIP message travelled over.
enum class TransportKind : std::uint8_t { Udp, Tcp };

/// The other end of a SIP exchange as our socket saw it: source address and port (after NAT),
/// transport and, for TCP, the connection. Responses and every later request to the same
/// device go back to exactly this, never to the Via or Contact host (GB/T 28181 behind NAT).
struct Peer {
    QHostAddress address;
    std::uint16_t port = 0;
    TransportKind transport = TransportKind::Udp;
    /// The TCP connection the traffic came on; 0 for UDP, or for a TCP peer we have not
    /// connected to yet (sending then opens a connection).
    std::uint64_t connectionId = 0;
    /// Which of our local sockets it arrived on (several when binding several addresses or
    /// using SO_REUSEPORT); replies leave through the same one.
    std::uint16_t localSocket = 0;

    /// "udp:198.51.100.23:40122" (IPv6 in brackets); for logs.
    QString toString() const;
    /// "198.51.100.23:40122" (IPv6 in brackets).
    QString hostPort() const;

    friend bool operator==(const Peer &, const Peer &) = default;
};

/// What the transaction layer needs from the transport: a way to send, and our own address as
/// the peer should see it for the Via header. Implemented by Transport::SipTransport; the
/// transaction layer calls it on the signalling thread only.
class TransportSink {
public:
    virtual ~TransportSink() = default;
    /// Queues `bytes` for `peer`. False when it cannot be sent (no socket, connection gone);
    /// for TCP with connectionId 0 a connection is opened first and the bytes follow.
    virtual bool send(const Peer &peer, QByteArrayView bytes) = 0;
    /// "host:port" for the sent-by of a Via on requests to `peer`.
    virtual QByteArray viaSentBy(const Peer &peer) const = 0;
};

} // namespace Vigil::Sip
