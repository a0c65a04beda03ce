#include "ptzstate.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace Vigil::CamSim {

namespace {

PtzPosition advanced(PtzPosition from, double panDegPerSec, double tiltDegPerSec, double zoomPerSec, double seconds)
{
    PtzPosition to = from;
    to.panDeg = std::fmod(from.panDeg + panDegPerSec * seconds, 360.0);
    if (to.panDeg < 0)
        to.panDeg += 360.0;
    to.tiltDeg = std::clamp(from.tiltDeg + tiltDegPerSec * seconds, PtzState::kMinTiltDeg, PtzState::kMaxTiltDeg);
    to.zoom = std::clamp(from.zoom + zoomPerSec * seconds, 1.0, PtzState::kMaxZoom);
    return to;
}

QString describePosition(const PtzPosition &position)
{
    return u"pan %1° tilt %2° zoom %3x"_s.arg(position.panDeg, 0, 'f', 1)
        .arg(position.tiltDeg, 0, 'f', 1)
        .arg(position.zoom, 0, 'f', 1);
}

} // namespace

PtzPosition PtzState::position(qint64 nowMs) const
{
    if (m_motion == 0 || nowMs <= m_sinceMs)
        return m_position;
    return advanced(m_position, m_panDegPerSec, m_tiltDegPerSec, m_zoomPerSec, double(nowMs - m_sinceMs) / 1000.0);
}

void PtzState::settle(qint64 nowMs)
{
    m_position = position(nowMs);
    m_sinceMs = nowMs;
}

std::optional<PtzPosition> PtzState::preset(int number) const
{
    const auto it = m_presets.constFind(number);
    if (it == m_presets.cend())
        return std::nullopt;
    return *it;
}

QString PtzState::apply(const Gb::PtzCommand &command, qint64 nowMs)
{
    settle(nowMs);
    ++m_commandCount;
    m_recent.append(command.toHex());
    if (m_recent.size() > kRecentCommands)
        m_recent.removeFirst();

    using Gb::PtzKind;
    switch (command.kind()) {
    case PtzKind::Stop:
        m_motion = 0;
        m_panDegPerSec = m_tiltDegPerSec = m_zoomPerSec = 0.0;
        return u"stop at %1"_s.arg(describePosition(m_position));
    case PtzKind::Move: {
        m_motion = command.motion();
        const double pan = command.panSpeed() * kMaxPanDegPerSec / 255.0;
        const double tilt = command.tiltSpeed() * kMaxTiltDegPerSec / 255.0;
        const double zoom = command.zoomSpeed() * kMaxZoomPerSec / 15.0;
        m_panDegPerSec = (m_motion & Gb::PanRight) ? pan : (m_motion & Gb::PanLeft) ? -pan : 0.0;
        m_tiltDegPerSec = (m_motion & Gb::TiltUp) ? tilt : (m_motion & Gb::TiltDown) ? -tilt : 0.0;
        m_zoomPerSec = (m_motion & Gb::ZoomIn) ? zoom : (m_motion & Gb::ZoomOut) ? -zoom : 0.0;
        if (m_motion == 0)
            return u"move with no direction: stop at %1"_s.arg(describePosition(m_position));
        return u"%1: pan %2°/s tilt %3°/s zoom %4x/s from %5"_s.arg(command.describe())
            .arg(m_panDegPerSec, 0, 'f', 1)
            .arg(m_tiltDegPerSec, 0, 'f', 1)
            .arg(m_zoomPerSec, 0, 'f', 2)
            .arg(describePosition(m_position));
    }
    case PtzKind::PresetSet:
        if (command.preset() == 0)
            return u"preset 0 is not a preset: ignored"_s;
        m_presets.insert(command.preset(), m_position);
        return u"preset %1 set at %2"_s.arg(command.preset()).arg(describePosition(m_position));
    case PtzKind::PresetCall: {
        const auto it = m_presets.constFind(command.preset());
        if (it == m_presets.cend())
            return u"preset %1 called but never set: staying at %2"_s.arg(command.preset()).arg(describePosition(m_position));
        m_motion = 0;
        m_panDegPerSec = m_tiltDegPerSec = m_zoomPerSec = 0.0;
        m_position = *it;
        return u"preset %1 called: now at %2"_s.arg(command.preset()).arg(describePosition(m_position));
    }
    case PtzKind::PresetDelete:
        return m_presets.remove(command.preset()) > 0 ? u"preset %1 deleted"_s.arg(command.preset())
                                                      : u"preset %1 deleted but never set"_s.arg(command.preset());
    case PtzKind::FocusIris:
    case PtzKind::CruiseAddPoint:
    case PtzKind::CruiseDeletePoint:
    case PtzKind::CruiseSetSpeed:
    case PtzKind::CruiseSetDwell:
    case PtzKind::CruiseStart:
    case PtzKind::Scan:
    case PtzKind::ScanSetSpeed:
    case PtzKind::AuxOn:
    case PtzKind::AuxOff:
        break;
    }
    return command.describe() + u" (accepted; the simulated head does not move for it)"_s;
}

} // namespace Vigil::CamSim
