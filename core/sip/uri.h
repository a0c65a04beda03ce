#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <cstdint>
#include "common/result.h"
#include <optional>

namespace Vigil::Sip {

/// Why a piece of SIP text did not parse. Static English text for developers' logs.
using SyntaxError = const char *;

template <typename T>
using Parsed = std::expected<T, SyntaxError>;

/// The ";name=value;flag" parameters of a URI, a name-addr or a Via, as written.
/// A view: valid while the text it was made from lives.
class ParamsView {
public:
    ParamsView() = default;
    /// `text` starts at the first ';' (or is empty). Use validate() before trusting it.
    explicit ParamsView(QByteArrayView text) : m_text(text) {}

    /// The value of the first parameter called `name` (case-insensitive), trimmed and with quotes
    /// left in place; an empty view for a flag parameter; nullopt when absent.
    std::optional<QByteArrayView> get(QByteArrayView name) const noexcept;
    bool has(QByteArrayView name) const noexcept { return get(name).has_value(); }
    QByteArrayView text() const noexcept { return m_text; }
    bool isEmpty() const noexcept { return m_text.isEmpty(); }

    /// Calls f(name, value) for each parameter, in order.
    template <typename F>
    void forEach(F &&f) const
    {
        qsizetype pos = 0;
        QByteArrayView name, value;
        while (next(pos, name, value))
            f(name, value);
    }

    /// Checks ';' LWS name [LWS '=' LWS value] repeated: no empty parameters, token names,
    /// values that are tokens, hosts or quoted strings. `allowLws` is false inside URIs.
    static SyntaxError validate(QByteArrayView text, bool allowLws) noexcept;

private:
    bool next(qsizetype &pos, QByteArrayView &name, QByteArrayView &value) const noexcept;

    QByteArrayView m_text;
};

/// A URI. For sip: and sips: every component is split out; for other schemes only the scheme
/// and the rest. A view: valid while the text it was parsed from lives.
struct UriView {
    QByteArrayView text;     ///< the whole URI as written
    QByteArrayView scheme;   ///< "sip", "sips", "tel"...
    QByteArrayView user;     ///< %-escapes left in place; empty when there is no user part
    QByteArrayView password; ///< rarely present
    QByteArrayView host;     ///< IPv6 references keep their brackets
    std::uint16_t port = 0;  ///< 0 when absent
    ParamsView params;       ///< ";transport=tcp;lr"
    QByteArrayView headers;  ///< after '?', without it
    bool hasUserInfo = false;

    bool isSip() const noexcept;
    /// The value of a URI parameter, see ParamsView::get().
    std::optional<QByteArrayView> param(QByteArrayView name) const noexcept { return params.get(name); }

    static Parsed<UriView> parse(QByteArrayView text) noexcept;
};

/// Validates a host: a domain name (letters, digits, '-', '_', '.'), IPv4, or [IPv6].
bool isValidHost(QByteArrayView host) noexcept;

/// Splits "host[:port]" (IPv6 in brackets). Fails on a bad host or a port above 65535.
Parsed<std::pair<QByteArrayView, std::uint16_t>> parseHostPort(QByteArrayView text) noexcept;

/// Decodes %XX escapes; other bytes are copied. Invalid escapes are kept as written.
QByteArray percentDecoded(QByteArrayView text);

/// Removes the quotes and backslash escapes of a quoted-string; other text is returned trimmed.
QByteArray unquoted(QByteArrayView text);

} // namespace Vigil::Sip
