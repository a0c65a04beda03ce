#pragma once

#include "devices/eventlog.h"

#include <QAbstractTableModel>

#include <cstdint>
#include <deque>

class QTimer;

namespace Vigil::Devices {
class DeviceRegistry;
}

namespace Vigil::Ui {

/// The event log as a table: time, severity, device, kind, text. Keeps the newest `capacity`
/// events; follows the log incrementally with EventLog::since(), coalescing its appended()
/// signals (which may come from another thread) into one update per kFetchDelayMs. The text
/// is made when shown, so it follows the language. GUI thread.
class EventLogModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { TimeColumn, SeverityColumn, DeviceColumn, KindColumn, TextColumn, ColumnCount };
    enum Role {
        KindRole = Qt::UserRole + 1, ///< int(Devices::EventKind)
        SeverityRole,                ///< int(Devices::EventSeverity)
        DeviceIdRole,                ///< QString
        EventIdRole,                 ///< qulonglong
    };
    static constexpr int kFetchDelayMs = 100;

    /// `registry` (optional) names the devices; the log and registry must outlive the model.
    EventLogModel(Devices::EventLog &log, const Devices::DeviceRegistry *registry = nullptr,
                  qsizetype capacity = 10000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Takes in what the log has that the model has not shown yet (the timer does it otherwise).
    void fetchNew();
    /// Empties the view (the log keeps its events); only newer events show from now on.
    void clear();
    /// A row as one line of tab-separated columns, as shown.
    QString rowText(int row) const;

    static QString severityName(Devices::EventSeverity severity);
    /// Re-reads translated texts after a language change.
    void retranslate();

private:
    struct Row {
        Devices::Event event;
        QString deviceName; ///< at the time it was logged; empty when unknown
    };

    void scheduleFetch();

    Devices::EventLog &m_log;
    const Devices::DeviceRegistry *m_registry;
    qsizetype m_capacity;
    std::deque<Row> m_rows;
    std::uint64_t m_lastId = 0;
    QTimer *m_fetchTimer = nullptr;
};

} // namespace Vigil::Ui
