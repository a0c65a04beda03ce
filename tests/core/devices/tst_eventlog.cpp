#include "devices/device.h"
#include "devices/eventlog.h"

#include <QSignalSpy>
#include <QTest>

using namespace Vigil::Devices;
using namespace Qt::StringLiterals;

class TestEventLog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rendersText()
    {
        EventLog log;
        QSignalSpy appended(&log, &EventLog::appended);
        const auto id = log.add(EventKind::DeviceOffline, u"34020000001320000001"_s,
                                {QString::number(int(OfflineReason::KeepalivesMissed)), u"3"_s});
        QCOMPARE(appended.size(), 1);
        const auto events = log.since(0);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().id, id);
        QCOMPARE(events.first().text(), u"Offline: 3 keepalives missed"_s);
        QCOMPARE(events.first().severity(), EventSeverity::Warning);
        QVERIFY(events.first().time.isValid());
        QCOMPARE(Event::kindName(EventKind::AuthFailed), u"Authentication failed"_s);

        Event synced;
        synced.kind = EventKind::CatalogSynced;
        synced.args = {u"16"_s};
        QCOMPARE(synced.text(), u"Catalog synchronised: 16 channels"_s);
        Event authFailed;
        authFailed.kind = EventKind::AuthFailed;
        authFailed.args = {u"udp:198.51.100.23:40122"_s, u"wrong password"_s};
        QCOMPARE(authFailed.text(), u"Authentication failed from udp:198.51.100.23:40122: wrong password"_s);
    }

    void isBounded()
    {
        EventLog log(100);
        for (int i = 0; i < 250; ++i)
            log.add(EventKind::Info, QString(), {QString::number(i)});
        QCOMPARE(log.size(), 100);
        QCOMPARE(log.lastId(), 250u);
        const auto all = log.since(0);
        QCOMPARE(all.first().text(), u"150"_s);
        QCOMPARE(all.last().text(), u"249"_s);
        const auto newer = log.since(245);
        QCOMPARE(newer.size(), 5);
        QCOMPARE(newer.first().id, 246u);
        const auto limited = log.since(0, 3);
        QCOMPARE(limited.size(), 3);
        QCOMPARE(limited.last().id, 250u);
    }

    void continuesNumbering()
    {
        EventLog log;
        log.setNextId(1000);
        QCOMPARE(log.add(EventKind::Info, QString()), 1000u);
    }
};

QTEST_GUILESS_MAIN(TestEventLog)
#include "tst_eventlog.moc"
