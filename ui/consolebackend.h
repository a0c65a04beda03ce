#pragma once

#include "common/gbid.h"
#include "common/result.h"
#include "devices/device.h"
#include "gb28181/ptzcommand.h"
#include "gb28181/serverconfig.h"

#include <QFuture>
#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>

namespace Vigil::Devices {
class DeviceRegistry;
class EventLog;
} // namespace Vigil::Devices

namespace Vigil::Ui {

class LatestFrameSlot;

/// What a live stream reports about itself, for a tile's hover overlay and the status bar.
struct StreamStats {
    QString codec;              ///< "H.264", "H.265"...; empty until known
    QString transport;          ///< "UDP", "TCP passive"...; empty until known
    std::int64_t bitrateBps = 0; ///< inbound media bits per second, over the last seconds
    std::int64_t packetsLost = 0;
};

/// A live stream shown in a video tile, as the media layer reports it.
///
/// Created by ConsoleBackend::openStream() and owned by the tile: deleting it stops the stream
/// (BYE, port released) without blocking. Lives on the GUI thread; the media layer updates its
/// state and stats with queued calls and writes decoded pictures straight into the tile's
/// LatestFrameSlot from its own thread. Whether pictures keep coming is the tile's business:
/// it shows a stream as stalled by itself when they stop, whatever the state says.
class LiveStream : public QObject {
    Q_OBJECT

public:
    enum class State : std::uint8_t {
        Connecting, ///< INVITE sent, or waiting for the first RTP packets
        Playing,    ///< media arrives
        Failed,     ///< could not start, or broke; reason() says why
        Ended,      ///< the device ended it (BYE); reason() may say why
    };
    Q_ENUM(State)

    explicit LiveStream(QString channelId, QObject *parent = nullptr);

    const QString &channelId() const noexcept { return m_channelId; }
    State state() const noexcept { return m_state; }
    /// Translated, operator-facing: what went wrong and what to do.
    const QString &reason() const noexcept { return m_reason; }
    const StreamStats &stats() const noexcept { return m_stats; }

    void setState(State state, const QString &reason = {});
    void setStats(const StreamStats &stats);

Q_SIGNALS:
    void stateChanged(Vigil::Ui::LiveStream::State state);

private:
    QString m_channelId;
    State m_state = State::Connecting;
    QString m_reason;
    StreamStats m_stats;
};

/// The console's view of the GB/T 28181 server and the media layer: everything the widgets
/// read or ask for, in one thin seam. The production implementation sits on Gb::GbServer and
/// the stream sessions; tests implement it over a registry and an event log they fill.
///
/// Called on the GUI thread. The registry and the event log are read with their thread-safe
/// readers; their signals may come from another thread, so widgets connect them queued.
/// Futures may finish on any thread: widgets continue with QFuture::then(this, ...).
class ConsoleBackend {
public:
    virtual ~ConsoleBackend() = default;

    virtual const Devices::DeviceRegistry &registry() const = 0;
    virtual Devices::EventLog &events() = 0;
    /// The configuration the server runs with (the status bar and the welcome text show it).
    virtual Gb::ServerConfig serverConfig() const = 0;

    /// Asks the device for its catalog; the registry updates when it arrives.
    /// The value is the number of entries received.
    virtual QFuture<Result<int>> refreshCatalog(const DeviceId &device) = 0;
    /// Asks the device for DeviceInfo (name, model, firmware); the registry updates.
    virtual QFuture<Result<void>> queryDeviceInfo(const DeviceId &device) = 0;
    /// Sends one PTZ command to a channel (or to an IPC by its own ID).
    virtual QFuture<Result<void>> ptz(const QString &channelId, const Gb::PtzCommand &command) = 0;
    /// Changes a device's password, charset, media transport or stream profile.
    virtual QFuture<Result<void>> setDeviceSettings(const DeviceId &device,
                                                    const Devices::DeviceSettings &settings) = 0;
    virtual QFuture<Result<void>> removeDevice(const DeviceId &device) = 0;
    /// Saves a new configuration where the server reads it and restarts the server with it.
    virtual QFuture<Result<void>> applyServerConfig(const Gb::ServerConfig &config) = 0;

    /// Starts a live stream of `channelId`; decoded pictures go to `frames`. Never null: a
    /// stream that cannot start is returned in the Failed state with the reason.
    virtual std::unique_ptr<LiveStream> openStream(const QString &channelId, Devices::StreamProfile profile,
                                                   std::shared_ptr<LatestFrameSlot> frames) = 0;
};

} // namespace Vigil::Ui
