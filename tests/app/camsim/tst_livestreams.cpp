// Live video end to end: the server (GbServer, as vigild and the console run it) INVITEs a
// simulated camera, receives its PS over RTP on UDP, TCP passive and TCP active, decodes it
// with FFmpeg and hands out pictures and snapshots; BYE from either side, a refused INVITE,
// a device that stops sending (re-INVITE) and the HTTP API's stream endpoints.

#include "api/apiserver.h"
#include "gb28181/gbserver.h"
#include "gb28181/mediasessions.h"
#include "loopbacksite.h"
#include "media/ffmpeg/jpegencoder.h"
#include "simulateddevice.h"
#include "simulator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Vigil;
using namespace Vigil::CamSim;
using namespace Qt::StringLiterals;

namespace {

constexpr int kTimeoutMs = 20000;

template <typename T>
T await(const QFuture<T> &future)
{
    (void)QTest::qWaitFor([&] { return future.isFinished(); }, kTimeoutMs);
    Q_ASSERT(future.isFinished());
    return future.result();
}

/// A server and one simulated IPC registered to it, with its channel in the registry.
struct Site {
    QTemporaryDir data;
    std::unique_ptr<Gb::GbServer> server;
    std::unique_ptr<Simulator> simulator;
    QString channel;

    bool start(const std::function<void(SimulatorConfig &)> &tune = {}, std::uint16_t firstMediaPort = 42000)
    {
        if (!data.isValid())
            return false;
        const Gb::GbServer::Options options = Test::loopbackServer(data.path(), firstMediaPort);
        server = std::make_unique<Gb::GbServer>(options);
        if (auto started = server->start(); !started) {
            qWarning() << started.error().message;
            return false;
        }
        SimulatorConfig config = Test::loopbackIpc(server->sipPort());
        if (tune)
            tune(config);
        simulator = std::make_unique<Simulator>(config);
        QSignalSpy registered(simulator.get(), &Simulator::deviceRegistered);
        if (!simulator->start())
            return false;
        if (!QTest::qWaitFor([&] { return registered.size() == 1; }, kTimeoutMs))
            return false;
        const DeviceId device = simulator->devices().front()->id();
        if (!QTest::qWaitFor([&] { return !server->registry().channels(device).isEmpty(); }, kTimeoutMs))
            return false;
        channel = server->registry().channels(device).front().id;
        return true;
    }

    std::optional<Gb::StreamStatus> status(Gb::StreamId id) { return await(server->streamStatus(id)); }

    bool waitFor(Gb::StreamId id, const std::function<bool(const Gb::StreamStatus &)> &condition)
    {
        return QTest::qWaitFor(
            [&] {
                const auto s = status(id);
                return s && condition(*s);
            },
            kTimeoutMs);
    }

    QString describe(Gb::StreamId id)
    {
        const auto s = status(id);
        if (!s)
            return u"(no stream)"_s;
        return u"%1 error=\"%2\" frames=%3 packets=%4"_s.arg(Gb::sessionStateName(s->state), s->error)
            .arg(s->health.framesDecoded)
            .arg(s->health.packetsReceived);
    }
};

bool isJpeg(const QByteArray &data)
{
    return data.size() > 100 && data.startsWith("\xFF\xD8") && data.endsWith("\xFF\xD9");
}

} // namespace

class TestLiveStreams : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void playsAndCloses_data();
    void playsAndCloses();
    void playsThroughImpairments_data();
    void playsThroughImpairments();
    void fourChannelsAtOnce();
    void subStreamAsTheDeviceSpellsIt();
    void deviceEndsTheStream();
    void refusedInvite();
    void closedWhileRinging();
    void unknownChannel();
    void frozenStreamIsInvitedAgain();
    void httpApi();
};

void TestLiveStreams::playsAndCloses_data()
{
    QTest::addColumn<Devices::MediaTransport>("transport");
    QTest::addColumn<QString>("name");
    QTest::newRow("UDP") << Devices::MediaTransport::Udp << u"UDP"_s;
    QTest::newRow("TCP passive") << Devices::MediaTransport::TcpPassive << u"TCP passive"_s;
    QTest::newRow("TCP active") << Devices::MediaTransport::TcpActive << u"TCP active"_s;
}

void TestLiveStreams::playsAndCloses()
{
    QFETCH(Devices::MediaTransport, transport);
    Site site;
    QVERIFY(site.start());
    QSignalSpy started(site.simulator.get(), &Simulator::streamStarted);
    QSignalSpy ended(site.simulator.get(), &Simulator::streamEnded);

    // Pictures reach whoever asked for them, on the decode thread, as they are decoded.
    auto delivered = std::make_shared<std::atomic<int>>(0);
    Gb::StreamOptions options;
    options.transport = transport;
    options.onFrame = [delivered](const Media::VideoFrame &) { ++*delivered; };
    const auto opened = await(site.server->openStream(site.channel, options));
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
    const Gb::StreamId id = *opened;

    QVERIFY2(site.waitFor(id, [](const auto &s) { return s.state == Gb::SessionState::Playing && s.health.framesDecoded > 10; }),
             qPrintable(site.describe(id)));
    QCOMPARE(started.size(), 1);
    QCOMPARE(started.front().front().toString(), site.channel);
    const Gb::StreamStatus status = *site.status(id);
    QCOMPARE(status.transport, transport);
    QCOMPARE(status.health.transport, transport);
    QCOMPARE(status.health.videoCodec, Media::VideoCodec::H264);
    QCOMPARE(status.health.width, 640);
    QCOMPARE(status.health.height, 360);
    QVERIFY(status.error.isEmpty());
    QVERIFY(*delivered > 10);
    // The SSRC the device streams with is the one offered: 0 (live), the domain's digits 4-8
    // (3402000000 -> 20000), a serial.
    QVERIFY2(u"%1"_s.arg(status.ssrc, 10, 10, QLatin1Char('0')).startsWith(u"020000"_s), qPrintable(QString::number(status.ssrc)));
    QCOMPARE(*status.health.ssrc, status.ssrc);

    const auto frame = await(site.server->latestFrame(id));
    QVERIFY(frame);
    QCOMPARE(frame->width(), 640);
    const auto jpeg = Media::JpegEncoder().encode(*frame);
    QVERIFY(jpeg && isJpeg(*jpeg));

    // Closing sends BYE: the camera stops its stream, the stream is gone.
    site.server->closeStream(id);
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, kTimeoutMs);
    QVERIFY(!site.status(id));
    QTRY_VERIFY_WITH_TIMEOUT(site.simulator->devices().front()->calls().isEmpty(), kTimeoutMs);
    const int afterClose = *delivered;
    QTest::qWait(300);
    QCOMPARE(*delivered, afterClose);
    site.server->stop();
}

void TestLiveStreams::playsThroughImpairments_data()
{
    QTest::addColumn<Devices::MediaTransport>("transport");
    QTest::addColumn<double>("loss");
    QTest::addColumn<double>("reorder");
    QTest::addColumn<bool>("tcpCorrupt");
    QTest::newRow("UDP 3% reordered, 2% twice") << Devices::MediaTransport::Udp << 0.0 << 3.0 << false;
    QTest::newRow("UDP 1% lost, 3% reordered") << Devices::MediaTransport::Udp << 1.0 << 3.0 << false;
    QTest::newRow("TCP passive, corrupted framing") << Devices::MediaTransport::TcpPassive << 0.0 << 0.0 << true;
    QTest::newRow("TCP active, corrupted framing") << Devices::MediaTransport::TcpActive << 0.0 << 0.0 << true;
}

void TestLiveStreams::playsThroughImpairments()
{
    // A camera on a poor network: the stream keeps playing, the losses show in its health,
    // and nothing asks the camera again.
    QFETCH(Devices::MediaTransport, transport);
    QFETCH(double, loss);
    QFETCH(double, reorder);
    QFETCH(bool, tcpCorrupt);
    Site site;
    QVERIFY(site.start(
        [&](SimulatorConfig &config) {
            config.mediaFaults.lossPercent = loss;
            config.mediaFaults.reorderPercent = reorder;
            config.mediaFaults.duplicatePercent = loss > 0 ? 0.0 : 2.0;
            config.mediaFaults.tcpCorrupt = tcpCorrupt;
            config.mediaFaults.seed = 4242;
        },
        44000));
    Gb::StreamOptions options;
    options.transport = transport;
    const auto opened = await(site.server->openStream(site.channel, options));
    QVERIFY(opened);
    QVERIFY2(site.waitFor(*opened, [](const auto &s) { return s.health.framesDecoded >= 75; }), qPrintable(site.describe(*opened)));
    const Gb::StreamStatus status = *site.status(*opened);
    QCOMPARE(status.state, Gb::SessionState::Playing);
    QCOMPARE(status.reinvites, 0);
    if (reorder > 0)
        QVERIFY(status.health.packetsReordered > 0);
    if (loss > 0)
        QVERIFY(status.health.packetsLost > 0);
    if (tcpCorrupt)
        QVERIFY2(status.health.resyncs > 0 || status.health.packetsInvalid > 0, qPrintable(site.describe(*opened)));
    site.server->stop();
}

void TestLiveStreams::fourChannelsAtOnce()
{
    // An NVR's four channels opened together (a 2x2 layout restored at start-up) all play on,
    // none stalls. Streams starting together once went quiet after their first picture.
    Site site;
    QVERIFY(site.start(
        [](SimulatorConfig &config) {
            config.kind = DeviceKind::Nvr;
            config.channelsPerDevice = 4;
        },
        43600));
    const DeviceId nvr = site.simulator->devices().front()->id();
    QTRY_COMPARE_WITH_TIMEOUT(site.server->registry().channels(nvr).size(), qsizetype(4), kTimeoutMs);
    QList<QFuture<Result<Gb::StreamId>>> opening;
    for (const Devices::Channel &channel : site.server->registry().channels(nvr))
        opening.append(site.server->openStream(channel.id));
    QList<Gb::StreamId> ids;
    for (const auto &future : std::as_const(opening)) {
        const auto opened = await(future);
        QVERIFY(opened);
        ids.append(*opened);
    }
    // Four seconds of the 25 fps clip: more than the stall threshold after the first picture.
    for (const Gb::StreamId id : std::as_const(ids)) {
        QVERIFY2(site.waitFor(id, [](const auto &s) { return s.health.framesDecoded >= 100; }), qPrintable(site.describe(id)));
    }
    for (const Gb::StreamId id : std::as_const(ids)) {
        const auto status = site.status(id);
        QCOMPARE(status->state, Gb::SessionState::Playing);
        QCOMPARE(status->reinvites, 0);
        QCOMPARE(status->health.stalls, quint64(0));
    }
    site.server->stop();
}

void TestLiveStreams::subStreamAsTheDeviceSpellsIt()
{
    // A device set to the sub stream with Dahua's attribute is asked with a=streamprofile:1.
    Site site;
    QVERIFY(site.start({}, 43800));
    const DeviceId device = site.simulator->devices().front()->id();
    Devices::DeviceSettings settings;
    settings.streamProfile = Devices::StreamProfile::Sub;
    settings.subStreamAttribute = Devices::SubStreamAttribute::StreamProfile;
    QVERIFY(await(site.server->setDevice(device, settings)));
    const auto opened = await(site.server->openStream(site.channel));
    QVERIFY(opened);
    QVERIFY2(site.waitFor(*opened, [](const auto &s) { return s.state == Gb::SessionState::Playing; }),
             qPrintable(site.describe(*opened)));
    QCOMPARE(site.status(*opened)->profile, Devices::StreamProfile::Sub);
    const auto &calls = site.simulator->devices().front()->calls();
    QCOMPARE(calls.size(), 1);
    QCOMPARE(calls.front().offer.streamNumber, 1);
    QCOMPARE(calls.front().offer.streamNumberAttribute, Gb::StreamNumberAttribute::StreamProfile);
    // ... and streams the demo's sub-stream clip, smaller than the main stream's 640x360.
    if (!demoMediaPath(kDemoSubVideoFile).isEmpty()) {
        QVERIFY2(site.waitFor(*opened, [](const auto &s) { return s.health.framesDecoded > 0; }), qPrintable(site.describe(*opened)));
        QCOMPARE(site.status(*opened)->health.width, 320);
        QCOMPARE(site.status(*opened)->health.height, 180);
    }
    site.server->stop();
}

void TestLiveStreams::deviceEndsTheStream()
{
    Site site;
    QVERIFY(site.start({}, 42200));
    const auto opened = await(site.server->openStream(site.channel));
    QVERIFY(opened);
    QVERIFY2(site.waitFor(*opened, [](const auto &s) { return s.state == Gb::SessionState::Playing; }),
             qPrintable(site.describe(*opened)));

    // camsim shutting down hangs up its calls (BYE) before it unregisters.
    QSignalSpy stopped(site.simulator.get(), &Simulator::stopped);
    site.simulator->stop();
    QVERIFY(stopped.wait(kTimeoutMs));
    QVERIFY2(site.waitFor(*opened, [](const auto &s) { return s.state == Gb::SessionState::Ended; }),
             qPrintable(site.describe(*opened)));
    QCOMPARE(site.status(*opened)->error, Gb::MediaSessions::tr("The device ended the video."));
    site.server->stop();
}

void TestLiveStreams::refusedInvite()
{
    Site site;
    QVERIFY(site.start([](SimulatorConfig &config) { config.mediaEnabled = false; }, 42400));
    const auto opened = await(site.server->openStream(site.channel));
    QVERIFY(opened);
    QVERIFY2(site.waitFor(*opened, [](const auto &s) { return s.state == Gb::SessionState::Failed; }),
             qPrintable(site.describe(*opened)));
    const QString error = site.status(*opened)->error;
    QVERIFY2(error.contains(u"488"_s), qPrintable(error));
    QVERIFY2(error.contains(u"transport"_s), qPrintable(error)); // says what to try
    site.server->stop();
}

void TestLiveStreams::closedWhileRinging()
{
    // The operator closes the tile while a busy NVR has not answered yet: the INVITE is
    // cancelled (CANCEL, 487) and no stream starts afterwards.
    Site site;
    QVERIFY(site.start([](SimulatorConfig &config) { config.faults.inviteAnswerDelayMs = 4000; }, 42500));
    QSignalSpy started(site.simulator.get(), &Simulator::streamStarted);
    const auto opened = await(site.server->openStream(site.channel));
    QVERIFY(opened);
    const auto &calls = site.simulator->devices().front()->calls();
    QTRY_COMPARE_WITH_TIMEOUT(calls.size(), qsizetype(1), kTimeoutMs);
    QCOMPARE(site.status(*opened)->state, Gb::SessionState::Inviting);
    site.server->closeStream(*opened);
    QTRY_VERIFY_WITH_TIMEOUT(calls.isEmpty(), 2000); // long before the device would answer
    QVERIFY(!site.status(*opened));
    QTest::qWait(4500); // past the answer the device would have given
    QCOMPARE(started.size(), 0);
    QVERIFY(calls.isEmpty());
    site.server->stop();
}

void TestLiveStreams::unknownChannel()
{
    Site site;
    QVERIFY(site.start({}, 42600));
    const auto unknown = await(site.server->openStream(u"34020000001310009999"_s));
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().code, ErrorCode::NotFound);
    QVERIFY2(unknown.error().message.contains(u"34020000001310009999"_s), qPrintable(unknown.error().message));

    // A device that went offline cannot stream.
    QSignalSpy stopped(site.simulator.get(), &Simulator::stopped);
    site.simulator->stop();
    QVERIFY(stopped.wait(kTimeoutMs));
    const DeviceId device = site.simulator->devices().front()->id();
    QTRY_VERIFY_WITH_TIMEOUT(!site.server->registry().device(device)->online, kTimeoutMs);
    const auto offline = await(site.server->openStream(site.channel));
    QVERIFY(!offline);
    QVERIFY2(offline.error().message.contains(u"offline"_s), qPrintable(offline.error().message));
    site.server->stop();
}

void TestLiveStreams::frozenStreamIsInvitedAgain()
{
    Site site;
    QVERIFY(site.start([](SimulatorConfig &config) { config.mediaFaults.freezeAfterMs = 2000; }, 42800));
    QSignalSpy started(site.simulator.get(), &Simulator::streamStarted);
    const auto opened = await(site.server->openStream(site.channel));
    QVERIFY(opened);
    const Gb::StreamId id = *opened;
    QVERIFY2(site.waitFor(id, [](const auto &s) { return s.state == Gb::SessionState::Playing; }), qPrintable(site.describe(id)));
    // The camera stops sending but keeps the call: the server notices, hangs up and asks again.
    QVERIFY2(site.waitFor(id, [](const auto &s) { return s.state == Gb::SessionState::Stalled; }), qPrintable(site.describe(id)));
    QVERIFY2(site.waitFor(id, [](const auto &s) { return s.reinvites >= 1 && s.state == Gb::SessionState::Playing; }),
             qPrintable(site.describe(id)));
    QVERIFY(started.size() >= 2);
    // The first call was hung up: the camera holds one call at most.
    QVERIFY(site.simulator->devices().front()->calls().size() <= 1);
    site.server->closeStream(id);
    QTRY_VERIFY_WITH_TIMEOUT(site.simulator->devices().front()->calls().isEmpty(), kTimeoutMs);
    site.server->stop();
}

void TestLiveStreams::httpApi()
{
    Site site;
    QVERIFY(site.start({}, 43000));
    Api::ApiConfig apiConfig;
    apiConfig.port = 0;
    Api::ApiServer api(*site.server, apiConfig);
    const auto port = api.start();
    QVERIFY(port);
    QNetworkAccessManager network;
    const auto call = [&](const QByteArray &verb, const QString &path, const QByteArray &body = {}) {
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(*port).arg(path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        std::unique_ptr<QNetworkReply> reply(network.sendCustomRequest(request, verb, body));
        (void)QTest::qWaitFor([&] { return reply->isFinished(); }, kTimeoutMs);
        const int code = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        return std::pair{code, reply->readAll()};
    };

    auto [code, body] = call("POST", u"/api/channels/%1/streams"_s.arg(site.channel), R"({"transport": "tcp-passive"})");
    QCOMPARE(code, 201);
    const qint64 id = QJsonDocument::fromJson(body).object().value(u"streamId"_s).toInteger();
    QVERIFY(id > 0);

    QJsonObject stream;
    QVERIFY(QTest::qWaitFor(
        [&] {
            auto [c, b] = call("GET", u"/api/streams/%1"_s.arg(id));
            stream = QJsonDocument::fromJson(b).object();
            return c == 200 && stream.value(u"state"_s).toString() == u"playing"_s
                && stream.value(u"framesDecoded"_s).toInteger() > 5;
        },
        kTimeoutMs));
    QCOMPARE(stream.value(u"transport"_s).toString(), u"tcp-passive"_s);
    QCOMPARE(stream.value(u"codec"_s).toString(), u"H.264"_s);
    QCOMPARE(stream.value(u"width"_s).toInt(), 640);
    QCOMPARE(stream.value(u"channelId"_s).toString(), site.channel);
    QCOMPARE(stream.value(u"ssrc"_s).toString().size(), 10);

    std::tie(code, body) = call("GET", u"/api/streams"_s);
    QCOMPARE(code, 200);
    QCOMPARE(QJsonDocument::fromJson(body).array().size(), 1);

    std::tie(code, body) = call("GET", u"/api/streams/%1/snapshot"_s.arg(id));
    QCOMPARE(code, 200);
    QVERIFY(isJpeg(body));

    std::tie(code, body) = call("POST", u"/api/channels/%1/streams"_s.arg(site.channel), R"({"transport": "carrier pigeon"})");
    QCOMPARE(code, 400);
    QVERIFY(QJsonDocument::fromJson(body).object().value(u"error"_s).toString().contains(u"tcp-active"_s));
    std::tie(code, body) = call("POST", u"/api/channels/34020000001310009999/streams"_s);
    QCOMPARE(code, 404);

    std::tie(code, body) = call("DELETE", u"/api/streams/%1"_s.arg(id));
    QCOMPARE(code, 200);
    QTRY_VERIFY_WITH_TIMEOUT(site.simulator->devices().front()->calls().isEmpty(), kTimeoutMs);
    std::tie(code, body) = call("GET", u"/api/streams/%1"_s.arg(id));
    QCOMPARE(code, 404);
    std::tie(code, body) = call("GET", u"/api/streams/abc"_s);
    QCOMPARE(code, 400);
    site.server->stop();
}

QTEST_GUILESS_MAIN(TestLiveStreams)
#include "tst_livestreams.moc"
