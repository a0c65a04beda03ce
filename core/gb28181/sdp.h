#pragma once

// GB/T 28181 SDP (2016 Annex F, 2022 Annex G; gb28181.md §6): a tolerant line parser and a
// strict writer (SessionDescription), and the part a media session acts on, for offers and
// answers alike (MediaSdp). Sans-I/O value types, safe to copy between threads.

#include "common/result.h"
#include "devices/device.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QHostAddress>
#include <QList>

#include <cstdint>
#include <optional>
#include <utility>

namespace Vigil::Gb {

/// The `s=` line: what the session is for. Compared case-insensitively when parsing.
enum class SdpSessionName : std::uint8_t {
    Play,     ///< live view
    Playback, ///< recorded video at normal speed, controlled with INFO/MANSRTSP
    Download, ///< recorded video as fast as the device can send it
    Talk,     ///< voice to the device (2016; dropped in 2022)
    Other,    ///< anything else; the text is kept
};

/// Whether media flows towards or away from the side that wrote the description.
enum class SdpDirection : std::uint8_t { Unspecified, RecvOnly, SendOnly, SendRecv, Inactive };

/// The transport of an `m=` line: `RTP/AVP` (UDP) or `TCP/RTP/AVP` (RFC 4571 framing).
/// `RTP/AVP/TCP`, which some devices write, is read as TCP.
enum class SdpProtocol : std::uint8_t { RtpAvp, TcpRtpAvp, Other };

/// RFC 4145 `a=setup:` of a TCP media line: who opens the connection. Active connects, passive
/// listens. Absent (Unspecified) on UDP lines.
enum class SdpSetup : std::uint8_t { Unspecified, Active, Passive, ActPass, HoldConn };

/// Which attribute name carries the stream (main/sub) selection; vendors disagree (§6.2).
enum class StreamNumberAttribute : std::uint8_t {
    StreamNumber,  ///< a=streamnumber:N (GB/T 28181-2022)
    StreamProfile, ///< a=streamprofile:N (Dahua)
    Stream,        ///< a=stream:N
    StreamMode,    ///< a=streamMode:MAIN|SUB (Mercury, TP-LINK): 0 main, 1 sub
};

/// `a=rtpmap:<pt> <encoding>/<clock rate>`.
struct SdpRtpMap {
    int payloadType = 96;
    QByteArray encoding = QByteArrayLiteral("PS");
    int clockRate = 90000;

    friend bool operator==(const SdpRtpMap &, const SdpRtpMap &) = default;
};

/// One `m=` section with the attributes that follow it.
struct SdpMediaSection {
    QByteArray media = QByteArrayLiteral("video"); ///< "video", "audio"...
    std::uint16_t port = 0;
    SdpProtocol protocol = SdpProtocol::RtpAvp;
    QByteArray protocolText = QByteArrayLiteral("RTP/AVP"); ///< as written; rewritten from protocol on write unless Other
    QList<int> payloadTypes;
    /// A `c=` inside the section, overriding the session's; empty when absent.
    QByteArray connectionAddress;
    QList<SdpRtpMap> rtpMaps;
    SdpDirection direction = SdpDirection::Unspecified;
    SdpSetup setup = SdpSetup::Unspecified;
    /// a=connection:new (true) or existing (false); nullopt when absent.
    std::optional<bool> connectionNew;
    /// a=streamnumber / streamprofile / stream, whichever came first.
    std::optional<int> streamNumber;
    StreamNumberAttribute streamNumberAttribute = StreamNumberAttribute::StreamNumber;
    std::optional<int> downloadSpeed; ///< a=downloadspeed (Download)
    std::optional<qint64> fileSize;   ///< a=filesize (the device's Download answer)
    /// Every other attribute in order, as (name, value); a flag has an empty value.
    QList<std::pair<QByteArray, QByteArray>> otherAttributes;

    /// The rtpmap of `payloadType`, if one was given.
    std::optional<SdpRtpMap> rtpMap(int payloadType) const;

    friend bool operator==(const SdpMediaSection &, const SdpMediaSection &) = default;
};

/// A whole SDP body the GB way: `v o s [u] c t m a... y f`.
///
/// parse() is liberal: CRLF, LF or CR line ends, NUL bytes, blank lines, spaces around values, unknown
/// line types and attributes (kept), missing lines (defaults), `y=`/`f=` anywhere, media-level
/// `c=`. It fails only on bytes that are not SDP at all (no `x=` lines, or no m= line), on an
/// `m=` line it cannot read (no port or a port above 65535), and on bodies beyond kMaxBytes.
/// serialize() writes CRLF lines in the order GB devices expect and ends with CRLF.
struct SessionDescription {
    Q_DECLARE_TR_FUNCTIONS(Vigil::Gb::SessionDescription)

public:
    static constexpr qsizetype kMaxBytes = 16 * 1024;
    static constexpr qsizetype kMaxMediaSections = 16;
    static constexpr qsizetype kMaxAttributesPerSection = 128;

    QByteArray originUser;                          ///< o= user name: normally a GB ID
    QByteArray originSessionId = QByteArrayLiteral("0");
    QByteArray originVersion = QByteArrayLiteral("0");
    QByteArray originAddress;                       ///< o= address (IP4 or IP6 as written)
    SdpSessionName sessionName = SdpSessionName::Play;
    QByteArray sessionNameText = QByteArrayLiteral("Play"); ///< as written; used on write for Other
    QByteArray uri;                                 ///< u= (playback: "<channel>:<type>"), empty when absent
    QByteArray connectionAddress;                   ///< session-level c=, empty when absent
    qint64 startTime = 0;                           ///< t= start, UNIX seconds; 0 for live
    qint64 stopTime = 0;                            ///< t= stop
    QList<SdpMediaSection> media;
    /// y= exactly as written (normally 10 digits); empty when absent.
    QByteArray ssrcText;
    /// f= as written (may be empty even when present: see hasFormat).
    QByteArray format;
    bool hasFormat = false;

    static Result<SessionDescription> parse(QByteArrayView bytes);
    QByteArray serialize() const;

    friend bool operator==(const SessionDescription &, const SessionDescription &) = default;
};

/// A GB SSRC: 10 decimal digits in `y=` (0 live / 1 history, 5 digits of the domain, a 4-digit
/// serial) and the same number as the 32-bit RTP SSRC. `y=0200000001` is 200000001 = 0x0BEBC201.
class Ssrc {
    Q_DECLARE_TR_FUNCTIONS(Vigil::Gb::Ssrc)

public:
    Ssrc() = default;
    explicit constexpr Ssrc(std::uint32_t value) noexcept : m_value(value) {}

    /// Accepts 1-10 ASCII digits whose value fits 32 bits (devices drop leading zeros now and
    /// then); anything else is an error.
    static Result<Ssrc> parse(QByteArrayView text);
    /// The GB form for a stream: `history` (playback/download) picks the first digit, digits 2-6
    /// come from digits 4-8 of `domain` (10 digits), then `serial` modulo 10000.
    static Ssrc make(bool history, QByteArrayView domain, std::uint32_t serial);

    constexpr std::uint32_t value() const noexcept { return m_value; }
    /// Ten digits with leading zeros, as `y=` wants.
    QByteArray toText() const;

    friend constexpr bool operator==(Ssrc, Ssrc) = default;

private:
    std::uint32_t m_value = 0;
};

/// What a media session needs from a GB SDP, offer or answer, without the SDP syntax.
///
/// The platform builds an offer with offer(), the device answers with answerTo(), and either side
/// reads the other's with parse(). Addresses are IPs (no host names: devices do not resolve).
struct MediaSdp {
    Q_DECLARE_TR_FUNCTIONS(Vigil::Gb::MediaSdp)

public:
    SdpSessionName session = SdpSessionName::Play;
    QByteArray ownerId;  ///< o= user: the writer's GB ID (wvp writes the channel's in answers too)
    QByteArray uri;      ///< u=: "<channel>:<type>" for playback/download
    /// c=: where media goes (offer) or comes from / is listened for (answer).
    QHostAddress address;
    std::uint16_t port = 0;
    SdpProtocol protocol = SdpProtocol::RtpAvp;
    /// TCP only: this side's role. A platform offering TCP passive writes Passive (it listens).
    SdpSetup setup = SdpSetup::Unspecified;
    SdpDirection direction = SdpDirection::RecvOnly;
    std::optional<Ssrc> ssrc;
    /// Payload formats, most preferred first. The offer lists what the platform takes, the
    /// answer what the device sends (normally one: 96 PS/90000).
    QList<SdpRtpMap> formats;
    qint64 startTime = 0; ///< t=, UNIX seconds (playback/download)
    qint64 stopTime = 0;
    std::optional<int> streamNumber; ///< 0 main, 1 sub
    StreamNumberAttribute streamNumberAttribute = StreamNumberAttribute::StreamNumber;
    std::optional<int> downloadSpeed;
    std::optional<qint64> fileSize;
    QByteArray format; ///< f= (empty: write "f=" only if includeFormat)
    bool includeFormat = false;

    /// The formats a platform offers for PS over RTP: 96 PS, 97 MPEG4, 98 H264, 99 H265.
    static QList<SdpRtpMap> defaultFormats();

    /// A platform's offer for `transport` (Devices::MediaTransport: TcpPassive = the platform
    /// listens on `port`, TcpActive = the device listens and the platform connects), recvonly,
    /// with the default formats.
    static MediaSdp offer(SdpSessionName session, QByteArrayView platformId, const QHostAddress &address,
                          std::uint16_t port, Devices::MediaTransport transport, Ssrc ssrc);

    /// The device's answer to `offer`: sendonly, the same protocol, the opposite TCP role
    /// (passive/actpass offers get active, active gets passive), PS/90000 on the first offered
    /// PS payload type (96 when none is), and `ssrc` (normally the offered one).
    static MediaSdp answerTo(const MediaSdp &offer, QByteArrayView deviceId, const QHostAddress &address,
                             std::uint16_t port, std::optional<Ssrc> ssrc);

    /// The transport from the platform's point of view, derived from an offer or an answer:
    /// UDP for RTP/AVP; for TCP, TcpPassive when the platform listens (it offered passive or
    /// the device answered active), TcpActive otherwise.
    Devices::MediaTransport platformTransport() const noexcept;
    /// TCP only: true when the side that wrote this description opens the connection.
    bool connects() const noexcept { return setup == SdpSetup::Active; }

    /// Reads the first video section (the first section when none is video). The address is the
    /// section's c=, else the session's, else o='s. Fails without a media section or an IP
    /// address; a y= that is not an SSRC is ignored (ssrc stays empty: keep your own).
    static Result<MediaSdp> fromDescription(const SessionDescription &description);
    static Result<MediaSdp> parse(QByteArrayView bytes);

    SessionDescription toDescription() const;
    QByteArray serialize() const { return toDescription().serialize(); }
};

/// The `Subject` of an INVITE (2016 Annex K): "<channel>:<ssrc>,<receiver>:<seq>".
QByteArray inviteSubject(QByteArrayView channelId, Ssrc ssrc, QByteArrayView receiverId, int receiverSequence = 0);

} // namespace Vigil::Gb
