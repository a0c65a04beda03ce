#pragma once

#include "media/mediatypes.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QtGlobal>

namespace Vigil::Media {

/// One compressed unit as the decoders take it: a video access unit in Annex-B form (start
/// codes, parameter sets in band, no extradata needed) or a piece of an audio elementary
/// stream (G.711 bytes, or one or more AAC ADTS frames).
///
/// The decoders' view of media/mediatypes.h's AccessUnit and AudioFrame, which the receive
/// path produces: fromAccessUnit() and fromAudioFrame() convert without copying the bytes.
struct EncodedFrame {
    enum class Codec {
        H264,
        H265,
        G711A, ///< ITU-T G.711 A-law, 8 kHz mono unless told otherwise
        G711U, ///< ITU-T G.711 µ-law
        Aac,   ///< AAC with ADTS headers
    };

    /// Value of pts90k/dts90k when the stream carried no timestamp (the same as mediatypes.h's).
    static constexpr qint64 kNoTimestamp = Media::kNoTimestamp;

    Codec codec = Codec::H264;
    QByteArray data;
    qint64 pts90k = kNoTimestamp; ///< presentation time, 90 kHz ticks (33 bits from PS)
    qint64 dts90k = kNoTimestamp; ///< decode time, 90 kHz ticks; kNoTimestamp when equal to the PTS
    bool keyFrame = false;        ///< IDR/IRAP access unit: decoding can start here

    /// The access unit as decoder input (its bytes are shared, not copied). Q_ASSERTs a known codec.
    static EncodedFrame fromAccessUnit(AccessUnit unit);
    /// The audio frame as decoder input (its bytes are shared, not copied). Q_ASSERTs a known codec.
    static EncodedFrame fromAudioFrame(AudioFrame frame);
};

/// True for the codecs VideoDecoder takes.
constexpr bool isVideo(EncodedFrame::Codec codec)
{
    return codec == EncodedFrame::Codec::H264 || codec == EncodedFrame::Codec::H265;
}

/// A short name for logs and statistics ("H.264", "G.711A", ...).
const char *codecName(EncodedFrame::Codec codec);

/// True when `accessUnit` holds a slice NAL unit decoding can start at: an H.264 IDR
/// (nal_unit_type 5) or an H.265 IRAP picture (BLA, IDR or CRA, types 16-21). Scans the
/// Annex-B start codes; never reads past the data.
bool containsRandomAccessPoint(EncodedFrame::Codec codec, QByteArrayView accessUnit);

} // namespace Vigil::Media
