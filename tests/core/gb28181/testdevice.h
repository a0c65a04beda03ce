#pragma once

// A GB/T 28181 camera for tests, made of Vigil's own SIP stack: registers with digest, sends
// keepalives and answers the platform's queries (Catalog in several pieces, DeviceInfo) and
// records the DeviceControl commands it receives.

#include "gb28181/manscdp.h"
#include "gb28181/manscdpbuilder.h"
#include "sip/digest.h"
#include "sip/transactionlayer.h"
#include "transport/siptransport.h"

#include <QTest>

#include <optional>

namespace Vigil::TestSupport {

using namespace Qt::StringLiterals;

inline const DeviceId kCamera = *DeviceId::parse(QByteArrayView("34020000001320000001"));

inline Transport::SipTransportConfig loopback()
{
    Transport::SipTransportConfig config;
    config.bindAddress = QHostAddress::LocalHost;
    config.port = 0;
    return config;
}

/// A camera made of a transport and a transaction layer: registers with digest, sends MESSAGEs.
class TestDevice {
public:
    explicit TestDevice(std::uint16_t serverPort, Sip::TransportKind kind = Sip::TransportKind::Udp)
        : transport(loopback())
        , layer(transport, fastTimers())
    {
        if (!transport.start())
            qFatal("test device: cannot open a socket");
        transport.setMessageHandler([this](const Sip::SipMessage &m, const Sip::Peer &p) { layer.receive(m, p); });
        layer.setRequestHandler([this](const Sip::IncomingRequest &request) { answer(request); });
        server.address = QHostAddress::LocalHost;
        server.port = serverPort;
        server.transport = kind;
        callId = layer.newCallId("127.0.0.1");
        fromTag = layer.newTag();
    }

    static Sip::TransactionConfig fastTimers()
    {
        Sip::TransactionConfig config;
        config.t1Ms = 20; // Timer F = 1.28 s: an ignored request times out quickly
        return config;
    }

    Sip::MessageBuilder registerRequest(std::uint32_t expires, const QByteArray &authorization = {})
    {
        auto r = Sip::MessageBuilder::request(Sip::Method::Register, "sip:34020000002000000001@3402000000");
        r.add(Sip::HeaderId::From, QByteArray("<sip:" + id.toByteArray() + "@3402000000>;tag=" + fromTag));
        r.add(Sip::HeaderId::To, QByteArray("<sip:" + id.toByteArray() + "@3402000000>"));
        r.add(Sip::HeaderId::CallId, callId);
        r.add(Sip::HeaderId::CSeq, QByteArray(QByteArray::number(cseq++) + " REGISTER"));
        r.add(Sip::HeaderId::Contact, QByteArray("<sip:" + id.toByteArray() + "@127.0.0.1:" + QByteArray::number(transport.port()) + '>'));
        r.add(Sip::HeaderId::Expires, QByteArray::number(expires));
        r.add(Sip::HeaderId::UserAgent, "TestCam");
        if (!authorization.isEmpty())
            r.add(Sip::HeaderId::Authorization, authorization);
        return r;
    }

    /// Sends one request and waits for its final outcome: the response, or nullopt on timeout.
    std::optional<Sip::SipMessage> send(Sip::MessageBuilder request)
    {
        std::optional<Sip::SipMessage> final;
        bool done = false;
        auto sent = layer.sendRequest(std::move(request), server, [&](const Sip::ClientEvent &event) {
            if (event.kind == Sip::ClientEvent::Kind::Provisional)
                return;
            if (event.kind == Sip::ClientEvent::Kind::Final)
                final = event.response;
            done = true;
        });
        if (!sent)
            return std::nullopt;
        (void)QTest::qWaitFor([&] { return done; }, 5000);
        return final;
    }

    /// REGISTER, answering a 401 with digest; returns the last final response.
    std::optional<Sip::SipMessage> registerWith(const QByteArray &password, std::uint32_t expires = 3600,
                                                Sip::DigestClient::Quirks quirks = {})
    {
        auto first = send(registerRequest(expires));
        if (!first || first->statusCode() != 401)
            return first;
        challenges.append(*first);
        const auto challenge = Sip::DigestChallenge::parse(first->header(Sip::HeaderId::WwwAuthenticate));
        if (!challenge)
            return std::nullopt;
        Sip::DigestClient client(id.toByteArray(), password, quirks);
        const auto authorization =
            client.authorization(*challenge, "REGISTER", "sip:34020000002000000001@3402000000");
        if (!authorization)
            return std::nullopt;
        return send(registerRequest(expires, *authorization));
    }

    std::optional<Sip::SipMessage> keepalive()
    {
        auto r = Sip::MessageBuilder::request(Sip::Method::Message, "sip:34020000002000000001@3402000000");
        r.add(Sip::HeaderId::From, QByteArray("<sip:" + id.toByteArray() + "@3402000000>;tag=" + layer.newTag()));
        r.add(Sip::HeaderId::To, "<sip:34020000002000000001@3402000000>");
        r.add(Sip::HeaderId::CallId, layer.newCallId());
        r.add(Sip::HeaderId::CSeq, "20 MESSAGE");
        r.setBody(QByteArray("<?xml version=\"1.0\"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n<SN>1</SN>\r\n<DeviceID>"
                      + id.toByteArray() + "</DeviceID>\r\n<Status>OK</Status>\r\n</Notify>\r\n"),
                  "Application/MANSCDP+xml");
        return send(std::move(r));
    }

    /// Answers the platform's MESSAGEs: 200, then the business answer as a MESSAGE of its own.
    void answer(const Sip::IncomingRequest &request)
    {
        layer.respond(request, Sip::MessageBuilder::responseTo(request.message(), 200, layer.newTag()));
        const auto body = Gb::ManscdpMessage::parse(request.message().body());
        if (!body)
            return;
        received.append(*body);
        const auto sn = body->envelope.sn;
        const Gb::ManscdpBuilder builder(encoding);
        if (body->envelope.cmdType == Gb::CmdType::Catalog && answerQueries) {
            for (const auto &piece : builder.responseCatalog(id, sn, catalog, Gb::CatalogSplit{2, 1300}))
                sendBody(piece);
        } else if (body->envelope.cmdType == Gb::CmdType::DeviceInfo && answerQueries) {
            sendBody(builder.responseDeviceInfo(id, sn, info));
        }
    }

    void sendBody(const Gb::ManscdpBody &body)
    {
        auto r = Sip::MessageBuilder::request(Sip::Method::Message, "sip:34020000002000000001@3402000000");
        r.add(Sip::HeaderId::From, QByteArray("<sip:" + id.toByteArray() + "@3402000000>;tag=" + layer.newTag()));
        r.add(Sip::HeaderId::To, "<sip:34020000002000000001@3402000000>");
        r.add(Sip::HeaderId::CallId, layer.newCallId());
        r.add(Sip::HeaderId::CSeq, QByteArray(QByteArray::number(cseq++) + " MESSAGE"));
        r.setBody(body.bytes, Gb::ManscdpBody::contentType());
        (void)layer.sendRequest(std::move(r), server, [](const Sip::ClientEvent &) {});
    }

    QList<Gb::ManscdpMessage> received; ///< every MANSCDP body the platform sent us
    QList<Gb::CatalogItem> catalog;
    Gb::DeviceInfoResponse info;
    TextEncoding encoding = TextEncoding::Gb18030;
    bool answerQueries = true;
    DeviceId id = kCamera;
    Transport::SipTransport transport;
    Sip::TransactionLayer layer;
    Sip::Peer server;
    QByteArray callId;
    QByteArray fromTag;
    std::uint32_t cseq = 1;
    QList<Sip::SipMessage> challenges;
};

} // namespace Vigil::TestSupport
