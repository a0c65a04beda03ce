#include "nameaddr.h"

#include "text.h"

namespace Vigil::Sip {

Parsed<NameAddrView> NameAddrView::parse(QByteArrayView text, bool allowWildcard) noexcept
{
    text = trimmed(text);
    NameAddrView result;
    if (text.isEmpty())
        return std::unexpected("empty address");
    if (text == "*") {
        if (!allowWildcard)
            return std::unexpected("'*' is only allowed in Contact");
        result.wildcard = true;
        return result;
    }

    qsizetype pos = 0;
    qsizetype open = -1;
    if (text.front() == '"') {
        // quoted display name, then LWS, then <URI>
        qsizetype i = 1;
        for (; i < text.size(); ++i) {
            if (text[i] == '\\')
                ++i;
            else if (text[i] == '"')
                break;
        }
        if (i >= text.size())
            return std::unexpected("unterminated quoted display name");
        result.displayName = text.first(i + 1);
        pos = i + 1;
        while (pos < text.size() && isWsp(text[pos]))
            ++pos;
        if (pos >= text.size() || text[pos] != '<')
            return std::unexpected("quoted display name not followed by <URI>");
        open = pos;
    } else {
        open = text.indexOf('<');
        if (open >= 0) {
            // unquoted display name: tokens separated by LWS; non-ASCII bytes tolerated
            // because devices write Chinese names without quotes.
            const QByteArrayView name = trimmed(text.first(open));
            for (char c : name) {
                if (!(isTokenChar(c) || isWsp(c) || static_cast<unsigned char>(c) >= 0x80))
                    return std::unexpected("display name with characters that need quoting");
            }
            result.displayName = name;
        }
    }

    QByteArrayView uriText;
    QByteArrayView rest;
    if (open >= 0) {
        const qsizetype close = text.indexOf('>', open + 1);
        if (close < 0)
            return std::unexpected("'<' without '>'");
        uriText = text.sliced(open + 1, close - open - 1);
        rest = text.sliced(close + 1);
        result.bracketed = true;
    } else {
        // addr-spec: the URI runs to the first ';', the rest are header parameters
        const qsizetype semi = text.indexOf(';');
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
