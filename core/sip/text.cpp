#include "text.h"

namespace Vigil::Sip {

bool startsWithIgnoreCase(QByteArrayView text, QByteArrayView prefix) noexcept
{
    return text.size() >= prefix.size() && equalsIgnoreCase(text.first(prefix.size()), prefix);
}

bool isToken(QByteArrayView text) noexcept
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

char *writeDecimal(char *out, std::uint32_t value) noexcept
{
    char digits[10];
    int count = 0;
    do {
        digits[count++] = char('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (count > 0)
        *out++ = digits[--count];
    return out;
}

QByteArrayView trimmed(QByteArrayView text) noexcept
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isWsp(text[begin]))
        ++begin;
    while (end > begin && isWsp(text[end - 1]))
        --end;
    return text.sliced(begin, end - begin);
}

std::optional<std::uint32_t> parseUInt(QByteArrayView text, std::uint32_t max) noexcept
{
    if (text.isEmpty() || text.size() > 16)
        return std::nullopt;
    std::uint64_t value = 0;
    for (char c : text) {
        if (!isDigit(c))
            return std::nullopt;
        value = value * 10 + std::uint64_t(c - '0');
        if (value > max)
            return std::nullopt;
    }
    return std::uint32_t(value);
}

qsizetype findUnquoted(QByteArrayView text, char c, qsizetype from) noexcept
{
    bool quoted = false;
    int angle = 0;
    for (qsizetype i = from; i < text.size(); ++i) {
        const char ch = text[i];
        if (quoted) {
            if (i + 1 < text.size() && isGbkPair(ch, text[i + 1]))
                ++i;
            else if (ch == '\\')
                ++i; // the escaped character, whatever it is
            else if (ch == '"')
                quoted = false;
            continue;
        }
        if (ch == c && angle == 0)
            return i;
        if (ch == '"')
            quoted = true;
        else if (ch == '<')
            ++angle;
        else if (ch == '>' && angle > 0)
            --angle;
    }
    return -1;
}

bool isBalanced(QByteArrayView text) noexcept
{
    bool quoted = false;
    int angle = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (quoted) {
            if (ch == '\\')
                ++i;
            else if (ch == '"')
                quoted = false;
            continue;
        }
        if (ch == '"')
            quoted = true;
        else if (ch == '<')
            ++angle;
        else if (ch == '>') {
            if (--angle < 0)
                return false;
        }
    }
    return !quoted && angle == 0;
}

} // namespace Vigil::Sip
