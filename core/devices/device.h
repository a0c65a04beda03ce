#pragma once

#include "common/charset.h"
#include "common/gbid.h"
#include "sip/peer.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringView>

#include <cstdint>
#include <optional>

namespace Vigil::Devices {

/// Why a device is offline. Recorded with every transition so that operators see the cause.
enum class OfflineReason : std::uint8_t {
    None,                ///< online
    NeverRegistered,     ///< added by hand or restored, not heard from since
    KeepalivesMissed,    ///< silent for keepalive interval × count and a probe went unanswered
    RegistrationExpired, ///< its REGISTER was not refreshed in time
    Unregistered,        ///< it sent REGISTER with Expires: 0
    TcpConnectionClosed, ///< its SIP TCP connection dropped
};

/// How a device sends RTP to us (GB/T 28181 2016 Annex L).
enum class MediaTransport : std::uint8_t {
    Udp,
    TcpPassive, ///< we listen, the device connects
    TcpActive,  ///< the device listens, we connect
};

/// "udp", "tcp-passive", "tcp-active": how settings files and the HTTP API spell a transport.
QLatin1StringView mediaTransportKey(MediaTransport transport) noexcept;
/// The transport a key names; empty for anything else (case matters, as in the files).
std::optional<MediaTransport> mediaTransportFromKey(QStringView key) noexcept;

/// Which of a camera's encoder streams to ask for.
enum class StreamProfile : std::uint8_t { Main, Sub };

/// "main", "sub": how the HTTP API spells a profile.
QLatin1StringView streamProfileKey(StreamProfile profile) noexcept;
std::optional<StreamProfile> streamProfileFromKey(QStringView key) noexcept;

/// How an INVITE asks for the sub stream: one extra SDP attribute, which vendors spell
/// differently (gb28181.md §6). The main stream is asked for with no attribute at all.
enum class SubStreamAttribute : std::uint8_t {
    StreamNumber,  ///< a=streamnumber:1 (GB/T 28181-2022; Hikvision and most newer devices)
    StreamProfile, ///< a=streamprofile:1 (Dahua)
    Stream,        ///< a=stream:1
    StreamMode,    ///< a=streamMode:SUB (Mercury, TP-LINK)
};

/// Per-device settings an operator or installer changes; persisted.
struct DeviceSettings {
    QString password; ///< empty: the global SIP password applies
    CharsetOverride charset = CharsetOverride::Auto; ///< how its MANSCDP bodies are decoded
    MediaTransport mediaTransport = MediaTransport::Udp;
    StreamProfile streamProfile = StreamProfile::Main;
    SubStreamAttribute subStreamAttribute = SubStreamAttribute::StreamNumber;

    friend bool operator==(const DeviceSettings &, const DeviceSettings &) = default;
};

/// What a catalog entry is, from its ID: a channel we can open, or a node of the tree.
enum class ChannelKind : std::uint8_t {
    Video,               ///< camera, IPC, encoder channel (types 131/132 and most others)
    AlarmInput,          ///< 134
    AlarmOutput,         ///< 135
    Audio,               ///< 136/137
    Region,              ///< 2-8 digit civil code
    BusinessGroup,       ///< 215
    VirtualOrganization, ///< 216
    Device,              ///< a front-end device or platform listed in a platform's catalog
    Other,
};

/// One catalog entry of a device: a video channel, an alarm input, or a tree node (region,
/// business group, virtual organisation). Value type; a snapshot of the registry's state.
struct Channel {
    QString id; ///< 20-digit code, or a 2-8 digit civil code for region nodes
    QString name;
    ChannelKind kind = ChannelKind::Video;
    QString manufacturer;
    QString model;
    QString owner;
    QString civilCode;
    QString block;
    QString address;
    QString parentId;        ///< first parent; empty or the device's own ID for top-level entries
    QString businessGroupId;
    bool parental = false;   ///< has children
    bool online = true;      ///< catalog Status ON (missing counts as ON)
    int ptzType = 0;         ///< 0 unknown, 1 dome, 2 half-dome, 3 fixed bullet, 4 remote bullet...
    std::optional<double> longitude;
    std::optional<double> latitude;
    QString ipAddress;
    int port = 0;

    /// The kind of an entry from its ID (type code, or civil code when it has 2-8 digits).
    static ChannelKind kindOf(QStringView id) noexcept;

    friend bool operator==(const Channel &, const Channel &) = default;
};

/// A registered (or known) device: camera, NVR, DVR or lower platform. Value type; a snapshot
/// of the registry's state, safe to pass between threads.
struct Device {
    Q_DECLARE_TR_FUNCTIONS(Vigil::Devices::Device)

public:
    DeviceId id;
    QString name;         ///< DeviceInfo DeviceName, or empty until known
    QString manufacturer;
    QString model;
    QString firmware;
    int reportedChannelCount = 0; ///< DeviceInfo Channel
    QString userAgent;
    QString gbVersion;    ///< X-GB-Ver of its REGISTER ("2.0", "3.0"), empty when not sent

    bool online = false;
    OfflineReason offlineReason = OfflineReason::NeverRegistered;
    QDateTime lastSeen;               ///< last inbound message (UTC)
    QDateTime registeredAt;           ///< last successful REGISTER (UTC)
    QDateTime registrationExpiresAt;  ///< when that registration lapses (UTC)
    QDateTime catalogSyncedAt;        ///< last completed catalog sync (UTC)
    Sip::Peer route;                  ///< where its traffic comes from: all requests go there
    QString registrationCallId;       ///< Call-ID of its current registration (a new one = reboot)
    int channelCount = 0;             ///< entries in its current catalog

    DeviceSettings settings;

    /// The name to show: DeviceInfo name, else the ID.
    QString displayName() const { return name.isEmpty() ? id.toString() : name; }
    /// Translated text for an offline reason, e.g. "3 keepalives missed".
    static QString offlineReasonText(OfflineReason reason, int keepaliveCount = 3);
};

} // namespace Vigil::Devices
