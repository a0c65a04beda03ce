#pragma once

#include <QLoggingCategory>

// vigil-camsim's own category: one line per registration, command and stream, for people
// watching a demo or a test log. Silence with QT_LOGGING_RULES="vigil.camsim.info=false".
Q_DECLARE_LOGGING_CATEGORY(lcCamsim)
