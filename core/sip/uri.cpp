#include "uri.h"

#include "text.h"

namespace Vigil::Sip {

namespace {

/// Skips spaces and tabs from `pos`.
qsizetype skipWsp(QByteArrayView text, qsizetype pos) noexcept
{
    while (pos < text.size() && isWsp(text[pos]))
        ++pos;
    return pos;
}

/// End of a quoted string that starts at `pos` (on the opening quote): the index after the
/// closing quote, or -1 when it is not closed.
qsizetype quotedStringEnd(QByteArrayView text, qsizetype pos) noexcept
{
    for (qsizetype i = pos + 1; i < text.size(); ++i) {
        if (text[i] == '\\')
            ++i;
        else if (text[i] == '"')
            return i + 1;
    }
    return -1;
}

bool isHostChar(char c) noexcept
{
    return isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_';
}

/// Characters allowed in URI parameter names and values besides %-escapes (RFC 3261 paramchar).
bool isParamChar(char c) noexcept
{
    if (isAlpha(c) || isDigit(c))
        return true;
    switch (c) {
    case '-': case '_': case '.': case '!': case '~': case '*': case '\'': case '(': case ')':
    case '[': case ']': case '/': case ':': case '&': case '+': case '$': case '%':
        return true;
    default:
        return false;
    }
}

} // namespace

bool ParamsView::next(qsizetype &pos, QByteArrayView &name, QByteArrayView &value) const noexcept
{
    // Find the next ';' outside quotes, then read "name [= value]" up to the following one.
    while (pos < m_text.size() && m_text[pos] != ';')
        ++pos;
    if (pos >= m_text.size())
        return false;
    const qsizetype start = pos + 1;
    qsizetype end = findUnquoted(m_text, ';', start);
    if (end < 0)
        end = m_text.size();
    const QByteArrayView item = m_text.sliced(start, end - start);
    pos = end;
    const qsizetype eq = item.indexOf('=');
    if (eq < 0) {
        name = trimmed(item);
        value = QByteArrayView(item.data() + item.size(), qsizetype(0));
    } else {
        name = trimmed(item.first(eq));
        value = trimmed(item.sliced(eq + 1));
    }
    return true;
}

std::optional<QByteArrayView> ParamsView::get(QByteArrayView name) const noexcept
{
    qsizetype pos = 0;
    QByteArrayView n, v;
    while (next(pos, n, v)) {
        if (equalsIgnoreCase(n, name))
            return v;
    }
    return std::nullopt;
}

SyntaxError ParamsView::validate(QByteArrayView text, bool allowLws) noexcept
{
    qsizetype pos = allowLws ? skipWsp(text, 0) : 0;
    while (pos < text.size()) {
        if (text[pos] != ';')
            return "unexpected text between parameters";
        pos = allowLws ? skipWsp(text, pos + 1) : pos + 1;
        const qsizetype nameStart = pos;
        while (pos < text.size() && (allowLws ? isTokenChar(text[pos]) : isParamChar(text[pos])))
            ++pos;
        if (pos == nameStart)
            return "empty parameter";
        if (allowLws)
            pos = skipWsp(text, pos);
        if (pos < text.size() && text[pos] == '=') {
            pos = allowLws ? skipWsp(text, pos + 1) : pos + 1;
            if (pos < text.size() && text[pos] == '"' && allowLws) {
                pos = quotedStringEnd(text, pos);
                if (pos < 0)
                    return "unterminated quoted parameter value";
            } else {
                const qsizetype valueStart = pos;
                while (pos < text.size()
                       && (allowLws ? (isTokenChar(text[pos]) || text[pos] == ':' || text[pos] == '['
                                       || text[pos] == ']')
                                    : isParamChar(text[pos])))
                    ++pos;
                if (pos == valueStart)
                    return "empty parameter value";
            }
            if (allowLws)
                pos = skipWsp(text, pos);
        }
    }
    return nullptr;
}

bool isValidHost(QByteArrayView host) noexcept
{
    if (host.isEmpty())
        return false;
    if (host.front() == '[') {
        if (host.size() < 4 || host.back() != ']')
            return false;
        for (char c : host.sliced(1, host.size() - 2)) {
            if (!(isDigit(c) || (asciiLower(c) >= 'a' && asciiLower(c) <= 'f') || c == ':' || c == '.'))
                return false;
        }
        return true;
    }
    for (char c : host) {
        if (!isHostChar(c))
            return false;
    }
    return true;
}

Parsed<std::pair<QByteArrayView, std::uint16_t>> parseHostPort(QByteArrayView text) noexcept
{
    QByteArrayView host = text;
    QByteArrayView port;
    bool hasPort = false;
    if (!text.isEmpty() && text.front() == '[') {
        const qsizetype close = text.indexOf(']');
        if (close < 0)
            return std::unexpected("unterminated IPv6 reference");
        host = text.first(close + 1);
        const QByteArrayView rest = text.sliced(close + 1);
        if (!rest.isEmpty()) {
            if (rest.front() != ':')
                return std::unexpected("text after IPv6 reference");
            port = rest.sliced(1);
            hasPort = true;
        }
    } else if (const qsizetype colon = text.indexOf(':'); colon >= 0) {
        host = text.first(colon);
        port = text.sliced(colon + 1);
        hasPort = true;
    }
    if (!isValidHost(host))
        return std::unexpected("invalid host");
    std::uint16_t portNumber = 0;
    if (hasPort) {
        const auto value = parseUInt(port, 65535);
        if (!value || *value == 0)
            return std::unexpected("invalid port");
        portNumber = std::uint16_t(*value);
    }
    return std::pair{host, portNumber};
}

bool UriView::isSip() const noexcept
{
    return equalsIgnoreCase(scheme, "sip") || equalsIgnoreCase(scheme, "sips");
}

Parsed<UriView> UriView::parse(QByteArrayView text) noexcept
{
    UriView uri;
    uri.text = text;
    const qsizetype colon = text.indexOf(':');
    if (colon <= 0)
        return std::unexpected("URI without a scheme");
    uri.scheme = text.first(colon);
    if (!isAlpha(uri.scheme.front()))
        return std::unexpected("URI scheme does not start with a letter");
    for (char c : uri.scheme) {
        if (!(isAlpha(c) || isDigit(c) || c == '+' || c == '-' || c == '.'))
            return std::unexpected("invalid character in URI scheme");
    }
    QByteArrayView rest = text.sliced(colon + 1);
    for (char c : rest) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '<' || c == '>' || c == '"')
            return std::unexpected("whitespace, quote or angle bracket inside a URI");
    }
    if (!uri.isSip()) {
        if (rest.isEmpty())
            return std::unexpected("empty URI");
        return uri; // opaque: tel:, http:, urn: ... the application decides
    }

    // sip:[user[:password]@]host[:port][;params][?headers]
    if (const qsizetype at = rest.indexOf('@'); at >= 0) {
        const QByteArrayView userInfo = rest.first(at);
        if (userInfo.isEmpty())
            return std::unexpected("empty user part before '@'");
        const qsizetype pw = userInfo.indexOf(':');
        uri.user = pw < 0 ? userInfo : userInfo.first(pw);
        if (pw >= 0)
            uri.password = userInfo.sliced(pw + 1);
        uri.hasUserInfo = true;
        rest = rest.sliced(at + 1);
    }
    qsizetype hostEnd = 0;
    while (hostEnd < rest.size() && rest[hostEnd] != ';' && rest[hostEnd] != '?')
        ++hostEnd;
    const auto hostPort = parseHostPort(rest.first(hostEnd));
    if (!hostPort)
        return std::unexpected(hostPort.error());
    uri.host = hostPort->first;
    uri.port = hostPort->second;
    rest = rest.sliced(hostEnd);
    const qsizetype question = rest.indexOf('?');
    const QByteArrayView params = question < 0 ? rest : rest.first(question);
    if (const SyntaxError error = ParamsView::validate(params, false))
        return std::unexpected(error);
    uri.params = ParamsView(params);
    if (question >= 0) {
        uri.headers = rest.sliced(question + 1);
        if (uri.headers.isEmpty())
            return std::unexpected("empty URI headers after '?'");
    }
    return uri;
}

QByteArray percentDecoded(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size());
    const auto hex = [](char c) -> int {
        if (isDigit(c))
            return c - '0';
        c = asciiLower(c);
        return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
            out.append(char(hex(text[i + 1]) * 16 + hex(text[i + 2])));
            i += 2;
        } else {
            out.append(text[i]);
        }
    }
    return out;
}

QByteArray unquoted(QByteArrayView text)
{
    text = trimmed(text);
    if (text.size() < 2 || text.front() != '"' || text.back() != '"')
        return text.toByteArray();
    QByteArray out;
    out.reserve(text.size() - 2);
    for (qsizetype i = 1; i < text.size() - 1; ++i) {
        if (text[i] == '\\' && i + 1 < text.size() - 1)
            ++i;
        out.append(text[i]);
    }
    return out;
}

} // namespace Vigil::Sip
