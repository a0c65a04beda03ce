#include "devicefilterproxy.h"

#include "devicetreemodel.h"

namespace Vigil::Ui {

DeviceFilterProxy::DeviceFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
    setAutoAcceptChildRows(true);
    setDynamicSortFilter(true);
}

QString DeviceFilterProxy::normalize(const QString &text)
{
    return text.normalized(QString::NormalizationForm_KC).toCaseFolded();
}

void DeviceFilterProxy::setSearchText(const QString &text)
{
    const QString normalized = normalize(text.trimmed());
    m_rawText = text;
    if (normalized == m_text)
        return;
    m_text = normalized;
    invalidateFilter();
}

void DeviceFilterProxy::setOnlineOnly(bool onlineOnly)
{
    if (onlineOnly == m_onlineOnly)
        return;
    m_onlineOnly = onlineOnly;
    invalidateFilter();
}

bool DeviceFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_text.isEmpty() && !m_onlineOnly)
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_onlineOnly && !index.data(DeviceTreeModel::OnlineRole).toBool())
        return false;
    if (m_text.isEmpty())
        return true;
    return normalize(index.data(DeviceTreeModel::SearchTextRole).toString()).contains(m_text);
}

} // namespace Vigil::Ui
