#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include <cstdint>

// Character sets of GB/T 28181 bodies. The standard says GB 2312 (2016) or GB 18030 (2022);
// devices declare one and often send another (GBK, or UTF-8 under a GB2312 declaration, or
// UTF-8 with no declaration). Everything GB-family is decoded as GB18030, a superset of
// GB 2312 and GBK; the choice between GB18030 and UTF-8 is made per message by validity.
//
// GB18030 conversion uses Qt's ICU-backed QStringDecoder/QStringEncoder (Debian's Qt is built
// with ICU), corrected to GB18030-2022 as glibc implements it: the 24 two-byte codes that the
// 2005 edition (and ICU 72) map to the Private Use Area decode to their standard characters, and
// those characters encode to them.
// The structural checks below are Vigil's own and exact, so a body is never called valid
// because a converter happened to be forgiving.

namespace Vigil {

/// An encoding Vigil decodes or writes.
enum class TextEncoding : std::uint8_t {
    Utf8,
    Gb18030, ///< also used for GB 2312 and GBK, of which it is a superset
};

/// The per-device charset setting an installer can force when a device lies about its bodies.
enum class CharsetOverride : std::uint8_t {
    Auto,    ///< follow the XML declaration, corrected by what the bytes really are
    Gb18030, ///< treat bodies as GB18030/GBK/GB2312 whatever they declare
    Utf8,    ///< treat bodies as UTF-8 whatever they declare
};

/// What a body's XML declaration (`<?xml ... encoding="..."?>`) names.
enum class DeclaredCharset : std::uint8_t {
    None,    ///< no declaration, or no encoding in it
    Utf8,
    Gb2312,
    Gbk,     ///< GBK, CP936 and their aliases
    Gb18030,
    Other,   ///< something else (ISO-8859-1, US-ASCII...): ignored, the bytes decide
};

/// How a body was decoded, for logs and for remembering what a device really sends.
struct CharsetDecision {
    TextEncoding encoding = TextEncoding::Utf8; ///< what the bytes were decoded as
    DeclaredCharset declared = DeclaredCharset::None;
    bool byteOrderMark = false; ///< a UTF-8 BOM was present (and removed)
    /// Only ASCII bytes: every candidate decodes them alike, so the message says nothing
    /// about the device's charset.
    bool asciiOnly = false;
    /// The bytes were decoded differently from what the override, or else the declaration,
    /// asked for (for example GB2312 declared, UTF-8 sent).
    bool fallback = false;
    /// The bytes were valid in no candidate encoding; invalid bytes became U+FFFD.
    bool lossy = false;

    friend bool operator==(const CharsetDecision &, const CharsetDecision &) = default;
};

/// A decoded body.
struct DecodedText {
    QString text;
    CharsetDecision decision;
};

/// A body converted to UTF-8 bytes, for parsers that work on UTF-8 (tinyxml2).
struct Utf8Text {
    QByteArray utf8; ///< valid UTF-8; the BOM and trailing NULs are removed
    CharsetDecision decision;
};

/// Decodes a body to text. Removes a UTF-8 BOM (EF BB BF, whatever the override: in GB18030 it
/// would be 锘 followed by a rare character, the classic sign of a BOM read as GBK) and trailing
/// NUL bytes, reads the XML declaration, and picks the encoding:
///
/// - Auto: the declared encoding if the bytes are valid for it, with one correction: bytes that
///   are valid UTF-8 and contain characters beyond U+07FF are UTF-8 even when GB2312/GBK/GB18030
///   is declared (real GBK text is practically never valid UTF-8 of that kind, while UTF-8
///   Chinese is usually also structurally valid GBK, which would give mojibake such as
///   涓滈棬鍏ュ彛). Without a usable declaration: UTF-8 if valid, else GB18030.
/// - Gb18030 / Utf8: that encoding, unless the bytes are invalid for it and valid for the other.
///
/// Bytes invalid for both are decoded with the preferred encoding, each invalid byte becoming
/// U+FFFD. Never fails.
DecodedText decodeText(QByteArrayView body, CharsetOverride override = CharsetOverride::Auto);

/// Like decodeText(), but yields UTF-8 bytes; valid UTF-8 input is passed through unconverted.
Utf8Text decodeToUtf8(QByteArrayView body, CharsetOverride override = CharsetOverride::Auto);

/// The decision decodeText() would make, without converting anything (cheap for ASCII bodies).
CharsetDecision inspectCharset(QByteArrayView body, CharsetOverride override = CharsetOverride::Auto);

/// Encodes text for sending. Characters GB18030 cannot represent (unpaired surrogates) become '?'.
QByteArray encodeText(QStringView text, TextEncoding encoding);

/// The charset a body's XML declaration names; looks only at the prolog (after an optional BOM
/// and whitespace). Allocation-free.
DeclaredCharset declaredCharset(QByteArrayView body) noexcept;

/// The name to put in an XML declaration for bodies Vigil writes: "GB2312" for GB18030 bytes
/// (what devices expect; identical bytes for every GB 2312 character), "UTF-8" otherwise.
QByteArrayView xmlEncodingName(TextEncoding encoding) noexcept;

/// A readable name for logs ("UTF-8", "GB18030").
QByteArrayView encodingName(TextEncoding encoding) noexcept;

/// True when `bytes` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
/// beyond U+10FFFF, no truncated sequence).
bool isValidUtf8(QByteArrayView bytes) noexcept;

/// True when `bytes` is well-formed GB18030: ASCII, two-byte codes (lead 81-FE, trail 40-7E or
/// 80-FE) and four-byte codes that map to Unicode (81 30 81 30 .. 84 31 A4 39 for the BMP,
/// 90 30 81 30 .. E3 32 9A 35 for U+10000..U+10FFFF). Single bytes 80 and FF are invalid.
bool isValidGb18030(QByteArrayView bytes) noexcept;

/// True when this Qt can convert GB18030 (it needs ICU). When false, GB18030 bytes beyond ASCII
/// decode to U+FFFD and non-ASCII text encodes to '?'; a warning is logged once.
bool isGb18030Supported();

} // namespace Vigil
