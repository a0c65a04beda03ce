#pragma once

// Shared by the console's GUI tests: a ConsoleBackend over a real registry and event log that
// records what the widgets ask for, settings isolated in a temporary folder, devices and
// channels as NVRs and platforms report them, and YUV test pictures.

#include "consolebackend.h"
#include "devices/deviceregistry.h"
#include "devices/eventlog.h"
#include "video/latestframeslot.h"
#include "video/videogrid.h"
#include "video/yuvframe.h"

#include <QColor>
#include <QPointer>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QFuture>

#include <algorithm>
#include <cmath>
#include <memory>

namespace UiTest {

using namespace Qt::StringLiterals;
using namespace Vigil;

/// Points QSettings at a fresh temporary folder for the whole test process, so tests neither
/// read nor write the user's settings.
inline void isolateSettings()
{
    static QTemporaryDir dir;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
}

/// The smallest of the square layouts (1, 4, 9, 16, 25) that holds `tiles` tiles.
inline Ui::VideoGrid::Layout squareLayoutFor(int tiles)
{
    using Layout = Ui::VideoGrid::Layout;
    return tiles <= 1 ? Layout::One
        : tiles <= 4  ? Layout::Four
        : tiles <= 9  ? Layout::Nine
        : tiles <= 16 ? Layout::Sixteen
                      : Layout::TwentyFive;
}

inline DeviceId deviceId(const char *digits)
{
    return DeviceId(*GbId::parse(QByteArrayView(digits)));
}

inline Sip::Peer peer(const char *address = "192.0.2.10", std::uint16_t port = 5060)
{
    Sip::Peer p;
    p.address = QHostAddress(QString::fromLatin1(address));
    p.port = port;
    return p;
}

inline Devices::Channel channel(const QString &id, const QString &name, const QString &parentId = {},
                                int ptzType = 1, bool online = true)
{
    Devices::Channel c;
    c.id = id;
    c.name = name;
    c.kind = Devices::Channel::kindOf(id);
    c.parentId = parentId;
    c.ptzType = ptzType;
    c.online = online;
    return c;
}

/// A ConsoleBackend over a real DeviceRegistry and EventLog owned by the GUI thread (the test
/// writes to them directly), recording every action the widgets ask for.
class TestBackend : public Ui::ConsoleBackend {
public:
    struct OpenedStream {
        QString channelId;
        Devices::StreamProfile profile;
        std::shared_ptr<Ui::LatestFrameSlot> frames;
        QPointer<Ui::LiveStream> stream;
    };

    Devices::DeviceRegistry registryObject;
    Devices::EventLog eventLog{1000};
    Gb::ServerConfig config;
    QList<std::pair<QString, Gb::PtzCommand>> ptzCommands;
    QList<OpenedStream> streams;
    QList<DeviceId> catalogRefreshes;
    QList<DeviceId> infoQueries;
    QList<DeviceId> removals;
    QList<std::pair<DeviceId, Devices::DeviceSettings>> settingsChanges;
    QList<Gb::ServerConfig> appliedConfigs;
    /// What the next openStream() returns: a stream in this state.
    Ui::LiveStream::State initialStreamState = Ui::LiveStream::State::Connecting;

    const Devices::DeviceRegistry &registry() const override { return registryObject; }
    Devices::EventLog &events() override { return eventLog; }
    Gb::ServerConfig serverConfig() const override { return config; }

    QFuture<Result<int>> refreshCatalog(const DeviceId &device) override
    {
        catalogRefreshes.append(device);
        return QtFuture::makeReadyFuture(Result<int>(int(registryObject.channels(device).size())));
    }
    QFuture<Result<void>> queryDeviceInfo(const DeviceId &device) override
    {
        infoQueries.append(device);
        return QtFuture::makeReadyFuture(Result<void>());
    }
    QFuture<Result<void>> ptz(const QString &channelId, const Gb::PtzCommand &command) override
    {
        ptzCommands.append({channelId, command});
        return QtFuture::makeReadyFuture(Result<void>());
    }
    QFuture<Result<void>> setDeviceSettings(const DeviceId &device, const Devices::DeviceSettings &settings) override
    {
        settingsChanges.append({device, settings});
        return QtFuture::makeReadyFuture(Result<void>());
    }
    QFuture<Result<void>> removeDevice(const DeviceId &device) override
    {
        removals.append(device);
        registryObject.remove(device);
        return QtFuture::makeReadyFuture(Result<void>());
    }
    QFuture<Result<void>> applyServerConfig(const Gb::ServerConfig &newConfig) override
    {
        appliedConfigs.append(newConfig);
        config = newConfig;
        return QtFuture::makeReadyFuture(Result<void>());
    }
    std::unique_ptr<Ui::LiveStream> openStream(const QString &channelId, Devices::StreamProfile profile,
                                               std::shared_ptr<Ui::LatestFrameSlot> frames) override
    {
        auto stream = std::make_unique<Ui::LiveStream>(channelId);
        stream->setState(initialStreamState,
                         initialStreamState == Ui::LiveStream::State::Failed ? u"The device refused the stream (488)."_s
                                                                             : QString());
        streams.append({channelId, profile, frames, stream.get()});
        return stream;
    }

    /// The stream most recently opened for `channelId` that is still open, or null.
    OpenedStream *openStreamFor(const QString &channelId)
    {
        for (auto it = streams.rbegin(); it != streams.rend(); ++it) {
            if (it->channelId == channelId && it->stream)
                return &*it;
        }
        return nullptr;
    }
    int openCount() const
    {
        return int(std::count_if(streams.begin(), streams.end(), [](const OpenedStream &s) { return !s.stream.isNull(); }));
    }

    /// A registered, online device with DeviceInfo and a catalog.
    void addDevice(const DeviceId &id, const QString &name, const QList<Devices::Channel> &channels = {},
                   const char *address = "192.0.2.10")
    {
        registryObject.markRegistered(id, peer(address), QDateTime::currentDateTimeUtc().addSecs(3600),
                                      u"call-"_s + id.toString(), u"IP Camera"_s, u"2.0"_s);
        registryObject.setDeviceInfo(id, name, u"Hikvision"_s, u"DS-7608NI-K2"_s, u"V4.30.085"_s,
                                     int(channels.size()));
        if (!channels.isEmpty())
            registryObject.replaceChannels(id, channels);
    }
};

/// An 8-bit sample of `value` (0..1) in the given range, as an encoder writes it.
inline int toSample(double value, bool luma, Ui::YuvRange range)
{
    if (range == Ui::YuvRange::Full)
        return std::clamp(int(std::lround(luma ? value * 255.0 : value * 255.0 + 128.0)), 0, 255);
    return std::clamp(int(std::lround(luma ? 16.0 + 219.0 * value : 128.0 + 224.0 * value)), 0, 255);
}

/// Y, U, V of an RGB colour, with the standard forward equations (independent of the
/// console's inverse matrix).
inline std::array<int, 3> yuvOf(const QColor &rgb, Ui::YuvMatrix matrix, Ui::YuvRange range)
{
    const double kr = matrix == Ui::YuvMatrix::Bt709 ? 0.2126 : 0.299;
    const double kb = matrix == Ui::YuvMatrix::Bt709 ? 0.0722 : 0.114;
    const double r = rgb.redF(), g = rgb.greenF(), b = rgb.blueF();
    const double y = kr * r + (1 - kr - kb) * g + kb * b;
    const double u = (b - y) / (2 * (1 - kb));
    const double v = (r - y) / (2 * (1 - kr));
    return {toSample(y, true, range), toSample(u, false, range), toSample(v, false, range)};
}

/// Vertical bars of `colors`, equal widths (even), in a frame whose planes have `padding`
/// extra bytes per row (to exercise strides).
inline std::shared_ptr<const Ui::YuvFrame> colorBars(int width, int height, const QList<QColor> &colors,
                                                     Ui::YuvMatrix matrix = Ui::YuvMatrix::Bt601,
                                                     Ui::YuvRange range = Ui::YuvRange::Limited, int padding = 0)
{
    const int chromaWidth = (width + 1) / 2;
    const int chromaHeight = (height + 1) / 2;
    const std::array<int, 3> strides{width + padding, chromaWidth + padding, chromaWidth + padding};
    auto buffer = std::make_shared<QByteArray>(strides[0] * height + 2 * strides[1] * chromaHeight, '\0');
    auto *base = reinterpret_cast<uchar *>(buffer->data());
    const std::array<uchar *, 3> planes{base, base + strides[0] * height, base + strides[0] * height + strides[1] * chromaHeight};
    const auto barOf = [&](int x, int planeWidth) { return std::min(int(colors.size()) - 1, x * int(colors.size()) / planeWidth); };
    for (int plane = 0; plane < 3; ++plane) {
        const int w = plane == 0 ? width : chromaWidth;
        const int h = plane == 0 ? height : chromaHeight;
        for (int y = 0; y < h; ++y) {
            for (int x = 0; x < w; ++x)
                planes[std::size_t(plane)][y * strides[std::size_t(plane)] + x]
                    = uchar(yuvOf(colors[barOf(x, w)], matrix, range)[std::size_t(plane)]);
        }
    }
    return Ui::YuvFrame::wrap(width, height, {planes[0], planes[1], planes[2]}, strides, matrix, range, buffer);
}

inline bool closeTo(QRgb actual, const QColor &expected, int tolerance = 8)
{
    return std::abs(qRed(actual) - expected.red()) <= tolerance && std::abs(qGreen(actual) - expected.green()) <= tolerance
        && std::abs(qBlue(actual) - expected.blue()) <= tolerance;
}

inline const QList<QColor> &barColors()
{
    static const QList<QColor> colors{Qt::white, Qt::yellow, Qt::cyan, Qt::green, Qt::magenta, Qt::red, Qt::blue, Qt::black};
    return colors;
}

} // namespace UiTest
