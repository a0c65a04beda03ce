#include "dialog.h"

#include <QHashFunctions>

namespace Vigil::Sip {

DialogId DialogId::ofIncomingRequest(const SipMessage &request)
{
    return DialogId{request.callId().toByteArray(), request.to().tag().toByteArray(),
                    request.from().tag().toByteArray()};
}

DialogId DialogId::ofResponse(const SipMessage &response)
{
    return DialogId{response.callId().toByteArray(), response.from().tag().toByteArray(),
                    response.to().tag().toByteArray()};
}

size_t qHash(const DialogId &id, size_t seed) noexcept
{
    return qHashMulti(seed, id.callId, id.localTag, id.remoteTag);
}

Result<Dialog> Dialog::fromInviteResponse(const SipMessage &response, const Peer &peer)
{
    if (!response.isResponse() || response.statusCode() / 100 != 2 || response.cseq().method != Method::Invite)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("a dialog starts with a 2xx response to INVITE"));

    Dialog dialog;
    dialog.m_role = Role::Uac;
    dialog.m_id = DialogId::ofResponse(response);
    dialog.m_localAddress = response.header(HeaderId::From).toByteArray();
    // A device that forgets the To tag still gets a dialog (matched with an empty tag).
    dialog.m_remoteAddress = response.header(HeaderId::To).toByteArray();
    const auto contacts = response.contacts();
    // Without a Contact (sloppy devices), the To URI is the best target left.
    dialog.m_remoteTarget = (!contacts.empty() && !contacts.front().wildcard ? contacts.front().uri.text
                                                                              : response.to().uri.text)
                                .toByteArray();
    const auto recordRoutes = response.headerValues(HeaderId::RecordRoute);
    for (auto it = recordRoutes.rbegin(); it != recordRoutes.rend(); ++it)
        dialog.m_routeSet.append(it->toByteArray());
    dialog.m_peer = peer;
    dialog.m_localCSeq = response.cseq().number;
    dialog.m_inviteCSeq = response.cseq().number;
    return dialog;
}

Result<Dialog> Dialog::fromInviteRequest(const SipMessage &invite, QByteArrayView localTag, const Peer &peer)
{
    if (!invite.isRequest() || invite.method() != Method::Invite)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("a UAS dialog starts with an INVITE"));
    if (localTag.isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("a UAS dialog needs the To tag of our 2xx"));

    Dialog dialog;
    dialog.m_role = Role::Uas;
    dialog.m_id = DialogId{invite.callId().toByteArray(), localTag.toByteArray(), invite.from().tag().toByteArray()};
    dialog.m_localAddress = invite.header(HeaderId::To).toByteArray();
    if (invite.to().tag().isEmpty())
        dialog.m_localAddress.append(";tag=").append(localTag);
    dialog.m_remoteAddress = invite.header(HeaderId::From).toByteArray();
    const auto contacts = invite.contacts();
    dialog.m_remoteTarget = (!contacts.empty() && !contacts.front().wildcard ? contacts.front().uri.text
                                                                              : invite.from().uri.text)
                                .toByteArray();
    for (QByteArrayView route : invite.headerValues(HeaderId::RecordRoute))
        dialog.m_routeSet.append(route.toByteArray());
    dialog.m_peer = peer;
    dialog.m_remoteCSeq = invite.cseq().number;
    dialog.m_inviteCSeq = invite.cseq().number;
    return dialog;
}

MessageBuilder Dialog::build(Method method, QByteArrayView methodText, std::uint32_t cseq) const
{
    // RFC 3261 §12.2.1.1: with a loose router first (";lr") the Request-URI is the remote
    // target and the route set goes into Route as is; a strict router takes the Request-URI
    // and the remote target goes last into Route.
    QByteArray requestUri = m_remoteTarget;
    QList<QByteArray> routes = m_routeSet;
    if (!m_routeSet.isEmpty()) {
        const auto first = NameAddrView::parse(m_routeSet.constFirst());
        if (first && !first->uri.params.has("lr")) {
            requestUri = first->uri.text.toByteArray();
            routes.removeFirst();
            routes.append('<' + m_remoteTarget + '>');
        }
    }
    MessageBuilder builder = MessageBuilder::request(method, requestUri, methodText);
    for (const QByteArray &route : std::as_const(routes))
        builder.add(HeaderId::Route, route);
    builder.add(HeaderId::From, m_localAddress);
    builder.add(HeaderId::To, m_remoteAddress);
    builder.add(HeaderId::CallId, m_id.callId);
    QByteArray cseqText = QByteArray::number(cseq);
    cseqText.append(' ').append(method == Method::Other ? methodText : methodName(method));
    builder.add(HeaderId::CSeq, cseqText);
    builder.add(HeaderId::MaxForwards, "70");
    return builder;
}

MessageBuilder Dialog::ack() const
{
    Q_ASSERT(m_role == Role::Uac);
    return build(Method::Ack, {}, m_inviteCSeq);
}

MessageBuilder Dialog::request(Method method, QByteArrayView methodText)
{
    Q_ASSERT(method != Method::Ack && method != Method::Cancel);
    return build(method, methodText, ++m_localCSeq);
}

bool Dialog::matches(const SipMessage &request) const noexcept
{
    return request.callId() == m_id.callId && request.to().tag() == m_id.localTag
        && request.from().tag() == m_id.remoteTag;
}

bool Dialog::matchesResponse(const SipMessage &response) const noexcept
{
    return response.callId() == m_id.callId && response.from().tag() == m_id.localTag
        && response.to().tag() == m_id.remoteTag;
}

bool Dialog::acceptRemoteCSeq(const SipMessage &request)
{
    const std::uint32_t number = request.cseq().number;
    if (m_remoteCSeq != 0 && number < m_remoteCSeq)
        return false;
    m_remoteCSeq = number;
    return true;
}

} // namespace Vigil::Sip
