// libFuzzer target: StreamAssembler (SSRC check, reorder buffer, PS demuxer, access-unit
// splitter and the marker/PTS logic that joins them) driven by arbitrary RTP packets.
//
// The first byte chooses the options; then each record is [flags][2-byte length][payload]:
// flags bit 0 the marker, bits 1-2 the SSRC (0 the expected one), bits 3-5 the sequence step
// (loss, reordering and duplicates), bit 6 a time step of 50 ms with a poll, bit 7 payload
// type 98. What comes out must be whole access units of a known codec within the size limit,
// and the counters must agree with what the callbacks saw.

#include "media/rtppacket.h"
#include "media/streamassembler.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Vigil::Media;

namespace {

constexpr std::uint32_t kSsrc = 0x0BEBC201;
constexpr qsizetype kMaxAccessUnitBytes = 256 * 1024;

RtpPacket makePacket(std::uint8_t flags, std::uint16_t sequence, std::uint32_t timestamp, QByteArrayView payload)
{
    const std::uint32_t ssrc = kSsrc + ((flags >> 1) & 0x03);
    QByteArray bytes(12, '\0');
    bytes[0] = char(0x80);
    bytes[1] = char(((flags & 0x01) ? 0x80 : 0) | ((flags & 0x80) ? 98 : 96));
    bytes[2] = char(sequence >> 8);
    bytes[3] = char(sequence & 0xFF);
    for (int i = 0; i < 4; ++i) {
        bytes[4 + i] = char(timestamp >> (24 - 8 * i));
        bytes[8 + i] = char(ssrc >> (24 - 8 * i));
    }
    bytes.append(payload);
    return *RtpPacket::parse(bytes);
}

bool startsWithStartCode(const QByteArray &data)
{
    return data.startsWith(QByteArrayView("\x00\x00\x01", 3)) || data.startsWith(QByteArrayView("\x00\x00\x00\x01", 4));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    StreamAssembler::Options options;
    options.ssrcCheck = SsrcCheck(data[0] % 3);
    if (data[0] & 0x04)
        options.expectedSsrc = kSsrc;
    options.reorder.maxHoldMs = (data[0] >> 3) * 8;
    options.reorder.maxPackets = 64;
    options.maxAccessUnitBytes = kMaxAccessUnitBytes;

    std::uint64_t units = 0;
    std::uint64_t audio = 0;
    StreamAssembler assembler(options,
                              StreamAssembler::Handlers{
                                  [&](AccessUnit &&unit) {
                                      ++units;
                                      if (unit.codec == VideoCodec::Unknown || unit.data.isEmpty()
                                          || unit.data.size() > kMaxAccessUnitBytes || !startsWithStartCode(unit.data))
                                          std::abort();
                                  },
                                  [] {},
                                  [&](AudioFrame &&frame) {
                                      ++audio;
                                      if (frame.codec == AudioCodec::Unknown || frame.data.isEmpty())
                                          std::abort();
                                  },
                                  [](PsContent) {},
                                  [](const PsStreamInfo &) {},
                              });

    std::uint16_t sequence = 65000;
    std::uint32_t timestamp = 0;
    qint64 nowMs = 0;
    std::size_t pos = 1;
    while (pos + 3 <= size) {
        const std::uint8_t flags = data[pos];
        const std::size_t length = std::min<std::size_t>((std::size_t(data[pos + 1]) << 8) | data[pos + 2], size - pos - 3);
        const QByteArrayView payload(reinterpret_cast<const char *>(data + pos + 3), qsizetype(length));
        pos += 3 + length;
        switch ((flags >> 3) & 0x07) {
        case 1: sequence += 2; break;             // one lost
        case 2: sequence -= 1; break;             // late or reordered
        case 3: break;                            // duplicate
        default: ++sequence; break;
        }
        if (flags & 0x01)
            timestamp += 3600;
        if (flags & 0x40) {
            nowMs += 50;
            assembler.poll(nowMs);
        }
        assembler.push(makePacket(flags, sequence, timestamp, payload), nowMs);
    }
    assembler.finish();

    const StreamAssemblerStats stats = assembler.stats();
    if (stats.accessUnits != units || stats.audioFrames != audio)
        std::abort();
    return 0;
}
