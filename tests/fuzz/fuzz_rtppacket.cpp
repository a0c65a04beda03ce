// libFuzzer target: RtpPacket::parse on arbitrary bytes. Whatever parses must describe the
// packet exactly: header, CSRCs, extension, payload and padding add up to its size, and every
// view stays inside it.

#include "media/rtppacket.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Vigil::Media;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto header = RtpPacket::parseHeader(bytes);
    const auto packet = RtpPacket::parse(bytes);
    (void)isRtcpPacket(bytes);
    if (header.has_value() != packet.has_value())
        std::abort();
    if (!packet) {
        if (header.error().message.isEmpty())
            std::abort(); // every refusal says why
        return 0;
    }
    const RtpHeader &parsed = packet->header();
    const qsizetype fixed = RtpPacket::kFixedHeaderSize + 4 * qsizetype(parsed.csrcCount);
    if (parsed.payloadOffset < fixed || parsed.payloadSize < 0 || parsed.paddingSize < 0
        || parsed.payloadOffset + parsed.payloadSize + parsed.paddingSize != qsizetype(size))
        std::abort();
    if (parsed.hasExtension
        && (parsed.extensionOffset != fixed + 4 || parsed.extensionOffset + parsed.extensionSize != parsed.payloadOffset))
        std::abort();
    if (!parsed.hasExtension && parsed.payloadOffset != fixed)
        std::abort();
    if (parsed.paddingSize > 0 && std::uint8_t(bytes.back()) != parsed.paddingSize)
        std::abort();
    // Touch every view so that ASan sees any that point outside the buffer.
    unsigned sum = 0;
    for (char c : packet->payload())
        sum += std::uint8_t(c);
    for (char c : packet->extensionData())
        sum += std::uint8_t(c);
    for (int i = 0; i < packet->csrcCount(); ++i)
        sum += packet->csrc(i);
    (void)sum;
    return 0;
}
