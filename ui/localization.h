#pragma once

#include "settings/consolesettings.h"

#include <QLocale>

namespace Vigil::Ui {

/// Installs Vigil's and Qt's own translations into the running application.
/// GUI thread only. Calling it again switches the language at run time: every widget gets a
/// QEvent::LanguageChange and retranslates itself.
class Localization {
public:
    /// Installs the translations for `locale` (the system locale by default).
    /// Returns false when Vigil has no translation for it; the UI then stays in English.
    static bool apply(const QLocale &locale = QLocale());
    /// Installs the translations for a language setting (System: the system locale).
    static bool apply(Language language);
    /// The locale a language setting stands for.
    static QLocale localeFor(Language language);
};

} // namespace Vigil::Ui
