#pragma once

#include "common/gbid.h"
#include "common/result.h"
#include "devices/deviceregistry.h"
#include "gb28181/manscdp.h"
#include "sip/transactionlayer.h"
#include "transport/siptransport.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>

namespace Vigil::Gb {

class Registrar;

/// One extra SIP thread of GbService (ServerConfig::sipThreads > 1): a UDP socket on the SIP
/// port, shared with the signalling thread's socket through SO_REUSEPORT (the kernel hands
/// each source address and port to one socket, so a device always meets the same thread),
/// with a TransactionLayer of its own.
///
/// It answers what dominates a large site's traffic by itself: REGISTER (through the
/// Registrar's thread-safe path), MESSAGE and NOTIFY from registered devices (200 or 404;
/// keepalives end here) and OPTIONS. What it cannot finish goes to the signalling thread
/// through the hand-off functions: bodies other than keepalives, already answered, and every
/// other message as received (responses to our requests, INVITE, BYE, ACK, CANCEL, INFO...),
/// which the signalling thread's TransactionLayer then handles as if it had read it itself.
///
/// Lives on its own WorkerThread; start() and stop() run there.
class SipWorker : public QObject {
    Q_OBJECT

public:
    /// Called on the worker thread; both must only queue work for the signalling thread.
    struct Handoff {
        std::function<void(const Sip::SipMessage &, const Sip::Peer &)> message;
        std::function<void(const DeviceId &, ManscdpMessage)> body;
    };

    /// `config` is UDP only, with PortSharing::ReusePort and the port the signalling thread
    /// bound. `registrar` and `registry` must outlive the worker.
    SipWorker(Transport::SipTransportConfig config, Registrar &registrar, const Devices::DeviceRegistry &registry,
              Handoff handoff, QObject *parent = nullptr);
    ~SipWorker() override;

    Result<void> start();
    void stop();
    /// The bound port (the one picked when the configured port is 0); worker thread.
    std::uint16_t port() const { return m_transport->port(); }

    /// Thread-safe counters.
    quint64 keepalives() const noexcept { return m_keepalives.load(std::memory_order_relaxed); }
    quint64 badBodies() const noexcept { return m_badBodies.load(std::memory_order_relaxed); }
    quint64 handedOff() const noexcept { return m_handedOff.load(std::memory_order_relaxed); }

private:
    void onMessage(const Sip::SipMessage &message, const Sip::Peer &peer);
    void onRequest(const Sip::IncomingRequest &request);
    void respond(const Sip::IncomingRequest &request, int code);

    Registrar &m_registrar;
    const Devices::DeviceRegistry &m_registry;
    Handoff m_handoff;
    std::unique_ptr<Transport::SipTransport> m_transport;
    std::unique_ptr<Sip::TransactionLayer> m_transactions;
    std::atomic<quint64> m_keepalives{0};
    std::atomic<quint64> m_badBodies{0};
    std::atomic<quint64> m_handedOff{0};
};

} // namespace Vigil::Gb
