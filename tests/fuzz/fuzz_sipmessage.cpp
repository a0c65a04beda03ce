// libFuzzer target: SipMessage::parse on arbitrary bytes, as one datagram and as one stream
// message; whatever parses must serialise and parse again.

#include "sip/messagebuilder.h"
#include "sip/sipmessage.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Vigil::Sip;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    for (Framing framing : {Framing::Datagram, Framing::Stream}) {
        const auto message = SipMessage::parse(bytes, framing);
        if (!message)
            continue;
        // Touch every view so that ASan sees any that point outside the buffer.
        std::size_t sum = 0;
        for (const HeaderField &field : message->headers())
            sum += std::size_t(field.name.size() + field.value.size());
        sum += std::size_t(message->body().size() + message->topVia().branch.size() + message->from().tag().size());
        for (const auto &contact : message->contacts())
            sum += std::size_t(contact.uri.host.size());
        const QByteArray canonical = MessageBuilder::copyOf(*message).serialize();
        const auto again = SipMessage::parse(canonical, Framing::Stream);
        if (!again || again->callId() != message->callId() || again->cseq().number != message->cseq().number)
            std::abort(); // what we write must be what we read
        (void)sum;
    }
    return 0;
}
