// libFuzzer target: a server and a client TransactionLayer driven by arbitrary sequences of
// messages and actions, with small capacity limits so that eviction and overload happen.
// Timers do not run (no event loop), so this covers matching, keys built from hostile
// Via/From/CSeq values, the ACK/CANCEL paths, respond() at any moment, and Dialog.
//
// Input: records separated by "\xff\xfe". A record's first byte is the action:
//   bits 0-2 what (see below), bits 3-4 which peer (2 UDP, 2 TCP), bits 5-7 how the server's
//   TU answers the next request it gets (hold, 100, 180, 200, 481, 486, 500, 603).
// The rest of the record is the payload.

#include "sip/dialog.h"
#include "sip/messagebuilder.h"
#include "sip/sipmessage.h"
#include "sip/transactionlayer.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <vector>

using namespace Vigil::Sip;

namespace {

class Sink : public TransportSink {
public:
    bool send(const Peer &, QByteArrayView bytes) override
    {
        if (failing)
            return false;
        if (sent.size() >= 256)
            sent.erase(sent.begin());
        sent.push_back(bytes.toByteArray());
        return true;
    }
    QByteArray viaSentBy(const Peer &) const override { return "10.10.0.5:5060"; }

    std::vector<QByteArray> sent;
    bool failing = false;
};

constexpr int kAnswers[] = {0, 100, 180, 200, 481, 486, 500, 603};

Peer peerFor(int index)
{
    const bool tcp = index >= 2;
    return Peer{QHostAddress(index % 2 ? QStringLiteral("198.51.100.23") : QStringLiteral("127.0.0.1")),
                std::uint16_t(5060 + index), tcp ? TransportKind::Tcp : TransportKind::Udp,
                tcp ? std::uint64_t(index) : 0, 0};
}

MessageBuilder clientRequest(bool invite, QByteArrayView payload)
{
    MessageBuilder b = MessageBuilder::request(invite ? Method::Invite : Method::Message,
                                               "sip:34020000001310000001@3402000000");
    b.add(HeaderId::From, "<sip:34020000002000000001@3402000000>;tag=fz");
    b.add(HeaderId::To, "<sip:34020000001310000001@3402000000>");
    b.add(HeaderId::CallId, QByteArray("fuzz-" + QByteArray::number(payload.size())));
    b.add(HeaderId::CSeq, invite ? "3 INVITE" : "4 MESSAGE");
    b.add(HeaderId::Contact, "<sip:34020000002000000001@10.10.0.5:5060>");
    return b;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static int argc = 1;
    static char name[] = "fuzz_transactionlayer";
    static char *argv[] = {name, nullptr};
    static QCoreApplication app(argc, argv); // timers need an event dispatcher to be armed
    static const bool quiet = [] {
        QLoggingCategory::setFilterRules(QStringLiteral("vigil.sip=false"));
        return true;
    }();
    (void)quiet;

    TransactionConfig config;
    config.maxServerTransactions = 6;
    config.maxClientTransactions = 6;
    Sink serverSink;
    Sink clientSink;
    TransactionLayer server(serverSink, config);
    TransactionLayer client(clientSink, config);

    int answer = 0;
    std::vector<IncomingRequest> held;
    std::optional<SipMessage> lastServerInput;
    std::vector<ClientTransaction> invites;
    std::optional<Dialog> dialog;

    server.setRequestHandler([&](const IncomingRequest &request) {
        const int status = kAnswers[answer];
        if (status == 0) {
            if (held.size() < 16)
                held.push_back(request);
            return;
        }
        MessageBuilder response = MessageBuilder::responseTo(request.message(), status, status == 100 ? "" : "srv");
        if (request.message().method() == Method::Invite && status / 100 == 2)
            response.add(HeaderId::Contact, "<sip:34020000001310000001@192.168.1.64:5060>");
        (void)server.respond(request, std::move(response));
        if (status < 200 && held.size() < 16)
            held.push_back(request);
    });
    server.setAckHandler([&](const SipMessage &ack, const Peer &) { (void)ack.cseq(); });
    server.setCancelHandler([&](const IncomingRequest &request) {
        (void)server.respond(request, MessageBuilder::responseTo(request.message(), 200, "srv"));
    });
    const auto onFinal = [&](const SipMessage &response, const Peer &peer) {
        if (response.statusCode() / 100 != 2 || response.cseq().method != Method::Invite)
            return;
        if (!dialog || !dialog->matchesResponse(response)) {
            auto made = Dialog::fromInviteResponse(response, peer);
            if (!made)
                std::abort(); // every 2xx to INVITE makes a dialog
            dialog = *made;
        }
        (void)client.sendAck(dialog->ack(), dialog->peer());
    };
    client.setStrayResponseHandler(onFinal);

    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    qsizetype pos = 0;
    while (pos < input.size()) {
        qsizetype end = input.indexOf(QByteArrayView("\xff\xfe", 2), pos);
        if (end < 0)
            end = input.size();
        const QByteArrayView record = input.sliced(pos, end - pos);
        pos = end + 2;
        if (record.isEmpty())
            continue;
        const auto op = std::uint8_t(record[0]);
        const QByteArrayView payload = record.sliced(1);
        const Peer peer = peerFor((op >> 3) & 3);
        answer = op >> 5;

        switch (op & 7) {
        case 0: // a datagram for the server
            if (auto message = SipMessage::parse(payload)) {
                lastServerInput = *message;
                server.receive(*message, peer);
            }
            break;
        case 1: // a datagram for the client (stray, or a forged response)
            if (auto message = SipMessage::parse(payload))
                client.receive(*message, peer);
            break;
        case 2: // the server's TU answers a held request, maybe too late or twice
            if (!held.empty() && !payload.isEmpty()) {
                const IncomingRequest &request = held[std::size_t(std::uint8_t(payload[0])) % held.size()];
                const int status = payload.size() > 1 ? kAnswers[std::uint8_t(payload[1]) % 8] : 200;
                (void)server.respond(request, MessageBuilder::responseTo(request.message(), status ? status : 183, "srv"));
            }
            break;
        case 3: { // the client starts a transaction
            const bool isInvite = !payload.isEmpty() && (payload[0] & 1);
            auto handle = client.sendRequest(clientRequest(isInvite, payload), peer, [&](const ClientEvent &event) {
                if (event.kind == ClientEvent::Kind::Final)
                    onFinal(event.response, event.peer);
            });
            if (handle && isInvite && invites.size() < 16)
                invites.push_back(*handle);
            break;
        }
        case 4: // the peer answers the client's last request (so that matching succeeds)
            if (!clientSink.sent.empty()) {
                if (auto request = SipMessage::parse(clientSink.sent.back()); request && request->isRequest()) {
                    const int status = payload.isEmpty() ? 200 : kAnswers[std::uint8_t(payload[0]) % 8];
                    const QByteArray tag = payload.size() > 1 ? payload.sliced(1).toByteArray().toHex().left(32) : "dev";
                    MessageBuilder response = MessageBuilder::responseTo(*request, status ? status : 183, tag);
                    if (auto parsed = SipMessage::parse(response.serialize()))
                        client.receive(*parsed, peer);
                }
            }
            break;
        case 5:
            if (!invites.empty())
                (void)client.cancel(invites[std::size_t(payload.isEmpty() ? 0 : std::uint8_t(payload[0])) % invites.size()]);
            break;
        case 6:
            client.connectionClosed(peer);
            server.connectionClosed(peer);
            clientSink.failing = !payload.isEmpty() && (payload[0] & 1);
            break;
        case 7: // a retransmission of the server's last input, possibly from elsewhere
            if (lastServerInput)
                server.receive(*lastServerInput, peer);
            break;
        }

        const TransactionStats stats = server.stats();
        if (stats.liveServerTransactions > quint32(config.maxServerTransactions)
            || client.stats().liveClientTransactions > quint32(config.maxClientTransactions) + 16) // + CANCELs
            std::abort();
    }
    return 0;
}
