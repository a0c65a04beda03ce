#include "uilogging.h"

Q_LOGGING_CATEGORY(lcUi, "vigil.ui", QtInfoMsg)
