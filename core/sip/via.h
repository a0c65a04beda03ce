#pragma once

#include "uri.h"

namespace Vigil::Sip {

/// One Via value: "SIP/2.0/UDP host:port;branch=...;rport;received=...".
/// A view: valid while the text it was parsed from lives.
struct ViaView {
    QByteArrayView transport;   ///< "UDP", "TCP"... upper or lower case as written
    QByteArrayView host;        ///< sent-by host; IPv6 keeps its brackets
    std::uint16_t port = 0;     ///< sent-by port; 0 when absent
    ParamsView params;
    QByteArrayView branch;      ///< empty when absent (RFC 2543 peers)
    QByteArrayView received;    ///< empty when absent
    /// -1: no rport; 0: "rport" without a value (asks us to fill it in); else the value.
    int rport = -1;
    /// The rport parameter's value as written: null when there is none, empty and placed right
    /// after the name for a bare "rport" (where MessageBuilder::stampTopVia() writes the port).
    QByteArrayView rportValue;

    /// True when the branch has the RFC 3261 magic cookie, so it identifies the transaction.
    bool hasRfc3261Branch() const noexcept;

    /// Parses one Via value (one element of the list). The first branch, received and rport
    /// parameters count.
    static Parsed<ViaView> parse(QByteArrayView text) noexcept;
};

} // namespace Vigil::Sip
