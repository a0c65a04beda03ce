#include "manscdp.h"

#include "sip/text.h"

#include <QDate>
#include <QTime>

#include <algorithm>

namespace Vigil::Gb {

using Sip::equalsIgnoreCase;

namespace {

constexpr struct {
    MessageClass value;
    QByteArrayView name;
} kMessageClasses[] = {
    {MessageClass::Query, "Query"},
    {MessageClass::Control, "Control"},
    {MessageClass::Notify, "Notify"},
    {MessageClass::Response, "Response"},
};

constexpr struct {
    CmdType value;
    QByteArrayView name;
} kCmdTypes[] = {
    {CmdType::Keepalive, "Keepalive"},
    {CmdType::Catalog, "Catalog"},
    {CmdType::DeviceInfo, "DeviceInfo"},
    {CmdType::DeviceStatus, "DeviceStatus"},
    {CmdType::DeviceControl, "DeviceControl"},
    {CmdType::DeviceConfig, "DeviceConfig"},
    {CmdType::Alarm, "Alarm"},
    {CmdType::MediaStatus, "MediaStatus"},
    {CmdType::RecordInfo, "RecordInfo"},
    {CmdType::MobilePosition, "MobilePosition"},
    {CmdType::ConfigDownload, "ConfigDownload"},
    {CmdType::PresetQuery, "PresetQuery"},
    {CmdType::Broadcast, "Broadcast"},
};

bool isAllDigits(QStringView text) noexcept
{
    return !text.isEmpty()
           && std::all_of(text.begin(), text.end(), [](QChar c) { return c.unicode() >= u'0' && c.unicode() <= u'9'; });
}

} // namespace

QByteArrayView messageClassName(MessageClass messageClass) noexcept
{
    for (const auto &entry : kMessageClasses) {
        if (entry.value == messageClass)
            return entry.name;
    }
    return {};
}

QByteArrayView cmdTypeName(CmdType cmdType) noexcept
{
    for (const auto &entry : kCmdTypes) {
        if (entry.value == cmdType)
            return entry.name;
    }
    return {};
}

std::optional<MessageClass> messageClassFromName(QByteArrayView name) noexcept
{
    name = name.trimmed();
    for (const auto &entry : kMessageClasses) {
        if (equalsIgnoreCase(name, entry.name))
            return entry.value;
    }
    return std::nullopt;
}

CmdType cmdTypeFromName(QByteArrayView name) noexcept
{
    name = name.trimmed();
    for (const auto &entry : kCmdTypes) {
        if (equalsIgnoreCase(name, entry.name))
            return entry.value;
    }
    return CmdType::Other;
}

CatalogNodeKind CatalogItem::kind() const noexcept
{
    const QString &text = deviceId.text();
    if (!isAllDigits(text))
        return CatalogNodeKind::Unknown;
    if (deviceId.isWellFormed()) {
        switch (deviceId.id().typeCode()) {
        case int(GbType::BusinessGroup):
            return CatalogNodeKind::BusinessGroup;
        case int(GbType::VirtualOrganization):
            return CatalogNodeKind::VirtualOrganization;
        default:
            return CatalogNodeKind::Device;
        }
    }
    if (text.size() >= 2 && text.size() <= 12)
        return CatalogNodeKind::CivilCode;
    return CatalogNodeKind::Unknown;
}

QList<int> AlarmNotify::methods() const
{
    QList<int> result;
    for (const QChar c : method) {
        if (c.unicode() >= u'1' && c.unicode() <= u'9')
            result.append(c.unicode() - u'0');
    }
    return result;
}

QDateTime parseDeviceTime(QStringView text)
{
    text = text.trimmed();
    // Date part: YYYY-MM-DD (also YYYY/MM/DD).
    if (text.size() < 10)
        return {};
    auto number = [&](qsizetype pos, qsizetype len) {
        int v = 0;
        for (qsizetype i = pos; i < pos + len; ++i) {
            if (i >= text.size() || text[i].unicode() < u'0' || text[i].unicode() > u'9')
                return -1;
            v = v * 10 + (text[i].unicode() - u'0');
        }
        return v;
    };
    auto isDateSep = [&](qsizetype pos) { return text[pos] == u'-' || text[pos] == u'/'; };
    if (!isDateSep(4) || !isDateSep(7))
        return {};
    const QDate date(number(0, 4), number(5, 2), number(8, 2));
    if (!date.isValid())
        return {};
    if (text.size() == 10)
        return QDateTime(date, QTime(0, 0));
    if (text[10] != u'T' && text[10] != u't' && text[10] != u' ')
        return {};
    qsizetype pos = 11;
    while (pos < text.size() && text[pos] == u' ')
        ++pos;
    if (pos + 5 > text.size() || text[pos + 2] != u':')
        return {};
    const int hour = number(pos, 2);
    const int minute = number(pos + 3, 2);
    int second = 0;
    int ms = 0;
    pos += 5;
    if (pos < text.size() && text[pos] == u':') {
        second = number(pos + 1, 2);
        pos += 3;
        if (pos < text.size() && (text[pos] == u'.' || text[pos] == u',')) {
            ++pos;
            int digits = 0;
            while (pos < text.size() && text[pos].unicode() >= u'0' && text[pos].unicode() <= u'9') {
                if (digits < 3)
                    ms = ms * 10 + (text[pos].unicode() - u'0');
                ++digits;
                ++pos;
            }
            if (digits == 0)
                return {};
            for (; digits < 3; ++digits)
                ms *= 10;
        }
    }
    // Whatever zone follows (Z, +08:00) is ignored: devices mean their local clock.
    if (pos < text.size()) {
        const QChar c = text[pos];
        if (c != u'Z' && c != u'z' && c != u'+' && c != u'-' && c != u' ')
            return {};
    }
    const QTime time(hour, minute, second, ms);
    if (hour < 0 || minute < 0 || second < 0 || !time.isValid())
        return {};
    return QDateTime(date, time);
}

QString formatDeviceTime(const QDateTime &time)
{
    return time.toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss"));
}

} // namespace Vigil::Gb
