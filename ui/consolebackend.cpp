#include "consolebackend.h"

namespace Vigil::Ui {

LiveStream::LiveStream(QString channelId, QObject *parent)
    : QObject(parent)
    , m_channelId(std::move(channelId))
{
}

void LiveStream::setState(State state, const QString &reason)
{
    if (state == m_state && reason == m_reason)
        return;
    m_state = state;
    m_reason = reason;
    Q_EMIT stateChanged(state);
}

void LiveStream::setStats(const StreamStats &stats)
{
    m_stats = stats;
}

} // namespace Vigil::Ui
