#pragma once

// Byte-level helpers for SIP text. No allocation, no locale, never read outside the view.

#include <QByteArrayView>

#include <cstdint>
#include <optional>

namespace Vigil::Sip {

constexpr char asciiLower(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') ? char(c + ('a' - 'A')) : c;
}

constexpr bool isDigit(char c) noexcept
{
    return c >= '0' && c <= '9';
}

constexpr bool isAlpha(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// Space or horizontal tab (folded line ends were already turned into spaces).
constexpr bool isWsp(char c) noexcept
{
    return c == ' ' || c == '\t';
}

/// RFC 3261 token characters: alphanum and -.!%*_+`'~
constexpr bool isTokenChar(char c) noexcept
{
    if (isAlpha(c) || isDigit(c))
        return true;
    switch (c) {
    case '-': case '.': case '!': case '%': case '*': case '_': case '+': case '`': case '\'':
    case '~':
        return true;
    default:
        return false;
    }
}

bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b) noexcept;
bool startsWithIgnoreCase(QByteArrayView text, QByteArrayView prefix) noexcept;
bool isToken(QByteArrayView text) noexcept;

/// Removes spaces and tabs at both ends.
QByteArrayView trimmed(QByteArrayView text) noexcept;

/// Parses 1-10 decimal digits (leading zeros allowed, up to 16 digits in all) into an unsigned
/// value no greater than `max`. Anything else, including signs, spaces and overflow, is nullopt.
std::optional<std::uint32_t> parseUInt(QByteArrayView text, std::uint32_t max = 0xFFFFFFFFu) noexcept;

/// Index of the first `c` at nesting level zero: outside quoted strings (with \-escapes) and
/// outside <...>. -1 when there is none, or when a quote or bracket is left open.
qsizetype findUnquoted(QByteArrayView text, char c, qsizetype from = 0) noexcept;

/// True when quotes and angle brackets in `text` are balanced.
bool isBalanced(QByteArrayView text) noexcept;

} // namespace Vigil::Sip
