#pragma once

#include <QLoggingCategory>

// The console's logging category ("vigil.ui"), English, for developers. Enable with
// QT_LOGGING_RULES="vigil.ui.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcUi)
