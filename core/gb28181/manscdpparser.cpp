// ManscdpMessage::parse(): a fast path for the common keepalive, and the general path
// (charset decoding, tinyxml2, XML repair, typed fields). Both interpret field text through the
// same helpers, so they cannot disagree on what a value means.

#include "manscdp.h"
#include "manscdpparser_p.h"
#include "manscdpxml.h"
#include "sip/text.h"

#include <tinyxml2.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace Vigil::Gb {

using namespace Qt::StringLiterals;

namespace {

using tinyxml2::XMLAttribute;
using tinyxml2::XMLElement;
using tinyxml2::XMLNode;
using tinyxml2::XMLText;
using uchar = unsigned char;

using Sip::equalsIgnoreCase;

bool isSpace(uchar c) noexcept
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/// Removes ASCII whitespace at both ends; Unicode spaces are trimmed where text becomes QString.
QByteArrayView trimAscii(QByteArrayView s) noexcept
{
    return s.trimmed();
}

/// Element text as a QString: without the characters XML 1.0 cannot carry (C0 controls other
/// than tab and line ends, U+FFFE, U+FFFF), which tinyxml2 lets through, and trimmed.
QString toText(QByteArrayView utf8)
{
    QString text = QString::fromUtf8(utf8);
    text.removeIf([](QChar c) {
        const char16_t u = c.unicode();
        return (u < 0x20 && u != u'\t' && u != u'\n' && u != u'\r') || u == 0xFFFE || u == 0xFFFF;
    });
    return text.trimmed();
}

QString quoted(QByteArrayView value)
{
    constexpr qsizetype kMaxShown = 40;
    QString text = QString::fromUtf8(value);
    if (text.size() > kMaxShown)
        text = text.left(kMaxShown) + u"…";
    return u'"' + text + u'"';
}

/// An integer written plainly or padded (" 17 "), or as a decimal with a zero fraction ("1.0").
std::optional<qint64> parseInteger(QByteArrayView text) noexcept
{
    text = trimAscii(text);
    if (text.isEmpty())
        return std::nullopt;
    bool negative = false;
    if (text.front() == '+' || text.front() == '-') {
        negative = text.front() == '-';
        text = text.sliced(1);
    }
    qsizetype point = text.indexOf('.');
    const QByteArrayView digits = point < 0 ? text : text.first(point);
    if (digits.isEmpty() || digits.size() > 18)
        return std::nullopt;
    qint64 value = 0;
    for (const char c : digits) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (point >= 0) {
        for (const char c : text.sliced(point + 1)) {
            if (c != '0')
                return std::nullopt;
        }
    }
    return negative ? -value : value;
}

std::optional<double> parseReal(QByteArrayView text) noexcept
{
    text = trimAscii(text);
    if (!text.isEmpty() && text.front() == '+')
        text = text.sliced(1);
    if (text.isEmpty() || text.size() > 64)
        return std::nullopt;
    double value = 0;
    const char *end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value, std::chars_format::general);
    if (ec != std::errc() || ptr != end || !std::isfinite(value))
        return std::nullopt;
    return value;
}

template <typename Enum, std::size_t N>
Enum lookup(QByteArrayView text, const std::pair<const char *, Enum> (&table)[N], Enum missing, Enum unknown) noexcept
{
    text = trimAscii(text);
    if (text.isEmpty())
        return missing;
    for (const auto &[name, value] : table) {
        if (equalsIgnoreCase(text, QByteArrayView(name)))
            return value;
    }
    return unknown;
}

ResultCode resultCodeOf(QByteArrayView text) noexcept
{
    static constexpr std::pair<const char *, ResultCode> kTable[] = {{"OK", ResultCode::Ok}, {"ERROR", ResultCode::Error}};
    return lookup(text, kTable, ResultCode::Missing, ResultCode::Unknown);
}

OnOff onOffOf(QByteArrayView text) noexcept
{
    static constexpr std::pair<const char *, OnOff> kTable[] = {
        {"ON", OnOff::On}, {"OFF", OnOff::Off}, {"ONLINE", OnOff::On}, {"OFFLINE", OnOff::Off}};
    return lookup(text, kTable, OnOff::Missing, OnOff::Unknown);
}

CatalogStatus catalogStatusOf(QByteArrayView text) noexcept
{
    static constexpr std::pair<const char *, CatalogStatus> kTable[] = {
        {"ON", CatalogStatus::On},       {"OFF", CatalogStatus::Off}, {"ONLINE", CatalogStatus::On},
        {"OFFLINE", CatalogStatus::Off}, {"OK", CatalogStatus::On},
    };
    return lookup(text, kTable, CatalogStatus::Missing, CatalogStatus::Unknown);
}

CatalogEvent catalogEventOf(QByteArrayView text) noexcept
{
    static constexpr std::pair<const char *, CatalogEvent> kTable[] = {
        {"ON", CatalogEvent::On},         {"OFF", CatalogEvent::Off},       {"VLOST", CatalogEvent::VideoLost},
        {"DEFECT", CatalogEvent::Defect}, {"ADD", CatalogEvent::Add},       {"DEL", CatalogEvent::Delete},
        {"DELETE", CatalogEvent::Delete}, {"UPDATE", CatalogEvent::Update},
    };
    return lookup(text, kTable, CatalogEvent::None, CatalogEvent::Unknown);
}

DutyStatus dutyStatusOf(QByteArrayView text) noexcept
{
    static constexpr std::pair<const char *, DutyStatus> kTable[] = {
        {"ONDUTY", DutyStatus::OnDuty}, {"OFFDUTY", DutyStatus::OffDuty}, {"ALARM", DutyStatus::Alarm}};
    return lookup(text, kTable, DutyStatus::Missing, DutyStatus::Unknown);
}

/// Notes and counts for one message, shared by both paths.
class Diagnostics {
public:
    explicit Diagnostics(ManscdpMessage &message) : m_message(message) {}

    void note(const QString &text)
    {
        if (m_message.notes.size() < ManscdpMessage::kMaxNotes)
            m_message.notes.append(text);
    }

    void malformed(QByteArrayView field, QByteArrayView value)
    {
        ++m_message.ignoredFields;
        note(QString::fromLatin1(field) + u' ' + quoted(trimAscii(value)) + u" is malformed; ignored");
    }

    template <typename Enum>
    Enum checked(QByteArrayView field, QByteArrayView value, Enum parsed, Enum unknown)
    {
        if (parsed == unknown)
            malformed(field, value);
        return parsed;
    }

    ResultCode resultCode(QByteArrayView field, QByteArrayView value)
    {
        return checked(field, value, resultCodeOf(value), ResultCode::Unknown);
    }

    std::optional<qint64> integer(QByteArrayView field, QByteArrayView value, qint64 min, qint64 max)
    {
        if (trimAscii(value).isEmpty())
            return std::nullopt;
        const auto number = parseInteger(value);
        if (!number || *number < min || *number > max) {
            malformed(field, value);
            return std::nullopt;
        }
        return number;
    }

    // The envelope, read the same way by both paths. A null or empty value means "missing".
    void cmdType(QByteArrayView value)
    {
        value = trimAscii(value);
        m_message.envelope.cmdTypeText = toText(value);
        m_message.envelope.cmdType = cmdTypeFromName(value);
    }

    void sn(QByteArrayView value)
    {
        if (trimAscii(value).isEmpty()) {
            note(QStringLiteral("no SN"));
            return;
        }
        if (const auto number = integer("SN", value, 0, std::numeric_limits<std::uint32_t>::max()))
            m_message.envelope.sn = std::uint32_t(*number);
    }

    void deviceId(QByteArrayView value)
    {
        m_message.envelope.deviceId = WireId<DeviceId>::fromText(toText(value));
        if (m_message.envelope.deviceId.isEmpty())
            note(QStringLiteral("no DeviceID"));
        else if (!m_message.envelope.deviceId.isWellFormed())
            note(u"DeviceID "_s + quoted(trimAscii(value)) + u" is not a 20-digit ID"_s);
    }

private:
    ManscdpMessage &m_message;
};

// ---------------------------------------------------------------------------------------------
// The general path

bool nameIs(const XMLElement *element, QByteArrayView name) noexcept
{
    const char *n = element->Name();
    return n && equalsIgnoreCase(QByteArrayView(n, qsizetype(std::strlen(n))), name);
}

const XMLElement *childNamed(const XMLElement *parent, QByteArrayView name) noexcept
{
    if (!parent)
        return nullptr;
    for (const XMLElement *e = parent->FirstChildElement(); e; e = e->NextSiblingElement()) {
        if (nameIs(e, name))
            return e;
    }
    return nullptr;
}

/// Reads element text with case-insensitive names, counting what it cannot use.
class DomReader {
public:
    explicit DomReader(ManscdpMessage &message) : diag(message) {}

    /// The element's own text (its text and CDATA children joined), ASCII-trimmed; a null view
    /// for a missing element. Valid until the next call.
    QByteArrayView bytes(const XMLElement *element)
    {
        if (!element)
            return {};
        const XMLText *only = nullptr;
        int count = 0;
        for (const XMLNode *node = element->FirstChild(); node; node = node->NextSibling()) {
            if (const XMLText *text = node->ToText()) {
                only = text;
                ++count;
            }
        }
        if (count == 0)
            return QByteArrayView("");
        if (count == 1)
            return trimAscii(QByteArrayView(only->Value(), qsizetype(std::strlen(only->Value()))));
        m_scratch.clear();
        for (const XMLNode *node = element->FirstChild(); node; node = node->NextSibling()) {
            if (const XMLText *text = node->ToText())
                m_scratch.append(text->Value());
        }
        return trimAscii(m_scratch);
    }

    QByteArrayView bytes(const XMLElement *parent, QByteArrayView name) { return bytes(childNamed(parent, name)); }

    QString text(const XMLElement *element) { return toText(bytes(element)); }
    QString text(const XMLElement *parent, QByteArrayView name) { return text(childNamed(parent, name)); }

    std::optional<int> integer(const XMLElement *parent, QByteArrayView name, int min = std::numeric_limits<int>::min(),
                               int max = std::numeric_limits<int>::max())
    {
        const auto value = diag.integer(name, bytes(parent, name), min, max);
        return value ? std::optional<int>(int(*value)) : std::nullopt;
    }

    std::optional<double> real(const XMLElement *parent, QByteArrayView name, double limit)
    {
        const QByteArrayView value = bytes(parent, name);
        if (value.isEmpty())
            return std::nullopt;
        const auto number = parseReal(value);
        if (!number || std::abs(*number) > limit) {
            diag.malformed(name, value);
            return std::nullopt;
        }
        return number;
    }

    std::optional<bool> boolean(const XMLElement *parent, QByteArrayView name)
    {
        const QByteArrayView value = bytes(parent, name);
        if (value.isEmpty())
            return std::nullopt;
        if (const auto number = parseInteger(value); number && (*number == 0 || *number == 1))
            return *number == 1;
        if (equalsIgnoreCase(value, "true"))
            return true;
        if (equalsIgnoreCase(value, "false"))
            return false;
        diag.malformed(name, value);
        return std::nullopt;
    }

    ResultCode resultCode(const XMLElement *parent, QByteArrayView name)
    {
        return diag.resultCode(name, bytes(parent, name));
    }

    OnOff onOff(const XMLElement *parent, QByteArrayView name)
    {
        const QByteArrayView value = bytes(parent, name);
        return diag.checked(name, value, onOffOf(value), OnOff::Unknown);
    }

    QList<InfoField> fields(const XMLElement *parent)
    {
        QList<InfoField> result;
        if (!parent)
            return result;
        for (const XMLElement *e = parent->FirstChildElement(); e; e = e->NextSiblingElement())
            result.append(InfoField{QString::fromUtf8(e->Name()), text(e)});
        return result;
    }

    Diagnostics diag;

private:
    QByteArray m_scratch;
};

void setOptionalInt(std::optional<int> &field, DomReader &reader, const XMLElement *element, QByteArrayView name)
{
    const auto value = reader.diag.integer(name, reader.bytes(element), std::numeric_limits<int>::min(),
                                           std::numeric_limits<int>::max());
    field = value ? std::optional<int>(int(*value)) : std::nullopt;
}

void readInfo(DomReader &reader, const XMLElement *info, CatalogItem &item)
{
    if (!info)
        return;
    struct Typed {
        const char *name;
        std::optional<int> CatalogItem::*field;
    };
    static constexpr Typed kTyped[] = {
        {"PTZType", &CatalogItem::ptzType},
        {"PositionType", &CatalogItem::positionType},
        {"RoomType", &CatalogItem::roomType},
        {"UseType", &CatalogItem::useType},
        {"SupplyLightType", &CatalogItem::supplyLightType},
        {"DirectionType", &CatalogItem::directionType},
        {"SVCSpaceSupportMode", &CatalogItem::svcSpaceSupportMode},
        {"SVCTimeSupportMode", &CatalogItem::svcTimeSupportMode},
    };
    for (const XMLElement *e = info->FirstChildElement(); e; e = e->NextSiblingElement()) {
        bool typed = false;
        for (const Typed &t : kTyped) {
            if (nameIs(e, t.name)) {
                if (!(item.*t.field))
                    setOptionalInt(item.*t.field, reader, e, t.name);
                typed = true;
                break;
            }
        }
        if (typed)
            continue;
        if (nameIs(e, "Resolution")) {
            item.resolution = reader.text(e);
        } else if (nameIs(e, "DownloadSpeed")) {
            item.downloadSpeed = reader.text(e);
        } else if (nameIs(e, "BusinessGroupID")) {
            if (item.businessGroupId.isEmpty())
                item.businessGroupId = reader.text(e);
        } else {
            item.otherInfo.append(InfoField{QString::fromUtf8(e->Name()), reader.text(e)});
        }
    }
}

std::optional<CatalogItem> readCatalogItem(DomReader &reader, const XMLElement *e)
{
    CatalogItem item;
    item.deviceId = WireId<ChannelId>::fromText(reader.text(e, "DeviceID"));
    if (item.deviceId.isEmpty())
        return std::nullopt;
    item.name = reader.text(e, "Name");
    item.manufacturer = reader.text(e, "Manufacturer");
    item.model = reader.text(e, "Model");
    item.owner = reader.text(e, "Owner");
    item.civilCode = reader.text(e, "CivilCode");
    item.block = reader.text(e, "Block");
    item.address = reader.text(e, "Address");
    item.parental = reader.boolean(e, "Parental");
    const QString parents = reader.text(e, "ParentID");
    for (const QStringView parent : QStringView(parents).split(u'/')) {
        if (const QStringView trimmed = parent.trimmed(); !trimmed.isEmpty())
            item.parentIds.append(trimmed.toString());
    }
    item.safetyWay = reader.integer(e, "SafetyWay");
    item.registerWay = reader.integer(e, "RegisterWay");
    item.certNum = reader.text(e, "CertNum");
    item.certifiable = reader.integer(e, "Certifiable");
    item.errCode = reader.integer(e, "ErrCode");
    item.endTime = reader.text(e, "EndTime");
    item.secrecy = reader.integer(e, "Secrecy");
    item.ipAddress = reader.text(e, "IPAddress");
    if (const auto port = reader.integer(e, "Port", 0, 65535))
        item.port = std::uint16_t(*port);
    item.password = reader.text(e, "Password");
    const QByteArrayView status = reader.bytes(e, "Status");
    item.status = reader.diag.checked("Status", status, catalogStatusOf(status), CatalogStatus::Unknown);
    item.longitude = reader.real(e, "Longitude", 180);
    item.latitude = reader.real(e, "Latitude", 90);
    item.businessGroupId = reader.text(e, "BusinessGroupID");
    readInfo(reader, childNamed(e, "Info"), item);
    if (!item.ptzType)
        item.ptzType = reader.integer(e, "PTZType");
    const QByteArrayView event = reader.bytes(e, "Event");
    item.event = reader.diag.checked("Event", event, catalogEventOf(event), CatalogEvent::Unknown);
    return item;
}

CatalogList readCatalog(DomReader &reader, const XMLElement *root)
{
    CatalogList catalog;
    catalog.sumNum = reader.integer(root, "SumNum", 0);
    catalog.result = reader.resultCode(root, "Result");
    const XMLElement *list = childNamed(root, "DeviceList");
    if (!list)
        return catalog;
    for (const XMLAttribute *a = list->FirstAttribute(); a; a = a->Next()) {
        if (equalsIgnoreCase(QByteArrayView(a->Name(), qsizetype(std::strlen(a->Name()))), "Num")) {
            const QByteArrayView value(a->Value(), qsizetype(std::strlen(a->Value())));
            if (const auto num = reader.diag.integer("DeviceList Num", value, 0, std::numeric_limits<int>::max()))
                catalog.listNum = int(*num);
            break;
        }
    }
    int position = 0;
    for (const XMLElement *e = list->FirstChildElement(); e; e = e->NextSiblingElement()) {
        if (!nameIs(e, "Item"))
            continue;
        ++position;
        if (auto item = readCatalogItem(reader, e)) {
            catalog.items.append(std::move(*item));
        } else {
            ++catalog.skippedItems;
            reader.diag.note(u"catalog item %1 has no DeviceID; skipped"_s.arg(position));
        }
    }
    return catalog;
}

DeviceInfoResponse readDeviceInfo(DomReader &reader, const XMLElement *root)
{
    DeviceInfoResponse info;
    info.result = reader.resultCode(root, "Result");
    info.deviceName = reader.text(root, "DeviceName");
    info.manufacturer = reader.text(root, "Manufacturer");
    info.model = reader.text(root, "Model");
    info.firmware = reader.text(root, "Firmware");
    info.channel = reader.integer(root, "Channel", 0);
    info.maxCamera = reader.integer(root, "MaxCamera", 0);
    info.maxAlarm = reader.integer(root, "MaxAlarm", 0);
    info.info = reader.fields(childNamed(root, "Info"));
    return info;
}

DeviceStatusResponse readDeviceStatus(DomReader &reader, const XMLElement *root)
{
    DeviceStatusResponse status;
    status.result = reader.resultCode(root, "Result");
    status.online = reader.onOff(root, "Online");
    status.status = reader.resultCode(root, "Status");
    status.reason = reader.text(root, "Reason");
    status.encode = reader.onOff(root, "Encode");
    status.record = reader.onOff(root, "Record");
    status.deviceTime = reader.text(root, "DeviceTime");
    if (const XMLElement *list = childNamed(root, "Alarmstatus")) {
        for (const XMLElement *e = list->FirstChildElement(); e; e = e->NextSiblingElement()) {
            if (!nameIs(e, "Item"))
                continue;
            AlarmStatusItem item;
            item.deviceId = WireId<ChannelId>::fromText(reader.text(e, "DeviceID"));
            const QByteArrayView duty = reader.bytes(e, "DutyStatus");
            item.dutyStatus = reader.diag.checked("DutyStatus", duty, dutyStatusOf(duty), DutyStatus::Unknown);
            status.alarmStatus.append(std::move(item));
        }
    }
    return status;
}

AlarmNotify readAlarm(DomReader &reader, const XMLElement *root)
{
    AlarmNotify alarm;
    alarm.priority = reader.integer(root, "AlarmPriority", 0);
    alarm.method = reader.text(root, "AlarmMethod");
    alarm.time = reader.text(root, "AlarmTime");
    alarm.description = reader.text(root, "AlarmDescription");
    alarm.longitude = reader.real(root, "Longitude", 180);
    alarm.latitude = reader.real(root, "Latitude", 90);
    const XMLElement *info = childNamed(root, "Info");
    alarm.alarmType = reader.integer(childNamed(info, "AlarmType") ? info : root, "AlarmType");
    const XMLElement *param = childNamed(info, "AlarmTypeParam");
    if (!param)
        param = childNamed(root, "AlarmTypeParam");
    alarm.eventType = reader.integer(param, "EventType");
    return alarm;
}

DeviceControlRequest readDeviceControl(DomReader &reader, const XMLElement *root)
{
    DeviceControlRequest control;
    control.ptzCmd = reader.text(root, "PTZCmd");
    control.controlPriority = reader.integer(childNamed(root, "Info"), "ControlPriority");
    control.teleBoot = reader.text(root, "TeleBoot");
    control.recordCmd = reader.text(root, "RecordCmd");
    control.guardCmd = reader.text(root, "GuardCmd");
    control.alarmCmd = reader.text(root, "AlarmCmd");
    control.iFrameCmd = reader.text(root, "IFameCmd");
    if (control.iFrameCmd.isEmpty())
        control.iFrameCmd = reader.text(root, "IFrameCmd");
    return control;
}

ResultResponse readResult(DomReader &reader, const XMLElement *root)
{
    return ResultResponse{reader.resultCode(root, "Result"), reader.text(root, "Reason")};
}

KeepaliveNotify readKeepalive(DomReader &reader, const XMLElement *root)
{
    KeepaliveNotify keepalive;
    keepalive.status = reader.resultCode(root, "Status");
    if (const XMLElement *info = childNamed(root, "Info")) {
        for (const XMLElement *e = info->FirstChildElement(); e; e = e->NextSiblingElement()) {
            if (!nameIs(e, "DeviceID"))
                continue;
            auto id = WireId<ChannelId>::fromText(reader.text(e));
            if (!id.isEmpty())
                keepalive.faultyDevices.append(std::move(id));
        }
    }
    return keepalive;
}

ManscdpPayload readPayload(DomReader &reader, const XMLElement *root, const Envelope &envelope)
{
    const MessageClass cls = envelope.messageClass;
    switch (envelope.cmdType) {
    case CmdType::Keepalive:
        if (cls == MessageClass::Notify)
            return readKeepalive(reader, root);
        break;
    case CmdType::Catalog:
        if (cls == MessageClass::Response || cls == MessageClass::Notify)
            return readCatalog(reader, root);
        break;
    case CmdType::DeviceInfo:
        if (cls == MessageClass::Response)
            return readDeviceInfo(reader, root);
        break;
    case CmdType::DeviceStatus:
        if (cls == MessageClass::Response)
            return readDeviceStatus(reader, root);
        break;
    case CmdType::Alarm:
        if (cls == MessageClass::Notify)
            return readAlarm(reader, root);
        break;
    case CmdType::MediaStatus:
        if (cls == MessageClass::Notify)
            return MediaStatusNotify{reader.integer(root, "NotifyType")};
        break;
    case CmdType::DeviceControl:
        if (cls == MessageClass::Control)
            return readDeviceControl(reader, root);
        break;
    default:
        break;
    }
    if (cls == MessageClass::Response && childNamed(root, "Result"))
        return readResult(reader, root);
    return std::monostate{};
}

QString describe(const tinyxml2::XMLDocument &doc)
{
    return QString::fromUtf8(tinyxml2::XMLDocument::ErrorIDToName(doc.ErrorID())) + u" at line "_s
           + QString::number(doc.ErrorLineNum());
}

QString describe(const XmlRepairs &repairs)
{
    QStringList what;
    auto add = [&](int count, const char *label) {
        if (count > 0)
            what.append(QString::number(count) + u' ' + QString::fromLatin1(label));
    };
    add(repairs.escapedCharacters, "bare & or <");
    add(repairs.quotedAttributes, "unquoted attributes");
    add(repairs.droppedAttributes, "dropped attributes");
    add(repairs.renamedEndTags, "end tags in another case");
    add(repairs.strayTags, "stray tags kept as text");
    add(repairs.closedElements, "unclosed elements");
    add(repairs.droppedOutside, "content outside the root dropped");
    return what.join(u", ");
}

// ---------------------------------------------------------------------------------------------
// The keepalive fast path

/// Reads `<Name>text</Name>` at s[pos]; the name is letters only, the text plain ASCII.
bool readSimpleElement(QByteArrayView s, qsizetype &pos, QByteArrayView &name, QByteArrayView &text) noexcept
{
    qsizetype i = pos;
    if (i >= s.size() || s[i] != '<')
        return false;
    ++i;
    const qsizetype nameStart = i;
    while (i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
        ++i;
    if (i == nameStart || i >= s.size() || s[i] != '>')
        return false;
    name = s.sliced(nameStart, i - nameStart);
    ++i;
    const qsizetype textStart = i;
    while (i < s.size() && s[i] != '<') {
        const uchar c = uchar(s[i]);
        if (c == '&' || c == '>' || c >= 0x7F || (c < 0x20 && !isSpace(c)))
            return false;
        ++i;
    }
    text = s.sliced(textStart, i - textStart);
    const QByteArrayView inner = trimAscii(text);
    for (const char c : inner) {
        if (uchar(c) < 0x20)
            return false; // tinyxml2 would turn CR LF inside the text into LF
    }
    if (i + 2 + name.size() + 1 > s.size() || s[i + 1] != '/' || s.sliced(i + 2, name.size()) != name
        || s[i + 2 + name.size()] != '>')
        return false;
    pos = i + 2 + name.size() + 1;
    return true;
}

void skipSpace(QByteArrayView s, qsizetype &pos) noexcept
{
    while (pos < s.size() && isSpace(uchar(s[pos])))
        ++pos;
}

} // namespace

namespace detail {

std::optional<ManscdpMessage> parseKeepaliveFast(QByteArrayView body, CharsetOverride override)
{
    if (body.size() > 1024)
        return std::nullopt;
    const CharsetDecision decision = inspectCharset(body, override);
    if (!decision.asciiOnly)
        return std::nullopt;
    QByteArrayView s = body;
    if (decision.byteOrderMark)
        s = s.sliced(3);
    while (!s.isEmpty() && s.back() == '\0')
        s.chop(1);

    qsizetype pos = 0;
    skipSpace(s, pos);
    if (s.sliced(pos).startsWith("<?")) {
        const qsizetype end = s.indexOf("?>", pos);
        if (end < 0 || !s.sliced(pos).startsWith("<?xml"))
            return std::nullopt;
        for (qsizetype i = pos; i < end; ++i) {
            if (uchar(s[i]) < 0x20 && !isSpace(uchar(s[i])))
                return std::nullopt;
        }
        pos = end + 2;
        skipSpace(s, pos);
    }
    if (!equalsIgnoreCase(s.sliced(pos).first(qMin<qsizetype>(8, s.size() - pos)), "<Notify>"))
        return std::nullopt;
    const QByteArrayView rootName = s.sliced(pos + 1, 6);
    pos += 8;

    QByteArrayView cmdType, sn, deviceId, status;
    bool seenCmdType = false, seenSn = false, seenDeviceId = false, seenStatus = false;
    for (;;) {
        skipSpace(s, pos);
        if (s.sliced(pos).startsWith("</"))
            break;
        QByteArrayView name, text;
        if (!readSimpleElement(s, pos, name, text))
            return std::nullopt;
        auto take = [&](QByteArrayView expected, bool &seen, QByteArrayView &value) {
            if (seen || !equalsIgnoreCase(name, expected))
                return false;
            seen = true;
            value = text;
            return true;
        };
        bool taken = false;
        switch (name.size()) {
        case 2:
            taken = take("SN", seenSn, sn);
            break;
        case 6:
            taken = take("Status", seenStatus, status);
            break;
        case 7:
            taken = take("CmdType", seenCmdType, cmdType);
            break;
        case 8:
            taken = take("DeviceID", seenDeviceId, deviceId);
            break;
        default:
            break;
        }
        if (!taken)
            return std::nullopt;
    }
    if (s.size() - pos < 9 || s.sliced(pos + 2, 6) != rootName || s[pos + 8] != '>')
        return std::nullopt;
    pos += 9;
    skipSpace(s, pos);
    if (pos != s.size() || !seenCmdType || cmdTypeFromName(cmdType) != CmdType::Keepalive)
        return std::nullopt;

    ManscdpMessage message;
    message.charset = decision;
    message.envelope.messageClass = MessageClass::Notify;
    Diagnostics diag(message);
    diag.cmdType(cmdType);
    diag.sn(sn);
    diag.deviceId(deviceId);
    KeepaliveNotify keepalive;
    keepalive.status = diag.resultCode("Status", status);
    message.payload = std::move(keepalive);
    return message;
}

Result<ManscdpMessage> parseWithDom(QByteArrayView body, CharsetOverride override)
{
    if (body.size() > ManscdpMessage::kMaxBodySize)
        return fail(ErrorCode::InvalidArgument,
                    u"MANSCDP body of %1 bytes is larger than the %2 bytes Vigil accepts"_s.arg(body.size())
                        .arg(ManscdpMessage::kMaxBodySize));
    ManscdpMessage message;
    const Utf8Text decoded = decodeToUtf8(body, override);
    message.charset = decoded.decision;
    QByteArrayView xml = decoded.utf8;
    const qsizetype nul = xml.indexOf('\0');
    if (nul >= 0)
        xml = xml.first(nul);
    if (trimAscii(xml).isEmpty())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("the MANSCDP body is empty"));

    // tinyxml2 checks each attribute against the others of its element, which is quadratic:
    // bodies with many '=' (every attribute has one; MANSCDP uses a few) go through
    // repairXml() first, which keeps at most kMaxXmlAttributes per tag.
    constexpr qsizetype kMaxEqualsForStrictParse = 256;
    tinyxml2::XMLDocument doc(true, tinyxml2::PRESERVE_WHITESPACE);
    const bool tryStrict = xml.count('=') <= kMaxEqualsForStrictParse;
    QByteArray repaired;
    if (!tryStrict || doc.Parse(xml.data(), size_t(xml.size())) != tinyxml2::XML_SUCCESS || !doc.RootElement()) {
        const QString strictError = tryStrict ? describe(doc) : u"not tried: many attributes"_s;
        XmlRepairs repairs;
        repaired = repairXml(xml, &repairs);
        if (repaired.isEmpty())
            return fail(ErrorCode::InvalidArgument,
                        u"the MANSCDP body holds no XML element (%1)"_s.arg(strictError));
        doc.Clear();
        if (doc.Parse(repaired.constData(), size_t(repaired.size())) != tinyxml2::XML_SUCCESS || !doc.RootElement())
            return fail(ErrorCode::Internal,
                        u"the MANSCDP body is not XML (%1) and could not be repaired (%2)"_s.arg(strictError, describe(doc)));
        message.xmlRepaired = repairs.total() > 0;
        if (message.xmlRepaired)
            Diagnostics(message).note(u"XML repaired (%1): "_s.arg(strictError) + describe(repairs));
    }

    const XMLElement *root = doc.RootElement();
    const auto messageClass = messageClassFromName(QByteArrayView(root->Name(), qsizetype(std::strlen(root->Name()))));
    if (!messageClass)
        return fail(ErrorCode::Unsupported,
                    u"the root element <%1> is not a MANSCDP message (Query, Control, Notify or Response)"_s.arg(
                        QString::fromUtf8(root->Name()).left(40)));
    message.envelope.messageClass = *messageClass;

    DomReader reader(message);
    const QByteArrayView cmdType = reader.bytes(root, "CmdType");
    if (cmdType.isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    u"the MANSCDP <%1> has no CmdType"_s.arg(QString::fromLatin1(messageClassName(*messageClass))));
    reader.diag.cmdType(cmdType);
    reader.diag.sn(reader.bytes(root, "SN"));
    reader.diag.deviceId(reader.bytes(root, "DeviceID"));
    message.payload = readPayload(reader, root, message.envelope);
    return message;
}

} // namespace detail

Result<ManscdpMessage> ManscdpMessage::parse(QByteArrayView body, CharsetOverride override)
{
    if (auto fast = detail::parseKeepaliveFast(body, override))
        return std::move(*fast);
    return detail::parseWithDom(body, override);
}

} // namespace Vigil::Gb
