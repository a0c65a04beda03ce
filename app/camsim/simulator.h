#pragma once

#include "camsimconfig.h"
#include "common/result.h"
#include "latencysamples.h"
#include "mediastreamer.h"
#include "sip/peer.h"
#include "sip/transactionlayer.h"
#include "transport/siptransport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QString>
#include <QTimer>

#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <vector>

namespace Vigil::CamSim {

class MediaEngine;
class PtzState;
class SimulatedDevice;

/// Counters of a Simulator (since start, or for one report interval).
struct SimulatorStats {
    qint64 registerRequests = 0;     ///< REGISTERs sent: first, authenticated, refreshes, unregisters
    qint64 registrations = 0;        ///< fresh registrations that ended in 200 OK
    qint64 refreshes = 0;            ///< refreshes that ended in 200 OK
    qint64 registrationFailures = 0; ///< attempts that failed (each is retried later)
    QMap<QString, qint64> failuresByCause;
    qint64 unregistrations = 0;
    qint64 keepalivesSent = 0;
    qint64 keepalivesAnswered = 0; ///< 2xx
    qint64 keepalivesFailed = 0;   ///< non-2xx or no answer
    qint64 keepalivesSkipped = 0;  ///< left out on purpose (SignallingFaults::skipKeepalives)
    qint64 queriesAnswered = 0;    ///< MANSCDP queries answered with a Response
    qint64 responseMessagesSent = 0;
    qint64 ptzCommands = 0;
    qint64 invites = 0;
    qint64 streamsStarted = 0;
    qint64 streamsEnded = 0;
    /// One REGISTER transaction: request sent to final response, microseconds.
    LatencySamples::Summary registerRoundTrip;
    /// First REGISTER of an attempt to its 200 OK, challenge included.
    LatencySamples::Summary registrationTime;
    LatencySamples::Summary keepaliveRoundTrip;
    int devicesRegistered = 0; ///< now
    int devicesTotal = 0;
    int activeStreams = 0;     ///< now
    double elapsedSec = 0.0;   ///< length of the period these counters cover
    /// When the period's last fresh registration completed, seconds after the period began.
    double lastRegistrationSec = 0.0;
};

/// One SIP socket (UDP, or TCP with its connection to the platform) and the transaction layer
/// over it, shared by one or more devices. Internal to the simulator.
struct SocketGroup {
    std::unique_ptr<Transport::SipTransport> transport;
    std::unique_ptr<Sip::TransportSink> lyingSink; ///< SignallingFaults::lyingContentLength
    Sip::TransportSink *sink = nullptr;            ///< what the layer sends through: one of the above
    std::unique_ptr<Sip::TransactionLayer> layer;
    Sip::Peer server;
    /// Device and channel IDs → the device that answers for them.
    QHash<QByteArray, SimulatedDevice *> targets;
    QList<SimulatedDevice *> devices;
};

/// Runs vigil-camsim's devices: builds their SocketGroups, starts their registrations at
/// SimulatorConfig::registrationsPerSec, drives their timers from one scheduler (a binary heap
/// and a single QTimer, so that thousands of devices do not mean thousands of QTimers), routes
/// what the platform sends to the right device, owns the MediaEngine and keeps statistics.
///
/// Sockets: one per device (UDP: one socket; TCP: a transport with its own connection) while
/// the open-file limit allows, which is what a platform sees from real devices; beyond it
/// devices share sockets in groups (SimulatorConfig::devicesPerSocket), which a platform sees as
/// many devices behind one NAT address. start() raises the soft open-file limit to the hard one.
///
/// Lives on the signalling thread (the main thread in vigil-camsim) and is used only there;
/// media runs on the MediaEngine's thread. Every socket sits on that thread's event loop, whose
/// poll() walks all of them: vigil-camsim uses Qt's UNIX event dispatcher (QT_NO_GLIB) because
/// the glib one also walks a list per socket-notifier change.
class Simulator : public QObject {
    Q_OBJECT

public:
    explicit Simulator(SimulatorConfig config, QObject *parent = nullptr);
    ~Simulator() override;

    const SimulatorConfig &config() const noexcept { return m_config; }

    /// Loads the media, binds every device's socket and starts registering. The error says
    /// what to fix (a port, a file, the open-file limit).
    Result<void> start();
    /// Unregisters every registered device (Expires: 0), waits for the answers up to
    /// DeviceTimers::unregisterTimeoutMs, then emits stopped(). Idempotent.
    void stop();
    bool isRunning() const noexcept { return m_running; }

    const std::vector<std::unique_ptr<SimulatedDevice>> &devices() const noexcept { return m_devices; }
    SimulatedDevice *device(QByteArrayView deviceId) const;
    /// The PTZ head of a channel of any device; null when unknown.
    const PtzState *ptz(QByteArrayView channelId) const;
    /// Sockets in use (one per SocketGroup).
    int socketCount() const noexcept { return int(m_groups.size()); }
    /// Local SIP port of the group `deviceId` belongs to; 0 when unknown.
    std::uint16_t sipPort(QByteArrayView deviceId) const;

    SimulatorStats stats() const;
    /// The counters since the previous call (or since start), for per-second reports.
    SimulatorStats takeIntervalStats();
    /// "1000 registered, 0 failed ...", one line for logs and reports.
    static QString formatStats(const SimulatorStats &stats);

    // For SimulatedDevice -------------------------------------------------------------------------

    qint64 nowMs() const { return m_clock.elapsed(); }
    qint64 nowUs() const { return m_clock.nsecsElapsed() / 1000; }
    /// Runs `device`'s timer `kind` at `dueMs` (monotonic, nowMs()).
    void schedule(SimulatedDevice &device, int kind, qint64 dueMs);
    MediaEngine *media() const noexcept { return m_media; }
    /// Host to write into Contact and SDP for a group ("10.0.0.5"), from its socket towards the
    /// platform or SimulatorConfig::advertisedHost.
    QByteArray localHost(const SocketGroup &group) const;
    void registerStream(std::uint64_t streamId, SimulatedDevice &device);

    // Events the devices report: counted, and re-emitted as signals.
    void noteRegisterRequest() { ++m_total.registerRequests; ++m_interval.registerRequests; }
    void noteRegisterRoundTrip(qint64 micros);
    void noteRegistered(SimulatedDevice &device, bool refresh, qint64 registrationMicros);
    void noteRegistrationFailed(SimulatedDevice &device, const QString &cause, const QString &detail);
    void noteUnregistered(SimulatedDevice &device);
    void noteKeepalive(int outcome, qint64 micros); ///< outcome: 0 sent, 1 answered, 2 failed, 3 skipped
    void noteQueryAnswered(qint64 responseMessages);
    void notePtz(SimulatedDevice &device, const QString &channelId, const QByteArray &hex, const QString &description);
    void noteInvite();
    void noteStreamStarted(SimulatedDevice &device, const QString &channelId);
    void noteStreamEnded(SimulatedDevice &device, const QString &channelId, const QString &reason,
                         const StreamStats &stats);

Q_SIGNALS:
    void deviceRegistered(const QString &deviceId);
    /// `cause` is short and stable ("timeout", "403 Forbidden"); `detail` says more.
    void registrationFailed(const QString &deviceId, const QString &cause, const QString &detail);
    void deviceUnregistered(const QString &deviceId);
    void ptzCommandApplied(const QString &channelId, const QByteArray &ptzCmdHex, const QString &description);
    void streamStarted(const QString &channelId);
    void streamEnded(const QString &channelId, const QString &reason, const Vigil::CamSim::StreamStats &stats);
    void stopped();

private:
    struct TimerEntry {
        qint64 dueMs;
        int device;
        int kind;
        bool operator>(const TimerEntry &other) const noexcept { return dueMs > other.dueMs; }
    };
    struct Counters {
        SimulatorStats counts;
        LatencySamples registerRoundTrip;
        LatencySamples registrationTime;
        LatencySamples keepaliveRoundTrip;
        qint64 sinceMs = 0;
    };

    Result<void> openGroups(const QList<DeviceConfig> &configs);
    Result<void> openGroup(SocketGroup &group, std::uint16_t localSocket);
    void dispatchRequest(SocketGroup &group, const Sip::IncomingRequest &request);
    SimulatedDevice *targetOf(const SocketGroup &group, const Sip::SipMessage &message) const;
    void startNextRegistrations();
    void armTimer();
    void onTimer();
    void finishStop();
    SimulatorStats snapshot(const Counters &counters) const;

    SimulatorConfig m_config;
    bool m_running = false;
    bool m_stopping = false;
    std::vector<std::unique_ptr<SimulatedDevice>> m_devices;
    std::vector<std::unique_ptr<SocketGroup>> m_groups;
    QHash<QByteArray, SimulatedDevice *> m_byId; ///< device and channel IDs
    MediaEngine *m_media = nullptr;
    QHash<std::uint64_t, SimulatedDevice *> m_streamOwners;

    QElapsedTimer m_clock;
    QTimer m_timer;
    qint64 m_armedDueMs = -1;
    std::priority_queue<TimerEntry, std::vector<TimerEntry>, std::greater<>> m_heap;
    QTimer m_rateTimer;
    int m_started = 0; ///< devices whose registration has been started

    Counters m_totalCounters;
    Counters m_intervalCounters;
    SimulatorStats &m_total = m_totalCounters.counts;
    SimulatorStats &m_interval = m_intervalCounters.counts;
    int m_pendingUnregisters = 0;
};

} // namespace Vigil::CamSim
