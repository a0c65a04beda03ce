#include "via.h"

namespace Vigil::Sip {

namespace {

qsizetype skipWsp(QByteArrayView text, qsizetype pos) noexcept
{
    while (pos < text.size() && isWsp(text[pos]))
        ++pos;
    return pos;
}

/// Reads a token at `pos` (after skipping spaces); returns it and moves `pos` past it.
QByteArrayView readToken(QByteArrayView text, qsizetype &pos) noexcept
{
    pos = skipWsp(text, pos);
    const qsizetype start = pos;
    while (pos < text.size() && isTokenChar(text[pos]))
        ++pos;
    return text.sliced(start, pos - start);
}

bool expectSlash(QByteArrayView text, qsizetype &pos) noexcept
{
    pos = skipWsp(text, pos);
    if (pos >= text.size() || text[pos] != '/')
        return false;
    ++pos;
    return true;
}

} // namespace

bool ViaView::hasRfc3261Branch() const noexcept
{
    return branch.size() > 7 && branch.startsWith("z9hG4bK");
}

Parsed<ViaView> ViaView::parse(QByteArrayView text) noexcept
{
    ViaView via;
    qsizetype pos = 0;
    if (startsWithIgnoreCase(text, "SIP/2.0/")) {
        pos = 8; // what everybody writes
    } else {
        // RFC 3261 allows LWS around the slashes: "SIP / 2.0 / UDP"
        const QByteArrayView protocol = readToken(text, pos);
        if (!equalsIgnoreCase(protocol, "SIP") || !expectSlash(text, pos))
            return std::unexpected("Via protocol is not SIP");
        const QByteArrayView version = readToken(text, pos);
        if (version != "2.0" || !expectSlash(text, pos))
            return std::unexpected("Via protocol version is not 2.0");
    }
    via.transport = readToken(text, pos);
    if (via.transport.isEmpty())
        return std::unexpected("Via without a transport");
    pos = skipWsp(text, pos);
    const auto sentBy = scanHostPort(text.sliced(pos));
    if (!sentBy)
        return std::unexpected(sentBy.error());
    via.host = sentBy->host;
    via.port = sentBy->port;
    pos += sentBy->length;
    if (pos < text.size() && text[pos] != ';' && !isWsp(text[pos]))
        return std::unexpected(text[pos - 1] == ']' ? "text after IPv6 reference" : "invalid host");

    const QByteArrayView params = text.sliced(pos);
    bool badRport = false;
    const SyntaxError error = ParamsView::scan(params, true, [&](QByteArrayView name, QByteArrayView value) {
        switch (name.size()) {
        case 5:
            if (via.rportValue.isNull() && equalsIgnoreCase(name, "rport")) {
                via.rportValue = value;
                if (value.isEmpty()) {
                    via.rport = 0;
                } else if (const auto port = parseUInt(value, 65535)) {
                    via.rport = int(*port);
                } else {
                    badRport = true;
                }
            }
            break;
        case 6:
            if (via.branch.isNull() && equalsIgnoreCase(name, "branch"))
                via.branch = value;
            break;
        case 8:
            if (via.received.isNull() && equalsIgnoreCase(name, "received"))
                via.received = value;
            break;
        default:
            break;
        }
    });
    if (error)
        return std::unexpected(error);
    if (badRport)
        return std::unexpected("Via rport is not a port number");
    via.params = ParamsView(params);
    return via;
}

} // namespace Vigil::Sip
