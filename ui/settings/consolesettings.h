#pragma once

#include <QString>

#include <cstdint>

class QSettings;

namespace Vigil::Ui {

/// The language of the console. System follows the system locale (Chinese there, English
/// elsewhere).
enum class Language : std::uint8_t { System, Chinese, English };
/// Colours of the console. System keeps the platform's style and palette.
enum class Theme : std::uint8_t { System, Light, Dark };
enum class SnapshotFormat : std::uint8_t { Png, Jpeg };

/// The console's own preferences (the server's are Gb::ServerConfig), kept in the "console"
/// group of the settings file.
struct ConsoleSettings {
    Language language = Language::System;
    Theme theme = Theme::System;
    QString snapshotFolder; ///< empty: "Vigil" in the user's pictures folder
    SnapshotFormat snapshotFormat = SnapshotFormat::Jpeg;
    /// Tiles smaller than half the grid play cameras' sub streams, larger and maximised tiles
    /// their main streams (VideoGrid::setAutomaticStreams()).
    bool automaticStreams = true;

    static ConsoleSettings load(const QSettings &settings);
    void save(QSettings &settings) const;
    /// snapshotFolder, or the default when it is empty.
    QString effectiveSnapshotFolder() const;
    static QString defaultSnapshotFolder();

    friend bool operator==(const ConsoleSettings &, const ConsoleSettings &) = default;
};

/// Applies the language and theme of `settings` (what the console's main() does at start,
/// before the main window is created). GUI thread.
void applyConsoleSettings(const ConsoleSettings &settings);

} // namespace Vigil::Ui
