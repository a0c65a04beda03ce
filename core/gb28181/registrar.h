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
#include <QMutex>
#include <QObject>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

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
///   A source with registered devices is no stranger. Ignored requests get no answer and
///   leave no transaction behind.
/// - Any inbound message from a registered device counts as liveness and moves its route.
///   After keepalive interval × count of silence one probe is sent (the owner's onProbe); if
///   the device stays silent for the probe timeout it goes offline ("3 keepalives missed").
///   Expired registrations go offline ("registration expired").
///
/// Threads: the hot path, handleRegister(), admit() and noteAlive(), may also be called from
/// SIP worker threads (GbService's SipWorkers, one UDP socket and TransactionLayer each),
/// passing the TransactionLayer of the calling thread; the registrar's tables are guarded by a
/// mutex, and what a worker's request changes in the DeviceRegistry, the EventLog and the
/// hooks is queued to the registrar's own thread and done there, in order. Everything else,
/// and the hooks, run on the registrar's thread only. Without workers nothing is queued.
class Registrar : public QObject {
    Q_OBJECT

public:
    /// What the owner (GbService) does on the registrar's behalf; called on the registrar's thread.
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
    /// Registrar's thread, and only while no SIP worker runs.
    void setConfig(const ServerConfig &config);
    const ServerConfig &config() const noexcept { return m_config; }

    /// Picks up registrations that were current when Vigil stopped (from the registry, as
    /// restored from storage): those still within their expiry stay online at once.
    void restoreSessions();

    /// Answers a REGISTER through the registrar's TransactionLayer.
    void handleRegister(const Sip::IncomingRequest &request);
    /// The same on any thread, answering through `layer`, the calling thread's layer (the one
    /// `request` came from). Thread-safe.
    void handleRegister(const Sip::IncomingRequest &request, Sip::TransactionLayer &layer);

    /// For any other request: the sending device, when it is registered (liveness and route
    /// updated), or nullopt, and the caller answers 404 so that the device registers again.
    /// Thread-safe. `layer` is the one `request` came from (it may be the registrar's own).
    std::optional<DeviceId> admit(const Sip::IncomingRequest &request, Sip::TransactionLayer &layer);
    std::optional<DeviceId> admit(const Sip::IncomingRequest &request) { return admit(request, m_transactions); }

    /// A response (or other sign of life) from a device: counts as liveness. Thread-safe.
    void noteAlive(const DeviceId &id, const Sip::Peer &peer);

    /// A TCP connection closed: devices registered over it go offline.
    void connectionClosed(const Sip::Peer &peer);

    /// Where requests to this device go, if it is registered. Thread-safe.
    std::optional<Sip::Peer> route(const DeviceId &id) const;
    /// Thread-safe.
    bool isRegistered(const DeviceId &id) const;

    /// Drops a device's registration (the operator removed it).
    void forget(const DeviceId &id);

    /// Thread-safe.
    RegistrarStats stats() const;
    /// Registrar's thread; not while SIP workers run.
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
    using SessionMap = QHash<DeviceId, Session>;
    /// What a sign of life changed, for the registry (on the registrar's thread).
    enum class Liveness : std::uint8_t { Unknown, Seen, BackOnline };

    void tick();
    void respond(const Sip::IncomingRequest &request, Sip::TransactionLayer &layer, int code);
    void challenge(const Sip::IncomingRequest &request, Sip::TransactionLayer &layer, Sip::Stale stale);
    void accept(const Sip::IncomingRequest &request, Sip::TransactionLayer &layer, const DeviceId &id,
                std::uint32_t expiresSec);
    void refuse(const Sip::IncomingRequest &request, Sip::TransactionLayer &layer, const DeviceId &id,
                const SourceKey &source, const QString &why);
    /// Drops a request without an answer (and its transaction with it).
    void ignore(const Sip::IncomingRequest &request, Sip::TransactionLayer &layer);
    /// Unauthenticated work for `source`: allowed for sources with registered devices, else
    /// as AdmissionControl says.
    bool admitUnauthenticated(const SourceKey &source, std::int64_t nowMs);
    std::uint32_t requestedExpires(const Sip::SipMessage &message) const;
    /// The registry, event log and hook side of a device going offline (registrar's thread).
    void reportOffline(const DeviceId &id, Devices::OfflineReason reason);
    /// The registry side of a sign of life (registrar's thread).
    void reportAlive(const DeviceId &id, const Sip::Peer &peer, Liveness liveness);

    // With m_lock held:
    Liveness noteAliveLocked(const DeviceId &id, Session &session, const Sip::Peer &peer, std::int64_t nowMs);
    void setRouteLocked(const DeviceId &id, Session &session, const Sip::Peer &peer);
    void dropRouteLocked(const Sip::Peer &route);
    SessionMap::iterator eraseSessionLocked(SessionMap::iterator it);

    /// Runs `effect` now on the registrar's thread, else queues it there (in order).
    void onOwnThread(std::function<void()> effect);
    void runQueuedEffects();

    std::int64_t nowMs() const { return m_clock.elapsed(); }

    ServerConfig m_config;
    Sip::TransactionLayer &m_transactions;
    Devices::DeviceRegistry &m_registry;
    Devices::EventLog &m_events;
    Hooks m_hooks;
    QElapsedTimer m_clock;
    QTimer *m_tickTimer = nullptr;
    QByteArray m_dummyPassword; ///< for unknown IDs: the same work, always the wrong answer

    /// Guards the tables below. Held only around table work: never while sending or while
    /// calling into the registry, the event log or the hooks.
    mutable QMutex m_lock;
    SessionMap m_sessions;
    QHash<std::uint64_t, DeviceId> m_byConnection; ///< TCP connection id -> device
    QHash<SourceKey, int> m_trustedSources;        ///< routes of registered devices -> how many
    AdmissionControl m_admission;
    RegistrarStats m_stats;

    QMutex m_authLock; ///< the authenticator keeps nonce counts
    Sip::DigestAuthenticator m_auth;

    QMutex m_effectsLock;
    std::vector<std::function<void()>> m_effects; ///< from SIP workers, for this thread
    bool m_effectsPosted = false;
};

} // namespace Vigil::Gb
