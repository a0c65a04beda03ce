#include "headerid.h"

#include "text.h"

#include <array>
#include <cstring>

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

// Names are looked up through a perfect hash of (length, first letter, last letter) followed by
// one comparison, and compact forms through a table indexed by the letter: every header line
// of every message goes through here.
constexpr std::size_t kHashSize = 128;

constexpr std::size_t nameHash(std::size_t length, char first, char last) noexcept
{
    return (length + 33 * std::size_t(static_cast<unsigned char>(asciiLower(first)))
            + std::size_t(static_cast<unsigned char>(asciiLower(last))))
        % kHashSize;
}

struct HashTable {
    std::array<HeaderId, kHashSize> ids{};
    bool collision = false;
};

constexpr HashTable kByHash = [] {
    HashTable table;
    for (const auto &info : kHeaders) {
        HeaderId &slot = table.ids[nameHash(std::size_t(info.name.size()), info.name.front(), info.name.back())];
        table.collision = table.collision || slot != HeaderId::Other;
        slot = info.id;
    }
    return table;
}();
static_assert(!kByHash.collision, "header names collide in nameHash(): change its multiplier or kHashSize");

constexpr auto kByCompactForm = [] {
    std::array<HeaderId, 26> table{};
    for (const auto &info : kHeaders) {
        if (info.compact)
            table[std::size_t(info.compact - 'a')] = info.id;
    }
    return table;
}();

// For the comparison after the hash: each name folded to lower case and a mask that ignores the
// case bit of letters only, padded so that 8-byte loads at any offset below the length stay inside.
constexpr std::size_t kNameCapacity = 24;

struct FoldedName {
    char lower[kNameCapacity] = {};
    char mask[kNameCapacity] = {};
};

constexpr auto kFolded = [] {
    std::array<FoldedName, std::size_t(HeaderId::Count_)> table{};
    for (const auto &info : kHeaders) {
        FoldedName &folded = table[std::size_t(info.id)];
        for (qsizetype i = 0; i < info.name.size(); ++i) {
            const char c = info.name[i];
            folded.lower[i] = asciiLower(c);
            folded.mask[i] = isAlpha(c) ? char(0xDF) : char(0xFF);
        }
    }
    return table;
}();

constexpr bool fitsCapacity()
{
    for (const auto &info : kHeaders) {
        if (std::size_t(info.name.size()) > kNameCapacity)
            return false;
    }
    return true;
}
static_assert(fitsCapacity(), "a header name is longer than kNameCapacity");

template <typename Word>
Word load(const char *p) noexcept
{
    Word word;
    std::memcpy(&word, p, sizeof word);
    return word;
}

template <typename Word>
bool sameWord(const char *name, const FoldedName &folded, std::size_t offset) noexcept
{
    return ((load<Word>(name + offset) ^ load<Word>(folded.lower + offset)) & load<Word>(folded.mask + offset)) == 0;
}

/// `name` (of the length of `folded`'s name) equals it ignoring ASCII case. Whole words at a
/// time; the last word overlaps the one before instead of reading past the end.
bool equalsFolded(QByteArrayView name, const FoldedName &folded) noexcept
{
    const char *p = name.data();
    const auto size = std::size_t(name.size());
    if (size >= 8) {
        for (std::size_t offset = 0; offset + 8 < size; offset += 8) {
            if (!sameWord<std::uint64_t>(p, folded, offset))
                return false;
        }
        return sameWord<std::uint64_t>(p, folded, size - 8);
    }
    if (size >= 4)
        return sameWord<std::uint32_t>(p, folded, 0) && sameWord<std::uint32_t>(p, folded, size - 4);
    for (std::size_t i = 0; i < size; ++i) {
        if (((p[i] ^ folded.lower[i]) & folded.mask[i]) != 0)
            return false;
    }
    return true;
}

constexpr auto kIsList = [] {
    std::array<bool, std::size_t(HeaderId::Count_)> table{};
    for (const auto &info : kHeaders)
        table[std::size_t(info.id)] = info.list;
    return table;
}();

} // namespace

HeaderId headerIdFromName(QByteArrayView name) noexcept
{
    const qsizetype size = name.size();
    if (size == 1) {
        const char c = asciiLower(name[0]);
        return c >= 'a' && c <= 'z' ? kByCompactForm[std::size_t(c - 'a')] : HeaderId::Other;
    }
    if (size == 0)
        return HeaderId::Other;
    const HeaderId id = kByHash.ids[nameHash(std::size_t(size), name.front(), name.back())];
    if (id == HeaderId::Other)
        return id;
    // The hash only says which name it could be; the length must match too.
    if (kById[std::size_t(id)]->name.size() != size)
        return HeaderId::Other;
    return equalsFolded(name, kFolded[std::size_t(id)]) ? id : HeaderId::Other;
}

QByteArrayView canonicalHeaderName(HeaderId id) noexcept
{
    const auto *info = kById[std::size_t(id)];
    return info ? info->name : QByteArrayView();
}

bool isListHeader(HeaderId id) noexcept
{
    return kIsList[std::size_t(id)];
}

} // namespace Vigil::Sip
