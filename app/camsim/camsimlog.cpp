#include "camsimlog.h"

Q_LOGGING_CATEGORY(lcCamsim, "vigil.camsim", QtInfoMsg)
