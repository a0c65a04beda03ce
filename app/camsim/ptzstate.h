#pragma once

#include "gb28181/ptzcommand.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <cstdint>
#include <optional>

namespace Vigil::CamSim {

/// Where a simulated head points: pan in degrees [0, 360), tilt in degrees [kMinTiltDeg,
/// kMaxTiltDeg] (negative is down), zoom as a magnification [1, kMaxZoom].
struct PtzPosition {
    double panDeg = 0.0;
    double tiltDeg = 0.0;
    double zoom = 1.0;

    friend bool operator==(const PtzPosition &, const PtzPosition &) = default;
};

/// The pan/tilt/zoom head of one simulated channel, driven by GB/T 28181 PTZCmd (2016 A.3).
///
/// Move commands start a continuous motion that lasts until Stop (or a preset call), like a real
/// dome: pan and tilt speeds 0-255 map linearly to 0..kMaxPanDegPerSec / kMaxTiltDegPerSec,
/// zoom speed 0-15 to 0..kMaxZoomPerSec. position() integrates the motion up to the time asked.
/// Presets 1-255 store and recall positions. Focus/iris, cruise, scan and auxiliary switches are
/// accepted and recorded but move nothing. Every command's hex is kept (the last
/// kRecentCommands) so that tests can see exactly what arrived.
///
/// Times are monotonic milliseconds passed in by the caller. Value type; not thread-safe.
class PtzState {
public:
    static constexpr double kMaxPanDegPerSec = 60.0;
    static constexpr double kMaxTiltDegPerSec = 30.0;
    static constexpr double kMaxZoomPerSec = 4.0;
    static constexpr double kMinTiltDeg = -90.0;
    static constexpr double kMaxTiltDeg = 20.0;
    static constexpr double kMaxZoom = 30.0;
    static constexpr int kRecentCommands = 32;

    /// Applies `command` as of `nowMs` and returns one line for the log saying what it did
    /// ("pan right at 30.0°/s", "preset 5 set at pan 12.0° tilt -3.0° zoom 1.0x").
    QString apply(const Gb::PtzCommand &command, qint64 nowMs);

    PtzPosition position(qint64 nowMs) const;
    /// PtzMotion bits of the motion in progress; 0 when still.
    std::uint8_t motion() const noexcept { return m_motion; }
    std::optional<PtzPosition> preset(int number) const;
    QList<int> presetNumbers() const { return m_presets.keys(); }
    /// Hex of the commands received, oldest first, at most kRecentCommands.
    const QList<QByteArray> &recentCommands() const noexcept { return m_recent; }
    /// Commands received in all.
    qint64 commandCount() const noexcept { return m_commandCount; }

private:
    void settle(qint64 nowMs);

    PtzPosition m_position;
    std::uint8_t m_motion = 0;
    double m_panDegPerSec = 0.0;  ///< signed: positive is right
    double m_tiltDegPerSec = 0.0; ///< signed: positive is up
    double m_zoomPerSec = 0.0;    ///< signed: positive is in
    qint64 m_sinceMs = 0;
    QMap<int, PtzPosition> m_presets;
    QList<QByteArray> m_recent;
    qint64 m_commandCount = 0;
};

} // namespace Vigil::CamSim
