#pragma once

#include "uri.h"

namespace Vigil::Sip {

/// The value of From, To, Contact, Route and Record-Route: an optional display name, a URI in
/// angle brackets or bare, and header parameters (tag, expires, q...). Contact may be "*".
/// A view: valid while the text it was parsed from lives.
struct NameAddrView {
    QByteArrayView displayName; ///< as written, quotes included when quoted; may be non-ASCII
    UriView uri;
    ParamsView params;          ///< header parameters, after the URI
    bool bracketed = false;     ///< the URI was written in <...>
    bool wildcard = false;      ///< "Contact: *"

    /// The tag parameter, or an empty view.
    QByteArrayView tag() const noexcept { return params.get("tag").value_or(QByteArrayView()); }
    std::optional<QByteArrayView> param(QByteArrayView name) const noexcept { return params.get(name); }

    /// Parses one name-addr or addr-spec. A bare addr-spec must not contain ',' or '?', as
    /// RFC 3261 §20 requires such URIs to be bracketed. `allowWildcard` is for Contact.
    static Parsed<NameAddrView> parse(QByteArrayView text, bool allowWildcard = false) noexcept;
};

} // namespace Vigil::Sip
