// libFuzzer target: ReorderBuffer driven by arbitrary arrivals. Each 4-byte record is one
// packet: a sequence step (signed, so reordering, repeats and jumps all happen), an SSRC choice
// and a time step; the first bytes choose the options. What comes out must be in sequence within
// each stream, say truthfully how many were lost before it, and every packet must be accounted
// for exactly once.

#include "media/reorderbuffer.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>

using namespace Vigil::Media;

namespace {

RtpPacket makePacket(std::uint16_t sequence, std::uint32_t ssrc)
{
    QByteArray bytes(12, '\0');
    bytes[0] = char(0x80);
    bytes[1] = char(96);
    bytes[2] = char(sequence >> 8);
    bytes[3] = char(sequence & 0xFF);
    bytes[8] = char(ssrc >> 24);
    bytes[9] = char(ssrc >> 16);
    bytes[10] = char(ssrc >> 8);
    bytes[11] = char(ssrc);
    return *RtpPacket::parse(bytes);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 4)
        return 0;
    ReorderBuffer::Options options;
    options.maxPackets = 1 + data[0] % 64;
    options.maxHoldMs = data[1] % 200;
    options.maxDropout = 1 + data[2] * 16;
    options.maxMisorder = data[3];

    std::optional<std::uint16_t> last;
    std::uint32_t streamSsrc = 0;
    std::uint64_t released = 0;
    ReorderBuffer buffer(options, [&](const RtpPacket &packet, Continuity continuity, std::uint32_t lostBefore) {
        ++released;
        if (continuity == Continuity::StreamStart) {
            if (lostBefore != 0)
                std::abort();
            streamSsrc = packet.ssrc();
        } else {
            if (!last || packet.ssrc() != streamSsrc)
                std::abort(); // a new stream must announce itself
            const auto step = std::uint16_t(packet.sequence() - *last);
            if (step != lostBefore + 1 || (continuity == Continuity::Gap) != (lostBefore > 0))
                std::abort();
        }
        last = packet.sequence();
    });

    std::uint16_t sequence = 1000;
    qint64 nowMs = 0;
    for (std::size_t pos = 4; pos + 4 <= size; pos += 4) {
        sequence = std::uint16_t(sequence + std::int16_t(std::uint16_t(data[pos] | (data[pos + 1] << 8))) % 64 + 1);
        if (data[pos] == 0xFF)
            sequence = std::uint16_t(sequence + 20000); // a big jump now and then
        const std::uint32_t ssrc = 0x0BEBC201 + (data[pos + 2] >> 6);
        nowMs += data[pos + 3] % 32;
        buffer.push(makePacket(sequence, ssrc), nowMs);
        if (data[pos + 3] & 0x80) {
            buffer.poll(nowMs);
            if (const auto deadline = buffer.nextDeadlineMs(); deadline && *deadline <= nowMs)
                std::abort(); // poll() left something that was due
        }
    }
    buffer.flush();
    const ReorderStats &stats = buffer.stats();
    if (released != stats.released || buffer.heldPackets() != 0)
        std::abort();
    const std::uint64_t accounted = stats.released + stats.duplicates + stats.late + stats.discarded;
    if (stats.received < accounted || stats.received - accounted > 1) // 1: a stray still on probation
        std::abort();
    return 0;
}
