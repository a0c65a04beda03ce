// libFuzzer target: StreamFramer on an arbitrary TCP stream. The first two bytes choose the
// chunking and the size limit; the rest is the stream. The same stream fed whole, in random
// chunks and (when short) one byte at a time must give the same events and the same error, every
// message handed out must lie inside what was fed, and the framer may never hold back more than
// its limit. Each message is parsed as SipMessage::parse() would be by the transport.

#include "sip/sipmessage.h"
#include "sip/streamframer.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Vigil::Sip;

namespace {

struct Outcome {
    QList<QByteArray> events; // messages; "<ping>" for keep-alives
    QList<bool> missingLength;
    QString error;

    bool operator==(const Outcome &) const = default;
};

Outcome run(QByteArrayView stream, qsizetype limit, std::uint32_t seed, qsizetype maxChunk)
{
    StreamFramer framer(limit);
    Outcome out;
    qsizetype pos = 0;
    while (pos < stream.size()) {
        seed = seed * 1103515245u + 12345u;
        const qsizetype chunkSize = maxChunk >= stream.size() ? stream.size()
            : maxChunk <= 1                                  ? 1
                                                             : 1 + qsizetype((seed >> 8) % std::uint32_t(maxChunk));
        const QByteArrayView chunk = stream.sliced(pos, std::min(chunkSize, stream.size() - pos));
        pos += chunk.size();
        auto result = framer.feed(chunk, [&](const StreamFramer::Event &event) {
            if (event.kind == StreamFramer::Event::Kind::KeepAlivePing) {
                out.events.append(QByteArrayLiteral("<ping>"));
                return;
            }
            const QByteArrayView m = event.message;
            const bool inChunk = m.data() >= chunk.data() && m.data() + m.size() <= chunk.data() + chunk.size();
            if (m.isEmpty() || m.size() > limit || (!inChunk && m.size() > framer.bufferedBytes()))
                std::abort();
            if (m.front() == '\r' || m.front() == '\n')
                std::abort(); // line ends before a message are skipped
            out.events.append(m.toByteArray());
            out.missingLength.append(event.contentLengthMissing);
            if (auto parsed = SipMessage::parse(m, Framing::Stream)) {
                if (parsed->body().size() > m.size())
                    std::abort();
            }
        });
        if (framer.bufferedBytes() > limit)
            std::abort();
        if (!result) {
            out.error = result.error().message;
            if (framer.bufferedBytes() != 0 || framer.feed("x", [](const StreamFramer::Event &) { std::abort(); }))
                std::abort(); // errors are final
            break;
        }
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 2)
        return 0;
    const std::uint32_t seed = data[0] | (std::uint32_t(data[1]) << 8);
    const QByteArrayView stream(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));
    // Small limits reach the size checks with small inputs.
    const qsizetype limit = (data[0] & 3) == 0 ? SipMessage::kMaxSize : 64 + (seed % 2048);

    const Outcome whole = run(stream, limit, seed, stream.size());
    if (!(run(stream, limit, seed, 1 + (seed % 97)) == whole))
        std::abort();
    if (!(run(stream, limit, ~seed, 1 + (seed % 4096)) == whole))
        std::abort();
    if (stream.size() <= 2048 && !(run(stream, limit, seed, 1) == whole))
        std::abort();
    return 0;
}
