#include "encodedframe.h"

#include <QByteArrayView>

#include <utility>

namespace Vigil::Media {

const char *codecName(EncodedFrame::Codec codec)
{
    switch (codec) {
    case EncodedFrame::Codec::H264: return "H.264";
    case EncodedFrame::Codec::H265: return "H.265";
    case EncodedFrame::Codec::G711A: return "G.711A";
    case EncodedFrame::Codec::G711U: return "G.711U";
    case EncodedFrame::Codec::Aac: return "AAC";
    }
    return "unknown";
}

EncodedFrame EncodedFrame::fromAccessUnit(AccessUnit unit)
{
    Q_ASSERT(unit.codec != VideoCodec::Unknown);
    return EncodedFrame{unit.codec == VideoCodec::H265 ? Codec::H265 : Codec::H264, std::move(unit.data),
                        unit.pts90k, unit.dts90k, unit.keyFrame};
}

EncodedFrame EncodedFrame::fromAudioFrame(AudioFrame frame)
{
    Q_ASSERT(frame.codec != AudioCodec::Unknown);
    const Codec codec = frame.codec == AudioCodec::G711U ? Codec::G711U
        : frame.codec == AudioCodec::Aac                 ? Codec::Aac
                                                         : Codec::G711A;
    return EncodedFrame{codec, std::move(frame.data), frame.pts90k, kNoTimestamp, true};
}

bool containsRandomAccessPoint(EncodedFrame::Codec codec, QByteArrayView accessUnit)
{
    const auto *data = reinterpret_cast<const uchar *>(accessUnit.data());
    const qsizetype size = accessUnit.size();
    // i + 3 < size: a start code 00 00 01 followed by at least the first NAL header byte.
    for (qsizetype i = 0; i + 3 < size; ++i) {
        if (data[i] != 0 || data[i + 1] != 0 || data[i + 2] != 1)
            continue;
        const uchar header = data[i + 3];
        if (codec == EncodedFrame::Codec::H264) {
            if ((header & 0x1F) == 5)
                return true;
        } else if (codec == EncodedFrame::Codec::H265) {
            const int type = (header >> 1) & 0x3F;
            if (type >= 16 && type <= 21)
                return true;
        } else {
            return false;
        }
        i += 2;
    }
    return false;
}

} // namespace Vigil::Media
