#include "eventlogmodel.h"

#include "devices/deviceregistry.h"
#include "format.h"

#include <QBrush>
#include <QColor>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Vigil::Ui {

EventLogModel::EventLogModel(Devices::EventLog &log, const Devices::DeviceRegistry *registry, qsizetype capacity,
                             QObject *parent)
    : QAbstractTableModel(parent)
    , m_log(log)
    , m_registry(registry)
    , m_capacity(std::max<qsizetype>(capacity, 1))
{
    m_fetchTimer = new QTimer(this);
    m_fetchTimer->setSingleShot(true);
    m_fetchTimer->setInterval(kFetchDelayMs);
    connect(m_fetchTimer, &QTimer::timeout, this, &EventLogModel::fetchNew);
    connect(&log, &Devices::EventLog::appended, this, &EventLogModel::scheduleFetch, Qt::QueuedConnection);
    fetchNew();
}

void EventLogModel::scheduleFetch()
{
    if (!m_fetchTimer->isActive())
        m_fetchTimer->start();
}

void EventLogModel::fetchNew()
{
    m_fetchTimer->stop();
    QList<Devices::Event> events = m_log.since(m_lastId, m_capacity);
    if (events.isEmpty())
        return;
    m_lastId = events.constLast().id;

    const qsizetype overflow = qsizetype(m_rows.size()) + events.size() - m_capacity;
    if (overflow > 0) {
        const int removed = int(std::min<qsizetype>(overflow, qsizetype(m_rows.size())));
        if (removed > 0) {
            beginRemoveRows({}, 0, removed - 1);
            m_rows.erase(m_rows.begin(), m_rows.begin() + removed);
            endRemoveRows();
        }
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(events.size()) - 1);
    for (Devices::Event &event : events) {
        Row row{std::move(event), {}};
        if (m_registry && !row.event.deviceId.isEmpty()) {
            if (const auto id = DeviceId::parse(row.event.deviceId)) {
                if (const auto device = m_registry->device(*id))
                    row.deviceName = device->name;
            }
        }
        m_rows.push_back(std::move(row));
    }
    endInsertRows();
}

void EventLogModel::clear()
{
    m_lastId = std::max(m_lastId, m_log.lastId());
    if (m_rows.empty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString EventLogModel::severityName(Devices::EventSeverity severity)
{
    switch (severity) {
    case Devices::EventSeverity::Info: return tr("Information");
    case Devices::EventSeverity::Warning: return tr("Warning");
    case Devices::EventSeverity::Error: return tr("Error");
    }
    return {};
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[std::size_t(index.row())];
    const Devices::Event &event = row.event;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn: return Format::dateTime(event.time);
        case SeverityColumn: return severityName(event.severity());
        case DeviceColumn:
            return row.deviceName.isEmpty() ? event.deviceId : tr("%1 (%2)").arg(row.deviceName, event.deviceId);
        case KindColumn: return Devices::Event::kindName(event.kind);
        case TextColumn: return event.text();
        default: return {};
        }
    case Qt::ToolTipRole:
        return index.column() == TextColumn ? event.text() : QVariant();
    case Qt::ForegroundRole:
        if (index.column() != SeverityColumn)
            return {};
        switch (event.severity()) {
        case Devices::EventSeverity::Warning: return QBrush(QColor(0xc7, 0x7c, 0x02));
        case Devices::EventSeverity::Error: return QBrush(QColor(0xd9, 0x3a, 0x2b));
        case Devices::EventSeverity::Info: return {};
        }
        return {};
    case KindRole: return int(event.kind);
    case SeverityRole: return int(event.severity());
    case DeviceIdRole: return event.deviceId;
    case EventIdRole: return qulonglong(event.id);
    default: return {};
    }
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case SeverityColumn: return tr("Severity");
    case DeviceColumn: return tr("Device");
    case KindColumn: return tr("Event");
    case TextColumn: return tr("Details");
    default: return {};
    }
}

QString EventLogModel::rowText(int row) const
{
    QStringList columns;
    for (int column = 0; column < ColumnCount; ++column)
        columns.append(data(index(row, column)).toString());
    return columns.join(u'\t');
}

void EventLogModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

} // namespace Vigil::Ui
