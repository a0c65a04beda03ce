#include "common/gbid.h"

#include <QHash>
#include <QTest>

#include <unordered_set>

using namespace Vigil;
using namespace Qt::StringLiterals;

class TestGbId : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parsesFields()
    {
        const auto id = GbId::parse(u"34020000001320000001"_s);
        QVERIFY(id.has_value());
        QCOMPARE(id->toString(), u"34020000001320000001"_s);
        QCOMPARE(id->domain(), u"3402000000"_s);
        QCOMPARE(id->centerCode(), u"34020000"_s);
        QCOMPARE(id->industryCode(), 0);
        QCOMPARE(id->typeCode(), 132);
        QCOMPARE(id->type(), GbType::Ipc);
        QCOMPARE(id->role(), GbRole::FrontEndPeripheral);
        QCOMPARE(id->networkCode(), 0);
        QCOMPARE(id->serial(), 1);
        QCOMPARE(id->view(), QByteArrayView("34020000001320000001"));
    }

    void typeCodes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<GbType>("type");
        QTest::addColumn<GbRole>("role");
        QTest::addColumn<QString>("name");
        QTest::newRow("DVR") << u"34020000001110000001"_s << GbType::Dvr << GbRole::FrontEndDevice << u"DVR"_s;
        QTest::newRow("NVR") << u"34020000001180000001"_s << GbType::Nvr << GbRole::FrontEndDevice << u"NVR"_s;
        QTest::newRow("camera") << u"34020000001310000001"_s << GbType::Camera << GbRole::FrontEndPeripheral << u"Camera"_s;
        QTest::newRow("IPC") << u"34020000001320000001"_s << GbType::Ipc << GbRole::FrontEndPeripheral << u"IPC"_s;
        QTest::newRow("platform") << u"34020000002000000001"_s << GbType::CenterServer << GbRole::Platform << u"Platform"_s;
        QTest::newRow("business group") << u"34020000002150000001"_s << GbType::BusinessGroup << GbRole::CatalogGroup << u"Business group"_s;
        QTest::newRow("virtual organization") << u"34020000002160000001"_s << GbType::VirtualOrganization << GbRole::CatalogGroup << u"Virtual organization"_s;
        QTest::newRow("alarm input") << u"34020000001340000001"_s << GbType::AlarmInput << GbRole::FrontEndPeripheral << u"Alarm input"_s;
        QTest::newRow("unlisted front-end code") << u"34020000001290000001"_s << GbType::Unknown << GbRole::FrontEndDevice << u"Unknown type"_s;
        QTest::newRow("unlisted code") << u"34020000009990000001"_s << GbType::Unknown << GbRole::Unknown << u"Unknown type"_s;
    }

    void typeCodes()
    {
        QFETCH(QString, text);
        QFETCH(GbType, type);
        QFETCH(GbRole, role);
        QFETCH(QString, name);
        const auto id = GbId::parse(text);
        QVERIFY(id.has_value());
        QCOMPARE(id->type(), type);
        QCOMPARE(id->role(), role);
        QCOMPARE(GbId::typeName(id->type()), name);
    }

    void rejectsMalformed_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("empty") << QString() << u"empty"_s;
        QTest::newRow("blank") << u"   "_s << u"empty"_s;
        QTest::newRow("19 digits") << u"3402000000132000000"_s << u"19 characters"_s;
        QTest::newRow("21 digits") << u"340200000013200000012"_s << u"21 characters"_s;
        QTest::newRow("letter") << u"3402000000132000000A"_s << u"character 20"_s;
        QTest::newRow("inner space") << u"3402000000 132000001"_s << u"character 11"_s;
        QTest::newRow("full-width digit") << u"3402000000132000000\uFF11"_s << u"character 20"_s;
        QTest::newRow("civil code") << u"340200"_s << u"6 characters"_s;
        QTest::newRow("sign") << u"-3402000000132000001"_s << u"character 1"_s;
    }

    void rejectsMalformed()
    {
        QFETCH(QString, text);
        QFETCH(QString, messagePart);
        const auto id = GbId::parse(text);
        QVERIFY(!id.has_value());
        QCOMPARE(id.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(id.error().message.contains(messagePart), qPrintable(id.error().message));
        QVERIFY(!GbId::isWellFormed(text.toUtf8()));
        QVERIFY(!GbId::parse(QByteArrayView(text.toUtf8())).has_value());
    }

    void trimsSurroundingWhitespace()
    {
        // Devices pad XML text: "<DeviceID> 34020000001320000001\r\n</DeviceID>".
        const auto fromText = GbId::parse(u" 34020000001320000001\r\n"_s);
        QVERIFY(fromText.has_value());
        const auto fromBytes = GbId::parse(QByteArrayView("\t34020000001320000001 "));
        QVERIFY(fromBytes.has_value());
        QCOMPARE(*fromText, *fromBytes);
    }

    void nullId()
    {
        const GbId id;
        QVERIFY(id.isNull());
        QVERIFY(id.toString().isNull());
        QVERIFY(id.view().isEmpty());
        QCOMPARE(id.typeCode(), 0);
        QCOMPARE(id.type(), GbType::Unknown);
        QVERIFY(!GbId::parse(u"34020000001320000001"_s)->isNull());
    }

    void orderingAndHashing()
    {
        const GbId a = *GbId::parse(u"34020000001320000001"_s);
        const GbId b = *GbId::parse(u"34020000001320000002"_s);
        const GbId a2 = *GbId::parse(QByteArrayView("34020000001320000001"));
        QVERIFY(a < b);
        QVERIFY(a == a2);
        QVERIFY(a != b);
        QCOMPARE(qHash(a), qHash(a2));

        QHash<GbId, int> hash;
        hash.insert(a, 1);
        hash.insert(b, 2);
        QCOMPARE(hash.value(a2), 1);
        std::unordered_set<DeviceId> set{DeviceId(a), DeviceId(b), DeviceId(a2)};
        QCOMPARE(set.size(), std::size_t(2));
    }

    void typedIds()
    {
        const auto device = DeviceId::parse(u"34020000001180000001"_s);
        QVERIFY(device.has_value());
        QCOMPARE(device->type(), GbType::Nvr);
        const auto channel = ChannelId::parse(QByteArrayView("34020000001310000005"));
        QVERIFY(channel.has_value());
        QCOMPARE(channel->serial(), 5);
        QVERIFY(!DeviceId::parse(u"not an id"_s).has_value());
        static_assert(!std::is_convertible_v<DeviceId, ChannelId>);
        static_assert(!std::is_convertible_v<ChannelId, DeviceId>);
    }
};

QTEST_GUILESS_MAIN(TestGbId)
#include "tst_gbid.moc"
