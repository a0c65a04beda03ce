#pragma once

#include "common/result.h"
#include "headerid.h"
#include "method.h"
#include "nameaddr.h"
#include "via.h"

#include <QByteArray>
#include <QByteArrayView>

#include <cstdint>
#include <optional>
#include <vector>

namespace Vigil::Sip {

/// How the bytes given to SipMessage::parse() were delimited.
enum class Framing : std::uint8_t {
    /// One UDP datagram: the body is what follows the headers, cut to Content-Length when the
    /// rest is clearly not part of it (RFC 4475 3.1.1.8), kept whole when devices lie about it.
    Datagram,
    /// Exactly one message cut from a TCP stream by StreamFramer: the body is Content-Length bytes.
    Stream,
};

/// One header field. Views into the message: valid while the SipMessage (or a copy) lives.
struct HeaderField {
    HeaderId id = HeaderId::Other;
    QByteArrayView name;  ///< as written (may be a compact form)
    QByteArrayView value; ///< trimmed; folded lines joined by spaces; one element of a list header
};

/// CSeq: sequence number and method.
struct CSeq {
    std::uint32_t number = 0;
    Method method = Method::Other;
    QByteArrayView methodText;
};

/// A parsed SIP request or response. Immutable and cheap to copy: the bytes are shared, and
/// every view it hands out points into them, staying valid while any copy lives.
///
/// parse() validates what Vigil relies on (start line, Via, From, To, Call-ID, CSeq,
/// Content-Length, Max-Forwards, Expires, Contact, Route, Record-Route, Date) and accepts what
/// real devices send: any header-name case, compact forms, folding, LF-only line ends, unknown
/// headers, identical repeats of single-valued headers (kept once). It copies the input once,
/// works in one pass over it and never reads outside it.
class SipMessage {
public:
    /// Messages larger than this are refused (UDP cannot carry more; TCP framing enforces it too).
    static constexpr qsizetype kMaxSize = 65535;

    SipMessage() = default;

    static Result<SipMessage> parse(QByteArrayView bytes, Framing framing = Framing::Datagram);

    bool isRequest() const noexcept { return m_statusCode == 0; }
    bool isResponse() const noexcept { return m_statusCode != 0; }

    // Requests
    Method method() const noexcept { return m_method; }
    QByteArrayView methodText() const noexcept { return m_methodText; }
    QByteArrayView requestUriText() const noexcept { return m_requestUri.text; }
    const UriView &requestUri() const noexcept { return m_requestUri; }

    // Responses
    int statusCode() const noexcept { return m_statusCode; }
    QByteArrayView reasonPhrase() const noexcept { return m_reason; }

    // Headers every message has (parse() fails without them)
    const ViaView &topVia() const noexcept { return m_topVia; }
    const NameAddrView &from() const noexcept { return m_from; }
    const NameAddrView &to() const noexcept { return m_to; }
    QByteArrayView callId() const noexcept { return m_callId; }
    const CSeq &cseq() const noexcept { return m_cseq; }

    // Optional headers, validated when present
    std::optional<std::uint32_t> expires() const noexcept { return m_expires; }
    std::optional<std::uint32_t> maxForwards() const noexcept { return m_maxForwards; }
    /// The Content-Length header's value; body().size() may differ (see Framing::Datagram).
    std::optional<std::uint32_t> contentLength() const noexcept { return m_contentLength; }
    QByteArrayView contentType() const noexcept { return header(HeaderId::ContentType); }
    int viaCount() const noexcept;
    /// Every Contact value, parsed.
    std::vector<NameAddrView> contacts() const;

    QByteArrayView body() const noexcept { return m_body; }
    /// True when a datagram's body length disagreed with Content-Length and we kept the bytes.
    bool bodyLengthMismatch() const noexcept { return m_bodyLengthMismatch; }

    /// All header fields in order. List headers appear once per element (an empty list header
    /// such as "Accept:" as one empty field); identical repeats of single-valued headers once.
    const std::vector<HeaderField> &headers() const noexcept { return m_headers; }
    /// The first field with this id, or an empty (null) view.
    QByteArrayView header(HeaderId id) const noexcept;
    /// The first field with this name (case-insensitive, compact forms understood).
    QByteArrayView header(QByteArrayView name) const noexcept;
    /// All values of a header, in order.
    std::vector<QByteArrayView> headerValues(HeaderId id) const;

    /// The bytes as received, except that each fold of a header line became one space (so it
    /// can be shorter than the input).
    const QByteArray &raw() const noexcept { return m_raw; }

private:
    friend class MessageParser;

    QByteArray m_raw;
    std::vector<HeaderField> m_headers;

    Method m_method = Method::Other;
    QByteArrayView m_methodText;
    UriView m_requestUri;
    int m_statusCode = 0;
    QByteArrayView m_reason;

    ViaView m_topVia;
    NameAddrView m_from;
    NameAddrView m_to;
    QByteArrayView m_callId;
    CSeq m_cseq;
    std::optional<std::uint32_t> m_expires;
    std::optional<std::uint32_t> m_maxForwards;
    std::optional<std::uint32_t> m_contentLength;
    QByteArrayView m_body;
    bool m_bodyLengthMismatch = false;
};

} // namespace Vigil::Sip
