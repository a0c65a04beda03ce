#pragma once

#include "common/charset.h"
#include "common/gbid.h"
#include "common/result.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <variant>

// MANSCDP: the XML bodies of GB/T 28181 MESSAGE, SUBSCRIBE and NOTIFY requests (2016 section 9,
// Annex A). Value types for what Vigil reads and writes, and ManscdpMessage::parse(), which
// turns the bytes devices really send into them (see manscdpbuilder.h for the other direction).

namespace Vigil::Gb {

/// The Content-Type of MANSCDP bodies. Compare received values case-insensitively.
inline constexpr QByteArrayView kManscdpContentType("Application/MANSCDP+xml");

/// The root element of a body.
enum class MessageClass : std::uint8_t { Query, Control, Notify, Response };

/// The CmdType values Vigil knows; anything else is Other (Envelope::cmdTypeText has it).
enum class CmdType : std::uint8_t {
    Other,
    Keepalive,
    Catalog,
    DeviceInfo,
    DeviceStatus,
    DeviceControl,
    DeviceConfig,
    Alarm,
    MediaStatus,
    RecordInfo,
    MobilePosition,
    ConfigDownload,
    PresetQuery,
    Broadcast,
};

/// Canonical spelling ("Response", "Catalog"); an empty view for CmdType::Other.
QByteArrayView messageClassName(MessageClass messageClass) noexcept;
QByteArrayView cmdTypeName(CmdType cmdType) noexcept;
/// Case-insensitive, surrounding whitespace ignored.
std::optional<MessageClass> messageClassFromName(QByteArrayView name) noexcept;
CmdType cmdTypeFromName(QByteArrayView name) noexcept;

/// An ID field as a device sent it: the trimmed text, and the parsed ID when the text is a
/// well-formed 20-digit code. Malformed IDs (and civil codes in catalogs) are kept as text,
/// so one odd field never costs the whole message.
template <typename Id>
class WireId {
public:
    WireId() = default;
    /// The text of a well-formed ID.
    WireId(const Id &id) : m_text(id.toString()), m_id(id) {} // NOLINT(google-explicit-constructor)
    static WireId fromText(QStringView text)
    {
        WireId wire;
        wire.m_text = text.trimmed().toString();
        if (wire.m_text.size() == GbId::kLength) {
            if (auto id = Id::parse(QStringView(wire.m_text)))
                wire.m_id = *id;
        }
        return wire;
    }

    const QString &text() const noexcept { return m_text; }
    /// The parsed ID; null unless isWellFormed().
    const Id &id() const noexcept { return m_id; }
    bool isWellFormed() const noexcept { return !m_id.isNull(); }
    bool isEmpty() const noexcept { return m_text.isEmpty(); }

    friend bool operator==(const WireId &a, const WireId &b) { return a.m_text == b.m_text; }

private:
    QString m_text;
    Id m_id;
};

/// The header every body carries.
struct Envelope {
    MessageClass messageClass = MessageClass::Notify;
    CmdType cmdType = CmdType::Other;
    QString cmdTypeText;  ///< as sent, trimmed
    std::uint32_t sn = 0; ///< 0 when missing or malformed (requesters use positive numbers)
    WireId<DeviceId> deviceId;

    friend bool operator==(const Envelope &, const Envelope &) = default;
};

/// OK/ERROR fields (`Result`, keepalive and device `Status`).
enum class ResultCode : std::uint8_t { Missing, Ok, Error, Unknown };
/// ON/OFF fields (`Encode`, `Record`; `Online` ONLINE/OFFLINE).
enum class OnOff : std::uint8_t { Missing, On, Off, Unknown };

/// One child of an `Info` element, as sent.
struct InfoField {
    QString name;
    QString value; ///< trimmed text; empty for elements that have children instead

    friend bool operator==(const InfoField &, const InfoField &) = default;
};

/// Notify/Keepalive (2016 9.6.1).
struct KeepaliveNotify {
    ResultCode status = ResultCode::Missing;
    /// Sub-devices the device reports as faulty (`Info/DeviceID`).
    QList<WireId<ChannelId>> faultyDevices;

    friend bool operator==(const KeepaliveNotify &, const KeepaliveNotify &) = default;
};

/// A catalog item's `Status`. Devices send ON/OFF, ONLINE/OFFLINE or OK, in any case.
enum class CatalogStatus : std::uint8_t {
    Missing, ///< not sent: treat as on (the usual reading of the standard)
    On,
    Off,
    Unknown, ///< sent, but none of the known values
};

/// The `Event` of an item in a catalog NOTIFY (2016 9.9 subscriptions).
enum class CatalogEvent : std::uint8_t { None, On, Off, VideoLost, Defect, Add, Delete, Update, Unknown };

/// What a catalog item stands for, from the form of its DeviceID.
enum class CatalogNodeKind : std::uint8_t {
    Device,              ///< a 20-digit ID other than 215/216: a channel, device or platform
    CivilCode,           ///< a 2-12 digit administrative-region code
    BusinessGroup,       ///< type 215
    VirtualOrganization, ///< type 216
    Unknown,             ///< anything else
};

/// One `Item` of a catalog response or NOTIFY (2016 A.2.4 itemType). Text fields are trimmed
/// and empty when absent; numeric fields are empty when absent or malformed.
struct CatalogItem {
    WireId<ChannelId> deviceId; ///< a 20-digit ID, or a civil code for region nodes
    QString name;
    QString manufacturer;
    QString model;
    QString owner;
    QString civilCode;
    QString block;
    QString address;
    std::optional<bool> parental; ///< has children
    QStringList parentIds;        ///< 2022 allows several, separated by '/'
    std::optional<int> safetyWay;
    std::optional<int> registerWay;
    QString certNum;
    std::optional<int> certifiable;
    std::optional<int> errCode;
    QString endTime;
    std::optional<int> secrecy;
    QString ipAddress;
    std::optional<std::uint16_t> port;
    QString password;
    CatalogStatus status = CatalogStatus::Missing;
    std::optional<double> longitude; ///< degrees
    std::optional<double> latitude;  ///< degrees
    QString businessGroupId;         ///< from the item or its Info
    // Info (2011-era devices put PTZType directly in the item; both are read)
    std::optional<int> ptzType; ///< 1 dome, 2 half-dome, 3 fixed bullet, 4 remote-control bullet (2022: 5-7)
    std::optional<int> positionType;
    std::optional<int> roomType;
    std::optional<int> useType;
    std::optional<int> supplyLightType;
    std::optional<int> directionType;
    QString resolution;    ///< '/'-separated f-field codes
    QString downloadSpeed; ///< '/'-separated multipliers
    std::optional<int> svcSpaceSupportMode;
    std::optional<int> svcTimeSupportMode;
    QList<InfoField> otherInfo; ///< the rest of Info, in order
    CatalogEvent event = CatalogEvent::None;

    CatalogNodeKind kind() const noexcept;
    /// False only for an explicit OFF/OFFLINE; a missing status counts as on.
    bool isOnline() const noexcept { return status != CatalogStatus::Off; }

    friend bool operator==(const CatalogItem &, const CatalogItem &) = default;
};

/// Response/Catalog or Notify/Catalog: one message of a possibly multi-message answer.
struct CatalogList {
    std::optional<int> sumNum; ///< items in the whole answer
    std::optional<int> listNum; ///< the `Num` attribute of DeviceList; devices get it wrong
    QList<CatalogItem> items;   ///< every item with a DeviceID, in order
    int skippedItems = 0;       ///< items dropped for lack of a DeviceID
    ResultCode result = ResultCode::Missing; ///< answers to a SUBSCRIBE carry only this

    friend bool operator==(const CatalogList &, const CatalogList &) = default;
};

/// Response/DeviceInfo (2016 A.2.6).
struct DeviceInfoResponse {
    ResultCode result = ResultCode::Missing;
    QString deviceName;
    QString manufacturer;
    QString model;
    QString firmware;
    std::optional<int> channel; ///< number of video channels
    std::optional<int> maxCamera;
    std::optional<int> maxAlarm;
    QList<InfoField> info;

    friend bool operator==(const DeviceInfoResponse &, const DeviceInfoResponse &) = default;
};

/// `DutyStatus` of an alarm input in a DeviceStatus response.
enum class DutyStatus : std::uint8_t { Missing, OnDuty, OffDuty, Alarm, Unknown };

struct AlarmStatusItem {
    WireId<ChannelId> deviceId;
    DutyStatus dutyStatus = DutyStatus::Missing;

    friend bool operator==(const AlarmStatusItem &, const AlarmStatusItem &) = default;
};

/// Response/DeviceStatus (2016 A.2.6).
struct DeviceStatusResponse {
    ResultCode result = ResultCode::Missing;
    OnOff online = OnOff::Missing; ///< ONLINE/OFFLINE
    ResultCode status = ResultCode::Missing;
    QString reason;
    OnOff encode = OnOff::Missing;
    OnOff record = OnOff::Missing;
    QString deviceTime; ///< as sent; see parseDeviceTime()
    QList<AlarmStatusItem> alarmStatus;

    friend bool operator==(const DeviceStatusResponse &, const DeviceStatusResponse &) = default;
};

/// Notify/Alarm (2016 9.4). Every field may be missing.
struct AlarmNotify {
    std::optional<int> priority; ///< 1 (most severe) to 4
    QString method;              ///< digits 1-7, possibly several ("12": phone and device)
    QString time;                ///< as sent; see parseDeviceTime()
    QString description;
    std::optional<int> alarmType; ///< Info/AlarmType, or AlarmType under the root
    std::optional<int> eventType; ///< Info/AlarmTypeParam/EventType
    std::optional<double> longitude;
    std::optional<double> latitude;

    /// The alarm methods as numbers (each digit of `method`).
    QList<int> methods() const;

    friend bool operator==(const AlarmNotify &, const AlarmNotify &) = default;
};

/// Notify/MediaStatus (2016 9.7.5): sent when a playback or download has reached its end.
struct MediaStatusNotify {
    static constexpr int kEndOfFile = 121;
    std::optional<int> notifyType;

    friend bool operator==(const MediaStatusNotify &, const MediaStatusNotify &) = default;
};

/// Control/DeviceControl (2016 A.2.3): what a device (or the simulator) is asked to do.
/// Only the commands present are non-empty.
struct DeviceControlRequest {
    QString ptzCmd; ///< 16 hex digits (8 bytes, 2016 A.3)
    std::optional<int> controlPriority;
    QString teleBoot; ///< "Boot"
    QString recordCmd;
    QString guardCmd;
    QString alarmCmd;
    QString iFrameCmd; ///< `IFameCmd` (the schema's spelling) or `IFrameCmd`

    friend bool operator==(const DeviceControlRequest &, const DeviceControlRequest &) = default;
};

/// A Response that carries only a Result (DeviceControl, DeviceConfig, Alarm...).
struct ResultResponse {
    ResultCode result = ResultCode::Missing;
    QString reason;

    friend bool operator==(const ResultResponse &, const ResultResponse &) = default;
};

/// What a body holds beyond its envelope; std::monostate for queries and for root/CmdType
/// pairs Vigil does not read further.
using ManscdpPayload = std::variant<std::monostate, KeepaliveNotify, CatalogList, DeviceInfoResponse,
                                    DeviceStatusResponse, AlarmNotify, MediaStatusNotify,
                                    DeviceControlRequest, ResultResponse>;

/// A parsed MANSCDP body.
///
/// parse() accepts what devices really send: any of GB2312/GBK/GB18030/UTF-8 whatever the
/// declaration says (see decodeText()), a BOM, trailing NULs or garbage after the root, no XML
/// declaration, element names in any case, padded text, empty elements, numbers written
/// " 17 " or "1.0", bare '&' and stray '<' in text, unquoted attributes and mismatched end
/// tags (the XML is repaired and parsed again when it is not well-formed). Text loses the
/// characters XML 1.0 cannot carry and surrounding whitespace. Fields that are
/// malformed are left empty and counted; catalog items without a DeviceID are skipped and
/// counted; the message fails only when it has no MANSCDP root or no CmdType.
/// Work is linear in the input, which is limited to kMaxBodySize (what one SIP message can carry).
struct ManscdpMessage {
    static constexpr qsizetype kMaxBodySize = 65535;

    Envelope envelope;
    ManscdpPayload payload;
    CharsetDecision charset;
    bool xmlRepaired = false; ///< the body was not well-formed XML and needed repair
    int ignoredFields = 0;    ///< fields present but malformed, left empty
    QStringList notes;        ///< what was tolerated or dropped, for logs (English; at most kMaxNotes)

    static constexpr qsizetype kMaxNotes = 16;

    template <typename T>
    const T *get() const noexcept
    {
        return std::get_if<T>(&payload);
    }

    friend bool operator==(const ManscdpMessage &, const ManscdpMessage &) = default;

    static Result<ManscdpMessage> parse(QByteArrayView body, CharsetOverride override = CharsetOverride::Auto);
};

/// Reads a device timestamp: local time `YYYY-MM-DDTHH:MM:SS`, leniently (a space instead of
/// 'T', fractional seconds, a trailing 'Z' or offset are accepted and the zone is ignored, as
/// devices mean their local clock). An invalid QDateTime when it cannot be read.
QDateTime parseDeviceTime(QStringView text);

/// Writes a timestamp the way devices expect: `YYYY-MM-DDTHH:MM:SS`, no zone.
QString formatDeviceTime(const QDateTime &time);

} // namespace Vigil::Gb
