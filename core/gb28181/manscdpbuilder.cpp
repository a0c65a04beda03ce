#include "manscdpbuilder.h"

#include <QLocale>

#include <algorithm>
#include <cctype>

namespace Vigil::Gb {

using namespace Qt::StringLiterals;

namespace {

bool isXmlNameStart(char16_t c) noexcept
{
    return c >= 0x80 || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_' || c == u':';
}

bool isXmlName(QStringView name) noexcept
{
    if (name.isEmpty() || !isXmlNameStart(name.front().unicode()))
        return false;
    for (const QChar c : name) {
        const char16_t u = c.unicode();
        if (!isXmlNameStart(u) && !(u >= u'0' && u <= u'9') && u != u'-' && u != u'.')
            return false;
    }
    return true;
}

/// Appends text escaped for element content, without characters XML 1.0 cannot carry.
void appendEscaped(QString &out, QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        const char16_t u = c.unicode();
        switch (u) {
        case u'&':
            out.append(u"&amp;");
            continue;
        case u'<':
            out.append(u"&lt;");
            continue;
        case u'>':
            out.append(u"&gt;");
            continue;
        default:
            break;
        }
        if (u < 0x20 && u != u'\t' && u != u'\n' && u != u'\r')
            continue;
        if (u == 0xFFFE || u == 0xFFFF)
            continue;
        if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            out.append(c);
            out.append(text[++i]);
            continue;
        }
        if (c.isSurrogate())
            continue;
        out.append(c);
    }
}

QString number(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QStringView resultText(ResultCode code)
{
    switch (code) {
    case ResultCode::Ok:
        return u"OK";
    case ResultCode::Error:
        return u"ERROR";
    case ResultCode::Missing:
    case ResultCode::Unknown:
        break;
    }
    return {};
}

QStringView onOffText(OnOff value, QStringView on, QStringView off)
{
    switch (value) {
    case OnOff::On:
        return on;
    case OnOff::Off:
        return off;
    case OnOff::Missing:
    case OnOff::Unknown:
        break;
    }
    return {};
}

QStringView statusText(CatalogStatus status)
{
    switch (status) {
    case CatalogStatus::On:
        return u"ON";
    case CatalogStatus::Off:
        return u"OFF";
    case CatalogStatus::Missing:
    case CatalogStatus::Unknown:
        break;
    }
    return {};
}

QStringView eventText(CatalogEvent event)
{
    switch (event) {
    case CatalogEvent::On:
        return u"ON";
    case CatalogEvent::Off:
        return u"OFF";
    case CatalogEvent::VideoLost:
        return u"VLOST";
    case CatalogEvent::Defect:
        return u"DEFECT";
    case CatalogEvent::Add:
        return u"ADD";
    case CatalogEvent::Delete:
        return u"DEL";
    case CatalogEvent::Update:
        return u"UPDATE";
    case CatalogEvent::None:
    case CatalogEvent::Unknown:
        break;
    }
    return {};
}

QStringView dutyText(DutyStatus duty)
{
    switch (duty) {
    case DutyStatus::OnDuty:
        return u"ONDUTY";
    case DutyStatus::OffDuty:
        return u"OFFDUTY";
    case DutyStatus::Alarm:
        return u"ALARM";
    case DutyStatus::Missing:
    case DutyStatus::Unknown:
        break;
    }
    return {};
}

/// Builds the text of one body, element by element, one per line.
class XmlText {
public:
    void element(QStringView name, QStringView text)
    {
        m_text.append(u'<' + name + u'>');
        appendEscaped(m_text, text);
        m_text.append(u"</" + name + u">\r\n");
    }
    /// Left out when empty.
    void optional(QStringView name, QStringView text)
    {
        if (!text.isEmpty())
            element(name, text);
    }
    void optional(QStringView name, std::optional<int> value)
    {
        if (value)
            element(name, QString::number(*value));
    }
    void optional(QStringView name, std::optional<double> value)
    {
        if (value)
            element(name, number(*value));
    }
    void open(QStringView name, std::optional<qsizetype> num = std::nullopt)
    {
        m_text.append(u'<' + name);
        if (num)
            m_text.append(u" Num=\"" + QString::number(*num) + u'"');
        m_text.append(u">\r\n");
    }
    void close(QStringView name) { m_text.append(u"</" + name + u">\r\n"); }
    void envelope(MessageClass messageClass, CmdType cmdType, const GbId &deviceId, std::uint32_t sn)
    {
        open(QString::fromLatin1(messageClassName(messageClass)));
        element(u"CmdType", QString::fromLatin1(cmdTypeName(cmdType)));
        element(u"SN", QString::number(sn));
        element(u"DeviceID", deviceId.toString());
    }

    void append(const XmlText &other) { m_text.append(other.m_text); }

    const QString &text() const noexcept { return m_text; }
    bool isEmpty() const noexcept { return m_text.isEmpty(); }

private:
    QString m_text;
};

QByteArray declaration(TextEncoding encoding)
{
    return "<?xml version=\"1.0\" encoding=\"" + xmlEncodingName(encoding).toByteArray() + "\"?>\r\n";
}

ManscdpBody finish(TextEncoding encoding, const XmlText &xml, MessageClass messageClass)
{
    QString text = xml.text();
    text.append(u"</" + QString::fromLatin1(messageClassName(messageClass)) + u">\r\n");
    return ManscdpBody{declaration(encoding) + encodeText(text, encoding)};
}

ManscdpBody simpleBody(TextEncoding encoding, MessageClass messageClass, CmdType cmdType, const GbId &deviceId,
                       std::uint32_t sn)
{
    XmlText xml;
    xml.envelope(messageClass, cmdType, deviceId, sn);
    return finish(encoding, xml, messageClass);
}

void writeCatalogItem(XmlText &xml, const CatalogItem &item)
{
    xml.open(u"Item");
    xml.element(u"DeviceID", item.deviceId.text());
    xml.optional(u"Name", item.name);
    xml.optional(u"Manufacturer", item.manufacturer);
    xml.optional(u"Model", item.model);
    xml.optional(u"Owner", item.owner);
    xml.optional(u"CivilCode", item.civilCode);
    xml.optional(u"Block", item.block);
    xml.optional(u"Address", item.address);
    if (item.parental)
        xml.element(u"Parental", *item.parental ? u"1" : u"0");
    xml.optional(u"ParentID", item.parentIds.join(u'/'));
    xml.optional(u"SafetyWay", item.safetyWay);
    xml.optional(u"RegisterWay", item.registerWay);
    xml.optional(u"CertNum", item.certNum);
    xml.optional(u"Certifiable", item.certifiable);
    xml.optional(u"ErrCode", item.errCode);
    xml.optional(u"EndTime", item.endTime);
    xml.optional(u"Secrecy", item.secrecy);
    xml.optional(u"IPAddress", item.ipAddress);
    if (item.port)
        xml.element(u"Port", QString::number(*item.port));
    xml.optional(u"Password", item.password);
    xml.optional(u"Status", statusText(item.status));
    xml.optional(u"Longitude", item.longitude);
    xml.optional(u"Latitude", item.latitude);
    xml.optional(u"BusinessGroupID", item.businessGroupId);

    XmlText info;
    info.optional(u"PTZType", item.ptzType);
    info.optional(u"PositionType", item.positionType);
    info.optional(u"RoomType", item.roomType);
    info.optional(u"UseType", item.useType);
    info.optional(u"SupplyLightType", item.supplyLightType);
    info.optional(u"DirectionType", item.directionType);
    info.optional(u"Resolution", item.resolution);
    info.optional(u"DownloadSpeed", item.downloadSpeed);
    info.optional(u"SVCSpaceSupportMode", item.svcSpaceSupportMode);
    info.optional(u"SVCTimeSupportMode", item.svcTimeSupportMode);
    for (const InfoField &field : item.otherInfo) {
        if (isXmlName(field.name))
            info.element(field.name, field.value);
    }
    if (!info.isEmpty()) {
        xml.open(u"Info");
        xml.append(info);
        xml.close(u"Info");
    }
    xml.optional(u"Event", eventText(item.event));
    xml.close(u"Item");
}

} // namespace

ManscdpBody ManscdpBuilder::queryCatalog(const GbId &deviceId, std::uint32_t sn) const
{
    return simpleBody(m_encoding, MessageClass::Query, CmdType::Catalog, deviceId, sn);
}

ManscdpBody ManscdpBuilder::queryDeviceInfo(const GbId &deviceId, std::uint32_t sn) const
{
    return simpleBody(m_encoding, MessageClass::Query, CmdType::DeviceInfo, deviceId, sn);
}

ManscdpBody ManscdpBuilder::queryDeviceStatus(const GbId &deviceId, std::uint32_t sn) const
{
    return simpleBody(m_encoding, MessageClass::Query, CmdType::DeviceStatus, deviceId, sn);
}

ManscdpBody ManscdpBuilder::controlPtz(const GbId &deviceId, std::uint32_t sn, QByteArrayView ptzCmd,
                                       std::optional<int> controlPriority) const
{
    Q_ASSERT_X(ptzCmd.size() == 16 && std::all_of(ptzCmd.begin(), ptzCmd.end(), [](char c) { return std::isxdigit(uchar(c)); }),
               "ManscdpBuilder::controlPtz", "PTZCmd must be 16 hex digits");
    XmlText xml;
    xml.envelope(MessageClass::Control, CmdType::DeviceControl, deviceId, sn);
    xml.element(u"PTZCmd", QString::fromLatin1(ptzCmd));
    if (controlPriority) {
        xml.open(u"Info");
        xml.element(u"ControlPriority", QString::number(*controlPriority));
        xml.close(u"Info");
    }
    return finish(m_encoding, xml, MessageClass::Control);
}

ManscdpBody ManscdpBuilder::controlTeleBoot(const GbId &deviceId, std::uint32_t sn) const
{
    XmlText xml;
    xml.envelope(MessageClass::Control, CmdType::DeviceControl, deviceId, sn);
    xml.element(u"TeleBoot", u"Boot");
    return finish(m_encoding, xml, MessageClass::Control);
}

ManscdpBody ManscdpBuilder::responseAlarm(const GbId &deviceId, std::uint32_t sn, ResultCode result) const
{
    XmlText xml;
    xml.envelope(MessageClass::Response, CmdType::Alarm, deviceId, sn);
    xml.optional(u"Result", resultText(result));
    return finish(m_encoding, xml, MessageClass::Response);
}

ManscdpBody ManscdpBuilder::notifyKeepalive(const GbId &deviceId, std::uint32_t sn, const KeepaliveNotify &keepalive) const
{
    XmlText xml;
    xml.envelope(MessageClass::Notify, CmdType::Keepalive, deviceId, sn);
    xml.optional(u"Status", resultText(keepalive.status));
    if (!keepalive.faultyDevices.isEmpty()) {
        xml.open(u"Info");
        for (const auto &faulty : keepalive.faultyDevices)
            xml.element(u"DeviceID", faulty.text());
        xml.close(u"Info");
    }
    return finish(m_encoding, xml, MessageClass::Notify);
}

QList<ManscdpBody> ManscdpBuilder::responseCatalog(const GbId &deviceId, std::uint32_t sn, const QList<CatalogItem> &items,
                                                   const CatalogSplit &split) const
{
    return catalog(MessageClass::Response, deviceId, sn, items, split);
}

QList<ManscdpBody> ManscdpBuilder::notifyCatalog(const GbId &deviceId, std::uint32_t sn, const QList<CatalogItem> &items,
                                                 const CatalogSplit &split) const
{
    return catalog(MessageClass::Notify, deviceId, sn, items, split);
}

QList<ManscdpBody> ManscdpBuilder::catalog(MessageClass messageClass, const GbId &deviceId, std::uint32_t sn,
                                           const QList<CatalogItem> &items, const CatalogSplit &split) const
{
    const QString root = QString::fromLatin1(messageClassName(messageClass));
    XmlText envelope;
    envelope.envelope(messageClass, CmdType::Catalog, deviceId, sn);
    envelope.element(u"SumNum", QString::number(items.size()));
    const QByteArray envelopeBytes = declaration(m_encoding) + encodeText(envelope.text(), m_encoding);
    auto header = [&](qsizetype num) -> QByteArray {
        if (num == 0)
            return envelopeBytes;
        return envelopeBytes + "<DeviceList Num=\"" + QByteArray::number(num) + "\">\r\n"; // ASCII in both encodings
    };
    const QByteArray footer = encodeText(QString(u"</DeviceList>\r\n</" + root + u">\r\n"), m_encoding);
    if (items.isEmpty())
        return {ManscdpBody{header(0) + encodeText(QString(u"</" + root + u">\r\n"), m_encoding)}};

    // Each item is encoded once; a body is header + items + footer, and both encodings are
    // stateless, so the bytes of the parts add up to the bytes of the whole.
    QList<QByteArray> encoded;
    encoded.reserve(items.size());
    for (const CatalogItem &item : items) {
        XmlText xml;
        writeCatalogItem(xml, item);
        encoded.append(encodeText(xml.text(), m_encoding));
    }

    const qsizetype maxItems = qMax(1, split.maxItemsPerMessage);
    QList<ManscdpBody> bodies;
    qsizetype first = 0;
    while (first < encoded.size()) {
        qsizetype count = 1;
        qsizetype itemBytes = encoded[first].size();
        while (first + count < encoded.size() && count < maxItems) {
            const qsizetype next = itemBytes + encoded[first + count].size();
            if (header(count + 1).size() + next + footer.size() > split.maxBodyBytes)
                break;
            itemBytes = next;
            ++count;
        }
        QByteArray bytes = header(count);
        bytes.reserve(bytes.size() + itemBytes + footer.size());
        for (qsizetype i = first; i < first + count; ++i)
            bytes += encoded[i];
        bytes += footer;
        bodies.append(ManscdpBody{std::move(bytes)});
        first += count;
    }
    return bodies;
}

ManscdpBody ManscdpBuilder::responseDeviceInfo(const GbId &deviceId, std::uint32_t sn, const DeviceInfoResponse &info) const
{
    XmlText xml;
    xml.envelope(MessageClass::Response, CmdType::DeviceInfo, deviceId, sn);
    xml.optional(u"DeviceName", info.deviceName);
    xml.optional(u"Result", resultText(info.result));
    xml.optional(u"Manufacturer", info.manufacturer);
    xml.optional(u"Model", info.model);
    xml.optional(u"Firmware", info.firmware);
    xml.optional(u"Channel", info.channel);
    xml.optional(u"MaxCamera", info.maxCamera);
    xml.optional(u"MaxAlarm", info.maxAlarm);
    if (!info.info.isEmpty()) {
        xml.open(u"Info");
        for (const InfoField &field : info.info) {
            if (isXmlName(field.name))
                xml.element(field.name, field.value);
        }
        xml.close(u"Info");
    }
    return finish(m_encoding, xml, MessageClass::Response);
}

ManscdpBody ManscdpBuilder::responseDeviceStatus(const GbId &deviceId, std::uint32_t sn, const DeviceStatusResponse &status) const
{
    XmlText xml;
    xml.envelope(MessageClass::Response, CmdType::DeviceStatus, deviceId, sn);
    xml.optional(u"Result", resultText(status.result));
    xml.optional(u"Online", onOffText(status.online, u"ONLINE", u"OFFLINE"));
    xml.optional(u"Status", resultText(status.status));
    xml.optional(u"Reason", status.reason);
    xml.optional(u"Encode", onOffText(status.encode, u"ON", u"OFF"));
    xml.optional(u"Record", onOffText(status.record, u"ON", u"OFF"));
    xml.optional(u"DeviceTime", status.deviceTime);
    if (!status.alarmStatus.isEmpty()) {
        xml.open(u"Alarmstatus", status.alarmStatus.size());
        for (const AlarmStatusItem &item : status.alarmStatus) {
            xml.open(u"Item");
            xml.element(u"DeviceID", item.deviceId.text());
            xml.optional(u"DutyStatus", dutyText(item.dutyStatus));
            xml.close(u"Item");
        }
        xml.close(u"Alarmstatus");
    }
    return finish(m_encoding, xml, MessageClass::Response);
}

ManscdpBody ManscdpBuilder::notifyAlarm(const GbId &deviceId, std::uint32_t sn, const AlarmNotify &alarm) const
{
    XmlText xml;
    xml.envelope(MessageClass::Notify, CmdType::Alarm, deviceId, sn);
    xml.optional(u"AlarmPriority", alarm.priority);
    xml.optional(u"AlarmMethod", alarm.method);
    xml.optional(u"AlarmTime", alarm.time);
    xml.optional(u"AlarmDescription", alarm.description);
    xml.optional(u"Longitude", alarm.longitude);
    xml.optional(u"Latitude", alarm.latitude);
    if (alarm.alarmType || alarm.eventType) {
        xml.open(u"Info");
        xml.optional(u"AlarmType", alarm.alarmType);
        if (alarm.eventType) {
            xml.open(u"AlarmTypeParam");
            xml.optional(u"EventType", alarm.eventType);
            xml.close(u"AlarmTypeParam");
        }
        xml.close(u"Info");
    }
    return finish(m_encoding, xml, MessageClass::Notify);
}

ManscdpBody ManscdpBuilder::notifyMediaStatus(const GbId &deviceId, std::uint32_t sn, int notifyType) const
{
    XmlText xml;
    xml.envelope(MessageClass::Notify, CmdType::MediaStatus, deviceId, sn);
    xml.element(u"NotifyType", QString::number(notifyType));
    return finish(m_encoding, xml, MessageClass::Notify);
}

} // namespace Vigil::Gb
