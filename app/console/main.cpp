// vigil: the desktop console.

#include "common/version.h"
#include "gb28181/gbserver.h"
#include "mainwindow.h"
#include "media/ffmpeg/ffmpeglog.h"
#include "serverbackend.h"
#include "settings/consolesettings.h"
#include "video/videogrid.h"
#include "video/videotile.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <cstring>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

void describe(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Vigil: a console for GB/T 28181 cameras, NVRs and platforms."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption(QCommandLineOption(u"data-dir"_s,
                                        QCoreApplication::translate("main", "Folder for the device database."),
                                        u"DIR"_s));
    parser.addOption(QCommandLineOption(u"sip-port"_s,
                                        QCoreApplication::translate("main", "SIP port for this run (UDP and TCP)."),
                                        u"N"_s));
    parser.addOption(QCommandLineOption(
        u"open-channels"_s,
        QCoreApplication::translate("main", "Open the video channels of devices as they appear, in free tiles.")));
    parser.addOption(QCommandLineOption(
        u"screenshot"_s,
        QCoreApplication::translate("main", "Save a picture of the window to FILE after --screenshot-delay seconds, then quit."),
        u"FILE"_s));
    parser.addOption(QCommandLineOption(u"screenshot-delay"_s,
                                        QCoreApplication::translate("main", "Seconds before --screenshot (default 10)."),
                                        u"S"_s, u"10"_s));
}

/// --open-channels: the video channels of a device go into free tiles as its catalog comes in
/// (a demo shows live video without a click). Channels already shown stay where they are.
void openNewChannels(Vigil::Ui::VideoGrid &grid, const Vigil::Devices::DeviceRegistry &registry,
                     const Vigil::DeviceId &device)
{
    QStringList shown;
    int free = 0;
    for (int i = 0; i < grid.tileCount(); ++i) {
        const QString &channel = grid.tile(i)->channelId();
        if (channel.isEmpty())
            ++free;
        else
            shown.append(channel);
    }
    for (const Vigil::Devices::Channel &channel : registry.channels(device)) {
        if (free == 0)
            return;
        if (channel.kind != Vigil::Devices::ChannelKind::Video || shown.contains(channel.id))
            continue;
        grid.openChannel(channel.id);
        --free;
    }
}

/// --help and --version must work without a display, so they are answered before QApplication.
bool onlyWantsText(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        for (const char *option : {"-h", "--help", "--help-all", "-v", "--version"}) {
            if (std::strcmp(argv[i], option) == 0)
                return true;
        }
    }
    return false;
}

void setIdentity()
{
    QCoreApplication::setOrganizationName(u"Vigil"_s);
    QCoreApplication::setApplicationName(u"vigil"_s);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(Vigil::kVersion));
}

} // namespace

int main(int argc, char *argv[])
{
    if (onlyWantsText(argc, argv)) {
        QCoreApplication app(argc, argv);
        setIdentity();
        QCommandLineParser parser;
        describe(parser);
        parser.process(app); // prints and exits
        return 0;
    }

    QApplication app(argc, argv);
    setIdentity();
    QApplication::setApplicationDisplayName(QApplication::translate("main", "Vigil"));

    Vigil::Media::Ffmpeg::installLogHandler();
    QSettings settings;
    Vigil::Ui::applyConsoleSettings(Vigil::Ui::ConsoleSettings::load(settings));

    QCommandLineParser parser;
    describe(parser);
    parser.process(app);

    // The embedded registrar: the saved settings, the defaults when there are none.
    Vigil::Gb::GbServer::Options options;
    if (auto loaded = options.config.load(settings); !loaded)
        QMessageBox::warning(nullptr, QApplication::translate("main", "Vigil"),
                             QApplication::translate("main", "Some saved settings are invalid and were not used: %1")
                                 .arg(loaded.error().message));
    if (parser.isSet(u"sip-port"_s))
        options.config.sipPort = std::uint16_t(parser.value(u"sip-port"_s).toUInt());
    options.dataDir = parser.isSet(u"data-dir"_s) ? parser.value(u"data-dir"_s)
                                                  : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    Vigil::Gb::GbServer server(options);
    if (auto started = server.start(); !started) {
        // Still open the window so that the settings can be fixed; say what went wrong.
        QMessageBox::critical(nullptr, QApplication::translate("main", "Vigil"),
                              QApplication::translate("main", "The GB/T 28181 server could not start: %1")
                                  .arg(started.error().message));
        Vigil::Ui::MainWindow window;
        window.show();
        return app.exec();
    }

    Vigil::Console::ServerBackend backend(server);
    auto window = std::make_unique<Vigil::Ui::MainWindow>(backend);
    if (parser.isSet(u"open-channels"_s)) {
        const Vigil::Devices::DeviceRegistry &registry = server.registry();
        Vigil::Ui::VideoGrid *grid = window->videoGrid();
        QObject::connect(&registry, &Vigil::Devices::DeviceRegistry::channelsChanged, grid,
                         [grid, &registry](const Vigil::DeviceId &device) { openNewChannels(*grid, registry, device); },
                         Qt::QueuedConnection);
    }
    window->show();
    if (parser.isSet(u"screenshot"_s)) {
        // For the docs: the window as it is after a while (tiles playing), then a normal exit.
        const QString file = parser.value(u"screenshot"_s);
        const int delayMs = std::clamp(parser.value(u"screenshot-delay"_s).toInt(), 0, 3600) * 1000;
        QTimer::singleShot(delayMs, window.get(), [&window, file] {
            if (!window->screenshot().save(file))
                qCritical("cannot write the screenshot %s", qPrintable(file));
            QApplication::quit();
        });
    }
    const int status = app.exec();
    window.reset(); // the window reads the registry: close it before the server goes
    server.stop();
    return status;
}
