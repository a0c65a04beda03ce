#include "serverbackend.h"

#include "media/mediatypes.h"
#include "video/latestframeslot.h"
#include "video/yuvframe.h"

#include <QPointer>
#include <QSettings>

namespace Vigil::Console {

ServerBackend::ServerBackend(Gb::GbServer &server)
    : m_server(server)
{
}

const Devices::DeviceRegistry &ServerBackend::registry() const
{
    return m_server.registry();
}

Devices::EventLog &ServerBackend::events()
{
    return m_server.events();
}

Gb::ServerConfig ServerBackend::serverConfig() const
{
    return m_server.config();
}

QFuture<Result<int>> ServerBackend::refreshCatalog(const DeviceId &device)
{
    return m_server.refreshCatalog(device);
}

QFuture<Result<void>> ServerBackend::queryDeviceInfo(const DeviceId &device)
{
    return m_server.queryDeviceInfo(device).then([](Result<Gb::DeviceInfoResponse> result) -> Result<void> {
        if (!result)
            return std::unexpected(result.error());
        return {};
    });
}

QFuture<Result<void>> ServerBackend::ptz(const QString &channelId, const Gb::PtzCommand &command)
{
    return m_server.ptz(channelId, command);
}

QFuture<Result<void>> ServerBackend::setDeviceSettings(const DeviceId &device, const Devices::DeviceSettings &settings)
{
    return m_server.setDevice(device, settings);
}

QFuture<Result<void>> ServerBackend::removeDevice(const DeviceId &device)
{
    return m_server.removeDevice(device);
}

QFuture<Result<void>> ServerBackend::applyServerConfig(const Gb::ServerConfig &config)
{
    QSettings settings;
    config.save(settings);
    return m_server.applyConfig(config);
}

namespace {

/// A decoded picture as the tile's YUV frame, without copying the pixels: the frame keeps the
/// decoder's buffers alive for as long as the tile shows it.
std::shared_ptr<const Ui::YuvFrame> toYuvFrame(const Media::VideoFrame &frame)
{
    auto owner = std::make_shared<const Media::VideoFrame>(frame);
    const Ui::YuvMatrix matrix =
        frame.colorMatrix() == Media::ColorMatrix::Bt601 ? Ui::YuvMatrix::Bt601 : Ui::YuvMatrix::Bt709;
    const Ui::YuvRange range =
        frame.pixelFormat() == Media::VideoPixelFormat::Yuvj420p ? Ui::YuvRange::Full : Ui::YuvRange::Limited;
    return Ui::YuvFrame::wrap(frame.width(), frame.height(), {frame.plane(0), frame.plane(1), frame.plane(2)},
                              {frame.stride(0), frame.stride(1), frame.stride(2)}, matrix, range, std::move(owner));
}

Ui::StreamStats statsOf(const Gb::StreamStatus &status)
{
    Ui::StreamStats stats;
    if (status.health.videoCodec != Media::VideoCodec::Unknown)
        stats.codec = QString(Media::codecName(status.health.videoCodec));
    stats.transport = QString(Media::transportName(status.transport));
    stats.bitrateBps = status.health.bitrateInBps;
    stats.packetsLost = std::int64_t(status.health.packetsLost);
    return stats;
}

} // namespace

/// What a tile's LiveStream and the server's stream share: the id arrives later than the
/// LiveStream is handed out, and the LiveStream may go before it does.
struct ServerBackend::StreamLink {
    Gb::StreamId id = 0;
    bool closed = false; ///< the tile let go of its LiveStream
};

std::unique_ptr<Ui::LiveStream> ServerBackend::openStream(const QString &channelId, Devices::StreamProfile profile,
                                                          std::shared_ptr<Ui::LatestFrameSlot> frames)
{
    auto stream = std::make_unique<Ui::LiveStream>(channelId);
    Ui::LiveStream *live = stream.get();
    auto link = std::make_shared<StreamLink>();
    Gb::GbServer *server = &m_server;

    // Status comes from the signalling thread; the LiveStream is the context, so nothing
    // arrives after it is gone.
    QObject::connect(server, &Gb::GbServer::streamStatusChanged, live, [live, link](const Gb::StreamStatus &status) {
        if (link->id == 0 || status.id != link->id)
            return;
        live->setStats(statsOf(status));
        switch (status.state) {
        case Gb::SessionState::Inviting:
        case Gb::SessionState::Connecting:
            live->setState(Ui::LiveStream::State::Connecting);
            break;
        case Gb::SessionState::Stalled:
            live->setState(Ui::LiveStream::State::Connecting, status.error);
            break;
        case Gb::SessionState::Playing:
            live->setState(Ui::LiveStream::State::Playing);
            break;
        case Gb::SessionState::Failed:
            live->setState(Ui::LiveStream::State::Failed, status.error);
            break;
        case Gb::SessionState::Ended:
            live->setState(Ui::LiveStream::State::Ended, status.error);
            break;
        }
    });
    // The tile deleting its LiveStream ends the stream (BYE) without waiting for anything.
    QObject::connect(live, &QObject::destroyed, server, [server, link] {
        link->closed = true;
        if (link->id != 0)
            server->closeStream(link->id);
    });

    Gb::StreamOptions options;
    options.profile = profile;
    options.onFrame = [frames](const Media::VideoFrame &frame) {
        if (auto yuv = toYuvFrame(frame))
            frames->publish(std::move(yuv));
    };
    // Continued on the server's (GUI) thread; `live` may be gone by then, `link` says so.
    QPointer<Ui::LiveStream> guard(live);
    m_server.openStream(channelId, std::move(options)).then(server, [server, link, guard](Result<Gb::StreamId> opened) {
        if (!opened) {
            if (guard)
                guard->setState(Ui::LiveStream::State::Failed, opened.error().message);
            return;
        }
        link->id = *opened;
        if (link->closed)
            server->closeStream(*opened);
    });
    return stream;
}

} // namespace Vigil::Console
