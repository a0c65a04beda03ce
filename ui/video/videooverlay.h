#pragma once

#include <QImage>
#include <QList>
#include <QRect>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace Vigil::Ui {

/// What a tile writes over its picture.
struct VideoOverlay {
    /// How the state text is coloured.
    enum class Tone : std::uint8_t { Neutral, Busy, Warning, Error };

    QString title;          ///< channel name, top left
    QString stateText;      ///< centred ("Connecting…", "No video for 5 s"...); empty while playing
    Tone tone = Tone::Neutral;
    QStringList statsLines; ///< bottom left (while the pointer is over the tile)
    bool dimPicture = false; ///< the picture is not live: darken it

    friend bool operator==(const VideoOverlay &, const VideoOverlay &) = default;
};

/// An overlay drawn for one tile size: a transparent image the tile's size (device pixels,
/// premultiplied RGBA) and the parts of it that are not transparent, so that only those are
/// blended over the picture.
struct OverlayImage {
    QImage image;
    QList<QRect> parts;

    /// Draws `overlay` for a tile of `size` (logical pixels) at `devicePixelRatio`.
    static OverlayImage paint(const VideoOverlay &overlay, QSize size, qreal devicePixelRatio);
};

} // namespace Vigil::Ui
