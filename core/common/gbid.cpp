#include "gbid.h"

#include <algorithm>
#include <cstring>

namespace Vigil {

namespace {

bool isAsciiSpace(char c) noexcept
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool isDigit(char c) noexcept
{
    return c >= '0' && c <= '9';
}

int digitsToInt(const char *p, int count) noexcept
{
    int v = 0;
    for (int i = 0; i < count; ++i)
        v = v * 10 + (p[i] - '0');
    return v;
}

QString quoted(QStringView text)
{
    constexpr qsizetype kMaxShown = 40;
    if (text.size() > kMaxShown)
        return u'"' + text.left(kMaxShown).toString() + u"…\"";
    return u'"' + text.toString() + u'"';
}

} // namespace

bool GbId::isWellFormed(QByteArrayView text) noexcept
{
    return text.size() == kLength && std::all_of(text.begin(), text.end(), isDigit);
}

Result<GbId> GbId::parse(QByteArrayView text)
{
    while (!text.isEmpty() && isAsciiSpace(text.front()))
        text = text.sliced(1);
    while (!text.isEmpty() && isAsciiSpace(text.back()))
        text.chop(1);
    if (!isWellFormed(text))
        return parse(QString::fromUtf8(text)); // the slow path only builds the error message
    GbId id;
    std::memcpy(id.m_digits.data(), text.data(), kLength);
    return id;
}

Result<GbId> GbId::parse(QStringView text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return fail(ErrorCode::InvalidArgument, tr("The GB/T 28181 ID is empty; it must have 20 digits."));
    if (text.size() != kLength)
        return fail(ErrorCode::InvalidArgument,
                    tr("%1 is not a GB/T 28181 ID: it has %2 characters; an ID has 20 digits.")
                        .arg(quoted(text))
                        .arg(text.size()));
    GbId id;
    for (qsizetype i = 0; i < kLength; ++i) {
        const QChar c = text[i];
        if (c.unicode() < u'0' || c.unicode() > u'9')
            return fail(ErrorCode::InvalidArgument,
                        tr("%1 is not a GB/T 28181 ID: character %2 is not a digit 0-9.")
                            .arg(quoted(text))
                            .arg(i + 1));
        id.m_digits[std::size_t(i)] = char(c.unicode());
    }
    return id;
}

QString GbId::toString() const
{
    return isNull() ? QString() : QString::fromLatin1(m_digits.data(), kLength);
}

QByteArray GbId::toByteArray() const
{
    return isNull() ? QByteArray() : QByteArray(m_digits.data(), kLength);
}

QByteArrayView GbId::view() const noexcept
{
    return isNull() ? QByteArrayView() : QByteArrayView(m_digits.data(), kLength);
}

int GbId::typeCode() const noexcept
{
    return isNull() ? 0 : digitsToInt(m_digits.data() + 10, 3);
}

GbType GbId::type() const noexcept
{
    switch (const int code = typeCode()) {
    case 111: case 112: case 113: case 114: case 115: case 116: case 117: case 118:
    case 121: case 122: case 130:
    case 131: case 132: case 133: case 134: case 135: case 136: case 137: case 138: case 139:
    case 200: case 201: case 202: case 203: case 204: case 205: case 206: case 207: case 208:
    case 209: case 210: case 211:
    case 215: case 216: case 300: case 400:
        return GbType(code);
    default:
        return GbType::Unknown;
    }
}

GbRole GbId::role() const noexcept
{
    return gbRoleOf(typeCode());
}

GbRole gbRoleOf(int typeCode) noexcept
{
    if (typeCode == 215 || typeCode == 216)
        return GbRole::CatalogGroup;
    if (typeCode >= 111 && typeCode <= 130)
        return GbRole::FrontEndDevice;
    if (typeCode >= 131 && typeCode <= 199)
        return GbRole::FrontEndPeripheral;
    if (typeCode >= 200 && typeCode <= 299)
        return GbRole::Platform;
    if (typeCode >= 300 && typeCode <= 499)
        return GbRole::User;
    return GbRole::Unknown;
}

QString GbId::domain() const
{
    return isNull() ? QString() : QString::fromLatin1(m_digits.data(), 10);
}

QString GbId::centerCode() const
{
    return isNull() ? QString() : QString::fromLatin1(m_digits.data(), 8);
}

int GbId::industryCode() const noexcept
{
    return isNull() ? 0 : digitsToInt(m_digits.data() + 8, 2);
}

int GbId::networkCode() const noexcept
{
    return isNull() ? 0 : digitsToInt(m_digits.data() + 13, 1);
}

int GbId::serial() const noexcept
{
    return isNull() ? 0 : digitsToInt(m_digits.data() + 14, 6);
}

QString GbId::typeName(GbType type)
{
    switch (type) {
    case GbType::Unknown: return tr("Unknown type");
    case GbType::Dvr: return tr("DVR");
    case GbType::VideoServer: return tr("Video server");
    case GbType::Encoder: return tr("Encoder");
    case GbType::Decoder: return tr("Decoder");
    case GbType::VideoSwitchMatrix: return tr("Video switching matrix");
    case GbType::AudioSwitchMatrix: return tr("Audio switching matrix");
    case GbType::AlarmController: return tr("Alarm controller");
    case GbType::Nvr: return tr("NVR");
    case GbType::VideoCheckpoint: return tr("Video checkpoint");
    case GbType::MultiLensDevice: return tr("Multi-lens device");
    case GbType::Hvr: return tr("HVR");
    case GbType::Camera: return tr("Camera");
    case GbType::Ipc: return tr("IPC");
    case GbType::Display: return tr("Display");
    case GbType::AlarmInput: return tr("Alarm input");
    case GbType::AlarmOutput: return tr("Alarm output");
    case GbType::VoiceInput: return tr("Voice input");
    case GbType::VoiceOutput: return tr("Voice output");
    case GbType::MobileTransmission: return tr("Mobile transmission device");
    case GbType::OtherPeripheral: return tr("Other peripheral");
    case GbType::CenterServer: return tr("Platform");
    case GbType::WebServer: return tr("Web application server");
    case GbType::MediaDistributionServer: return tr("Media distribution server");
    case GbType::ProxyServer: return tr("Proxy server");
    case GbType::SecurityServer: return tr("Security server");
    case GbType::AlarmServer: return tr("Alarm server");
    case GbType::DatabaseServer: return tr("Database server");
    case GbType::GisServer: return tr("GIS server");
    case GbType::ManagementServer: return tr("Management server");
    case GbType::AccessGateway: return tr("Access gateway");
    case GbType::MediaStorageServer: return tr("Media storage server");
    case GbType::SignallingSecurityGateway: return tr("Signalling security gateway");
    case GbType::BusinessGroup: return tr("Business group");
    case GbType::VirtualOrganization: return tr("Virtual organization");
    case GbType::CenterUser: return tr("Center user");
    case GbType::TerminalUser: return tr("Terminal user");
    }
    return tr("Unknown type");
}

Result<DeviceId> DeviceId::parse(QStringView text)
{
    auto id = GbId::parse(text);
    if (!id)
        return std::unexpected(id.error());
    return DeviceId(*id);
}

Result<DeviceId> DeviceId::parse(QByteArrayView text)
{
    auto id = GbId::parse(text);
    if (!id)
        return std::unexpected(id.error());
    return DeviceId(*id);
}

Result<ChannelId> ChannelId::parse(QStringView text)
{
    auto id = GbId::parse(text);
    if (!id)
        return std::unexpected(id.error());
    return ChannelId(*id);
}

Result<ChannelId> ChannelId::parse(QByteArrayView text)
{
    auto id = GbId::parse(text);
    if (!id)
        return std::unexpected(id.error());
    return ChannelId(*id);
}

} // namespace Vigil
