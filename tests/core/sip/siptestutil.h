#pragma once

// Helpers shared by the SIP message tests.

#include <QByteArray>
#include <QByteArrayView>

namespace Vigil::Sip::Test {

/// The text with every "\n" turned into "\r\n": fixtures stay readable, the wire format is CRLF.
inline QByteArray crlf(QByteArrayView text)
{
    QByteArray out;
    out.reserve(text.size() + text.size() / 16);
    for (char c : text) {
        if (c == '\n')
            out.append('\r');
        out.append(c);
    }
    return out;
}

/// QTest prints QByteArray, not QByteArrayView.
inline QByteArray b(QByteArrayView view)
{
    return view.toByteArray();
}

/// The keepalive body of docs/gb28181.md §3, CRLF line ends: 169 bytes.
inline constexpr char kKeepaliveXml[] = "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n"
                                        "<Notify>\r\n"
                                        "<CmdType>Keepalive</CmdType>\r\n"
                                        "<SN>43</SN>\r\n"
                                        "<DeviceID>34020000001320000001</DeviceID>\r\n"
                                        "<Status>OK</Status>\r\n"
                                        "</Notify>\r\n";

} // namespace Vigil::Sip::Test
