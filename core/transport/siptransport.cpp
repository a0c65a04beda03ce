#include "siptransport.h"

#include "sip/badrequest.h"

#include "common/logging.h"
#include "sharedportsocket.h"
#include "sip/headerid.h"
#include "sip/messagebuilder.h"
#include "sip/text.h"

#include <QNetworkInterface>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QThread>
#include <QTimer>
#include <QUdpSocket>

#include <algorithm>
#include <optional>

namespace Vigil::Transport {

using namespace Qt::StringLiterals;
using Sip::Peer;
using Sip::TransportKind;

namespace {

/// Datagrams read per readyRead; Qt signals again while more are waiting, so timers and TCP get
/// their turn during a flood.
constexpr int kDatagramsPerWakeup = 256;
/// How often the UDP socket is checked for datagrams the event loop did not announce.
constexpr int kUdpWatchdogMs = 250;
/// Large enough for any UDP datagram (65507 bytes of payload over IPv4).
constexpr qsizetype kDatagramBufferBytes = 65536;
constexpr qsizetype kTcpReadBufferBytes = 65536;
constexpr qsizetype kLocalAddressCacheSize = 1024;

/// IPv4 peers on a dual-stack socket show up as ::ffff:a.b.c.d; Peer keeps them plain IPv4 so
/// that the same device always compares equal.
QHostAddress unmapped(const QHostAddress &address)
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        bool isV4 = false;
        const quint32 v4 = address.toIPv4Address(&isV4);
        if (isV4)
            return QHostAddress(v4);
    }
    return address;
}

bool isAnyAddress(const QHostAddress &address)
{
    return address == QHostAddress(QHostAddress::AnyIPv4) || address == QHostAddress(QHostAddress::AnyIPv6)
        || address == QHostAddress(QHostAddress::Any);
}

bool isOnlyLineEnds(QByteArrayView bytes) noexcept
{
    return std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == '\r' || c == '\n'; });
}

/// The start of `bytes` for a log line: printable ASCII as is, the rest as \r, \n or \xNN.
QString printable(QByteArrayView bytes, qsizetype max)
{
    QString out;
    out.reserve(max + 16);
    for (qsizetype i = 0; i < bytes.size() && i < max; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c == '\r')
            out += u"\\r"_s;
        else if (c == '\n')
            out += u"\\n"_s;
        else if (c >= 0x20 && c < 0x7f && c != '\\')
            out += QLatin1Char(char(c));
        else
            out += u"\\x%1"_s.arg(uint(c), 2, 16, QLatin1Char('0'));
    }
    if (bytes.size() > max)
        out += u"..."_s;
    return out;
}

} // namespace

SipTransport::SipTransport(SipTransportConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_badInputLimiter(m_config.badInputLimits)
{
    m_config.maxMessageBytes = std::clamp<qsizetype>(m_config.maxMessageBytes, 1024, Sip::SipMessage::kMaxSize);
    m_clock.start();
}

SipTransport::~SipTransport()
{
    stop();
}

bool SipTransport::canSharePort() noexcept
{
    return Transport::canSharePort();
}

// ---------------------------------------------------------------------------------------------
// Sockets

Result<void> SipTransport::start()
{
    Q_ASSERT(!m_running);
    if (!m_config.udpEnabled && !m_config.tcpEnabled)
        return fail(ErrorCode::InvalidArgument,
                    tr("SIP over UDP and SIP over TCP are both switched off; switch on at least one in the settings."));
    if (m_config.portSharing == PortSharing::ReusePort && !Transport::canSharePort())
        qCWarning(lcTransport) << "SO_REUSEPORT port sharing is not available here; using the port alone";

    // With port 0 UDP picks a free port, which TCP may find taken: then try another.
    const int attempts = m_config.port == 0 && m_config.udpEnabled && m_config.tcpEnabled ? 16 : 1;
    Result<void> opened;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        bool tcpPortTaken = false;
        opened = openSockets(m_config.port, &tcpPortTaken);
        if (opened || !tcpPortTaken)
            break;
    }
    if (!opened)
        return opened;

    m_stats = SipTransportStats{};
    if (m_udp) {
        m_stats.udpReceiveBufferBytes = m_udp->socketOption(QAbstractSocket::ReceiveBufferSizeSocketOption).toInt();
#ifdef Q_OS_LINUX
        m_stats.udpReceiveBufferBytes /= 2; // Linux doubles what it grants, for its bookkeeping
#endif
    }
    m_running = true;

    if (m_udp) {
        // Qt announces a UDP socket again only after a readDatagram() call (readDatagrams()
        // always makes one). A registrar that goes deaf is the worst failure there is, so a
        // timer also looks for datagrams nobody announced, whatever the cause.
        m_udpWatchdog = new QTimer(this);
        m_udpWatchdog->setInterval(kUdpWatchdogMs);
        connect(m_udpWatchdog, &QTimer::timeout, this, [this] {
            if (m_udp && m_udp->hasPendingDatagrams()) {
                if (m_stats.udpWakeupsMissed++ == 0)
                    qCDebug(lcTransport) << "UDP datagrams on port" << m_port
                                         << "were not announced by the event loop; reading them now";
                readDatagrams();
            }
        });
        m_udpWatchdog->start();
    }

    if (m_config.tcpEnabled && m_config.tcpIdleTimeoutSec > 0) {
        m_idleTimer = new QTimer(this);
        m_idleTimer->setInterval(std::clamp(m_config.tcpIdleTimeoutSec * 1000 / 4, 250, 30000));
        connect(m_idleTimer, &QTimer::timeout, this, &SipTransport::checkIdleConnections);
        m_idleTimer->start();
    }

    qCInfo(lcTransport).noquote().nospace()
        << "SIP on " << m_config.bindAddress.toString() << ':' << m_port
        << (m_config.udpEnabled ? " UDP" : "") << (m_config.tcpEnabled ? " TCP" : "")
        << (m_config.portSharing == PortSharing::ReusePort && Transport::canSharePort() ? " (shared port)" : "");
    if (m_udp) {
        // Linux caps what is asked at net.core.rmem_max (Windows and macOS have their own limits).
        const bool capped = m_stats.udpReceiveBufferBytes < m_config.udpReceiveBufferBytes;
        qCInfo(lcTransport).noquote()
            << u"UDP receive buffer: asked for %1 bytes, granted %2%3"_s
                   .arg(m_config.udpReceiveBufferBytes)
                   .arg(m_stats.udpReceiveBufferBytes)
                   .arg(capped ? u"; raise net.core.rmem_max to absorb registration storms"_s : QString());
    }
    return {};
}

Result<void> SipTransport::openSockets(std::uint16_t port, bool *tcpPortTaken)
{
    std::uint16_t bound = port;
    if (m_config.udpEnabled) {
        auto udpPort = bindUdp(port);
        if (!udpPort)
            return std::unexpected(udpPort.error());
        bound = *udpPort;
    }
    if (m_config.tcpEnabled) {
        QAbstractSocket::SocketError failure = QAbstractSocket::UnknownSocketError;
        auto listening = listenTcp(bound, &failure);
        if (!listening) {
            *tcpPortTaken = failure == QAbstractSocket::AddressInUseError;
            closeSockets();
            return listening;
        }
        if (!m_config.udpEnabled)
            bound = m_tcpServer->serverPort();
    }
    m_port = bound;
    return {};
}

Result<std::uint16_t> SipTransport::bindUdp(std::uint16_t port)
{
    auto *socket = new QUdpSocket(this);
    bool ok = false;
    if (m_config.portSharing == PortSharing::ReusePort && Transport::canSharePort()) {
        const SharedPortSocket native = openSharedPortSocket(SharedSocketType::Udp, m_config.bindAddress, port);
        if (native.descriptor < 0) {
            delete socket;
            return std::unexpected(socketError(native.error, native.errorText, "UDP"_L1, port));
        }
        ok = socket->setSocketDescriptor(native.descriptor, QAbstractSocket::BoundState);
    } else {
        // Not ShareAddress: on Linux that is SO_REUSEADDR, which lets another program that sets
        // it too bind the same UDP port and take our datagrams without any error.
        ok = socket->bind(m_config.bindAddress, port, QAbstractSocket::DontShareAddress);
    }
    if (!ok) {
        const Error error = socketError(socket->error(), socket->errorString(), "UDP"_L1, port);
        delete socket;
        return std::unexpected(error);
    }
    socket->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, m_config.udpReceiveBufferBytes);
    connect(socket, &QUdpSocket::readyRead, this, &SipTransport::readDatagrams);
    m_udp = socket;
    m_datagram.resize(kDatagramBufferBytes);
    return socket->localPort();
}

Result<void> SipTransport::listenTcp(std::uint16_t port, QAbstractSocket::SocketError *failure)
{
    auto *server = new QTcpServer(this);
    bool ok = false;
    if (m_config.portSharing == PortSharing::ReusePort && Transport::canSharePort()) {
        const SharedPortSocket native = openSharedPortSocket(SharedSocketType::TcpListener, m_config.bindAddress, port);
        if (native.descriptor < 0) {
            delete server;
            *failure = native.error;
            return std::unexpected(socketError(native.error, native.errorText, "TCP"_L1, port));
        }
        ok = server->setSocketDescriptor(native.descriptor);
    } else {
        ok = server->listen(m_config.bindAddress, port);
    }
    if (!ok) {
        *failure = server->serverError();
        const Error error = socketError(server->serverError(), server->errorString(), "TCP"_L1, port);
        delete server;
        return std::unexpected(error);
    }
    connect(server, &QTcpServer::newConnection, this, &SipTransport::acceptConnections);
    m_tcpServer = server;
    m_tcpReadBuffer.resize(kTcpReadBufferBytes);
    return {};
}

Error SipTransport::socketError(QAbstractSocket::SocketError error, const QString &systemText,
                                QLatin1StringView protocol, std::uint16_t port) const
{
    switch (error) {
    case QAbstractSocket::AddressInUseError:
        return Error{ErrorCode::IoError,
                     tr("SIP port %1 (%2) is already in use by another program; close that program or "
                        "choose another SIP port in the settings.")
                         .arg(port)
                         .arg(protocol)};
    case QAbstractSocket::SocketAccessError:
        return Error{ErrorCode::IoError,
                     tr("Not allowed to open SIP port %1 (%2): ports below 1024 need administrator rights on "
                        "this system; choose a port above 1024 in the settings.")
                         .arg(port)
                         .arg(protocol)};
    case QAbstractSocket::SocketAddressNotAvailableError:
        return Error{ErrorCode::IoError,
                     tr("Cannot listen for SIP on %1: that address does not belong to this computer; choose "
                        "another listening address in the settings.")
                         .arg(m_config.bindAddress.toString())};
    default:
        return Error{ErrorCode::IoError,
                     tr("Cannot open SIP port %1 (%2) on %3: %4.")
                         .arg(port)
                         .arg(protocol)
                         .arg(m_config.bindAddress.toString(), systemText)};
    }
}

void SipTransport::closeSockets()
{
    if (m_udp) {
        m_udp->disconnect(this);
        m_udp->close();
        m_udp->deleteLater();
        m_udp = nullptr;
    }
    if (m_tcpServer) {
        m_tcpServer->disconnect(this);
        m_tcpServer->close();
        m_tcpServer->deleteLater();
        m_tcpServer = nullptr;
    }
}

void SipTransport::stop()
{
    const auto connections = m_connections.values();
    m_connections.clear();
    for (TcpConnection *connection : connections) {
        connection->closeSilently();
        connection->deleteLater();
    }
    closeSockets();
    if (m_udpWatchdog) {
        m_udpWatchdog->stop();
        m_udpWatchdog->deleteLater();
        m_udpWatchdog = nullptr;
    }
    if (m_idleTimer) {
        m_idleTimer->stop();
        m_idleTimer->deleteLater();
        m_idleTimer = nullptr;
    }
    if (m_running)
        qCInfo(lcTransport).noquote() << u"SIP transport on port %1 stopped"_s.arg(m_port);
    m_running = false;
    m_port = 0;
}

SipTransportStats SipTransport::stats() const
{
    SipTransportStats stats = m_stats;
    stats.tcpConnectionsOpen = int(m_connections.size());
    return stats;
}

// ---------------------------------------------------------------------------------------------
// Receiving

void SipTransport::readDatagrams()
{
    // Drain what is queued: one notification per datagram would cost an event loop round each.
    // The first read happens even when nothing seems to wait: Qt announces a UDP socket again
    // only after a readDatagram() call, and a notification may come for datagrams an earlier
    // call already took (an empty read returns -1 and re-arms it).
    for (int budget = kDatagramsPerWakeup; budget > 0 && m_udp && (budget == kDatagramsPerWakeup || m_udp->hasPendingDatagrams());
         --budget) {
        QHostAddress sender;
        quint16 senderPort = 0;
        const qint64 size = m_udp->readDatagram(m_datagram.data(), m_datagram.size(), &sender, &senderPort);
        if (size < 0)
            break;
        ++m_stats.udpDatagramsIn;
        m_stats.udpBytesIn += std::uint64_t(size);
        handleDatagram(QByteArrayView(m_datagram.constData(), size),
                       Peer{unmapped(sender), senderPort, TransportKind::Udp, 0, m_config.localSocket});
    }
}

void SipTransport::handleDatagram(QByteArrayView datagram, const Peer &peer)
{
    if (isOnlyLineEnds(datagram)) { // CRLF keep-alives some devices send over UDP too
        ++m_stats.keepAlivesIn;
        return;
    }
    if (datagram.size() > m_config.maxMessageBytes) {
        rejectBadInput(peer, datagram,
                       u"datagram of %1 bytes is larger than the limit of %2"_s.arg(datagram.size()).arg(m_config.maxMessageBytes));
        return;
    }
    deliver(datagram, Sip::Framing::Datagram, peer);
}

void SipTransport::deliver(QByteArrayView bytes, Sip::Framing framing, const Peer &peer)
{
    auto message = Sip::SipMessage::parse(bytes, framing);
    if (!message) {
        rejectBadInput(peer, bytes, message.error().message);
        return;
    }
    if (m_handler)
        m_handler(*message, peer);
}

void SipTransport::rejectBadInput(const Peer &peer, QByteArrayView raw, const QString &reason)
{
    ++m_stats.parseFailures;
    const SourceRateLimiter::Decision decision = m_badInputLimiter.take(peer.address, nowMs());
    if (!decision.allowed) {
        ++m_stats.badInputSuppressed;
        return;
    }
    const std::optional<QByteArray> response = Sip::badRequestResponse(raw, reason.toLatin1(), peer.address, peer.port);
    qCDebug(lcTransport).noquote().nospace()
        << "bad SIP message from " << peer.toString() << ": " << reason
        << (response ? "; answering 400" : "; dropped")
        << (decision.suppressedBefore ? u" (%1 more from there not logged)"_s.arg(decision.suppressedBefore) : QString())
        << "; it starts \"" << printable(raw, 120) << '"';
    if (response && send(peer, *response))
        ++m_stats.badRequestsSent;
}

// ---------------------------------------------------------------------------------------------
// Sending

bool SipTransport::send(const Peer &peer, QByteArrayView bytes)
{
    Q_ASSERT(thread() == QThread::currentThread());
    return peer.transport == TransportKind::Udp ? sendUdp(peer, bytes) : sendTcp(peer, bytes);
}

bool SipTransport::sendUdp(const Peer &peer, QByteArrayView bytes)
{
    if (!m_udp) {
        ++m_stats.sendFailures;
        return false;
    }
    const qint64 written = m_udp->writeDatagram(bytes.data(), bytes.size(), peer.address, peer.port);
    if (written != bytes.size()) {
        ++m_stats.sendFailures;
        qCDebug(lcTransport).noquote()
            << u"cannot send %1 bytes to %2: %3"_s.arg(bytes.size()).arg(peer.toString(), m_udp->errorString());
        return false;
    }
    ++m_stats.udpDatagramsOut;
    m_stats.udpBytesOut += std::uint64_t(bytes.size());
    return true;
}

bool SipTransport::sendTcp(const Peer &peer, QByteArrayView bytes)
{
    if (!m_running || !m_config.tcpEnabled) {
        ++m_stats.sendFailures;
        return false;
    }
    TcpConnection *connection = findConnection(peer);
    if (!connection && peer.connectionId != 0) {
        ++m_stats.sendFailures;
        qCDebug(lcTransport).noquote()
            << u"cannot send to %1: connection %2 is closed"_s.arg(peer.toString()).arg(peer.connectionId);
        return false;
    }
    if (!connection) {
        if (m_connections.size() >= m_config.maxTcpConnections) {
            ++m_stats.sendFailures;
            qCWarning(lcTransport).noquote() << u"cannot connect to %1: already %2 TCP connections (the limit)"_s
                                                    .arg(peer.toString())
                                                    .arg(m_connections.size());
            return false;
        }
        Peer outbound = peer;
        outbound.address = unmapped(peer.address);
        outbound.connectionId = m_nextConnectionId++;
        outbound.localSocket = m_config.localSocket;
        connection = addConnection(new QTcpSocket(this), outbound, TcpConnection::Direction::Outbound);
        qCDebug(lcTransport).noquote()
            << u"connecting to %1 as connection %2"_s.arg(outbound.toString()).arg(outbound.connectionId);
        connection->connectToPeer(m_config.tcpConnectTimeoutMs);
    }
    if (!connection->send(bytes)) {
        ++m_stats.sendFailures;
        if (!connection->isClosed())
            connection->close(u"the peer is not reading: more than %1 bytes are waiting"_s.arg(m_config.maxTcpQueuedBytes));
        return false;
    }
    ++m_stats.tcpMessagesOut;
    m_stats.tcpBytesOut += std::uint64_t(bytes.size());
    return true;
}

QByteArray SipTransport::viaSentBy(const Peer &peer) const
{
    const std::uint16_t port = m_config.advertisedPort ? m_config.advertisedPort : m_port;
    QString host = m_config.advertisedHost;
    if (host.isEmpty()) {
        QHostAddress local;
        if (peer.transport == TransportKind::Tcp && peer.connectionId != 0) {
            if (const TcpConnection *connection = m_connections.value(peer.connectionId))
                local = unmapped(connection->localAddress());
        }
        if (local.isNull() || isAnyAddress(local))
            local = isAnyAddress(m_config.bindAddress) ? localAddressFacing(unmapped(peer.address)) : m_config.bindAddress;
        host = local.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + local.toString() + u']' : local.toString();
    }
    return (host + u':' + QString::number(port)).toLatin1();
}

QHostAddress SipTransport::localAddressFacing(const QHostAddress &remote) const
{
    if (const auto it = m_localAddressCache.constFind(remote); it != m_localAddressCache.cend())
        return *it;
    // Connecting a UDP socket sends nothing: the kernel only picks the route and with it the
    // source address, which is the one the peer reaches us on unless routing is asymmetric.
    QUdpSocket probe;
    probe.connectToHost(remote, 9);
    QHostAddress local = probe.state() == QAbstractSocket::ConnectedState ? unmapped(probe.localAddress()) : QHostAddress();
    if (local.isNull() || isAnyAddress(local)) {
        local = QHostAddress(QHostAddress::LocalHost);
        const auto addresses = QNetworkInterface::allAddresses();
        for (const QHostAddress &candidate : addresses) {
            if (!candidate.isLoopback() && candidate.protocol() == QAbstractSocket::IPv4Protocol) {
                local = candidate;
                break;
            }
        }
    }
    if (m_localAddressCache.size() >= kLocalAddressCacheSize)
        m_localAddressCache.clear();
    m_localAddressCache.insert(remote, local);
    return local;
}

// ---------------------------------------------------------------------------------------------
// TCP connections

void SipTransport::acceptConnections()
{
    while (m_tcpServer && m_tcpServer->hasPendingConnections()) {
        QTcpSocket *socket = m_tcpServer->nextPendingConnection();
        if (!socket)
            break;
        const Peer peer{unmapped(socket->peerAddress()), socket->peerPort(), TransportKind::Tcp, m_nextConnectionId++,
                        m_config.localSocket};
        if (m_connections.size() >= m_config.maxTcpConnections) {
            ++m_stats.tcpConnectionsRejected;
            if (m_badInputLimiter.take(peer.address, nowMs()).allowed)
                qCWarning(lcTransport).noquote() << u"refusing TCP connection from %1: already %2 connections (the limit)"_s
                                                        .arg(peer.toString())
                                                        .arg(m_connections.size());
            socket->abort();
            socket->deleteLater();
            continue;
        }
        ++m_stats.tcpConnectionsAccepted;
        addConnection(socket, peer, TcpConnection::Direction::Inbound);
        qCDebug(lcTransport).noquote() << u"accepted %1 as connection %2"_s.arg(peer.toString()).arg(peer.connectionId);
    }
}

TcpConnection *SipTransport::addConnection(QTcpSocket *socket, const Peer &peer, TcpConnection::Direction direction)
{
    TcpConnection::Callbacks callbacks;
    callbacks.message = [this](TcpConnection &connection, QByteArrayView bytes, bool contentLengthMissing) {
        ++m_stats.tcpMessagesIn;
        m_stats.tcpBytesIn += std::uint64_t(bytes.size());
        if (contentLengthMissing)
            qCDebug(lcTransport).noquote()
                << u"message without Content-Length from %1: taken to have no body"_s.arg(connection.peer().toString());
        deliver(bytes, Sip::Framing::Stream, connection.peer());
    };
    callbacks.keepAlive = [this](TcpConnection &) { ++m_stats.keepAlivesIn; };
    callbacks.established = [this](TcpConnection &connection) {
        ++m_stats.tcpConnectionsOutbound;
        qCDebug(lcTransport).noquote() << u"connected to %1"_s.arg(connection.peer().toString());
    };
    callbacks.closed = [this](TcpConnection &connection, TcpConnection::CloseKind kind, const QString &reason) {
        onConnectionClosed(connection, kind, reason);
    };
    const TcpConnection::Limits limits{m_config.maxMessageBytes, m_config.maxTcpQueuedBytes};
    auto *connection = new TcpConnection(socket, peer, direction, limits, &m_tcpReadBuffer, std::move(callbacks), this);
    m_connections.insert(peer.connectionId, connection);
    return connection;
}

void SipTransport::onConnectionClosed(TcpConnection &connection, TcpConnection::CloseKind kind, const QString &reason)
{
    const Peer peer = connection.peer();
    m_connections.remove(peer.connectionId);
    connection.deleteLater(); // we may be inside one of its socket's signals
    if (kind == TcpConnection::CloseKind::ConnectFailed) {
        ++m_stats.tcpConnectFailures;
        qCInfo(lcTransport).noquote() << u"cannot connect to %1: %2"_s.arg(peer.toString(), reason);
        Q_EMIT connectFailed(peer, reason);
        return;
    }
    ++m_stats.tcpConnectionsClosed;
    if (kind == TcpConnection::CloseKind::BrokenStream)
        ++m_stats.framingErrors;
    qCInfo(lcTransport).noquote()
        << u"TCP connection %1 with %2 closed: %3"_s.arg(peer.connectionId).arg(peer.toString(), reason);
    Q_EMIT connectionClosed(peer, reason);
}

TcpConnection *SipTransport::findConnection(const Peer &peer) const
{
    if (peer.connectionId != 0)
        return m_connections.value(peer.connectionId);
    const QHostAddress address = unmapped(peer.address);
    for (TcpConnection *connection : m_connections) {
        if (!connection->isClosed() && connection->peer().port == peer.port && connection->peer().address == address)
            return connection;
    }
    return nullptr;
}

void SipTransport::closeConnection(const Peer &peer, const QString &reason)
{
    if (peer.transport != TransportKind::Tcp || peer.connectionId == 0)
        return;
    if (TcpConnection *connection = m_connections.value(peer.connectionId))
        connection->close(reason);
}

void SipTransport::checkIdleConnections()
{
    const qint64 limitMs = qint64(m_config.tcpIdleTimeoutSec) * 1000;
    QList<TcpConnection *> idle;
    for (TcpConnection *connection : std::as_const(m_connections)) {
        if (connection->isEstablished() && connection->idleMs() >= limitMs)
            idle.append(connection);
    }
    for (TcpConnection *connection : idle)
        connection->close(u"no traffic for %1 s"_s.arg(m_config.tcpIdleTimeoutSec));
}

} // namespace Vigil::Transport
