#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

#include <cstdint>

namespace Vigil::Ui {

/// Numbers and times as operators read them, translated.
struct Format {
    Q_DECLARE_TR_FUNCTIONS(Vigil::Ui::Format)

public:
    /// "850 kbit/s", "4.2 Mbit/s".
    static QString bitrate(std::int64_t bitsPerSecond);
    /// Local date and time, "2024-05-01 13:45:07"; "never" for an invalid time.
    static QString dateTime(const QDateTime &time);
    /// "just now", "5 s ago", "3 min ago", "2 h ago", "4 d ago".
    static QString ago(const QDateTime &time, const QDateTime &now = QDateTime::currentDateTimeUtc());
};

} // namespace Vigil::Ui
