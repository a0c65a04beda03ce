#include "sdp.h"

#include <QStringList>

#include <algorithm>
#include <charconv>

using namespace Qt::StringLiterals;

namespace Vigil::Gb {

namespace {

bool isSpace(char c) noexcept
{
    return c == ' ' || c == '\t';
}

QByteArrayView trimmed(QByteArrayView text) noexcept
{
    while (!text.isEmpty() && (isSpace(text.front()) || text.front() == '\r' || text.front() == '\0'))
        text = text.sliced(1);
    while (!text.isEmpty() && (isSpace(text.back()) || text.back() == '\r' || text.back() == '\0'))
        text.chop(1);
    return text;
}

/// Splits on runs of spaces and tabs.
QList<QByteArrayView> tokens(QByteArrayView text)
{
    QList<QByteArrayView> out;
    qsizetype i = 0;
    while (i < text.size()) {
        while (i < text.size() && isSpace(text[i]))
            ++i;
        const qsizetype start = i;
        while (i < text.size() && !isSpace(text[i]))
            ++i;
        if (i > start)
            out.append(text.sliced(start, i - start));
    }
    return out;
}

template <typename T>
std::optional<T> toNumber(QByteArrayView text) noexcept
{
    text = trimmed(text);
    if (text.isEmpty())
        return std::nullopt;
    T value{};
    const char *end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end)
        return std::nullopt;
    return value;
}

bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b) noexcept
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

SdpSessionName sessionNameFrom(QByteArrayView text) noexcept
{
    if (equalsIgnoreCase(text, "Play"))
        return SdpSessionName::Play;
    if (equalsIgnoreCase(text, "Playback"))
        return SdpSessionName::Playback;
    if (equalsIgnoreCase(text, "Download"))
        return SdpSessionName::Download;
    if (equalsIgnoreCase(text, "Talk"))
        return SdpSessionName::Talk;
    return SdpSessionName::Other;
}

QByteArray nameOfSession(SdpSessionName name)
{
    switch (name) {
    case SdpSessionName::Play: return QByteArrayLiteral("Play");
    case SdpSessionName::Playback: return QByteArrayLiteral("Playback");
    case SdpSessionName::Download: return QByteArrayLiteral("Download");
    case SdpSessionName::Talk: return QByteArrayLiteral("Talk");
    case SdpSessionName::Other: break;
    }
    return {};
}

SdpProtocol protocolFrom(QByteArrayView text) noexcept
{
    if (equalsIgnoreCase(text, "RTP/AVP"))
        return SdpProtocol::RtpAvp;
    if (equalsIgnoreCase(text, "TCP/RTP/AVP") || equalsIgnoreCase(text, "RTP/AVP/TCP"))
        return SdpProtocol::TcpRtpAvp;
    return SdpProtocol::Other;
}

QByteArrayView protocolText(const SdpMediaSection &section) noexcept
{
    switch (section.protocol) {
    case SdpProtocol::RtpAvp: return "RTP/AVP";
    case SdpProtocol::TcpRtpAvp: return "TCP/RTP/AVP";
    case SdpProtocol::Other: break;
    }
    return section.protocolText;
}

QByteArrayView directionText(SdpDirection direction) noexcept
{
    switch (direction) {
    case SdpDirection::RecvOnly: return "recvonly";
    case SdpDirection::SendOnly: return "sendonly";
    case SdpDirection::SendRecv: return "sendrecv";
    case SdpDirection::Inactive: return "inactive";
    case SdpDirection::Unspecified: break;
    }
    return {};
}

QByteArrayView setupText(SdpSetup setup) noexcept
{
    switch (setup) {
    case SdpSetup::Active: return "active";
    case SdpSetup::Passive: return "passive";
    case SdpSetup::ActPass: return "actpass";
    case SdpSetup::HoldConn: return "holdconn";
    case SdpSetup::Unspecified: break;
    }
    return {};
}

QByteArrayView streamAttributeName(StreamNumberAttribute attribute) noexcept
{
    switch (attribute) {
    case StreamNumberAttribute::StreamNumber: return "streamnumber";
    case StreamNumberAttribute::StreamProfile: return "streamprofile";
    case StreamNumberAttribute::Stream: return "stream";
    case StreamNumberAttribute::StreamMode: return "streamMode";
    }
    return "streamnumber";
}

/// The address of a `c=` value ("IN IP4 10.10.0.5", "IN IP4 224.2.1.1/127"): the third token
/// without a TTL suffix; a lone token is taken as the address.
QByteArray connectionAddressFrom(QByteArrayView value)
{
    const QList<QByteArrayView> parts = tokens(value);
    if (parts.isEmpty())
        return {};
    QByteArrayView address = parts.size() >= 3 ? parts[2] : parts.back();
    if (const qsizetype slash = address.indexOf('/'); slash >= 0 && address.count(':') == 0)
        address = address.first(slash);
    return address.toByteArray();
}

/// "96 PS/90000" (also "96 PS/90000/1"); the encoding keeps its case.
std::optional<SdpRtpMap> rtpMapFrom(QByteArrayView value)
{
    const QList<QByteArrayView> parts = tokens(value);
    if (parts.size() < 2)
        return std::nullopt;
    const auto payloadType = toNumber<int>(parts[0]);
    if (!payloadType || *payloadType < 0 || *payloadType > 127)
        return std::nullopt;
    SdpRtpMap map;
    map.payloadType = *payloadType;
    const QByteArrayView spec = parts[1];
    const qsizetype slash = spec.indexOf('/');
    map.encoding = (slash < 0 ? spec : spec.first(slash)).toByteArray();
    map.clockRate = 0;
    if (slash >= 0) {
        QByteArrayView rate = spec.sliced(slash + 1);
        if (const qsizetype second = rate.indexOf('/'); second >= 0)
            rate = rate.first(second);
        map.clockRate = toNumber<int>(rate).value_or(0);
    }
    return map;
}

/// Applies one `a=` line to `section`; false when the section is full.
bool applyAttribute(SdpMediaSection &section, QByteArrayView line)
{
    const qsizetype colon = line.indexOf(':');
    const QByteArrayView name = trimmed(colon < 0 ? line : line.first(colon));
    const QByteArrayView value = colon < 0 ? QByteArrayView() : trimmed(line.sliced(colon + 1));

    if (equalsIgnoreCase(name, "rtpmap")) {
        if (const auto map = rtpMapFrom(value)) {
            if (section.rtpMaps.size() >= SessionDescription::kMaxAttributesPerSection)
                return false;
            section.rtpMaps.append(*map);
            return true;
        }
    } else if (value.isEmpty() && equalsIgnoreCase(name, "recvonly")) {
        section.direction = SdpDirection::RecvOnly;
        return true;
    } else if (value.isEmpty() && equalsIgnoreCase(name, "sendonly")) {
        section.direction = SdpDirection::SendOnly;
        return true;
    } else if (value.isEmpty() && equalsIgnoreCase(name, "sendrecv")) {
        section.direction = SdpDirection::SendRecv;
        return true;
    } else if (value.isEmpty() && equalsIgnoreCase(name, "inactive")) {
        section.direction = SdpDirection::Inactive;
        return true;
    } else if (equalsIgnoreCase(name, "setup")) {
        if (equalsIgnoreCase(value, "active")) {
            section.setup = SdpSetup::Active;
            return true;
        }
        if (equalsIgnoreCase(value, "passive")) {
            section.setup = SdpSetup::Passive;
            return true;
        }
        if (equalsIgnoreCase(value, "actpass")) {
            section.setup = SdpSetup::ActPass;
            return true;
        }
        if (equalsIgnoreCase(value, "holdconn")) {
            section.setup = SdpSetup::HoldConn;
            return true;
        }
    } else if (equalsIgnoreCase(name, "connection")) {
        if (equalsIgnoreCase(value, "new")) {
            section.connectionNew = true;
            return true;
        }
        if (equalsIgnoreCase(value, "existing")) {
            section.connectionNew = false;
            return true;
        }
    } else if (equalsIgnoreCase(name, "streamnumber") || equalsIgnoreCase(name, "streamprofile")
               || equalsIgnoreCase(name, "stream")) {
        if (const auto number = toNumber<int>(value); number && !section.streamNumber) {
            section.streamNumber = *number;
            section.streamNumberAttribute = equalsIgnoreCase(name, "streamnumber") ? StreamNumberAttribute::StreamNumber
                : equalsIgnoreCase(name, "streamprofile")                          ? StreamNumberAttribute::StreamProfile
                                                                                   : StreamNumberAttribute::Stream;
            return true;
        }
    } else if (equalsIgnoreCase(name, "streammode")) {
        if (!section.streamNumber && (equalsIgnoreCase(value, "main") || equalsIgnoreCase(value, "sub"))) {
            section.streamNumber = equalsIgnoreCase(value, "sub") ? 1 : 0;
            section.streamNumberAttribute = StreamNumberAttribute::StreamMode;
            return true;
        }
    } else if (equalsIgnoreCase(name, "downloadspeed")) {
        if (const auto speed = toNumber<int>(value)) {
            section.downloadSpeed = *speed;
            return true;
        }
    } else if (equalsIgnoreCase(name, "filesize")) {
        if (const auto size = toNumber<qint64>(value)) {
            section.fileSize = *size;
            return true;
        }
    }
    if (section.otherAttributes.size() >= SessionDescription::kMaxAttributesPerSection)
        return false;
    section.otherAttributes.append({name.toByteArray(), value.toByteArray()});
    return true;
}

/// CR, LF and NUL cannot appear inside an SDP line: dropped from what we write.
void appendClean(QByteArray &out, QByteArrayView value)
{
    for (const char c : value) {
        if (c != '\r' && c != '\n' && c != '\0')
            out.append(c);
    }
}

/// "<type>=<parts...>\r\n", each part cleaned.
template <typename... Parts>
void appendLine(QByteArray &out, char type, const Parts &...parts)
{
    out.append(type);
    out.append('=');
    (appendClean(out, QByteArrayView(parts)), ...);
    out.append("\r\n");
}

QByteArrayView addressType(QByteArrayView address) noexcept
{
    return address.contains(':') ? "IP6" : "IP4";
}

QByteArray addressText(const QHostAddress &address)
{
    if (address.isNull())
        return QByteArrayLiteral("0.0.0.0");
    // An IPv4-mapped IPv6 address (::ffff:a.b.c.d, what dual-stack sockets report) is written
    // as IPv4; every other IPv6 address, "::" included, stays IPv6.
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        bool mapped = bytes[10] == 0xFF && bytes[11] == 0xFF;
        for (int i = 0; i < 10; ++i)
            mapped = mapped && bytes[i] == 0;
        if (mapped)
            return QHostAddress(address.toIPv4Address()).toString().toLatin1();
    }
    return address.toString().toLatin1();
}

} // namespace

std::optional<SdpRtpMap> SdpMediaSection::rtpMap(int payloadType) const
{
    for (const SdpRtpMap &map : rtpMaps) {
        if (map.payloadType == payloadType)
            return map;
    }
    return std::nullopt;
}

Result<SessionDescription> SessionDescription::parse(QByteArrayView bytes)
{
    if (bytes.size() > kMaxBytes)
        return fail(ErrorCode::InvalidArgument,
                    tr("The SDP body is %1 bytes long; more than %2 bytes is not a media description.")
                        .arg(bytes.size())
                        .arg(kMaxBytes));

    SessionDescription description;
    description.sessionNameText.clear();
    SdpMediaSection sessionLevel; // session-level a= lines: defaults for the sections
    bool sawLine = false;
    bool sawSessionName = false;
    bool ignoringSection = false;

    qsizetype pos = 0;
    while (pos < bytes.size()) {
        // Lines end at LF, CRLF or a lone CR; NULs inside a line are dropped (the writer leaves
        // them out too, so what we write reads back the same).
        qsizetype end = pos;
        while (end < bytes.size() && bytes[end] != '\n' && bytes[end] != '\r')
            ++end;
        QByteArrayView line = trimmed(bytes.sliced(pos, end - pos));
        pos = end + 1;
        QByteArray withoutNuls;
        if (line.contains('\0')) {
            withoutNuls = line.toByteArray();
            withoutNuls.removeIf([](char c) { return c == '\0'; });
            line = withoutNuls;
        }
        if (line.isEmpty())
            continue;

        // "x=value"; a few devices write "x = value"
        qsizetype equals = 1;
        while (equals < line.size() && isSpace(line[equals]))
            ++equals;
        const char type = char(line[0] | 0x20);
        if (equals >= line.size() || line[equals] != '=' || type < 'a' || type > 'z')
            continue;
        sawLine = true;
        const QByteArrayView value = trimmed(line.sliced(equals + 1));
        SdpMediaSection *section = description.media.isEmpty() || ignoringSection ? nullptr : &description.media.back();

        switch (type) {
        case 'o': {
            const QList<QByteArrayView> parts = tokens(value);
            if (!parts.isEmpty())
                description.originUser = parts[0].toByteArray();
            if (parts.size() >= 3) {
                description.originSessionId = parts[1].toByteArray();
                description.originVersion = parts[2].toByteArray();
            }
            if (parts.size() >= 6)
                description.originAddress = parts[5].toByteArray();
            break;
        }
        case 's':
            description.sessionNameText = value.toByteArray();
            description.sessionName = sessionNameFrom(value);
            sawSessionName = true;
            break;
        case 'u':
            description.uri = value.toByteArray();
            break;
        case 'c':
            if (section)
                section->connectionAddress = connectionAddressFrom(value);
            else if (!ignoringSection)
                description.connectionAddress = connectionAddressFrom(value);
            break;
        case 't': {
            const QList<QByteArrayView> parts = tokens(value);
            if (parts.size() >= 1)
                description.startTime = toNumber<qint64>(parts[0]).value_or(0);
            if (parts.size() >= 2)
                description.stopTime = toNumber<qint64>(parts[1]).value_or(0);
            break;
        }
        case 'm': {
            if (description.media.size() >= kMaxMediaSections) {
                ignoringSection = true;
                break;
            }
            const QList<QByteArrayView> parts = tokens(value);
            if (parts.size() < 2)
                return fail(ErrorCode::InvalidArgument,
                            tr("The SDP media line \"m=%1\" has no port.").arg(QString::fromLatin1(value)));
            SdpMediaSection media;
            media.media = parts[0].toByteArray();
            QByteArrayView portText = parts[1];
            if (const qsizetype slash = portText.indexOf('/'); slash >= 0)
                portText = portText.first(slash);
            const auto port = toNumber<std::uint32_t>(portText);
            if (!port || *port > 65535)
                return fail(ErrorCode::InvalidArgument,
                            tr("The SDP media line \"m=%1\" has an invalid port.").arg(QString::fromLatin1(value)));
            media.port = std::uint16_t(*port);
            media.protocolText = parts.size() >= 3 ? parts[2].toByteArray() : QByteArray();
            media.protocol = protocolFrom(media.protocolText);
            for (qsizetype i = 3; i < parts.size() && media.payloadTypes.size() < kMaxAttributesPerSection; ++i) {
                if (const auto payloadType = toNumber<int>(parts[i]); payloadType && *payloadType >= 0 && *payloadType <= 127)
                    media.payloadTypes.append(*payloadType);
            }
            description.media.append(std::move(media));
            ignoringSection = false;
            break;
        }
        case 'a':
            if (section)
                applyAttribute(*section, value);
            else if (!ignoringSection)
                applyAttribute(sessionLevel, value);
            break;
        case 'y':
            description.ssrcText = value.toByteArray();
            break;
        case 'f':
            description.format = value.toByteArray();
            description.hasFormat = true;
            break;
        default: // v, i, e, p, b, z, k, r: nothing a GB session needs
            break;
        }
    }

    if (!sawLine)
        return fail(ErrorCode::InvalidArgument, tr("The body is not an SDP media description (no \"x=value\" lines)."));
    if (description.media.isEmpty())
        return fail(ErrorCode::InvalidArgument, tr("The SDP has no media line (m=): it does not say where the stream goes."));
    if (!sawSessionName)
        description.sessionNameText = nameOfSession(SdpSessionName::Play);

    for (SdpMediaSection &media : description.media) {
        if (media.direction == SdpDirection::Unspecified)
            media.direction = sessionLevel.direction;
        if (media.setup == SdpSetup::Unspecified)
            media.setup = sessionLevel.setup;
        if (!media.connectionNew)
            media.connectionNew = sessionLevel.connectionNew;
        if (!media.streamNumber && sessionLevel.streamNumber) {
            media.streamNumber = sessionLevel.streamNumber;
            media.streamNumberAttribute = sessionLevel.streamNumberAttribute;
        }
        if (media.rtpMaps.isEmpty())
            media.rtpMaps = sessionLevel.rtpMaps;
    }
    return description;
}

QByteArray SessionDescription::serialize() const
{
    QByteArray out;
    out.reserve(320);
    appendLine(out, 'v', "0");

    const QByteArray origin = originAddress.isEmpty() ? QByteArrayLiteral("0.0.0.0") : originAddress;
    const auto orZero = [](const QByteArray &text) { return text.isEmpty() ? QByteArrayView("0") : QByteArrayView(text); };
    appendLine(out, 'o', originUser.isEmpty() ? QByteArrayView("-") : QByteArrayView(originUser), " ",
               orZero(originSessionId), " ", orZero(originVersion), " IN ", addressType(origin), " ", origin);

    const QByteArray name = sessionName == SdpSessionName::Other ? sessionNameText : nameOfSession(sessionName);
    appendLine(out, 's', name.isEmpty() ? QByteArrayView("-") : QByteArrayView(name));
    if (!uri.isEmpty())
        appendLine(out, 'u', uri);
    if (!connectionAddress.isEmpty())
        appendLine(out, 'c', "IN ", addressType(connectionAddress), " ", connectionAddress);
    appendLine(out, 't', QByteArray::number(startTime), " ", QByteArray::number(stopTime));

    for (const SdpMediaSection &section : media) {
        QByteArray m = section.media;
        m += ' ';
        m += QByteArray::number(section.port);
        m += ' ';
        m += protocolText(section);
        for (const int payloadType : section.payloadTypes) {
            m += ' ';
            m += QByteArray::number(payloadType);
        }
        appendLine(out, 'm', m);
        if (!section.connectionAddress.isEmpty())
            appendLine(out, 'c', "IN ", addressType(section.connectionAddress), " ", section.connectionAddress);
        if (const QByteArrayView direction = directionText(section.direction); !direction.isEmpty())
            appendLine(out, 'a', direction);
        for (const SdpRtpMap &map : section.rtpMaps) {
            appendLine(out, 'a', "rtpmap:", QByteArray::number(map.payloadType), " ", map.encoding, "/",
                       QByteArray::number(map.clockRate));
        }
        if (const QByteArrayView setup = setupText(section.setup); !setup.isEmpty())
            appendLine(out, 'a', "setup:", setup);
        if (section.connectionNew)
            appendLine(out, 'a', *section.connectionNew ? "connection:new" : "connection:existing");
        if (section.streamNumber) {
            const QByteArray value = section.streamNumberAttribute == StreamNumberAttribute::StreamMode
                ? QByteArray(*section.streamNumber == 0 ? "MAIN" : "SUB")
                : QByteArray::number(*section.streamNumber);
            appendLine(out, 'a', streamAttributeName(section.streamNumberAttribute), ":", value);
        }
        if (section.downloadSpeed)
            appendLine(out, 'a', "downloadspeed:", QByteArray::number(*section.downloadSpeed));
        if (section.fileSize)
            appendLine(out, 'a', "filesize:", QByteArray::number(*section.fileSize));
        for (const auto &[attribute, value] : section.otherAttributes)
            appendLine(out, 'a', attribute, value.isEmpty() ? "" : ":", value);
    }
    if (!ssrcText.isEmpty())
        appendLine(out, 'y', ssrcText);
    if (hasFormat)
        appendLine(out, 'f', format);
    return out;
}

// ---------------------------------------------------------------------------------------------

Result<Ssrc> Ssrc::parse(QByteArrayView text)
{
    text = trimmed(text);
    const bool digitsOnly = std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (text.isEmpty() || text.size() > 10 || !digitsOnly)
        return fail(ErrorCode::InvalidArgument,
                    tr("\"%1\" is not an SSRC: y= takes 10 decimal digits.").arg(QString::fromLatin1(text.first(std::min<qsizetype>(text.size(), 40)))));
    const auto value = toNumber<std::uint64_t>(text);
    if (!value || *value > 0xFFFFFFFFull)
        return fail(ErrorCode::InvalidArgument,
                    tr("The SSRC %1 does not fit in 32 bits.").arg(QString::fromLatin1(text)));
    return Ssrc(std::uint32_t(*value));
}

Ssrc Ssrc::make(bool history, QByteArrayView domain, std::uint32_t serial)
{
    std::uint64_t value = history ? 1 : 0;
    for (qsizetype i = 3; i < 8; ++i) {
        const char c = i < domain.size() ? domain[i] : '0';
        value = value * 10 + std::uint64_t(c >= '0' && c <= '9' ? c - '0' : 0);
    }
    value = value * 10000 + serial % 10000;
    return Ssrc(std::uint32_t(value));
}

QByteArray Ssrc::toText() const
{
    return QByteArray::number(m_value).rightJustified(10, '0');
}

// ---------------------------------------------------------------------------------------------

QList<SdpRtpMap> MediaSdp::defaultFormats()
{
    return {
        {96, QByteArrayLiteral("PS"), 90000},
        {97, QByteArrayLiteral("MPEG4"), 90000},
        {98, QByteArrayLiteral("H264"), 90000},
        {99, QByteArrayLiteral("H265"), 90000},
    };
}

MediaSdp MediaSdp::offer(SdpSessionName session, QByteArrayView platformId, const QHostAddress &address,
                         std::uint16_t port, Devices::MediaTransport transport, Ssrc ssrc)
{
    MediaSdp sdp;
    sdp.session = session;
    sdp.ownerId = platformId.toByteArray();
    sdp.address = address;
    sdp.port = port;
    sdp.direction = SdpDirection::RecvOnly;
    sdp.ssrc = ssrc;
    sdp.formats = defaultFormats();
    switch (transport) {
    case Devices::MediaTransport::Udp:
        sdp.protocol = SdpProtocol::RtpAvp;
        break;
    case Devices::MediaTransport::TcpPassive:
        sdp.protocol = SdpProtocol::TcpRtpAvp;
        sdp.setup = SdpSetup::Passive;
        break;
    case Devices::MediaTransport::TcpActive:
        sdp.protocol = SdpProtocol::TcpRtpAvp;
        sdp.setup = SdpSetup::Active;
        break;
    }
    return sdp;
}

MediaSdp MediaSdp::answerTo(const MediaSdp &offer, QByteArrayView deviceId, const QHostAddress &address,
                            std::uint16_t port, std::optional<Ssrc> ssrc)
{
    MediaSdp sdp;
    sdp.session = offer.session;
    sdp.ownerId = deviceId.toByteArray();
    sdp.address = address;
    sdp.port = port;
    sdp.direction = SdpDirection::SendOnly;
    sdp.startTime = offer.startTime;
    sdp.stopTime = offer.stopTime;
    sdp.ssrc = ssrc;
    sdp.protocol = offer.protocol == SdpProtocol::TcpRtpAvp ? SdpProtocol::TcpRtpAvp : SdpProtocol::RtpAvp;
    if (sdp.protocol == SdpProtocol::TcpRtpAvp)
        sdp.setup = offer.setup == SdpSetup::Active ? SdpSetup::Passive : SdpSetup::Active;

    SdpRtpMap ps{96, QByteArrayLiteral("PS"), 90000};
    for (const SdpRtpMap &format : offer.formats) {
        if (equalsIgnoreCase(format.encoding, "PS")) {
            ps.payloadType = format.payloadType;
            break;
        }
    }
    sdp.formats = {ps};
    return sdp;
}

Devices::MediaTransport MediaSdp::platformTransport() const noexcept
{
    if (protocol != SdpProtocol::TcpRtpAvp)
        return Devices::MediaTransport::Udp;
    const bool writtenByDevice = direction == SdpDirection::SendOnly;
    const bool writerConnects = setup == SdpSetup::Active;
    const bool writerListens = setup == SdpSetup::Passive;
    if (writtenByDevice)
        return writerListens ? Devices::MediaTransport::TcpActive : Devices::MediaTransport::TcpPassive;
    return writerConnects ? Devices::MediaTransport::TcpActive : Devices::MediaTransport::TcpPassive;
}

Result<MediaSdp> MediaSdp::fromDescription(const SessionDescription &description)
{
    if (description.media.isEmpty())
        return fail(ErrorCode::InvalidArgument, tr("The SDP has no media line (m=)."));
    const auto video = std::find_if(description.media.cbegin(), description.media.cend(),
                                    [](const SdpMediaSection &media) { return equalsIgnoreCase(media.media, "video"); });
    const SdpMediaSection &media = video != description.media.cend() ? *video : description.media.front();

    MediaSdp sdp;
    sdp.session = description.sessionName;
    sdp.ownerId = description.originUser;
    sdp.uri = description.uri;
    QByteArray connection = !media.connectionAddress.isEmpty() ? media.connectionAddress : description.connectionAddress;
    if (connection.isEmpty())
        connection = description.originAddress;
    if (!sdp.address.setAddress(QString::fromLatin1(connection)))
        return fail(ErrorCode::InvalidArgument,
                    connection.isEmpty()
                        ? tr("The SDP has no connection address (c=): it does not say where the stream goes.")
                        : tr("The SDP connection address \"%1\" is not an IP address.").arg(QString::fromLatin1(connection.left(64))));
    sdp.port = media.port;
    sdp.protocol = media.protocol;
    sdp.setup = media.setup;
    sdp.direction = media.direction;
    for (const int payloadType : media.payloadTypes) {
        if (const auto map = media.rtpMap(payloadType)) {
            sdp.formats.append(*map);
        } else if (payloadType == 0) {
            sdp.formats.append({0, QByteArrayLiteral("PCMU"), 8000});
        } else if (payloadType == 8) {
            sdp.formats.append({8, QByteArrayLiteral("PCMA"), 8000});
        } else {
            sdp.formats.append({payloadType, QByteArray(), 90000});
        }
    }
    sdp.startTime = description.startTime;
    sdp.stopTime = description.stopTime;
    sdp.streamNumber = media.streamNumber;
    sdp.streamNumberAttribute = media.streamNumberAttribute;
    sdp.downloadSpeed = media.downloadSpeed;
    sdp.fileSize = media.fileSize;
    sdp.format = description.format;
    sdp.includeFormat = description.hasFormat;
    if (!description.ssrcText.isEmpty()) {
        if (const auto ssrc = Ssrc::parse(description.ssrcText))
            sdp.ssrc = *ssrc;
    }
    return sdp;
}

Result<MediaSdp> MediaSdp::parse(QByteArrayView bytes)
{
    const auto description = SessionDescription::parse(bytes);
    if (!description)
        return std::unexpected(description.error());
    return fromDescription(*description);
}

SessionDescription MediaSdp::toDescription() const
{
    SessionDescription description;
    description.originUser = ownerId;
    description.originAddress = addressText(address);
    description.sessionName = session;
    description.sessionNameText = nameOfSession(session);
    description.uri = uri;
    description.connectionAddress = description.originAddress;
    description.startTime = startTime;
    description.stopTime = stopTime;

    SdpMediaSection media;
    media.port = port;
    media.protocol = protocol == SdpProtocol::Other ? SdpProtocol::RtpAvp : protocol;
    media.protocolText.clear();
    for (const SdpRtpMap &map : formats) {
        media.payloadTypes.append(map.payloadType);
        if (!map.encoding.isEmpty())
            media.rtpMaps.append(map);
    }
    media.direction = direction;
    if (media.protocol == SdpProtocol::TcpRtpAvp) {
        media.setup = setup;
        media.connectionNew = true;
    }
    media.streamNumber = streamNumber;
    media.streamNumberAttribute = streamNumberAttribute;
    media.downloadSpeed = downloadSpeed;
    media.fileSize = fileSize;
    description.media.append(std::move(media));

    if (ssrc)
        description.ssrcText = ssrc->toText();
    description.format = format;
    description.hasFormat = includeFormat || !format.isEmpty();
    return description;
}

QByteArray inviteSubject(QByteArrayView channelId, Ssrc ssrc, QByteArrayView receiverId, int receiverSequence)
{
    return channelId.toByteArray() + ':' + ssrc.toText() + ',' + receiverId.toByteArray() + ':'
        + QByteArray::number(receiverSequence);
}

} // namespace Vigil::Gb
