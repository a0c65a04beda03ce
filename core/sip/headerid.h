#pragma once

#include <QByteArrayView>

#include <cstdint>

namespace Vigil::Sip {

/// Header fields Vigil recognises by name. Others are kept as HeaderId::Other with their name.
enum class HeaderId : std::uint8_t {
    Other,
    Accept,
    AcceptEncoding,
    AcceptLanguage,
    Allow,
    AllowEvents,
    Authorization,
    CallId,
    CallInfo,
    Contact,
    ContentDisposition,
    ContentEncoding,
    ContentLength,
    ContentType,
    CSeq,
    Date,
    Event,
    Expires,
    From,
    MaxForwards,
    ProxyAuthenticate,
    ProxyAuthorization,
    ProxyRequire,
    RecordRoute,
    Require,
    RetryAfter,
    Route,
    Server,
    Subject,
    SubscriptionState,
    Supported,
    To,
    Unsupported,
    UserAgent,
    Via,
    Warning,
    WwwAuthenticate,
    XGbVer,
    Count_
};

/// Looks a header name up case-insensitively, compact forms included ("i" is Call-ID).
HeaderId headerIdFromName(QByteArrayView name) noexcept;
/// The canonical spelling ("Call-ID", "CSeq", "WWW-Authenticate"); empty for HeaderId::Other.
QByteArrayView canonicalHeaderName(HeaderId id) noexcept;
/// True for headers whose value is a comma-separated list that RFC 3261 §7.3.1 lets us split
/// into one field per element (Via, Contact, Route...). Authorization and Date are not lists.
bool isListHeader(HeaderId id) noexcept;

} // namespace Vigil::Sip
