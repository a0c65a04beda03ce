// libFuzzer target: the charset layer on arbitrary bytes. Checks that Vigil's exact validity
// checks agree with Qt's UTF-8 decoder and ICU's GB18030 converter, that decoding is lossy only
// when the bytes are valid in neither encoding, and that encoding what was decoded decodes back
// to the same text.

#include "common/charset.h"

#include <QStringDecoder>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace Vigil;

namespace {

#define check(condition) \
    do { \
        if (!(condition)) { \
            std::fprintf(stderr, "check failed: %s (line %d)\n", #condition, __LINE__); \
            std::abort(); \
        } \
    } while (false)

bool decodesWithoutError(QStringDecoder decoder, QByteArrayView bytes)
{
    const QString text = decoder.decode(bytes); // decode() is lazy: converting to QString runs it
    return !decoder.hasError();
}

/// GB18030 text whose encoding cannot decode back unchanged: the Private Use Area stand-ins of
/// the six supplementary characters GB18030-2022 gave two-byte codes to.
bool hasGb18030Alias(QStringView text)
{
    for (const QChar c : text) {
        switch (c.unicode()) {
        case 0xE816: case 0xE817: case 0xE818: case 0xE831: case 0xE83B: case 0xE855:
            return true;
        default:
            break;
        }
    }
    return false;
}

/// What decodeText() keeps of text that went out as `encoding`: a leading U+FEFF written in
/// UTF-8 reads as a byte-order mark, and trailing NULs are dropped.
QString afterTrip(QString text, TextEncoding encoding)
{
    if (encoding == TextEncoding::Utf8 && text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    while (text.endsWith(QChar(0)))
        text.chop(1);
    return text;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));

    const bool utf8 = isValidUtf8(bytes);
    const bool gb18030 = isValidGb18030(bytes);
    check(utf8 == decodesWithoutError(QStringDecoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless), bytes));
    check(gb18030 == decodesWithoutError(QStringDecoder("GB18030", QStringDecoder::Flag::Stateless), bytes));
    (void)declaredCharset(bytes);

    for (CharsetOverride override : {CharsetOverride::Auto, CharsetOverride::Gb18030, CharsetOverride::Utf8}) {
        const DecodedText decoded = decodeText(bytes, override);
        check(inspectCharset(bytes, override) == decoded.decision);

        QByteArrayView stripped = bytes;
        if (decoded.decision.byteOrderMark)
            stripped = stripped.sliced(3);
        while (!stripped.isEmpty() && stripped.back() == '\0')
            stripped.chop(1);
        check(decoded.decision.lossy == !(isValidUtf8(stripped) || isValidGb18030(stripped)));

        const Utf8Text asUtf8 = decodeToUtf8(bytes, override);
        check(asUtf8.decision == decoded.decision);
        check(isValidUtf8(asUtf8.utf8));
        check(QString(QStringDecoder(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom).decode(asUtf8.utf8))
              == decoded.text);

        for (TextEncoding encoding : {TextEncoding::Gb18030, TextEncoding::Utf8}) {
            if (encoding == TextEncoding::Gb18030 && hasGb18030Alias(decoded.text))
                continue;
            const QByteArray encoded = encodeText(decoded.text, encoding);
            if (encoding == TextEncoding::Gb18030 && encoded.startsWith("\xEF\xBB\xBF"))
                continue; // 锘 and a BF-lead character: read as a UTF-8 byte-order mark, by design
            const CharsetOverride same = encoding == TextEncoding::Utf8 ? CharsetOverride::Utf8 : CharsetOverride::Gb18030;
            const DecodedText back = decodeText(encoded, same);
            check(!back.decision.lossy);
            check(back.text == afterTrip(decoded.text, encoding));
        }
    }
    return 0;
}
