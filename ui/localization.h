#pragma once

#include <QLocale>

namespace Vigil::Ui {

/// Installs Vigil's and Qt's own translations into the running application.
/// GUI thread only. Calling it again switches the language at run time.
class Localization {
public:
    /// Installs the translations for `locale` (the system locale by default).
    /// Returns false when Vigil has no translation for it; the UI then stays in English.
    static bool apply(const QLocale &locale = QLocale());
};

} // namespace Vigil::Ui
