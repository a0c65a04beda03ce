#pragma once

#include "common/charset.h"
#include "common/gbid.h"
#include "common/result.h"
#include "sip/peer.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QHostAddress>
#include <QList>
#include <QString>

#include <cstdint>

namespace Vigil::CamSim {

/// What a simulated device is (its GB type code).
enum class DeviceKind : std::uint8_t {
    Ipc, ///< type 132, one video channel (type 131)
    Nvr, ///< type 118, M video channels (type 131)
};

/// The platform the devices register with.
struct ServerTarget {
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    std::uint16_t port = 5060;
    QByteArray serverId = QByteArrayLiteral("34020000002000000001");
    /// SIP domain and realm; empty: the first 10 digits of serverId.
    QByteArray domain;
    QByteArray password = QByteArrayLiteral("12345678");
    Sip::TransportKind transport = Sip::TransportKind::Udp;

    QByteArray effectiveDomain() const { return domain.isEmpty() ? serverId.left(10) : domain; }
};

/// Registration and keepalive timing (GB/T 28181-2016 9.1, 9.6).
struct DeviceTimers {
    /// Expires asked for in REGISTER; the device refreshes at 2/3 of what the platform grants.
    int registerExpiresSec = 3600;
    int keepaliveIntervalSec = 60;
    /// Keepalives without an answer (timeouts) before the device registers again.
    int keepaliveTimeoutCount = 3;
    /// Wait after a failed registration before trying again with a new Call-ID. The standard
    /// says at least 60 s; tests use less.
    int retryDelayMs = 60000;
    /// How long shutdown waits for the answers to the unregistering REGISTERs.
    int unregisterTimeoutMs = 3000;
};

/// Deliberate misbehaviour in signalling, to test how the platform copes.
struct SignallingFaults {
    /// Answer challenges with a wrong password (the platform should say 403 and not loop).
    bool wrongPassword = false;
    /// Answer qop="auth" challenges in the RFC 2069 form (no qop, nc, cnonce), like old devices.
    bool noQop = false;
    /// Hikvision style: Request-URI "sip:<server>@<ip>:<port>", digest uri "sip:<server>@<domain>".
    bool hikvisionAuthUri = false;
    /// UDP MESSAGEs declare a Content-Length that is 10 bytes off, too short and too long in turn.
    bool lyingContentLength = false;
    /// Each keepalive interval is moved by a random amount of up to ± this many seconds.
    int keepaliveJitterSec = 0;
    /// After the first keepalive of each registration, leave out this many in a row.
    int skipKeepalives = 0;
    /// Answer INVITEs with another y= SSRC than the one offered (and stream with it).
    bool ssrcMismatch = false;
    /// Hold each INVITE this many milliseconds (after 100 Trying) before answering it, like
    /// a busy NVR; 0: answer as soon as the stream is ready.
    int inviteAnswerDelayMs = 0;
};

/// Deliberate damage to RTP streams.
struct MediaFaults {
    double lossPercent = 0.0;      ///< packets not sent
    double reorderPercent = 0.0;   ///< packets sent after the one that follows them
    double duplicatePercent = 0.0; ///< packets sent twice
    /// TCP: now and then (about one frame in 50) garbage bytes or a broken length prefix
    /// between two RFC 4571 frames.
    bool tcpCorrupt = false;
    /// Each stream stops sending after this many milliseconds and keeps its call up, like a
    /// device whose encoder hung; 0: never. A new INVITE gets a fresh stream.
    int freezeAfterMs = 0;
    /// Seed of the fault dice; 0 picks one at random. Each stream derives its own from it.
    std::uint32_t seed = 0;

    bool any() const noexcept
    {
        return lossPercent > 0 || reorderPercent > 0 || duplicatePercent > 0 || tcpCorrupt || freezeAfterMs > 0;
    }
};

/// One video channel of a device.
struct ChannelConfig {
    ChannelId id;
    QString name;
    int ptzType = 1; ///< 1 dome (PTZ), 3 fixed bullet
    QString address;
};

/// One simulated device, fully described (Simulator derives these from SimulatorConfig).
struct DeviceConfig {
    DeviceId id;
    DeviceKind kind = DeviceKind::Ipc;
    QString name;
    QList<ChannelConfig> channels;
    /// The digest user name; empty: the device ID (what nearly every device uses).
    QByteArray username;
    TextEncoding charset = TextEncoding::Gb18030;
    QString manufacturer = QStringLiteral("Vigil");
    QString model;
    QString firmware;
    /// Catalog items per MESSAGE (the answer is split over several with the same SumNum).
    int catalogItemsPerMessage = 4;
};

/// The clips a simulator streams, resolved from SimulatorConfig and the demo clips.
///
/// Without --media the demo clips play: the main one, the sub one for sub-stream INVITEs (the
/// main one when the sub one was not built) and the demo audio unless --audio names other
/// audio. A --media clip without --sub-media serves both streams: a clip of the user's is never
/// paired with the demo's. A --sub-media clip serves the sub stream in either case (without
/// --media and without the demo clip, Simulator::start() refuses it).
struct MediaFiles {
    QString video;    ///< empty: none at all (no --media and no demo clip); INVITEs get 488
    QString subVideo; ///< equal to `video` when both streams play the same clip
    QString audio;    ///< muxed with either; empty: none
};

/// Everything vigil-camsim is told on its command line.
struct SimulatorConfig {
    Q_DECLARE_TR_FUNCTIONS(Vigil::CamSim::SimulatorConfig)

public:
    ServerTarget server;
    /// Where device sockets are bound. Any address: the address facing the server is advertised.
    QHostAddress bindAddress = QHostAddress(QHostAddress::AnyIPv4);
    /// IP address written in Via, Contact and SDP when the bound address is not what the platform
    /// reaches (NAT, Docker); empty: the local address facing the server.
    QString advertisedHost;

    int deviceCount = 1;
    DeviceKind kind = DeviceKind::Ipc;
    int channelsPerDevice = 1; ///< NVR only; an IPC always has one
    int extraIpcs = 0;         ///< IPCs added after the `deviceCount` devices (mixed set-ups)
    /// The first device's ID; the others count up from its serial. Its type digits are replaced
    /// by 132 or 118 as the kind says; channels use type 131 from the same serial on.
    DeviceId baseId;
    TextEncoding charset = TextEncoding::Gb18030;
    int catalogItemsPerMessage = 4;

    DeviceTimers timers;
    SignallingFaults faults;
    MediaFaults mediaFaults;

    /// New registrations started per second; 0: all at once.
    double registrationsPerSec = 0.0;
    /// Devices sharing one SIP socket (UDP) or transport (TCP). 0: one each while the open-file
    /// limit allows, else as few per socket as fit. A platform tells devices apart by source
    /// address and port, so sharing makes them look like one NATed site.
    int devicesPerSocket = 0;

    /// Annex-B H.264/H.265 file streamed on INVITE; empty: the demo clip (demoMediaPath()).
    QString videoPath;
    /// The same for INVITEs that ask for the sub stream (a=streamnumber:1 and its vendor
    /// spellings); empty: see mediaFiles().
    QString subVideoPath;
    /// Raw G.711 A-law audio (8 kHz mono) muxed with the video; empty: none (or the demo's).
    QString audioPath;
    /// Accept INVITEs at all (load tests without media answer 488).
    bool mediaEnabled = true;

    /// Checks ranges and combinations; the error says which option to fix.
    Result<void> validate() const;
    /// The devices this configuration describes, IDs and Chinese names included.
    QList<DeviceConfig> deviceConfigs() const;
    /// The files to stream once the defaults are applied (MediaFiles).
    MediaFiles mediaFiles() const;
};

/// The demo clip built with the project (ffmpeg testsrc2 with a frame counter, 640x360,
/// 25 fps, H.264, and its 320x180 sub-stream twin; `share/vigil/<fileName>` next to the
/// binaries or in the system data folders); an empty string when it is not there. The one
/// place that knows where it lives.
QString demoMediaPath(const QString &fileName);

/// File names of the demo clip's video (main and sub stream) and audio.
inline constexpr QLatin1StringView kDemoVideoFile("demo-h264.h264");
inline constexpr QLatin1StringView kDemoSubVideoFile("demo-sub-h264.h264");
inline constexpr QLatin1StringView kDemoAudioFile("demo-g711a.alaw");

} // namespace Vigil::CamSim
