#include "logging.h"

Q_LOGGING_CATEGORY(lcCommon, "vigil.common", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSip, "vigil.sip", QtInfoMsg)
Q_LOGGING_CATEGORY(lcTransport, "vigil.transport", QtInfoMsg)
Q_LOGGING_CATEGORY(lcGb, "vigil.gb", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDevices, "vigil.devices", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStorage, "vigil.storage", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMedia, "vigil.media", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApi, "vigil.api", QtInfoMsg)
