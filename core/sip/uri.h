#pragma once

#include "common/result.h"
#include "text.h"

#include <QByteArray>
#include <QByteArrayView>

#include <cstdint>
#include <optional>
#include <utility>

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
    static SyntaxError validate(QByteArrayView text, bool allowLws) noexcept
    {
        return scan(text, allowLws, [](QByteArrayView, QByteArrayView) {});
    }

    /// validate() that also calls f(name, value) for each parameter, in order, as it goes
    /// (also for the ones before an error). The value of a flag parameter is an empty view
    /// that starts right after the name.
    template <typename F>
    static SyntaxError scan(QByteArrayView text, bool allowLws, F &&f) noexcept;

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

/// "host[:port]" at the start of a longer text, as in a Via sent-by.
struct HostPort {
    QByteArrayView host;    ///< IPv6 references keep their brackets
    std::uint16_t port = 0; ///< 0 when absent
    qsizetype length = 0;   ///< bytes of `text` used
};
/// Reads "host[:port]" at the start of `text` and stops at the first byte that cannot belong
/// to it; the caller checks what follows.
Parsed<HostPort> scanHostPort(QByteArrayView text) noexcept;

/// Decodes %XX escapes; other bytes are copied. Invalid escapes are kept as written.
QByteArray percentDecoded(QByteArrayView text);

/// Removes the quotes and backslash escapes of a quoted-string; other text is returned trimmed.
QByteArray unquoted(QByteArrayView text);

template <typename F>
SyntaxError ParamsView::scan(QByteArrayView text, bool allowLws, F &&f) noexcept
{
    const char *p = text.data();
    const qsizetype n = text.size();
    const std::uint8_t nameClass = allowLws ? CharClass::Token : CharClass::UriParam;
    const auto skipWsp = [&](qsizetype pos) {
        if (allowLws) {
            while (pos < n && isWsp(p[pos]))
                ++pos;
        }
        return pos;
    };
    qsizetype pos = skipWsp(0);
    while (pos < n) {
        if (p[pos] != ';')
            return "unexpected text between parameters";
        pos = skipWsp(pos + 1);
        const qsizetype nameStart = pos;
        while (pos < n && hasClass(p[pos], nameClass))
            ++pos;
        if (pos == nameStart)
            return "empty parameter";
        const qsizetype nameEnd = pos;
        QByteArrayView value(p + nameEnd, qsizetype(0));
        pos = skipWsp(pos);
        if (pos < n && p[pos] == '=') {
            pos = skipWsp(pos + 1);
            const qsizetype valueStart = pos;
            if (allowLws && pos < n && p[pos] == '"') {
                for (++pos; pos < n && p[pos] != '"'; ++pos) {
                    if (p[pos] == '\\')
                        ++pos;
                }
                if (pos >= n)
                    return "unterminated quoted parameter value";
                ++pos;
            } else if (allowLws) {
                while (pos < n && (isTokenChar(p[pos]) || p[pos] == ':' || p[pos] == '[' || p[pos] == ']'))
                    ++pos;
            } else {
                while (pos < n && hasClass(p[pos], CharClass::UriParam))
                    ++pos;
            }
            if (pos == valueStart)
                return "empty parameter value";
            value = QByteArrayView(p + valueStart, pos - valueStart);
            pos = skipWsp(pos);
        }
        f(QByteArrayView(p + nameStart, nameEnd - nameStart), value);
    }
    return nullptr;
}

} // namespace Vigil::Sip
