#pragma once

#include "result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QHashFunctions>
#include <QString>
#include <QStringView>

#include <array>
#include <compare>
#include <cstddef>
#include <functional>

namespace Vigil {

/// The type code in digits 11-13 of a GB/T 28181 ID (2016 Annex D, 2022 additions).
/// Codes not listed here are still valid IDs; type() reports them as Unknown.
enum class GbType : int {
    Unknown = 0,
    Dvr = 111,
    VideoServer = 112,
    Encoder = 113,
    Decoder = 114,
    VideoSwitchMatrix = 115,
    AudioSwitchMatrix = 116,
    AlarmController = 117,
    Nvr = 118,
    VideoCheckpoint = 121,
    MultiLensDevice = 122,
    Hvr = 130,
    Camera = 131,
    Ipc = 132,
    Display = 133,
    AlarmInput = 134,
    AlarmOutput = 135,
    VoiceInput = 136,
    VoiceOutput = 137,
    MobileTransmission = 138,
    OtherPeripheral = 139,
    CenterServer = 200,
    WebServer = 201,
    MediaDistributionServer = 202,
    ProxyServer = 203,
    SecurityServer = 204,
    AlarmServer = 205,
    DatabaseServer = 206,
    GisServer = 207,
    ManagementServer = 208,
    AccessGateway = 209,
    MediaStorageServer = 210,
    SignallingSecurityGateway = 211,
    BusinessGroup = 215,
    VirtualOrganization = 216,
    CenterUser = 300,
    TerminalUser = 400,
};

/// What role a type code plays in a GB/T 28181 network.
enum class GbRole {
    Unknown,
    FrontEndDevice,      ///< 111-130: DVR, NVR, encoder... (registers, owns channels)
    FrontEndPeripheral,  ///< 131-199: cameras, IPCs, alarm inputs... (channels; an IPC also registers)
    Platform,            ///< 200-214: SIP servers and other platform components
    CatalogGroup,        ///< 215/216: business groups and virtual organisations in a catalog
    User,                ///< 300-399 and 400-499
};

/// A 20-digit GB/T 28181 code (coding rule A):
///
///     3402 0000 | 00 | 132 | 0 | 000001
///     center(8)  industry(2) type(3) network(1) serial(6)
///
/// The first 10 digits are the SIP domain. A default-constructed GbId is null.
/// Stored as 20 ASCII digits; cheap to copy, compare and hash.
class GbId {
    Q_DECLARE_TR_FUNCTIONS(Vigil::GbId)

public:
    static constexpr qsizetype kLength = 20;

    GbId() = default;

    /// Parses a 20-digit ID. Surrounding ASCII whitespace is ignored; anything else that is not
    /// exactly 20 ASCII digits is an error whose message quotes the input.
    static Result<GbId> parse(QStringView text);
    static Result<GbId> parse(QByteArrayView text);

    /// True when `text` is exactly 20 ASCII digits (no trimming). Allocation-free.
    static bool isWellFormed(QByteArrayView text) noexcept;

    bool isNull() const noexcept { return m_digits[0] == '\0'; }

    QString toString() const;
    QByteArray toByteArray() const;
    /// The 20 digits, or an empty view for a null ID. Valid as long as this GbId lives.
    QByteArrayView view() const noexcept;

    /// Digits 11-13 as a number (for example 132), or 0 for a null ID.
    int typeCode() const noexcept;
    GbType type() const noexcept;
    GbRole role() const noexcept;
    /// The first 10 digits: center code and industry code, used as SIP domain and realm.
    QString domain() const;
    /// Digits 1-8: the administrative-region based center code.
    QString centerCode() const;
    /// Digits 9-10.
    int industryCode() const noexcept;
    /// Digit 14.
    int networkCode() const noexcept;
    /// Digits 15-20.
    int serial() const noexcept;

    /// Human-readable, translated name of a type ("NVR", "IPC", "Business group"...).
    static QString typeName(GbType type);

    friend bool operator==(const GbId &, const GbId &) = default;
    friend std::strong_ordering operator<=>(const GbId &a, const GbId &b) noexcept
    {
        for (std::size_t i = 0; i < a.m_digits.size(); ++i) {
            if (auto c = a.m_digits[i] <=> b.m_digits[i]; c != 0)
                return c;
        }
        return std::strong_ordering::equal;
    }

    friend size_t qHash(const GbId &id, size_t seed = 0) noexcept
    {
        return qHashBits(id.m_digits.data(), id.m_digits.size(), seed);
    }

protected:
    std::array<char, kLength> m_digits{};
};

/// The role a numeric type code plays; works for codes not listed in GbType.
GbRole gbRoleOf(int typeCode) noexcept;

/// A GbId that names a device registered to us (an IPC, NVR, DVR or lower platform).
/// A distinct type so that device and channel IDs cannot be mixed up by accident.
class DeviceId : public GbId {
public:
    DeviceId() = default;
    explicit DeviceId(const GbId &id) : GbId(id) {}
    static Result<DeviceId> parse(QStringView text);
    static Result<DeviceId> parse(QByteArrayView text);
};

/// A GbId that names a channel of a device (a camera, alarm input...), or a catalog group.
class ChannelId : public GbId {
public:
    ChannelId() = default;
    explicit ChannelId(const GbId &id) : GbId(id) {}
    static Result<ChannelId> parse(QStringView text);
    static Result<ChannelId> parse(QByteArrayView text);
};

} // namespace Vigil

template <>
struct std::hash<Vigil::GbId> {
    size_t operator()(const Vigil::GbId &id) const noexcept { return qHash(id); }
};
template <>
struct std::hash<Vigil::DeviceId> {
    size_t operator()(const Vigil::DeviceId &id) const noexcept { return qHash(id); }
};
template <>
struct std::hash<Vigil::ChannelId> {
    size_t operator()(const Vigil::ChannelId &id) const noexcept { return qHash(id); }
};
