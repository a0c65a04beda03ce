#include "charset.h"

#include "logging.h"

#include <QStringDecoder>
#include <QStringEncoder>

#include <cstring>
#include <utility>

namespace Vigil {

namespace {

using uchar = unsigned char;

constexpr qsizetype kMaxDeclarationBytes = 256;

bool isAsciiSpace(uchar c) noexcept
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

uchar asciiLower(uchar c) noexcept
{
    return (c >= 'A' && c <= 'Z') ? uchar(c + ('a' - 'A')) : c;
}

bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b) noexcept
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (asciiLower(uchar(a[i])) != asciiLower(uchar(b[i])))
            return false;
    }
    return true;
}

/// `needle` must be lower case.
qsizetype indexOfIgnoreCase(QByteArrayView haystack, QByteArrayView needle) noexcept
{
    Q_ASSERT(!needle.isEmpty());
    const uchar first = uchar(needle.front());
    for (qsizetype i = 0; i + needle.size() <= haystack.size(); ++i) {
        if (asciiLower(uchar(haystack[i])) == first && equalsIgnoreCase(haystack.sliced(i, needle.size()), needle))
            return i;
    }
    return -1;
}

/// The first byte at or after p that is not ASCII, or end; eight bytes at a time.
const uchar *skipAscii(const uchar *p, const uchar *end) noexcept
{
    while (end - p >= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, sizeof word);
        if (word & 0x8080808080808080ull)
            break;
        p += 8;
    }
    while (p < end && *p < 0x80)
        ++p;
    return p;
}

bool isAscii(QByteArrayView bytes) noexcept
{
    const auto *p = reinterpret_cast<const uchar *>(bytes.data());
    return skipAscii(p, p + bytes.size()) == p + bytes.size();
}

/// Length (1-4) of the well-formed UTF-8 sequence at p, or 0 if there is none.
int utf8SequenceLength(const uchar *p, const uchar *end) noexcept
{
    const uchar c = *p;
    if (c < 0x80)
        return 1;
    auto cont = [&](int i, uchar lo = 0x80, uchar hi = 0xBF) {
        return p + i < end && p[i] >= lo && p[i] <= hi;
    };
    if (c >= 0xC2 && c <= 0xDF)
        return cont(1) ? 2 : 0;
    if (c == 0xE0)
        return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED)
        return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0)
        return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3)
        return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4)
        return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}

/// Length (1, 2 or 4) of the well-formed GB18030 sequence at p, or 0 if there is none.
int gb18030SequenceLength(const uchar *p, const uchar *end) noexcept
{
    const uchar b1 = *p;
    if (b1 < 0x80)
        return 1;
    if (b1 == 0x80 || b1 == 0xFF || p + 1 >= end)
        return 0;
    const uchar b2 = p[1];
    if ((b2 >= 0x40 && b2 <= 0x7E) || (b2 >= 0x80 && b2 <= 0xFE))
        return 2;
    if (b2 < 0x30 || b2 > 0x39 || p + 3 >= end)
        return 0;
    const uchar b3 = p[2];
    const uchar b4 = p[3];
    if (b3 < 0x81 || b3 > 0xFE || b4 < 0x30 || b4 > 0x39)
        return 0;
    // Index within the block that starts at lead byte `first`, 10 x 126 x 10 codes per lead byte.
    auto linear = [&](uchar first) {
        return ((int(b1 - first) * 10 + (b2 - 0x30)) * 126 + (b3 - 0x81)) * 10 + (b4 - 0x30);
    };
    if (b1 <= 0x84)
        return linear(0x81) <= 39419 ? 4 : 0; // 81 30 81 30 .. 84 31 A4 39: the rest of the BMP
    if (b1 >= 0x90 && b1 <= 0xE3)
        return linear(0x90) <= 0x10FFFF - 0x10000 ? 4 : 0; // 90 30 81 30 .. E3 32 9A 35
    return 0;
}

struct Utf8Scan {
    bool valid = true;
    bool wide = false; ///< has a character beyond U+07FF (a three- or four-byte sequence)
};

Utf8Scan scanUtf8(QByteArrayView bytes) noexcept
{
    Utf8Scan scan;
    const auto *p = reinterpret_cast<const uchar *>(bytes.data());
    const auto *end = p + bytes.size();
    while ((p = skipAscii(p, end)) < end) {
        const int n = utf8SequenceLength(p, end);
        if (n == 0)
            return Utf8Scan{false, scan.wide};
        scan.wide = scan.wide || n >= 3;
        p += n;
    }
    return scan;
}

/// GB18030-2022 changed 24 mappings of the 2005 edition, which ICU 72 follows: two-byte codes
/// such as A6D9 and FE51 went from the Private Use Area to standard characters (U+FE10,
/// U+20087). For the 18 BMP characters the four-byte codes they had went to the PUA in exchange,
/// a swap; the 6 supplementary characters keep their four-byte codes as well (the supplementary
/// range is algorithmic), so there the PUA characters lose their code. Applying this on the
/// Unicode side, after ICU decodes and before it encodes, gives the mapping glibc implements.
struct PuaMapping {
    char16_t pua;
    char32_t standard;
};
constexpr PuaMapping kGb18030_2022[] = {
    {0xE78D, 0xFE10},  {0xE78E, 0xFE12},  {0xE78F, 0xFE11},  {0xE790, 0xFE13},  {0xE791, 0xFE14},
    {0xE792, 0xFE15},  {0xE793, 0xFE16},  {0xE794, 0xFE17},  {0xE795, 0xFE18},  {0xE796, 0xFE19},
    {0xE816, 0x20087}, {0xE817, 0x20089}, {0xE818, 0x200CC}, {0xE81E, 0x9FB4},  {0xE826, 0x9FB5},
    {0xE82B, 0x9FB6},  {0xE82C, 0x9FB7},  {0xE831, 0x215D7}, {0xE832, 0x9FB8},  {0xE83B, 0x2298F},
    {0xE843, 0x9FB9},  {0xE854, 0x9FBA},  {0xE855, 0x241FE}, {0xE864, 0x9FBB},
};

enum class Direction : std::uint8_t { AfterDecoding, BeforeEncoding };

char32_t remapped(char32_t c, Direction direction) noexcept
{
    for (const PuaMapping &m : kGb18030_2022) {
        const bool swap = m.standard < 0x10000;
        if (c == m.pua && (swap || direction == Direction::AfterDecoding))
            return m.standard;
        if (c == m.standard && (swap || direction == Direction::BeforeEncoding))
            return m.pua;
    }
    return c;
}

/// True when text may hold a character remapped() changes (a cheap over-approximation).
bool mayNeedRemapping(QStringView text) noexcept
{
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if ((u >= 0xE78D && u <= 0xE864) || (u >= 0xFE10 && u <= 0xFE19) || (u >= 0x9FB4 && u <= 0x9FBB)
            || (u >= 0xD840 && u <= 0xD850)) // high surrogates of U+20000..U+243FF
            return true;
    }
    return false;
}

QString remapGb18030_2022(QStringView text, Direction direction)
{
    if (!mayNeedRemapping(text))
        return text.toString();
    QString result;
    result.reserve(text.size() + 8);
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text[i].unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text[i], text[i + 1]);
            ++i;
        }
        c = remapped(c, direction);
        if (QChar::requiresSurrogates(c)) {
            result.append(QChar(QChar::highSurrogate(c)));
            result.append(QChar(QChar::lowSurrogate(c)));
        } else {
            result.append(QChar(char16_t(c)));
        }
    }
    return result;
}

QString applyGb18030_2022(const QString &text)
{
    return mayNeedRemapping(text) ? remapGb18030_2022(text, Direction::AfterDecoding) : text;
}

bool probeGb18030()
{
    const bool ok = QStringDecoder("GB18030").isValid() && QStringEncoder("GB18030").isValid();
    if (!ok)
        qCWarning(lcCommon, "this Qt has no GB18030 converter (built without ICU): "
                            "Chinese text in GB2312/GBK/GB18030 bodies cannot be decoded");
    return ok;
}

/// GB18030 bytes to text; each byte that starts no well-formed sequence becomes U+FFFD.
QString decodeGb18030(QByteArrayView bytes, bool knownValid)
{
    if (!isGb18030Supported()) {
        QString text;
        text.reserve(bytes.size());
        const auto *p = reinterpret_cast<const uchar *>(bytes.data());
        const auto *end = p + bytes.size();
        while (p < end) {
            const int n = gb18030SequenceLength(p, end);
            text.append(n == 1 ? QChar(char16_t(*p)) : QChar(QChar::ReplacementCharacter));
            p += n > 0 ? n : 1;
        }
        return text;
    }
    QStringDecoder decoder("GB18030", QStringDecoder::Flag::Stateless);
    if (knownValid)
        return applyGb18030_2022(decoder.decode(bytes));
    // ICU silently drops a truncated sequence at the end; segmenting here keeps every invalid
    // byte visible as U+FFFD and the result independent of ICU's error handling.
    QString text;
    text.reserve(bytes.size());
    const auto *begin = reinterpret_cast<const uchar *>(bytes.data());
    const auto *end = begin + bytes.size();
    const auto *run = begin;
    const auto *p = begin;
    auto flush = [&] {
        if (p > run)
            text.append(decoder.decode(bytes.sliced(run - begin, p - run)));
    };
    while (p < end) {
        const int n = gb18030SequenceLength(p, end);
        if (n > 0) {
            p += n;
            continue;
        }
        flush();
        text.append(QChar(QChar::ReplacementCharacter));
        run = ++p;
    }
    flush();
    return applyGb18030_2022(text);
}

struct Prepared {
    QByteArrayView bytes;
    CharsetDecision decision;
    bool valid = true;
};

TextEncoding preferredEncoding(CharsetOverride override, const CharsetDecision &d) noexcept
{
    switch (override) {
    case CharsetOverride::Gb18030:
        return TextEncoding::Gb18030;
    case CharsetOverride::Utf8:
        return TextEncoding::Utf8;
    case CharsetOverride::Auto:
        break;
    }
    if (d.byteOrderMark)
        return TextEncoding::Utf8;
    switch (d.declared) {
    case DeclaredCharset::Gb2312:
    case DeclaredCharset::Gbk:
    case DeclaredCharset::Gb18030:
        return TextEncoding::Gb18030;
    case DeclaredCharset::None:
    case DeclaredCharset::Utf8:
    case DeclaredCharset::Other:
        break;
    }
    return TextEncoding::Utf8; // XML's default
}

/// Strips BOM and trailing NULs and decides the encoding; converts nothing.
Prepared prepare(QByteArrayView body, CharsetOverride override) noexcept
{
    Prepared prep;
    if (body.startsWith("\xEF\xBB\xBF")) {
        body = body.sliced(3);
        prep.decision.byteOrderMark = true;
    }
    while (!body.isEmpty() && body.back() == '\0')
        body.chop(1);
    prep.bytes = body;
    prep.decision.declared = declaredCharset(body);

    const TextEncoding preferred = preferredEncoding(override, prep.decision);
    prep.decision.encoding = preferred;
    if (isAscii(body)) {
        prep.decision.asciiOnly = true;
        return prep;
    }

    const Utf8Scan utf8 = scanUtf8(body);
    auto choose = [&](TextEncoding encoding, bool valid) {
        prep.decision.encoding = encoding;
        prep.decision.fallback = encoding != preferred;
        prep.decision.lossy = !valid;
        prep.valid = valid;
    };
    if (preferred == TextEncoding::Gb18030) {
        if (override == CharsetOverride::Auto && utf8.valid && utf8.wide)
            choose(TextEncoding::Utf8, true);
        else if (isValidGb18030(body))
            choose(TextEncoding::Gb18030, true);
        else if (utf8.valid)
            choose(TextEncoding::Utf8, true);
        else
            choose(TextEncoding::Gb18030, false);
    } else {
        if (utf8.valid)
            choose(TextEncoding::Utf8, true);
        else if (isValidGb18030(body))
            choose(TextEncoding::Gb18030, true);
        else
            choose(TextEncoding::Utf8, false);
    }
    if (prep.decision.encoding == TextEncoding::Gb18030 && !isGb18030Supported())
        prep.decision.lossy = true;
    return prep;
}

QString decodePrepared(const Prepared &prep)
{
    if (prep.decision.asciiOnly)
        return QString::fromLatin1(prep.bytes);
    if (prep.decision.encoding == TextEncoding::Utf8) {
        // Replaces invalid sequences with U+FFFD. prepare() removed the one BOM there may be;
        // a second is text (QString::fromUtf8() would drop it too).
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
        return decoder.decode(prep.bytes);
    }
    return decodeGb18030(prep.bytes, prep.valid);
}

DeclaredCharset charsetFromName(QByteArrayView name) noexcept
{
    if (name.isEmpty())
        return DeclaredCharset::None;
    static constexpr struct {
        const char *name;
        DeclaredCharset charset;
    } kNames[] = {
        {"UTF-8", DeclaredCharset::Utf8},       {"UTF8", DeclaredCharset::Utf8},
        {"GB2312", DeclaredCharset::Gb2312},    {"GB_2312-80", DeclaredCharset::Gb2312},
        {"GB-2312", DeclaredCharset::Gb2312},   {"CSGB2312", DeclaredCharset::Gb2312},
        {"EUC-CN", DeclaredCharset::Gb2312},    {"X-EUC-CN", DeclaredCharset::Gb2312},
        {"GBK", DeclaredCharset::Gbk},          {"X-GBK", DeclaredCharset::Gbk},
        {"CP936", DeclaredCharset::Gbk},        {"MS936", DeclaredCharset::Gbk},
        {"WINDOWS-936", DeclaredCharset::Gbk},  {"GB18030", DeclaredCharset::Gb18030},
        {"GB-18030", DeclaredCharset::Gb18030},
    };
    for (const auto &entry : kNames) {
        if (equalsIgnoreCase(name, QByteArrayView(entry.name)))
            return entry.charset;
    }
    return DeclaredCharset::Other;
}

} // namespace

DeclaredCharset declaredCharset(QByteArrayView body) noexcept
{
    if (body.startsWith("\xEF\xBB\xBF"))
        body = body.sliced(3);
    qsizetype i = 0;
    while (i < body.size() && isAsciiSpace(uchar(body[i])))
        ++i;
    body = body.sliced(i).first(qMin(body.size() - i, kMaxDeclarationBytes));
    if (body.size() < 5 || !equalsIgnoreCase(body.first(5), "<?xml"))
        return DeclaredCharset::None;
    const qsizetype close = body.indexOf('>');
    const QByteArrayView prolog = close >= 0 ? body.first(close) : body;
    qsizetype pos = indexOfIgnoreCase(prolog, "encoding");
    if (pos < 0)
        return DeclaredCharset::None;
    pos += 8;
    auto skipSpace = [&] {
        while (pos < prolog.size() && isAsciiSpace(uchar(prolog[pos])))
            ++pos;
    };
    skipSpace();
    if (pos >= prolog.size() || prolog[pos] != '=')
        return DeclaredCharset::None;
    ++pos;
    skipSpace();
    char quote = 0;
    if (pos < prolog.size() && (prolog[pos] == '"' || prolog[pos] == '\''))
        quote = prolog[pos++];
    const qsizetype start = pos;
    while (pos < prolog.size()) {
        const char c = prolog[pos];
        if (c == quote || (!quote && (isAsciiSpace(uchar(c)) || c == '?' || c == '/')))
            break;
        if (quote && (c == '"' || c == '\''))
            break;
        ++pos;
    }
    QByteArrayView name = prolog.sliced(start, pos - start).trimmed();
    return charsetFromName(name);
}

bool isValidUtf8(QByteArrayView bytes) noexcept
{
    return scanUtf8(bytes).valid;
}

bool isValidGb18030(QByteArrayView bytes) noexcept
{
    const auto *p = reinterpret_cast<const uchar *>(bytes.data());
    const auto *end = p + bytes.size();
    while ((p = skipAscii(p, end)) < end) {
        const int n = gb18030SequenceLength(p, end);
        if (n == 0)
            return false;
        p += n;
    }
    return true;
}

bool isGb18030Supported()
{
    static const bool supported = probeGb18030();
    return supported;
}

DecodedText decodeText(QByteArrayView body, CharsetOverride override)
{
    const Prepared prep = prepare(body, override);
    return DecodedText{decodePrepared(prep), prep.decision};
}

CharsetDecision inspectCharset(QByteArrayView body, CharsetOverride override)
{
    return prepare(body, override).decision;
}

Utf8Text decodeToUtf8(QByteArrayView body, CharsetOverride override)
{
    const Prepared prep = prepare(body, override);
    if (prep.decision.asciiOnly || (prep.decision.encoding == TextEncoding::Utf8 && prep.valid))
        return Utf8Text{prep.bytes.toByteArray(), prep.decision};
    return Utf8Text{decodePrepared(prep).toUtf8(), prep.decision};
}

QByteArray encodeText(QStringView text, TextEncoding encoding)
{
    bool ascii = true;
    bool unpairedSurrogate = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c < 0x80)
            continue;
        ascii = false;
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && QChar::isLowSurrogate(text[i + 1].unicode()))
            ++i;
        else if (QChar::isSurrogate(c))
            unpairedSurrogate = true;
    }
    if (ascii)
        return text.toLatin1();

    QString cleaned;
    if (unpairedSurrogate) {
        cleaned.reserve(text.size());
        for (qsizetype i = 0; i < text.size(); ++i) {
            const QChar c = text[i];
            if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
                cleaned.append(c);
                cleaned.append(text[++i]);
            } else {
                cleaned.append(c.isSurrogate() ? QChar(u'?') : c);
            }
        }
        text = cleaned;
    }

    if (encoding == TextEncoding::Utf8)
        return text.toUtf8();
    if (!isGb18030Supported()) {
        QByteArray bytes;
        bytes.reserve(text.size());
        for (const QChar c : text)
            bytes.append(c.unicode() < 0x80 ? char(c.unicode()) : '?');
        return bytes;
    }
    QStringEncoder encoder("GB18030", QStringEncoder::Flag::Stateless);
    if (mayNeedRemapping(text))
        return encoder.encode(remapGb18030_2022(text, Direction::BeforeEncoding));
    return encoder.encode(text);
}

QByteArrayView xmlEncodingName(TextEncoding encoding) noexcept
{
    return encoding == TextEncoding::Gb18030 ? QByteArrayView("GB2312") : QByteArrayView("UTF-8");
}

QByteArrayView encodingName(TextEncoding encoding) noexcept
{
    return encoding == TextEncoding::Gb18030 ? QByteArrayView("GB18030") : QByteArrayView("UTF-8");
}

} // namespace Vigil
