#include "device.h"

namespace Vigil::Devices {

QLatin1StringView mediaTransportKey(MediaTransport transport) noexcept
{
    switch (transport) {
    case MediaTransport::Udp: return QLatin1StringView("udp");
    case MediaTransport::TcpPassive: return QLatin1StringView("tcp-passive");
    case MediaTransport::TcpActive: return QLatin1StringView("tcp-active");
    }
    return QLatin1StringView("udp");
}

std::optional<MediaTransport> mediaTransportFromKey(QStringView key) noexcept
{
    for (const MediaTransport transport : {MediaTransport::Udp, MediaTransport::TcpPassive, MediaTransport::TcpActive}) {
        if (key == mediaTransportKey(transport))
            return transport;
    }
    return std::nullopt;
}

QLatin1StringView streamProfileKey(StreamProfile profile) noexcept
{
    return profile == StreamProfile::Sub ? QLatin1StringView("sub") : QLatin1StringView("main");
}

std::optional<StreamProfile> streamProfileFromKey(QStringView key) noexcept
{
    for (const StreamProfile profile : {StreamProfile::Main, StreamProfile::Sub}) {
        if (key == streamProfileKey(profile))
            return profile;
    }
    return std::nullopt;
}

ChannelKind Channel::kindOf(QStringView id) noexcept
{
    if (id.size() >= 2 && id.size() <= 8 && id.size() % 2 == 0) {
        for (QChar c : id) {
            if (!c.isDigit())
                return ChannelKind::Other;
        }
        return ChannelKind::Region;
    }
    if (id.size() != GbId::kLength)
        return ChannelKind::Other;
    const int type = id.mid(10, 3).toInt();
    switch (type) {
    case 134: return ChannelKind::AlarmInput;
    case 135: return ChannelKind::AlarmOutput;
    case 136: case 137: return ChannelKind::Audio;
    case 215: return ChannelKind::BusinessGroup;
    case 216: return ChannelKind::VirtualOrganization;
    default: break;
    }
    switch (gbRoleOf(type)) {
    case GbRole::FrontEndPeripheral: return ChannelKind::Video;
    case GbRole::FrontEndDevice:
        // An encoder or DVR listed as a channel of a platform is still something to open.
        return type == 111 || type == 118 || type == 130 ? ChannelKind::Device : ChannelKind::Video;
    case GbRole::Platform: return ChannelKind::Device;
    default: return ChannelKind::Other;
    }
}

QString Device::offlineReasonText(OfflineReason reason, int keepaliveCount)
{
    switch (reason) {
    case OfflineReason::None: return tr("Online");
    case OfflineReason::NeverRegistered: return tr("Not registered since Vigil started");
    case OfflineReason::KeepalivesMissed: return tr("%1 keepalives missed").arg(keepaliveCount);
    case OfflineReason::RegistrationExpired: return tr("Registration expired");
    case OfflineReason::Unregistered: return tr("Unregistered");
    case OfflineReason::TcpConnectionClosed: return tr("TCP connection closed");
    }
    return {};
}

} // namespace Vigil::Devices
