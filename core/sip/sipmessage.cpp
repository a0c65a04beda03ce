#include "sipmessage.h"

#include "text.h"

#include <algorithm>
#include <cstring>

namespace Vigil::Sip {

namespace {

bool isAllDigits(QByteArrayView text) noexcept
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (!isDigit(c))
            return false;
    }
    return true;
}

/// RFC 3261 SIP-date (RFC 1123, GMT only) or the GB/T 28181 form yyyy-MM-ddTHH:mm:ss[.SSS].
bool isValidDate(QByteArrayView text) noexcept
{
    const auto digitsAt = [&](qsizetype pos, qsizetype count) {
        return pos + count <= text.size() && isAllDigits(text.sliced(pos, count));
    };
    if (text.size() >= 19 && text[4] == '-' && text[7] == '-' && (text[10] == 'T' || text[10] == ' ')
        && text[13] == ':' && text[16] == ':') {
        if (!(digitsAt(0, 4) && digitsAt(5, 2) && digitsAt(8, 2) && digitsAt(11, 2) && digitsAt(14, 2)
              && digitsAt(17, 2)))
            return false;
        if (text.size() == 19)
            return true;
        return text[19] == '.' && text.size() > 20 && text.size() <= 26 && isAllDigits(text.sliced(20));
    }
    // "Sat, 13 Nov 2010 23:29:00 GMT"
    static constexpr QByteArrayView days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static constexpr QByteArrayView months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' || text[11] != ' '
        || text[16] != ' ' || text[19] != ':' || text[22] != ':' || text[25] != ' ')
        return false;
    const auto oneOf = [](QByteArrayView word, const auto &list) {
        for (QByteArrayView candidate : list) {
            if (candidate == word)
                return true;
        }
        return false;
    };
    return oneOf(text.first(3), days) && digitsAt(5, 2) && oneOf(text.sliced(8, 3), months)
        && digitsAt(12, 4) && digitsAt(17, 2) && digitsAt(20, 2) && digitsAt(23, 2)
        && text.sliced(26) == "GMT";
}

/// True when `text` (after leading line ends) starts with a SIP request or status line:
/// the extra octets of RFC 4475 3.1.1.8, not a body whose Content-Length lied.
bool looksLikeSipStartLine(QByteArrayView text) noexcept
{
    qsizetype pos = 0;
    while (pos < text.size() && (text[pos] == '\r' || text[pos] == '\n'))
        ++pos;
    text = text.sliced(pos);
    if (startsWithIgnoreCase(text, "SIP/2.0 "))
        return true;
    qsizetype eol = text.indexOf('\n');
    QByteArrayView line = eol < 0 ? text : text.first(eol);
    if (line.endsWith('\r'))
        line.chop(1);
    return line.size() > 8 && equalsIgnoreCase(line.last(8), " SIP/2.0");
}

/// An XML body that is evidently whole: starts with '<' and ends with '>' (spaces aside).
bool isCompleteXml(QByteArrayView body) noexcept
{
    qsizetype begin = 0;
    qsizetype end = body.size();
    while (begin < end && (body[begin] == ' ' || body[begin] == '\r' || body[begin] == '\n' || body[begin] == '\t'))
        ++begin;
    while (end > begin && (body[end - 1] == ' ' || body[end - 1] == '\r' || body[end - 1] == '\n'
                           || body[end - 1] == '\t' || body[end - 1] == '\0'))
        --end;
    return end - begin >= 7 && body[begin] == '<' && body[end - 1] == '>';
}

bool isBlank(QByteArrayView text) noexcept
{
    for (char c : text) {
        if (!(c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == '\0'))
            return false;
    }
    return true;
}

} // namespace

/// Does the work of SipMessage::parse(); a friend so that it can fill the message in place.
class MessageParser {
public:
    MessageParser(SipMessage &message, Framing framing) : m(message), m_framing(framing) {}

    SyntaxError run();
    QByteArrayView context; ///< what the error is about ("Via", "CSeq"...); may point into the message

private:
    enum class Repeat : std::uint8_t { First, Same, Different };

    SyntaxError parseStartLine(QByteArrayView line);
    SyntaxError parseHeaderLine(const char *begin, const char *end);
    SyntaxError addField(HeaderId id, QByteArrayView name, QByteArrayView value);
    SyntaxError setBody(qsizetype bodyStart);

    /// For headers that must appear once: a repeat with the same value is dropped, another value
    /// is an error (RFC 4475 3.3.8, 3.3.9).
    static Repeat repeat(bool &seen, QByteArrayView &stored, QByteArrayView value) noexcept
    {
        if (seen)
            return stored == value ? Repeat::Same : Repeat::Different;
        seen = true;
        stored = value;
        return Repeat::First;
    }

    SipMessage &m;
    Framing m_framing;
    bool m_seenFrom = false, m_seenTo = false, m_seenCallId = false, m_seenCSeq = false;
    bool m_seenContentLength = false, m_seenExpires = false, m_seenMaxForwards = false;
    bool m_seenVia = false;
    QByteArrayView m_fromText, m_toText, m_cseqText, m_contentLengthText, m_expiresText,
        m_maxForwardsText;
};

SyntaxError MessageParser::run()
{
    char *buf = m.m_raw.data();
    qsizetype n = m.m_raw.size();

    const char *nl = static_cast<const char *>(std::memchr(buf, '\n', size_t(n)));
    const qsizetype eol = nl ? nl - buf : n;
    QByteArrayView startLine(buf, eol);
    if (startLine.endsWith('\r'))
        startLine.chop(1);
    context = "start line";
    if (SyntaxError error = parseStartLine(startLine))
        return error;

    // Header lines. Folded lines are joined into one with a single space (RFC 3261 §7.3.1), in
    // place: `w` is where the next byte goes, `r` where it comes from; they differ once a fold
    // was removed, and then each later byte moves once, so the whole pass stays linear.
    qsizetype r = eol + 1;
    qsizetype w = r;
    qsizetype bodyStart = -1;
    while (r < n) {
        if (buf[r] == '\n' || (buf[r] == '\r' && (r + 1 == n || buf[r + 1] == '\n'))) {
            bodyStart = std::min(n, r + (buf[r] == '\n' ? 1 : 2)); // a lone CR may end the datagram
            break;
        }
        if (isWsp(buf[r])) {
            context = "start line";
            return "a line after the start line begins with whitespace";
        }
        const qsizetype lineStart = w;
        qsizetype lineEnd;
        for (;;) {
            const char *p = static_cast<const char *>(std::memchr(buf + r, '\n', size_t(n - r)));
            const qsizetype e = p ? p - buf : n;
            qsizetype segmentEnd = e;
            if (segmentEnd > r && buf[segmentEnd - 1] == '\r')
                --segmentEnd;
            if (w != r)
                std::memmove(buf + w, buf + r, size_t(segmentEnd - r));
            w += segmentEnd - r;
            if (e + 1 < n && isWsp(buf[e + 1])) {
                while (w > lineStart && isWsp(buf[w - 1]))
                    --w;
                buf[w++] = ' '; // w <= e: at least the '\n' was dropped
                r = e + 1;
                while (r < n && isWsp(buf[r]))
                    ++r;
                continue;
            }
            lineEnd = w;
            const qsizetype terminator = e < n ? e + 1 - segmentEnd : 0;
            if (w != segmentEnd)
                std::memmove(buf + w, buf + segmentEnd, size_t(terminator));
            w += terminator;
            r = e < n ? e + 1 : n;
            break;
        }
        if (SyntaxError error = parseHeaderLine(buf + lineStart, buf + lineEnd))
            return error;
    }
    if (bodyStart < 0)
        bodyStart = n;
    if (w != r) {
        // Close the gap the folds left: the empty line and the body move up.
        std::memmove(buf + w, buf + r, size_t(n - r));
        bodyStart -= r - w;
        n -= r - w;
        m.m_raw.truncate(n); // shrinks in place: views stay valid
    }

    context = "headers";
    if (!m_seenVia)
        return "missing Via";
    if (!m_seenFrom)
        return "missing From";
    if (!m_seenTo)
        return "missing To";
    if (!m_seenCallId)
        return "missing Call-ID";
    if (!m_seenCSeq)
        return "missing CSeq";
    if (m.isRequest() && m.m_cseq.methodText != m.m_methodText) {
        context = "CSeq";
        return "method differs from the request line";
    }
    context = "body";
    return setBody(bodyStart);
}

SyntaxError MessageParser::parseStartLine(QByteArrayView line)
{
    if (startsWithIgnoreCase(line, "SIP/")) {
        if (!startsWithIgnoreCase(line, "SIP/2.0 "))
            return "unsupported SIP version";
        const QByteArrayView rest = line.sliced(8);
        if (rest.size() < 3 || !isAllDigits(rest.first(3)) || (rest.size() > 3 && rest[3] != ' '))
            return "status code is not three digits";
        const int code = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
        if (code < 100 || code > 699)
            return "status code out of range";
        m.m_statusCode = code;
        m.m_reason = rest.size() > 4 ? rest.sliced(4) : QByteArrayView(rest.data() + rest.size(), qsizetype(0));
        return nullptr;
    }
    const char *p = line.data();
    qsizetype first = 0;
    while (first < line.size() && isTokenChar(p[first]))
        ++first;
    if (first == 0 || first == line.size() || p[first] != ' ') {
        if (first > 0 && first < line.size() && p[first] != ' ')
            return "method is not a token";
        return "request line is not 'METHOD URI SIP/2.0'";
    }
    const qsizetype last = line.lastIndexOf(' ');
    if (last == first)
        return "request line is not 'METHOD URI SIP/2.0'";
    m.m_methodText = line.first(first);
    m.m_method = methodFromName(m.m_methodText);
    if (!equalsIgnoreCase(line.sliced(last + 1), "SIP/2.0"))
        return "unsupported SIP version";
    const QByteArrayView uriText = line.sliced(first + 1, last - first - 1);
    if (uriText.isEmpty())
        return "empty Request-URI";
    auto uri = UriView::parse(uriText);
    if (!uri)
        return uri.error();
    if (uri->isSip() && !uri->headers.isNull())
        return "Request-URI with headers ('?')";
    m.m_requestUri = *uri;
    return nullptr;
}

SyntaxError MessageParser::parseHeaderLine(const char *begin, const char *end)
{
    const char *p = begin;
    while (p < end && isTokenChar(*p))
        ++p;
    const QByteArrayView name(begin, p - begin);
    while (p < end && isWsp(*p))
        ++p;
    if (p == end || *p != ':' || name.isEmpty()) {
        const QByteArrayView line(begin, end - begin);
        context = line.first(std::min<qsizetype>(line.size(), 40));
        return line.contains(':') ? "header name is not a token" : "header line without ':'";
    }
    ++p;
    while (p < end && isWsp(*p))
        ++p;
    while (end > p && isWsp(end[-1]))
        --end;
    const QByteArrayView value(p, end - p);
    const HeaderId id = headerIdFromName(name);
    if (!isListHeader(id) || !std::memchr(p, ',', size_t(end - p))) {
        if (value.isEmpty() && (id == HeaderId::Via || id == HeaderId::Contact || id == HeaderId::Route
                                || id == HeaderId::RecordRoute)) {
            context = canonicalHeaderName(id);
            return "empty list element";
        }
        return addField(id, name, value);
    }

    // One field per list element; commas inside quotes or <...> do not split.
    qsizetype start = 0;
    for (;;) {
        const qsizetype comma = findUnquoted(value, ',', start);
        const QByteArrayView element = trimmed(comma < 0 ? value.sliced(start) : value.sliced(start, comma - start));
        if (element.isEmpty()) {
            if (id == HeaderId::Via || id == HeaderId::Contact || id == HeaderId::Route
                || id == HeaderId::RecordRoute) {
                context = canonicalHeaderName(id);
                return "empty list element";
            }
        } else if (SyntaxError error = addField(id, name, element)) {
            return error;
        }
        if (comma < 0)
            break;
        start = comma + 1;
    }
    return nullptr;
}

SyntaxError MessageParser::addField(HeaderId id, QByteArrayView name, QByteArrayView value)
{
    SyntaxError error = nullptr;
    Repeat seen = Repeat::First;
    switch (id) {
    case HeaderId::Via: {
        auto via = ViaView::parse(value);
        if (!via)
            error = via.error();
        else if (!m_seenVia) {
            m.m_topVia = *via;
            m_seenVia = true;
        }
        break;
    }
    case HeaderId::From:
    case HeaderId::To: {
        const bool isFrom = id == HeaderId::From;
        seen = repeat(isFrom ? m_seenFrom : m_seenTo, isFrom ? m_fromText : m_toText, value);
        if (seen != Repeat::First)
            break;
        auto address = NameAddrView::parse(value);
        if (!address)
            error = address.error();
        else
            (isFrom ? m.m_from : m.m_to) = *address;
        break;
    }
    case HeaderId::CallId:
        if (value.isEmpty())
            error = "empty";
        else if (value.contains(' ') || value.contains('\t'))
            error = "contains whitespace";
        else
            seen = repeat(m_seenCallId, m.m_callId, value);
        break;
    case HeaderId::CSeq: {
        seen = repeat(m_seenCSeq, m_cseqText, value);
        if (seen != Repeat::First)
            break;
        qsizetype sp = 0;
        while (sp < value.size() && isDigit(value[sp]))
            ++sp;
        const auto number = parseUInt(value.first(sp), 0x7FFFFFFFu);
        const QByteArrayView method = trimmed(value.sliced(sp));
        if (!number)
            error = "sequence number missing or above 2^31-1";
        else if (sp == value.size() || !isWsp(value[sp]) || !isToken(method))
            error = "not 'number METHOD'";
        else
            m.m_cseq = CSeq{*number, methodFromName(method), method};
        break;
    }
    case HeaderId::ContentLength: {
        seen = repeat(m_seenContentLength, m_contentLengthText, value);
        if (seen != Repeat::First)
            break;
        const auto length = parseUInt(value, SipMessage::kMaxSize);
        if (!length)
            error = isAllDigits(value) ? "larger than a SIP message can be" : "not a number";
        else
            m.m_contentLength = length;
        break;
    }
    case HeaderId::MaxForwards:
        seen = repeat(m_seenMaxForwards, m_maxForwardsText, value);
        if (seen != Repeat::First)
            break;
        m.m_maxForwards = parseUInt(value, 255);
        if (!m.m_maxForwards)
            error = "not a number from 0 to 255";
        break;
    case HeaderId::Expires:
        seen = repeat(m_seenExpires, m_expiresText, value);
        if (seen != Repeat::First)
            break;
        m.m_expires = parseUInt(value);
        if (!m.m_expires)
            error = "not a number of seconds below 2^32";
        break;
    case HeaderId::Contact:
    case HeaderId::Route:
    case HeaderId::RecordRoute: {
        auto address = NameAddrView::parse(value, id == HeaderId::Contact);
        if (!address)
            error = address.error();
        break;
    }
    case HeaderId::Date:
        if (!isValidDate(value))
            error = "neither an RFC 1123 GMT date nor yyyy-MM-ddTHH:mm:ss";
        break;
    default:
        break;
    }
    if (seen == Repeat::Different)
        error = "repeated with a different value";
    if (error) {
        context = id == HeaderId::Other ? name : canonicalHeaderName(id);
        return error;
    }
    if (seen == Repeat::First)
        m.m_headers.push_back(HeaderField{id, name, value});
    return nullptr;
}

SyntaxError MessageParser::setBody(qsizetype bodyStart)
{
    const QByteArrayView rest(m.m_raw.constData() + bodyStart, m.m_raw.size() - bodyStart);
    if (!m.m_contentLength) {
        m.m_body = rest; // RFC 2543 style, or a device that forgot it: the datagram decides
        return nullptr;
    }
    const qsizetype declared = *m.m_contentLength;
    if (declared > rest.size()) {
        // RFC 3261 §18.3 makes this a 400 (RFC 4475 3.1.2.2). One exception, for devices that
        // count the bytes of their XML before converting its charset: a datagram cannot be cut
        // short, so a complete XML document is kept (and flagged) rather than lost.
        if (m_framing == Framing::Datagram && isCompleteXml(rest)) {
            m.m_body = rest;
            m.m_bodyLengthMismatch = true;
            return nullptr;
        }
        return "Content-Length is larger than the body that follows the headers";
    }
    if (declared == rest.size() || m_framing == Framing::Stream) {
        m.m_body = rest.first(declared);
        return nullptr;
    }
    const QByteArrayView extra = rest.sliced(declared);
    if (isBlank(extra) || looksLikeSipStartLine(extra)) {
        m.m_body = rest.first(declared);
        return nullptr;
    }
    // Devices send "Content-Length: 0" with an XML body, or count characters instead of bytes.
    // The datagram is the truth: keep it all and let the caller log the mismatch.
    m.m_body = rest;
    m.m_bodyLengthMismatch = true;
    return nullptr;
}

Result<SipMessage> SipMessage::parse(QByteArrayView bytes, Framing framing)
{
    if (bytes.size() > kMaxSize)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("SIP message of %1 bytes is larger than %2").arg(bytes.size()).arg(kMaxSize));
    qsizetype skip = 0;
    while (skip < bytes.size() && (bytes[skip] == '\r' || bytes[skip] == '\n'))
        ++skip; // RFC 3261 §7.5: ignore line ends before the start line (keep-alive pings)
    if (skip == bytes.size())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("empty SIP message"));

    Result<SipMessage> result; // filled in place: a SipMessage is large enough for moves to show
    SipMessage &message = *result;
    message.m_raw = QByteArray(bytes.data() + skip, bytes.size() - skip); // the one copy
    message.m_headers.reserve(16);
    MessageParser parser(message, framing);
    if (const SyntaxError error = parser.run()) {
        result = fail(ErrorCode::InvalidArgument,
                      QString::fromLatin1(parser.context) + QStringLiteral(": ") + QString::fromLatin1(error));
    }
    return result;
}

int SipMessage::viaCount() const noexcept
{
    int count = 0;
    for (const auto &field : m_headers)
        count += field.id == HeaderId::Via;
    return count;
}

std::vector<NameAddrView> SipMessage::contacts() const
{
    std::vector<NameAddrView> result;
    for (const auto &field : m_headers) {
        if (field.id == HeaderId::Contact) {
            if (auto address = NameAddrView::parse(field.value, true))
                result.push_back(*address);
        }
    }
    return result;
}

QByteArrayView SipMessage::header(HeaderId id) const noexcept
{
    for (const auto &field : m_headers) {
        if (field.id == id)
            return field.value;
    }
    return {};
}

QByteArrayView SipMessage::header(QByteArrayView name) const noexcept
{
    const HeaderId id = headerIdFromName(name);
    if (id != HeaderId::Other)
        return header(id);
    for (const auto &field : m_headers) {
        if (field.id == HeaderId::Other && equalsIgnoreCase(field.name, name))
            return field.value;
    }
    return {};
}

std::vector<QByteArrayView> SipMessage::headerValues(HeaderId id) const
{
    std::vector<QByteArrayView> values;
    for (const auto &field : m_headers) {
        if (field.id == id)
            values.push_back(field.value);
    }
    return values;
}

} // namespace Vigil::Sip
