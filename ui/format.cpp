#include "format.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace Vigil::Ui {

QString Format::bitrate(std::int64_t bitsPerSecond)
{
    if (bitsPerSecond < 1'000'000)
        return tr("%1 kbit/s").arg((bitsPerSecond + 500) / 1000);
    return tr("%1 Mbit/s").arg(double(bitsPerSecond) / 1e6, 0, 'f', 1);
}

QString Format::dateTime(const QDateTime &time)
{
    if (!time.isValid())
        return tr("never");
    return time.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s);
}

QString Format::ago(const QDateTime &time, const QDateTime &now)
{
    if (!time.isValid())
        return tr("never");
    const qint64 seconds = std::max<qint64>(0, time.secsTo(now));
    if (seconds < 5)
        return tr("just now");
    if (seconds < 60)
        return tr("%1 s ago").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min ago").arg(seconds / 60);
    if (seconds < 86400)
        return tr("%1 h ago").arg(seconds / 3600);
    return tr("%1 d ago").arg(seconds / 86400);
}

} // namespace Vigil::Ui
