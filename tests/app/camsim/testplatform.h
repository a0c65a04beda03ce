#pragma once

// The platform side of camsim's tests: Vigil's real Registrar over a real socket on 127.0.0.1,
// with what GbService does around it (keepalives answered, MANSCDP responses collected) and
// helpers to query, control and INVITE the simulated devices, plus an RTP collector that turns
// what a device streams back into the PS bytes it sent.

#include "devices/deviceregistry.h"
#include "devices/eventlog.h"
#include "gb28181/manscdp.h"
#include "gb28181/manscdpbuilder.h"
#include "gb28181/registrar.h"
#include "gb28181/sdp.h"
#include "sip/dialog.h"
#include "sip/transactionlayer.h"
#include "transport/siptransport.h"

#include <QProcess>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUdpSocket>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>

namespace CamSimTest {

using namespace Vigil;
using namespace Qt::StringLiterals;

inline const QByteArray kServerId = "34020000002000000001";

/// A TransportSink that records every response the platform sends (the 401/403/200 a device
/// gets) and passes everything on.
class RecordingSink : public Sip::TransportSink {
public:
    explicit RecordingSink(Transport::SipTransport &transport) : m_transport(transport) {}

    bool send(const Sip::Peer &peer, QByteArrayView bytes) override
    {
        if (const auto message = Sip::SipMessage::parse(bytes); message && message->isResponse())
            responses.append(*message);
        return m_transport.send(peer, bytes);
    }
    QByteArray viaSentBy(const Sip::Peer &peer) const override { return m_transport.viaSentBy(peer); }

    /// Status codes sent for requests of `method` from `deviceId`, in order.
    QList<int> statuses(Sip::Method method, QByteArrayView deviceId) const
    {
        QList<int> out;
        for (const Sip::SipMessage &response : responses) {
            if (response.cseq().method == method && response.from().uri.user == deviceId)
                out.append(response.statusCode());
        }
        return out;
    }

    QList<Sip::SipMessage> responses;

private:
    Transport::SipTransport &m_transport;
};

/// What the platform received in one MESSAGE from a device.
struct ReceivedMessage {
    Sip::SipMessage sip;
    Gb::ManscdpMessage manscdp;
};

/// Vigil's registrar plus a minimal GbService: answers keepalives and responses 200 (404 for
/// unregistered devices), records REGISTERs and MESSAGEs, sends queries and INVITEs.
class TestPlatform : public QObject {
public:
    struct Invite {
        bool done = false;
        int status = 0;
        Sip::SipMessage response;
        std::optional<Sip::Dialog> dialog;
        std::optional<Gb::MediaSdp> answer;
    };

    static Gb::ServerConfig defaultConfig()
    {
        Gb::ServerConfig config;
        config.sipBindAddress = QHostAddress::LocalHost;
        config.sipPort = 0;
        config.minExpiresSec = 1; // tests refresh within seconds
        config.keepaliveIntervalSec = 60;
        return config;
    }

    static Transport::SipTransportConfig transportConfig()
    {
        Transport::SipTransportConfig config;
        config.bindAddress = QHostAddress::LocalHost;
        config.port = 0;
        return config;
    }

    explicit TestPlatform(Gb::ServerConfig config = defaultConfig())
        : transport(transportConfig()), sink(transport), layer(sink), registrar(config, layer, registry, events)
    {
        const auto started = transport.start();
        if (!started)
            qFatal("cannot start the platform transport: %s", qPrintable(started.error().message));
        transport.setMessageHandler([this](const Sip::SipMessage &message, const Sip::Peer &peer) {
            if (message.isRequest() && message.method() == Sip::Method::Register)
                registers.append(message);
            if (message.isRequest() && message.method() == Sip::Method::Message)
                rawMessages.append(message);
            layer.receive(message, peer);
        });
        QObject::connect(&transport, &Transport::SipTransport::connectionClosed, this,
                         [this](const Sip::Peer &peer, const QString &) {
                             layer.connectionClosed(peer);
                             registrar.connectionClosed(peer);
                         });
        layer.setRequestHandler([this](const Sip::IncomingRequest &request) { handle(request); });
    }

    std::uint16_t port() const { return transport.port(); }

    void handle(const Sip::IncomingRequest &request)
    {
        const Sip::SipMessage &message = request.message();
        if (message.method() == Sip::Method::Register) {
            registrar.handleRegister(request);
            return;
        }
        // In-dialog requests (BYE, MediaStatus) carry the channel in From: find them by Call-ID,
        // as wvp does, before asking the registrar about the sender.
        const bool inDialog = m_dialogCallIds.contains(message.callId().toByteArray());
        const bool admitted = inDialog || registrar.admit(request).has_value();
        int code = admitted ? 200 : 404;
        if (admitted && message.method() == Sip::Method::Message) {
            const auto parsed = Gb::ManscdpMessage::parse(message.body());
            if (parsed) {
                ReceivedMessage received{message, *parsed};
                if (parsed->envelope.cmdType == Gb::CmdType::Keepalive)
                    keepalives.append(received);
                else
                    messages.append(received);
            } else {
                code = 400;
            }
        }
        if (admitted && message.method() == Sip::Method::Bye)
            byes.append(message);
        layer.respond(request, Sip::MessageBuilder::responseTo(message, code, layer.newTag()));
    }

    /// The messages received with this root and CmdType, in order.
    QList<ReceivedMessage> received(Gb::MessageClass messageClass, Gb::CmdType cmdType) const
    {
        QList<ReceivedMessage> out;
        for (const ReceivedMessage &message : messages) {
            if (message.manscdp.envelope.messageClass == messageClass && message.manscdp.envelope.cmdType == cmdType)
                out.append(message);
        }
        return out;
    }

    /// REGISTERs from `deviceId`, in order.
    QList<Sip::SipMessage> registersOf(QByteArrayView deviceId) const
    {
        QList<Sip::SipMessage> out;
        for (const Sip::SipMessage &message : registers) {
            if (message.from().uri.user == deviceId)
                out.append(message);
        }
        return out;
    }

    bool isOnline(const QString &deviceId) const
    {
        const auto device = registry.device(*DeviceId::parse(deviceId));
        return device && device->online;
    }

    Sip::MessageBuilder requestTo(Sip::Method method, QByteArrayView targetId, const Sip::Peer &route)
    {
        auto request = Sip::MessageBuilder::request(method, QByteArray("sip:" + targetId.toByteArray() + '@' + route.hostPort().toLatin1()));
        request.add(Sip::HeaderId::From, QByteArray("<sip:" + kServerId + "@3402000000>;tag=" + layer.newTag()));
        request.add(Sip::HeaderId::To, QByteArray("<sip:" + targetId.toByteArray() + "@3402000000>"));
        request.add(Sip::HeaderId::CallId, layer.newCallId("127.0.0.1"));
        request.add(Sip::HeaderId::CSeq, QByteArray(QByteArray::number(++m_cseq) + ' ' + Sip::methodName(method).toByteArray()));
        request.add(Sip::HeaderId::MaxForwards, "70");
        return request;
    }

    /// Sends a MANSCDP MESSAGE to a registered device; returns the SIP status (0: no answer).
    int sendMessage(const QString &deviceId, const QByteArray &body, QByteArrayView targetId = {})
    {
        const auto route = registrar.route(*DeviceId::parse(deviceId));
        if (!route)
            return 0;
        auto request = requestTo(Sip::Method::Message, targetId.isEmpty() ? deviceId.toLatin1() : targetId, *route);
        request.setBody(body, Gb::kManscdpContentType);
        int status = 0;
        bool done = false;
        (void)layer.sendRequest(std::move(request), *route, [&](const Sip::ClientEvent &event) {
            if (event.kind == Sip::ClientEvent::Kind::Provisional)
                return;
            status = event.kind == Sip::ClientEvent::Kind::Final ? event.response.statusCode() : 0;
            done = true;
        });
        (void)QTest::qWaitFor([&] { return done; }, 10000);
        return status;
    }

    /// INVITEs `channelId` of `deviceId` with `offer`; ACKs a 2xx. Returns at once; the result
    /// fills in (Invite::done) as the answer arrives.
    std::shared_ptr<Invite> invite(const QString &deviceId, const QString &channelId, const Gb::MediaSdp &offer)
    {
        auto result = std::make_shared<Invite>();
        const auto route = registrar.route(*DeviceId::parse(deviceId));
        if (!route) {
            result->done = true;
            return result;
        }
        auto request = requestTo(Sip::Method::Invite, channelId.toLatin1(), *route);
        request.add(Sip::HeaderId::Contact, QByteArray("<sip:" + kServerId + '@' + sink.viaSentBy(*route) + '>'));
        request.add(Sip::HeaderId::Subject,
                    Gb::inviteSubject(channelId.toLatin1(), offer.ssrc.value_or(Gb::Ssrc()), kServerId));
        request.setBody(offer.serialize(), "Application/SDP");
        m_dialogCallIds.insert(request.header(Sip::HeaderId::CallId).toByteArray());
        (void)layer.sendRequest(std::move(request), *route, [this, result](const Sip::ClientEvent &event) {
            if (event.kind == Sip::ClientEvent::Kind::Provisional)
                return;
            result->done = true;
            if (event.kind != Sip::ClientEvent::Kind::Final)
                return;
            result->status = event.response.statusCode();
            result->response = event.response;
            if (result->status >= 200 && result->status < 300) {
                auto dialog = Sip::Dialog::fromInviteResponse(event.response, event.peer);
                if (dialog) {
                    (void)layer.sendAck(dialog->ack(), dialog->peer());
                    result->dialog = *dialog;
                }
                if (auto answer = Gb::MediaSdp::parse(event.response.body()))
                    result->answer = *answer;
            }
        });
        return result;
    }

    /// BYE in an answered INVITE dialog; returns the final status (0: no answer).
    int bye(Invite &call)
    {
        if (!call.dialog)
            return 0;
        int status = 0;
        bool done = false;
        (void)layer.sendRequest(call.dialog->request(Sip::Method::Bye), call.dialog->peer(), [&](const Sip::ClientEvent &event) {
            if (event.kind == Sip::ClientEvent::Kind::Provisional)
                return;
            status = event.kind == Sip::ClientEvent::Kind::Final ? event.response.statusCode() : 0;
            done = true;
        });
        (void)QTest::qWaitFor([&] { return done; }, 10000);
        return status;
    }

    Devices::DeviceRegistry registry;
    Devices::EventLog events;
    Transport::SipTransport transport;
    RecordingSink sink;
    Sip::TransactionLayer layer;
    Gb::Registrar registrar;

    QList<Sip::SipMessage> registers;
    QList<Sip::SipMessage> rawMessages;
    QList<ReceivedMessage> keepalives;
    QList<ReceivedMessage> messages;
    QList<Sip::SipMessage> byes;

private:
    std::uint32_t m_cseq = 0;
    QSet<QByteArray> m_dialogCallIds;
};

/// The payloads of the PES packets with `streamId` in a program stream, in order: walks pack
/// headers, system headers, PSMs and PES packets by their lengths.
inline QByteArray pesPayloads(QByteArrayView ps, std::uint8_t streamId)
{
    QByteArray out;
    qsizetype pos = 0;
    const auto byte = [&](qsizetype i) { return int(std::uint8_t(ps[i])); };
    while (pos + 4 <= ps.size()) {
        if (byte(pos) != 0 || byte(pos + 1) != 0 || byte(pos + 2) != 1) {
            ++pos; // not at a start code: resync
            continue;
        }
        const int code = byte(pos + 3);
        if (code == 0xBA) {
            if (pos + 14 > ps.size())
                break;
            pos += 14 + (byte(pos + 13) & 0x07);
            continue;
        }
        if (pos + 6 > ps.size())
            break;
        const qsizetype length = byte(pos + 4) << 8 | byte(pos + 5);
        const qsizetype end = std::min(pos + 6 + length, ps.size());
        if (code == streamId && pos + 9 <= end) {
            const qsizetype payload = pos + 9 + byte(pos + 8);
            if (payload <= end)
                out += ps.sliced(payload, end - payload);
        }
        pos = end;
    }
    return out;
}

/// One RTP packet's header fields.
struct RtpHeader {
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::uint32_t ssrc = 0;
    std::uint8_t payloadType = 0;
    bool marker = false;
    qsizetype payloadOffset = 0;
};

inline std::optional<RtpHeader> parseRtp(QByteArrayView packet)
{
    if (packet.size() < 12 || (std::uint8_t(packet[0]) >> 6) != 2)
        return std::nullopt;
    const auto byte = [&](qsizetype i) { return std::uint32_t(std::uint8_t(packet[i])); };
    RtpHeader header;
    header.marker = byte(1) & 0x80;
    header.payloadType = std::uint8_t(byte(1) & 0x7F);
    header.sequence = std::uint16_t(byte(2) << 8 | byte(3));
    header.timestamp = byte(4) << 24 | byte(5) << 16 | byte(6) << 8 | byte(7);
    header.ssrc = byte(8) << 24 | byte(9) << 16 | byte(10) << 8 | byte(11);
    header.payloadOffset = 12 + 4 * qsizetype(byte(0) & 0x0F);
    if (byte(0) & 0x10) {
        if (packet.size() < header.payloadOffset + 4)
            return std::nullopt;
        header.payloadOffset += 4 + 4 * qsizetype(byte(header.payloadOffset + 2) << 8 | byte(header.payloadOffset + 3));
    }
    if (header.payloadOffset > packet.size())
        return std::nullopt;
    return header;
}

/// Receives one RTP stream the way a platform would (UDP socket, TCP listener, or TCP client
/// to the device) and keeps every packet. For TCP it reads RFC 4571 frames and, when a length
/// prefix makes no sense, scans forward for the next plausible one (counting resyncs).
class RtpCollector : public QObject {
public:
    enum class Mode { Udp, TcpListen, TcpConnect };

    explicit RtpCollector(Mode mode) : m_mode(mode)
    {
        switch (mode) {
        case Mode::Udp:
            m_udp = new QUdpSocket(this);
            m_udp->bind(QHostAddress::LocalHost, 0);
            m_udp->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4 * 1024 * 1024);
            connect(m_udp, &QUdpSocket::readyRead, this, [this] {
                while (m_udp->hasPendingDatagrams()) {
                    QByteArray datagram(qsizetype(m_udp->pendingDatagramSize()), Qt::Uninitialized);
                    const auto size = m_udp->readDatagram(datagram.data(), datagram.size());
                    if (size > 0)
                        addPacket(datagram.left(size));
                }
            });
            break;
        case Mode::TcpListen:
            m_server = new QTcpServer(this);
            m_server->listen(QHostAddress::LocalHost, 0);
            connect(m_server, &QTcpServer::newConnection, this, [this] {
                while (QTcpSocket *socket = m_server->nextPendingConnection())
                    adopt(socket);
            });
            break;
        case Mode::TcpConnect:
            break;
        }
    }

    std::uint16_t port() const
    {
        return m_udp ? m_udp->localPort() : m_server ? m_server->serverPort() : 0;
    }

    /// TcpConnect: connects to the device's answered address.
    void connectTo(const QHostAddress &address, std::uint16_t port)
    {
        auto *socket = new QTcpSocket(this);
        adopt(socket);
        socket->connectToHost(address, port);
    }

    /// Closes the TCP connection (the device should notice and hang up).
    void closeConnection()
    {
        if (m_socket)
            m_socket->abort();
    }

    void setExpectedSsrc(std::uint32_t ssrc) { m_expectedSsrc = ssrc; }

    /// Timestamp span of what arrived, in 90 kHz ticks.
    qint64 span90k() const
    {
        if (m_packets.isEmpty())
            return 0;
        return qint64(m_maxTimestamp) - qint64(m_minTimestamp);
    }

    const QList<QByteArray> &packets() const { return m_packets; }
    int connections() const { return m_connections; }
    int resyncs() const { return m_resyncs; }
    qint64 skippedBytes() const { return m_skippedBytes; }

    /// The payloads in sequence order, duplicates dropped: the PS the device wrote.
    QByteArray psBytes() const
    {
        std::map<qint64, QByteArray> ordered;
        for (const QByteArray &packet : m_packets) {
            const auto header = parseRtp(packet);
            if (header)
                ordered.emplace(unwrap(header->sequence), packet.mid(header->payloadOffset));
        }
        QByteArray out;
        for (const auto &[sequence, payload] : ordered)
            out += payload;
        return out;
    }

    struct SequenceStats {
        qint64 expected = 0; ///< highest - lowest + 1
        qint64 unique = 0;
        qint64 duplicates = 0;
        qint64 outOfOrder = 0; ///< arrived after a higher sequence number
    };

    SequenceStats sequenceStats() const
    {
        SequenceStats stats;
        QSet<qint64> seen;
        qint64 lowest = std::numeric_limits<qint64>::max();
        qint64 highest = std::numeric_limits<qint64>::min();
        for (const QByteArray &packet : m_packets) {
            const auto header = parseRtp(packet);
            if (!header)
                continue;
            const qint64 sequence = unwrap(header->sequence);
            if (seen.contains(sequence)) {
                ++stats.duplicates;
                continue;
            }
            if (sequence < highest)
                ++stats.outOfOrder;
            seen.insert(sequence);
            lowest = std::min(lowest, sequence);
            highest = std::max(highest, sequence);
        }
        stats.unique = seen.size();
        stats.expected = seen.isEmpty() ? 0 : highest - lowest + 1;
        return stats;
    }

private:
    qint64 unwrap(std::uint16_t sequence) const
    {
        // Streams in these tests are far shorter than 65536 packets after the first one.
        const qint64 first = m_firstSequence;
        qint64 delta = qint64(sequence) - first;
        if (delta < -32768)
            delta += 65536;
        return first + delta;
    }

    void adopt(QTcpSocket *socket)
    {
        if (m_socket) {
            socket->abort();
            socket->deleteLater();
            return;
        }
        ++m_connections;
        m_socket = socket;
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this] {
            m_stream += m_socket->readAll();
            drainStream();
        });
    }

    bool plausibleAt(qsizetype pos) const
    {
        if (m_stream.size() - pos < 14)
            return false;
        const int length = std::uint8_t(m_stream[pos]) << 8 | std::uint8_t(m_stream[pos + 1]);
        if (length < 12 || length > 1500 || (std::uint8_t(m_stream[pos + 2]) >> 6) != 2)
            return false;
        if (m_expectedSsrc && m_stream.size() - pos >= 14) {
            const auto header = parseRtp(QByteArrayView(m_stream).sliced(pos + 2, std::min<qsizetype>(length, m_stream.size() - pos - 2)));
            if (!header || header->ssrc != m_expectedSsrc)
                return false;
        }
        return true;
    }

    void drainStream()
    {
        qsizetype pos = 0;
        bool skipping = false;
        while (m_stream.size() - pos >= 2) {
            if (!plausibleAt(pos)) {
                if (m_stream.size() - pos < 14)
                    break; // wait for more bytes before judging
                if (!skipping)
                    ++m_resyncs;
                skipping = true;
                ++m_skippedBytes;
                ++pos;
                continue;
            }
            const int length = std::uint8_t(m_stream[pos]) << 8 | std::uint8_t(m_stream[pos + 1]);
            if (m_stream.size() - pos - 2 < length)
                break;
            skipping = false;
            addPacket(m_stream.mid(pos + 2, length));
            pos += 2 + length;
        }
        m_stream.remove(0, pos);
    }

    void addPacket(const QByteArray &packet)
    {
        const auto header = parseRtp(packet);
        if (!header)
            return;
        if (m_packets.isEmpty()) {
            m_firstSequence = header->sequence;
            m_minTimestamp = m_maxTimestamp = header->timestamp;
        }
        m_minTimestamp = std::min(m_minTimestamp, header->timestamp);
        m_maxTimestamp = std::max(m_maxTimestamp, header->timestamp);
        m_packets.append(packet);
    }

    Mode m_mode;
    QUdpSocket *m_udp = nullptr;
    QTcpServer *m_server = nullptr;
    QTcpSocket *m_socket = nullptr;
    QByteArray m_stream;
    QList<QByteArray> m_packets;
    std::uint16_t m_firstSequence = 0;
    std::uint32_t m_minTimestamp = 0;
    std::uint32_t m_maxTimestamp = 0;
    std::uint32_t m_expectedSsrc = 0;
    int m_connections = 0;
    int m_resyncs = 0;
    qint64 m_skippedBytes = 0;
};

/// Runs a program to completion (bounded) and returns its standard output; empty on failure.
inline QByteArray runTool(const QString &program, const QStringList &arguments, int timeoutMs = 60000)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForFinished(timeoutMs) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        qWarning().noquote() << program << arguments.join(u' ') << "failed:" << process.readAllStandardError();
        return {};
    }
    return process.readAllStandardOutput();
}

/// The MD5 column of `ffmpeg -f framemd5` for the first video stream of `path`: one hash per
/// decoded frame, in output order.
inline QList<QByteArray> frameMd5s(const QString &path)
{
    const QByteArray out = runTool(u"ffmpeg"_s, {u"-hide_banner"_s, u"-loglevel"_s, u"error"_s, u"-i"_s, path, u"-map"_s,
                                                 u"0:v:0"_s, u"-f"_s, u"framemd5"_s, u"-"_s});
    QList<QByteArray> hashes;
    for (const QByteArray &line : out.split('\n')) {
        if (line.startsWith('#') || line.trimmed().isEmpty())
            continue;
        hashes.append(line.split(',').last().trimmed());
    }
    return hashes;
}

} // namespace CamSimTest
