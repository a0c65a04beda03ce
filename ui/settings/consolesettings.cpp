#include "consolesettings.h"

#include "appearance.h"
#include "localization.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace Vigil::Ui {

ConsoleSettings ConsoleSettings::load(const QSettings &settings)
{
    ConsoleSettings result;
    const QString language = settings.value(u"console/language"_s).toString();
    if (language == u"zh_CN"_s)
        result.language = Language::Chinese;
    else if (language == u"en"_s)
        result.language = Language::English;
    const QString theme = settings.value(u"console/theme"_s).toString();
    if (theme == u"light"_s)
        result.theme = Theme::Light;
    else if (theme == u"dark"_s)
        result.theme = Theme::Dark;
    result.snapshotFolder = settings.value(u"console/snapshot-folder"_s).toString();
    if (settings.value(u"console/snapshot-format"_s).toString() == u"png"_s)
        result.snapshotFormat = SnapshotFormat::Png;
    result.automaticStreams = settings.value(u"console/automatic-streams"_s, true).toBool();
    return result;
}

void ConsoleSettings::save(QSettings &settings) const
{
    const auto languageKey = [this] {
        switch (language) {
        case Language::Chinese: return u"zh_CN"_s;
        case Language::English: return u"en"_s;
        case Language::System: break;
        }
        return u"system"_s;
    };
    const auto themeKey = [this] {
        switch (theme) {
        case Theme::Light: return u"light"_s;
        case Theme::Dark: return u"dark"_s;
        case Theme::System: break;
        }
        return u"system"_s;
    };
    settings.setValue(u"console/language"_s, languageKey());
    settings.setValue(u"console/theme"_s, themeKey());
    settings.setValue(u"console/snapshot-folder"_s, snapshotFolder);
    settings.setValue(u"console/snapshot-format"_s,
                      snapshotFormat == SnapshotFormat::Png ? u"png"_s : u"jpeg"_s);
    settings.setValue(u"console/automatic-streams"_s, automaticStreams);
}

QString ConsoleSettings::defaultSnapshotFolder()
{
    QString pictures = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    if (pictures.isEmpty())
        pictures = QDir::homePath();
    return QDir(pictures).filePath(u"Vigil"_s);
}

QString ConsoleSettings::effectiveSnapshotFolder() const
{
    return snapshotFolder.trimmed().isEmpty() ? defaultSnapshotFolder() : snapshotFolder;
}

void applyConsoleSettings(const ConsoleSettings &settings)
{
    Localization::apply(settings.language);
    Appearance::apply(settings.theme);
}

} // namespace Vigil::Ui
