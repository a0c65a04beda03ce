#pragma once

#include "common/result.h"
#include "sip/peer.h"
#include "sip/sipmessage.h"
#include "sourceratelimiter.h"
#include "tcpconnection.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QString>

#include <cstdint>
#include <functional>

class QTcpServer;
class QTimer;
class QUdpSocket;

namespace Vigil::Transport {

/// Whether this transport's port may be shared with other SipTransport instances.
enum class PortSharing : std::uint8_t {
    /// The port is ours alone; a program already on it is an error.
    Exclusive,
    /// SO_REUSEPORT: several instances, one per thread, bind the same port and the kernel spreads
    /// senders across them (Linux; see canSharePort()). Falls back to Exclusive elsewhere.
    ReusePort,
};

/// Settings of a SipTransport; the defaults suit a registrar on the standard port.
struct SipTransportConfig {
    /// Where to listen. AnyIPv4 (0.0.0.0) by default; QHostAddress::Any is dual-stack.
    QHostAddress bindAddress = QHostAddress(QHostAddress::AnyIPv4);
    /// UDP and TCP use the same port. 0 picks a free one (tests).
    std::uint16_t port = 5060;
    bool udpEnabled = true;
    bool tcpEnabled = true;
    /// SO_RCVBUF asked for: registration storms arrive faster than one thread parses them.
    /// The kernel may grant less (Linux: net.core.rmem_max); see SipTransportStats.
    int udpReceiveBufferBytes = 8 * 1024 * 1024;
    /// Largest message accepted on either transport, at most SipMessage::kMaxSize.
    qsizetype maxMessageBytes = Sip::SipMessage::kMaxSize;
    /// A TCP connection that sends nothing for this long is closed. Long: devices keep their
    /// connection open and send a keepalive every 60 s. 0: never.
    int tcpIdleTimeoutSec = 1800;
    /// How long an outbound TCP connection may take to establish.
    int tcpConnectTimeoutMs = 10000;
    /// Inbound and outbound together; more inbound ones are refused.
    int maxTcpConnections = 4096;
    /// Unsent bytes a TCP peer may leave waiting before we give up on it.
    qint64 maxTcpQueuedBytes = 1024 * 1024;
    /// Host written into the Via sent-by of our requests. Empty: the bind address, or when bound
    /// to any address, the local address facing the peer. Set it behind NAT/Docker.
    QString advertisedHost;
    /// Port for the Via sent-by; 0: the bound port.
    std::uint16_t advertisedPort = 0;
    PortSharing portSharing = PortSharing::Exclusive;
    /// Peer::localSocket of everything this instance receives (one number per instance when
    /// several share a port), so that replies leave through the same one.
    std::uint16_t localSocket = 0;
    /// How many 400 responses and log lines about bad input one source (and all sources) get.
    SourceRateLimiter::Limits badInputLimits;
};

/// Counters since start(); read them on the transport's thread.
struct SipTransportStats {
    std::uint64_t udpDatagramsIn = 0;
    std::uint64_t udpDatagramsOut = 0;
    std::uint64_t udpBytesIn = 0;
    std::uint64_t udpBytesOut = 0;
    /// Times the watchdog found datagrams that no readyRead announced (see SipTransport).
    std::uint64_t udpWakeupsMissed = 0;
    std::uint64_t tcpMessagesIn = 0;
    std::uint64_t tcpMessagesOut = 0;
    std::uint64_t tcpBytesIn = 0;
    std::uint64_t tcpBytesOut = 0;
    std::uint64_t keepAlivesIn = 0;       ///< CRLF pings (TCP) and CRLF-only datagrams
    std::uint64_t parseFailures = 0;      ///< datagrams or framed messages that did not parse
    std::uint64_t badRequestsSent = 0;    ///< 400 answers to them
    std::uint64_t badInputSuppressed = 0; ///< 400s and log lines held back by the rate limit
    std::uint64_t framingErrors = 0;      ///< TCP connections closed because the stream broke
    std::uint64_t sendFailures = 0;
    std::uint64_t tcpConnectionsAccepted = 0;
    std::uint64_t tcpConnectionsOutbound = 0; ///< outbound connections established
    std::uint64_t tcpConnectionsClosed = 0;
    std::uint64_t tcpConnectionsRejected = 0; ///< inbound ones beyond maxTcpConnections
    std::uint64_t tcpConnectFailures = 0;
    int tcpConnectionsOpen = 0;
    /// The UDP receive buffer (SO_RCVBUF) the system granted for udpReceiveBufferBytes. On
    /// Linux it is capped at net.core.rmem_max (the kernel reports twice this, bookkeeping included).
    int udpReceiveBufferBytes = 0;
};

/// SIP over UDP and TCP for the signalling thread: binds the sockets, turns what arrives into
/// SipMessages for the message handler, and sends for the transaction layer (Sip::TransportSink).
///
/// Replies and requests go to exactly the Peer that traffic came from (source address and port
/// after NAT; for TCP the very connection), never to a Via or Contact host. TCP connections stay
/// open; connectionClosed() says when one ends so that the registrar can mark the device offline.
/// Bad input never reaches the handler: requests that fail to parse are answered 400 Bad Request
/// where possible, everything else is dropped, both with a debug line, rate-limited per source.
///
/// Connection ids count from 1 in each instance; when several instances share a port, the
/// Peer's localSocket (SipTransportConfig::localSocket) tells whose connection it is.
///
/// Lives on one thread (normally a WorkerThread) and is used only there. The handler runs
/// synchronously from the socket notification; it may send(), but must not spin an event loop
/// or destroy the transport.
class SipTransport : public QObject, public Sip::TransportSink {
    Q_OBJECT

public:
    /// Receives every message that parsed, with the peer it came from.
    using MessageHandler = std::function<void(const Sip::SipMessage &, const Sip::Peer &)>;

    explicit SipTransport(SipTransportConfig config, QObject *parent = nullptr);
    ~SipTransport() override;

    /// Binds UDP and listens on TCP on the configured port. The error says what to do, e.g.
    /// when another program has the port.
    Result<void> start();
    /// Closes every socket and connection, without connectionClosed() signals.
    void stop();
    bool isRunning() const noexcept { return m_running; }
    /// The bound port (the one picked when the configured port is 0); 0 before start().
    std::uint16_t port() const noexcept { return m_port; }
    const SipTransportConfig &config() const noexcept { return m_config; }
    /// Changes the settings; they apply at the next start(). Call while stopped.
    void setConfig(const SipTransportConfig &config) { Q_ASSERT(!m_running); m_config = config; }

    void setMessageHandler(MessageHandler handler) { m_handler = std::move(handler); }

    /// UDP: one datagram to peer.address:port. TCP: over connection peer.connectionId; with
    /// connectionId 0 over an open connection to peer.address:port, else a new outbound one
    /// (bytes wait until it is up; connectFailed() if it never is).
    bool send(const Sip::Peer &peer, QByteArrayView bytes) override;
    /// advertisedHost, else the local address of the peer's TCP connection, else the bind
    /// address, else (bound to any address) the local address the system routes to the peer
    /// from; with advertisedPort or the bound port.
    QByteArray viaSentBy(const Sip::Peer &peer) const override;

    /// Closes the connection `peer` came on (no-op for UDP); connectionClosed() follows.
    void closeConnection(const Sip::Peer &peer, const QString &reason);

    SipTransportStats stats() const;

    /// True when PortSharing::ReusePort really shares the port on this platform.
    static bool canSharePort() noexcept;

Q_SIGNALS:
    /// An established TCP connection ended: the peer closed it, it was idle too long, its stream
    /// broke, or closeConnection(). `reason` is English, for the log.
    void connectionClosed(const Vigil::Sip::Peer &peer, const QString &reason);
    /// An outbound TCP connection could not be established; what was queued is lost.
    void connectFailed(const Vigil::Sip::Peer &peer, const QString &reason);

private:
    Result<void> openSockets(std::uint16_t port, bool *tcpPortTaken);
    void closeSockets();
    Result<std::uint16_t> bindUdp(std::uint16_t port);
    Result<void> listenTcp(std::uint16_t port, QAbstractSocket::SocketError *failure);
    Error socketError(QAbstractSocket::SocketError error, const QString &systemText, QLatin1StringView protocol,
                      std::uint16_t port) const;

    void readDatagrams();
    void handleDatagram(QByteArrayView datagram, const Sip::Peer &peer);
    void deliver(QByteArrayView bytes, Sip::Framing framing, const Sip::Peer &peer);
    void rejectBadInput(const Sip::Peer &peer, QByteArrayView raw, const QString &reason);
    bool sendUdp(const Sip::Peer &peer, QByteArrayView bytes);
    bool sendTcp(const Sip::Peer &peer, QByteArrayView bytes);

    void acceptConnections();
    TcpConnection *addConnection(QTcpSocket *socket, const Sip::Peer &peer, TcpConnection::Direction direction);
    void onConnectionClosed(TcpConnection &connection, TcpConnection::CloseKind kind, const QString &reason);
    TcpConnection *findConnection(const Sip::Peer &peer) const;
    void checkIdleConnections();
    QHostAddress localAddressFacing(const QHostAddress &remote) const;
    std::int64_t nowMs() const { return m_clock.elapsed(); }

    SipTransportConfig m_config;
    MessageHandler m_handler;
    bool m_running = false;
    std::uint16_t m_port = 0;

    QUdpSocket *m_udp = nullptr;
    QByteArray m_datagram;   ///< receive buffer for one datagram, reused
    QTcpServer *m_tcpServer = nullptr;
    QByteArray m_tcpReadBuffer; ///< scratch for TCP reads, shared by all connections
    QHash<std::uint64_t, TcpConnection *> m_connections;
    std::uint64_t m_nextConnectionId = 1;
    QTimer *m_idleTimer = nullptr;
    QTimer *m_udpWatchdog = nullptr;

    SourceRateLimiter m_badInputLimiter;
    QElapsedTimer m_clock;
    mutable QHash<QHostAddress, QHostAddress> m_localAddressCache;
    SipTransportStats m_stats;
};

} // namespace Vigil::Transport
