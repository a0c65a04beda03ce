// vigild's core end to end: GbServer (signalling and storage threads, SQLite) and the HTTP API,
// with a camera built from our SIP stack registering over loopback.

#include "api/apiserver.h"
#include "gb28181/gbserver.h"
#include "gb28181/gbservice.h"
#include "../gb28181/testdevice.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUdpSocket>
#include <QTest>

using namespace Vigil;
using namespace Vigil::TestSupport;
using namespace Qt::StringLiterals;

namespace {

struct HttpResult {
    int status = 0;
    QJsonDocument json;
};

class Http {
public:
    explicit Http(std::uint16_t port, QString token = {}) : m_port(port), m_token(std::move(token)) {}

    HttpResult get(const QString &path) { return call("GET", path, {}); }
    HttpResult post(const QString &path, const QByteArray &body = {}) { return call("POST", path, body); }

private:
    HttpResult call(const QByteArray &verb, const QString &path, const QByteArray &body)
    {
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        if (!m_token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
        QNetworkReply *reply = m_network.sendCustomRequest(request, verb, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            (void)finished.wait(30000);
        HttpResult result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.json = QJsonDocument::fromJson(reply->readAll());
        reply->deleteLater();
        return result;
    }

    QNetworkAccessManager m_network;
    std::uint16_t m_port;
    QString m_token;
};

Gb::CatalogItem item(int serial, const QString &name)
{
    Gb::CatalogItem i;
    i.deviceId = Gb::WireId<ChannelId>::fromText(u"3402000000131000000%1"_s.arg(serial));
    i.name = name;
    i.parentIds = {kCamera.toString()};
    i.status = Gb::CatalogStatus::On;
    i.ptzType = 1;
    return i;
}

Gb::GbServer::Options options(const QString &dir)
{
    Gb::GbServer::Options o;
    o.config.sipBindAddress = QHostAddress::LocalHost;
    o.config.sipPort = 0;
    o.dataDir = dir;
    return o;
}

} // namespace

class TestApiServer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void deviceLifecycleThroughTheApi()
    {
        QTemporaryDir dir;
        auto server = std::make_unique<Gb::GbServer>(options(dir.path()));
        QVERIFY(server->start());
        Api::ApiServer api(*server, Api::ApiConfig{QHostAddress::LocalHost, 0, {}});
        const auto apiPort = api.start();
        QVERIFY(apiPort);
        Http http(*apiPort);

        QCOMPARE(http.get(u"/api/health"_s).json[u"status"_s].toString(), u"ok"_s);
        QCOMPARE(http.get(u"/api/devices"_s).json.array().size(), 0);

        TestDevice camera(server->sipPort());
        camera.catalog = {item(1, u"东门入口"_s), item(2, u"一号楼东侧"_s), item(3, u"大门口摄像机"_s)};
        camera.info.deviceName = u"前门摄像机"_s;
        camera.info.manufacturer = u"Hikvision"_s;
        camera.info.model = u"DS-2CD"_s;
        camera.info.firmware = u"V5.7"_s;
        camera.info.result = Gb::ResultCode::Ok;
        QCOMPARE(camera.registerWith("12345678")->statusCode(), 200);

        // After a fresh registration the server asks for DeviceInfo and the catalog by itself.
        QTRY_COMPARE_WITH_TIMEOUT(server->registry().channels(kCamera).size(), 3, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(server->registry().device(kCamera)->name, u"前门摄像机"_s, 15000);

        const auto devices = http.get(u"/api/devices"_s).json.array();
        QCOMPARE(devices.size(), 1);
        const QJsonObject device = devices.first().toObject();
        QCOMPARE(device[u"id"_s].toString(), kCamera.toString());
        QCOMPARE(device[u"online"_s].toBool(), true);
        QCOMPARE(device[u"manufacturer"_s].toString(), u"Hikvision"_s);
        QCOMPARE(device[u"remote"_s].toString(), u"127.0.0.1:%1"_s.arg(camera.transport.port()));
        QCOMPARE(device[u"transport"_s].toString(), u"udp"_s);
        QCOMPARE(device[u"channelCount"_s].toInt(), 3);
        QVERIFY(device[u"offlineReason"_s].isNull());
        QVERIFY(!device[u"lastSeen"_s].toString().isEmpty());

        const auto channels = http.get(u"/api/devices/%1/channels"_s.arg(kCamera.toString())).json.array();
        QCOMPARE(channels.size(), 3);
        QCOMPARE(channels.at(1).toObject()[u"name"_s].toString(), u"一号楼东侧"_s);
        QCOMPARE(channels.at(1).toObject()[u"status"_s].toString(), u"ON"_s);
        QCOMPARE(channels.at(1).toObject()[u"ptzType"_s].toInt(), 1);
        QCOMPARE(channels.at(1).toObject()[u"parentId"_s].toString(), kCamera.toString());

        // A re-sync on demand answers with the count once the catalog is complete.
        camera.catalog.append(item(4, u"停车场"_s));
        const auto resync = http.post(u"/api/devices/%1/catalog"_s.arg(kCamera.toString()));
        QCOMPARE(resync.status, 200);
        QCOMPARE(resync.json[u"channelCount"_s].toInt(), 4);

        // PTZ reaches the camera as the standard's bytes.
        const auto ptz = http.post(u"/api/channels/34020000001310000002/ptz"_s, R"({"action":"up","speed":128})");
        QCOMPARE(ptz.status, 200);
        QTRY_VERIFY(std::any_of(camera.received.begin(), camera.received.end(), [](const Gb::ManscdpMessage &m) {
            const auto *control = m.get<Gb::DeviceControlRequest>();
            return control && control->ptzCmd == u"A50F01080080003D"_s
                && m.envelope.deviceId.text() == u"34020000001310000002"_s;
        }));

        const auto events = http.get(u"/api/events"_s).json.array();
        QVERIFY(std::any_of(events.begin(), events.end(), [](const QJsonValue &e) {
            return e.toObject()[u"kind"_s].toString() == u"catalog-synced"_s;
        }));

        // Errors are JSON with the right status.
        QCOMPARE(http.get(u"/api/devices/123"_s).status, 400);
        QCOMPARE(http.get(u"/api/devices/34020000001320000099"_s).status, 404);
        QCOMPARE(http.post(u"/api/channels/34020000001310000002/ptz"_s, R"({"action":"sideways"})").status, 400);
        const auto missing = http.get(u"/api/nope"_s);
        QCOMPARE(missing.status, 404);
        QVERIFY(missing.json[u"error"_s].toString().contains(u"/api/nope"_s));
    }

    void restartKeepsEverything()
    {
        QTemporaryDir dir;
        std::uint16_t port = 0;
        {
            Gb::GbServer server(options(dir.path()));
            QVERIFY(server.start());
            port = server.sipPort();
            TestDevice camera(port);
            camera.catalog = {item(1, u"东门入口"_s), item(2, u"西门"_s)};
            QCOMPARE(camera.registerWith("12345678")->statusCode(), 200);
            QTRY_COMPARE_WITH_TIMEOUT(server.registry().channels(kCamera).size(), 2, 15000);
            server.stop();
        }
        Gb::GbServer again(options(dir.path()));
        QVERIFY(again.start());
        const auto device = again.registry().device(kCamera);
        QVERIFY(device);
        QVERIFY(device->online); // still within its registration: online without waiting
        QCOMPARE(again.registry().channels(kCamera).size(), 2);
        QCOMPARE(again.registry().channels(kCamera).first().name, u"东门入口"_s);
        const auto events = again.events().since(0);
        QVERIFY(std::any_of(events.begin(), events.end(),
                            [](const Devices::Event &e) { return e.kind == Devices::EventKind::CatalogSynced; }));
        // Its keepalives are accepted as before.
        TestDevice camera(again.sipPort());
        QCOMPARE(camera.keepalive()->statusCode(), 200);
    }

    void tokenProtectsTheApi()
    {
        QTemporaryDir dir;
        Gb::GbServer server(options(dir.path()));
        QVERIFY(server.start());
        Api::ApiServer api(server, Api::ApiConfig{QHostAddress::LocalHost, 0, u"s3cret"_s});
        const auto port = api.start();
        QVERIFY(port);
        QCOMPARE(Http(*port).get(u"/api/devices"_s).status, 401);
        QCOMPARE(Http(*port, u"wrong"_s).get(u"/api/devices"_s).status, 401);
        QCOMPARE(Http(*port, u"s3cret"_s).get(u"/api/devices"_s).status, 200);
        QCOMPARE(Http(*port).get(u"/api/devices?token=s3cret"_s).status, 200);

        Api::ApiServer open(server, Api::ApiConfig{QHostAddress::AnyIPv4, 0, {}});
        const auto refused = open.start();
        QVERIFY(!refused);
        QVERIFY(refused.error().message.contains(u"--api-token"_s));
    }

    void settingsApplyWithoutRestart()
    {
        QTemporaryDir dir;
        Gb::GbServer server(options(dir.path()));
        QVERIFY(server.start());
        TestDevice camera(server.sipPort());
        QCOMPARE(camera.registerWith("12345678")->statusCode(), 200);

        // Move to another port and password; the registered device stays registered.
        quint16 freePort = 0;
        {
            QUdpSocket probe;
            QVERIFY(probe.bind(QHostAddress::LocalHost, 0));
            freePort = probe.localPort();
        }
        Gb::ServerConfig changed = server.config();
        changed.sipPort = freePort;
        changed.password = u"new-secret"_s;
        auto applied = server.applyConfig(changed);
        QTRY_VERIFY(applied.isFinished());
        QVERIFY(applied.result().has_value());
        QTRY_COMPARE(server.sipPort(), freePort);
        QVERIFY(server.registry().device(kCamera)->online);
        TestDevice moved(freePort);
        moved.id = *DeviceId::parse(u"34020000001320000002"_s);
        QCOMPARE(moved.registerWith("12345678")->statusCode(), 403);
        TestDevice again(freePort);
        again.id = moved.id;
        QCOMPARE(again.registerWith("new-secret")->statusCode(), 200);

        // A port that is taken is refused and the old one keeps working.
        Gb::GbServer other(options(dir.path() + u"/other"_s));
        QVERIFY(other.start());
        changed.sipPort = other.sipPort();
        auto refused = server.applyConfig(changed);
        QTRY_VERIFY(refused.isFinished());
        QVERIFY(!refused.result().has_value());
        QCOMPARE(server.sipPort(), freePort);
        QCOMPARE(again.keepalive()->statusCode(), 200);
    }

    void portInUseIsReported()
    {
        QTemporaryDir dir;
        Gb::GbServer first(options(dir.path()));
        QVERIFY(first.start());
        auto second = options(dir.path() + u"/other"_s);
        second.config.sipPort = first.sipPort();
        Gb::GbServer clash(second);
        const auto result = clash.start();
        QVERIFY(!result);
        QVERIFY2(result.error().message.contains(u"already in use"_s), qPrintable(result.error().message));
    }
};

QTEST_GUILESS_MAIN(TestApiServer)
#include "tst_apiserver.moc"
