#include "localization.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

#include <memory>

using namespace Qt::StringLiterals;

namespace Vigil::Ui {

bool Localization::apply(const QLocale &locale)
{
    // Owned here for the life of the application; QCoreApplication only keeps pointers.
    static std::unique_ptr<QTranslator> qtTranslator;
    static std::unique_ptr<QTranslator> vigilTranslator;

    for (auto *translator : {qtTranslator.get(), vigilTranslator.get()}) {
        if (translator)
            QCoreApplication::removeTranslator(translator);
    }
    qtTranslator = std::make_unique<QTranslator>();
    vigilTranslator = std::make_unique<QTranslator>();

    if (qtTranslator->load(locale, u"qtbase"_s, u"_"_s,
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qtTranslator.get());
    // The .qm files are compiled into vigil_ui by qt_add_translations().
    const bool found = vigilTranslator->load(locale, u"vigil"_s, u"_"_s, u":/i18n"_s);
    if (found)
        QCoreApplication::installTranslator(vigilTranslator.get());
    return found;
}

QLocale Localization::localeFor(Language language)
{
    switch (language) {
    case Language::Chinese: return QLocale(QLocale::Chinese, QLocale::China);
    case Language::English: return QLocale(QLocale::English, QLocale::UnitedStates);
    case Language::System: break;
    }
    return QLocale::system();
}

bool Localization::apply(Language language)
{
    const QLocale locale = localeFor(language);
    QLocale::setDefault(locale);
    return apply(locale);
}

} // namespace Vigil::Ui
