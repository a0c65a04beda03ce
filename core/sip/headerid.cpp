#include "headerid.h"

#include "text.h"

#include <array>

namespace Vigil::Sip {

namespace {

struct HeaderInfo {
    HeaderId id;
    QByteArrayView name;
    char compact; // RFC 3261 §7.3.3 and later RFCs; 0 when none
    bool list;
};

constexpr HeaderInfo kHeaders[] = {
    {HeaderId::Accept, "Accept", 0, true},
    {HeaderId::AcceptEncoding, "Accept-Encoding", 0, true},
    {HeaderId::AcceptLanguage, "Accept-Language", 0, true},
    {HeaderId::Allow, "Allow", 0, true},
    {HeaderId::AllowEvents, "Allow-Events", 'u', true},
    {HeaderId::Authorization, "Authorization", 0, false},
    {HeaderId::CallId, "Call-ID", 'i', false},
    {HeaderId::CallInfo, "Call-Info", 0, true},
    {HeaderId::Contact, "Contact", 'm', true},
    {HeaderId::ContentDisposition, "Content-Disposition", 0, false},
    {HeaderId::ContentEncoding, "Content-Encoding", 'e', true},
    {HeaderId::ContentLength, "Content-Length", 'l', false},
    {HeaderId::ContentType, "Content-Type", 'c', false},
    {HeaderId::CSeq, "CSeq", 0, false},
    {HeaderId::Date, "Date", 0, false},
    {HeaderId::Event, "Event", 'o', false},
    {HeaderId::Expires, "Expires", 0, false},
    {HeaderId::From, "From", 'f', false},
    {HeaderId::MaxForwards, "Max-Forwards", 0, false},
    {HeaderId::ProxyAuthenticate, "Proxy-Authenticate", 0, false},
    {HeaderId::ProxyAuthorization, "Proxy-Authorization", 0, false},
    {HeaderId::ProxyRequire, "Proxy-Require", 0, true},
    {HeaderId::RecordRoute, "Record-Route", 0, true},
    {HeaderId::Require, "Require", 0, true},
    {HeaderId::RetryAfter, "Retry-After", 0, false},
    {HeaderId::Route, "Route", 0, true},
    {HeaderId::Server, "Server", 0, false},
    {HeaderId::Subject, "Subject", 's', false},
    {HeaderId::SubscriptionState, "Subscription-State", 0, false},
    {HeaderId::Supported, "Supported", 'k', true},
    {HeaderId::To, "To", 't', false},
    {HeaderId::Unsupported, "Unsupported", 0, true},
    {HeaderId::UserAgent, "User-Agent", 0, false},
    {HeaderId::Via, "Via", 'v', true},
    {HeaderId::Warning, "Warning", 0, true},
    {HeaderId::WwwAuthenticate, "WWW-Authenticate", 0, false},
    {HeaderId::XGbVer, "X-GB-Ver", 0, false},
};

static_assert(std::size(kHeaders) == std::size_t(HeaderId::Count_) - 1);

constexpr auto kById = [] {
    std::array<const HeaderInfo *, std::size_t(HeaderId::Count_)> table{};
    for (const auto &info : kHeaders)
        table[std::size_t(info.id)] = &info;
    return table;
}();

} // namespace

HeaderId headerIdFromName(QByteArrayView name) noexcept
{
    if (name.size() == 1) {
        const char c = asciiLower(name[0]);
        for (const auto &info : kHeaders) {
            if (info.compact == c)
                return info.id;
        }
        return HeaderId::Other;
    }
    // Few enough names that a first-letter filter plus a length check makes this cheap.
    const char first = asciiLower(name.isEmpty() ? '\0' : name[0]);
    for (const auto &info : kHeaders) {
        if (info.name.size() == name.size() && asciiLower(info.name[0]) == first
            && equalsIgnoreCase(info.name, name))
            return info.id;
    }
    return HeaderId::Other;
}

QByteArrayView canonicalHeaderName(HeaderId id) noexcept
{
    const auto *info = kById[std::size_t(id)];
    return info ? info->name : QByteArrayView();
}

bool isListHeader(HeaderId id) noexcept
{
    const auto *info = kById[std::size_t(id)];
    return info && info->list;
}

} // namespace Vigil::Sip
