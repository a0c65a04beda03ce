#pragma once

#include "common/result.h"
#include "devices/deviceregistry.h"
#include "devices/eventlog.h"
#include "gb28181/manscdp.h"
#include "gb28181/mediasessions.h"
#include "media/ffmpeg/videoframe.h"
#include "gb28181/ptzcommand.h"
#include "gb28181/serverconfig.h"

#include <QFuture>
#include <QObject>
#include <QString>

#include <memory>

namespace Vigil::Gb {

class GbService;
struct GbServiceStats;

/// The front door of the GB/T 28181 server for the console and vigild: owns the signalling
/// thread (GbService: transport, transactions, registrar, queries) and the storage thread,
/// and offers a thread-safe API.
///
/// Lives on the thread that created it (the GUI or main thread). registry() and events() are
/// safe to read from any thread; their signals come from the signalling thread, so connect
/// them queued. Actions return QFutures that finish on the signalling thread: chain with
/// QFuture::then(context, ...) to come back to yours. Nothing here blocks on the network.
class GbServer : public QObject {
    Q_OBJECT

public:
    struct Options {
        ServerConfig config;
        /// Folder for vigil.db; created when missing.
        QString dataDir;
    };

    explicit GbServer(Options options, QObject *parent = nullptr);
    ~GbServer() override;

    /// Loads devices from storage, starts the threads and binds the SIP port. Blocks briefly
    /// (storage and socket set-up). The error says what to do, e.g. when the port is taken.
    Result<void> start();
    /// Writes what is pending to storage and stops both threads.
    void stop();
    bool isRunning() const noexcept { return m_running; }
    std::uint16_t sipPort() const noexcept { return m_sipPort; }
    const ServerConfig &config() const noexcept { return m_options.config; }

    const Devices::DeviceRegistry &registry() const;
    Devices::EventLog &events();

    QFuture<Result<int>> refreshCatalog(const DeviceId &device);
    QFuture<Result<DeviceInfoResponse>> queryDeviceInfo(const DeviceId &device);
    QFuture<Result<DeviceStatusResponse>> queryDeviceStatus(const DeviceId &device);
    /// Sends a PTZ command to a channel (or to an IPC by its own ID).
    QFuture<Result<void>> ptz(const QString &channelId, const PtzCommand &command);
    /// Adds a device by hand or changes its settings (password, charset, transport, profile).
    QFuture<Result<void>> setDevice(const DeviceId &device, const Devices::DeviceSettings &settings);
    QFuture<Result<void>> removeDevice(const DeviceId &device);
    QFuture<GbServiceStats> stats();
    /// Applies new settings to the running server (see GbService::reconfigure()).
    QFuture<Result<void>> applyConfig(const ServerConfig &config);

    /// Starts a live stream of a channel (INVITE); its progress comes through
    /// streamStatusChanged(). Fails at once when the channel or its device is unknown or
    /// offline, or no media port is free.
    QFuture<Result<StreamId>> openStream(const QString &channelId, StreamOptions options = {});
    /// Ends a stream (BYE); its last status says Ended.
    void closeStream(StreamId id);
    QFuture<std::optional<StreamStatus>> streamStatus(StreamId id);
    QFuture<QList<StreamStatus>> streams();
    /// The newest decoded picture of a stream (for snapshots).
    QFuture<Result<Media::VideoFrame>> latestFrame(StreamId id);

    /// The signalling-side service, for code that runs on the signalling thread (media).
    GbService *service() const noexcept { return m_service; }

Q_SIGNALS:
    /// From the signalling thread: connect queued (the default across threads).
    void streamStatusChanged(const Vigil::Gb::StreamStatus &status);

private:
    class Threads;
    /// Runs `work(service, done)` on the signalling thread; the future gets what `done` is
    /// given there, or `whenStopped` at once when the server does not run.
    template <typename T, typename Work>
    QFuture<T> onService(T whenStopped, Work work);
    Options m_options;
    std::unique_ptr<Threads> m_threads;
    Devices::DeviceRegistry *m_registry = nullptr; ///< lives on the signalling thread
    std::unique_ptr<Devices::EventLog> m_events;
    GbService *m_service = nullptr;                ///< lives on the signalling thread
    std::uint16_t m_sipPort = 0;
    bool m_running = false;
};

} // namespace Vigil::Gb
