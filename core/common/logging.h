#pragma once

#include <QLoggingCategory>

// One logging category per core module. Messages are English and meant for developers;
// what operators need to know goes to the event log instead. Enable with QT_LOGGING_RULES,
// for example QT_LOGGING_RULES="vigil.sip.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcCommon)
Q_DECLARE_LOGGING_CATEGORY(lcSip)
Q_DECLARE_LOGGING_CATEGORY(lcTransport)
Q_DECLARE_LOGGING_CATEGORY(lcGb)
Q_DECLARE_LOGGING_CATEGORY(lcDevices)
Q_DECLARE_LOGGING_CATEGORY(lcStorage)
Q_DECLARE_LOGGING_CATEGORY(lcMedia)
Q_DECLARE_LOGGING_CATEGORY(lcApi)
