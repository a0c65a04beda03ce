#include "storagewriter.h"

#include "common/logging.h"

#include <QTimer>

namespace Vigil::Storage {

namespace {

constexpr int kFlushIntervalMs = 500;
/// Last-seen times are written once a minute: each write is an UPDATE per device seen since
/// the last one, and with 200,000 devices (or devices that keep alive every few seconds) a
/// shorter period made the storage thread the registrar's largest cost per keepalive. Nothing
/// reads them back but the displays (liveness after a restart comes from the registration's
/// expiry); a kill -9 loses at most a minute of them.
constexpr int kLastSeenEveryTicks = 120;
constexpr int kEventsKept = 100000;

/// Adds `newer` to `older`, newer values winning.
void merge(Devices::RegistryChanges &older, const Devices::RegistryChanges &newer)
{
    if (older.isEmpty()) { // the usual case: the last batch was written
        older = newer;
        return;
    }
    // By index, not by search: a registration storm makes batches of many thousand devices.
    QHash<DeviceId, qsizetype> index;
    index.reserve(older.devices.size());
    for (qsizetype i = 0; i < older.devices.size(); ++i)
        index.insert(older.devices.at(i).id, i);
    for (const auto &device : newer.devices) {
        if (!older.removed.isEmpty())
            older.removed.removeAll(device.id);
        if (const auto it = index.constFind(device.id); it != index.constEnd()) {
            older.devices[*it] = device;
        } else {
            index.insert(device.id, older.devices.size());
            older.devices.append(device);
        }
    }
    for (auto it = newer.channels.constBegin(); it != newer.channels.constEnd(); ++it)
        older.channels.insert(it.key(), it.value());
    for (const DeviceId &id : newer.removed) {
        older.devices.removeIf([&](const Devices::Device &d) { return d.id == id; });
        older.channels.remove(id);
        if (!older.removed.contains(id))
            older.removed.append(id);
    }
    older.lastSeen.append(newer.lastSeen);
}

} // namespace

StorageWriter::StorageWriter(QString path, QObject *parent)
    : QObject(parent)
    , m_path(std::move(path))
{
}

StorageWriter::~StorageWriter() = default;

Result<void> StorageWriter::open()
{
    auto db = Database::open(m_path);
    if (!db)
        return std::unexpected(db.error());
    m_db = std::move(*db);
    return {};
}

void StorageWriter::retryPending()
{
    if (!m_db)
        return;
    if (!m_pending.isEmpty()) {
        if (auto ok = m_db->apply(m_pending); ok)
            m_pending = {};
        else
            ++m_stats.failures;
    }
    if (!m_pendingEvents.isEmpty()) {
        if (auto ok = m_db->appendEvents(m_pendingEvents); ok)
            m_pendingEvents.clear();
        else
            ++m_stats.failures;
    }
}

void StorageWriter::apply(const Devices::RegistryChanges &changes)
{
    merge(m_pending, changes);
    ++m_stats.batches;
    if (!m_db)
        return;
    if (auto ok = m_db->apply(m_pending); ok) {
        m_pending = {};
    } else {
        ++m_stats.failures;
        qCWarning(lcStorage).noquote() << ok.error().message << "(kept in memory; retried with the next batch)";
    }
}

void StorageWriter::appendEvents(const QList<Devices::Event> &events)
{
    m_pendingEvents.append(events);
    if (!m_db)
        return;
    if (auto ok = m_db->appendEvents(m_pendingEvents); ok) {
        m_pendingEvents.clear();
    } else {
        ++m_stats.failures;
        qCWarning(lcStorage).noquote() << ok.error().message;
        if (m_pendingEvents.size() > kEventsKept) // do not hoard what we cannot write
            m_pendingEvents.remove(0, m_pendingEvents.size() - kEventsKept);
    }
}

void StorageWriter::pruneEvents(int keep)
{
    retryPending();
    if (m_db)
        m_db->pruneEvents(keep);
}

Persister::Persister(Devices::DeviceRegistry &registry, Devices::EventLog &events, StorageWriter *writer, Post post,
                     QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_events(events)
    , m_writer(writer)
    , m_post(std::move(post))
{
}

void Persister::start()
{
    m_lastEventId = m_events.lastId();
    m_timer = new QTimer(this);
    m_timer->setInterval(kFlushIntervalMs);
    connect(m_timer, &QTimer::timeout, this, [this] {
        const bool withLastSeen = ++m_ticks % kLastSeenEveryTicks == 0;
        flush(withLastSeen ? Devices::LastSeenChanges::Include : Devices::LastSeenChanges::Keep);
        if (m_ticks % 7200 == 0) { // hourly
            StorageWriter *writer = m_writer;
            m_post([writer] { writer->pruneEvents(kEventsKept); });
        }
    });
    m_timer->start();
}

void Persister::flushAll()
{
    flush(Devices::LastSeenChanges::Include);
}

void Persister::flush(Devices::LastSeenChanges lastSeen)
{
    StorageWriter *writer = m_writer;
    if (m_registry.hasStructuralChanges() || lastSeen == Devices::LastSeenChanges::Include) {
        auto changes = m_registry.takeChanges(lastSeen);
        if (!changes.isEmpty())
            m_post([writer, changes = std::move(changes)] { writer->apply(changes); });
    }
    auto events = m_events.since(m_lastEventId);
    if (!events.isEmpty()) {
        m_lastEventId = events.constLast().id;
        m_post([writer, events = std::move(events)] { writer->appendEvents(events); });
    }
}

} // namespace Vigil::Storage
