#include "uri.h"

#include <cstring>

namespace Vigil::Sip {

namespace {

qsizetype skipWsp(QByteArrayView text, qsizetype pos) noexcept
{
    while (pos < text.size() && isWsp(text[pos]))
        ++pos;
    return pos;
}

/// End of a quoted string that starts at `pos` (on the opening quote): the index after the
/// closing quote, or the size of `text` when it is not closed.
qsizetype quotedStringEnd(QByteArrayView text, qsizetype pos) noexcept
{
    for (qsizetype i = pos + 1; i < text.size(); ++i) {
        if (text[i] == '\\')
            ++i;
        else if (text[i] == '"')
            return i + 1;
    }
    return text.size();
}

bool isIpv6Char(char c) noexcept
{
    return hasClass(c, CharClass::Hex) || c == ':' || c == '.';
}

} // namespace

bool ParamsView::next(qsizetype &pos, QByteArrayView &name, QByteArrayView &value) const noexcept
{
    // Lenient on purpose: the text was validated by whoever made the view, and a view made from
    // anything else must still be walked without reading outside it.
    const QByteArrayView text = m_text;
    while (pos < text.size() && text[pos] != ';') {
        if (text[pos] == '"')
            pos = quotedStringEnd(text, pos);
        else
            ++pos;
    }
    if (pos >= text.size())
        return false;
    pos = skipWsp(text, pos + 1);
    const qsizetype nameStart = pos;
    while (pos < text.size() && text[pos] != ';' && text[pos] != '=' && !isWsp(text[pos]))
        ++pos;
    name = text.sliced(nameStart, pos - nameStart);
    value = QByteArrayView(text.data() + pos, qsizetype(0));
    pos = skipWsp(text, pos);
    if (pos < text.size() && text[pos] == '=') {
        pos = skipWsp(text, pos + 1);
        const qsizetype valueStart = pos;
        if (pos < text.size() && text[pos] == '"') {
            pos = quotedStringEnd(text, pos);
        } else {
            while (pos < text.size() && text[pos] != ';' && !isWsp(text[pos]))
                ++pos;
        }
        value = text.sliced(valueStart, pos - valueStart);
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

bool isValidHost(QByteArrayView host) noexcept
{
    const auto hostPort = scanHostPort(host);
    return hostPort && hostPort->port == 0 && hostPort->length == host.size();
}

Parsed<HostPort> scanHostPort(QByteArrayView text) noexcept
{
    const char *p = text.data();
    const qsizetype n = text.size();
    HostPort result;
    qsizetype pos = 0;
    if (n > 0 && p[0] == '[') {
        pos = 1;
        while (pos < n && isIpv6Char(p[pos]))
            ++pos;
        if (pos >= n || p[pos] != ']') {
            if (pos < n)
                return std::unexpected("invalid IPv6 reference");
            return std::unexpected("unterminated IPv6 reference");
        }
        ++pos;
        if (pos < 4)
            return std::unexpected("invalid IPv6 reference");
    } else {
        while (pos < n && hasClass(p[pos], CharClass::Host))
            ++pos;
        if (pos == 0)
            return std::unexpected("invalid host");
    }
    result.host = QByteArrayView(p, pos);
    if (pos < n && p[pos] == ':') {
        const qsizetype start = ++pos;
        std::uint32_t port = 0;
        while (pos < n && isDigit(p[pos]) && pos - start < 6) {
            port = port * 10 + std::uint32_t(p[pos] - '0');
            ++pos;
        }
        if (pos == start || port == 0 || port > 65535 || (pos < n && isDigit(p[pos])))
            return std::unexpected("invalid port");
        result.port = std::uint16_t(port);
    }
    result.length = pos;
    return result;
}

Parsed<std::pair<QByteArrayView, std::uint16_t>> parseHostPort(QByteArrayView text) noexcept
{
    const auto hostPort = scanHostPort(text);
    if (!hostPort)
        return std::unexpected(hostPort.error());
    if (hostPort->length != text.size())
        return std::unexpected(text.front() == '[' ? "text after IPv6 reference" : "invalid host");
    return std::pair{hostPort->host, hostPort->port};
}

bool UriView::isSip() const noexcept
{
    const char *s = scheme.data();
    return (scheme.size() == 3 || (scheme.size() == 4 && asciiLower(s[3]) == 's')) && asciiLower(s[0]) == 's'
        && asciiLower(s[1]) == 'i' && asciiLower(s[2]) == 'p';
}

Parsed<UriView> UriView::parse(QByteArrayView text) noexcept
{
    UriView uri;
    uri.text = text;
    const char *p = text.data();
    const qsizetype n = text.size();

    qsizetype colon = 0;
    while (colon < n && (isAlpha(p[colon]) || isDigit(p[colon]) || p[colon] == '+' || p[colon] == '-' || p[colon] == '.'))
        ++colon;
    if (colon >= n || p[colon] != ':') {
        const qsizetype anyColon = text.indexOf(':');
        if (anyColon <= 0)
            return std::unexpected("URI without a scheme");
        return std::unexpected(isAlpha(p[0]) ? "invalid character in URI scheme" : "URI scheme does not start with a letter");
    }
    if (colon == 0)
        return std::unexpected("URI without a scheme");
    if (!isAlpha(p[0]))
        return std::unexpected("URI scheme does not start with a letter");
    uri.scheme = QByteArrayView(p, colon);

    const qsizetype restStart = colon + 1;
    const auto hasStopChar = [p](qsizetype from, qsizetype to) {
        for (qsizetype i = from; i < to; ++i) {
            if (hasClass(p[i], CharClass::UriStop))
                return true;
        }
        return false;
    };
    if (!uri.isSip()) {
        if (restStart == n)
            return std::unexpected("empty URI");
        if (hasStopChar(restStart, n))
            return std::unexpected("whitespace, quote or angle bracket inside a URI");
        return uri; // opaque: tel:, http:, urn: ... the application decides
    }

    // sip:[user[:password]@]host[:port][;params][?headers]
    // Host, port and parameters are checked character by character below; the user part and
    // the headers only for what can never be inside a URI.
    const auto *atSign = static_cast<const char *>(std::memchr(p + restStart, '@', size_t(n - restStart)));
    qsizetype pos = restStart;
    if (atSign) {
        const qsizetype at = atSign - p;
        if (at == restStart)
            return std::unexpected("empty user part before '@'");
        if (hasStopChar(restStart, at))
            return std::unexpected("whitespace, quote or angle bracket inside a URI");
        const auto *pw = static_cast<const char *>(std::memchr(p + restStart, ':', size_t(at - restStart)));
        if (pw) {
            uri.user = QByteArrayView(p + restStart, pw - (p + restStart));
            uri.password = QByteArrayView(pw + 1, atSign - (pw + 1));
        } else {
            uri.user = QByteArrayView(p + restStart, at - restStart);
        }
        uri.hasUserInfo = true;
        pos = at + 1;
    }
    const auto hostPort = scanHostPort(text.sliced(pos));
    if (!hostPort)
        return std::unexpected(hostPort.error());
    uri.host = hostPort->host;
    uri.port = hostPort->port;
    pos += hostPort->length;
    if (pos < n && p[pos] != ';' && p[pos] != '?') {
        if (hasClass(p[pos], CharClass::UriStop))
            return std::unexpected("whitespace, quote or angle bracket inside a URI");
        return std::unexpected(p[pos - 1] == ']' ? "text after IPv6 reference" : "invalid host");
    }

    const auto *question = static_cast<const char *>(std::memchr(p + pos, '?', size_t(n - pos)));
    const qsizetype paramsEnd = question ? question - p : n;
    const QByteArrayView params(p + pos, paramsEnd - pos);
    if (const SyntaxError error = ParamsView::validate(params, false)) {
        if (hasStopChar(pos, paramsEnd))
            return std::unexpected("whitespace, quote or angle bracket inside a URI");
        return std::unexpected(error);
    }
    uri.params = ParamsView(params);
    if (question) {
        uri.headers = QByteArrayView(question + 1, (p + n) - (question + 1));
        if (uri.headers.isEmpty())
            return std::unexpected("empty URI headers after '?'");
        if (hasStopChar(paramsEnd, n))
            return std::unexpected("whitespace, quote or angle bracket inside a URI");
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
