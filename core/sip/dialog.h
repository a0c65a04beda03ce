#pragma once

#include "common/result.h"
#include "messagebuilder.h"
#include "peer.h"
#include "sipmessage.h"

#include <QByteArray>
#include <QList>

#include <cstdint>

namespace Vigil::Sip {

/// A dialog's identity (RFC 3261 §12): Call-ID and both tags, seen from our side.
struct DialogId {
    QByteArray callId;
    QByteArray localTag;
    QByteArray remoteTag;

    /// Of a request the peer sent inside a dialog (BYE, INFO, re-INVITE): local = To tag,
    /// remote = From tag.
    static DialogId ofIncomingRequest(const SipMessage &request);
    /// Of a response to a request we sent (a retransmitted 2xx to our INVITE): local = From
    /// tag, remote = To tag.
    static DialogId ofResponse(const SipMessage &response);

    friend bool operator==(const DialogId &, const DialogId &) = default;
};

size_t qHash(const DialogId &id, size_t seed = 0) noexcept;

/// An INVITE dialog as a value: what RFC 3261 §12 keeps (Call-ID, tags, CSeq numbers, remote
/// target, route set) plus the Peer that in-dialog requests go to. For GB/T 28181 that is the
/// device's NAT address (where its 200 OK came from), while the Request-URI is the Contact of
/// its 200 OK. Builds in-dialog requests as MessageBuilders for TransactionLayer::sendRequest()
/// (and the ACK for TransactionLayer::sendAck()); the layer adds the Via.
class Dialog {
public:
    enum class Role : std::uint8_t {
        Uac, ///< we sent the INVITE
        Uas, ///< we answered it
    };

    /// A UAC dialog from the 2xx to our INVITE; `peer` is where the response came from.
    static Result<Dialog> fromInviteResponse(const SipMessage &response, const Peer &peer);
    /// A UAS dialog from an INVITE we answered 2xx with `localTag` in its To.
    static Result<Dialog> fromInviteRequest(const SipMessage &invite, QByteArrayView localTag, const Peer &peer);

    const DialogId &id() const noexcept { return m_id; }
    Role role() const noexcept { return m_role; }
    /// Where in-dialog requests go.
    const Peer &peer() const noexcept { return m_peer; }
    /// Follows the device when its NAT binding moves (a keepalive from a new source).
    void setPeer(const Peer &peer) { m_peer = peer; }
    /// The Request-URI of in-dialog requests: the peer's Contact URI.
    const QByteArray &remoteTarget() const noexcept { return m_remoteTarget; }
    /// Route values ("<sip:...;lr>"), in the order they go into requests.
    const QList<QByteArray> &routeSet() const noexcept { return m_routeSet; }
    /// The CSeq number of our last request in the dialog (UAC: starts at the INVITE's).
    std::uint32_t localCSeq() const noexcept { return m_localCSeq; }
    /// The CSeq number of the peer's last request; 0 before any.
    std::uint32_t remoteCSeq() const noexcept { return m_remoteCSeq; }

    /// UAC only: the ACK for the INVITE's 2xx (RFC 3261 §13.2.2.4): CSeq is the INVITE's number.
    /// Send one for every copy of the 2xx that arrives.
    MessageBuilder ack() const;
    /// The next in-dialog request (BYE, INFO...) with a CSeq above every one sent before.
    /// `methodText` only for Method::Other.
    MessageBuilder request(Method method, QByteArrayView methodText = {});

    /// True when `request` (from the peer) belongs to this dialog: Call-ID, its From tag is our
    /// remote tag and its To tag our local tag.
    bool matches(const SipMessage &request) const noexcept;
    /// True when `response` (to a request of ours) belongs to this dialog.
    bool matchesResponse(const SipMessage &response) const noexcept;
    /// RFC 3261 §12.2.2: records the CSeq of an in-dialog request from the peer; false when it is
    /// lower than the last one (answer 500). Not for ACK and CANCEL.
    bool acceptRemoteCSeq(const SipMessage &request);

private:
    MessageBuilder build(Method method, QByteArrayView methodText, std::uint32_t cseq) const;

    DialogId m_id;
    QByteArray m_localAddress;  ///< From of our requests: our name-addr with our tag
    QByteArray m_remoteAddress; ///< To of our requests: theirs with their tag
    QByteArray m_remoteTarget;
    QList<QByteArray> m_routeSet;
    Peer m_peer;
    std::uint32_t m_localCSeq = 0;
    std::uint32_t m_remoteCSeq = 0;
    std::uint32_t m_inviteCSeq = 0;
    Role m_role = Role::Uac;
};

} // namespace Vigil::Sip
