#include "lyingsink.h"

#include <algorithm>

namespace Vigil::CamSim {

namespace {

constexpr qsizetype kLieBytes = 10;

} // namespace

QByteArray LyingContentLengthSink::withContentLength(QByteArrayView bytes, qsizetype declared)
{
    const qsizetype headerEnd = bytes.indexOf("\r\n\r\n");
    qsizetype at = bytes.indexOf("\r\nContent-Length:");
    if (headerEnd < 0 || at < 0 || at > headerEnd)
        return bytes.toByteArray();
    at += qsizetype(sizeof("\r\nContent-Length:") - 1);
    const qsizetype lineEnd = bytes.indexOf("\r\n", at);
    QByteArray out;
    out.reserve(bytes.size() + 8);
    out.append(bytes.first(at));
    out.append(' ');
    out.append(QByteArray::number(declared));
    out.append(bytes.sliced(lineEnd));
    return out;
}

bool LyingContentLengthSink::send(const Sip::Peer &peer, QByteArrayView bytes)
{
    if (peer.transport != Sip::TransportKind::Udp || !bytes.startsWith("MESSAGE "))
        return m_inner.send(peer, bytes);
    const qsizetype headerEnd = bytes.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return m_inner.send(peer, bytes);
    const qsizetype bodyBytes = bytes.size() - headerEnd - 4;
    m_tooLong = !m_tooLong;
    const qsizetype declared = m_tooLong ? bodyBytes + kLieBytes : std::max<qsizetype>(bodyBytes - kLieBytes, 0);
    return m_inner.send(peer, withContentLength(bytes, declared));
}

} // namespace Vigil::CamSim
