#pragma once

#include "common/result.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QFuture>
#include <QObject>
#include <QString>

#include <memory>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponse;
class QHttpServerResponder;

namespace Vigil::Gb {
class GbServer;
}

namespace Vigil::Api {

/// Where the HTTP API listens and who may use it.
struct ApiConfig {
    QHostAddress bindAddress = QHostAddress(QHostAddress::LocalHost);
    std::uint16_t port = 8080; ///< 0: any free port (tests)
    /// Required as "Authorization: Bearer <token>" (or ?token=) when set. It must be set when
    /// the API listens on anything but loopback.
    QString token;
};

/// vigild's HTTP/JSON API over a GbServer (Qt HttpServer). Lives on the thread of the GbServer
/// it serves (the main thread); slow actions answer when their QFuture finishes, so the
/// event loop never waits. Errors are JSON {"error": "..."} with a fitting status code.
///
/// Endpoints:
///   GET  /api/health
///   GET  /api/devices                       GET /api/devices/{id}
///   GET  /api/devices/{id}/channels         POST /api/devices/{id}/catalog
///   GET  /api/events[?after=ID&limit=N]
///   POST /api/channels/{id}/ptz             {"action": "up", "speed": 0-255, "preset": N}
///   POST /api/channels/{id}/streams         {"transport": "udp|tcp-passive|tcp-active",
///                                            "profile": "main|sub"} (both optional) -> 201 {"streamId": N}
///   GET  /api/streams                       GET /api/streams/{id}     DELETE /api/streams/{id}
///   GET  /api/streams/{id}/snapshot         image/jpeg of the newest picture
class ApiServer : public QObject {
    Q_OBJECT

public:
    ApiServer(Gb::GbServer &server, ApiConfig config, QObject *parent = nullptr);
    ~ApiServer() override;

    /// Starts listening; returns the port. Refuses to listen beyond loopback without a token.
    Result<std::uint16_t> start();
    std::uint16_t port() const noexcept { return m_port; }

private:
    void addRoutes();
    /// Answers when `future` finishes, through `responder`. Qt 6.4's own QFuture responses
    /// crash (QTBUG in QHttpServer::sendResponse), so slow answers keep the responder instead;
    /// it notices a client that went away meanwhile.
    template <typename T, typename F>
    void answerLater(QHttpServerResponder &&responder, QFuture<T> future, F makeResponse);
    bool authorized(const QHttpServerRequest &request) const;

    Gb::GbServer &m_server;
    ApiConfig m_config;
    std::unique_ptr<QHttpServer> m_http;
    std::uint16_t m_port = 0;
    QElapsedTimer m_uptime;
};

} // namespace Vigil::Api
