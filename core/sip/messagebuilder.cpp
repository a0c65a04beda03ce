#include "messagebuilder.h"

#include "sipmessage.h"
#include "text.h"
#include "via.h"

#include <algorithm>

namespace Vigil::Sip {

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
    b.m_text.reserve(512);
    b.m_fields.reserve(12);
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
    b.m_text.reserve(512);
    b.m_fields.reserve(12);
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
    for (const HeaderField &field : request.headers()) {
        switch (field.id) {
        case HeaderId::Via:
        case HeaderId::From:
        case HeaderId::CallId:
        case HeaderId::CSeq:
            b.add(field.id, field.value);
            break;
        case HeaderId::To:
            if (!toTag.isEmpty() && request.to().tag().isEmpty()) {
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
    const QByteArray original = slice(top->valueOffset, top->valueLength).toByteArray();
    const auto via = ViaView::parse(original);
    if (!via)
        return *this;
    const bool addReceived = via->received.isNull() && (via->rport == 0 || via->host != sourceIp);
    if (!addReceived && via->rport != 0)
        return *this;

    QByteArray value;
    value.reserve(original.size() + 40);
    const QByteArrayView params = via->params.text();
    value.append(QByteArrayView(original).first(params.data() - original.constData()));
    via->params.forEach([&](QByteArrayView name, QByteArrayView paramValue) {
        value.append(';');
        value.append(name);
        if (equalsIgnoreCase(name, "rport") && via->rport == 0) {
            value.append('=');
            value.append(QByteArray::number(sourcePort));
        } else if (!paramValue.isEmpty()) {
            value.append('=');
            value.append(paramValue);
        }
    });
    if (addReceived) {
        value.append(";received=");
        value.append(sourceIp);
    }
    top->valueOffset = store(value);
    top->valueLength = std::uint32_t(value.size());
    return *this;
}

MessageBuilder &MessageBuilder::remove(HeaderId id)
{
    std::erase_if(m_fields, [id](const Field &f) { return f.id == id; });
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

QByteArray MessageBuilder::serialize() const
{
    QByteArray out;
    out.reserve(m_text.size() + qsizetype(m_fields.size()) * 24 + 64);
    serializeTo(out);
    return out;
}

void MessageBuilder::serializeTo(QByteArray &out) const
{
    if (isRequest()) {
        out.append(slice(m_startOffset, m_startLength));
        out.append(' ');
        out.append(slice(m_uriOffset, m_uriLength));
        out.append(" SIP/2.0\r\n");
    } else {
        char code[4] = {char('0' + m_statusCode / 100 % 10), char('0' + m_statusCode / 10 % 10),
                        char('0' + m_statusCode % 10), ' '};
        out.append("SIP/2.0 ");
        out.append(code, 4);
        out.append(slice(m_startOffset, m_startLength));
        out.append("\r\n");
    }
    for (const Field &f : m_fields) {
        out.append(f.id == HeaderId::Other ? slice(f.nameOffset, f.nameLength) : canonicalHeaderName(f.id));
        out.append(": ");
        out.append(slice(f.valueOffset, f.valueLength));
        out.append("\r\n");
    }
    out.append("Content-Length: ");
    out.append(QByteArray::number(m_bodyLength));
    out.append("\r\n\r\n");
    out.append(body());
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
