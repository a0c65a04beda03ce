#include "rtpreceiver.h"

#include "common/logging.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QUdpSocket>

#include <algorithm>
#include <chrono>

using namespace Qt::StringLiterals;

namespace Vigil::Media {

namespace {

constexpr qsizetype kTcpReadChunk = 64 * 1024;
/// UDP packets kept from before start(): a few seconds of a 4 Mb/s stream.
constexpr std::size_t kMaxEarlyPackets = 2048;

RtpTcpFramer::Options framerOptions(const RtpReceiver::Options &options)
{
    RtpTcpFramer::Options framer;
    framer.maxPacketSize = std::clamp<qsizetype>(options.maxPacketBytes, RtpPacket::kFixedHeaderSize, 65535);
    framer.ssrc = options.ssrc;
    return framer;
}

void addFramerStats(RtpTcpFramerStats &total, const RtpTcpFramerStats &more)
{
    total.rtpPackets += more.rtpPackets;
    total.rtcpPackets += more.rtcpPackets;
    total.resyncs += more.resyncs;
    total.bytesSkipped += more.bytesSkipped;
    total.ssrcChanges += more.ssrcChanges;
}

} // namespace

qint64 monotonicMs() noexcept
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

RtpReceiver::RtpReceiver(const Options &options, PacketHandler handler, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_handler(std::move(handler))
    , m_framer(framerOptions(options), [this](const RtpTcpFramer::Frame &frame) {
        if (frame.rtcp) {
            ++m_stats.rtcp;
            return;
        }
        deliver(frame.packet.toByteArray(), m_readMs);
    })
{
    m_options.maxPacketBytes = std::clamp<qsizetype>(m_options.maxPacketBytes, RtpPacket::kFixedHeaderSize, 65535);
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        if (m_connection && m_connection->state() == QAbstractSocket::ConnectedState)
            return;
        if (m_connection)
            connectAttemptFailed(tr("no answer within %1 s").arg(m_options.connectTimeoutMs / 1000.0));
        else
            connectNow();
    });
}

RtpReceiver::~RtpReceiver()
{
    close();
}

Result<quint16> RtpReceiver::open(quint16 port)
{
    Q_ASSERT(!m_udp && !m_server);
    switch (m_options.transport) {
    case MediaTransport::Udp: {
        auto *socket = new QUdpSocket(this);
        if (!socket->bind(m_options.localAddress, port)) {
            const QString error = socket->errorString();
            delete socket;
            return fail(ErrorCode::IoError, tr("Cannot receive media on UDP port %1 of %2: %3. Choose another media "
                                               "port range or stop the program that uses it.")
                                                .arg(port)
                                                .arg(m_options.localAddress.toString(), error));
        }
        configureReceiveBuffer(socket);
        m_readBuffer.resize(m_options.maxPacketBytes + 1);
        connect(socket, &QUdpSocket::readyRead, this, &RtpReceiver::readDatagrams);
        m_udp = socket;
        return socket->localPort();
    }
    case MediaTransport::TcpPassive: {
        auto *server = new QTcpServer(this);
        if (!server->listen(m_options.localAddress, port)) {
            const QString error = server->errorString();
            delete server;
            return fail(ErrorCode::IoError, tr("Cannot listen for TCP media on port %1 of %2: %3. Choose another media "
                                               "port range or stop the program that uses it.")
                                                .arg(port)
                                                .arg(m_options.localAddress.toString(), error));
        }
        connect(server, &QTcpServer::newConnection, this, &RtpReceiver::acceptConnections);
        m_server = server;
        m_readBuffer.resize(kTcpReadChunk);
        return server->serverPort();
    }
    case MediaTransport::TcpActive:
        m_readBuffer.resize(kTcpReadChunk);
        return port;
    }
    return port;
}

void RtpReceiver::start(const QHostAddress &remoteAddress, quint16 remotePort)
{
    if (m_started || m_closed)
        return;
    m_started = true;
    switch (m_options.transport) {
    case MediaTransport::Udp: {
        std::vector<std::pair<QByteArray, qint64>> early = std::exchange(m_early, {});
        for (auto &[bytes, arrivalMs] : early) {
            deliver(std::move(bytes), arrivalMs);
            if (m_closed)
                return;
        }
        readDatagrams();
        break;
    }
    case MediaTransport::TcpPassive:
        acceptConnections();
        break;
    case MediaTransport::TcpActive:
        m_remoteAddress = remoteAddress;
        m_remotePort = remotePort;
        m_attempt = 0;
        connectNow();
        break;
    }
}

void RtpReceiver::close()
{
    m_closed = true;
    m_connectTimer.stop();
    if (m_udp) {
        m_udp->disconnect(this);
        m_udp->close();
    }
    if (m_server) {
        m_server->disconnect(this);
        m_server->close();
    }
    if (m_connection) {
        // Not deleted here: close() may run inside the connection's own readyRead.
        m_connection->disconnect(this);
        m_connection->abort();
        m_connection->deleteLater();
        m_connection = nullptr;
    }
}

bool RtpReceiver::isConnected() const
{
    return m_connection && m_connection->state() == QAbstractSocket::ConnectedState;
}

RtpReceiver::Stats RtpReceiver::stats() const
{
    Stats stats = m_stats;
    stats.framer = m_framerTotals;
    addFramerStats(stats.framer, m_framer.stats());
    return stats;
}

void RtpReceiver::readDatagrams()
{
    // Qt announces a UDP socket once and then waits for a readDatagram() call before it
    // announces it again. So this always reads: also before start() (early datagrams, sent as
    // soon as the device has our ACK, are kept for it), and at least once per call even when
    // nothing seems to wait, because a notification may come for datagrams an earlier call
    // already took; an empty read (-1, "no datagram available") re-arms the notification.
    if (m_closed)
        return;
    const qint64 now = monotonicMs();
    do {
        const qint64 size = m_udp->readDatagram(m_readBuffer.data(), m_readBuffer.size());
        if (size < 0)
            break;
        m_stats.bytes += quint64(size);
        if (size > m_options.maxPacketBytes) {
            if (m_stats.oversized++ == 0)
                qCWarning(lcMedia) << "RTP/UDP: dropping datagrams over" << m_options.maxPacketBytes
                                   << "bytes (raise the maximum packet size if the device sends such)";
            continue;
        }
        if (!m_started) {
            if (m_early.size() < kMaxEarlyPackets)
                m_early.emplace_back(QByteArray(m_readBuffer.constData(), size), now);
            else
                ++m_stats.earlyDropped;
            continue;
        }
        deliver(QByteArray(m_readBuffer.constData(), size), now);
        if (m_closed)
            return;
    } while (m_udp->hasPendingDatagrams());
}

void RtpReceiver::poke()
{
    if (!m_udp || !m_started || m_closed || !m_udp->hasPendingDatagrams())
        return;
    if (m_stats.pokes++ == 0)
        qCDebug(lcMedia) << "RTP/UDP: datagrams on port" << m_udp->localPort()
                         << "were not announced by the event loop; reading them now";
    readDatagrams();
}

void RtpReceiver::acceptConnections()
{
    if (!m_started || m_closed)
        return;
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (m_connection) {
            qCInfo(lcMedia).noquote() << "RTP/TCP: a new connection from" << socket->peerAddress().toString()
                                      << u':' << socket->peerPort() << "replaces the previous one";
            m_connection->disconnect(this);
            m_connection->abort();
            m_connection->deleteLater();
        }
        adoptConnection(socket);
    }
}

void RtpReceiver::adoptConnection(QTcpSocket *socket)
{
    socket->setParent(this);
    configureReceiveBuffer(socket);
    // Bounded: when decoding cannot keep up, TCP flow control slows the device down.
    socket->setReadBufferSize(kTcpReadChunk * 16);
    addFramerStats(m_framerTotals, m_framer.stats());
    m_framer.reset();
    m_connection = socket;
    ++m_stats.connections;
    qCDebug(lcMedia).noquote() << "RTP/TCP: connected with" << socket->peerAddress().toString() << u':'
                               << socket->peerPort();
    connect(socket, &QTcpSocket::readyRead, this, &RtpReceiver::readConnection);
    connect(socket, &QTcpSocket::disconnected, this, &RtpReceiver::connectionLost);
    readConnection();
}

void RtpReceiver::readConnection()
{
    QTcpSocket *socket = m_connection;
    if (!socket || !m_started || m_closed)
        return;
    while (socket->bytesAvailable() > 0) {
        const qint64 size = socket->read(m_readBuffer.data(), m_readBuffer.size());
        if (size <= 0)
            break;
        m_stats.bytes += quint64(size);
        m_readMs = monotonicMs();
        m_framer.feed(QByteArrayView(m_readBuffer.constData(), size));
        if (m_closed || socket != m_connection)
            return;
    }
}

void RtpReceiver::connectionLost()
{
    auto *socket = qobject_cast<QTcpSocket *>(sender());
    if (!socket || socket != m_connection || m_closed)
        return;
    qCInfo(lcMedia).noquote() << "RTP/TCP: the device closed the media connection";
    m_connection = nullptr;
    socket->deleteLater();
    if (m_options.transport == MediaTransport::TcpActive) {
        m_attempt = 0;
        m_connectTimer.start(m_options.connectRetryIntervalMs);
    }
}

void RtpReceiver::connectNow()
{
    if (m_closed)
        return;
    ++m_attempt;
    ++m_stats.connectAttempts;
    auto *socket = new QTcpSocket(this);
    m_connection = socket;
    connect(socket, &QTcpSocket::connected, this, [this, socket] {
        if (socket != m_connection)
            return;
        m_connectTimer.stop();
        socket->disconnect(this);
        m_attempt = 0;
        adoptConnection(socket);
    });
    connect(socket, &QTcpSocket::errorOccurred, this, [this, socket] {
        if (socket == m_connection && socket->state() != QAbstractSocket::ConnectedState)
            connectAttemptFailed(socket->errorString());
    });
    qCDebug(lcMedia).noquote() << "RTP/TCP: connecting to" << m_remoteAddress.toString() << u':' << m_remotePort
                               << "attempt" << m_attempt << "of" << m_options.connectAttempts;
    socket->connectToHost(m_remoteAddress, m_remotePort);
    if (m_connection == socket)
        m_connectTimer.start(m_options.connectTimeoutMs);
}

void RtpReceiver::connectAttemptFailed(const QString &error)
{
    QTcpSocket *socket = m_connection;
    m_connection = nullptr;
    if (socket) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    m_connectTimer.stop();
    qCInfo(lcMedia).noquote() << "RTP/TCP: connecting to" << m_remoteAddress.toString() << u':' << m_remotePort
                              << "failed (attempt" << m_attempt << "of" << m_options.connectAttempts << "):" << error;
    if (m_attempt < m_options.connectAttempts) {
        m_connectTimer.start(m_options.connectRetryIntervalMs);
        return;
    }
    Q_EMIT connectFailed(tr("The device did not accept the TCP media connection to %1 port %2 (%3 attempts; last "
                            "error: %4). Check that the device is reachable from here or use UDP or TCP passive.")
                             .arg(m_remoteAddress.toString())
                             .arg(m_remotePort)
                             .arg(m_attempt)
                             .arg(error));
}

void RtpReceiver::deliver(QByteArray bytes, qint64 arrivalMs)
{
    if (isRtcpPacket(bytes)) {
        ++m_stats.rtcp;
        return;
    }
    Result<RtpPacket> packet = RtpPacket::parse(std::move(bytes));
    if (!packet) {
        if (m_stats.invalid++ == 0)
            qCInfo(lcMedia).noquote() << "RTP: dropping a packet that is not RTP:" << packet.error().message;
        return;
    }
    ++m_stats.packets;
    m_handler(std::move(*packet), arrivalMs);
}

void RtpReceiver::configureReceiveBuffer(QAbstractSocket *socket)
{
    if (m_options.receiveBufferBytes <= 0)
        return;
    socket->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, m_options.receiveBufferBytes);
    const int granted = socket->socketOption(QAbstractSocket::ReceiveBufferSizeSocketOption).toInt();
    qCDebug(lcMedia) << "RTP: receive buffer of" << granted << "bytes (asked for" << m_options.receiveBufferBytes << ")";
}

} // namespace Vigil::Media
