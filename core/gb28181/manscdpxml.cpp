#include "manscdpxml.h"

#include "sip/text.h"

#include <optional>
#include <vector>

namespace Vigil::Gb {

namespace {

using uchar = unsigned char;

bool isSpace(uchar c) noexcept
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// The same name rules as tinyxml2 (XMLUtil::IsNameStartChar / IsNameChar).
bool isNameStart(uchar c) noexcept
{
    return c >= 0x80 || Sip::isAlpha(char(c)) || c == '_' || c == ':';
}

bool isNameChar(uchar c) noexcept
{
    return isNameStart(c) || Sip::isDigit(char(c)) || c == '.' || c == '-';
}

bool isXmlChar(std::uint32_t c) noexcept
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
           || (c >= 0x10000 && c <= 0x10FFFF);
}

/// Length of the entity or character reference at s[pos] ('&'), or 0 if there is no valid one.
qsizetype entityLength(QByteArrayView s, qsizetype pos) noexcept
{
    constexpr qsizetype kMaxEntity = 12;
    const qsizetype end = qMin(s.size(), pos + kMaxEntity);
    qsizetype i = pos + 1;
    if (i < end && s[i] == '#') {
        ++i;
        const bool hex = i < end && (s[i] == 'x' || s[i] == 'X');
        if (hex)
            ++i;
        const qsizetype digitsStart = i;
        std::uint32_t value = 0;
        while (i < end && s[i] != ';') {
            const uchar c = uchar(s[i]);
            int digit;
            if (Sip::isDigit(char(c)))
                digit = c - '0';
            else if (hex && Sip::asciiLower(char(c)) >= 'a' && Sip::asciiLower(char(c)) <= 'f')
                digit = Sip::asciiLower(char(c)) - 'a' + 10;
            else
                return 0;
            value = value * (hex ? 16 : 10) + std::uint32_t(digit);
            if (value > 0x10FFFF)
                return 0;
            ++i;
        }
        if (i >= end || i == digitsStart || !isXmlChar(value))
            return 0;
        return i + 1 - pos;
    }
    for (QByteArrayView name : {QByteArrayView("amp;"), QByteArrayView("lt;"), QByteArrayView("gt;"),
                                QByteArrayView("quot;"), QByteArrayView("apos;")}) {
        if (s.sliced(pos + 1).startsWith(name))
            return name.size() + 1;
    }
    return 0;
}

/// Appends text, turning '&' that starts no entity and every '<' into entities; with
/// `forAttribute`, '"' too.
void appendEscaped(QByteArray &out, QByteArrayView s, XmlRepairs &repairs, bool forAttribute = false)
{
    qsizetype i = 0;
    while (i < s.size()) {
        qsizetype run = i;
        while (run < s.size() && s[run] != '&' && s[run] != '<' && !(forAttribute && s[run] == '"'))
            ++run;
        out.append(s.sliced(i, run - i));
        if (run >= s.size())
            break;
        const char c = s[run];
        if (c == '&') {
            if (const qsizetype n = entityLength(s, run)) {
                out.append(s.sliced(run, n));
                i = run + n;
                continue;
            }
            out.append("&amp;");
            ++repairs.escapedCharacters;
        } else if (c == '<') {
            out.append("&lt;");
            ++repairs.escapedCharacters;
        } else {
            out.append("&quot;");
        }
        i = run + 1;
    }
}

struct Attribute {
    QByteArrayView name;
    QByteArrayView value;
    bool quoted = false;
    bool hasValue = false;
};

enum class TagKind : std::uint8_t { Start, End, Empty };

struct Tag {
    TagKind kind = TagKind::Start;
    qsizetype length = 0; ///< from '<' through '>'
    QByteArrayView name;
};

/// Reads the tag at s[pos] ('<'); nullopt when it is not a well-shaped tag (the '<' is then text).
/// Collects the attributes of start tags into `attributes` when given.
std::optional<Tag> scanTag(QByteArrayView s, qsizetype pos, std::vector<Attribute> *attributes = nullptr)
{
    const qsizetype n = s.size();
    qsizetype i = pos + 1;
    Tag tag;
    if (i < n && s[i] == '/') {
        tag.kind = TagKind::End;
        ++i;
    }
    if (i >= n || !isNameStart(uchar(s[i])))
        return std::nullopt;
    const qsizetype nameStart = i;
    while (i < n && isNameChar(uchar(s[i])))
        ++i;
    tag.name = s.sliced(nameStart, i - nameStart);
    auto skipSpace = [&] {
        while (i < n && isSpace(uchar(s[i])))
            ++i;
    };
    if (tag.kind == TagKind::End) {
        skipSpace();
        if (i >= n || s[i] != '>')
            return std::nullopt;
        tag.length = i + 1 - pos;
        return tag;
    }
    for (;;) {
        const qsizetype beforeSpace = i;
        skipSpace();
        if (i >= n)
            return std::nullopt;
        if (s[i] == '>') {
            tag.length = i + 1 - pos;
            return tag;
        }
        if (s[i] == '/') {
            if (i + 1 < n && s[i + 1] == '>') {
                tag.kind = TagKind::Empty;
                tag.length = i + 2 - pos;
                return tag;
            }
            return std::nullopt;
        }
        if (i == beforeSpace || !isNameStart(uchar(s[i])))
            return std::nullopt;
        Attribute attribute;
        const qsizetype attrStart = i;
        while (i < n && isNameChar(uchar(s[i])))
            ++i;
        attribute.name = s.sliced(attrStart, i - attrStart);
        const qsizetype afterName = i;
        skipSpace();
        if (i < n && s[i] == '=') {
            ++i;
            skipSpace();
            if (i >= n)
                return std::nullopt;
            attribute.hasValue = true;
            if (s[i] == '"' || s[i] == '\'') {
                const char quote = s[i++];
                const qsizetype valueStart = i;
                while (i < n && s[i] != quote && s[i] != '<')
                    ++i;
                if (i >= n || s[i] != quote)
                    return std::nullopt;
                attribute.value = s.sliced(valueStart, i - valueStart);
                attribute.quoted = true;
                ++i;
            } else {
                const qsizetype valueStart = i;
                while (i < n && !isSpace(uchar(s[i])) && s[i] != '>' && s[i] != '<' && s[i] != '"' && s[i] != '\''
                       && !(s[i] == '/' && i + 1 < n && s[i + 1] == '>'))
                    ++i;
                if (i == valueStart)
                    return std::nullopt;
                attribute.value = s.sliced(valueStart, i - valueStart);
            }
        } else {
            i = afterName; // a name alone: dropped when written
        }
        if (attributes)
            attributes->push_back(attribute);
    }
}

enum class TokenKind : std::uint8_t { Text, Verbatim, Start, End, Empty };

enum class Disposition : std::uint8_t {
    Keep,
    Drop,      ///< outside the root
    AsText,    ///< a stray tag, written escaped
    AutoClose, ///< a start tag whose end tag is missing: written, and closed later
};

struct Token {
    TokenKind kind = TokenKind::Text;
    Disposition disposition = Disposition::Keep;
    qsizetype begin = 0;
    qsizetype end = 0;
    QByteArrayView name;
    int match = -1; ///< for an End: the Start it closes
};

void tokenize(QByteArrayView s, std::vector<Token> &tokens)
{
    const qsizetype n = s.size();
    qsizetype textStart = -1;
    auto flushText = [&](qsizetype upTo) {
        if (textStart >= 0 && upTo > textStart)
            tokens.push_back(Token{TokenKind::Text, Disposition::Keep, textStart, upTo, {}, -1});
        textStart = -1;
    };
    // Where each terminator next occurs, remembered so that a run of unterminated "<?" or
    // "<!--" does not search to the end of the input again and again.
    struct Next {
        QByteArrayView terminator;
        qsizetype at = -2; ///< -2 not searched yet, -1 none after the last search
    };
    Next nextPi{"?>"}, nextComment{"-->"}, nextCdata{"]]>"}, nextSubset{"]>"}, nextClose{">"};
    auto find = [&](Next &next, qsizetype from) -> qsizetype {
        if (next.at == -1 || next.at >= from)
            return next.at;
        next.at = s.indexOf(next.terminator, from);
        return next.at;
    };
    auto skipTo = [&](Next &next, qsizetype from) -> qsizetype {
        const qsizetype at = find(next, from);
        return at < 0 ? -1 : at + next.terminator.size();
    };
    qsizetype i = 0;
    while (i < n) {
        if (s[i] != '<') {
            if (textStart < 0)
                textStart = i;
            const qsizetype next = s.indexOf('<', i);
            i = next < 0 ? n : next;
            continue;
        }
        const QByteArrayView rest = s.sliced(i);
        qsizetype skipped = -1; // end of markup that is dropped
        if (rest.startsWith("<?")) {
            skipped = skipTo(nextPi, i + 2);
        } else if (rest.startsWith("<!--")) {
            skipped = skipTo(nextComment, i + 4);
        } else if (rest.startsWith("<![CDATA[")) {
            const qsizetype end = skipTo(nextCdata, i + 9);
            if (end > 0) {
                flushText(i);
                tokens.push_back(Token{TokenKind::Verbatim, Disposition::Keep, i, end, {}, -1});
                i = end;
                continue;
            }
        } else if (rest.startsWith("<!")) {
            const qsizetype close = find(nextClose, i + 2);
            const qsizetype bracket = close < 0 ? -1 : s.first(close).indexOf('[', i + 2);
            if (bracket >= 0)
                skipped = skipTo(nextSubset, bracket);
            else if (close >= 0)
                skipped = close + 1;
        } else if (const auto tag = scanTag(s, i)) {
            flushText(i);
            const TokenKind kind = tag->kind == TagKind::Start ? TokenKind::Start
                                   : tag->kind == TagKind::End ? TokenKind::End
                                                               : TokenKind::Empty;
            tokens.push_back(Token{kind, Disposition::Keep, i, i + tag->length, tag->name, -1});
            i += tag->length;
            continue;
        }
        if (skipped > 0) {
            flushText(i);
            i = skipped;
            continue;
        }
        if (textStart < 0)
            textStart = i; // a '<' that starts nothing: text
        ++i;
    }
    flushText(n);
}

bool isBlank(QByteArrayView s) noexcept
{
    for (const char c : s) {
        if (!isSpace(uchar(c)))
            return false;
    }
    return true;
}

struct OpenElement {
    int token = 0;
    bool hasChildElements = false;
};

struct Balance {
    std::vector<std::pair<int, int>> closesBefore; ///< (token index, start token to close there), in order
    std::vector<int> closesAtEnd;                 ///< start tokens to close at the end, innermost first
};

Balance balance(QByteArrayView s, std::vector<Token> &tokens, XmlRepairs &repairs)
{
    Balance result;
    std::vector<OpenElement> stack;
    bool rootSeen = false;
    bool rootClosed = false;
    auto markChild = [&] {
        if (!stack.empty())
            stack.back().hasChildElements = true;
    };
    for (int i = 0; i < int(tokens.size()); ++i) {
        Token &token = tokens[std::size_t(i)];
        const bool outside = rootClosed || (stack.empty() && (token.kind == TokenKind::Text || token.kind == TokenKind::Verbatim
                                                              || token.kind == TokenKind::End));
        if (outside) {
            token.disposition = Disposition::Drop;
            if (!isBlank(s.sliced(token.begin, token.end - token.begin)))
                ++repairs.droppedOutside;
            continue;
        }
        switch (token.kind) {
        case TokenKind::Text:
        case TokenKind::Verbatim:
            break;
        case TokenKind::Empty:
            markChild();
            if (!rootSeen)
                rootSeen = rootClosed = true;
            break;
        case TokenKind::Start:
            if (int(stack.size()) >= kMaxXmlDepth) {
                token.disposition = Disposition::AsText;
                ++repairs.strayTags;
                break;
            }
            stack.push_back(OpenElement{i, false});
            rootSeen = true;
            break;
        case TokenKind::End: {
            int depth = int(stack.size()) - 1;
            while (depth >= 0 && !Sip::equalsIgnoreCase(tokens[std::size_t(stack[std::size_t(depth)].token)].name, token.name))
                --depth;
            if (depth < 0) {
                token.disposition = Disposition::AsText;
                ++repairs.strayTags;
                break;
            }
            while (int(stack.size()) - 1 > depth) {
                const OpenElement open = stack.back();
                stack.pop_back();
                Token &start = tokens[std::size_t(open.token)];
                if (open.hasChildElements) {
                    start.disposition = Disposition::AutoClose;
                    result.closesBefore.emplace_back(i, open.token);
                    ++repairs.closedElements;
                    markChild();
                } else {
                    start.disposition = Disposition::AsText;
                    ++repairs.strayTags;
                }
            }
            token.match = stack.back().token;
            if (tokens[std::size_t(token.match)].name != token.name)
                ++repairs.renamedEndTags;
            stack.pop_back();
            markChild();
            if (stack.empty())
                rootClosed = true;
            break;
        }
        }
    }
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
        result.closesAtEnd.push_back(it->token);
        ++repairs.closedElements;
    }
    return result;
}

void appendStartTag(QByteArray &out, QByteArrayView s, const Token &token, XmlRepairs &repairs)
{
    std::vector<Attribute> attributes;
    const auto tag = scanTag(s, token.begin, &attributes);
    Q_ASSERT(tag);
    out.append('<');
    out.append(tag->name);
    int written = 0;
    for (std::size_t a = 0; a < attributes.size(); ++a) {
        const Attribute &attribute = attributes[a];
        bool repeated = false;
        for (std::size_t b = 0; b < a && !repeated && written < kMaxXmlAttributes; ++b)
            repeated = attributes[b].hasValue && attributes[b].name == attribute.name;
        if (!attribute.hasValue || repeated || written >= kMaxXmlAttributes) {
            ++repairs.droppedAttributes;
            continue;
        }
        if (!attribute.quoted)
            ++repairs.quotedAttributes;
        ++written;
        out.append(' ');
        out.append(attribute.name);
        out.append("=\"");
        appendEscaped(out, attribute.value, repairs, true);
        out.append('"');
    }
    out.append(token.kind == TokenKind::Empty ? "/>" : ">");
}

void appendEndTag(QByteArray &out, QByteArrayView name)
{
    out.append("</");
    out.append(name);
    out.append('>');
}

} // namespace

QByteArray repairXml(QByteArrayView utf8, XmlRepairs *repairsOut)
{
    XmlRepairs repairs;
    if (const qsizetype nul = utf8.indexOf('\0'); nul >= 0) {
        for (const char c : utf8.sliced(nul)) {
            if (c != '\0' && !isSpace(uchar(c))) {
                ++repairs.droppedOutside;
                break;
            }
        }
        utf8 = utf8.first(nul);
    }
    std::vector<Token> tokens;
    tokenize(utf8, tokens);
    const Balance balanced = balance(utf8, tokens, repairs);

    QByteArray out;
    out.reserve(utf8.size() + utf8.size() / 8 + 16);
    auto closeIt = balanced.closesBefore.begin();
    for (int i = 0; i < int(tokens.size()); ++i) {
        const Token &token = tokens[std::size_t(i)];
        for (; closeIt != balanced.closesBefore.end() && closeIt->first == i; ++closeIt)
            appendEndTag(out, tokens[std::size_t(closeIt->second)].name);
        const QByteArrayView raw = utf8.sliced(token.begin, token.end - token.begin);
        switch (token.disposition) {
        case Disposition::Drop:
            continue;
        case Disposition::AsText: {
            XmlRepairs counted; // the tag is already counted as stray
            appendEscaped(out, raw, counted);
            continue;
        }
        case Disposition::Keep:
        case Disposition::AutoClose:
            break;
        }
        switch (token.kind) {
        case TokenKind::Text:
            appendEscaped(out, raw, repairs);
            break;
        case TokenKind::Verbatim:
            out.append(raw);
            break;
        case TokenKind::Start:
        case TokenKind::Empty:
            appendStartTag(out, utf8, token, repairs);
            break;
        case TokenKind::End:
            appendEndTag(out, tokens[std::size_t(token.match)].name);
            break;
        }
    }
    for (const int start : balanced.closesAtEnd)
        appendEndTag(out, tokens[std::size_t(start)].name);
    if (repairsOut)
        *repairsOut = repairs;
    return out;
}

} // namespace Vigil::Gb
