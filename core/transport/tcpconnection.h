#pragma once

#include "sip/peer.h"
#include "sip/streamframer.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>

#include <cstdint>
#include <functional>

namespace Vigil::Transport {

/// One SIP-over-TCP connection of a SipTransport: a QTcpSocket, the StreamFramer for what it
/// receives, and the writes queued while an outbound connection is still being set up.
/// It reports through callbacks, synchronously and on the socket's thread; it never deletes
/// itself: after `closed` the owner removes it and calls deleteLater().
class TcpConnection : public QObject {
    Q_OBJECT

public:
    enum class Direction : std::uint8_t { Inbound, Outbound };
    enum class CloseKind : std::uint8_t {
        Closed,        ///< an established connection ended
        BrokenStream,  ///< the stream could not be framed (see StreamFramer); we closed it
        ConnectFailed, ///< an outbound connection was never established
    };

    struct Limits {
        qsizetype maxMessageSize = Sip::SipMessage::kMaxSize;
        qint64 maxQueuedBytes = 1024 * 1024; ///< unsent bytes beyond which send() refuses
    };

    struct Callbacks {
        /// One framed message (valid during the call) and whether it lacked Content-Length.
        std::function<void(TcpConnection &, QByteArrayView message, bool contentLengthMissing)> message;
        std::function<void(TcpConnection &)> keepAlive;
        std::function<void(TcpConnection &)> established;
        std::function<void(TcpConnection &, CloseKind, const QString &reason)> closed;
    };

    /// Takes over `socket`: connected already (Inbound) or about to connect (Outbound, see
    /// connectToPeer()). `readBuffer` is scratch space shared by the connections of one thread.
    TcpConnection(QTcpSocket *socket, const Sip::Peer &peer, Direction direction, Limits limits,
                  QByteArray *readBuffer, Callbacks callbacks, QObject *parent);
    ~TcpConnection() override;

    const Sip::Peer &peer() const noexcept { return m_peer; }
    std::uint64_t id() const noexcept { return m_peer.connectionId; }
    Direction direction() const noexcept { return m_direction; }
    bool isEstablished() const noexcept { return m_established; }
    bool isClosed() const noexcept { return m_closed; }
    QHostAddress localAddress() const;
    /// Milliseconds since bytes last arrived (or since the connection was made).
    qint64 idleMs() const { return m_lastReceive.elapsed(); }

    /// Starts an outbound connection; `timeoutMs` later it fails unless established.
    void connectToPeer(int timeoutMs);
    /// Writes `bytes`, or queues them until the connection is up. False when the connection is
    /// closed or more than Limits::maxQueuedBytes would be waiting (the peer is not reading).
    bool send(QByteArrayView bytes);
    /// Closes at once (RST) and reports `closed` with `reason`; nothing more is delivered.
    void close(const QString &reason);
    /// Closes without reporting anything (the transport is shutting down).
    void closeSilently();

private:
    void onReadyRead();
    void onConnected();
    void onSocketError(QAbstractSocket::SocketError error);
    void finish(CloseKind kind, const QString &reason, bool report);

    QPointer<QTcpSocket> m_socket;
    Sip::Peer m_peer;
    Direction m_direction;
    Limits m_limits;
    Sip::StreamFramer m_framer;
    QByteArray *m_readBuffer;
    Callbacks m_callbacks;
    QByteArray m_pending; ///< written before an outbound connection was established
    QElapsedTimer m_lastReceive;
    bool m_established = false;
    bool m_closed = false;
};

} // namespace Vigil::Transport
