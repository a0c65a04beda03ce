// libFuzzer target: RtpTcpFramer on an arbitrary byte stream. The first bytes choose the options
// and the seed of a random chunking; the stream is framed once whole and once in random pieces,
// and both must give the same packets, the same framing and the same counters. Every packet
// must be within the options' limits and, unless RTCP, parse as RTP.

#include "media/rtppacket.h"
#include "media/rtptcpframer.h"

#include <QList>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <random>

using namespace Vigil::Media;

namespace {

struct Run {
    QList<QByteArray> packets;
    QList<int> channels;
    RtpTcpFramerStats stats;
    RtpTcpFraming framing = RtpTcpFraming::Auto;
};

Run frame(const RtpTcpFramer::Options &options, QByteArrayView stream, std::uint32_t seed, bool chunked)
{
    Run run;
    RtpTcpFramer framer(options, [&](const RtpTcpFramer::Frame &frame) {
        if (frame.packet.size() > options.maxPacketSize || frame.packet.size() < 8)
            std::abort();
        if (!frame.rtcp && !RtpPacket::parseHeader(frame.packet))
            std::abort();
        if ((frame.framing == RtpTcpFraming::Rfc4571) != (frame.channel < 0))
            std::abort();
        run.packets.append(frame.packet.toByteArray());
        run.channels.append(frame.channel);
    });
    std::minstd_rand random(seed);
    for (qsizetype pos = 0; pos < stream.size();) {
        const qsizetype size = chunked ? std::min<qsizetype>(1 + qsizetype(random() % 700), stream.size() - pos)
                                       : stream.size();
        framer.feed(stream.sliced(pos, size));
        pos += size;
        if (framer.bufferedBytes() > 4 * 65540)
            std::abort(); // what is held stays bounded
    }
    run.stats = framer.stats();
    run.framing = framer.framing();
    return run;
}

bool same(const RtpTcpFramerStats &a, const RtpTcpFramerStats &b)
{
    return a.rtpPackets == b.rtpPackets && a.rtcpPackets == b.rtcpPackets && a.resyncs == b.resyncs
        && a.bytesSkipped == b.bytesSkipped && a.ssrcChanges == b.ssrcChanges;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 6)
        return 0;
    RtpTcpFramer::Options options;
    options.framing = RtpTcpFraming(data[0] % 3);
    options.maxPacketSize = (data[1] & 0x80) ? 65535 : 12 + qsizetype(data[1]) * 16;
    if (data[2] & 1)
        options.ssrc = (std::uint32_t(data[3]) << 24) | (std::uint32_t(data[4]) << 16) | data[5];
    const std::uint32_t seed = data[2];
    const QByteArrayView stream(reinterpret_cast<const char *>(data) + 6, qsizetype(size) - 6);
    const Run whole = frame(options, stream, seed, false);
    const Run chunked = frame(options, stream, seed, true);
    if (whole.packets != chunked.packets || whole.channels != chunked.channels || !same(whole.stats, chunked.stats)
        || whole.framing != chunked.framing)
        std::abort(); // the result must not depend on how the stream was read
    return 0;
}
