#pragma once

#include "common/gbid.h"
#include "devices/deviceregistry.h"
#include "devices/eventlog.h"
#include "gb28181/admissioncontrol.h"
#include "gb28181/serverconfig.h"
#include "sip/digest.h"
#include "sip/transactionlayer.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

#include <cstdint>
#include <functional>
#include <optional>

namespace Vigil::Gb {

/// Counters for logs, the API and the load benchmark.
struct RegistrarStats {
    quint64 registered = 0;      ///< successful REGISTERs that (re)started a registration
    quint64 refreshed = 0;       ///< successful refreshes of a current registration
    quint64 unregistered = 0;
    quint64 challenged = 0;      ///< 401s sent
    quint64 rejected = 0;        ///< 403s sent (wrong password, unknown device, ban)
    quint64 ignored = 0;         ///< dropped without an answer (strangers past their tries, bans)
    quint64 unknownRequests = 0; ///< non-REGISTER requests from unregistered devices (404)
    quint64 probes = 0;          ///< liveness probes sent
    quint32 sessions = 0;        ///< devices with a current registration
};

/// The GB/T 28181 registrar: digest-authenticated REGISTER, refresh and unregister, the
/// liveness of registered devices, and the route (source address and connection) to each.
///
/// Lives on the signalling thread with the TransactionLayer it answers through and the
/// DeviceRegistry it writes. Rules (gb28181.md §2, §3, §10):
/// - The device ID is the user part of From. The per-device password wins over the global one.
/// - A refresh with the Call-ID and From tag of the current registration is accepted without a
///   new challenge (as wvp does); a new Call-ID means the device rebooted: a fresh registration.
/// - Strangers and password guessers go through AdmissionControl. An unknown ID is challenged
///   and refused exactly like a known one with a wrong password, so scanners learn nothing.
/// - Any inbound message from a registered device counts as liveness and moves its route.
///   After keepalive interval × count of silence one probe is sent (the owner's onProbe); if
///   the device stays silent for the probe timeout it goes offline ("3 keepalives missed").
///   Expired registrations go offline ("registration expired").
class Registrar : public QObject {
    Q_OBJECT

public:
    /// What the owner (GbService) does on the registrar's behalf.
    struct Hooks {
        /// A device registered with a new Call-ID (first time, or after a reboot): query it.
        std::function<void(const DeviceId &)> freshRegistration;
        /// A device has been silent too long: send it a probe and report the answer with
        /// noteAlive() (any response counts) or let probeTimeoutSec pass.
        std::function<void(const DeviceId &)> probe;
        /// A device went offline or unregistered: end its media sessions and pending work.
        std::function<void(const DeviceId &, Devices::OfflineReason)> wentOffline;
    };

    Registrar(const ServerConfig &config, Sip::TransactionLayer &transactions, Devices::DeviceRegistry &registry,
              Devices::EventLog &events, QObject *parent = nullptr);

    void setHooks(Hooks hooks) { m_hooks = std::move(hooks); }
    void setConfig(const ServerConfig &config);
    const ServerConfig &config() const noexcept { return m_config; }

    /// Picks up registrations that were current when Vigil stopped (from the registry, as
    /// restored from storage): those still within their expiry stay online at once.
    void restoreSessions();

    /// Answers a REGISTER.
    void handleRegister(const Sip::IncomingRequest &request);

    /// For any other request: the sending device, when it is registered (liveness and route
    /// updated), or nullopt, and the caller answers 404 so that the device registers again.
    std::optional<DeviceId> admit(const Sip::IncomingRequest &request);

    /// A response (or other sign of life) from a device: counts as liveness.
    void noteAlive(const DeviceId &id, const Sip::Peer &peer);

    /// A TCP connection closed: devices registered over it go offline.
    void connectionClosed(const Sip::Peer &peer);

    /// Where requests to this device go, if it is registered.
    std::optional<Sip::Peer> route(const DeviceId &id) const;
    bool isRegistered(const DeviceId &id) const { return m_sessions.contains(id); }

    /// Drops a device's registration (the operator removed it).
    void forget(const DeviceId &id);

    RegistrarStats stats() const;
    const AdmissionControl &admission() const noexcept { return m_admission; }

    /// The GB/T 28181 Date header value for now: local time, yyyy-MM-ddTHH:mm:ss.SSS.
    static QByteArray gbDate();

private:
    struct Session {
        QByteArray callId;
        QByteArray fromTag;
        std::int64_t expiresAtMs = 0; ///< monotonic
        std::int64_t lastSeenMs = 0;  ///< monotonic
        std::int64_t probeSentAtMs = -1;
        Sip::Peer route;
        bool online = true;
    };

    void tick();
    void respond(const Sip::IncomingRequest &request, int code, QByteArrayView reason = {});
    void challenge(const Sip::IncomingRequest &request, Sip::Stale stale);
    void accept(const Sip::IncomingRequest &request, const DeviceId &id, std::uint32_t expiresSec);
    void refuse(const Sip::IncomingRequest &request, const DeviceId &id, const SourceKey &source,
                const QString &why);
    std::uint32_t requestedExpires(const Sip::SipMessage &message) const;
    void goOffline(const DeviceId &id, Session &session, Devices::OfflineReason reason);
    using SessionMap = QHash<DeviceId, Session>;
    /// Unauthenticated work for `source`: allowed for sources with registered devices, else
    /// as AdmissionControl says.
    bool admitUnauthenticated(const SourceKey &source, std::int64_t nowMs);
    /// Drops a request without an answer (and its transaction with it).
    void ignore(const Sip::IncomingRequest &request);
    void setRoute(const DeviceId &id, Session &session, const Sip::Peer &peer);
    void dropRoute(const Sip::Peer &route);
    SessionMap::iterator eraseSession(SessionMap::iterator it);
    std::int64_t nowMs() const { return m_clock.elapsed(); }

    ServerConfig m_config;
    Sip::TransactionLayer &m_transactions;
    Devices::DeviceRegistry &m_registry;
    Devices::EventLog &m_events;
    Hooks m_hooks;
    Sip::DigestAuthenticator m_auth;
    AdmissionControl m_admission;
    SessionMap m_sessions;
    QHash<std::uint64_t, DeviceId> m_byConnection; ///< TCP connection id -> device
    QHash<SourceKey, int> m_trustedSources;        ///< routes of registered devices -> how many
    QElapsedTimer m_clock;
    QTimer *m_tickTimer = nullptr;
    QByteArray m_toTag;
    QByteArray m_dummyPassword; ///< for unknown IDs: the same work, always the wrong answer
    mutable RegistrarStats m_stats;
};

} // namespace Vigil::Gb
