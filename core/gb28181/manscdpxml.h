#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Vigil::Gb {

/// How deep repairXml() lets elements nest; MANSCDP needs 5.
inline constexpr int kMaxXmlDepth = 32;
/// How many attributes repairXml() keeps per tag; MANSCDP uses one (Num).
inline constexpr int kMaxXmlAttributes = 16;

/// What repairXml() changed; all zero when the input needed nothing.
struct XmlRepairs {
    int escapedCharacters = 0; ///< bare '&' and '<' that start no markup, written as entities
    int quotedAttributes = 0;  ///< attribute values without quotes (`Num=2`), quoted
    int droppedAttributes = 0; ///< attributes without a value, or repeated
    int renamedEndTags = 0;    ///< end tags spelled in another case than their start tag
    int strayTags = 0;         ///< tags that match nothing (`<` in an address), kept as text
    int closedElements = 0;    ///< elements whose end tag was missing, closed
    int droppedOutside = 0;    ///< non-blank content before or after the root element, or a NUL, removed

    int total() const noexcept
    {
        return escapedCharacters + quotedAttributes + droppedAttributes + renamedEndTags + strayTags
               + closedElements + droppedOutside;
    }
};

/// Rewrites UTF-8 text that is almost XML into well-formed XML with a single root element,
/// the way devices' bodies need it:
///
/// - everything from the first NUL on, and anything before the first element or after the
///   root element closes, is dropped (so are processing instructions, comments and DOCTYPEs);
/// - '&' that starts no valid entity or character reference becomes `&amp;`, and '<' that starts
///   no tag becomes `&lt;`;
/// - attribute values get quotes; attributes without a value, repeated ones and those beyond
///   kMaxXmlAttributes are dropped;
/// - end tags match start tags case-insensitively and are rewritten to the start tag's spelling;
/// - a start tag that is never closed is closed before its parent's end tag when it holds
///   elements (a forgotten `</DeviceList>`), and otherwise kept as text (`<西门>` in an
///   address); an end tag that matches nothing is kept as text; elements still open at the end
///   are closed;
/// - nesting deeper than kMaxXmlDepth is kept as text.
///
/// Linear in the input, times at most kMaxXmlDepth per end tag and kMaxXmlAttributes per attribute.
/// The result parses with tinyxml2 whenever it is not empty.
QByteArray repairXml(QByteArrayView utf8, XmlRepairs *repairs = nullptr);

} // namespace Vigil::Gb
