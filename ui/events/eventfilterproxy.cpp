#include "eventfilterproxy.h"

#include "eventlogmodel.h"

namespace Vigil::Ui {

EventFilterProxy::EventFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
}

void EventFilterProxy::setKind(std::optional<Devices::EventKind> kind)
{
    if (kind == m_kind)
        return;
    m_kind = kind;
    invalidateFilter();
}

void EventFilterProxy::setMinimumSeverity(Devices::EventSeverity severity)
{
    if (severity == m_minimumSeverity)
        return;
    m_minimumSeverity = severity;
    invalidateFilter();
}

void EventFilterProxy::setText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    invalidateFilter();
}

bool EventFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    const QModelIndex first = model->index(sourceRow, 0, sourceParent);
    if (m_kind && first.data(EventLogModel::KindRole).toInt() != int(*m_kind))
        return false;
    if (first.data(EventLogModel::SeverityRole).toInt() < int(m_minimumSeverity))
        return false;
    if (m_text.isEmpty())
        return true;
    for (int column = 0; column < EventLogModel::ColumnCount; ++column) {
        if (model->index(sourceRow, column, sourceParent).data().toString().contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace Vigil::Ui
