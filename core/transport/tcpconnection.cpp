#include "tcpconnection.h"

#include <QTimer>

namespace Vigil::Transport {

using namespace Qt::StringLiterals;

TcpConnection::TcpConnection(QTcpSocket *socket, const Sip::Peer &peer, Direction direction, Limits limits,
                             QByteArray *readBuffer, Callbacks callbacks, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_peer(peer)
    , m_direction(direction)
    , m_limits(limits)
    , m_framer(limits.maxMessageSize)
    , m_readBuffer(readBuffer)
    , m_callbacks(std::move(callbacks))
{
    Q_ASSERT(socket && readBuffer && !readBuffer->isEmpty() && m_callbacks.message && m_callbacks.closed);
    socket->setParent(this);
    // Bounded: Qt stops reading from the kernel once this much is waiting for us.
    socket->setReadBufferSize(readBuffer->size());
    m_lastReceive.start();

    connect(socket, &QTcpSocket::readyRead, this, &TcpConnection::onReadyRead);
    connect(socket, &QTcpSocket::connected, this, &TcpConnection::onConnected);
    connect(socket, &QAbstractSocket::errorOccurred, this, &TcpConnection::onSocketError);
    connect(socket, &QAbstractSocket::disconnected, this, [this] { close(u"the peer closed the connection"_s); });

    if (direction == Direction::Inbound) {
        m_established = true;
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    }
}

TcpConnection::~TcpConnection()
{
    finish(CloseKind::Closed, {}, false);
}

QHostAddress TcpConnection::localAddress() const
{
    return m_socket ? m_socket->localAddress() : QHostAddress();
}

void TcpConnection::connectToPeer(int timeoutMs)
{
    Q_ASSERT(m_direction == Direction::Outbound && !m_established);
    QTimer::singleShot(timeoutMs, this, [this, timeoutMs] {
        if (!m_established)
            finish(CloseKind::ConnectFailed, u"no answer within %1 ms"_s.arg(timeoutMs), true);
    });
    m_socket->connectToHost(m_peer.address, m_peer.port);
}

bool TcpConnection::send(QByteArrayView bytes)
{
    if (m_closed || !m_socket)
        return false;
    const qint64 queued = m_established ? m_socket->bytesToWrite() : m_pending.size();
    if (queued + bytes.size() > m_limits.maxQueuedBytes)
        return false;
    if (!m_established) {
        m_pending.append(bytes);
        return true;
    }
    return m_socket->write(bytes.data(), bytes.size()) == bytes.size();
}

void TcpConnection::close(const QString &reason)
{
    finish(CloseKind::Closed, reason, true);
}

void TcpConnection::closeSilently()
{
    finish(CloseKind::Closed, {}, false);
}

void TcpConnection::onReadyRead()
{
    const auto onEvent = [this](const Sip::StreamFramer::Event &event) {
        if (m_closed)
            return;
        if (event.kind == Sip::StreamFramer::Event::Kind::KeepAlivePing) {
            m_socket->write("\r\n", 2); // RFC 5626 §4.4.1 pong
            if (m_callbacks.keepAlive)
                m_callbacks.keepAlive(*this);
            return;
        }
        m_callbacks.message(*this, event.message, event.contentLengthMissing);
    };
    while (!m_closed && m_socket) {
        const qint64 n = m_socket->read(m_readBuffer->data(), m_readBuffer->size());
        if (n <= 0)
            break;
        m_lastReceive.restart();
        auto framed = m_framer.feed(QByteArrayView(m_readBuffer->constData(), n), onEvent);
        if (!framed) {
            finish(CloseKind::BrokenStream, u"cannot frame the SIP stream: "_s + framed.error().message, true);
            break;
        }
    }
}

void TcpConnection::onConnected()
{
    if (m_closed)
        return;
    m_established = true;
    m_lastReceive.restart();
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    if (!m_pending.isEmpty()) {
        m_socket->write(m_pending);
        m_pending = QByteArray();
    }
    if (m_callbacks.established)
        m_callbacks.established(*this);
}

void TcpConnection::onSocketError(QAbstractSocket::SocketError error)
{
    if (m_closed)
        return;
    if (!m_established)
        finish(CloseKind::ConnectFailed, m_socket->errorString(), true);
    else if (error == QAbstractSocket::RemoteHostClosedError)
        close(u"the peer closed the connection"_s);
    else
        close(u"socket error: "_s + m_socket->errorString());
}

void TcpConnection::finish(CloseKind kind, const QString &reason, bool report)
{
    if (m_closed)
        return;
    m_closed = true;
    m_pending = QByteArray();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    if (report)
        m_callbacks.closed(*this, kind, reason);
}

} // namespace Vigil::Transport
