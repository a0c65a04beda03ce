#pragma once

#include "common/result.h"
#include "rtppacket.h"
#include "rtptcpframer.h"
#include "streamhealth.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>
#include <optional>

class QTcpServer;
class QTcpSocket;
class QUdpSocket;

namespace Vigil::Media {

/// Milliseconds of a monotonic clock (std::chrono::steady_clock): the time base of the
/// receive pipeline (arrival times, reorder deadlines, stall detection).
qint64 monotonicMs() noexcept;

/// Receives the RTP packets of one media session from the network: a UDP socket, a TCP
/// listener the device connects to (TCP passive) or a TCP connection to the device (TCP
/// active), with RFC 4571 or RTSP-interleaved framing on TCP (RtpTcpFramer, which also
/// resynchronises after corrupted framing instead of dropping the connection).
///
/// open() binds the port (before the INVITE goes out); start() begins reading, or
/// connecting for TCP active: at most connectAttempts tries, connectRetryIntervalMs apart
/// (GB/T 28181-2022 Annex D asks for at least 3, at least 1 s apart); a connection the device
/// closes later is made again the same way. TCP passive accepts a new connection from the
/// device at any time; it replaces the previous one (a device that reconnects).
///
/// Every packet that parses as RTP goes to the handler with its arrival time; RTCP, packets
/// over maxPacketBytes and what does not parse are counted and dropped.
///
/// A QObject of the media thread: create, use and destroy it there.
class RtpReceiver : public QObject {
    Q_OBJECT

public:
    struct Options {
        MediaTransport transport = MediaTransport::Udp;
        QHostAddress localAddress = QHostAddress(QHostAddress::AnyIPv4);
        /// Largest RTP packet accepted, in bytes (12..65535); UDP datagrams and TCP frames above
        /// it are dropped (on TCP a longer length counts as corrupted framing).
        qsizetype maxPacketBytes = 16 * 1024;
        /// Asked of the kernel for the socket's receive buffer (SO_RCVBUF; Linux caps it at
        /// net.core.rmem_max): a 1080p key frame arrives as a burst of 100+ datagrams.
        int receiveBufferBytes = 4 * 1024 * 1024;
        /// TCP: the session's SSRC, if known, helps the framer resynchronise.
        std::optional<std::uint32_t> ssrc;
        int connectAttempts = 3;
        int connectRetryIntervalMs = 1000;
        int connectTimeoutMs = 5000;
    };

    struct Stats {
        quint64 packets = 0;   ///< RTP packets passed to the handler
        quint64 bytes = 0;     ///< every byte read from the socket or connection
        quint64 rtcp = 0;      ///< RTCP packets (dropped)
        quint64 invalid = 0;   ///< not RTP (dropped)
        quint64 oversized = 0; ///< UDP datagrams over maxPacketBytes (dropped)
        quint64 earlyDropped = 0; ///< UDP datagrams before start() beyond what is kept for it
        quint64 pokes = 0;        ///< times poke() found datagrams no notification announced
        quint64 connections = 0;     ///< TCP connections made or accepted
        quint64 connectAttempts = 0; ///< TCP active
        RtpTcpFramerStats framer;    ///< over every TCP connection
    };

    using PacketHandler = std::function<void(RtpPacket packet, qint64 arrivalMs)>;

    RtpReceiver(const Options &options, PacketHandler handler, QObject *parent = nullptr);
    ~RtpReceiver() override;

    /// Binds the UDP socket or opens the TCP listener on `port` of the local address (0: a
    /// free port chosen by the system) and returns the port. TCP active binds nothing and
    /// returns `port`. A translated error when the port cannot be had.
    Result<quint16> open(quint16 port);
    /// Begins reading (what arrived since open() included) or, for TCP active, connecting.
    void start(const QHostAddress &remoteAddress = {}, quint16 remotePort = 0);
    /// Closes every socket; nothing more is received.
    void close();
    /// Reads what waits in the UDP socket although no readyRead came: a watchdog the owner
    /// calls a few times a second. Qt announces a UDP socket again only after a
    /// readDatagram() call, and with the GLib event loop a notification can come for datagrams
    /// an earlier read took; the read loop handles that (see tst_rtpreceiver), and this makes
    /// sure any other way a socket goes unannounced costs a fraction of a second, not the stream.
    void poke();

    bool isConnected() const;
    Stats stats() const;

Q_SIGNALS:
    /// TCP active: every attempt failed (after the first connection, or at the start).
    /// `reason` is translated, for operators.
    void connectFailed(const QString &reason);

private:
    void readDatagrams();
    void acceptConnections();
    void adoptConnection(QTcpSocket *socket);
    void readConnection();
    void connectionLost();
    void connectNow();
    void connectAttemptFailed(const QString &error);
    void deliver(QByteArray bytes, qint64 arrivalMs);
    void configureReceiveBuffer(QAbstractSocket *socket);

    Options m_options;
    PacketHandler m_handler;
    RtpTcpFramer m_framer;
    RtpTcpFramerStats m_framerTotals; ///< of the connections before the current one
    QUdpSocket *m_udp = nullptr;
    QTcpServer *m_server = nullptr;
    QPointer<QTcpSocket> m_connection;
    QTimer m_connectTimer; ///< the connect timeout, then the retry interval
    QHostAddress m_remoteAddress;
    quint16 m_remotePort = 0;
    int m_attempt = 0;
    bool m_started = false;
    bool m_closed = false;
    QByteArray m_readBuffer;
    std::vector<std::pair<QByteArray, qint64>> m_early; ///< UDP: read before start(), with arrival times
    qint64 m_readMs = 0; ///< arrival time of the bytes being framed
    Stats m_stats;
};

} // namespace Vigil::Media
