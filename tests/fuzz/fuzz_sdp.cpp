// libFuzzer target: SessionDescription::parse and MediaSdp on arbitrary bytes. What parses must
// write and parse again to the same description; a MediaSdp read from it must write an SDP that
// parses to the same media fields, and a device answer to an offer must agree on the transport.

#include "gb28181/sdp.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Vigil::Gb;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto parsed = SessionDescription::parse(bytes);
    if (!parsed)
        return 0;

    const QByteArray written = parsed->serialize();
    if (written.size() <= SessionDescription::kMaxBytes) {
        const auto again = SessionDescription::parse(written);
        if (!again || again->serialize() != written)
            std::abort();
    }

    const auto media = MediaSdp::fromDescription(*parsed);
    if (!media)
        return 0;
    // An unknown transport is written as RTP/AVP: what we send is always something devices know.
    const SdpProtocol protocol = media->protocol == SdpProtocol::Other ? SdpProtocol::RtpAvp : media->protocol;
    const auto mediaAgain = MediaSdp::parse(media->serialize());
    if (!mediaAgain || mediaAgain->port != media->port || mediaAgain->protocol != protocol
        || mediaAgain->ssrc != media->ssrc || mediaAgain->address != media->address
        || mediaAgain->platformTransport() != media->platformTransport())
        std::abort();

    if (media->direction != SdpDirection::SendOnly) { // an offer: answer it as a device would
        const MediaSdp answer = MediaSdp::answerTo(*media, "34020000001310000001", media->address, 15060, media->ssrc);
        const auto answerAgain = MediaSdp::parse(answer.serialize());
        if (!answerAgain || answerAgain->platformTransport() != media->platformTransport())
            std::abort();
    }
    (void)inviteSubject("34020000001310000001", media->ssrc.value_or(Ssrc()), media->ownerId);
    return 0;
}
