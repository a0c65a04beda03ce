#pragma once

#include "settings/consolesettings.h"

#include <QPalette>

namespace Vigil::Ui {

/// Switches the console between the platform's look (System), a light and a dark Fusion
/// theme. Qt 6.4 cannot tell whether the platform prefers dark, so System keeps the style and
/// palette the application started with. GUI thread.
class Appearance {
public:
    static void apply(Theme theme);
    static Theme current() noexcept;
    static QPalette darkPalette();
};

} // namespace Vigil::Ui
