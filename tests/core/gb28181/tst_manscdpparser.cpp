#include "gb28181/manscdp.h"
#include "gb28181/manscdpparser_p.h"

#include <QTest>

using namespace Vigil;
using namespace Vigil::Gb;
using namespace Qt::StringLiterals;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(text);
}

const QByteArray kKeepalive = "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n"
                              "<Notify>\r\n"
                              "<CmdType>Keepalive</CmdType>\r\n"
                              "<SN>43</SN>\r\n"
                              "<DeviceID>34020000001320000001</DeviceID>\r\n"
                              "<Status>OK</Status>\r\n"
                              "</Notify>\r\n";

// The reference's catalog answer (gb28181.md 4.3), with the GBK bytes of 东门入口.
QByteArray referenceCatalogBody(const QByteArray &name = hex("B6ABC3C5C8EBBFDA"))
{
    return "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n"
           "<Response>\r\n"
           "<CmdType>Catalog</CmdType>\r\n"
           "<SN>17430</SN>\r\n"
           "<DeviceID>34020000001320000001</DeviceID>\r\n"
           "<SumNum>2</SumNum>\r\n"
           "<DeviceList Num=\"1\">\r\n"
           "<Item>\r\n"
           "<DeviceID>34020000001310000001</DeviceID>\r\n"
           "<Name>" + name + "</Name>\r\n"
           "<Manufacturer>Hikvision</Manufacturer><Model>IP Camera</Model><Owner>Owner</Owner>\r\n"
           "<CivilCode>340200</CivilCode><Address>Address</Address>\r\n"
           "<Parental>0</Parental><ParentID>34020000001320000001</ParentID>\r\n"
           "<SafetyWay>0</SafetyWay><RegisterWay>1</RegisterWay><Secrecy>0</Secrecy>\r\n"
           "<Status>ON</Status><Longitude>117.2272</Longitude><Latitude>31.8206</Latitude>\r\n"
           "<Info><PTZType>1</PTZType><DownloadSpeed>1/2/4</DownloadSpeed></Info>\r\n"
           "</Item>\r\n"
           "</DeviceList>\r\n"
           "</Response>\r\n";
}

QByteArray catalogWithItems(const QByteArray &items, const QByteArray &root = "Response")
{
    return "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<" + root + ">\r\n<CmdType>Catalog</CmdType>\r\n<SN>7</SN>\r\n"
           "<DeviceID>34020000002000000002</DeviceID>\r\n<SumNum>9</SumNum>\r\n<DeviceList Num=\"9\">\r\n"
           + items + "</DeviceList>\r\n</" + root + ">\r\n";
}

QByteArray item(const QByteArray &inner)
{
    return "<Item>" + inner + "</Item>\r\n";
}

ManscdpMessage parsed(const QByteArray &body, CharsetOverride override = CharsetOverride::Auto)
{
    auto message = ManscdpMessage::parse(body, override);
    if (!message) {
        qWarning("parse failed: %s", qPrintable(message.error().message));
        return {};
    }
    return *message;
}

CatalogList catalogOf(const QByteArray &body)
{
    const ManscdpMessage message = parsed(body);
    const CatalogList *catalog = message.get<CatalogList>();
    return catalog ? *catalog : CatalogList{};
}

CatalogItem firstItem(const QByteArray &itemXml)
{
    const CatalogList catalog = catalogOf(catalogWithItems(item("<DeviceID>34020000001310000001</DeviceID>" + itemXml)));
    return catalog.items.isEmpty() ? CatalogItem{} : catalog.items.first();
}

} // namespace

class TestManscdpParser : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void keepalive()
    {
        const auto message = ManscdpMessage::parse(kKeepalive);
        QVERIFY2(message, qPrintable(message ? QString() : message.error().message));
        QCOMPARE(message->envelope.messageClass, MessageClass::Notify);
        QCOMPARE(message->envelope.cmdType, CmdType::Keepalive);
        QCOMPARE(message->envelope.cmdTypeText, u"Keepalive"_s);
        QCOMPARE(message->envelope.sn, 43u);
        QCOMPARE(message->envelope.deviceId.text(), u"34020000001320000001"_s);
        QVERIFY(message->envelope.deviceId.isWellFormed());
        QCOMPARE(message->envelope.deviceId.id().type(), GbType::Ipc);
        const auto *keepalive = message->get<KeepaliveNotify>();
        QVERIFY(keepalive);
        QCOMPARE(keepalive->status, ResultCode::Ok);
        QVERIFY(keepalive->faultyDevices.isEmpty());
        QVERIFY(message->charset.asciiOnly);
        QCOMPARE(message->charset.declared, DeclaredCharset::Gb2312);
        QVERIFY(!message->xmlRepaired);
        QCOMPARE(message->ignoredFields, 0);
        QVERIFY(message->notes.isEmpty());
    }

    // The common keepalive takes the fast path; variants it does not handle take the DOM path;
    // both give the same result.
    void keepaliveFastPathAgrees_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("fast");
        QTest::addColumn<ResultCode>("status");
        QTest::addColumn<quint32>("sn");
        QTest::newRow("reference") << kKeepalive << true << ResultCode::Ok << 43u;
        QTest::newRow("LF, no declaration") << QByteArray("<Notify>\n<CmdType>Keepalive</CmdType>\n<SN>1</SN>\n"
                                                          "<DeviceID>34020000001320000001</DeviceID>\n<Status>OK</Status>\n</Notify>\n")
                                            << true << ResultCode::Ok << 1u;
        QTest::newRow("padded, lower case, trailing NULs")
            << QByteArray("<notify><cmdtype> keepalive </cmdtype><sn> 9 </sn><deviceid>34020000001320000001</deviceid>"
                          "<status>error</status></notify>") + QByteArray(3, '\0')
            << true << ResultCode::Error << 9u;
        QTest::newRow("BOM and declaration") << QByteArray("\xEF\xBB\xBF") + kKeepalive << true << ResultCode::Ok << 43u;
        QTest::newRow("SN 43.0") << QByteArray(kKeepalive).replace("<SN>43</SN>", "<SN>43.0</SN>") << true << ResultCode::Ok << 43u;
        QTest::newRow("no Status") << QByteArray(kKeepalive).replace("<Status>OK</Status>\r\n", "") << true << ResultCode::Missing << 43u;
        QTest::newRow("faulty Info") << QByteArray(kKeepalive).replace(
            "<Status>OK</Status>", "<Status>ERROR</Status><Info><DeviceID>34020000001310000001</DeviceID></Info>")
                                     << false << ResultCode::Error << 43u;
        QTest::newRow("attribute on root") << QByteArray(kKeepalive).replace("<Notify>", "<Notify xmlns=\"x\">") << false
                                           << ResultCode::Ok << 43u;
        QTest::newRow("entity") << QByteArray(kKeepalive).replace("<Status>OK", "<Status>&#79;K") << false << ResultCode::Ok << 43u;
        QTest::newRow("mismatched end tag") << QByteArray(kKeepalive).replace("</Status>", "</status>") << false
                                            << ResultCode::Ok << 43u;
        QTest::newRow("trailing garbage") << kKeepalive + "garbage" << false << ResultCode::Ok << 43u;
    }

    void keepaliveFastPathAgrees()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, fast);
        QFETCH(ResultCode, status);
        QFETCH(quint32, sn);
        const auto quick = detail::parseKeepaliveFast(body, CharsetOverride::Auto);
        QCOMPARE(quick.has_value(), fast);
        const auto full = detail::parseWithDom(body, CharsetOverride::Auto);
        QVERIFY(full);
        QCOMPARE(full->envelope.cmdType, CmdType::Keepalive);
        QCOMPARE(full->envelope.sn, sn);
        QCOMPARE(full->envelope.deviceId.text(), u"34020000001320000001"_s);
        QVERIFY(full->get<KeepaliveNotify>());
        QCOMPARE(full->get<KeepaliveNotify>()->status, status);
        if (quick) {
            QCOMPARE(quick->envelope, full->envelope);
            QCOMPARE(*quick->get<KeepaliveNotify>(), *full->get<KeepaliveNotify>());
            QCOMPARE(quick->charset, full->charset);
            QCOMPARE(quick->notes, full->notes);
            QCOMPARE(quick->ignoredFields, full->ignoredFields);
            QCOMPARE(quick->xmlRepaired, full->xmlRepaired);
        }
    }

    void keepaliveFaultyDevices()
    {
        const QByteArray body = "<Notify><CmdType>Keepalive</CmdType><SN>5</SN><DeviceID>34020000001320000001</DeviceID>"
                                "<Status>ERROR</Status><Info><DeviceID>34020000001310000001</DeviceID>"
                                "<DeviceID> 34020000001310000002 </DeviceID><DeviceID>bad</DeviceID><DeviceID/></Info></Notify>";
        const ManscdpMessage message = parsed(body);
        const auto *keepalive = message.get<KeepaliveNotify>();
        QVERIFY(keepalive);
        QCOMPARE(keepalive->status, ResultCode::Error);
        QCOMPARE(keepalive->faultyDevices.size(), 3);
        QCOMPARE(keepalive->faultyDevices[1].text(), u"34020000001310000002"_s);
        QVERIFY(keepalive->faultyDevices[1].isWellFormed());
        QCOMPARE(keepalive->faultyDevices[2].text(), u"bad"_s);
        QVERIFY(!keepalive->faultyDevices[2].isWellFormed());
    }

    void referenceCatalog()
    {
        const ManscdpMessage message = parsed(referenceCatalogBody());
        QCOMPARE(message.envelope.messageClass, MessageClass::Response);
        QCOMPARE(message.envelope.cmdType, CmdType::Catalog);
        QCOMPARE(message.envelope.sn, 17430u);
        QCOMPARE(message.charset.encoding, TextEncoding::Gb18030);
        QVERIFY(!message.charset.fallback);
        const auto *catalog = message.get<CatalogList>();
        QVERIFY(catalog);
        QCOMPARE(catalog->sumNum, 2);
        QCOMPARE(catalog->listNum, 1);
        QCOMPARE(catalog->skippedItems, 0);
        QCOMPARE(catalog->items.size(), 1);
        const CatalogItem &item = catalog->items.first();
        QCOMPARE(item.deviceId.text(), u"34020000001310000001"_s);
        QCOMPARE(item.kind(), CatalogNodeKind::Device);
        QCOMPARE(item.name, u"东门入口"_s);
        QCOMPARE(item.manufacturer, u"Hikvision"_s);
        QCOMPARE(item.model, u"IP Camera"_s);
        QCOMPARE(item.owner, u"Owner"_s);
        QCOMPARE(item.civilCode, u"340200"_s);
        QCOMPARE(item.address, u"Address"_s);
        QCOMPARE(item.parental, false);
        QCOMPARE(item.parentIds, QStringList{u"34020000001320000001"_s});
        QCOMPARE(item.safetyWay, 0);
        QCOMPARE(item.registerWay, 1);
        QCOMPARE(item.secrecy, 0);
        QCOMPARE(item.status, CatalogStatus::On);
        QVERIFY(item.isOnline());
        QCOMPARE(item.longitude, 117.2272);
        QCOMPARE(item.latitude, 31.8206);
        QCOMPARE(item.ptzType, 1);
        QCOMPARE(item.downloadSpeed, u"1/2/4"_s);
        QVERIFY(item.otherInfo.isEmpty());
        QCOMPARE(item.event, CatalogEvent::None);
        QCOMPARE(message.ignoredFields, 0);
    }

    void catalogItemAllFields()
    {
        const CatalogItem item = firstItem(
            "<Name>Gate</Name><Manufacturer>Dahua</Manufacturer><Model>DH-1</Model><Owner>o</Owner>"
            "<CivilCode>34020000</CivilCode><Block>B-7</Block><Address>No. 1 Road</Address><Parental>1</Parental>"
            "<ParentID>34020000002160000001/34020000002150000001</ParentID><SafetyWay>4</SafetyWay><RegisterWay>2</RegisterWay>"
            "<CertNum>C-1</CertNum><Certifiable>1</Certifiable><ErrCode>0</ErrCode><EndTime>2030-01-01T00:00:00</EndTime>"
            "<Secrecy>1</Secrecy><IPAddress>192.168.1.64</IPAddress><Port>5060</Port><Password>secret</Password>"
            "<Status>OFF</Status><Longitude>-0.5</Longitude><Latitude>0</Latitude>"
            "<BusinessGroupID>34020000002150000001</BusinessGroupID>"
            "<Info><PTZType>2</PTZType><PositionType>1</PositionType><RoomType>2</RoomType><UseType>3</UseType>"
            "<SupplyLightType>2</SupplyLightType><DirectionType>8</DirectionType><Resolution>3/5</Resolution>"
            "<DownloadSpeed>1/2</DownloadSpeed><SVCSpaceSupportMode>1</SVCSpaceSupportMode>"
            "<SVCTimeSupportMode>2</SVCTimeSupportMode><StreamNumberList>0/1</StreamNumberList><Vendor>x</Vendor></Info>");
        QCOMPARE(item.name, u"Gate"_s);
        QCOMPARE(item.manufacturer, u"Dahua"_s);
        QCOMPARE(item.model, u"DH-1"_s);
        QCOMPARE(item.owner, u"o"_s);
        QCOMPARE(item.civilCode, u"34020000"_s);
        QCOMPARE(item.block, u"B-7"_s);
        QCOMPARE(item.address, u"No. 1 Road"_s);
        QCOMPARE(item.parental, true);
        QCOMPARE(item.parentIds, (QStringList{u"34020000002160000001"_s, u"34020000002150000001"_s}));
        QCOMPARE(item.safetyWay, 4);
        QCOMPARE(item.registerWay, 2);
        QCOMPARE(item.certNum, u"C-1"_s);
        QCOMPARE(item.certifiable, 1);
        QCOMPARE(item.errCode, 0);
        QCOMPARE(item.endTime, u"2030-01-01T00:00:00"_s);
        QCOMPARE(item.secrecy, 1);
        QCOMPARE(item.ipAddress, u"192.168.1.64"_s);
        QCOMPARE(item.port, std::uint16_t(5060));
        QCOMPARE(item.password, u"secret"_s);
        QCOMPARE(item.status, CatalogStatus::Off);
        QVERIFY(!item.isOnline());
        QCOMPARE(item.longitude, -0.5);
        QCOMPARE(item.latitude, 0.0);
        QCOMPARE(item.businessGroupId, u"34020000002150000001"_s);
        QCOMPARE(item.ptzType, 2);
        QCOMPARE(item.positionType, 1);
        QCOMPARE(item.roomType, 2);
        QCOMPARE(item.useType, 3);
        QCOMPARE(item.supplyLightType, 2);
        QCOMPARE(item.directionType, 8);
        QCOMPARE(item.resolution, u"3/5"_s);
        QCOMPARE(item.downloadSpeed, u"1/2"_s);
        QCOMPARE(item.svcSpaceSupportMode, 1);
        QCOMPARE(item.svcTimeSupportMode, 2);
        QCOMPARE(item.otherInfo, (QList<InfoField>{{u"StreamNumberList"_s, u"0/1"_s}, {u"Vendor"_s, u"x"_s}}));
    }

    void catalogStatus_data()
    {
        QTest::addColumn<QByteArray>("xml");
        QTest::addColumn<CatalogStatus>("status");
        QTest::addColumn<bool>("online");
        QTest::newRow("ON") << QByteArray("<Status>ON</Status>") << CatalogStatus::On << true;
        QTest::newRow("OFF") << QByteArray("<Status>OFF</Status>") << CatalogStatus::Off << false;
        QTest::newRow("ONLINE (Hikvision NVR)") << QByteArray("<Status>ONLINE</Status>") << CatalogStatus::On << true;
        QTest::newRow("OFFLINE") << QByteArray("<Status>OFFLINE</Status>") << CatalogStatus::Off << false;
        QTest::newRow("OK") << QByteArray("<Status>OK</Status>") << CatalogStatus::On << true;
        QTest::newRow("lower case") << QByteArray("<Status>offline</Status>") << CatalogStatus::Off << false;
        QTest::newRow("padded") << QByteArray("<Status>  On \r\n</Status>") << CatalogStatus::On << true;
        QTest::newRow("missing") << QByteArray() << CatalogStatus::Missing << true;
        QTest::newRow("empty") << QByteArray("<Status></Status>") << CatalogStatus::Missing << true;
        QTest::newRow("self-closing") << QByteArray("<Status/>") << CatalogStatus::Missing << true;
        QTest::newRow("unknown") << QByteArray("<Status>BROKEN</Status>") << CatalogStatus::Unknown << true;
        QTest::newRow("element in lower case") << QByteArray("<status>OFF</status>") << CatalogStatus::Off << false;
    }

    void catalogStatus()
    {
        QFETCH(QByteArray, xml);
        QFETCH(CatalogStatus, status);
        QFETCH(bool, online);
        const CatalogItem item = firstItem(xml);
        QCOMPARE(item.status, status);
        QCOMPARE(item.isOnline(), online);
    }

    void ptzType_data()
    {
        QTest::addColumn<QByteArray>("xml");
        QTest::addColumn<std::optional<int>>("ptzType");
        QTest::newRow("in Info") << QByteArray("<Info><PTZType>1</PTZType></Info>") << std::optional<int>(1);
        QTest::newRow("in item (2011)") << QByteArray("<PTZType>3</PTZType>") << std::optional<int>(3);
        QTest::newRow("lower-case info") << QByteArray("<info><ptztype>4</ptztype></info>") << std::optional<int>(4);
        QTest::newRow("Info wins") << QByteArray("<PTZType>3</PTZType><Info><PTZType>2</PTZType></Info>") << std::optional<int>(2);
        QTest::newRow("decimal") << QByteArray("<Info><PTZType> 2.0 </PTZType></Info>") << std::optional<int>(2);
        QTest::newRow("empty Info") << QByteArray("<Info></Info>") << std::optional<int>();
        QTest::newRow("garbage") << QByteArray("<Info><PTZType>dome</PTZType></Info>") << std::optional<int>();
        QTest::newRow("missing") << QByteArray() << std::optional<int>();
    }

    void ptzType()
    {
        QFETCH(QByteArray, xml);
        QFETCH(std::optional<int>, ptzType);
        QCOMPARE(firstItem(xml).ptzType, ptzType);
    }

    // A platform's catalog: region nodes, business groups, virtual organisations and devices.
    void mixedPlatformCatalog()
    {
        const QByteArray items = item("<DeviceID>34</DeviceID><Name>" + hex("B0B2BBD5CAA1") + "</Name>")  // 安徽省
                                 + item("<DeviceID>3402</DeviceID><Name>Wuhu</Name><ParentID>34</ParentID>")
                                 + item("<DeviceID>340202</DeviceID><Name>Jinghu</Name><ParentID>3402</ParentID>")
                                 + item("<DeviceID>34020201</DeviceID><Name>Street</Name><ParentID>340202</ParentID>")
                                 + item("<DeviceID>34020000002150000001</DeviceID><Name>Traffic</Name>")
                                 + item("<DeviceID>34020000002160000001</DeviceID><Name>East district</Name>"
                                        "<ParentID>34020000002150000001</ParentID><BusinessGroupID>34020000002150000001</BusinessGroupID>")
                                 + item("<DeviceID>34020000001310000001</DeviceID><Name>Cam</Name><CivilCode>34020201</CivilCode>"
                                        "<ParentID>34020000002160000001</ParentID><Status>ON</Status>")
                                 + item("<DeviceID>34020000002000000002</DeviceID><Name>Lower platform</Name>")
                                 + item("<DeviceID>34-02</DeviceID><Name>Odd</Name>");
        const CatalogList catalog = catalogOf(catalogWithItems(items));
        QCOMPARE(catalog.items.size(), 9);
        const QList<CatalogNodeKind> kinds = {CatalogNodeKind::CivilCode, CatalogNodeKind::CivilCode, CatalogNodeKind::CivilCode,
                                              CatalogNodeKind::CivilCode, CatalogNodeKind::BusinessGroup,
                                              CatalogNodeKind::VirtualOrganization, CatalogNodeKind::Device,
                                              CatalogNodeKind::Device, CatalogNodeKind::Unknown};
        for (qsizetype i = 0; i < kinds.size(); ++i)
            QCOMPARE(catalog.items[i].kind(), kinds[i]);
        QCOMPARE(catalog.items[0].name, u"安徽省"_s);
        QCOMPARE(catalog.items[0].deviceId.text(), u"34"_s);
        QVERIFY(!catalog.items[0].deviceId.isWellFormed());
        QCOMPARE(catalog.items[5].businessGroupId, u"34020000002150000001"_s);
        QCOMPARE(catalog.items[6].civilCode, u"34020201"_s);
        QCOMPARE(catalog.items[8].deviceId.text(), u"34-02"_s);
    }

    // One broken item does not cost the others.
    void partlyValidCatalog()
    {
        const QByteArray items = item("<DeviceID>34020000001310000001</DeviceID><Name>One</Name>")
                                 + item("<Name>no id</Name>")
                                 + item("<DeviceID>  </DeviceID><Name>blank id</Name>")
                                 + item("<DeviceID>34020000001310000003</DeviceID><Name>Three</Name><Longitude>east</Longitude>"
                                        "<Port>99999</Port><Parental>maybe</Parental><Latitude>91</Latitude>")
                                 + "<Other>ignored</Other>"
                                 + item("<DeviceID>34020000001310000004</DeviceID><Name>Four</Name>");
        const ManscdpMessage message = parsed(catalogWithItems(items));
        const auto *catalog = message.get<CatalogList>();
        QVERIFY(catalog);
        QCOMPARE(catalog->items.size(), 3);
        QCOMPARE(catalog->skippedItems, 2);
        QCOMPARE(catalog->items[0].name, u"One"_s);
        QCOMPARE(catalog->items[1].name, u"Three"_s);
        QCOMPARE(catalog->items[1].longitude, std::nullopt);
        QCOMPARE(catalog->items[1].latitude, std::nullopt);
        QCOMPARE(catalog->items[1].port, std::nullopt);
        QCOMPARE(catalog->items[1].parental, std::nullopt);
        QCOMPARE(catalog->items[2].name, u"Four"_s);
        QCOMPARE(message.ignoredFields, 4);
        QVERIFY(message.notes.join(u'\n').contains(u"catalog item 2 has no DeviceID"_s));
        QVERIFY(message.notes.join(u'\n').contains(u"Longitude \"east\" is malformed"_s));
    }

    void emptyCatalog()
    {
        const QByteArray body = "<Response><CmdType>Catalog</CmdType><SN>3</SN><DeviceID>34020000001320000001</DeviceID>"
                                "<SumNum>0</SumNum></Response>";
        const CatalogList catalog = catalogOf(body);
        QCOMPARE(catalog.sumNum, 0);
        QCOMPARE(catalog.listNum, std::nullopt);
        QVERIFY(catalog.items.isEmpty());
    }

    void catalogNotifyEvents()
    {
        const QByteArray items = item("<DeviceID>34020000001310000001</DeviceID><Event>ON</Event>")
                                 + item("<DeviceID>34020000001310000002</DeviceID><Event>OFF</Event>")
                                 + item("<DeviceID>34020000001310000003</DeviceID><Event>VLOST</Event>")
                                 + item("<DeviceID>34020000001310000004</DeviceID><Event>DEFECT</Event>")
                                 + item("<DeviceID>34020000001310000005</DeviceID><Name>New</Name><Status>ON</Status><Event>ADD</Event>")
                                 + item("<DeviceID>34020000001310000006</DeviceID><Event>DEL</Event>")
                                 + item("<DeviceID>34020000001310000007</DeviceID><Name>Renamed</Name><Event>update</Event>")
                                 + item("<DeviceID>34020000001310000008</DeviceID><Event>EXPLODE</Event>")
                                 + item("<DeviceID>34020000001310000009</DeviceID>");
        const ManscdpMessage message = parsed(catalogWithItems(items, "Notify"));
        QCOMPARE(message.envelope.messageClass, MessageClass::Notify);
        const auto *catalog = message.get<CatalogList>();
        QVERIFY(catalog);
        const QList<CatalogEvent> events = {CatalogEvent::On,     CatalogEvent::Off,    CatalogEvent::VideoLost,
                                            CatalogEvent::Defect, CatalogEvent::Add,    CatalogEvent::Delete,
                                            CatalogEvent::Update, CatalogEvent::Unknown, CatalogEvent::None};
        QCOMPARE(catalog->items.size(), events.size());
        for (qsizetype i = 0; i < events.size(); ++i)
            QCOMPARE(catalog->items[i].event, events[i]);
        QCOMPARE(catalog->items[4].name, u"New"_s);
        QCOMPARE(message.ignoredFields, 1);
    }

    void subscribeAnswer()
    {
        const ManscdpMessage message = parsed("<Response><CmdType>Catalog</CmdType><SN>5501</SN>"
                                              "<DeviceID>34020000001320000001</DeviceID><Result>OK</Result></Response>");
        const auto *catalog = message.get<CatalogList>();
        QVERIFY(catalog);
        QCOMPARE(catalog->result, ResultCode::Ok);
        QVERIFY(catalog->items.isEmpty());
    }

    // Chinese names, encoded each way and declared right and wrong.
    void catalogCharsets_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("name");
        QTest::addColumn<TextEncoding>("encoding");
        QTest::addColumn<bool>("fallback");
        const QByteArray gateGbk = hex("B4F3C3C5BFDAC9E3CFF1BBFA");
        const QByteArray gateUtf8 = hex("E5A4A7E997A8E58FA3E69184E5838FE69CBA");
        const QByteArray buildingGbk = hex("D2BBBAC5C2A5B6ABB2E0");
        const QByteArray buildingUtf8 = hex("E4B880E58FB7E6A5BCE4B89CE4BEA7");
        auto with = [](QByteArray body, const QByteArray &declaration) {
            return body.replace("encoding=\"GB2312\"", QByteArray("encoding=\"" + declaration + "\""));
        };
        QTest::newRow("大门口摄像机 GBK as GB2312") << referenceCatalogBody(gateGbk) << u"大门口摄像机"_s << TextEncoding::Gb18030 << false;
        QTest::newRow("大门口摄像机 UTF-8 as GB2312") << referenceCatalogBody(gateUtf8) << u"大门口摄像机"_s << TextEncoding::Utf8 << true;
        QTest::newRow("大门口摄像机 UTF-8 as UTF-8") << with(referenceCatalogBody(gateUtf8), "UTF-8") << u"大门口摄像机"_s
                                               << TextEncoding::Utf8 << false;
        QTest::newRow("大门口摄像机 GBK as UTF-8") << with(referenceCatalogBody(gateGbk), "UTF-8") << u"大门口摄像机"_s
                                             << TextEncoding::Gb18030 << true;
        QTest::newRow("一号楼东侧 GBK as GBK") << with(referenceCatalogBody(buildingGbk), "GBK") << u"一号楼东侧"_s
                                          << TextEncoding::Gb18030 << false;
        QTest::newRow("一号楼东侧 GBK as gb18030") << with(referenceCatalogBody(buildingGbk), "gb18030") << u"一号楼东侧"_s
                                              << TextEncoding::Gb18030 << false;
        QTest::newRow("一号楼东侧 UTF-8 as GB2312") << referenceCatalogBody(buildingUtf8) << u"一号楼东侧"_s << TextEncoding::Utf8 << true;
        QTest::newRow("一号楼东侧 UTF-8, no declaration")
            << referenceCatalogBody(buildingUtf8).replace("<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n", "")
            << u"一号楼东侧"_s << TextEncoding::Utf8 << false;
        QTest::newRow("一号楼东侧 GBK, no declaration")
            << referenceCatalogBody(buildingGbk).replace("<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n", "")
            << u"一号楼东侧"_s << TextEncoding::Gb18030 << true;
        QTest::newRow("东门入口 UTF-8 with BOM") << QByteArray("\xEF\xBB\xBF" + with(referenceCatalogBody(hex("E4B89CE997A8E585A5E58FA3")), "UTF-8"))
                                            << u"东门入口"_s << TextEncoding::Utf8 << false;
    }

    void catalogCharsets()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, name);
        QFETCH(TextEncoding, encoding);
        QFETCH(bool, fallback);
        const ManscdpMessage message = parsed(body);
        const auto *catalog = message.get<CatalogList>();
        QVERIFY(catalog);
        QCOMPARE(catalog->items.size(), 1);
        QCOMPARE(catalog->items.first().name, name);
        QCOMPARE(message.charset.encoding, encoding);
        QCOMPARE(message.charset.fallback, fallback);
    }

    void charsetOverride()
    {
        // An installer who forces GB18030 on a device that really sends UTF-8 gets what they asked for.
        const QByteArray body = referenceCatalogBody(hex("E4B89CE997A8E585A5E58FA3"));
        QCOMPARE(parsed(body).get<CatalogList>()->items.first().name, u"东门入口"_s);
        QCOMPARE(parsed(body, CharsetOverride::Gb18030).get<CatalogList>()->items.first().name, u"涓滈棬鍏ュ彛"_s);
        QCOMPARE(parsed(referenceCatalogBody(), CharsetOverride::Utf8).get<CatalogList>()->items.first().name, u"东门入口"_s);
    }

    // What devices do to XML, one tolerance per row; the item must come through each time.
    void xmlTolerance_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("address");
        QTest::addColumn<bool>("repaired");
        const QByteArray clean = catalogWithItems(item("<DeviceID>34020000001310000001</DeviceID><Name>Cam &amp; Co</Name>"
                                                       "<Address>Road 1</Address>"));
        QTest::newRow("clean") << clean << u"Cam & Co"_s << u"Road 1"_s << false;
        QTest::newRow("bare & (Hikvision)") << QByteArray(clean).replace("&amp;", "&") << u"Cam & Co"_s << u"Road 1"_s << false;
        QTest::newRow("bare & before name") << QByteArray(clean).replace("&amp; Co", "&Co") << u"Cam &Co"_s << u"Road 1"_s << false;
        QTest::newRow("< in Address") << QByteArray(clean).replace("Road 1", "Road <1") << u"Cam & Co"_s << u"Road <1"_s << true;
        QTest::newRow("tag-like < in Address") << QByteArray(clean).replace("Road 1", "Road<West>1") << u"Cam & Co"_s
                                               << u"Road<West>1"_s << true;
        QTest::newRow("Chinese tag-like < in Address")
            << QByteArray(clean).replace("Road 1", hex("B6ABC3C53CCEF7C3C53E")) << u"Cam & Co"_s << u"东门<西门>"_s << true;
        QTest::newRow("lower-case names") << QByteArray(clean).replace("<Name>", "<name>").replace("</Name>", "</name>")
                                                 .replace("DeviceList", "devicelist").replace("<Item>", "<item>")
                                                 .replace("</Item>", "</item>")
                                          << u"Cam & Co"_s << u"Road 1"_s << false;
        QTest::newRow("end tag in other case") << QByteArray(clean).replace("</Name>", "</NAME>") << u"Cam & Co"_s
                                               << u"Road 1"_s << true;
        QTest::newRow("padded text") << QByteArray(clean).replace("<Name>Cam &amp; Co</Name>", "<Name>\r\n   Cam &amp; Co \t</Name>")
                                     << u"Cam & Co"_s << u"Road 1"_s << false;
        QTest::newRow("ideographic space padding") << QByteArray(clean).replace("<Name>Cam", "<Name>\xE3\x80\x80" "Cam")
                                                          .replace("encoding=\"GB2312\"", "encoding=\"UTF-8\"")
                                                   << u"Cam & Co"_s << u"Road 1"_s << false;
        QTest::newRow("empty elements") << QByteArray(clean).replace("Road 1", "") << u"Cam & Co"_s << QString() << false;
        QTest::newRow("self-closing element") << QByteArray(clean).replace("<Address>Road 1</Address>", "<Address/>")
                                              << u"Cam & Co"_s << QString() << false;
        QTest::newRow("trailing garbage") << clean + "\r\n\x01garbage<" << u"Cam & Co"_s << u"Road 1"_s << true;
        QTest::newRow("trailing NULs") << clean + QByteArray(16, '\0') << u"Cam & Co"_s << u"Road 1"_s << false;
        QTest::newRow("NUL then garbage") << clean + QByteArray("\0<<junk", 7) << u"Cam & Co"_s << u"Road 1"_s << false;
        QTest::newRow("missing declaration") << QByteArray(clean).replace("<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n", "")
                                             << u"Cam & Co"_s << u"Road 1"_s << false;
        QTest::newRow("BOM") << QByteArray("\xEF\xBB\xBF") + clean << u"Cam & Co"_s << u"Road 1"_s << false;
        QTest::newRow("whitespace before declaration") << QByteArray("\r\n  ") + clean << u"Cam & Co"_s << u"Road 1"_s << false;
        QTest::newRow("unquoted Num") << QByteArray(clean).replace("Num=\"9\"", "Num=9") << u"Cam & Co"_s << u"Road 1"_s << true;
        QTest::newRow("missing </DeviceList>") << QByteArray(clean).replace("</DeviceList>", "") << u"Cam & Co"_s
                                               << u"Road 1"_s << true;
        QTest::newRow("truncated body") << clean.left(clean.indexOf("</Item>")) << u"Cam & Co"_s << u"Road 1"_s << true;
        QTest::newRow("comment") << QByteArray(clean).replace("<Item>", "<!-- item --><Item>") << u"Cam & Co"_s
                                 << u"Road 1"_s << false;
        QTest::newRow("CDATA") << QByteArray(clean).replace("Cam &amp; Co", "<![CDATA[Cam & Co]]>") << u"Cam & Co"_s
                               << u"Road 1"_s << false;
    }

    void xmlTolerance()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, name);
        QFETCH(QString, address);
        QFETCH(bool, repaired);
        const auto message = ManscdpMessage::parse(body);
        QVERIFY2(message, qPrintable(message ? QString() : message.error().message));
        QCOMPARE(message->envelope.cmdType, CmdType::Catalog);
        QCOMPARE(message->envelope.sn, 7u);
        const auto *catalog = message->get<CatalogList>();
        QVERIFY(catalog);
        QCOMPARE(catalog->listNum, 9);
        QCOMPARE(catalog->items.size(), 1);
        QCOMPARE(catalog->items.first().name, name);
        QCOMPARE(catalog->items.first().address, address);
        QCOMPARE(message->xmlRepaired, repaired);
        QCOMPARE(message->ignoredFields, 0);
    }

    // Thousands of attributes would take tinyxml2 quadratic time; they go through the repair,
    // which keeps a few.
    void manyAttributes()
    {
        QByteArray attributes;
        for (int i = 0; attributes.size() < 60000; ++i)
            attributes += " a" + QByteArray::number(i) + "=\"\"";
        const QByteArray body = "<Response" + attributes + "><CmdType>Catalog</CmdType><SN>5</SN>"
                                "<DeviceID>34020000001320000001</DeviceID><SumNum>1</SumNum><DeviceList Num=\"1\">"
                                "<Item><DeviceID>34020000001310000001</DeviceID><Name>a=b</Name></Item></DeviceList></Response>";
        QVERIFY(body.size() <= ManscdpMessage::kMaxBodySize);
        const ManscdpMessage message = parsed(body);
        QVERIFY(message.xmlRepaired);
        QCOMPARE(message.get<CatalogList>()->listNum, 1);
        QCOMPARE(message.get<CatalogList>()->items.first().name, u"a=b"_s);

        // Many '=' in text alone: the same path, nothing to repair.
        const QByteArray equals = "<Notify><CmdType>Alarm</CmdType><SN>1</SN><DeviceID>34020000001340000001</DeviceID>"
                                  "<AlarmDescription>" + QByteArray(1000, '=') + "</AlarmDescription></Notify>";
        const ManscdpMessage alarm = parsed(equals);
        QVERIFY(!alarm.xmlRepaired);
        QCOMPARE(alarm.get<AlarmNotify>()->description, QString(1000, u'='));
    }

    void numbers_data()
    {
        QTest::addColumn<QByteArray>("sn");
        QTest::addColumn<quint32>("expected");
        QTest::addColumn<int>("ignored");
        QTest::newRow("plain") << QByteArray("17") << 17u << 0;
        QTest::newRow("padded") << QByteArray(" 17 ") << 17u << 0;
        QTest::newRow("newlines") << QByteArray("\r\n17\r\n") << 17u << 0;
        QTest::newRow("decimal") << QByteArray("17.0") << 17u << 0;
        QTest::newRow("decimal point only") << QByteArray("17.") << 17u << 0;
        QTest::newRow("plus") << QByteArray("+17") << 17u << 0;
        QTest::newRow("max") << QByteArray("4294967295") << 4294967295u << 0;
        QTest::newRow("fraction") << QByteArray("17.5") << 0u << 1;
        QTest::newRow("negative") << QByteArray("-1") << 0u << 1;
        QTest::newRow("too large") << QByteArray("4294967296") << 0u << 1;
        QTest::newRow("inner space") << QByteArray("1 7") << 0u << 1;
        QTest::newRow("hex") << QByteArray("0x11") << 0u << 1;
        QTest::newRow("empty") << QByteArray() << 0u << 0;
    }

    void numbers()
    {
        QFETCH(QByteArray, sn);
        QFETCH(quint32, expected);
        QFETCH(int, ignored);
        const ManscdpMessage message = parsed("<Query><CmdType>Catalog</CmdType><SN>" + sn
                                              + "</SN><DeviceID>34020000001320000001</DeviceID></Query>");
        QCOMPARE(message.envelope.sn, expected);
        QCOMPARE(message.ignoredFields, ignored);
    }

    void deviceInfo()
    {
        const ManscdpMessage message = parsed(
            "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Response>\r\n<CmdType>DeviceInfo</CmdType>\r\n<SN>12</SN>\r\n"
            "<DeviceID>34020000001180000001</DeviceID>\r\n<DeviceName>" + hex("B4F3C3C5BFDAC9E3CFF1BBFA") + "</DeviceName>\r\n"
            "<Result>OK</Result>\r\n<Manufacturer>Hikvision</Manufacturer>\r\n<Model>DS-7808N</Model>\r\n"
            "<Firmware>V4.30.000</Firmware>\r\n<Channel>8</Channel>\r\n<MaxCamera> 8 </MaxCamera><MaxAlarm>4.0</MaxAlarm>"
            "<Info><DeviceType>NVR</DeviceType></Info>\r\n</Response>\r\n");
        QCOMPARE(message.envelope.deviceId.id().type(), GbType::Nvr);
        const auto *info = message.get<DeviceInfoResponse>();
        QVERIFY(info);
        QCOMPARE(info->deviceName, u"大门口摄像机"_s);
        QCOMPARE(info->result, ResultCode::Ok);
        QCOMPARE(info->manufacturer, u"Hikvision"_s);
        QCOMPARE(info->model, u"DS-7808N"_s);
        QCOMPARE(info->firmware, u"V4.30.000"_s);
        QCOMPARE(info->channel, 8);
        QCOMPARE(info->maxCamera, 8);
        QCOMPARE(info->maxAlarm, 4);
        QCOMPARE(info->info, (QList<InfoField>{{u"DeviceType"_s, u"NVR"_s}}));
    }

    void deviceStatus()
    {
        // The reference's real 2011-era answer, with its odd `Alarmstatus` and an unquoted Num.
        const ManscdpMessage message = parsed(
            "<Response>\r\n<CmdType>DeviceStatus</CmdType>\r\n<SN>248</SN>\r\n<DeviceID>34020000001320000001</DeviceID>\r\n"
            "<Result>OK</Result><Online>ONLINE</Online><Status>OK</Status>\r\n"
            "<Encode>ON</Encode><Record>OFF</Record><DeviceTime>2024-05-20T08:10:17</DeviceTime>\r\n"
            "<Alarmstatus Num=2>\r\n"
            "<Item><DeviceID>34020000001340000001</DeviceID><DutyStatus>OFFDUTY</DutyStatus></Item>\r\n"
            "<Item><DeviceID>34020000001340000002</DeviceID><DutyStatus>alarm</DutyStatus></Item>\r\n"
            "</Alarmstatus>\r\n</Response>\r\n");
        QVERIFY(message.xmlRepaired);
        const auto *status = message.get<DeviceStatusResponse>();
        QVERIFY(status);
        QCOMPARE(status->result, ResultCode::Ok);
        QCOMPARE(status->online, OnOff::On);
        QCOMPARE(status->status, ResultCode::Ok);
        QCOMPARE(status->encode, OnOff::On);
        QCOMPARE(status->record, OnOff::Off);
        QCOMPARE(status->deviceTime, u"2024-05-20T08:10:17"_s);
        QCOMPARE(parseDeviceTime(status->deviceTime), QDateTime(QDate(2024, 5, 20), QTime(8, 10, 17)));
        QCOMPARE(status->alarmStatus.size(), 2);
        QCOMPARE(status->alarmStatus[0].deviceId.text(), u"34020000001340000001"_s);
        QCOMPARE(status->alarmStatus[0].dutyStatus, DutyStatus::OffDuty);
        QCOMPARE(status->alarmStatus[1].dutyStatus, DutyStatus::Alarm);
    }

    void deviceStatusOffline()
    {
        const ManscdpMessage message = parsed(
            "<Response><CmdType>DeviceStatus</CmdType><SN>1</SN><DeviceID>34020000001320000001</DeviceID>"
            "<Result>ERROR</Result><Online>OFFLINE</Online><Status>ERROR</Status><Reason>disk</Reason>"
            "<AlarmStatus Num=\"0\"></AlarmStatus></Response>");
        const auto *status = message.get<DeviceStatusResponse>();
        QVERIFY(status);
        QCOMPARE(status->result, ResultCode::Error);
        QCOMPARE(status->online, OnOff::Off);
        QCOMPARE(status->status, ResultCode::Error);
        QCOMPARE(status->reason, u"disk"_s);
        QCOMPARE(status->encode, OnOff::Missing);
        QVERIFY(status->alarmStatus.isEmpty());
    }

    void alarm()
    {
        const ManscdpMessage message = parsed(
            "<Notify>\r\n<CmdType>Alarm</CmdType>\r\n<SN>2</SN>\r\n<DeviceID>34020000001340000001</DeviceID>\r\n"
            "<AlarmPriority>1</AlarmPriority><AlarmMethod>5</AlarmMethod>\r\n"
            "<AlarmTime>2024-05-20T09:19:12</AlarmTime><AlarmDescription>motion</AlarmDescription>\r\n"
            "<Longitude>0</Longitude><Latitude>0</Latitude>\r\n"
            "<Info><AlarmType>2</AlarmType><AlarmTypeParam><EventType>1</EventType></AlarmTypeParam></Info>\r\n</Notify>\r\n");
        const auto *alarm = message.get<AlarmNotify>();
        QVERIFY(alarm);
        QCOMPARE(alarm->priority, 1);
        QCOMPARE(alarm->method, u"5"_s);
        QCOMPARE(alarm->methods(), QList<int>{5});
        QCOMPARE(alarm->time, u"2024-05-20T09:19:12"_s);
        QCOMPARE(alarm->description, u"motion"_s);
        QCOMPARE(alarm->longitude, 0.0);
        QCOMPARE(alarm->latitude, 0.0);
        QCOMPARE(alarm->alarmType, 2);
        QCOMPARE(alarm->eventType, 1);
    }

    void alarmTolerance()
    {
        // Minimal, lower-case info, combined methods.
        ManscdpMessage message = parsed("<Notify><CmdType>Alarm</CmdType><SN>3</SN><DeviceID>34020000001340000001</DeviceID>"
                                        "<AlarmMethod>12</AlarmMethod><info><alarmtype>1</alarmtype></info></Notify>");
        const AlarmNotify *alarm = message.get<AlarmNotify>();
        QVERIFY(alarm);
        QCOMPARE(alarm->priority, std::nullopt);
        QCOMPARE(alarm->methods(), (QList<int>{1, 2}));
        QCOMPARE(alarm->alarmType, 1);
        QCOMPARE(alarm->longitude, std::nullopt);
        QCOMPARE(alarm->eventType, std::nullopt);
        QCOMPARE(message.ignoredFields, 0);
        // AlarmType directly under the root.
        message = parsed("<Notify><CmdType>Alarm</CmdType><SN>4</SN><DeviceID>34020000001340000001</DeviceID>"
                         "<AlarmPriority>2</AlarmPriority><AlarmType>6</AlarmType></Notify>");
        QCOMPARE(message.get<AlarmNotify>()->alarmType, 6);
        // Nothing at all beyond the envelope.
        message = parsed("<Notify><CmdType>Alarm</CmdType><SN>5</SN><DeviceID>34020000001340000001</DeviceID></Notify>");
        QCOMPARE(*message.get<AlarmNotify>(), AlarmNotify{});
    }

    void mediaStatus()
    {
        const ManscdpMessage message = parsed("<Notify>\r\n<CmdType>MediaStatus</CmdType>\r\n<SN>8</SN>\r\n"
                                              "<DeviceID>34020000001310000001</DeviceID>\r\n<NotifyType>121</NotifyType>\r\n</Notify>\r\n");
        const auto *media = message.get<MediaStatusNotify>();
        QVERIFY(media);
        QCOMPARE(media->notifyType, MediaStatusNotify::kEndOfFile);
    }

    void deviceControl()
    {
        const ManscdpMessage message = parsed(
            "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Control>\r\n<CmdType>DeviceControl</CmdType>\r\n<SN>11</SN>\r\n"
            "<DeviceID>34020000001310000001</DeviceID>\r\n<PTZCmd>A50F01080080003D</PTZCmd>\r\n"
            "<Info><ControlPriority>5</ControlPriority></Info>\r\n</Control>\r\n");
        QCOMPARE(message.envelope.messageClass, MessageClass::Control);
        const auto *control = message.get<DeviceControlRequest>();
        QVERIFY(control);
        QCOMPARE(control->ptzCmd, u"A50F01080080003D"_s);
        QCOMPARE(control->controlPriority, 5);
        QVERIFY(control->teleBoot.isEmpty());
        const ManscdpMessage iframe = parsed("<Control><CmdType>DeviceControl</CmdType><SN>12</SN>"
                                             "<DeviceID>34020000001310000001</DeviceID><IFrameCmd>Send</IFrameCmd></Control>");
        QCOMPARE(iframe.get<DeviceControlRequest>()->iFrameCmd, u"Send"_s);
    }

    void resultResponses()
    {
        ManscdpMessage message = parsed("<Response><CmdType>DeviceControl</CmdType><SN>30</SN>"
                                        "<DeviceID>34020000001310000001</DeviceID><Result>ERROR</Result></Response>");
        QCOMPARE(message.get<ResultResponse>()->result, ResultCode::Error);
        message = parsed("<Response><CmdType>Alarm</CmdType><SN>2</SN><DeviceID>34020000001340000001</DeviceID>"
                         "<Result>OK</Result></Response>");
        QCOMPARE(message.get<ResultResponse>()->result, ResultCode::Ok);
    }

    void queriesAndUnknownCommands()
    {
        ManscdpMessage message = parsed("<Query><CmdType>Catalog</CmdType><SN>17430</SN><DeviceID>34020000001320000001</DeviceID></Query>");
        QCOMPARE(message.envelope.messageClass, MessageClass::Query);
        QCOMPARE(message.envelope.cmdType, CmdType::Catalog);
        QVERIFY(std::holds_alternative<std::monostate>(message.payload));
        message = parsed("<Query><CmdType>HomePositionQuery</CmdType><SN>1</SN><DeviceID>34020000001320000001</DeviceID></Query>");
        QCOMPARE(message.envelope.cmdType, CmdType::Other);
        QCOMPARE(message.envelope.cmdTypeText, u"HomePositionQuery"_s);
        message = parsed("<query><cmdtype>deviceinfo</cmdtype><sn>1</sn><deviceid>34020000001320000001</deviceid></query>");
        QCOMPARE(message.envelope.messageClass, MessageClass::Query);
        QCOMPARE(message.envelope.cmdType, CmdType::DeviceInfo);
    }

    void envelopeProblemsAreNotes()
    {
        const ManscdpMessage message = parsed("<Notify><CmdType>Keepalive</CmdType><DeviceID>3402</DeviceID></Notify>");
        QCOMPARE(message.envelope.sn, 0u);
        QCOMPARE(message.envelope.deviceId.text(), u"3402"_s);
        QVERIFY(!message.envelope.deviceId.isWellFormed());
        QCOMPARE(message.notes, (QStringList{u"no SN"_s, u"DeviceID \"3402\" is not a 20-digit ID"_s}));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("empty") << QByteArray() << ErrorCode::InvalidArgument << u"empty"_s;
        QTest::newRow("blank") << QByteArray(" \r\n\0\0", 5) << ErrorCode::InvalidArgument << u"empty"_s;
        QTest::newRow("not XML") << QByteArray("hello") << ErrorCode::InvalidArgument << u"no XML element"_s;
        QTest::newRow("declaration only") << QByteArray("<?xml version=\"1.0\"?>") << ErrorCode::InvalidArgument << u"no XML element"_s;
        QTest::newRow("wrong root") << QByteArray("<html><CmdType>Catalog</CmdType></html>") << ErrorCode::Unsupported << u"<html>"_s;
        QTest::newRow("no CmdType") << QByteArray("<Notify><SN>1</SN></Notify>") << ErrorCode::InvalidArgument << u"no CmdType"_s;
        QTest::newRow("empty CmdType") << QByteArray("<Notify><CmdType> </CmdType></Notify>") << ErrorCode::InvalidArgument
                                       << u"no CmdType"_s;
        QTest::newRow("too large") << QByteArray(ManscdpMessage::kMaxBodySize + 1, ' ') << ErrorCode::InvalidArgument
                                   << u"larger than"_s;
    }

    void errors()
    {
        QFETCH(QByteArray, body);
        QFETCH(ErrorCode, code);
        QFETCH(QString, messagePart);
        const auto message = ManscdpMessage::parse(body);
        QVERIFY(!message);
        QCOMPARE(message.error().code, code);
        QVERIFY2(message.error().message.contains(messagePart), qPrintable(message.error().message));
    }

    void deviceTimes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QDateTime>("time");
        const QDateTime t(QDate(2024, 5, 20), QTime(9, 19, 12));
        QTest::newRow("standard") << u"2024-05-20T09:19:12"_s << t;
        QTest::newRow("space") << u"2024-05-20 09:19:12"_s << t;
        QTest::newRow("Z") << u"2024-05-20T09:19:12Z"_s << t;
        QTest::newRow("offset") << u"2024-05-20T09:19:12+08:00"_s << t;
        QTest::newRow("fraction") << u"2024-05-20T09:19:12.250"_s << t.addMSecs(250);
        QTest::newRow("padded") << u" 2024-05-20T09:19:12 "_s << t;
        QTest::newRow("no seconds") << u"2024-05-20T09:19"_s << QDateTime(QDate(2024, 5, 20), QTime(9, 19));
        QTest::newRow("date only") << u"2024-05-20"_s << QDateTime(QDate(2024, 5, 20), QTime(0, 0));
        QTest::newRow("garbage") << u"yesterday"_s << QDateTime();
        QTest::newRow("bad month") << u"2024-13-20T09:19:12"_s << QDateTime();
        QTest::newRow("bad hour") << u"2024-05-20T25:19:12"_s << QDateTime();
        QTest::newRow("empty") << QString() << QDateTime();
    }

    void deviceTimes()
    {
        QFETCH(QString, text);
        QFETCH(QDateTime, time);
        QCOMPARE(parseDeviceTime(text), time);
        if (time.isValid() && time.time().msec() == 0)
            QCOMPARE(parseDeviceTime(formatDeviceTime(time)), time);
    }

    void names()
    {
        QCOMPARE(messageClassName(MessageClass::Response), QByteArrayView("Response"));
        QCOMPARE(cmdTypeName(CmdType::DeviceStatus), QByteArrayView("DeviceStatus"));
        QCOMPARE(cmdTypeName(CmdType::Other), QByteArrayView());
        QCOMPARE(messageClassFromName(" notify "), MessageClass::Notify);
        QCOMPARE(messageClassFromName("Notice"), std::nullopt);
        QCOMPARE(cmdTypeFromName("KEEPALIVE"), CmdType::Keepalive);
        QCOMPARE(cmdTypeFromName("Keep alive"), CmdType::Other);
    }
};

QTEST_APPLESS_MAIN(TestManscdpParser)
#include "tst_manscdpparser.moc"
