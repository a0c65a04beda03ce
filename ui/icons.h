#pragma once

#include <QIcon>
#include <QList>
#include <QRect>

#include <cstdint>

namespace Vigil::Ui {

/// The console's icons, drawn with QPainter at whatever size is asked (sharp on high-DPI
/// screens, no image files to license). Cached per size. GUI thread.
namespace Icons {

/// What a tree entry is, for its icon.
enum class Node : std::uint8_t {
    Device,      ///< NVR, DVR, IPC registered to us
    Platform,    ///< a lower platform
    SubDevice,   ///< a device listed in a platform's catalog
    Region,
    Group,       ///< business group
    Organization, ///< virtual organisation
    Camera,
    DomeCamera,  ///< PTZ types 1 and 2
    AlarmInput,
    Other,
};

/// The status badge in the corner.
enum class Status : std::uint8_t { None, Online, Offline, Streaming };

QIcon node(Node kind, Status status);
/// A layout of `gridSize` × `gridSize` cells; `cells` are in cell units.
QIcon layout(int gridSize, const QList<QRect> &cells);
QIcon snapshot();
QIcon maximize();
QIcon closeAll();
QIcon fullScreen();
QIcon settings();
QIcon application();

/// PTZ panel: an arrow pointing at `angleDeg` (0 = right, 90 = up).
QIcon arrow(int angleDeg);
QIcon stop();
QIcon plus();
QIcon minus();

} // namespace Icons

} // namespace Vigil::Ui
