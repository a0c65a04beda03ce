// libFuzzer target: MANSCDP bodies through charset decoding, XML repair and the typed parser.
// Beyond not crashing it checks that
// - the charset layer always hands the XML layer valid UTF-8;
// - repairXml() output parses with tinyxml2 and is a fixed point;
// - the keepalive fast path, when it accepts a body, agrees with the general path;
// - what the parser reads, the builder writes so that parsing and writing it again changes
//   nothing (build -> parse -> build is a fixed point) in both encodings.

#include "common/charset.h"
#include "gb28181/manscdpbuilder.h"
#include "gb28181/manscdpparser_p.h"
#include "gb28181/manscdpxml.h"

#include <tinyxml2.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>

using namespace Vigil;
using namespace Vigil::Gb;

namespace {

const DeviceId kDevice = DeviceId(*GbId::parse(QByteArrayView("34020000001320000001")));

#define check(condition) \
    do { \
        if (!(condition)) { \
            std::fprintf(stderr, "check failed: %s (line %d)\n", #condition, __LINE__); \
            std::abort(); \
        } \
    } while (false)

/// The body the builder writes for what was parsed; nullopt for messages it does not write.
std::optional<QByteArray> rebuild(const ManscdpMessage &message, TextEncoding encoding)
{
    const ManscdpBuilder builder(encoding);
    const std::uint32_t sn = message.envelope.sn;
    if (const auto *keepalive = message.get<KeepaliveNotify>())
        return builder.notifyKeepalive(kDevice, sn, *keepalive).bytes;
    if (const auto *catalog = message.get<CatalogList>()) {
        const CatalogSplit oneBody{1 << 20, 1 << 30};
        const QList<ManscdpBody> bodies = message.envelope.messageClass == MessageClass::Notify
                                              ? builder.notifyCatalog(kDevice, sn, catalog->items, oneBody)
                                              : builder.responseCatalog(kDevice, sn, catalog->items, oneBody);
        check(bodies.size() == 1);
        return bodies.first().bytes;
    }
    if (const auto *info = message.get<DeviceInfoResponse>())
        return builder.responseDeviceInfo(kDevice, sn, *info).bytes;
    if (const auto *status = message.get<DeviceStatusResponse>())
        return builder.responseDeviceStatus(kDevice, sn, *status).bytes;
    if (const auto *alarm = message.get<AlarmNotify>())
        return builder.notifyAlarm(kDevice, sn, *alarm).bytes;
    if (const auto *media = message.get<MediaStatusNotify>(); media && media->notifyType)
        return builder.notifyMediaStatus(kDevice, sn, *media->notifyType).bytes;
    return std::nullopt;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView body(reinterpret_cast<const char *>(data), qsizetype(size));
    const CharsetOverride override = size % 3 == 0 ? CharsetOverride::Auto
                                     : size % 3 == 1 ? CharsetOverride::Gb18030
                                                     : CharsetOverride::Utf8;

    const Utf8Text utf8 = decodeToUtf8(body, override);
    check(isValidUtf8(utf8.utf8));
    const QByteArray repaired = repairXml(utf8.utf8);
    if (!repaired.isEmpty()) {
        tinyxml2::XMLDocument doc(true, tinyxml2::PRESERVE_WHITESPACE);
        check(doc.Parse(repaired.constData(), size_t(repaired.size())) == tinyxml2::XML_SUCCESS && doc.RootElement());
    }
    check(repairXml(repaired) == repaired);

    const auto fast = detail::parseKeepaliveFast(body, override);
    const auto full = detail::parseWithDom(body, override);
    if (fast)
        check(full && *fast == *full);
    if (!full)
        return 0;

    for (TextEncoding encoding : {TextEncoding::Gb18030, TextEncoding::Utf8}) {
        const auto once = rebuild(*full, encoding);
        if (!once || once->size() > ManscdpMessage::kMaxBodySize)
            continue; // escaping and UTF-8 can make it larger than a SIP message carries
        // With the matching override: mojibake in GB18030 can be valid UTF-8, which Auto prefers.
        const CharsetOverride same = encoding == TextEncoding::Utf8 ? CharsetOverride::Utf8 : CharsetOverride::Gb18030;
        const auto again = ManscdpMessage::parse(*once, same);
        check(again.has_value() && !again->xmlRepaired && again->charset.encoding == encoding);
        const auto twice = rebuild(*again, encoding);
        check(twice && *twice == *once);
    }
    return 0;
}
