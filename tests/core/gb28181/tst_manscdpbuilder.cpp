#include "gb28181/manscdpbuilder.h"

#include <QTest>

#include <algorithm>

using namespace Vigil;
using namespace Vigil::Gb;
using namespace Qt::StringLiterals;

namespace {

const DeviceId kDevice = DeviceId(*GbId::parse(QByteArrayView("34020000001320000001")));
const ChannelId kChannel = ChannelId(*GbId::parse(QByteArrayView("34020000001310000001")));

ChannelId channel(int serial)
{
    return ChannelId(*GbId::parse(u"3402000000131%1"_s.arg(serial, 7, 10, QChar(u'0'))));
}

ManscdpMessage parsed(const ManscdpBody &body)
{
    auto message = ManscdpMessage::parse(body.bytes);
    if (!message) {
        qWarning("parse failed: %s", qPrintable(message.error().message));
        return {};
    }
    return *message;
}

enum class Detail { Full, Typical };

/// A platform's catalog: a region node, a business group, a virtual organisation and cameras
/// with Chinese names and every field (Full, about 1200 bytes each) or what an IPC usually
/// sends (Typical).
QList<CatalogItem> sampleCatalog(int cameras, Detail detail = Detail::Full)
{
    QList<CatalogItem> items;
    CatalogItem region;
    region.deviceId = WireId<ChannelId>::fromText(u"340200"_s);
    region.name = u"芜湖市"_s;
    items.append(region);
    CatalogItem group;
    group.deviceId = ChannelId(*GbId::parse(QByteArrayView("34020000002150000001")));
    group.name = u"交通"_s;
    items.append(group);
    CatalogItem organisation;
    organisation.deviceId = ChannelId(*GbId::parse(QByteArrayView("34020000002160000001")));
    organisation.name = u"一号楼东侧"_s;
    organisation.parentIds = {u"34020000002150000001"_s};
    organisation.businessGroupId = u"34020000002150000001"_s;
    items.append(organisation);
    for (int i = 1; i <= cameras; ++i) {
        CatalogItem camera;
        camera.deviceId = channel(i);
        camera.name = i == 1 ? u"大门口摄像机"_s : u"东门入口 %1 号"_s.arg(i);
        camera.manufacturer = u"Hikvision"_s;
        camera.model = u"DS-2CD2T47"_s;
        if (detail == Detail::Typical) {
            camera.civilCode = u"340200"_s;
            camera.parentIds = {kDevice.toString()};
            camera.status = i % 2 ? CatalogStatus::On : CatalogStatus::Off;
            items.append(camera);
            continue;
        }
        camera.owner = u"Owner"_s;
        camera.civilCode = u"340200"_s;
        camera.block = u"B1"_s;
        camera.address = u"北京市海淀区 & <1> 号"_s;
        camera.parental = false;
        camera.parentIds = {kDevice.toString(), u"34020000002160000001"_s};
        camera.safetyWay = 0;
        camera.registerWay = 1;
        camera.certNum = u"C1"_s;
        camera.certifiable = 0;
        camera.errCode = 0;
        camera.endTime = u"2030-01-01T00:00:00"_s;
        camera.secrecy = 0;
        camera.ipAddress = u"192.168.1.64"_s;
        camera.port = 5060;
        camera.password = u"12345678"_s;
        camera.status = i % 3 == 0 ? CatalogStatus::Off : i % 3 == 1 ? CatalogStatus::On : CatalogStatus::Missing;
        camera.longitude = 117.2272 + i / 1000.0;
        camera.latitude = 31.8206;
        camera.ptzType = 1 + i % 4;
        camera.positionType = 1;
        camera.roomType = 1;
        camera.useType = 1;
        camera.supplyLightType = 2;
        camera.directionType = 3;
        camera.resolution = u"3/5"_s;
        camera.downloadSpeed = u"1/2/4"_s;
        camera.svcSpaceSupportMode = 0;
        camera.svcTimeSupportMode = 0;
        camera.otherInfo = {{u"StreamNumberList"_s, u"0/1"_s}};
        items.append(camera);
    }
    return items;
}

} // namespace

class TestManscdpBuilder : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void queries()
    {
        const ManscdpBuilder builder;
        QCOMPARE(builder.encoding(), TextEncoding::Gb18030);
        QCOMPARE(builder.queryCatalog(kDevice, 17430).bytes,
                 QByteArray("<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Query>\r\n<CmdType>Catalog</CmdType>\r\n"
                            "<SN>17430</SN>\r\n<DeviceID>34020000001320000001</DeviceID>\r\n</Query>\r\n"));
        QCOMPARE(builder.queryDeviceInfo(kDevice, 1).bytes,
                 QByteArray("<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Query>\r\n<CmdType>DeviceInfo</CmdType>\r\n"
                            "<SN>1</SN>\r\n<DeviceID>34020000001320000001</DeviceID>\r\n</Query>\r\n"));
        QCOMPARE(ManscdpBuilder(TextEncoding::Utf8).queryDeviceStatus(kDevice, 248).bytes,
                 QByteArray("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<Query>\r\n<CmdType>DeviceStatus</CmdType>\r\n"
                            "<SN>248</SN>\r\n<DeviceID>34020000001320000001</DeviceID>\r\n</Query>\r\n"));
        QCOMPARE(ManscdpBody::contentType(), QByteArrayView("Application/MANSCDP+xml"));
    }

    void controls()
    {
        const ManscdpBuilder builder;
        QCOMPARE(builder.controlPtz(kChannel, 11, "A50F01080080003D", 5).bytes,
                 QByteArray("<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Control>\r\n<CmdType>DeviceControl</CmdType>\r\n"
                            "<SN>11</SN>\r\n<DeviceID>34020000001310000001</DeviceID>\r\n<PTZCmd>A50F01080080003D</PTZCmd>\r\n"
                            "<Info>\r\n<ControlPriority>5</ControlPriority>\r\n</Info>\r\n</Control>\r\n"));
        const ManscdpMessage stop = parsed(builder.controlPtz(kChannel, 12, "A50F0100000000B5"));
        QCOMPARE(stop.envelope.messageClass, MessageClass::Control);
        QCOMPARE(stop.envelope.cmdType, CmdType::DeviceControl);
        QCOMPARE(stop.envelope.sn, 12u);
        QCOMPARE(stop.envelope.deviceId.text(), kChannel.toString());
        QCOMPARE(*stop.get<DeviceControlRequest>(), (DeviceControlRequest{u"A50F0100000000B5"_s, {}, {}, {}, {}, {}, {}}));
        QCOMPARE(builder.controlTeleBoot(kDevice, 13).bytes,
                 QByteArray("<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Control>\r\n<CmdType>DeviceControl</CmdType>\r\n"
                            "<SN>13</SN>\r\n<DeviceID>34020000001320000001</DeviceID>\r\n<TeleBoot>Boot</TeleBoot>\r\n</Control>\r\n"));
        QCOMPARE(parsed(builder.controlTeleBoot(kDevice, 13)).get<DeviceControlRequest>()->teleBoot, u"Boot"_s);
    }

    void alarmResponse()
    {
        const ManscdpBody body = ManscdpBuilder().responseAlarm(DeviceId(*GbId::parse(QByteArrayView("34020000001340000001"))), 2);
        QCOMPARE(body.bytes, QByteArray("<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Response>\r\n<CmdType>Alarm</CmdType>\r\n"
                                        "<SN>2</SN>\r\n<DeviceID>34020000001340000001</DeviceID>\r\n<Result>OK</Result>\r\n"
                                        "</Response>\r\n"));
        QCOMPARE(parsed(body).get<ResultResponse>()->result, ResultCode::Ok);
    }

    void keepalive()
    {
        const ManscdpBuilder builder;
        const ManscdpBody body = builder.notifyKeepalive(kDevice, 43);
        QCOMPARE(body.bytes, QByteArray("<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n"
                                        "<SN>43</SN>\r\n<DeviceID>34020000001320000001</DeviceID>\r\n<Status>OK</Status>\r\n"
                                        "</Notify>\r\n"));
        const ManscdpMessage message = parsed(body);
        QCOMPARE(*message.get<KeepaliveNotify>(), (KeepaliveNotify{ResultCode::Ok, {}}));

        const KeepaliveNotify faulty{ResultCode::Error, {channel(1), WireId<ChannelId>::fromText(u"odd"_s)}};
        QCOMPARE(*parsed(builder.notifyKeepalive(kDevice, 44, faulty)).get<KeepaliveNotify>(), faulty);
    }

    void roundTrips_data()
    {
        QTest::addColumn<TextEncoding>("encoding");
        QTest::newRow("GB18030") << TextEncoding::Gb18030;
        QTest::newRow("UTF-8") << TextEncoding::Utf8;
    }

    // What the builder writes, the parser reads back unchanged.
    void roundTrips()
    {
        QFETCH(TextEncoding, encoding);
        const ManscdpBuilder builder(encoding);

        DeviceInfoResponse info;
        info.result = ResultCode::Ok;
        info.deviceName = u"大门口摄像机 & Co"_s;
        info.manufacturer = u"海康威视"_s;
        info.model = u"DS-7808N-K2"_s;
        info.firmware = u"V4.30.000 build 200316"_s;
        info.channel = 8;
        info.maxCamera = 8;
        info.maxAlarm = 4;
        info.info = {{u"DeviceType"_s, u"NVR"_s}, {u"Empty"_s, QString()}};
        ManscdpMessage message = parsed(builder.responseDeviceInfo(kDevice, 12, info));
        QCOMPARE(message.envelope.cmdType, CmdType::DeviceInfo);
        QCOMPARE(message.envelope.sn, 12u);
        QCOMPARE(*message.get<DeviceInfoResponse>(), info);
        QCOMPARE(message.charset.encoding, encoding);
        QVERIFY(!message.charset.fallback);

        DeviceStatusResponse status;
        status.result = ResultCode::Ok;
        status.online = OnOff::On;
        status.status = ResultCode::Error;
        status.reason = u"硬盘错误"_s;
        status.encode = OnOff::On;
        status.record = OnOff::Off;
        status.deviceTime = formatDeviceTime(QDateTime(QDate(2024, 5, 20), QTime(8, 10, 17)));
        status.alarmStatus = {{channel(1), DutyStatus::OffDuty}, {channel(2), DutyStatus::Alarm}, {channel(3), DutyStatus::OnDuty}};
        message = parsed(builder.responseDeviceStatus(kDevice, 248, status));
        QCOMPARE(*message.get<DeviceStatusResponse>(), status);
        QCOMPARE(message.ignoredFields, 0);

        AlarmNotify alarm;
        alarm.priority = 1;
        alarm.method = u"5"_s;
        alarm.time = u"2024-05-20T09:19:12"_s;
        alarm.description = u"区域入侵"_s;
        alarm.longitude = 117.2272;
        alarm.latitude = -31.5;
        alarm.alarmType = 6;
        alarm.eventType = 1;
        message = parsed(builder.notifyAlarm(kChannel, 2, alarm));
        QCOMPARE(*message.get<AlarmNotify>(), alarm);
        AlarmNotify minimal;
        minimal.method = u"2"_s;
        QCOMPARE(*parsed(builder.notifyAlarm(kChannel, 3, minimal)).get<AlarmNotify>(), minimal);

        QCOMPARE(parsed(builder.notifyMediaStatus(kChannel, 8)).get<MediaStatusNotify>()->notifyType, 121);

        const QList<CatalogItem> items = sampleCatalog(3);
        const QList<ManscdpBody> bodies = builder.responseCatalog(kDevice, 7, items, CatalogSplit{100, 64 * 1024});
        QCOMPARE(bodies.size(), 1);
        message = parsed(bodies.first());
        const CatalogList *catalog = message.get<CatalogList>();
        QVERIFY(catalog);
        QCOMPARE(catalog->items, items);
        QCOMPARE(message.ignoredFields, 0);
        QVERIFY(!message.xmlRepaired);
    }

    void chineseNamesInEachEncoding()
    {
        CatalogItem camera;
        camera.deviceId = kChannel;
        camera.name = u"大门口摄像机"_s;
        const QByteArray gb = ManscdpBuilder(TextEncoding::Gb18030).responseCatalog(kDevice, 1, {camera}).first().bytes;
        QVERIFY(gb.startsWith("<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n"));
        QVERIFY(gb.contains(QByteArray("<Name>" + QByteArray::fromHex("B4F3C3C5BFDAC9E3CFF1BBFA") + "</Name>")));
        const QByteArray utf8 = ManscdpBuilder(TextEncoding::Utf8).responseCatalog(kDevice, 1, {camera}).first().bytes;
        QVERIFY(utf8.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"));
        QVERIFY(utf8.contains(QByteArray("<Name>" + QByteArray::fromHex("E5A4A7E997A8E58FA3E69184E5838FE69CBA") + "</Name>")));
        for (const QByteArray &bytes : {gb, utf8}) {
            const auto message = ManscdpMessage::parse(bytes);
            QVERIFY(message);
            QCOMPARE(message->get<CatalogList>()->items.first().name, camera.name);
            QVERIFY(!message->charset.fallback);
        }
    }

    void escaping()
    {
        CatalogItem camera;
        camera.deviceId = kChannel;
        camera.name = u"A&B <C> \"D\" 'E' &amp;"_s;
        camera.address = u"line\u0001 one\ttab"_s + QChar(0xD800) + u"end"_s;
        const QByteArray bytes = ManscdpBuilder().responseCatalog(kDevice, 1, {camera}).first().bytes;
        QVERIFY(bytes.contains("<Name>A&amp;B &lt;C&gt; \"D\" 'E' &amp;amp;</Name>"));
        QVERIFY(bytes.contains("<Address>line one\ttabend</Address>"));
        const ManscdpMessage message = parsed(ManscdpBody{bytes});
        QVERIFY(!message.xmlRepaired);
        QCOMPARE(message.get<CatalogList>()->items.first().name, camera.name);
        QCOMPARE(message.get<CatalogList>()->items.first().address, u"line one\ttabend"_s);
    }

    void emptyCatalog()
    {
        const QList<ManscdpBody> bodies = ManscdpBuilder().responseCatalog(kDevice, 9, {});
        QCOMPARE(bodies.size(), 1);
        QCOMPARE(bodies.first().bytes,
                 QByteArray("<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Response>\r\n<CmdType>Catalog</CmdType>\r\n"
                            "<SN>9</SN>\r\n<DeviceID>34020000001320000001</DeviceID>\r\n<SumNum>0</SumNum>\r\n</Response>\r\n"));
        const CatalogList catalog = *parsed(bodies.first()).get<CatalogList>();
        QCOMPARE(catalog.sumNum, 0);
        QVERIFY(catalog.items.isEmpty());
    }

    void catalogSplitting_data()
    {
        QTest::addColumn<TextEncoding>("encoding");
        QTest::addColumn<int>("cameras");
        QTest::addColumn<int>("maxItems");
        QTest::addColumn<int>("maxBytes");
        QTest::addColumn<Detail>("detail");
        QTest::newRow("GB, 1300 bytes, full items") << TextEncoding::Gb18030 << 40 << 100 << 1300 << Detail::Full;
        QTest::newRow("UTF-8, 1300 bytes, full items") << TextEncoding::Utf8 << 40 << 100 << 1300 << Detail::Full;
        QTest::newRow("GB, 1300 bytes") << TextEncoding::Gb18030 << 40 << 100 << 1300 << Detail::Typical;
        QTest::newRow("UTF-8, 1300 bytes") << TextEncoding::Utf8 << 40 << 100 << 1300 << Detail::Typical;
        QTest::newRow("one per message") << TextEncoding::Gb18030 << 5 << 1 << 1300 << Detail::Typical;
        QTest::newRow("four per message, TCP") << TextEncoding::Utf8 << 21 << 4 << 65000 << Detail::Full;
        QTest::newRow("small bodies") << TextEncoding::Gb18030 << 6 << 100 << 600 << Detail::Typical;
    }

    // Split, parse each message, and collect: the catalog comes back whole, every message says
    // the total in SumNum and its own count in Num, and stays within the byte limit.
    void catalogSplitting()
    {
        QFETCH(TextEncoding, encoding);
        QFETCH(int, cameras);
        QFETCH(int, maxItems);
        QFETCH(int, maxBytes);
        QFETCH(Detail, detail);
        const QList<CatalogItem> items = sampleCatalog(cameras, detail);
        const QList<ManscdpBody> bodies =
            ManscdpBuilder(encoding).responseCatalog(kDevice, 4711, items, CatalogSplit{maxItems, maxBytes});
        QVERIFY(bodies.size() >= items.size() / maxItems);
        QList<CatalogItem> collected;
        for (const ManscdpBody &body : bodies) {
            const ManscdpMessage message = parsed(body);
            QCOMPARE(message.envelope.sn, 4711u);
            QCOMPARE(message.envelope.deviceId.text(), kDevice.toString());
            const CatalogList *catalog = message.get<CatalogList>();
            QVERIFY(catalog);
            QCOMPARE(catalog->sumNum, items.size());
            QCOMPARE(catalog->listNum, catalog->items.size());
            QVERIFY(catalog->items.size() <= maxItems);
            QVERIFY2(body.bytes.size() <= maxBytes || catalog->items.size() == 1,
                     qPrintable(u"%1 bytes with %2 items"_s.arg(body.bytes.size()).arg(catalog->items.size())));
            collected += catalog->items;
        }
        QCOMPARE(collected, items);
        if (detail == Detail::Typical && maxItems > 1 && maxBytes >= 1300)
            QVERIFY(bodies.size() < items.size() / 2);
        // Greedy: no two neighbours could have been one message.
        for (qsizetype i = 0; i + 1 < bodies.size(); ++i) {
            const int here = parsed(bodies[i]).get<CatalogList>()->items.size();
            if (here >= maxItems)
                continue;
            QVERIFY(bodies[i].bytes.size() + bodies[i + 1].bytes.size() > maxBytes);
        }
    }

    void oversizedItemGoesAlone()
    {
        QList<CatalogItem> items = sampleCatalog(2);
        items[3].address = QString(2000, u'路');
        const QList<ManscdpBody> bodies = ManscdpBuilder().responseCatalog(kDevice, 5, items);
        QList<CatalogItem> collected;
        for (const ManscdpBody &body : bodies) {
            const CatalogList catalog = *parsed(body).get<CatalogList>();
            const bool holdsLong = std::any_of(catalog.items.begin(), catalog.items.end(),
                                               [](const CatalogItem &item) { return item.address.size() == 2000; });
            if (holdsLong) {
                QVERIFY(body.bytes.size() > 4000);
                QCOMPARE(catalog.items.size(), 1);
            }
            QVERIFY(body.bytes.size() <= 1300 || catalog.items.size() == 1);
            collected += catalog.items;
        }
        QCOMPARE(collected, items);
    }

    void catalogNotify()
    {
        QList<CatalogItem> items = sampleCatalog(4);
        items[3].event = CatalogEvent::Add;
        items[4].event = CatalogEvent::Update;
        // Events other than ADD and UPDATE may carry nothing but the DeviceID.
        int serial = 90;
        for (CatalogEvent event : {CatalogEvent::Delete, CatalogEvent::VideoLost, CatalogEvent::Defect, CatalogEvent::Off,
                                   CatalogEvent::On}) {
            CatalogItem bare;
            bare.deviceId = channel(++serial);
            bare.event = event;
            items << bare;
        }
        QList<CatalogItem> collected;
        for (const ManscdpBody &body : ManscdpBuilder().notifyCatalog(kDevice, 77, items)) {
            const ManscdpMessage message = parsed(body);
            QCOMPARE(message.envelope.messageClass, MessageClass::Notify);
            QCOMPARE(message.envelope.cmdType, CmdType::Catalog);
            collected += message.get<CatalogList>()->items;
        }
        QCOMPARE(collected, items);
    }
};

QTEST_APPLESS_MAIN(TestManscdpBuilder)
#include "tst_manscdpbuilder.moc"
