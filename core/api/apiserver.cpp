#include "apiserver.h"

#include "common/logging.h"
#include "common/version.h"
#include "gb28181/gbserver.h"
#include "gb28181/gbservice.h"
#include "gb28181/mediasessions.h"
#include "media/ffmpeg/jpegencoder.h"
#include "media/mediatypes.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QPointer>
#include <QTcpSocket>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace Vigil::Api {

namespace {

using Status = QHttpServerResponse::StatusCode;

QHttpServerResponse errorResponse(Status status, const QString &message)
{
    return QHttpServerResponse(QJsonObject{{u"error"_s, message}}, status);
}

Status statusFor(const Error &error)
{
    switch (error.code) {
    case ErrorCode::InvalidArgument: return Status::BadRequest;
    case ErrorCode::NotFound: return Status::NotFound;
    case ErrorCode::Unsupported: return Status::BadRequest;
    case ErrorCode::Timeout: return Status::GatewayTimeout;
    case ErrorCode::Rejected: return Status::BadGateway;
    case ErrorCode::IoError: return Status::BadGateway;
    case ErrorCode::Internal: return Status::InternalServerError;
    }
    return Status::InternalServerError;
}

QHttpServerResponse errorResponse(const Error &error)
{
    return errorResponse(statusFor(error), error.message);
}

QJsonValue time(const QDateTime &value)
{
    return value.isValid() ? QJsonValue(value.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QString offlineReasonCode(Devices::OfflineReason reason)
{
    switch (reason) {
    case Devices::OfflineReason::None: return {};
    case Devices::OfflineReason::NeverRegistered: return u"never-registered"_s;
    case Devices::OfflineReason::KeepalivesMissed: return u"keepalives-missed"_s;
    case Devices::OfflineReason::RegistrationExpired: return u"registration-expired"_s;
    case Devices::OfflineReason::Unregistered: return u"unregistered"_s;
    case Devices::OfflineReason::TcpConnectionClosed: return u"tcp-connection-closed"_s;
    }
    return {};
}

QJsonObject deviceJson(const Devices::Device &d, int keepaliveCount)
{
    const bool hasRoute = !d.route.address.isNull();
    return QJsonObject{
        {u"id"_s, d.id.toString()},
        {u"name"_s, d.name},
        {u"manufacturer"_s, d.manufacturer},
        {u"model"_s, d.model},
        {u"firmware"_s, d.firmware},
        {u"online"_s, d.online},
        {u"remote"_s, hasRoute ? QJsonValue(d.route.hostPort()) : QJsonValue()},
        {u"transport"_s, hasRoute ? QJsonValue(d.route.transport == Sip::TransportKind::Tcp ? u"tcp"_s : u"udp"_s)
                                  : QJsonValue()},
        {u"lastSeen"_s, time(d.lastSeen)},
        {u"registeredAt"_s, time(d.registeredAt)},
        {u"expiresAt"_s, time(d.registrationExpiresAt)},
        {u"channelCount"_s, d.channelCount},
        {u"offlineReason"_s, d.online ? QJsonValue() : QJsonValue(Devices::Device::offlineReasonText(d.offlineReason, keepaliveCount))},
        {u"offlineReasonCode"_s, d.online ? QJsonValue() : QJsonValue(offlineReasonCode(d.offlineReason))},
        {u"userAgent"_s, d.userAgent},
        {u"gbVersion"_s, d.gbVersion},
        {u"mediaTransport"_s, QString(Devices::mediaTransportKey(d.settings.mediaTransport))},
        {u"streamProfile"_s, d.settings.streamProfile == Devices::StreamProfile::Main ? u"main"_s : u"sub"_s},
        {u"hasPassword"_s, !d.settings.password.isEmpty()},
    };
}

QJsonObject channelJson(const Devices::Channel &c)
{
    QJsonObject o{
        {u"id"_s, c.id},
        {u"name"_s, c.name},
        {u"parentId"_s, c.parentId},
        {u"status"_s, c.online ? u"ON"_s : u"OFF"_s},
        {u"ptzType"_s, c.ptzType},
        {u"manufacturer"_s, c.manufacturer},
        {u"model"_s, c.model},
        {u"civilCode"_s, c.civilCode},
        {u"address"_s, c.address},
        {u"businessGroupId"_s, c.businessGroupId},
        {u"parental"_s, c.parental},
    };
    if (c.longitude && c.latitude) {
        o.insert(u"longitude"_s, *c.longitude);
        o.insert(u"latitude"_s, *c.latitude);
    }
    return o;
}

QString eventKindCode(Devices::EventKind kind)
{
    switch (kind) {
    case Devices::EventKind::DeviceRegistered: return u"registered"_s;
    case Devices::EventKind::DeviceOnline: return u"online"_s;
    case Devices::EventKind::DeviceOffline: return u"offline"_s;
    case Devices::EventKind::DeviceUnregistered: return u"unregistered"_s;
    case Devices::EventKind::AuthFailed: return u"auth-failed"_s;
    case Devices::EventKind::SourceBanned: return u"source-banned"_s;
    case Devices::EventKind::DeviceIdBanned: return u"device-id-banned"_s;
    case Devices::EventKind::AddressChanged: return u"address-changed"_s;
    case Devices::EventKind::CatalogSynced: return u"catalog-synced"_s;
    case Devices::EventKind::CatalogIncomplete: return u"catalog-incomplete"_s;
    case Devices::EventKind::QueryFailed: return u"query-failed"_s;
    case Devices::EventKind::DeviceRemoved: return u"removed"_s;
    case Devices::EventKind::Info: return u"info"_s;
    }
    return {};
}

QJsonObject eventJson(const Devices::Event &e)
{
    const char16_t *severity = e.severity() == Devices::EventSeverity::Error ? u"error"
        : e.severity() == Devices::EventSeverity::Warning                   ? u"warning"
                                                                             : u"info";
    return QJsonObject{
        {u"id"_s, qint64(e.id)},
        {u"time"_s, time(e.time)},
        {u"kind"_s, eventKindCode(e.kind)},
        {u"severity"_s, QString::fromUtf16(severity)},
        {u"deviceId"_s, e.deviceId.isEmpty() ? QJsonValue() : QJsonValue(e.deviceId)},
        {u"text"_s, e.text()},
    };
}

QJsonObject streamJson(const Gb::StreamStatus &s)
{
    const Media::StreamHealth &h = s.health;
    return QJsonObject{
        {u"id"_s, qint64(s.id)},
        {u"channelId"_s, s.channelId},
        {u"deviceId"_s, s.device.toString()},
        {u"state"_s, QString(Gb::sessionStateName(s.state))},
        {u"error"_s, s.error.isEmpty() ? QJsonValue() : QJsonValue(s.error)},
        {u"transport"_s, QString(Devices::mediaTransportKey(s.transport))},
        {u"profile"_s, QString(Devices::streamProfileKey(s.profile))},
        {u"ssrc"_s, QStringLiteral("%1").arg(s.ssrc, 10, 10, QLatin1Char('0'))},
        {u"reinvites"_s, s.reinvites},
        {u"openedAt"_s, time(s.openedAt)},
        {u"localPort"_s, h.localPort},
        {u"codec"_s, h.videoCodec == Media::VideoCodec::Unknown ? QJsonValue() : QJsonValue(QString(Media::codecName(h.videoCodec)))},
        {u"audioCodec"_s, h.audioCodec == Media::AudioCodec::Unknown ? QJsonValue() : QJsonValue(QString(Media::codecName(h.audioCodec)))},
        {u"width"_s, h.width},
        {u"height"_s, h.height},
        {u"fps"_s, h.fps},
        {u"bitrateBps"_s, h.bitrateInBps},
        {u"packetsReceived"_s, qint64(h.packetsReceived)},
        {u"packetsLost"_s, qint64(h.packetsLost)},
        {u"framesDecoded"_s, qint64(h.framesDecoded)},
        {u"framesDropped"_s, qint64(h.framesDropped)},
        {u"decodeErrors"_s, qint64(h.decodeErrors)},
        {u"stalls"_s, qint64(h.stalls)},
        {u"timeToFirstFrameMs"_s, h.timeToFirstFrameMs},
        {u"lastPacketAgeMs"_s, h.lastPacketAgeMs},
    };
}

/// Writes a response through a responder (handlers that may answer later take one).
void send(QHttpServerResponder &&responder, const QHttpServerResponse &response)
{
    response.write(std::move(responder));
}

/// Compares without an early exit so response times do not leak how much of a token matched.
bool sameToken(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace

template <typename T, typename F>
void ApiServer::answerLater(QHttpServerResponder &&responder, QFuture<T> future, F makeResponse)
{
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
    const QPointer<QTcpSocket> socket = held->socket();
    future.then(this, [held, socket, makeResponse](T value) {
        if (!socket) // the client hung up while we waited
            return;
        send(std::move(*held), makeResponse(std::move(value)));
    });
}

ApiServer::ApiServer(Gb::GbServer &server, ApiConfig config, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_config(std::move(config))
    , m_http(std::make_unique<QHttpServer>())
{
    m_uptime.start();
    addRoutes();
}

ApiServer::~ApiServer() = default;

Result<std::uint16_t> ApiServer::start()
{
    if (!m_config.bindAddress.isLoopback() && m_config.token.isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    tr("The HTTP API would listen on %1 without a token; set --api-token, or bind it to 127.0.0.1.")
                        .arg(m_config.bindAddress.toString()));
    const quint16 port = m_http->listen(m_config.bindAddress, m_config.port);
    if (port == 0)
        return fail(ErrorCode::IoError,
                    tr("Cannot listen for the HTTP API on %1:%2; the port may be in use. Choose another with --api-port.")
                        .arg(m_config.bindAddress.toString())
                        .arg(m_config.port));
    m_port = port;
    qCInfo(lcApi) << "HTTP API on" << m_config.bindAddress.toString() << "port" << port;
    return port;
}

bool ApiServer::authorized(const QHttpServerRequest &request) const
{
    if (m_config.token.isEmpty())
        return true;
    const QByteArray expected = m_config.token.toUtf8();
    const QByteArray header = request.value("Authorization");
    if (header.startsWith("Bearer ") && sameToken(header.mid(7).trimmed(), expected))
        return true;
    const QString query = request.query().queryItemValue(u"token"_s);
    return !query.isEmpty() && sameToken(query.toUtf8(), expected);
}

void ApiServer::addRoutes()
{
    using Method = QHttpServerRequest::Method;
    const auto unauthorized = [] {
        return errorResponse(Status::Unauthorized, tr("Missing or wrong API token."));
    };
    const auto deviceId = [](const QString &text) -> Result<DeviceId> {
        auto id = DeviceId::parse(text);
        if (!id)
            return std::unexpected(Error{ErrorCode::InvalidArgument, id.error().message});
        return id;
    };

    m_http->route(u"/api/health"_s, Method::Get, [this, unauthorized](const QHttpServerRequest &request) {
        if (!authorized(request))
            return unauthorized();
        const bool running = m_server.isRunning();
        const auto counts = running ? m_server.registry().counts() : Devices::DeviceRegistry::Counts{};
        return QHttpServerResponse(QJsonObject{
            {u"status"_s, running ? u"ok"_s : u"stopped"_s},
            {u"version"_s, QString::fromLatin1(kVersion)},
            {u"serverId"_s, m_server.config().serverId.toString()},
            {u"domain"_s, m_server.config().domain},
            {u"sipPort"_s, m_server.sipPort()},
            {u"devices"_s, counts.devices},
            {u"online"_s, counts.online},
            {u"channels"_s, counts.channels},
            {u"uptimeSec"_s, m_uptime.elapsed() / 1000},
        });
    });

    m_http->route(u"/api/devices"_s, Method::Get, [this, unauthorized](const QHttpServerRequest &request) {
        if (!authorized(request))
            return unauthorized();
        QJsonArray array;
        const int count = m_server.config().keepaliveTimeoutCount;
        for (const Devices::Device &device : m_server.registry().devices())
            array.append(deviceJson(device, count));
        return QHttpServerResponse(array);
    });

    m_http->route(u"/api/devices/<arg>"_s, Method::Get,
                  [this, unauthorized, deviceId](const QString &text, const QHttpServerRequest &request) {
                      if (!authorized(request))
                          return unauthorized();
                      const auto id = deviceId(text);
                      if (!id)
                          return errorResponse(id.error());
                      const auto device = m_server.registry().device(*id);
                      if (!device)
                          return errorResponse(Status::NotFound, tr("Device %1 is not known.").arg(text));
                      return QHttpServerResponse(deviceJson(*device, m_server.config().keepaliveTimeoutCount));
                  });

    m_http->route(u"/api/devices/<arg>/channels"_s, Method::Get,
                  [this, unauthorized, deviceId](const QString &text, const QHttpServerRequest &request) {
                      if (!authorized(request))
                          return unauthorized();
                      const auto id = deviceId(text);
                      if (!id)
                          return errorResponse(id.error());
                      if (!m_server.registry().contains(*id))
                          return errorResponse(Status::NotFound, tr("Device %1 is not known.").arg(text));
                      QJsonArray array;
                      for (const Devices::Channel &channel : m_server.registry().channels(*id))
                          array.append(channelJson(channel));
                      return QHttpServerResponse(array);
                  });

    m_http->route(u"/api/devices/<arg>/catalog"_s, Method::Post,
                  [this, unauthorized, deviceId](const QString &text, const QHttpServerRequest &request,
                                                 QHttpServerResponder &&responder) {
                      if (!authorized(request))
                          return send(std::move(responder), unauthorized());
                      const auto id = deviceId(text);
                      if (!id)
                          return send(std::move(responder), errorResponse(id.error()));
                      if (!m_server.registry().contains(*id))
                          return send(std::move(responder),
                                      errorResponse(Status::NotFound, tr("Device %1 is not known.").arg(text)));
                      answerLater(std::move(responder), m_server.refreshCatalog(*id), [](Result<int> result) {
                          if (!result)
                              return errorResponse(result.error());
                          return QHttpServerResponse(QJsonObject{{u"channelCount"_s, *result}});
                      });
                  });

    m_http->route(u"/api/events"_s, Method::Get, [this, unauthorized](const QHttpServerRequest &request) {
        if (!authorized(request))
            return unauthorized();
        const QUrlQuery query = request.query();
        bool ok = true;
        const qulonglong after = query.hasQueryItem(u"after"_s) ? query.queryItemValue(u"after"_s).toULongLong(&ok) : 0;
        if (!ok)
            return errorResponse(Status::BadRequest, tr("\"after\" must be an event id."));
        const int limit = query.hasQueryItem(u"limit"_s) ? query.queryItemValue(u"limit"_s).toInt(&ok) : 1000;
        if (!ok || limit < 1)
            return errorResponse(Status::BadRequest, tr("\"limit\" must be a positive number."));
        QJsonArray array;
        for (const Devices::Event &event : m_server.events().since(after, limit))
            array.append(eventJson(event));
        return QHttpServerResponse(array);
    });

    m_http->route(u"/api/channels/<arg>/ptz"_s, Method::Post,
                  [this, unauthorized](const QString &channel, const QHttpServerRequest &request,
                                       QHttpServerResponder &&responder) {
                      if (!authorized(request))
                          return send(std::move(responder), unauthorized());
                      const QJsonDocument body = QJsonDocument::fromJson(request.body());
                      if (!body.isObject())
                          return send(std::move(responder),
                                      errorResponse(Status::BadRequest,
                                                    tr("The body must be a JSON object like {\"action\": \"up\", \"speed\": 128}.")));
                      const QJsonObject o = body.object();
                      const auto command = Gb::PtzCommand::fromAction(o.value(u"action"_s).toString(),
                                                                      o.value(u"speed"_s).toInt(128),
                                                                      o.value(u"preset"_s).toInt(0));
                      if (!command)
                          return send(std::move(responder), errorResponse(command.error()));
                      answerLater(std::move(responder), m_server.ptz(channel, *command),
                                  [hex = QString::fromLatin1(command->toHex())](Result<void> result) {
                                      if (!result)
                                          return errorResponse(result.error());
                                      return QHttpServerResponse(QJsonObject{{u"ok"_s, true}, {u"ptzCmd"_s, hex}});
                                  });
                  });

    m_http->route(u"/api/channels/<arg>/streams"_s, Method::Post,
                  [this, unauthorized](const QString &channel, const QHttpServerRequest &request,
                                       QHttpServerResponder &&responder) {
                      if (!authorized(request))
                          return send(std::move(responder), unauthorized());
                      Gb::StreamOptions options;
                      if (!request.body().trimmed().isEmpty()) {
                          const QJsonDocument body = QJsonDocument::fromJson(request.body());
                          if (!body.isObject())
                              return send(std::move(responder),
                                          errorResponse(Status::BadRequest,
                                                        tr("The body must be a JSON object like {\"transport\": \"udp\", \"profile\": \"main\"}.")));
                          const QJsonObject o = body.object();
                          if (o.contains(u"transport"_s)) {
                              options.transport = Devices::mediaTransportFromKey(o.value(u"transport"_s).toString());
                              if (!options.transport)
                                  return send(std::move(responder),
                                              errorResponse(Status::BadRequest,
                                                            tr("\"transport\" must be udp, tcp-passive or tcp-active.")));
                          }
                          if (o.contains(u"profile"_s)) {
                              options.profile = Devices::streamProfileFromKey(o.value(u"profile"_s).toString());
                              if (!options.profile)
                                  return send(std::move(responder),
                                              errorResponse(Status::BadRequest, tr("\"profile\" must be main or sub.")));
                          }
                      }
                      answerLater(std::move(responder), m_server.openStream(channel, std::move(options)),
                                  [](Result<Gb::StreamId> result) {
                                      if (!result)
                                          return errorResponse(result.error());
                                      return QHttpServerResponse(QJsonObject{{u"streamId"_s, qint64(*result)}},
                                                                 Status::Created);
                                  });
                  });

    const auto streamId = [](const QString &text) -> Result<Gb::StreamId> {
        bool ok = false;
        const qulonglong id = text.toULongLong(&ok);
        if (!ok || id == 0)
            return fail(ErrorCode::InvalidArgument, tr("\"%1\" is not a stream id.").arg(text));
        return Gb::StreamId(id);
    };

    m_http->route(u"/api/streams"_s, Method::Get,
                  [this, unauthorized](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                      if (!authorized(request))
                          return send(std::move(responder), unauthorized());
                      answerLater(std::move(responder), m_server.streams(), [](QList<Gb::StreamStatus> streams) {
                          QJsonArray array;
                          for (const Gb::StreamStatus &status : std::as_const(streams))
                              array.append(streamJson(status));
                          return QHttpServerResponse(array);
                      });
                  });

    m_http->route(u"/api/streams/<arg>"_s, Method::Get,
                  [this, unauthorized, streamId](const QString &text, const QHttpServerRequest &request,
                                                 QHttpServerResponder &&responder) {
                      if (!authorized(request))
                          return send(std::move(responder), unauthorized());
                      const auto id = streamId(text);
                      if (!id)
                          return send(std::move(responder), errorResponse(id.error()));
                      answerLater(std::move(responder), m_server.streamStatus(*id),
                                  [text](std::optional<Gb::StreamStatus> status) {
                                      if (!status)
                                          return errorResponse(Status::NotFound, tr("There is no stream %1.").arg(text));
                                      return QHttpServerResponse(streamJson(*status));
                                  });
                  });

    m_http->route(u"/api/streams/<arg>"_s, Method::Delete,
                  [this, unauthorized, streamId](const QString &text, const QHttpServerRequest &request,
                                                 QHttpServerResponder &&responder) {
                      if (!authorized(request))
                          return send(std::move(responder), unauthorized());
                      const auto id = streamId(text);
                      if (!id)
                          return send(std::move(responder), errorResponse(id.error()));
                      const Gb::StreamId stream = *id;
                      answerLater(std::move(responder), m_server.streamStatus(stream),
                                  [this, text, stream](std::optional<Gb::StreamStatus> status) {
                                      if (!status)
                                          return errorResponse(Status::NotFound, tr("There is no stream %1.").arg(text));
                                      m_server.closeStream(stream);
                                      return QHttpServerResponse(QJsonObject{{u"ok"_s, true}});
                                  });
                  });

    m_http->route(u"/api/streams/<arg>/snapshot"_s, Method::Get,
                  [this, unauthorized, streamId](const QString &text, const QHttpServerRequest &request,
                                                 QHttpServerResponder &&responder) {
                      if (!authorized(request))
                          return send(std::move(responder), unauthorized());
                      const auto id = streamId(text);
                      if (!id)
                          return send(std::move(responder), errorResponse(id.error()));
                      answerLater(std::move(responder), m_server.latestFrame(*id),
                                  [](Result<Media::VideoFrame> frame) {
                                      if (!frame)
                                          return errorResponse(frame.error());
                                      // A few milliseconds for 1080p, on this (the API's) thread.
                                      const auto jpeg = Media::JpegEncoder().encode(*frame);
                                      if (!jpeg)
                                          return errorResponse(jpeg.error());
                                      return QHttpServerResponse("image/jpeg", *jpeg);
                                  });
                  });

    m_http->setMissingHandler([](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        const QString method =
            QString::fromLatin1(QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(request.method())))
                .toUpper();
        send(std::move(responder),
             errorResponse(Status::NotFound, tr("No such endpoint: %1 %2").arg(method, request.url().path())));
    });
}

} // namespace Vigil::Api
