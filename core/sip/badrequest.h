#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <cstdint>
#include <optional>

class QHostAddress;

namespace Vigil::Sip {

/// For the transport's error path: the "400 Bad Request" to send back for bytes that
/// SipMessage::parse() rejected (RFC 3261 §8.2.6 and §18.3, RFC 4475 §3.1.2).
///
/// The bytes are searched leniently: a request line ("METHOD ... SIP/x.y"), then the Via,
/// From, To, Call-ID and CSeq lines, in any case and compact form, folded or not. The response
/// copies every Via (in order), From, To (with a tag added when it has none, the same one for
/// each retransmission), Call-ID and CSeq, and carries `Warning: 399 vigil "<reason>"`, the
/// reason cut down to at most 100 printable ASCII characters without quotes or backslashes.
///
/// nullopt when no response may or can be sent: for responses, for ACK (RFC 3261 §17.2.1
/// never answers it), for bytes that do not start like a SIP request, and when one of those
/// headers cannot be found or holds control characters.
std::optional<QByteArray> badRequestResponse(QByteArrayView raw, QByteArrayView reason);

/// The same, with received/rport stamped into the top Via for the packet's source (RFC 3581),
/// as MessageBuilder::stampTopVia() does; a top Via too broken to parse is copied as it was.
std::optional<QByteArray> badRequestResponse(QByteArrayView raw, QByteArrayView reason, const QHostAddress &source,
                                             std::uint16_t sourcePort);

} // namespace Vigil::Sip
