#pragma once

#include "devices/eventlog.h"

#include <QSortFilterProxyModel>

#include <optional>

namespace Vigil::Ui {

/// Filters an EventLogModel by kind, by lowest severity and by text (in any column, case
/// insensitive). GUI thread.
class EventFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT

public:
    explicit EventFilterProxy(QObject *parent = nullptr);

    /// Only this kind (nullopt: all).
    void setKind(std::optional<Devices::EventKind> kind);
    /// This severity and worse.
    void setMinimumSeverity(Devices::EventSeverity severity);
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    std::optional<Devices::EventKind> m_kind;
    Devices::EventSeverity m_minimumSeverity = Devices::EventSeverity::Info;
    QString m_text;
};

} // namespace Vigil::Ui
