#pragma once

#include "manscdp.h"

#include <QByteArray>
#include <QList>

#include <cstdint>
#include <optional>

namespace Vigil::Gb {

/// A body ready to go out in a MESSAGE or NOTIFY, and the Content-Type to send it with.
struct ManscdpBody {
    QByteArray bytes;
    static constexpr QByteArrayView contentType() noexcept { return kManscdpContentType; }
};

/// How a catalog answer is split over several messages (2016 Annex N): every message repeats
/// the SN and the total SumNum, and DeviceList Num counts its own items.
struct CatalogSplit {
    int maxItemsPerMessage = 100;
    /// Each body stays within this many bytes when its items allow (1300 is RFC 3428's guidance
    /// for MESSAGE over UDP); an item too large on its own still goes, alone.
    qsizetype maxBodyBytes = 1300;
};

/// Writes MANSCDP bodies: the requests Vigil sends and, for the device simulator, what devices
/// send. Text is XML-escaped and characters XML cannot carry are dropped. Bodies use CRLF line
/// ends and declare the encoding they are written in: GB18030 bytes are declared "GB2312" (what
/// devices expect; the bytes of every GB 2312 character are the same), UTF-8 as "UTF-8".
/// Optional fields that are empty are left out. Cheap to copy; safe to use from any thread.
class ManscdpBuilder {
public:
    explicit ManscdpBuilder(TextEncoding encoding = TextEncoding::Gb18030) : m_encoding(encoding) {}

    TextEncoding encoding() const noexcept { return m_encoding; }

    // What Vigil sends to devices. `deviceId` is the device, or the channel a command is for.
    ManscdpBody queryCatalog(const GbId &deviceId, std::uint32_t sn) const;
    ManscdpBody queryDeviceInfo(const GbId &deviceId, std::uint32_t sn) const;
    ManscdpBody queryDeviceStatus(const GbId &deviceId, std::uint32_t sn) const;
    /// Control/DeviceControl with an already encoded PTZCmd (16 hex digits, 2016 A.3).
    ManscdpBody controlPtz(const GbId &deviceId, std::uint32_t sn, QByteArrayView ptzCmd,
                           std::optional<int> controlPriority = std::nullopt) const;
    /// Control/DeviceControl TeleBoot: remote reboot.
    ManscdpBody controlTeleBoot(const GbId &deviceId, std::uint32_t sn) const;
    /// The business answer to a device's Alarm notify, sent as a MESSAGE of its own with the
    /// notify's SN and DeviceID (2016 9.4).
    ManscdpBody responseAlarm(const GbId &deviceId, std::uint32_t sn, ResultCode result = ResultCode::Ok) const;

    // What devices send (used by the simulator).
    ManscdpBody notifyKeepalive(const GbId &deviceId, std::uint32_t sn,
                                const KeepaliveNotify &keepalive = KeepaliveNotify{ResultCode::Ok, {}}) const;
    /// The answer to a catalog query: at least one body (an empty catalog is SumNum 0 and no list).
    QList<ManscdpBody> responseCatalog(const GbId &deviceId, std::uint32_t sn, const QList<CatalogItem> &items,
                                       const CatalogSplit &split = {}) const;
    /// A catalog NOTIFY of a subscription; the items carry their Event.
    QList<ManscdpBody> notifyCatalog(const GbId &deviceId, std::uint32_t sn, const QList<CatalogItem> &items,
                                     const CatalogSplit &split = {}) const;
    ManscdpBody responseDeviceInfo(const GbId &deviceId, std::uint32_t sn, const DeviceInfoResponse &info) const;
    ManscdpBody responseDeviceStatus(const GbId &deviceId, std::uint32_t sn, const DeviceStatusResponse &status) const;
    ManscdpBody notifyAlarm(const GbId &deviceId, std::uint32_t sn, const AlarmNotify &alarm) const;
    ManscdpBody notifyMediaStatus(const GbId &deviceId, std::uint32_t sn,
                                  int notifyType = MediaStatusNotify::kEndOfFile) const;

private:
    QList<ManscdpBody> catalog(MessageClass messageClass, const GbId &deviceId, std::uint32_t sn,
                               const QList<CatalogItem> &items, const CatalogSplit &split) const;

    TextEncoding m_encoding;
};

} // namespace Vigil::Gb
