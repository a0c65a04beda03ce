#pragma once

#include "common/result.h"
#include "messagebuilder.h"
#include "peer.h"
#include "sipmessage.h"
#include "transactionslots.h"
#include "transactiontimers.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QRandomGenerator64>
#include <QTimer>

#include <cstdint>
#include <functional>
#include <memory>

namespace Vigil::Sip {

/// Timer values and limits of a TransactionLayer. Times in milliseconds.
struct TransactionConfig {
    int t1Ms = 500;  ///< RTT estimate, base of every retransmission interval
    int t2Ms = 4000; ///< cap of non-INVITE request and INVITE response retransmission intervals
    int t4Ms = 5000; ///< how long a message may live in the network (Timers I, K)
    /// An INVITE the TU has not answered within this gets "100 Trying" from the layer.
    int inviteTryingDelayMs = 200;
    /// A non-INVITE request the TU has not answered within this is answered "500" by the layer
    /// (and logged as a TU bug): well before the client gives up at Timer F (64*T1), so the
    /// device sees a clear failure, and the transaction's memory is not held any longer.
    int nonInviteAnswerTimeoutMs = 16000;
    /// The same for INVITE, which may legitimately wait for media set-up: Timer C's 3 minutes.
    int inviteAnswerTimeoutMs = 180000;
    /// Our INVITE got a provisional but no final answer within this (Timer C): the layer sends
    /// CANCEL and reports a timeout unless a 2xx still arrives.
    int inviteProceedingTimeoutMs = 180000;
    /// Live server transactions. At the cap the oldest completed one is evicted (a late
    /// retransmission of its request is then processed again, which GB requests tolerate:
    /// REGISTER and keepalives are idempotent, MANSCDP carries SN); when none is completed
    /// the new request is answered "503" without a transaction.
    int maxServerTransactions = 100000;
    /// Live client transactions; sendRequest() fails beyond this.
    int maxClientTransactions = 50000;
};

/// Counters for logs and benchmarks. Retransmissions "sent" are copies we re-sent (timer-driven
/// or to answer a retransmitted request); "absorbed" are retransmitted requests and responses
/// that arrived and were handled without bothering the TU.
struct TransactionStats {
    quint64 requestsIn = 0;
    quint64 responsesIn = 0;
    quint64 requestsOut = 0;
    quint64 responsesOut = 0;
    quint64 retransmissionsSent = 0;
    quint64 retransmissionsAbsorbed = 0;
    quint64 timeouts = 0;          ///< client transactions that ended without a final response
    quint64 transportErrors = 0;   ///< client transactions failed because sending failed
    quint64 strayResponses = 0;    ///< responses that matched no client transaction
    quint64 evictions = 0;         ///< completed server transactions dropped early at the cap
    quint64 overloadRejections = 0;///< requests answered 503 at the cap
    quint64 unanswered = 0;        ///< requests the TU never answered (the layer sent 500)
    quint64 discarded = 0;         ///< requests the TU dropped on purpose (discard())
    quint32 liveServerTransactions = 0;
    quint32 liveClientTransactions = 0;
};

/// A request received in a new server transaction, as handed to the TU. Cheap to keep while
/// the TU works on the answer (the message shares its bytes); answer it with
/// TransactionLayer::respond(). A handle stays safe after its transaction ended: respond()
/// then reports an error.
class IncomingRequest {
public:
    const SipMessage &message() const noexcept { return m_message; }
    /// Where it came from; responses go back exactly there.
    const Peer &peer() const noexcept { return m_peer; }

private:
    friend class TransactionLayer;
    SipMessage m_message;
    Peer m_peer;
    std::uint32_t m_slot = 0;
    std::uint32_t m_generation = 0;
};

/// Handle of a client transaction, for TransactionLayer::cancel(). Default: no transaction.
struct ClientTransaction {
    std::uint32_t slot = 0;
    std::uint32_t generation = 0;
    bool isValid() const noexcept { return generation != 0; }
};

/// What a client transaction reports to its callback: any number of Provisional, then exactly
/// one of Final, Timeout or TransportError.
struct ClientEvent {
    enum class Kind : std::uint8_t {
        Provisional,    ///< 1xx
        Final,          ///< 2xx-6xx; for an INVITE non-2xx the layer has already sent the ACK
        Timeout,        ///< Timer B/F (or Timer C / CANCEL without answer for INVITE)
        TransportError, ///< the request could not be sent, or its TCP connection closed
    };
    Kind kind = Kind::Final;
    SipMessage response; ///< Provisional and Final only
    Peer peer;           ///< where the response came from
    /// A 2xx to an INVITE after we sent CANCEL for it (the device answered before it saw the
    /// CANCEL): the call exists anyway. The TU must ACK it and send BYE at once.
    bool afterCancel = false;
};

using ClientCallback = std::function<void(const ClientEvent &)>;

/// RFC 3261 §17 client and server transactions over a TransportSink, with the GB/T 28181
/// practices of gb28181.md §8: retransmitted requests are answered from a response cache and
/// never reach the TU twice, RFC 2543 peers are matched by Call-ID/CSeq/From tag/Via, and
/// responses go to the address and connection a request came from (NAT).
///
/// Lives on the signalling thread; every method must be called there, and every handler and
/// callback is invoked there, synchronously (no queued signals). Handlers may call back into
/// the layer.
///
/// Scale: all timers share one QTimer (a binary heap for timers of different lengths, FIFO
/// queues for the two fixed ones that a registrar creates by the thousand); matching uses hash
/// maps (O(1)); transactions live in slot vectors reused through free lists, addressed by
/// slot + generation so that stale handles are harmless.
///
/// Memory per transaction (bench_transactions, glibc heap): a completed non-INVITE server
/// transaction on UDP keeps only its key, its serialised final response and its slot, hash and
/// queue entries: ~600 bytes for a 290-byte 200 OK, i.e. ~320 bytes plus the response. The
/// request itself is kept only while the TU has not answered. On TCP nothing is kept after the
/// final response (Timer J is 0). A client transaction keeps the request as sent: ~420 bytes
/// plus the request (~880 bytes for a catalog query). At the default caps that is at most
/// ~60 MB of server and ~45 MB of client state; TransactionConfig::maxServerTransactions /
/// maxClientTransactions bound it.
class TransactionLayer : public QObject {
    Q_OBJECT

public:
    using RequestHandler = std::function<void(const IncomingRequest &)>;
    using MessageHandler = std::function<void(const SipMessage &, const Peer &)>;

    /// `sink` must outlive the layer.
    explicit TransactionLayer(TransportSink &sink, TransactionConfig config = {}, QObject *parent = nullptr);
    ~TransactionLayer() override;

    const TransactionConfig &config() const noexcept { return m_config; }

    // --- wiring -------------------------------------------------------------------------------

    /// Every new request except ACK and CANCEL. Answer with respond(), now or later.
    void setRequestHandler(RequestHandler handler) { m_requestHandler = std::move(handler); }
    /// ACKs for our 2xx to an INVITE (once per INVITE; retransmitted ACKs are absorbed), and
    /// ACKs that match no transaction at all (a 2xx ACK after the transaction ended).
    void setAckHandler(MessageHandler handler) { m_ackHandler = std::move(handler); }
    /// A pending INVITE was cancelled by the peer: the layer already answered the CANCEL with
    /// 200 and the INVITE with 487. Release what was prepared for the call.
    void setCancelHandler(RequestHandler handler) { m_cancelHandler = std::move(handler); }
    /// Our 2xx to this INVITE got no ACK within 64*T1: the TU should send BYE (RFC 3261 §13.3.1.4).
    void setAckTimeoutHandler(RequestHandler handler) { m_ackTimeoutHandler = std::move(handler); }
    /// Responses that match no client transaction. Retransmitted 2xx to our INVITE land here
    /// after the transaction ended, and each needs an ACK from the dialog (Dialog::ack()).
    void setStrayResponseHandler(MessageHandler handler) { m_strayHandler = std::move(handler); }

    // --- from the transport ---------------------------------------------------------------

    /// Every parsed message the transport receives, with where it came from.
    void receive(SipMessage message, const Peer &peer);
    /// A TCP connection closed: client transactions that depend on it fail with TransportError
    /// (reported on the next event-loop pass, never from inside this call).
    void connectionClosed(const Peer &peer);

    // --- server side ---------------------------------------------------------------------------

    /// Sends `response` (built with MessageBuilder::responseTo() from request.message()) for
    /// the request's transaction: stamps received/rport on the top Via, serialises once, sends
    /// it to request.peer() and keeps the bytes for retransmitted requests. 1xx may precede
    /// one final response. Fails when the transaction is gone or already has a final response,
    /// or the transport refused the bytes (for UDP a retransmitted request still gets them).
    Result<void> respond(const IncomingRequest &request, MessageBuilder response);
    /// Ends the request's transaction without any answer: for requests the TU ignores on
    /// purpose (a stranger past its tries, a banned source). Nothing is kept for it, so a flood
    /// of ignored requests holds no transaction slots, and a retransmission of it reaches the
    /// TU again as a new request, to be judged again. `request` (and every copy of its handle)
    /// is spent: respond() to it fails. No-op when it already has a final response.
    void discard(const IncomingRequest &request);

    // --- client side -------------------------------------------------------------------------

    /// Starts a client transaction: adds the top Via (`SIP/2.0/UDP|TCP <sentBy>;rport;branch=
    /// z9hG4bK...`), serialises, sends to `peer`; retransmits on UDP (Timer A/E), times out
    /// with Timer B/F. `request` must not be ACK or CANCEL (see sendAck(), cancel()).
    /// `callback` gets the responses and the outcome; it is never called from inside this
    /// call. Fails only at TransactionConfig::maxClientTransactions.
    Result<ClientTransaction> sendRequest(MessageBuilder request, const Peer &peer, ClientCallback callback);
    /// Cancels a pending INVITE (RFC 3261 §9.1): sends CANCEL with its branch once a
    /// provisional has arrived (at once if one has). The callback then gets the final
    /// response, normally 487; a 2xx comes with ClientEvent::afterCancel. Fails when the
    /// transaction is not an INVITE still waiting for its final response.
    Result<void> cancel(ClientTransaction transaction);
    /// Sends an ACK for a 2xx (Dialog::ack()) outside any transaction, with a new Via branch.
    Result<void> sendAck(MessageBuilder ack, const Peer &peer);

    // --- helpers ------------------------------------------------------------------------------

    /// A fresh random tag for From/To (16 hex digits).
    QByteArray newTag();
    /// A fresh Call-ID ("<32 hex digits>@<host>" when `host` is given).
    QByteArray newCallId(QByteArrayView host = {});

    TransactionStats stats() const noexcept { return m_stats; }

private:
    enum class ServerState : std::uint8_t {
        Free,
        Trying,        ///< waiting for the TU, nothing sent yet
        Proceeding,    ///< waiting for the TU, a provisional was sent
        Completed,     ///< final sent (non-INVITE: Timer J; INVITE non-2xx: waiting for ACK)
        Confirmed,     ///< INVITE non-2xx ACKed (Timer I)
        Accepted,      ///< INVITE 2xx sent, retransmitting it until the ACK (RFC 6026)
        AcceptedAcked, ///< INVITE 2xx ACKed, absorbing retransmissions until 64*T1
    };
    enum class ClientState : std::uint8_t {
        Free,
        Calling,    ///< INVITE sent, nothing heard; non-INVITE: "Trying"
        Proceeding, ///< a provisional arrived
        Completed,  ///< final arrived; absorbing retransmitted responses (Timer D/K)
        Failed,     ///< transport error, reported on the next timer pass
    };
    enum class TimerKind : std::uint8_t {
        ClientRetransmit,
        ClientDeadline,
        ServerTrying,
        ServerRetransmit,
        ServerDeadline,
    };

    struct InviteServerState;
    struct ServerTx {
        QByteArray key;      ///< in m_serverIndex
        QByteArray response; ///< the last response sent, serialised
        Peer peer;
        std::unique_ptr<IncomingRequest> request; ///< while waiting for the TU; INVITE: for life
        std::unique_ptr<InviteServerState> invite;
        std::uint32_t generation = 0;
        ServerState state = ServerState::Free;
        bool isLive() const noexcept { return state != ServerState::Free; }
    };
    struct ClientTx {
        QByteArray key;   ///< in m_clientIndex: the branch (CANCEL: branch + "/CANCEL")
        QByteArray bytes; ///< the request as sent, for retransmissions
        Peer peer;
        ClientCallback callback;
        std::unique_ptr<SipMessage> invite; ///< INVITE: our request, for ACK and CANCEL
        qint64 retransmitDueMs = -1;
        qint64 deadlineDueMs = -1;
        int intervalMs = 0;
        std::uint32_t generation = 0;
        ClientState state = ClientState::Free;
        Method method = Method::Other;
        bool cancelRequested = false;
        bool cancelSent = false;
        bool timedOut = false; ///< INVITE: Timer C fired, the outcome is Timeout
        bool isLive() const noexcept { return state != ClientState::Free; }
    };

    qint64 nowMs() const { return m_clock.elapsed(); }
    int timerJMs(const Peer &peer) const;

    void handleRequest(SipMessage &&message, const Peer &peer);
    void handleAck(const SipMessage &ack, const Peer &peer);
    void handleCancel(SipMessage &&cancel, const Peer &peer);
    void handleResponse(SipMessage &&response, const Peer &peer);
    void handleInviteResponse(std::uint32_t slot, SipMessage &&response, const Peer &peer);
    void handleNonInviteResponse(std::uint32_t slot, SipMessage &&response, const Peer &peer);
    void absorbRetransmission(std::uint32_t slot, const Peer &peer);

    /// Builds the server transaction key of `message` into m_key, as if its method were `asMethod`.
    void buildServerKey(const SipMessage &message, QByteArrayView asMethod);
    std::uint32_t allocServer(const Peer &peer, bool invite);
    void freeServer(std::uint32_t slot);
    bool makeRoomForServer();
    Result<void> sendResponse(std::uint32_t slot, MessageBuilder &response);
    void respondStateless(const SipMessage &request, const Peer &peer, int statusCode);

    std::uint32_t allocClient();
    void freeClient(std::uint32_t slot);
    void startClientTimers(std::uint32_t slot);
    void sendCancel(std::uint32_t inviteSlot);
    void sendAckForFailure(ClientTx &tx, const SipMessage &response);
    void failClient(std::uint32_t slot);
    void finishClient(std::uint32_t slot, ClientEvent event);
    void deliver(std::uint32_t slot, const ClientEvent &event);

    void schedule(TimerKind kind, std::uint32_t slot, std::uint32_t generation, qint64 dueMs);
    void armTimer();
    void onTimer();
    void fireClientTimer(const TimerEntry &entry);
    void fireServerTimer(const TimerEntry &entry);
    void expireUnanswered(const TimerEntry &entry);
    void expireCompleted(const TimerEntry &entry);

    TransportSink &m_sink;
    TransactionConfig m_config;
    TransactionStats m_stats;

    RequestHandler m_requestHandler;
    MessageHandler m_ackHandler;
    RequestHandler m_cancelHandler;
    RequestHandler m_ackTimeoutHandler;
    MessageHandler m_strayHandler;

    SlotTable<ServerTx> m_server;
    QHash<QByteArray, std::uint32_t> m_serverIndex;
    /// Call-ID, CSeq number and From tag of INVITEs whose 2xx awaits its ACK (new branch).
    QHash<QByteArray, std::uint32_t> m_ackIndex;

    SlotTable<ClientTx> m_client;
    QHash<QByteArray, std::uint32_t> m_clientIndex;

    QElapsedTimer m_clock;
    QTimer m_timer;
    qint64 m_armedDueMs = -1;
    TimerHeap m_heap;
    TimerFifo m_unansweredQueue; ///< non-INVITE waiting for the TU, nonInviteAnswerTimeoutMs
    TimerFifo m_completedQueue;  ///< non-INVITE completed on UDP, Timer J

    QRandomGenerator64 m_random;
    QByteArray m_key; ///< scratch for building keys without allocating
};

} // namespace Vigil::Sip
