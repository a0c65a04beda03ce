#pragma once

// The two paths behind ManscdpMessage::parse(), exposed for the fuzz target (which checks that
// they agree) and the benchmark. Not for other code: call ManscdpMessage::parse().

#include "manscdp.h"

#include <optional>

namespace Vigil::Gb::detail {

/// The common keepalive without building a DOM: an ASCII body holding an optional XML
/// declaration and a `<Notify>` whose children are only CmdType (Keepalive), SN, DeviceID and
/// Status, each plain text. nullopt for anything else, which then takes the general path; what
/// it returns equals what parseWithDom() returns for the same bytes.
std::optional<ManscdpMessage> parseKeepaliveFast(QByteArrayView body, CharsetOverride override);

/// The general path: charset decoding, tinyxml2, XML repair when needed, typed fields.
Result<ManscdpMessage> parseWithDom(QByteArrayView body, CharsetOverride override);

} // namespace Vigil::Gb::detail
