#include "catalogcollector.h"

#include "common/logging.h"

namespace Vigil::Gb {

CatalogCollector::CatalogCollector()
    : CatalogCollector(Config())
{
}

CatalogCollector::CatalogCollector(const Config &config)
    : m_config(config)
{
}

void CatalogCollector::expect(const DeviceId &device, int sn, std::int64_t nowMs)
{
    if (m_pending.size() >= m_config.maxPendingSyncs) {
        qCWarning(lcGb) << "too many catalog syncs pending; not collecting SN" << sn << "of" << device.toString();
        return;
    }
    Pending &pending = m_pending[Key{device, sn}];
    pending.deadlineMs = nowMs + m_config.firstPieceTimeoutMs;
}

bool CatalogCollector::isPending(const DeviceId &device) const
{
    for (auto it = m_pending.constBegin(); it != m_pending.constEnd(); ++it) {
        if (it.key().device == device)
            return true;
    }
    return false;
}

void CatalogCollector::cancel(const DeviceId &device)
{
    m_pending.removeIf([&](const auto &entry) { return entry.key().device == device; });
}

void CatalogCollector::cancel(const DeviceId &device, int sn)
{
    m_pending.remove(Key{device, sn});
}

CatalogCollector::Result CatalogCollector::finish(const Key &key, Pending &&pending, bool complete)
{
    Result result;
    result.device = key.device;
    result.sn = key.sn;
    result.solicited = true;
    result.complete = complete;
    result.expected = std::max(pending.expected, 0);
    result.channels = std::move(pending.channels);
    return result;
}

std::optional<CatalogCollector::Result> CatalogCollector::add(const DeviceId &device, int sn, int sumNum,
                                                              const QList<Devices::Channel> &items,
                                                              std::int64_t nowMs)
{
    const Key key{device, sn};
    const auto it = m_pending.find(key);
    if (it == m_pending.end()) {
        Result passThrough;
        passThrough.device = device;
        passThrough.sn = sn;
        passThrough.expected = sumNum;
        passThrough.channels = items;
        return passThrough;
    }
    Pending &pending = it.value();
    pending.expected = std::max(sumNum, 0); // SumNum may change while the tree changes: latest wins
    for (const Devices::Channel &item : items) {
        if (item.id.isEmpty())
            continue;
        const auto known = pending.index.constFind(item.id);
        if (known != pending.index.constEnd()) {
            pending.channels[*known] = item;
        } else if (pending.channels.size() < m_config.maxItemsPerSync) {
            pending.index.insert(item.id, pending.channels.size());
            pending.channels.append(item);
        }
    }
    pending.deadlineMs = nowMs + m_config.quietTimeoutMs;
    if (pending.channels.size() >= pending.expected
        || pending.channels.size() >= m_config.maxItemsPerSync) {
        Pending done = std::move(pending);
        m_pending.erase(it);
        return finish(key, std::move(done), true);
    }
    return std::nullopt;
}

QList<CatalogCollector::Result> CatalogCollector::expire(std::int64_t nowMs)
{
    QList<Result> finished;
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (it->deadlineMs <= nowMs) {
            const Key key = it.key();
            finished.append(finish(key, std::move(it.value()), false));
            it = m_pending.erase(it);
        } else {
            ++it;
        }
    }
    return finished;
}

} // namespace Vigil::Gb
