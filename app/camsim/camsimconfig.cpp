#include "camsimconfig.h"

#include "common/version.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <array>

using namespace Qt::StringLiterals;

namespace Vigil::CamSim {

namespace {

/// Names installers give cameras on a Chinese site; channels take them in turn.
constexpr std::array kChannelNames = {
    u"大门口", u"一号楼东侧", u"一号楼西侧", u"二号楼大厅", u"停车场入口", u"停车场出口", u"东门入口", u"南门岗亭",
    u"北侧围墙", u"仓库通道", u"电梯厅", u"食堂", u"机房", u"办公区走廊", u"收费站", u"操场",
};

QString channelName(int serial)
{
    const auto count = int(kChannelNames.size());
    QString name = QString::fromUtf16(kChannelNames[std::size_t(serial % count)]);
    if (serial >= count)
        name += u' ' + QString::number(serial / count + 1);
    return name;
}

QByteArray idWith(QByteArrayView domainAndIndustry, QByteArrayView type, char network, int serial)
{
    return domainAndIndustry.toByteArray() + type.toByteArray() + network + QByteArray::number(serial).rightJustified(6, '0');
}

} // namespace

Result<void> SimulatorConfig::validate() const
{
    if (deviceCount < 0 || extraIpcs < 0 || deviceCount + extraIpcs < 1)
        return fail(ErrorCode::InvalidArgument, tr("Simulate at least one device (--devices, --ipcs)."));
    if (kind == DeviceKind::Nvr && (channelsPerDevice < 1 || channelsPerDevice > 9999))
        return fail(ErrorCode::InvalidArgument, tr("An NVR has 1 to 9999 channels (--channels)."));
    if (!GbId::isWellFormed(server.serverId))
        return fail(ErrorCode::InvalidArgument,
                    tr("The server ID \"%1\" is not 20 digits (--server-id).").arg(QString::fromLatin1(server.serverId)));
    if (server.address.isNull() || server.port == 0)
        return fail(ErrorCode::InvalidArgument, tr("Say where the platform is: --server HOST:PORT."));
    if (timers.keepaliveIntervalSec < 1 || timers.registerExpiresSec < 1 || timers.retryDelayMs < 0)
        return fail(ErrorCode::InvalidArgument, tr("Keepalive interval and expiry must be at least 1 s."));
    const auto percentOk = [](double value) { return value >= 0.0 && value <= 100.0; };
    if (!percentOk(mediaFaults.lossPercent) || !percentOk(mediaFaults.reorderPercent) || !percentOk(mediaFaults.duplicatePercent))
        return fail(ErrorCode::InvalidArgument, tr("--loss, --reorder and --duplicate take percentages from 0 to 100."));
    if (registrationsPerSec < 0)
        return fail(ErrorCode::InvalidArgument, tr("--rate cannot be negative."));
    const int channels = kind == DeviceKind::Nvr ? channelsPerDevice : 1;
    const qint64 lastSerial = qint64(baseId.isNull() ? 1 : baseId.serial()) + qint64(deviceCount) * channels + extraIpcs
        + deviceCount + extraIpcs;
    if (lastSerial > 999999)
        return fail(ErrorCode::InvalidArgument,
                    tr("%1 devices with their channels do not fit in the 6-digit serials after the base ID; "
                       "use a lower --base-id serial or fewer devices.")
                        .arg(deviceCount + extraIpcs));
    return {};
}

QList<DeviceConfig> SimulatorConfig::deviceConfigs() const
{
    const GbId base = baseId.isNull() ? GbId(*GbId::parse(QByteArrayView("34020000001320000001"))) : GbId(baseId);
    const QByteArrayView digits = base.view();
    const QByteArrayView domainAndIndustry = digits.first(10);
    const char network = digits[13];
    int nextDeviceSerial = base.serial();
    int nextChannelSerial = base.serial();

    QList<DeviceConfig> devices;
    devices.reserve(deviceCount + extraIpcs);
    const auto addDevice = [&](DeviceKind deviceKind, int channelCount, int number) {
        DeviceConfig device;
        device.kind = deviceKind;
        device.id = *DeviceId::parse(idWith(domainAndIndustry, deviceKind == DeviceKind::Nvr ? "118" : "132", network,
                                            nextDeviceSerial++));
        device.charset = charset;
        device.catalogItemsPerMessage = catalogItemsPerMessage;
        device.model = deviceKind == DeviceKind::Nvr ? u"camsim NVR"_s : u"camsim IPC"_s;
        device.firmware = QString::fromLatin1(Vigil::kVersion);
        for (int c = 0; c < channelCount; ++c) {
            ChannelConfig channel;
            channel.id = *ChannelId::parse(idWith(domainAndIndustry, "131", network, nextChannelSerial));
            channel.name = channelName(nextChannelSerial - base.serial());
            channel.address = u"%1 %2"_s.arg(channel.name).arg(c + 1);
            channel.ptzType = 1;
            ++nextChannelSerial;
            device.channels.append(std::move(channel));
        }
        device.name = deviceKind == DeviceKind::Nvr ? u"网络录像机 %1"_s.arg(number) : device.channels.front().name;
        devices.append(std::move(device));
    };
    for (int i = 0; i < deviceCount; ++i)
        addDevice(kind, kind == DeviceKind::Nvr ? channelsPerDevice : 1, i + 1);
    for (int i = 0; i < extraIpcs; ++i)
        addDevice(DeviceKind::Ipc, 1, deviceCount + i + 1);
    return devices;
}

MediaFiles SimulatorConfig::mediaFiles() const
{
    MediaFiles files{videoPath, subVideoPath, audioPath};
    if (files.video.isEmpty()) {
        files.video = demoMediaPath(kDemoVideoFile);
        if (files.audio.isEmpty())
            files.audio = demoMediaPath(kDemoAudioFile);
        if (files.subVideo.isEmpty())
            files.subVideo = demoMediaPath(kDemoSubVideoFile);
    }
    if (files.subVideo.isEmpty())
        files.subVideo = files.video;
    return files;
}

QString demoMediaPath(const QString &fileName)
{
    const QString relative = u"vigil/"_s + fileName;
    // Next to the binaries: build/bin/../share/vigil (the build tree; tests live in build/tests)
    // and <prefix>/bin/../share/vigil (an installation).
    const QDir appDir(QCoreApplication::applicationDirPath());
    const QString beside = QDir::cleanPath(appDir.filePath(u"../share/"_s + relative));
    if (QFileInfo::exists(beside))
        return beside;
    return QStandardPaths::locate(QStandardPaths::GenericDataLocation, relative);
}

} // namespace Vigil::CamSim
