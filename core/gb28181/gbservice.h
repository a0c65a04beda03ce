#pragma once

#include "common/gbid.h"
#include "common/result.h"
#include "devices/deviceregistry.h"
#include "devices/eventlog.h"
#include "gb28181/catalogcollector.h"
#include "gb28181/manscdp.h"
#include "gb28181/manscdpbuilder.h"
#include "gb28181/ptzcommand.h"
#include "gb28181/registrar.h"
#include "gb28181/serverconfig.h"
#include "gb28181/sipworker.h"
#include "sip/transactionlayer.h"
#include "transport/siptransport.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace Vigil::Gb {

class MediaSessions;

/// Counters of the whole signalling side, for the API and benchmarks.
struct GbServiceStats {
    RegistrarStats registrar;
    Sip::TransactionStats transactions;
    Transport::SipTransportStats transport;
    quint64 keepalives = 0;
    quint64 queriesSent = 0;
    quint64 queriesFailed = 0;
    quint64 queriesQueued = 0; ///< waiting for a free slot right now
    quint64 catalogSyncs = 0;
    quint64 badBodies = 0;     ///< MANSCDP bodies that did not parse
};

/// The GB/T 28181 server on the signalling thread: SIP transport, transactions, registrar,
/// queries and catalog sync, PTZ. The single writer of the DeviceRegistry.
///
/// Every method runs on the signalling thread (GbServer posts to it). Completion callbacks are
/// called there too; they must not block. With ServerConfig::sipThreads > 1 it also runs that
/// many minus one SipWorkers, each on a thread of its own, sharing the SIP port over UDP; they
/// answer REGISTER and keepalives and hand the rest to this thread. TCP stays here.
class GbService : public QObject {
    Q_OBJECT

public:
    template <typename T>
    using Done = std::function<void(Result<T>)>;

    GbService(const ServerConfig &config, Devices::DeviceRegistry &registry, Devices::EventLog &events,
              QObject *parent = nullptr);
    ~GbService() override;

    /// Binds the SIP sockets and starts serving. Errors say what to do (port in use...).
    Result<void> start();
    void stop();
    std::uint16_t sipPort() const;
    /// Applies new settings: the SIP sockets are re-bound when the address or port changed;
    /// registrations, devices and queries carry on. On a bind error the old sockets stay.
    Result<void> reconfigure(const ServerConfig &config);

    /// Re-reads the catalog of a device; done() gets the number of entries once the sync ends.
    void refreshCatalog(const DeviceId &device, Done<int> done);
    void queryDeviceInfo(const DeviceId &device, Done<DeviceInfoResponse> done);
    void queryDeviceStatus(const DeviceId &device, Done<DeviceStatusResponse> done);
    /// Sends a PTZ command to a channel through its device's route; done() once the device
    /// accepted it (SIP 200) or with the reason it did not.
    void sendPtz(const QString &channelId, const PtzCommand &command, Done<void> done);
    /// Adds a device by hand (for RegistrationPolicy::KnownDevicesOnly) or changes its settings.
    void setDevice(const DeviceId &device, const Devices::DeviceSettings &settings);
    /// Forgets a device: its registration, channels and settings.
    void removeDevice(const DeviceId &device);

    GbServiceStats stats() const;
    Sip::TransactionLayer &transactions() { return *m_transactions; }
    Registrar &registrar() { return *m_registrar; }
    Transport::SipTransport &transport() { return *m_transport; }
    const Devices::DeviceRegistry &registry() const { return m_registry; }
    /// Live streams (INVITE, media sessions).
    MediaSessions &media() { return *m_media; }
    const ServerConfig &config() const noexcept { return m_config; }

Q_SIGNALS:
    /// An INVITE from a device (voice broadcast, say), which nothing in the core handles yet:
    /// whoever does connects here. Direct connection only (same thread); answer through
    /// transactions(). Without a receiver the device gets 488.
    void mediaRequest(const Vigil::Sip::IncomingRequest &request);
    /// A device went offline: end its media.
    void deviceWentOffline(const Vigil::DeviceId &device);

private:
    struct Worker;
    Result<void> startWorkers();
    void stopWorkers();

    struct PendingQuery {
        DeviceId device;
        CmdType cmdType = CmdType::Other;
        std::int64_t deadlineMs = 0;
        std::function<void(Result<ManscdpMessage>)> done;
    };
    void onRequest(const Sip::IncomingRequest &request);
    void onMessage(const Sip::IncomingRequest &request, const DeviceId &device);
    void onNotify(const Sip::IncomingRequest &request, const DeviceId &device);
    void handleBody(const DeviceId &device, const ManscdpMessage &body);
    void handleCatalog(const DeviceId &device, const ManscdpMessage &body);
    void applyCatalog(const CatalogCollector::Result &result);
    void respond(const Sip::IncomingRequest &request, int code);

    /// Sends a MESSAGE with `body` to `target` (the device or one of its channels) through the
    /// device's route. `done` gets the final SIP outcome.
    Result<void> sendMessage(const DeviceId &device, const GbId &target, const ManscdpBody &body,
                             std::function<void(Result<void>)> done);
    /// Sends a query and waits for its Response by SN (30 s after the device took it).
    void startQuery(const DeviceId &device, CmdType cmdType, std::function<void(Result<ManscdpMessage>)> done);
    void finishQuery(std::uint32_t sn, Result<ManscdpMessage> result);
    /// Sends a Catalog query; done() when the sync completes, goes quiet or cannot start.
    void startCatalogSync(const DeviceId &device, Done<int> done);
    /// Work started on behalf of registrations waits for one of a few slots, so that a
    /// registration storm (every device after a power cut) cannot flood devices with queries.
    /// `work` gets a function it must call exactly once when it is done.
    void runBackground(std::function<void(std::function<void()> finished)> work);
    void pumpBackground();
    void onFreshRegistration(const DeviceId &device);
    void onProbe(const DeviceId &device);
    void onOffline(const DeviceId &device, Devices::OfflineReason reason);
    void tick();
    std::uint32_t nextSn();
    ManscdpBuilder builderFor(const DeviceId &device) const;
    QByteArray fromHeader();
    std::int64_t nowMs() const { return m_clock.elapsed(); }
    Error deviceOffline(const DeviceId &device) const;

    ServerConfig m_config;
    Devices::DeviceRegistry &m_registry;
    Devices::EventLog &m_events;
    std::unique_ptr<Transport::SipTransport> m_transport;
    std::unique_ptr<Sip::TransactionLayer> m_transactions;
    std::unique_ptr<Registrar> m_registrar;
    std::unique_ptr<MediaSessions> m_media; ///< before the transactions it sends BYEs through go
    std::vector<std::unique_ptr<Worker>> m_workers;
    CatalogCollector m_catalogs;
    QHash<std::uint32_t, PendingQuery> m_queries;          ///< by SN
    struct CatalogWaiter {
        DeviceId device;
        Done<int> done;
    };
    QHash<std::uint32_t, CatalogWaiter> m_catalogWaiters;   ///< by SN
    /// Ends the catalog syncs of a device that went away, telling whoever waits.
    void abandonCatalogSyncs(const DeviceId &device, const Error &why);
    std::deque<std::function<void()>> m_backgroundQueue;
    int m_backgroundInFlight = 0;
    QElapsedTimer m_clock;
    QTimer *m_tickTimer = nullptr;
    std::uint32_t m_nextSn = 1;
    std::uint32_t m_nextCSeq = 1;
    mutable GbServiceStats m_stats;
};

} // namespace Vigil::Gb
