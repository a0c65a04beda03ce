#pragma once

#include <QLatin1StringView>
#include <QStringList>

class QMimeData;

namespace Vigil::Ui {

/// Drag-and-drop payloads of the console: channels dragged from the device tree onto a video
/// tile, and a tile dragged onto another to swap them.
namespace ChannelMime {

/// Channel IDs, UTF-8, one per line.
inline constexpr QLatin1StringView kChannelsType("application/x-vigil-channels");
/// The index of a video tile, in decimal.
inline constexpr QLatin1StringView kTileType("application/x-vigil-tile");

/// New mime data (the caller owns it) carrying `channelIds`; plain text too.
QMimeData *encodeChannels(const QStringList &channelIds);
/// The channel IDs in `data`; empty when it carries none. Only 20-digit IDs are kept.
QStringList decodeChannels(const QMimeData *data);

QMimeData *encodeTile(int index);
/// The tile index in `data`, or -1.
int decodeTile(const QMimeData *data);

} // namespace ChannelMime

} // namespace Vigil::Ui
