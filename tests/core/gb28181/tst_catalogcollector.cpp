#include "gb28181/catalogcollector.h"

#include <QTest>

using namespace Vigil;
using namespace Vigil::Gb;
using namespace Qt::StringLiterals;

namespace {

const DeviceId kNvr = *DeviceId::parse(u"34020000001180000001"_s);

Devices::Channel item(int serial, const QString &name = QString())
{
    Devices::Channel c;
    c.id = u"3402000000131%1"_s.arg(serial, 7, 10, QLatin1Char('0'));
    c.name = name.isEmpty() ? u"Camera %1"_s.arg(serial) : name;
    return c;
}

} // namespace

class TestCatalogCollector : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void completesAtSumNumOutOfOrderAndDuplicated()
    {
        CatalogCollector collector;
        collector.expect(kNvr, 17430, 0);
        QVERIFY(!collector.add(kNvr, 17430, 3, {item(3)}, 10));
        QVERIFY(!collector.add(kNvr, 17430, 3, {item(1)}, 20));
        QVERIFY(!collector.add(kNvr, 17430, 3, {item(3, u"renamed"_s)}, 30)); // duplicate overwrites
        const auto done = collector.add(kNvr, 17430, 3, {item(2)}, 40);
        QVERIFY(done);
        QVERIFY(done->replacesChannelSet());
        QCOMPARE(done->channels.size(), 3);
        QCOMPARE(done->channels.at(0).name, u"renamed"_s);
        QCOMPARE(done->expected, 3);
        QVERIFY(!collector.isPending(kNvr));
    }

    void quietSyncFinishesIncomplete()
    {
        CatalogCollector::Config config;
        config.quietTimeoutMs = 5000;
        CatalogCollector collector(config);
        collector.expect(kNvr, 1, 0);
        QVERIFY(!collector.add(kNvr, 1, 4, {item(1), item(2)}, 1000));
        QVERIFY(collector.expire(5999).isEmpty());
        const auto expired = collector.expire(6000);
        QCOMPARE(expired.size(), 1);
        QVERIFY(!expired.first().complete);
        QVERIFY(!expired.first().replacesChannelSet()); // partial: merge only
        QCOMPARE(expired.first().channels.size(), 2);
        QCOMPARE(expired.first().expected, 4);
    }

    void firstPieceMayBeSlow()
    {
        CatalogCollector::Config config;
        config.firstPieceTimeoutMs = 60000;
        config.quietTimeoutMs = 5000;
        CatalogCollector collector(config);
        collector.expect(kNvr, 2, 0);
        QVERIFY(collector.expire(30000).isEmpty());
        const auto expired = collector.expire(60000);
        QCOMPARE(expired.size(), 1);
        QVERIFY(expired.first().channels.isEmpty());
    }

    void unsolicitedPassesThrough()
    {
        CatalogCollector collector;
        const auto result = collector.add(kNvr, 999, 10, {item(5)}, 0);
        QVERIFY(result);
        QVERIFY(!result->solicited);
        QVERIFY(!result->replacesChannelSet());
        QCOMPARE(result->channels.size(), 1);
    }

    void emptyCatalogCompletes()
    {
        CatalogCollector collector;
        collector.expect(kNvr, 3, 0);
        const auto done = collector.add(kNvr, 3, 0, {}, 10);
        QVERIFY(done);
        QVERIFY(done->replacesChannelSet());
        QVERIFY(done->channels.isEmpty());
    }

    void changingSumNumAndItemsWithoutId()
    {
        CatalogCollector collector;
        collector.expect(kNvr, 4, 0);
        Devices::Channel noId;
        noId.name = u"broken"_s;
        QVERIFY(!collector.add(kNvr, 4, 3, {item(1), noId}, 10));
        const auto done = collector.add(kNvr, 4, 2, {item(2)}, 20); // the tree shrank meanwhile
        QVERIFY(done);
        QCOMPARE(done->channels.size(), 2);
    }

    void boundsItemsPerSync()
    {
        CatalogCollector::Config config;
        config.maxItemsPerSync = 100;
        CatalogCollector collector(config);
        collector.expect(kNvr, 5, 0);
        QList<Devices::Channel> many;
        for (int i = 0; i < 500; ++i)
            many.append(item(i));
        const auto done = collector.add(kNvr, 5, 100000, many, 10);
        QVERIFY(done);
        QCOMPARE(done->channels.size(), 100);
    }
};

QTEST_GUILESS_MAIN(TestCatalogCollector)
#include "tst_catalogcollector.moc"
