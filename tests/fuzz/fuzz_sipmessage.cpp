// libFuzzer target: SipMessage::parse on arbitrary bytes, as one datagram and as one stream
// message; whatever parses must serialise and parse again, and its response must be built;
// whatever does not goes through badRequestResponse() as the transport would.

#include "sip/badrequest.h"
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
        if (!message) {
            if (framing == Framing::Datagram) {
                const auto response = badRequestResponse(bytes, message.error().message.toUtf8());
                if (response && !response->startsWith("SIP/2.0 400 Bad Request\r\n"))
                    std::abort();
            }
            continue;
        }
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
        if (message->isRequest()) {
            const QByteArray response = MessageBuilder::responseTo(*message, 200, "tag")
                                            .stampTopVia("2001:db8::1", 5060)
                                            .serialize();
            // Made of validated parts only, so it parses (unless the Vias made it too large).
            const auto parsedResponse = SipMessage::parse(response, Framing::Stream);
            if (response.size() <= SipMessage::kMaxSize
                && (!parsedResponse || parsedResponse->callId() != message->callId()))
                std::abort();
            sum += std::size_t(response.size());
        }
        (void)sum;
    }
    return 0;
}
