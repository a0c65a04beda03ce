#pragma once

#include "headerid.h"
#include "method.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QVarLengthArray>

#include <cstdint>

class QHostAddress;

namespace Vigil::Sip {

class SipMessage;

/// Builds a request or response and writes it in canonical form: CRLF line ends, full header
/// names in their usual spelling, one list element per line, and a Content-Length that always
/// matches the body. Values are copied in; the builder owns everything it holds (inline up to
/// about 1 KiB, so that a typical response costs one allocation: the serialised bytes).
class MessageBuilder {
public:
    /// A request. `methodText` is only needed for Method::Other.
    static MessageBuilder request(Method method, QByteArrayView requestUri, QByteArrayView methodText = {});
    /// A response with the usual reason phrase for `statusCode` unless one is given.
    static MessageBuilder response(int statusCode, QByteArrayView reason = {});
    /// A response to `request` per RFC 3261 §8.2.6: every Via, From, To, Call-ID and CSeq copied.
    /// `toTag` is added to To when To has no tag yet (it must be set for all but 100 Trying).
    static MessageBuilder responseTo(const SipMessage &request, int statusCode, QByteArrayView toTag = {},
                                     QByteArrayView reason = {});
    /// Every start-line part, header and the body of a parsed message, for re-serialising.
    static MessageBuilder copyOf(const SipMessage &message);

    MessageBuilder &add(HeaderId id, QByteArrayView value);
    MessageBuilder &add(QByteArrayView name, QByteArrayView value);
    /// Inserts before all other fields (a new top Via).
    MessageBuilder &prepend(HeaderId id, QByteArrayView value);
    /// Replaces the first field with this id (or adds it) and removes the others.
    MessageBuilder &set(HeaderId id, QByteArrayView value);
    MessageBuilder &remove(HeaderId id);
    /// RFC 3261 §18.2.1 and RFC 3581 on a response's top Via: adds received=`sourceIp` when
    /// it differs from the sent-by host or rport was asked for, and fills in rport. `sourceIp`
    /// is the packet's source address as text; IPv6 with or without brackets.
    /// Beyond the RFCs, for devices behind NAT: an rport that already has a value gets the
    /// source port too, and a received that names another address is corrected. The top Via of
    /// responseTo() is not parsed again. Changes nothing when there is no Via.
    MessageBuilder &stampTopVia(QByteArrayView sourceIp, std::uint16_t sourcePort);
    /// The same for a socket's peer address; IPv4-mapped IPv6 addresses (dual-stack sockets)
    /// are written as IPv4, scope ids are left out.
    MessageBuilder &stampTopVia(const QHostAddress &source, std::uint16_t sourcePort);
    /// Sets the body and its Content-Type; an empty type leaves Content-Type alone.
    MessageBuilder &setBody(QByteArrayView body, QByteArrayView contentType = {});

    bool isRequest() const noexcept { return m_statusCode == 0; }
    Method method() const noexcept { return m_method; }
    int statusCode() const noexcept { return m_statusCode; }
    /// The first value of a header, or a null view. Valid until the builder changes.
    QByteArrayView header(HeaderId id) const noexcept;
    QByteArrayView body() const noexcept;

    /// The message on the wire.
    QByteArray serialize() const;
    /// Appends the message to `out` (saves an allocation when batching).
    void serializeTo(QByteArray &out) const;

    /// The usual reason phrase ("OK", "Unauthorized"...), or "Unknown" for codes without one.
    static QByteArrayView defaultReason(int statusCode) noexcept;

private:
    struct Field {
        HeaderId id;
        std::uint32_t nameOffset; // into m_text; unused for known ids (canonical name)
        std::uint32_t nameLength;
        std::uint32_t valueOffset;
        std::uint32_t valueLength;
    };

    /// Where sent-by, rport and received sit in the top Via that responseTo() copied, as
    /// offsets into that value; it applies while the first Via field's value still starts at
    /// `valueOffset` (the arena only grows, so an offset names one text for good).
    struct ViaShape {
        std::uint32_t valueOffset = 0xFFFFFFFFu;
        std::uint32_t hostOffset = 0, hostLength = 0;
        std::int32_t rportOffset = -1, rportLength = 0;       // value, or right after the name
        std::int32_t receivedOffset = -1, receivedLength = 0; // the same
    };

    std::uint32_t store(QByteArrayView text);
    QByteArrayView slice(std::uint32_t offset, std::uint32_t length) const noexcept;
    qsizetype serializedSize() const noexcept;
    void writeTo(char *out) const noexcept;

    Method m_method = Method::Other;
    int m_statusCode = 0;
    std::uint32_t m_startOffset = 0; // method text / reason phrase
    std::uint32_t m_startLength = 0;
    std::uint32_t m_uriOffset = 0;
    std::uint32_t m_uriLength = 0;
    std::uint32_t m_bodyOffset = 0;
    std::uint32_t m_bodyLength = 0;
    ViaShape m_topViaShape;
    QVarLengthArray<Field, 16> m_fields;
    QVarLengthArray<char, 1024> m_text; // arena for everything above
};

} // namespace Vigil::Sip
