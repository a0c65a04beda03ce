#include "ptzcommand.h"

using namespace Qt::StringLiterals;

namespace Vigil::Gb {

namespace {

constexpr std::uint8_t kHeader = 0xA5;
constexpr std::uint8_t kAddress = 0x01;

std::uint8_t checkNibble()
{
    // (byte1 high + byte1 low + byte2 high) mod 16, with version 0
    return std::uint8_t(((kHeader >> 4) + (kHeader & 0x0F) + 0) & 0x0F);
}

} // namespace

PtzCommand::PtzCommand(std::uint8_t instruction, std::uint8_t data1, std::uint8_t data2, std::uint8_t data3)
{
    m_bytes = {kHeader, checkNibble(), kAddress, instruction, data1, data2, std::uint8_t((data3 & 0x0F) << 4), 0};
    unsigned sum = 0;
    for (int i = 0; i < 7; ++i)
        sum += m_bytes[std::size_t(i)];
    m_bytes[7] = std::uint8_t(sum & 0xFF);
}

PtzCommand PtzCommand::stop()
{
    return PtzCommand(0x00, 0, 0, 0);
}

PtzCommand PtzCommand::move(std::uint8_t motion, std::uint8_t panSpeed, std::uint8_t tiltSpeed, std::uint8_t zoomSpeed)
{
    Q_ASSERT((motion & 0x3F) == motion);
    Q_ASSERT((motion & (PanLeft | PanRight)) != (PanLeft | PanRight));
    Q_ASSERT((motion & (TiltUp | TiltDown)) != (TiltUp | TiltDown));
    Q_ASSERT((motion & (ZoomIn | ZoomOut)) != (ZoomIn | ZoomOut));
    const bool pans = motion & (PanLeft | PanRight);
    const bool tilts = motion & (TiltUp | TiltDown);
    const bool zooms = motion & (ZoomIn | ZoomOut);
    return PtzCommand(std::uint8_t(motion & 0x3F), pans ? panSpeed : 0, tilts ? tiltSpeed : 0,
                      zooms ? std::uint8_t(zoomSpeed & 0x0F) : 0);
}

PtzCommand PtzCommand::focusIris(std::uint8_t lens, std::uint8_t focusSpeed, std::uint8_t irisSpeed)
{
    const bool focuses = lens & (FocusFar | FocusNear);
    const bool irises = lens & (IrisOpen | IrisClose);
    return PtzCommand(std::uint8_t(0x40 | (lens & 0x0F)), focuses ? focusSpeed : 0, irises ? irisSpeed : 0, 0);
}

PtzCommand PtzCommand::presetSet(std::uint8_t preset) { return PtzCommand(0x81, 0, preset, 0); }
PtzCommand PtzCommand::presetCall(std::uint8_t preset) { return PtzCommand(0x82, 0, preset, 0); }
PtzCommand PtzCommand::presetDelete(std::uint8_t preset) { return PtzCommand(0x83, 0, preset, 0); }
PtzCommand PtzCommand::cruiseAddPoint(std::uint8_t group, std::uint8_t preset) { return PtzCommand(0x84, group, preset, 0); }
PtzCommand PtzCommand::cruiseDeletePoint(std::uint8_t group, std::uint8_t preset) { return PtzCommand(0x85, group, preset, 0); }

PtzCommand PtzCommand::cruiseSetSpeed(std::uint8_t group, std::uint16_t speed)
{
    return PtzCommand(0x86, group, std::uint8_t(speed & 0xFF), std::uint8_t((speed >> 8) & 0x0F));
}

PtzCommand PtzCommand::cruiseSetDwell(std::uint8_t group, std::uint16_t dwellSec)
{
    return PtzCommand(0x87, group, std::uint8_t(dwellSec & 0xFF), std::uint8_t((dwellSec >> 8) & 0x0F));
}

PtzCommand PtzCommand::cruiseStart(std::uint8_t group) { return PtzCommand(0x88, group, 0, 0); }
PtzCommand PtzCommand::scan(std::uint8_t group, PtzScanMode mode) { return PtzCommand(0x89, group, std::uint8_t(mode), 0); }

PtzCommand PtzCommand::scanSetSpeed(std::uint8_t group, std::uint16_t speed)
{
    return PtzCommand(0x8A, group, std::uint8_t(speed & 0xFF), std::uint8_t((speed >> 8) & 0x0F));
}

PtzCommand PtzCommand::auxiliary(std::uint8_t switchNumber, bool on)
{
    return PtzCommand(on ? 0x8C : 0x8D, switchNumber, 0, 0);
}

Result<PtzCommand> PtzCommand::fromAction(QStringView action, int speed, int preset)
{
    if (speed < 0 || speed > 255)
        return fail(ErrorCode::InvalidArgument, tr("PTZ speed %1 is out of range; use 0 to 255.").arg(speed));
    const auto s = std::uint8_t(speed);
    const auto zoom = std::uint8_t(speed >> 4);
    struct Move {
        QStringView name;
        std::uint8_t bits;
    };
    static constexpr Move moves[] = {
        {u"up", TiltUp},          {u"down", TiltDown},          {u"left", PanLeft},
        {u"right", PanRight},     {u"upleft", TiltUp | PanLeft}, {u"upright", TiltUp | PanRight},
        {u"downleft", TiltDown | PanLeft}, {u"downright", TiltDown | PanRight},
        {u"zoomin", ZoomIn},      {u"zoomout", ZoomOut},
    };
    for (const Move &m : moves) {
        if (action == m.name)
            return move(m.bits, s, s, zoom);
    }
    if (action == u"focusnear")
        return focusIris(FocusNear, s, 0);
    if (action == u"focusfar")
        return focusIris(FocusFar, s, 0);
    if (action == u"irisopen")
        return focusIris(IrisOpen, 0, s);
    if (action == u"irisclose")
        return focusIris(IrisClose, 0, s);
    if (action == u"stop")
        return stop();
    if (action.startsWith(u"preset-")) {
        if (preset < 1 || preset > 255)
            return fail(ErrorCode::InvalidArgument, tr("Preset number %1 is out of range; use 1 to 255.").arg(preset));
        const auto p = std::uint8_t(preset);
        if (action == u"preset-set")
            return presetSet(p);
        if (action == u"preset-call")
            return presetCall(p);
        if (action == u"preset-delete")
            return presetDelete(p);
    }
    return fail(ErrorCode::InvalidArgument, tr("Unknown PTZ action \"%1\".").arg(action));
}

Result<PtzCommand> PtzCommand::fromHex(QStringView hex)
{
    hex = hex.trimmed();
    if (hex.size() != 16)
        return fail(ErrorCode::InvalidArgument, tr("PTZCmd \"%1\" does not have 16 hex digits.").arg(hex));
    PtzCommand command(0, 0, 0, 0);
    for (int i = 0; i < 8; ++i) {
        bool ok = false;
        const uint value = hex.sliced(i * 2, 2).toUInt(&ok, 16);
        if (!ok)
            return fail(ErrorCode::InvalidArgument, tr("PTZCmd \"%1\" is not hexadecimal.").arg(hex));
        command.m_bytes[std::size_t(i)] = std::uint8_t(value);
    }
    const auto &b = command.m_bytes;
    if (b[0] != kHeader)
        return fail(ErrorCode::InvalidArgument, tr("PTZCmd \"%1\" does not start with A5.").arg(hex));
    if ((b[1] & 0x0F) != ((((b[0] >> 4) + (b[0] & 0x0F) + (b[1] >> 4)) & 0x0F)))
        return fail(ErrorCode::InvalidArgument, tr("PTZCmd \"%1\" has a wrong check nibble.").arg(hex));
    unsigned sum = 0;
    for (int i = 0; i < 7; ++i)
        sum += b[std::size_t(i)];
    if ((sum & 0xFF) != b[7])
        return fail(ErrorCode::InvalidArgument, tr("PTZCmd \"%1\" has a wrong checksum.").arg(hex));
    const std::uint8_t op = b[3];
    const bool knownMove = op <= 0x3F && (op & 0x03) != 0x03 && (op & 0x0C) != 0x0C && (op & 0x30) != 0x30;
    const bool knownLens = (op & 0xF0) == 0x40;
    const bool knownOther = op >= 0x81 && op <= 0x8D && op != 0x8B;
    if (!knownMove && !knownLens && !knownOther)
        return fail(ErrorCode::Unsupported, tr("PTZCmd \"%1\" has an unknown instruction %2.")
                                                .arg(hex)
                                                .arg(QString::number(op, 16).toUpper()));
    return command;
}

PtzKind PtzCommand::kind() const noexcept
{
    const std::uint8_t op = m_bytes[3];
    if (op == 0)
        return PtzKind::Stop;
    if (op <= 0x3F)
        return PtzKind::Move;
    if ((op & 0xF0) == 0x40)
        return PtzKind::FocusIris;
    switch (op) {
    case 0x81: return PtzKind::PresetSet;
    case 0x82: return PtzKind::PresetCall;
    case 0x83: return PtzKind::PresetDelete;
    case 0x84: return PtzKind::CruiseAddPoint;
    case 0x85: return PtzKind::CruiseDeletePoint;
    case 0x86: return PtzKind::CruiseSetSpeed;
    case 0x87: return PtzKind::CruiseSetDwell;
    case 0x88: return PtzKind::CruiseStart;
    case 0x89: return PtzKind::Scan;
    case 0x8A: return PtzKind::ScanSetSpeed;
    case 0x8C: return PtzKind::AuxOn;
    case 0x8D: return PtzKind::AuxOff;
    default: return PtzKind::Stop;
    }
}

std::uint8_t PtzCommand::motion() const noexcept
{
    return kind() == PtzKind::Move ? std::uint8_t(m_bytes[3] & 0x3F) : 0;
}

std::uint8_t PtzCommand::lens() const noexcept
{
    return kind() == PtzKind::FocusIris ? std::uint8_t(m_bytes[3] & 0x0F) : 0;
}

QByteArray PtzCommand::toHex() const
{
    return QByteArray(reinterpret_cast<const char *>(m_bytes.data()), 8).toHex().toUpper();
}

QString PtzCommand::describe() const
{
    switch (kind()) {
    case PtzKind::Stop:
        return u"stop"_s;
    case PtzKind::Move: {
        QStringList parts;
        const std::uint8_t m = motion();
        if (m & TiltUp) parts << u"up"_s;
        if (m & TiltDown) parts << u"down"_s;
        if (m & PanLeft) parts << u"left"_s;
        if (m & PanRight) parts << u"right"_s;
        if (m & ZoomIn) parts << u"zoom-in"_s;
        if (m & ZoomOut) parts << u"zoom-out"_s;
        return u"%1 pan=%2 tilt=%3 zoom=%4"_s.arg(parts.join(u'+')).arg(panSpeed()).arg(tiltSpeed()).arg(zoomSpeed());
    }
    case PtzKind::FocusIris: {
        QStringList parts;
        const std::uint8_t l = lens();
        if (l & FocusNear) parts << u"focus-near"_s;
        if (l & FocusFar) parts << u"focus-far"_s;
        if (l & IrisOpen) parts << u"iris-open"_s;
        if (l & IrisClose) parts << u"iris-close"_s;
        if (parts.isEmpty())
            return u"focus/iris stop"_s;
        return u"%1 focus=%2 iris=%3"_s.arg(parts.join(u'+')).arg(focusSpeed()).arg(irisSpeed());
    }
    case PtzKind::PresetSet: return u"preset-set %1"_s.arg(preset());
    case PtzKind::PresetCall: return u"preset-call %1"_s.arg(preset());
    case PtzKind::PresetDelete: return u"preset-delete %1"_s.arg(preset());
    case PtzKind::CruiseAddPoint: return u"cruise %1 add preset %2"_s.arg(group()).arg(preset());
    case PtzKind::CruiseDeletePoint: return u"cruise %1 delete preset %2"_s.arg(group()).arg(preset());
    case PtzKind::CruiseSetSpeed: return u"cruise %1 speed %2"_s.arg(group()).arg(value12());
    case PtzKind::CruiseSetDwell: return u"cruise %1 dwell %2 s"_s.arg(group()).arg(value12());
    case PtzKind::CruiseStart: return u"cruise %1 start"_s.arg(group());
    case PtzKind::Scan: return u"scan %1 mode %2"_s.arg(group()).arg(int(scanMode()));
    case PtzKind::ScanSetSpeed: return u"scan %1 speed %2"_s.arg(group()).arg(value12());
    case PtzKind::AuxOn: return u"aux %1 on"_s.arg(auxSwitch());
    case PtzKind::AuxOff: return u"aux %1 off"_s.arg(auxSwitch());
    }
    return {};
}

} // namespace Vigil::Gb
