#include "via.h"

#include "text.h"

namespace Vigil::Sip {

namespace {

/// Reads a token at `pos` (after skipping spaces); returns it and moves `pos` past it.
QByteArrayView readToken(QByteArrayView text, qsizetype &pos) noexcept
{
    while (pos < text.size() && isWsp(text[pos]))
        ++pos;
    const qsizetype start = pos;
    while (pos < text.size() && isTokenChar(text[pos]))
        ++pos;
    return text.sliced(start, pos - start);
}

bool expectSlash(QByteArrayView text, qsizetype &pos) noexcept
{
    while (pos < text.size() && isWsp(text[pos]))
        ++pos;
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
    const QByteArrayView protocol = readToken(text, pos);
    if (!equalsIgnoreCase(protocol, "SIP") || !expectSlash(text, pos))
        return std::unexpected("Via protocol is not SIP");
    const QByteArrayView version = readToken(text, pos);
    if (version != "2.0" || !expectSlash(text, pos))
        return std::unexpected("Via protocol version is not 2.0");
    via.transport = readToken(text, pos);
    if (via.transport.isEmpty())
        return std::unexpected("Via without a transport");
    while (pos < text.size() && isWsp(text[pos]))
        ++pos;
    qsizetype sentByEnd = pos;
    while (sentByEnd < text.size() && text[sentByEnd] != ';' && !isWsp(text[sentByEnd]))
        ++sentByEnd;
    const auto sentBy = parseHostPort(text.sliced(pos, sentByEnd - pos));
    if (!sentBy)
        return std::unexpected(sentBy.error());
    via.host = sentBy->first;
    via.port = sentBy->second;

    const QByteArrayView params = text.sliced(sentByEnd);
    if (const SyntaxError error = ParamsView::validate(params, true))
        return std::unexpected(error);
    via.params = ParamsView(params);
    bool badRport = false;
    via.params.forEach([&](QByteArrayView name, QByteArrayView value) {
        if (equalsIgnoreCase(name, "branch")) {
            if (via.branch.isNull())
                via.branch = value;
        } else if (equalsIgnoreCase(name, "received")) {
            via.received = value;
        } else if (equalsIgnoreCase(name, "rport")) {
            if (value.isEmpty()) {
                via.rport = 0;
            } else if (const auto port = parseUInt(value, 65535)) {
                via.rport = int(*port);
            } else {
                badRport = true;
            }
        }
    });
    if (badRport)
        return std::unexpected("Via rport is not a port number");
    return via;
}

} // namespace Vigil::Sip
