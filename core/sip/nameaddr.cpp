#include "nameaddr.h"

#include <cstring>

namespace Vigil::Sip {

namespace {

qsizetype indexOfChar(QByteArrayView text, char c, qsizetype from) noexcept
{
    if (from >= text.size())
        return -1;
    const auto *hit = static_cast<const char *>(std::memchr(text.data() + from, c, size_t(text.size() - from)));
    return hit ? hit - text.data() : -1;
}

} // namespace

Parsed<NameAddrView> NameAddrView::parse(QByteArrayView text, bool allowWildcard) noexcept
{
    text = trimmed(text);
    NameAddrView result;
    if (text.isEmpty())
        return std::unexpected("empty address");
    if (text.size() == 1 && text.front() == '*') {
        if (!allowWildcard)
            return std::unexpected("'*' is only allowed in Contact");
        result.wildcard = true;
        return result;
    }

    qsizetype open = -1;
    if (text.front() == '<') {
        open = 0;
    } else if (text.front() == '"') {
        // quoted display name, then LWS, then <URI>
        qsizetype i = 1;
        for (; i < text.size(); ++i) {
            if (text[i] == '"')
                break;
            if (text[i] == '\\' || (i + 1 < text.size() && isGbkPair(text[i], text[i + 1])))
                ++i;
        }
        if (i >= text.size())
            return std::unexpected("unterminated quoted display name");
        result.displayName = text.first(i + 1);
        qsizetype pos = i + 1;
        while (pos < text.size() && isWsp(text[pos]))
            ++pos;
        if (pos >= text.size() || text[pos] != '<')
            return std::unexpected("quoted display name not followed by <URI>");
        open = pos;
    } else {
        open = indexOfChar(text, '<', 0);
        if (open >= 0) {
            // unquoted display name: tokens separated by LWS; non-ASCII bytes tolerated
            // because devices write Chinese names (UTF-8 or GB 2312) without quotes.
            const QByteArrayView name = trimmed(text.first(open));
            for (qsizetype i = 0; i < name.size(); ++i) {
                const char c = name[i];
                if (i + 1 < name.size() && isGbkPair(c, name[i + 1]))
                    ++i;
                else if (!(isTokenChar(c) || isWsp(c) || static_cast<unsigned char>(c) >= 0x80))
                    return std::unexpected("display name with characters that need quoting");
            }
            result.displayName = name;
        }
    }

    QByteArrayView uriText;
    QByteArrayView rest;
    if (open >= 0) {
        const qsizetype close = indexOfChar(text, '>', open + 1);
        if (close < 0)
            return std::unexpected("'<' without '>'");
        uriText = text.sliced(open + 1, close - open - 1);
        rest = text.sliced(close + 1);
        result.bracketed = true;
    } else {
        // addr-spec: the URI runs to the first ';', the rest are header parameters
        const qsizetype semi = indexOfChar(text, ';', 0);
        uriText = trimmed(semi < 0 ? text : text.first(semi));
        rest = semi < 0 ? QByteArrayView() : text.sliced(semi);
        for (char c : uriText) {
            if (c == ',' || c == '?')
                return std::unexpected("a URI with ',' or '?' must be in <...>");
            if (isWsp(c))
                return std::unexpected("whitespace inside a URI");
        }
    }
    auto uri = UriView::parse(uriText);
    if (!uri)
        return std::unexpected(uri.error());
    result.uri = *uri;
    if (const SyntaxError error = ParamsView::validate(rest, true))
        return std::unexpected(error);
    result.params = ParamsView(rest);
    return result;
}

} // namespace Vigil::Sip
