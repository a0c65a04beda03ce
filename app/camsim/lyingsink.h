#pragma once

#include "sip/peer.h"

#include <QByteArray>

namespace Vigil::CamSim {

/// A TransportSink in front of the real one that makes UDP MESSAGE requests declare a
/// Content-Length 10 bytes off the body, too short and too long in turn (SignallingFaults::
/// lyingContentLength), as devices do that count characters instead of bytes or forget the last
/// line end. Everything else passes unchanged. Over TCP a wrong length would break the stream
/// framing for good, which no device survives either, so TCP is left alone.
class LyingContentLengthSink : public Sip::TransportSink {
public:
    /// `inner` must outlive this sink.
    explicit LyingContentLengthSink(Sip::TransportSink &inner) : m_inner(inner) {}

    bool send(const Sip::Peer &peer, QByteArrayView bytes) override;
    QByteArray viaSentBy(const Sip::Peer &peer) const override { return m_inner.viaSentBy(peer); }

    /// `bytes` with its Content-Length value replaced by `declared`; unchanged when it has none.
    static QByteArray withContentLength(QByteArrayView bytes, qsizetype declared);

private:
    Sip::TransportSink &m_inner;
    bool m_tooLong = false;
};

} // namespace Vigil::CamSim
