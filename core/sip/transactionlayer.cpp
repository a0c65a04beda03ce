#include "transactionlayer.h"

#include "common/logging.h"

#include <QThread>

#include <algorithm>
#include <limits>

namespace Vigil::Sip {

namespace {

/// Timers of fixed length (Timer J, the TU answer timeout) may fire this much late, so that
/// at high request rates one wake-up serves many of them.
constexpr qint64 kFifoSlackMs = 50;

/// For logging the 1st, 2nd, 4th, 8th... occurrence of something that can happen in floods.
constexpr bool isPowerOfTwo(quint64 n) noexcept
{
    return n != 0 && (n & (n - 1)) == 0;
}

void appendNumber(QByteArray &out, std::uint64_t value)
{
    char digits[20];
    int n = 0;
    do {
        digits[n++] = char('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (n > 0)
        out.append(digits[--n]);
}

void appendHex64(QByteArray &out, quint64 value)
{
    static constexpr char kHex[] = "0123456789abcdef";
    char text[16];
    for (int i = 15; i >= 0; --i) {
        text[i] = kHex[value & 0xF];
        value >>= 4;
    }
    out.append(text, 16);
}

/// CANCEL or the ACK for a non-2xx: the INVITE's Request-URI, top Via (so its branch), Route,
/// From, Call-ID and CSeq number, with `to` as To (RFC 3261 §9.1, §17.1.1.3).
MessageBuilder sameTransactionRequest(const SipMessage &invite, Method method, QByteArrayView to)
{
    MessageBuilder request = MessageBuilder::request(method, invite.requestUriText());
    request.add(HeaderId::Via, invite.header(HeaderId::Via));
    for (QByteArrayView route : invite.headerValues(HeaderId::Route))
        request.add(HeaderId::Route, route);
    request.add(HeaderId::From, invite.header(HeaderId::From));
    request.add(HeaderId::To, to);
    request.add(HeaderId::CallId, invite.callId());
    QByteArray cseq;
    appendNumber(cseq, invite.cseq().number);
    cseq.append(' ').append(methodName(method));
    request.add(HeaderId::CSeq, cseq);
    request.add(HeaderId::MaxForwards, "70");
    return request;
}

QByteArray ackKeyOf(const SipMessage &message)
{
    QByteArray key;
    key.reserve(message.callId().size() + message.from().tag().size() + 14);
    key.append(message.callId()).append(' ');
    appendNumber(key, message.cseq().number);
    key.append(' ').append(message.from().tag());
    return key;
}

/// The address as Via's received= wants it; IPv4 without the detour through QString.
QByteArray addressText(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (!isV4)
        return address.toString().toLatin1();
    QByteArray text;
    text.reserve(15);
    for (int shift = 24; shift >= 0; shift -= 8) {
        appendNumber(text, (v4 >> shift) & 0xFF);
        if (shift)
            text.append('.');
    }
    return text;
}

QByteArray toTagOf(const MessageBuilder &response)
{
    const auto to = NameAddrView::parse(response.header(HeaderId::To));
    return to ? to->tag().toByteArray() : QByteArray();
}

} // namespace

struct TransactionLayer::InviteServerState {
    QByteArray ackKey; ///< Call-ID, CSeq number and From tag, for the ACK of our 2xx
    QByteArray toTag;  ///< of the responses sent so far; reused for 487 and the CANCEL's 200
    qint64 tryingDueMs = -1;
    qint64 retransmitDueMs = -1; ///< Timer G (and the 2xx retransmissions of the UAS core)
    qint64 deadlineDueMs = -1;   ///< TU answer timeout, Timer H, Timer I, or the 64*T1 ACK wait
    int intervalMs = 0;
};

TransactionLayer::TransactionLayer(TransportSink &sink, TransactionConfig config, QObject *parent)
    : QObject(parent)
    , m_sink(sink)
    , m_config(config)
    , m_timer(this) // a child, so that moveToThread() takes it along
    , m_random(QRandomGenerator64::securelySeeded())
{
    Q_ASSERT(m_config.t1Ms > 0 && m_config.t2Ms >= m_config.t1Ms && m_config.t4Ms >= 0);
    m_clock.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &TransactionLayer::onTimer);
    m_key.reserve(256);
}

TransactionLayer::~TransactionLayer() = default;

int TransactionLayer::timerJMs(const Peer &peer) const
{
    return peer.transport == TransportKind::Udp ? 64 * m_config.t1Ms : 0;
}

// --- receiving ---------------------------------------------------------------------------------

void TransactionLayer::receive(SipMessage message, const Peer &peer)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (message.isResponse()) {
        ++m_stats.responsesIn;
        handleResponse(std::move(message), peer);
    } else {
        ++m_stats.requestsIn;
        handleRequest(std::move(message), peer);
    }
}

void TransactionLayer::buildServerKey(const SipMessage &message, QByteArrayView asMethod)
{
    // RFC 3261 §17.2.3: branch + sent-by + method. RFC 2543 peers (no magic cookie) get
    // Call-ID + CSeq + From tag + top Via, which is what GB devices of that age keep stable.
    const ViaView &via = message.topVia();
    m_key.resize(0);
    if (via.hasRfc3261Branch()) {
        m_key.append('B').append(asMethod).append(' ').append(via.branch).append(' ').append(via.host).append(':');
        appendNumber(m_key, via.port);
    } else {
        m_key.append('L').append(asMethod).append(' ').append(message.callId()).append(' ');
        appendNumber(m_key, message.cseq().number);
        m_key.append(' ').append(message.from().tag()).append(' ').append(via.host).append(':');
        appendNumber(m_key, via.port);
        m_key.append(' ').append(via.branch);
    }
}

void TransactionLayer::handleRequest(SipMessage &&message, const Peer &peer)
{
    const Method method = message.method();
    if (method == Method::Ack) {
        handleAck(message, peer);
        return;
    }
    buildServerKey(message, message.methodText());
    if (const auto it = m_serverIndex.constFind(m_key); it != m_serverIndex.cend()) {
        absorbRetransmission(*it, peer);
        return;
    }
    if (method == Method::Cancel) {
        handleCancel(std::move(message), peer);
        return;
    }
    if (!makeRoomForServer()) {
        if (isPowerOfTwo(++m_stats.overloadRejections))
            qCWarning(lcSip) << "server transaction table full; answering 503 to" << message.methodText()
                             << "from" << peer.toString() << "(" << m_stats.overloadRejections << "so far)";
        respondStateless(message, peer, 503);
        return;
    }

    const bool invite = method == Method::Invite;
    const std::uint32_t slot = allocServer(peer, invite);
    const std::uint32_t generation = m_server[slot].generation;
    const qint64 arrivedMs = nowMs();
    if (invite) {
        InviteServerState &state = *m_server[slot].invite;
        state.ackKey = ackKeyOf(message);
        state.tryingDueMs = arrivedMs + m_config.inviteTryingDelayMs;
        state.deadlineDueMs = arrivedMs + m_config.inviteAnswerTimeoutMs;
        schedule(TimerKind::ServerTrying, slot, generation, state.tryingDueMs);
        schedule(TimerKind::ServerDeadline, slot, generation, state.deadlineDueMs);
    }

    IncomingRequest request;
    request.m_message = std::move(message);
    request.m_peer = peer;
    request.m_slot = slot;
    request.m_generation = generation;
    if (m_requestHandler) {
        m_requestHandler(request);
    } else {
        qCWarning(lcSip) << "no request handler; answering 500 to" << request.message().methodText();
        MessageBuilder response = MessageBuilder::responseTo(request.message(), 500, newTag());
        (void)sendResponse(slot, response);
    }

    // Most requests are answered from inside the handler; only those still open need the
    // request kept (for the layer's own 100/487/500), and an entry in the answer-timeout queue.
    ServerTx *tx = m_server.find(slot, generation);
    if (!tx || (tx->state != ServerState::Trying && tx->state != ServerState::Proceeding && !invite))
        return;
    tx->request = std::make_unique<IncomingRequest>(std::move(request));
    if (!invite) {
        m_unansweredQueue.push(TimerEntry{arrivedMs + m_config.nonInviteAnswerTimeoutMs, slot, generation, 0});
        armTimer();
    }
}

void TransactionLayer::absorbRetransmission(std::uint32_t slot, const Peer &peer)
{
    ServerTx &tx = m_server[slot];
    ++m_stats.retransmissionsAbsorbed;
    tx.peer = peer; // a NAT may have rebound; answer where the device is now
    if (!tx.response.isEmpty()) {
        ++m_stats.retransmissionsSent;
        if (!m_sink.send(peer, tx.response))
            qCDebug(lcSip) << "could not resend a response to" << peer.toString();
        return;
    }
    if (tx.invite && tx.request) {
        // An INVITE retransmitted before the TU said anything: 100 Trying stops the resends.
        MessageBuilder trying = MessageBuilder::responseTo(tx.request->message(), 100);
        (void)sendResponse(slot, trying);
    }
}

void TransactionLayer::handleAck(const SipMessage &ack, const Peer &peer)
{
    std::uint32_t slot = 0;
    bool found = false;
    buildServerKey(ack, "INVITE");
    if (const auto it = m_serverIndex.constFind(m_key); it != m_serverIndex.cend()) {
        slot = *it;
        found = true;
    } else if (const auto a = m_ackIndex.constFind(ackKeyOf(ack)); a != m_ackIndex.cend()) {
        slot = *a;
        found = true;
    }
    if (!found) {
        // The ACK for a 2xx whose transaction already ended, or for someone else's: the TU
        // knows its dialogs.
        if (m_ackHandler)
            m_ackHandler(ack, peer);
        return;
    }

    ServerTx &tx = m_server[slot];
    InviteServerState &state = *tx.invite;
    switch (tx.state) {
    case ServerState::Completed: // ACK for our non-2xx: Timer I absorbs its retransmissions
        tx.state = ServerState::Confirmed;
        state.retransmitDueMs = -1;
        state.deadlineDueMs = nowMs() + (tx.peer.transport == TransportKind::Udp ? m_config.t4Ms : 0);
        schedule(TimerKind::ServerDeadline, slot, tx.generation, state.deadlineDueMs);
        ++m_stats.retransmissionsAbsorbed;
        return;
    case ServerState::Accepted: // the ACK for our 2xx (some devices even reuse the INVITE branch)
        tx.state = ServerState::AcceptedAcked;
        state.retransmitDueMs = -1;
        if (m_ackHandler)
            m_ackHandler(ack, peer);
        return;
    default:
        ++m_stats.retransmissionsAbsorbed;
        return;
    }
}

void TransactionLayer::handleCancel(SipMessage &&cancel, const Peer &peer)
{
    if (!makeRoomForServer()) {
        ++m_stats.overloadRejections;
        respondStateless(cancel, peer, 503);
        return;
    }
    // RFC 3261 §9.2: the CANCEL matches the INVITE's transaction; it is answered here, never
    // passed to the TU, and the INVITE (if still open) gets 487.
    buildServerKey(cancel, "INVITE");
    std::uint32_t inviteSlot = 0;
    std::uint32_t inviteGeneration = 0;
    bool inviteOpen = false;
    int status = 481;
    QByteArray tag;
    if (const auto it = m_serverIndex.constFind(m_key); it != m_serverIndex.cend()) {
        inviteSlot = *it;
        ServerTx &invite = m_server[inviteSlot];
        inviteGeneration = invite.generation;
        status = 200;
        inviteOpen = (invite.state == ServerState::Trying || invite.state == ServerState::Proceeding)
            && invite.request;
        if (invite.invite->toTag.isEmpty())
            invite.invite->toTag = newTag();
        tag = invite.invite->toTag;
    } else {
        tag = newTag();
    }

    buildServerKey(cancel, cancel.methodText());
    const std::uint32_t slot = allocServer(peer, false);
    MessageBuilder cancelResponse = MessageBuilder::responseTo(cancel, status, tag);
    (void)sendResponse(slot, cancelResponse);
    if (!inviteOpen) {
        qCDebug(lcSip) << "CANCEL from" << peer.toString() << "answered" << status;
        return;
    }

    const IncomingRequest invite = *m_server[inviteSlot].request;
    MessageBuilder terminated = MessageBuilder::responseTo(invite.message(), 487, tag);
    (void)sendResponse(inviteSlot, terminated);
    if (m_cancelHandler && m_server.find(inviteSlot, inviteGeneration))
        m_cancelHandler(invite);
}

void TransactionLayer::handleResponse(SipMessage &&response, const Peer &peer)
{
    const ViaView &via = response.topVia();
    m_key.resize(0);
    m_key.append(via.branch);
    if (response.cseq().method == Method::Cancel)
        m_key.append("/CANCEL");
    const auto it = m_clientIndex.constFind(m_key);
    if (it == m_clientIndex.cend() || m_client[*it].state == ClientState::Failed
        || (response.cseq().method != m_client[*it].method && m_client[*it].method != Method::Other)) {
        ++m_stats.strayResponses;
        if (m_strayHandler)
            m_strayHandler(response, peer);
        else
            qCDebug(lcSip) << "stray response" << response.statusCode() << response.cseq().methodText << "from"
                           << peer.toString();
        return;
    }
    ClientTx &tx = m_client[*it];
    if (tx.peer.transport == TransportKind::Tcp && tx.peer.connectionId == 0)
        tx.peer.connectionId = peer.connectionId; // the connection the sink opened: ACK and CANCEL use it too
    if (tx.method == Method::Invite)
        handleInviteResponse(*it, std::move(response), peer);
    else
        handleNonInviteResponse(*it, std::move(response), peer);
}

void TransactionLayer::handleNonInviteResponse(std::uint32_t slot, SipMessage &&response, const Peer &peer)
{
    ClientTx &tx = m_client[slot];
    if (tx.state == ClientState::Completed) {
        ++m_stats.retransmissionsAbsorbed; // Timer K
        return;
    }
    const int status = response.statusCode();
    if (status < 200) {
        tx.state = ClientState::Proceeding;
        deliver(slot, ClientEvent{ClientEvent::Kind::Provisional, std::move(response), peer, false});
        return;
    }
    if (tx.method == Method::Cancel && status >= 300)
        qCDebug(lcSip) << "CANCEL answered" << status << "by" << peer.toString();

    ClientCallback callback = std::move(tx.callback);
    tx.callback = nullptr;
    if (tx.peer.transport == TransportKind::Udp) {
        tx.state = ClientState::Completed;
        tx.retransmitDueMs = -1;
        tx.bytes = QByteArray();
        tx.deadlineDueMs = nowMs() + m_config.t4Ms;
        schedule(TimerKind::ClientDeadline, slot, tx.generation, tx.deadlineDueMs);
    } else {
        freeClient(slot);
    }
    if (callback)
        callback(ClientEvent{ClientEvent::Kind::Final, std::move(response), peer, false});
}

void TransactionLayer::handleInviteResponse(std::uint32_t slot, SipMessage &&response, const Peer &peer)
{
    ClientTx &tx = m_client[slot];
    const int status = response.statusCode();
    if (tx.state == ClientState::Completed) {
        if (status >= 300) { // the final was retransmitted: our ACK got lost (Timer D)
            ++m_stats.retransmissionsAbsorbed;
            ++m_stats.retransmissionsSent;
            m_sink.send(tx.peer, tx.bytes);
        } else {
            ++m_stats.strayResponses;
            if (m_strayHandler)
                m_strayHandler(response, peer);
        }
        return;
    }

    if (status < 200) {
        const bool firstProvisional = tx.state == ClientState::Calling;
        tx.state = ClientState::Proceeding;
        tx.retransmitDueMs = -1;
        if (!tx.cancelSent) {
            if (firstProvisional && tx.cancelRequested) {
                sendCancel(slot);
            } else { // Timer C, restarted by every provisional (RFC 3261 §16.6 step 11)
                tx.deadlineDueMs = nowMs() + m_config.inviteProceedingTimeoutMs;
                schedule(TimerKind::ClientDeadline, slot, tx.generation, tx.deadlineDueMs);
            }
        }
        deliver(slot, ClientEvent{ClientEvent::Kind::Provisional, std::move(response), peer, false});
        return;
    }

    if (status < 300) {
        // RFC 3261 §17.1.1.2: the transaction ends with the 2xx; retransmissions of it are
        // stray responses for the dialog to ACK.
        const bool afterCancel = tx.cancelSent;
        if (afterCancel)
            qCInfo(lcSip) << "INVITE to" << tx.peer.toString() << "accepted after CANCEL; the call must be ended with BYE";
        finishClient(slot, ClientEvent{ClientEvent::Kind::Final, std::move(response), peer, afterCancel});
        return;
    }

    sendAckForFailure(tx, response);
    ClientEvent event{ClientEvent::Kind::Final, std::move(response), peer, false};
    if (tx.timedOut) {
        event.kind = ClientEvent::Kind::Timeout;
        ++m_stats.timeouts;
    }
    ClientCallback callback = std::move(tx.callback);
    tx.callback = nullptr;
    if (tx.peer.transport == TransportKind::Udp) {
        tx.state = ClientState::Completed; // Timer D
        tx.retransmitDueMs = -1;
        tx.deadlineDueMs = nowMs() + 64 * qint64(m_config.t1Ms);
        schedule(TimerKind::ClientDeadline, slot, tx.generation, tx.deadlineDueMs);
    } else {
        freeClient(slot);
    }
    if (callback)
        callback(event);
}

// --- server transactions -----------------------------------------------------------------------

std::uint32_t TransactionLayer::allocServer(const Peer &peer, bool invite)
{
    const std::uint32_t slot = m_server.acquire();
    ServerTx &tx = m_server[slot];
    tx.key = QByteArray(m_key.constData(), m_key.size());
    tx.peer = peer;
    tx.state = ServerState::Trying;
    if (invite)
        tx.invite = std::make_unique<InviteServerState>();
    m_serverIndex.insert(tx.key, slot);
    ++m_stats.liveServerTransactions;
    return slot;
}

void TransactionLayer::freeServer(std::uint32_t slot)
{
    const ServerTx &tx = m_server[slot];
    m_serverIndex.remove(tx.key);
    if (tx.invite && !tx.invite->ackKey.isEmpty()) {
        const auto it = m_ackIndex.constFind(tx.invite->ackKey);
        if (it != m_ackIndex.cend() && *it == slot)
            m_ackIndex.erase(it);
    }
    m_server.release(slot);
    --m_stats.liveServerTransactions;
}

bool TransactionLayer::makeRoomForServer()
{
    if (m_stats.liveServerTransactions < quint32(m_config.maxServerTransactions))
        return true;
    while (!m_completedQueue.isEmpty()) {
        const TimerEntry oldest = m_completedQueue.pop();
        const ServerTx *tx = m_server.find(oldest.slot, oldest.generation);
        if (tx && tx->state == ServerState::Completed && !tx->invite) {
            freeServer(oldest.slot);
            ++m_stats.evictions;
            return true;
        }
    }
    return false;
}

Result<void> TransactionLayer::respond(const IncomingRequest &request, MessageBuilder response)
{
    Q_ASSERT(QThread::currentThread() == thread());
    Q_ASSERT(!response.isRequest() && response.statusCode() >= 100 && response.statusCode() <= 699);
    const ServerTx *tx = m_server.find(request.m_slot, request.m_generation);
    if (!tx) {
        qCDebug(lcSip) << "response" << response.statusCode() << "for an ended transaction dropped";
        return fail(ErrorCode::NotFound, QStringLiteral("the transaction of this request has ended"));
    }
    if (tx->state != ServerState::Trying && tx->state != ServerState::Proceeding) {
        // Not necessarily a TU bug: a CANCEL or the layer's own 500 may have answered first.
        qCDebug(lcSip) << "second final response" << response.statusCode() << "to" << request.message().methodText()
                       << "dropped";
        return fail(ErrorCode::InvalidArgument, QStringLiteral("this request already has a final response"));
    }
    return sendResponse(request.m_slot, response);
}

void TransactionLayer::discard(const IncomingRequest &request)
{
    Q_ASSERT(QThread::currentThread() == thread());
    const ServerTx *tx = m_server.find(request.m_slot, request.m_generation);
    if (!tx || (tx->state != ServerState::Trying && tx->state != ServerState::Proceeding))
        return;
    ++m_stats.discarded;
    freeServer(request.m_slot);
}

Result<void> TransactionLayer::sendResponse(std::uint32_t slot, MessageBuilder &response)
{
    ServerTx &tx = m_server[slot];
    const int status = response.statusCode();
    response.stampTopVia(addressText(tx.peer.address), tx.peer.port);
    QByteArray bytes = response.serialize();
    const bool sent = m_sink.send(tx.peer, bytes);
    ++m_stats.responsesOut;
    const qint64 now = nowMs();

    if (!tx.invite) {
        if (status < 200) {
            tx.state = ServerState::Proceeding;
            tx.response = std::move(bytes);
        } else if (const int timerJ = timerJMs(tx.peer); timerJ > 0) {
            tx.state = ServerState::Completed;
            tx.response = std::move(bytes);
            tx.response.squeeze(); // kept for 64*T1: drop the serialiser's spare capacity
            tx.request.reset();
            m_completedQueue.push(TimerEntry{now + timerJ, slot, tx.generation, 0});
            armTimer();
        } else {
            freeServer(slot);
        }
    } else {
        InviteServerState &state = *tx.invite;
        state.tryingDueMs = -1;
        tx.response = std::move(bytes);
        if (const QByteArray tag = toTagOf(response); !tag.isEmpty())
            state.toTag = tag;
        if (status < 200) {
            tx.state = ServerState::Proceeding;
        } else {
            // 2xx: the UAS core's retransmissions until the ACK (RFC 3261 §13.3.1.4, RFC 6026
            // Accepted state); non-2xx: Timers G and H. Both end after 64*T1.
            tx.state = status < 300 ? ServerState::Accepted : ServerState::Completed;
            if (status < 300)
                m_ackIndex.insert(state.ackKey, slot);
            state.deadlineDueMs = now + 64 * qint64(m_config.t1Ms);
            schedule(TimerKind::ServerDeadline, slot, tx.generation, state.deadlineDueMs);
            if (tx.peer.transport == TransportKind::Udp) {
                state.intervalMs = m_config.t1Ms;
                state.retransmitDueMs = now + state.intervalMs;
                schedule(TimerKind::ServerRetransmit, slot, tx.generation, state.retransmitDueMs);
            }
        }
    }
    if (!sent) {
        qCDebug(lcSip) << "could not send response" << status;
        return fail(ErrorCode::IoError, QStringLiteral("the response could not be sent"));
    }
    return {};
}

void TransactionLayer::respondStateless(const SipMessage &request, const Peer &peer, int statusCode)
{
    MessageBuilder response = MessageBuilder::responseTo(request, statusCode, newTag());
    if (statusCode == 503)
        response.add(HeaderId::RetryAfter, "5");
    response.stampTopVia(addressText(peer.address), peer.port);
    m_sink.send(peer, response.serialize());
    ++m_stats.responsesOut;
}

// --- client transactions -----------------------------------------------------------------------

Result<ClientTransaction> TransactionLayer::sendRequest(MessageBuilder request, const Peer &peer,
                                                        ClientCallback callback)
{
    Q_ASSERT(QThread::currentThread() == thread());
    Q_ASSERT(request.isRequest() && request.method() != Method::Ack && request.method() != Method::Cancel);
    if (m_stats.liveClientTransactions >= quint32(m_config.maxClientTransactions))
        return fail(ErrorCode::IoError,
                    QStringLiteral("too many SIP requests in flight (%1)").arg(m_config.maxClientTransactions));

    QByteArray branch("z9hG4bK");
    appendHex64(branch, m_random.generate64());
    const QByteArray sentBy = m_sink.viaSentBy(peer);
    QByteArray via;
    via.reserve(40 + sentBy.size());
    via.append(peer.transport == TransportKind::Udp ? "SIP/2.0/UDP " : "SIP/2.0/TCP ")
        .append(sentBy)
        .append(";rport;branch=")
        .append(branch);
    request.prepend(HeaderId::Via, via);
    if (request.header(HeaderId::MaxForwards).isNull())
        request.add(HeaderId::MaxForwards, "70");

    QByteArray bytes = request.serialize();
    bytes.squeeze(); // kept until the transaction ends: drop the serialiser's spare capacity
    std::unique_ptr<SipMessage> invite;
    if (request.method() == Method::Invite) {
        auto parsed = SipMessage::parse(bytes);
        if (!parsed)
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("INVITE does not parse: %1").arg(parsed.error().message));
        invite = std::make_unique<SipMessage>(std::move(*parsed));
    }

    const std::uint32_t slot = allocClient();
    ClientTx &tx = m_client[slot];
    tx.key = std::move(branch);
    tx.bytes = std::move(bytes);
    tx.peer = peer;
    tx.callback = std::move(callback);
    tx.invite = std::move(invite);
    tx.method = request.method();
    m_clientIndex.insert(tx.key, slot);
    const ClientTransaction handle{slot, tx.generation};

    ++m_stats.requestsOut;
    if (m_sink.send(tx.peer, tx.bytes))
        startClientTimers(slot);
    else
        failClient(slot);
    return handle;
}

Result<void> TransactionLayer::cancel(ClientTransaction transaction)
{
    Q_ASSERT(QThread::currentThread() == thread());
    ClientTx *tx = m_client.find(transaction.slot, transaction.generation);
    if (!tx || tx->method != Method::Invite
        || (tx->state != ClientState::Calling && tx->state != ClientState::Proceeding))
        return fail(ErrorCode::InvalidArgument, QStringLiteral("no pending INVITE to cancel"));
    if (tx->cancelSent || tx->cancelRequested)
        return {};
    if (tx->state == ClientState::Calling) {
        tx->cancelRequested = true; // RFC 3261 §9.1: wait for a provisional before CANCEL
        return {};
    }
    sendCancel(transaction.slot);
    return {};
}

Result<void> TransactionLayer::sendAck(MessageBuilder ack, const Peer &peer)
{
    Q_ASSERT(QThread::currentThread() == thread());
    Q_ASSERT(ack.isRequest() && ack.method() == Method::Ack);
    QByteArray via(peer.transport == TransportKind::Udp ? "SIP/2.0/UDP " : "SIP/2.0/TCP ");
    via.append(m_sink.viaSentBy(peer)).append(";rport;branch=z9hG4bK");
    appendHex64(via, m_random.generate64());
    ack.prepend(HeaderId::Via, via);
    if (ack.header(HeaderId::MaxForwards).isNull())
        ack.add(HeaderId::MaxForwards, "70");
    ++m_stats.requestsOut;
    if (!m_sink.send(peer, ack.serialize()))
        return fail(ErrorCode::IoError, QStringLiteral("the ACK could not be sent to %1").arg(peer.toString()));
    return {};
}

void TransactionLayer::connectionClosed(const Peer &peer)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (peer.transport != TransportKind::Tcp)
        return;
    // A linear pass over the client slots: connections close rarely compared with requests,
    // and a few thousand slots take microseconds.
    for (std::uint32_t slot = 0; slot < m_client.size(); ++slot) {
        const ClientTx &tx = m_client[slot];
        if ((tx.state != ClientState::Calling && tx.state != ClientState::Proceeding)
            || tx.peer.transport != TransportKind::Tcp)
            continue;
        const bool sameConnection = peer.connectionId != 0 && tx.peer.connectionId == peer.connectionId;
        const bool sameAddress = tx.peer.connectionId == 0 && tx.peer.address == peer.address && tx.peer.port == peer.port;
        if (sameConnection || sameAddress)
            failClient(slot);
    }
}

std::uint32_t TransactionLayer::allocClient()
{
    const std::uint32_t slot = m_client.acquire();
    m_client[slot].state = ClientState::Calling;
    ++m_stats.liveClientTransactions;
    return slot;
}

void TransactionLayer::freeClient(std::uint32_t slot)
{
    m_clientIndex.remove(m_client[slot].key);
    m_client.release(slot);
    --m_stats.liveClientTransactions;
}

void TransactionLayer::startClientTimers(std::uint32_t slot)
{
    ClientTx &tx = m_client[slot];
    const qint64 now = nowMs();
    if (tx.peer.transport == TransportKind::Udp) { // Timer A / E
        tx.intervalMs = m_config.t1Ms;
        tx.retransmitDueMs = now + tx.intervalMs;
        schedule(TimerKind::ClientRetransmit, slot, tx.generation, tx.retransmitDueMs);
    }
    tx.deadlineDueMs = now + 64 * qint64(m_config.t1Ms); // Timer B / F
    schedule(TimerKind::ClientDeadline, slot, tx.generation, tx.deadlineDueMs);
}

void TransactionLayer::sendCancel(std::uint32_t inviteSlot)
{
    // RFC 3261 §9.1: same Request-URI, Call-ID, From, To, CSeq number and top Via (branch)
    // as the INVITE, and the same Route.
    ClientTx &invite = m_client[inviteSlot];
    Q_ASSERT(invite.invite);
    const SipMessage &original = *invite.invite;
    const MessageBuilder cancel = sameTransactionRequest(original, Method::Cancel, original.header(HeaderId::To));

    invite.cancelSent = true;
    // RFC 3261 §9.1: without a final response 64*T1 after the CANCEL, the INVITE is given up.
    invite.deadlineDueMs = nowMs() + 64 * qint64(m_config.t1Ms);
    schedule(TimerKind::ClientDeadline, inviteSlot, invite.generation, invite.deadlineDueMs);
    QByteArray key = invite.key + "/CANCEL";
    const Peer peer = invite.peer;

    const std::uint32_t slot = allocClient(); // may move m_client: `invite` is not used below
    ClientTx &tx = m_client[slot];
    tx.key = std::move(key);
    tx.bytes = cancel.serialize();
    tx.peer = peer;
    tx.method = Method::Cancel;
    m_clientIndex.insert(tx.key, slot);
    ++m_stats.requestsOut;
    if (m_sink.send(tx.peer, tx.bytes))
        startClientTimers(slot);
    else
        failClient(slot);
}

void TransactionLayer::sendAckForFailure(ClientTx &tx, const SipMessage &response)
{
    // RFC 3261 §17.1.1.3: the ACK for a non-2xx is part of the INVITE transaction (same branch,
    // To with the response's tag) and goes where the INVITE went.
    const MessageBuilder ack = sameTransactionRequest(*tx.invite, Method::Ack, response.header(HeaderId::To));
    tx.bytes = ack.serialize();
    ++m_stats.requestsOut;
    m_sink.send(tx.peer, tx.bytes);
}

void TransactionLayer::failClient(std::uint32_t slot)
{
    // Reported from the timer, never from inside the call that noticed it, so that a TU is not
    // re-entered from its own sendRequest() or from the transport.
    ClientTx &tx = m_client[slot];
    if (tx.state == ClientState::Failed)
        return;
    qCDebug(lcSip) << "request to" << tx.peer.toString() << "failed: transport error";
    tx.state = ClientState::Failed;
    tx.retransmitDueMs = -1;
    tx.deadlineDueMs = nowMs();
    schedule(TimerKind::ClientDeadline, slot, tx.generation, tx.deadlineDueMs);
}

void TransactionLayer::finishClient(std::uint32_t slot, ClientEvent event)
{
    ClientCallback callback = std::move(m_client[slot].callback);
    freeClient(slot);
    if (callback)
        callback(event);
}

void TransactionLayer::deliver(std::uint32_t slot, const ClientEvent &event)
{
    // A copy: the callback may start transactions, which can move the slot vector.
    if (ClientCallback callback = m_client[slot].callback)
        callback(event);
}

// --- timers ------------------------------------------------------------------------------------

void TransactionLayer::schedule(TimerKind kind, std::uint32_t slot, std::uint32_t generation, qint64 dueMs)
{
    m_heap.push(TimerEntry{dueMs, slot, generation, std::uint8_t(kind)});
    armTimer();
}

void TransactionLayer::armTimer()
{
    qint64 due = std::numeric_limits<qint64>::max();
    if (!m_heap.isEmpty())
        due = m_heap.top().dueMs;
    if (!m_unansweredQueue.isEmpty())
        due = std::min(due, m_unansweredQueue.front().dueMs + kFifoSlackMs);
    if (!m_completedQueue.isEmpty())
        due = std::min(due, m_completedQueue.front().dueMs + kFifoSlackMs);
    if (due == std::numeric_limits<qint64>::max()) {
        m_timer.stop();
        m_armedDueMs = -1;
        return;
    }
    if (m_timer.isActive() && m_armedDueMs <= due)
        return;
    m_armedDueMs = due;
    m_timer.start(int(std::clamp<qint64>(due - nowMs(), 0, std::numeric_limits<int>::max())));
}

void TransactionLayer::onTimer()
{
    m_armedDueMs = -1;
    const qint64 now = nowMs();
    while (!m_heap.isEmpty() && m_heap.top().dueMs <= now) {
        const TimerEntry entry = m_heap.pop();
        switch (TimerKind(entry.kind)) {
        case TimerKind::ClientRetransmit:
        case TimerKind::ClientDeadline:
            fireClientTimer(entry);
            break;
        case TimerKind::ServerTrying:
        case TimerKind::ServerRetransmit:
        case TimerKind::ServerDeadline:
            fireServerTimer(entry);
            break;
        }
    }
    while (!m_unansweredQueue.isEmpty() && m_unansweredQueue.front().dueMs <= now)
        expireUnanswered(m_unansweredQueue.pop());
    while (!m_completedQueue.isEmpty() && m_completedQueue.front().dueMs <= now)
        expireCompleted(m_completedQueue.pop());
    armTimer();
}

void TransactionLayer::fireClientTimer(const TimerEntry &entry)
{
    ClientTx *tx = m_client.find(entry.slot, entry.generation);
    if (!tx)
        return;
    if (TimerKind(entry.kind) == TimerKind::ClientRetransmit) {
        if (tx->retransmitDueMs != entry.dueMs)
            return;
        const bool retransmitting = tx->state == ClientState::Calling
            || (tx->state == ClientState::Proceeding && tx->method != Method::Invite);
        if (!retransmitting)
            return;
        ++m_stats.retransmissionsSent;
        if (!m_sink.send(tx->peer, tx->bytes)) {
            failClient(entry.slot);
            return;
        }
        // Timer A doubles without limit; Timer E doubles up to T2, and is T2 once a
        // provisional has arrived (RFC 3261 §17.1.1.2, §17.1.2.2). The next copy is due
        // relative to the schedule, not to when this one went out, so the count before
        // Timer B/F does not depend on how busy the event loop is.
        if (tx->method == Method::Invite)
            tx->intervalMs *= 2;
        else if (tx->state == ClientState::Proceeding)
            tx->intervalMs = m_config.t2Ms;
        else
            tx->intervalMs = std::min(tx->intervalMs * 2, m_config.t2Ms);
        tx->retransmitDueMs = entry.dueMs + tx->intervalMs;
        schedule(TimerKind::ClientRetransmit, entry.slot, entry.generation, tx->retransmitDueMs);
        return;
    }

    if (tx->deadlineDueMs != entry.dueMs)
        return;
    switch (tx->state) {
    case ClientState::Calling:
    case ClientState::Proceeding:
        if (tx->method == Method::Invite && tx->state == ClientState::Proceeding && !tx->cancelSent) {
            qCInfo(lcSip) << "INVITE to" << tx->peer.toString() << "got no final response (Timer C); cancelling";
            tx->timedOut = true;
            sendCancel(entry.slot);
            return;
        }
        ++m_stats.timeouts;
        qCDebug(lcSip) << methodName(tx->method) << "to" << tx->peer.toString() << "timed out";
        finishClient(entry.slot, ClientEvent{ClientEvent::Kind::Timeout, {}, tx->peer, false});
        return;
    case ClientState::Completed:
        freeClient(entry.slot);
        return;
    case ClientState::Failed:
        ++m_stats.transportErrors;
        finishClient(entry.slot, ClientEvent{ClientEvent::Kind::TransportError, {}, tx->peer, false});
        return;
    case ClientState::Free:
        return;
    }
}

void TransactionLayer::fireServerTimer(const TimerEntry &entry)
{
    ServerTx *tx = m_server.find(entry.slot, entry.generation);
    if (!tx || !tx->invite)
        return;
    InviteServerState &state = *tx->invite;
    switch (TimerKind(entry.kind)) {
    case TimerKind::ServerTrying:
        if (state.tryingDueMs == entry.dueMs && tx->state == ServerState::Trying && tx->request) {
            MessageBuilder trying = MessageBuilder::responseTo(tx->request->message(), 100);
            (void)sendResponse(entry.slot, trying);
        }
        return;
    case TimerKind::ServerRetransmit:
        if (state.retransmitDueMs != entry.dueMs
            || (tx->state != ServerState::Completed && tx->state != ServerState::Accepted))
            return;
        ++m_stats.retransmissionsSent;
        m_sink.send(tx->peer, tx->response);
        state.intervalMs = std::min(state.intervalMs * 2, m_config.t2Ms); // Timer G
        state.retransmitDueMs = entry.dueMs + state.intervalMs;
        schedule(TimerKind::ServerRetransmit, entry.slot, entry.generation, state.retransmitDueMs);
        return;
    case TimerKind::ServerDeadline:
        break;
    default:
        return;
    }

    if (state.deadlineDueMs != entry.dueMs)
        return;
    switch (tx->state) {
    case ServerState::Trying:
    case ServerState::Proceeding:
        expireUnanswered(entry);
        return;
    case ServerState::Completed:
        qCDebug(lcSip) << "no ACK from" << tx->peer.toString() << "for a failed INVITE (Timer H)";
        freeServer(entry.slot);
        return;
    case ServerState::Accepted: {
        qCInfo(lcSip) << "no ACK from" << tx->peer.toString() << "for a 2xx to INVITE within 64*T1";
        const std::unique_ptr<IncomingRequest> request = std::move(tx->request);
        freeServer(entry.slot);
        if (m_ackTimeoutHandler && request)
            m_ackTimeoutHandler(*request);
        return;
    }
    default:
        freeServer(entry.slot);
        return;
    }
}

void TransactionLayer::expireUnanswered(const TimerEntry &entry)
{
    ServerTx *tx = m_server.find(entry.slot, entry.generation);
    if (!tx || (tx->state != ServerState::Trying && tx->state != ServerState::Proceeding))
        return;
    ++m_stats.unanswered;
    if (!tx->request) {
        freeServer(entry.slot);
        return;
    }
    if (isPowerOfTwo(m_stats.unanswered))
        qCWarning(lcSip) << "the TU did not answer" << tx->request->message().methodText() << "from"
                         << tx->peer.toString() << "in time; answering 500 (" << m_stats.unanswered << "so far)";
    MessageBuilder response = MessageBuilder::responseTo(tx->request->message(), 500, newTag());
    (void)sendResponse(entry.slot, response);
}

void TransactionLayer::expireCompleted(const TimerEntry &entry)
{
    const ServerTx *tx = m_server.find(entry.slot, entry.generation);
    if (tx && tx->state == ServerState::Completed && !tx->invite)
        freeServer(entry.slot);
}

// --- helpers -----------------------------------------------------------------------------------

QByteArray TransactionLayer::newTag()
{
    QByteArray tag;
    tag.reserve(16);
    appendHex64(tag, m_random.generate64());
    return tag;
}

QByteArray TransactionLayer::newCallId(QByteArrayView host)
{
    QByteArray callId;
    callId.reserve(33 + host.size());
    appendHex64(callId, m_random.generate64());
    appendHex64(callId, m_random.generate64());
    if (!host.isEmpty())
        callId.append('@').append(host);
    return callId;
}

} // namespace Vigil::Sip
