#include "sipworker.h"

#include "common/logging.h"
#include "gb28181/registrar.h"

namespace Vigil::Gb {

SipWorker::SipWorker(Transport::SipTransportConfig config, Registrar &registrar,
                     const Devices::DeviceRegistry &registry, Handoff handoff, QObject *parent)
    : QObject(parent)
    , m_registrar(registrar)
    , m_registry(registry)
    , m_handoff(std::move(handoff))
{
    Q_ASSERT(!config.tcpEnabled && config.portSharing == Transport::PortSharing::ReusePort);
    m_transport = std::make_unique<Transport::SipTransport>(std::move(config));
    m_transactions = std::make_unique<Sip::TransactionLayer>(*m_transport);
    m_transport->setMessageHandler(
        [this](const Sip::SipMessage &message, const Sip::Peer &peer) { onMessage(message, peer); });
    m_transactions->setRequestHandler([this](const Sip::IncomingRequest &request) { onRequest(request); });
}

SipWorker::~SipWorker()
{
    stop();
}

Result<void> SipWorker::start()
{
    return m_transport->start();
}

void SipWorker::stop()
{
    if (m_transport)
        m_transport->stop();
}

void SipWorker::onMessage(const Sip::SipMessage &message, const Sip::Peer &peer)
{
    if (message.isRequest()) {
        switch (message.method()) {
        case Sip::Method::Register:
        case Sip::Method::Message:
        case Sip::Method::Notify:
        case Sip::Method::Options:
            m_transactions->receive(message, peer);
            return;
        default:
            break;
        }
    }
    m_handedOff.fetch_add(1, std::memory_order_relaxed);
    m_handoff.message(message, peer);
}

void SipWorker::respond(const Sip::IncomingRequest &request, int code)
{
    auto response = Sip::MessageBuilder::responseTo(request.message(), code, m_transactions->newTag());
    if (auto sent = m_transactions->respond(request, std::move(response)); !sent)
        qCDebug(lcGb) << "could not answer" << request.message().methodText() << "from" << request.peer().toString()
                      << sent.error().message;
}

void SipWorker::onRequest(const Sip::IncomingRequest &request)
{
    const Sip::SipMessage &message = request.message();
    switch (message.method()) {
    case Sip::Method::Register:
        m_registrar.handleRegister(request, *m_transactions);
        return;
    case Sip::Method::Options:
        respond(request, 200);
        return;
    default:
        break;
    }
    // MESSAGE or NOTIFY, answered as GbService does: 404 makes an unregistered device register
    // again; a registered one gets 200 ("received"), and the body is work for later.
    const auto device = m_registrar.admit(request, *m_transactions);
    if (!device) {
        respond(request, 404);
        return;
    }
    respond(request, 200);
    const auto settings = m_registry.settings(*device);
    auto body = ManscdpMessage::parse(message.body(), settings ? settings->charset : CharsetOverride::Auto);
    if (!body) {
        m_badBodies.fetch_add(1, std::memory_order_relaxed);
        qCDebug(lcGb) << message.methodText() << "from" << device->toString()
                      << "has no usable MANSCDP body:" << body.error().message;
        return;
    }
    if (body->envelope.cmdType == CmdType::Keepalive) {
        m_keepalives.fetch_add(1, std::memory_order_relaxed); // liveness was noted by admit()
        return;
    }
    m_handoff.body(*device, std::move(*body));
}

} // namespace Vigil::Gb
