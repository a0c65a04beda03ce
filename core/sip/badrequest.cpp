#include "badrequest.h"

#include "headerid.h"
#include "messagebuilder.h"
#include "nameaddr.h"
#include "sipmessage.h"
#include "text.h"

#include <QHostAddress>

#include <algorithm>
#include <cstring>
#include <vector>

namespace Vigil::Sip {

namespace {

constexpr qsizetype kMaxWarningText = 100;

/// What a 400 needs from a request that did not parse.
struct RequestParts {
    std::vector<QByteArray> vias; // one element each, in order
    QByteArray from, to, callId, cseq;
};

bool hasControlCharacters(QByteArrayView text) noexcept
{
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && c != '\t') || u == 0x7F;
    });
}

bool containsIgnoreCase(QByteArrayView text, QByteArrayView needle) noexcept
{
    for (qsizetype i = 0; i + needle.size() <= text.size(); ++i) {
        if (equalsIgnoreCase(text.sliced(i, needle.size()), needle))
            return true;
    }
    return false;
}

/// The To value has a tag parameter. Parsed properly when possible; otherwise searched for
/// after the URI, which is all a To header that failed to parse still offers.
bool hasTag(QByteArrayView to) noexcept
{
    if (const auto address = NameAddrView::parse(to))
        return address->params.has("tag");
    const qsizetype close = to.lastIndexOf('>');
    return containsIgnoreCase(close < 0 ? to : to.sliced(close), ";tag=");
}

/// A To tag that is the same for every retransmission of the same request (FNV-1a of what
/// identifies it), so that a stateless 400 stays consistent.
QByteArray stableTag(const RequestParts &parts)
{
    std::uint64_t hash = 0xcbf29ce484222325ull;
    for (const QByteArray *text : {&parts.callId, &parts.from, &parts.cseq, &parts.vias.front()}) {
        for (char c : *text) {
            hash ^= static_cast<unsigned char>(c);
            hash *= 0x100000001b3ull;
        }
        hash ^= 0xFF;
        hash *= 0x100000001b3ull;
    }
    return QByteArray::number(static_cast<qulonglong>(hash), 16);
}

QByteArray warningText(QByteArrayView reason)
{
    QByteArray text;
    text.reserve(std::min<qsizetype>(reason.size(), kMaxWarningText));
    for (char c : reason) {
        if (text.size() >= kMaxWarningText)
            break;
        const bool printable = c >= 0x20 && c <= 0x7E && c != '"' && c != '\\';
        const char out = printable ? c : ' ';
        if (out == ' ' && (text.isEmpty() || text.back() == ' '))
            continue;
        text.append(out);
    }
    while (text.endsWith(' '))
        text.chop(1);
    return text.isEmpty() ? QByteArray("malformed message") : text;
}

void keep(RequestParts &parts, HeaderId id, const QByteArray &value)
{
    switch (id) {
    case HeaderId::Via: {
        // One element per field, so that stampTopVia() sees the top one alone.
        qsizetype start = 0;
        for (;;) {
            const qsizetype comma = findUnquoted(value, ',', start);
            const QByteArrayView element = trimmed(QByteArrayView(value).sliced(start, (comma < 0 ? value.size() : comma) - start));
            if (!element.isEmpty())
                parts.vias.push_back(element.toByteArray());
            if (comma < 0)
                break;
            start = comma + 1;
        }
        break;
    }
    case HeaderId::From:
        if (parts.from.isNull())
            parts.from = value;
        break;
    case HeaderId::To:
        if (parts.to.isNull())
            parts.to = value;
        break;
    case HeaderId::CallId:
        if (parts.callId.isNull())
            parts.callId = value;
        break;
    case HeaderId::CSeq:
        if (parts.cseq.isNull())
            parts.cseq = value;
        break;
    default:
        break;
    }
}

std::optional<RequestParts> findRequestParts(QByteArrayView raw)
{
    raw = raw.first(std::min(raw.size(), SipMessage::kMaxSize));
    qsizetype pos = 0;
    while (pos < raw.size() && (raw[pos] == '\r' || raw[pos] == '\n'))
        ++pos;
    const auto lineEnd = [&](qsizetype from) {
        const auto *nl = static_cast<const char *>(std::memchr(raw.data() + from, '\n', size_t(raw.size() - from)));
        return nl ? nl - raw.data() : raw.size();
    };

    qsizetype eol = lineEnd(pos);
    QByteArrayView startLine = raw.sliced(pos, eol - pos);
    if (startLine.endsWith('\r'))
        startLine.chop(1);
    qsizetype methodEnd = 0;
    while (methodEnd < startLine.size() && isTokenChar(startLine[methodEnd]))
        ++methodEnd;
    if (methodEnd == 0 || methodEnd == startLine.size() || startLine[methodEnd] != ' ')
        return std::nullopt; // a response ("SIP/2.0 200"), or not SIP at all
    const QByteArrayView method = startLine.first(methodEnd);
    if (method == "ACK" || !containsIgnoreCase(startLine.sliced(methodEnd), " SIP/"))
        return std::nullopt;

    RequestParts parts;
    HeaderId current = HeaderId::Other;
    QByteArray value;
    pos = eol + 1;
    while (pos < raw.size()) {
        eol = lineEnd(pos);
        QByteArrayView line = raw.sliced(pos, eol - pos);
        pos = eol + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            break;
        if (isWsp(line.front())) {
            if (current != HeaderId::Other) {
                value.append(' ');
                value.append(trimmed(line));
            }
            continue;
        }
        keep(parts, current, value);
        const qsizetype colon = line.indexOf(':');
        current = colon < 0 ? HeaderId::Other : headerIdFromName(trimmed(line.first(colon)));
        value = current == HeaderId::Other ? QByteArray() : trimmed(line.sliced(colon + 1)).toByteArray();
    }
    keep(parts, current, value);

    if (parts.vias.empty() || parts.from.isEmpty() || parts.to.isEmpty() || parts.callId.isEmpty()
        || parts.cseq.isEmpty())
        return std::nullopt;
    for (const QByteArray *text : {&parts.from, &parts.to, &parts.callId, &parts.cseq}) {
        if (hasControlCharacters(*text))
            return std::nullopt;
    }
    for (const QByteArray &via : parts.vias) {
        if (hasControlCharacters(via))
            return std::nullopt;
    }
    return parts;
}

std::optional<MessageBuilder> badRequestBuilder(QByteArrayView raw, QByteArrayView reason)
{
    const auto parts = findRequestParts(raw);
    if (!parts)
        return std::nullopt;
    MessageBuilder builder = MessageBuilder::response(400);
    for (const QByteArray &via : parts->vias)
        builder.add(HeaderId::Via, via);
    builder.add(HeaderId::From, parts->from);
    builder.add(HeaderId::To, hasTag(parts->to) ? parts->to : QByteArray(parts->to + ";tag=" + stableTag(*parts)));
    builder.add(HeaderId::CallId, parts->callId);
    builder.add(HeaderId::CSeq, parts->cseq);
    builder.add(HeaderId::Warning, QByteArray("399 vigil \"" + warningText(reason) + '"'));
    return builder;
}

} // namespace

std::optional<QByteArray> badRequestResponse(QByteArrayView raw, QByteArrayView reason)
{
    const auto builder = badRequestBuilder(raw, reason);
    if (!builder)
        return std::nullopt;
    return builder->serialize();
}

std::optional<QByteArray> badRequestResponse(QByteArrayView raw, QByteArrayView reason, const QHostAddress &source,
                                             std::uint16_t sourcePort)
{
    auto builder = badRequestBuilder(raw, reason);
    if (!builder)
        return std::nullopt;
    builder->stampTopVia(source, sourcePort);
    return builder->serialize();
}

} // namespace Vigil::Sip
