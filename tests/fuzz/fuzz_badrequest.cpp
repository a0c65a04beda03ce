// libFuzzer target: badRequestResponse() on arbitrary bytes. The first input byte is the length
// of the reason text that follows it; the rest is the message. Whatever comes back must be a
// well-formed 400: the right start line, CRLF-terminated header lines without control
// characters, the five copied headers and one sanitised Warning.

#include "sip/badrequest.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Vigil::Sip;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

void checkResponse(const QByteArray &response)
{
    check(response.startsWith("SIP/2.0 400 Bad Request\r\n"));
    check(response.endsWith("\r\nContent-Length: 0\r\n\r\n"));
    const QByteArray head = response.first(response.size() - 4); // without the empty line
    const QList<QByteArray> lines = head.split('\n');
    int vias = 0, froms = 0, tos = 0, callIds = 0, cseqs = 0, warnings = 0;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray line = lines[i];
        if (i + 1 < lines.size()) {
            check(line.endsWith('\r'));
            line.chop(1);
        }
        check(!line.isEmpty());
        for (char c : line) {
            const auto u = static_cast<unsigned char>(c);
            check(!((u < 0x20 && c != '\t') || u == 0x7F));
        }
        if (i == 0)
            continue;
        vias += line.startsWith("Via: ");
        froms += line.startsWith("From: ");
        tos += line.startsWith("To: ");
        callIds += line.startsWith("Call-ID: ");
        cseqs += line.startsWith("CSeq: ");
        if (line.startsWith("Warning: ")) {
            ++warnings;
            check(line.startsWith("Warning: 399 vigil \"") && line.endsWith('"'));
            const QByteArray text = line.sliced(20, line.size() - 21);
            check(!text.isEmpty() && text.size() <= 100);
            for (char c : text)
                check(c >= 0x20 && c <= 0x7E && c != '"' && c != '\\');
        }
    }
    check(vias >= 1 && froms == 1 && tos == 1 && callIds == 1 && cseqs == 1 && warnings == 1);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::size_t reasonSize = std::min<std::size_t>(data[0], size - 1);
    const QByteArrayView reason(reinterpret_cast<const char *>(data + 1), qsizetype(reasonSize));
    const QByteArrayView raw(reinterpret_cast<const char *>(data + 1 + reasonSize), qsizetype(size - 1 - reasonSize));
    if (const auto response = badRequestResponse(raw, reason))
        checkResponse(*response);
    static const QHostAddress source(QStringLiteral("::ffff:198.51.100.23"));
    if (const auto response = badRequestResponse(raw, reason, source, 40122))
        checkResponse(*response);
    return 0;
}
