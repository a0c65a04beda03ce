#include "messagebuilder.h"

#include "sipmessage.h"
#include "text.h"
#include "via.h"

#include <QHostAddress>

#include <algorithm>
#include <cstring>

namespace Vigil::Sip {

namespace {

QByteArrayView withoutBrackets(QByteArrayView host) noexcept
{
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        return host.sliced(1, host.size() - 2);
    return host;
}

/// True when the Via sent-by host is the address the packet came from.
bool isSameAddress(QByteArrayView viaHost, QByteArrayView sourceIp)
{
    const QByteArrayView host = withoutBrackets(viaHost);
    if (equalsIgnoreCase(host, sourceIp))
        return true;
    if (!host.contains(':') || !sourceIp.contains(':'))
        return false;
    // IPv6 has several spellings of one address.
    const QHostAddress a(QString::fromLatin1(host));
    return !a.isNull() && a == QHostAddress(QString::fromLatin1(sourceIp));
}

char *put(char *out, QByteArrayView text) noexcept
{
    if (!text.isEmpty())
        std::memcpy(out, text.data(), size_t(text.size()));
    return out + text.size();
}

int decimalDigits(std::uint32_t value) noexcept
{
    int digits = 1;
    while (value >= 10) {
        value /= 10;
        ++digits;
    }
    return digits;
}

} // namespace

std::uint32_t MessageBuilder::store(QByteArrayView text)
{
    const auto offset = std::uint32_t(m_text.size());
    m_text.append(text.data(), text.size());
    return offset;
}

QByteArrayView MessageBuilder::slice(std::uint32_t offset, std::uint32_t length) const noexcept
{
    return QByteArrayView(m_text.constData() + offset, length);
}

MessageBuilder MessageBuilder::request(Method method, QByteArrayView requestUri, QByteArrayView methodText)
{
    MessageBuilder b;
    b.m_method = method;
    const QByteArrayView name = method == Method::Other ? methodText : methodName(method);
    b.m_startOffset = b.store(name);
    b.m_startLength = std::uint32_t(name.size());
    b.m_uriOffset = b.store(requestUri);
    b.m_uriLength = std::uint32_t(requestUri.size());
    return b;
}

MessageBuilder MessageBuilder::response(int statusCode, QByteArrayView reason)
{
    MessageBuilder b;
    b.m_statusCode = statusCode;
    if (reason.isEmpty())
        reason = defaultReason(statusCode);
    b.m_startOffset = b.store(reason);
    b.m_startLength = std::uint32_t(reason.size());
    return b;
}

MessageBuilder MessageBuilder::responseTo(const SipMessage &request, int statusCode, QByteArrayView toTag,
                                          QByteArrayView reason)
{
    MessageBuilder b = response(statusCode, reason);
    const bool addTag = !toTag.isEmpty() && request.to().tag().isEmpty();
    bool firstVia = true;
    for (const HeaderField &field : request.headers()) {
        switch (field.id) {
        case HeaderId::Via:
            b.add(field.id, field.value);
            if (firstVia) {
                firstVia = false;
                // Remember where the parts of the (already parsed) top Via landed.
                const ViaView &via = request.topVia();
                const char *base = field.value.data();
                const auto inside = [&](QByteArrayView part) {
                    return part.data() >= base && part.data() + part.size() <= base + field.value.size();
                };
                if (inside(via.host) && (via.rportValue.isNull() || inside(via.rportValue))
                    && (via.received.isNull() || inside(via.received))) {
                    ViaShape &shape = b.m_topViaShape;
                    shape.valueOffset = b.m_fields.back().valueOffset;
                    shape.hostOffset = std::uint32_t(via.host.data() - base);
                    shape.hostLength = std::uint32_t(via.host.size());
                    if (!via.rportValue.isNull()) {
                        shape.rportOffset = std::int32_t(via.rportValue.data() - base);
                        shape.rportLength = std::int32_t(via.rportValue.size());
                    }
                    if (!via.received.isNull()) {
                        shape.receivedOffset = std::int32_t(via.received.data() - base);
                        shape.receivedLength = std::int32_t(via.received.size());
                    }
                }
            }
            break;
        case HeaderId::From:
        case HeaderId::CallId:
        case HeaderId::CSeq:
            b.add(field.id, field.value);
            break;
        case HeaderId::To:
            if (addTag) {
                const std::uint32_t offset = b.store(field.value);
                b.store(";tag=");
                b.store(toTag);
                b.m_fields.push_back(Field{HeaderId::To, 0, 0, offset,
                                           std::uint32_t(field.value.size() + 5 + toTag.size())});
            } else {
                b.add(field.id, field.value);
            }
            break;
        default:
            break;
        }
    }
    return b;
}

MessageBuilder MessageBuilder::copyOf(const SipMessage &message)
{
    MessageBuilder b = message.isRequest()
        ? request(message.method(), message.requestUriText(), message.methodText())
        : response(message.statusCode(), message.reasonPhrase());
    for (const HeaderField &field : message.headers()) {
        if (field.id == HeaderId::Other)
            b.add(field.name, field.value);
        else
            b.add(field.id, field.value);
    }
    b.setBody(message.body());
    return b;
}

MessageBuilder &MessageBuilder::add(HeaderId id, QByteArrayView value)
{
    if (id == HeaderId::ContentLength)
        return *this; // always computed from the body
    const std::uint32_t offset = store(value);
    m_fields.push_back(Field{id, 0, 0, offset, std::uint32_t(value.size())});
    return *this;
}

MessageBuilder &MessageBuilder::add(QByteArrayView name, QByteArrayView value)
{
    const HeaderId id = headerIdFromName(name);
    if (id != HeaderId::Other)
        return add(id, value);
    const std::uint32_t nameOffset = store(name);
    const std::uint32_t offset = store(value);
    m_fields.push_back(Field{id, nameOffset, std::uint32_t(name.size()), offset, std::uint32_t(value.size())});
    return *this;
}

MessageBuilder &MessageBuilder::prepend(HeaderId id, QByteArrayView value)
{
    const std::uint32_t offset = store(value);
    m_fields.insert(m_fields.begin(), Field{id, 0, 0, offset, std::uint32_t(value.size())});
    return *this;
}

MessageBuilder &MessageBuilder::set(HeaderId id, QByteArrayView value)
{
    const auto first = std::find_if(m_fields.begin(), m_fields.end(), [id](const Field &f) { return f.id == id; });
    if (first == m_fields.end())
        return add(id, value);
    first->valueOffset = store(value);
    first->valueLength = std::uint32_t(value.size());
    m_fields.erase(std::remove_if(first + 1, m_fields.end(), [id](const Field &f) { return f.id == id; }),
                   m_fields.end());
    return *this;
}

MessageBuilder &MessageBuilder::stampTopVia(QByteArrayView sourceIp, std::uint16_t sourcePort)
{
    const auto top = std::find_if(m_fields.begin(), m_fields.end(), [](const Field &f) { return f.id == HeaderId::Via; });
    if (top == m_fields.end())
        return *this;
    const QByteArrayView value = slice(top->valueOffset, top->valueLength);
    ViaShape shape = m_topViaShape;
    if (shape.valueOffset != top->valueOffset) {
        const auto via = ViaView::parse(value);
        if (!via)
            return *this; // not ours to repair; the peer gets it back as it was
        shape = ViaShape{};
        shape.hostOffset = std::uint32_t(via->host.data() - value.data());
        shape.hostLength = std::uint32_t(via->host.size());
        if (!via->rportValue.isNull()) {
            shape.rportOffset = std::int32_t(via->rportValue.data() - value.data());
            shape.rportLength = std::int32_t(via->rportValue.size());
        }
        if (!via->received.isNull()) {
            shape.receivedOffset = std::int32_t(via->received.data() - value.data());
            shape.receivedLength = std::int32_t(via->received.size());
        }
    }
    m_topViaShape = ViaShape{}; // whatever happens below, the value is about to change

    const QByteArrayView ip = withoutBrackets(sourceIp);
    char port[10];
    const QByteArrayView portText(port, writeDecimal(port, sourcePort) - port);
    const bool hasRport = shape.rportOffset >= 0;
    const bool hasReceived = shape.receivedOffset >= 0;
    const QByteArrayView rport = hasRport ? value.sliced(shape.rportOffset, shape.rportLength) : QByteArrayView();
    const QByteArrayView received =
        hasReceived ? value.sliced(shape.receivedOffset, shape.receivedLength) : QByteArrayView();
    const bool wantReceived = hasRport || !isSameAddress(value.sliced(shape.hostOffset, shape.hostLength), ip);

    // At most two replacements in the value (rport's and received's), plus received appended.
    struct Edit {
        qsizetype offset;
        qsizetype length;
        QByteArrayView text;
    };
    Edit edits[2];
    int editCount = 0;
    if (hasRport && rport != portText)
        edits[editCount++] = Edit{shape.rportOffset, shape.rportLength, portText};
    if (hasReceived && received != ip)
        edits[editCount++] = Edit{shape.receivedOffset, shape.receivedLength, ip};
    const bool appendReceived = !hasReceived && wantReceived;
    if (editCount == 0 && !appendReceived)
        return *this;
    if (editCount == 2 && edits[1].offset < edits[0].offset)
        std::swap(edits[0], edits[1]);

    QVarLengthArray<char, 256> out;
    qsizetype pos = 0;
    for (int i = 0; i < editCount; ++i) {
        out.append(value.data() + pos, edits[i].offset - pos);
        if (edits[i].length == 0)
            out.append('='); // a bare "rport" or "received"
        out.append(edits[i].text.data(), edits[i].text.size());
        pos = edits[i].offset + edits[i].length;
    }
    out.append(value.data() + pos, value.size() - pos);
    if (appendReceived) {
        out.append(";received=", 10);
        out.append(ip.data(), ip.size());
    }
    top->valueOffset = store(QByteArrayView(out.constData(), out.size()));
    top->valueLength = std::uint32_t(out.size());
    return *this;
}

MessageBuilder &MessageBuilder::stampTopVia(const QHostAddress &source, std::uint16_t sourcePort)
{
    QHostAddress address = source;
    bool isMapped = false;
    const quint32 ipv4 = address.toIPv4Address(&isMapped);
    if (isMapped && address.protocol() == QAbstractSocket::IPv6Protocol)
        address = QHostAddress(ipv4);
    address.setScopeId(QString());
    return stampTopVia(address.toString().toLatin1(), sourcePort);
}

MessageBuilder &MessageBuilder::remove(HeaderId id)
{
    m_fields.erase(std::remove_if(m_fields.begin(), m_fields.end(), [id](const Field &f) { return f.id == id; }),
                   m_fields.end());
    return *this;
}

MessageBuilder &MessageBuilder::setBody(QByteArrayView body, QByteArrayView contentType)
{
    m_bodyOffset = store(body);
    m_bodyLength = std::uint32_t(body.size());
    if (!contentType.isEmpty())
        set(HeaderId::ContentType, contentType);
    return *this;
}

QByteArrayView MessageBuilder::header(HeaderId id) const noexcept
{
    for (const Field &f : m_fields) {
        if (f.id == id)
            return slice(f.valueOffset, f.valueLength);
    }
    return {};
}

QByteArrayView MessageBuilder::body() const noexcept
{
    return slice(m_bodyOffset, m_bodyLength);
}

qsizetype MessageBuilder::serializedSize() const noexcept
{
    // "METHOD URI SIP/2.0\r\n" or "SIP/2.0 200 reason\r\n"
    qsizetype size = isRequest() ? qsizetype(m_startLength) + 1 + m_uriLength + 10 : 12 + qsizetype(m_startLength) + 2;
    for (const Field &f : m_fields) {
        const qsizetype nameLength = f.id == HeaderId::Other ? qsizetype(f.nameLength) : canonicalHeaderName(f.id).size();
        size += nameLength + 2 + f.valueLength + 2;
    }
    size += 16 + decimalDigits(m_bodyLength) + 4 + m_bodyLength; // "Content-Length: N\r\n\r\n"
    return size;
}

void MessageBuilder::writeTo(char *out) const noexcept
{
    if (isRequest()) {
        out = put(out, slice(m_startOffset, m_startLength));
        *out++ = ' ';
        out = put(out, slice(m_uriOffset, m_uriLength));
        out = put(out, " SIP/2.0\r\n");
    } else {
        out = put(out, "SIP/2.0 ");
        *out++ = char('0' + m_statusCode / 100 % 10);
        *out++ = char('0' + m_statusCode / 10 % 10);
        *out++ = char('0' + m_statusCode % 10);
        *out++ = ' ';
        out = put(out, slice(m_startOffset, m_startLength));
        out = put(out, "\r\n");
    }
    for (const Field &f : m_fields) {
        out = put(out, f.id == HeaderId::Other ? slice(f.nameOffset, f.nameLength) : canonicalHeaderName(f.id));
        *out++ = ':';
        *out++ = ' ';
        out = put(out, slice(f.valueOffset, f.valueLength));
        *out++ = '\r';
        *out++ = '\n';
    }
    out = put(out, "Content-Length: ");
    out = writeDecimal(out, m_bodyLength);
    out = put(out, "\r\n\r\n");
    put(out, body());
}

QByteArray MessageBuilder::serialize() const
{
    QByteArray out(serializedSize(), Qt::Uninitialized);
    writeTo(out.data());
    return out;
}

void MessageBuilder::serializeTo(QByteArray &out) const
{
    const qsizetype start = out.size();
    out.resize(start + serializedSize());
    writeTo(out.data() + start);
}

QByteArrayView MessageBuilder::defaultReason(int statusCode) noexcept
{
    switch (statusCode) {
    case 100: return "Trying";
    case 180: return "Ringing";
    case 181: return "Call Is Being Forwarded";
    case 182: return "Queued";
    case 183: return "Session Progress";
    case 200: return "OK";
    case 202: return "Accepted";
    case 301: return "Moved Permanently";
    case 302: return "Moved Temporarily";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 415: return "Unsupported Media Type";
    case 420: return "Bad Extension";
    case 423: return "Interval Too Brief";
    case 480: return "Temporarily Unavailable";
    case 481: return "Call/Transaction Does Not Exist";
    case 482: return "Loop Detected";
    case 483: return "Too Many Hops";
    case 486: return "Busy Here";
    case 487: return "Request Terminated";
    case 488: return "Not Acceptable Here";
    case 489: return "Bad Event";
    case 491: return "Request Pending";
    case 500: return "Server Internal Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 504: return "Server Time-out";
    case 505: return "Version Not Supported";
    case 513: return "Message Too Large";
    case 600: return "Busy Everywhere";
    case 603: return "Decline";
    default: return "Unknown";
    }
}

} // namespace Vigil::Sip
