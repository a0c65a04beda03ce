#pragma once

#include "common/gbid.h"
#include "common/result.h"
#include "devices/device.h"
#include "gb28181/admissioncontrol.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QString>
#include <QVariantMap>

#include <cstdint>

class QSettings;

namespace Vigil::Gb {

/// Which devices may register.
enum class RegistrationPolicy : std::uint8_t {
    AnyDevice,        ///< any valid 20-digit ID with the right password is added automatically
    KnownDevicesOnly, ///< only devices already in the registry (added by an operator)
};

/// Whether a known device may register without digest authentication.
enum class KnownDeviceAuth : std::uint8_t {
    PasswordRequired,
    NoPasswordForKnownDevices, ///< trusted networks with devices that cannot do digest
};

/// The identity, addresses and policies of our SIP server: what devices must be configured
/// with to reach it, and how it treats them. Defaults match the usual GB/T 28181 examples, so
/// that a newcomer's camera settings work unchanged.
struct ServerConfig {
    Q_DECLARE_TR_FUNCTIONS(Vigil::Gb::ServerConfig)

public:
    DeviceId serverId = DeviceId(*GbId::parse(QByteArrayView("34020000002000000001")));
    /// SIP domain and digest realm: by convention the first 10 digits of the server ID.
    QString domain = QStringLiteral("3402000000");
    QHostAddress sipBindAddress = QHostAddress(QHostAddress::AnyIPv4);
    std::uint16_t sipPort = 5060; ///< 0 picks a free port (tests)
    /// The global SIP password; a device's own password, when set, wins.
    QString password = QStringLiteral("12345678");
    /// Threads that receive and answer SIP over UDP. 1: everything on the signalling thread.
    /// More: that many sockets share the port (SO_REUSEPORT, Linux), and the extra threads
    /// answer REGISTER and keepalives themselves (GbService's SipWorker).
    int sipThreads = 1;

    RegistrationPolicy registrationPolicy = RegistrationPolicy::AnyDevice;
    KnownDeviceAuth knownDeviceAuth = KnownDeviceAuth::PasswordRequired;
    int defaultExpiresSec = 3600; ///< when a REGISTER has no Expires
    int minExpiresSec = 60;       ///< shorter requests are raised to this
    int maxExpiresSec = 86400;    ///< longer requests are lowered to this
    int keepaliveIntervalSec = 60;
    int keepaliveTimeoutCount = 3;
    int probeTimeoutSec = 10;     ///< wait for an answer to the liveness probe
    int nonceLifetimeSec = 300;
    bool sendDateHeader = true;   ///< GB time sync in every successful REGISTER 200 OK
    bool queryOnRegister = true;  ///< ask DeviceInfo and Catalog after each fresh registration
    AdmissionControl::Config admission;

    /// Address written into SDP for devices to send media to; null: the local address the
    /// device's SIP traffic arrived on.
    QHostAddress mediaAddress;
    std::uint16_t mediaPortMin = 30000;
    std::uint16_t mediaPortMax = 30999;
    Devices::MediaTransport defaultMediaTransport = Devices::MediaTransport::Udp;

    /// Checks every value; the message says which setting is wrong and how to fix it.
    Result<void> validate() const;
    /// Reads the values present in `settings` (group "sip", "registrar", "media") over this.
    Result<void> load(QSettings &settings);
    /// The same from keys like "sip/port" (command-line flags, JSON).
    Result<void> load(const QVariantMap &values);
    void save(QSettings &settings) const;
    /// Parses "A-B" into the media port range.
    Result<void> setMediaPorts(QStringView range);
};

} // namespace Vigil::Gb
