#pragma once

// Byte-level helpers for SIP text. No allocation, no locale, never read outside the view.

#include <QByteArrayView>

#include <array>
#include <cstdint>
#include <optional>

namespace Vigil::Sip {

namespace CharClass {
/// Bits of kCharClass: one table look-up answers "may this byte appear here?".
enum : std::uint8_t {
    Token = 0x01,     ///< RFC 3261 token: alphanum and -.!%*_+`'~
    Wsp = 0x02,       ///< space, horizontal tab
    Digit = 0x04,
    Alpha = 0x08,
    Host = 0x10,      ///< domain names and IPv4: alphanum - . _
    UriParam = 0x20,  ///< RFC 3261 paramchar (unreserved, param-unreserved, '%')
    UriStop = 0x40,   ///< bytes that end a URI: whitespace, CR, LF, < > "
    Hex = 0x80,
};
} // namespace CharClass

/// Character classes of every byte value, see CharClass.
inline constexpr std::array<std::uint8_t, 256> kCharClass = [] {
    std::array<std::uint8_t, 256> table{};
    const auto mark = [&](const char *chars, std::uint8_t bits) {
        for (const char *p = chars; *p; ++p)
            table[static_cast<unsigned char>(*p)] |= bits;
    };
    for (int c = 0; c < 256; ++c) {
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        const bool digit = c >= '0' && c <= '9';
        if (alpha)
            table[c] |= CharClass::Alpha | CharClass::Token | CharClass::Host | CharClass::UriParam;
        if (digit)
            table[c] |= CharClass::Digit | CharClass::Token | CharClass::Host | CharClass::UriParam | CharClass::Hex;
        if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
            table[c] |= CharClass::Hex;
    }
    mark("-.!%*_+`'~", CharClass::Token);
    mark(" \t", CharClass::Wsp);
    mark("-._", CharClass::Host);
    mark("-_.!~*'()[]/:&+$%", CharClass::UriParam);
    mark(" \t\r\n<>\"", CharClass::UriStop);
    return table;
}();

constexpr bool hasClass(char c, std::uint8_t bits) noexcept
{
    return (kCharClass[static_cast<unsigned char>(c)] & bits) != 0;
}

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
    return hasClass(c, CharClass::Token);
}

/// ASCII case-insensitive equality (non-ASCII bytes must match exactly).
inline bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b) noexcept
{
    if (a.size() != b.size())
        return false;
    const char *p = a.data();
    const char *q = b.data();
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (p[i] != q[i] && asciiLower(p[i]) != asciiLower(q[i]))
            return false;
    }
    return true;
}

/// True when `lead` and `trail` are one GBK / GB 18030 double-byte character whose second byte
/// lies in the ASCII range (0x40-0x7E). Such a byte is text: a 0x5C in "乗" is no backslash
/// escape. UTF-8 never matches (its continuation bytes are 0x80 and above).
constexpr bool isGbkPair(char lead, char trail) noexcept
{
    const auto l = static_cast<unsigned char>(lead);
    const auto t = static_cast<unsigned char>(trail);
    return l >= 0x81 && l <= 0xFE && t >= 0x40 && t <= 0x7E;
}

bool startsWithIgnoreCase(QByteArrayView text, QByteArrayView prefix) noexcept;
bool isToken(QByteArrayView text) noexcept;

/// Removes spaces and tabs at both ends.
QByteArrayView trimmed(QByteArrayView text) noexcept;

/// Parses 1-10 decimal digits (leading zeros allowed, up to 16 digits in all) into an unsigned
/// value no greater than `max`. Anything else, including signs, spaces and overflow, is nullopt.
std::optional<std::uint32_t> parseUInt(QByteArrayView text, std::uint32_t max = 0xFFFFFFFFu) noexcept;

/// Index of the first `c` at nesting level zero: outside quoted strings (with \-escapes; GBK
/// characters whose second byte is a backslash escape nothing) and outside <...>. -1 when there
/// is none, or when a quote or bracket is left open.
qsizetype findUnquoted(QByteArrayView text, char c, qsizetype from = 0) noexcept;

/// True when quotes and angle brackets in `text` are balanced.
bool isBalanced(QByteArrayView text) noexcept;

/// Writes `value` in decimal at `out` (room for 10 digits) and returns the end.
char *writeDecimal(char *out, std::uint32_t value) noexcept;

} // namespace Vigil::Sip
