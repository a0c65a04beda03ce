#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <array>
#include <cstdint>

namespace Vigil::Gb {

/// What a PTZ command does, from its instruction byte (GB/T 28181-2016 A.3).
enum class PtzKind : std::uint8_t {
    Stop,            ///< all motion stops (also ends cruise and scan)
    Move,            ///< pan/tilt/zoom, see PtzMotion bits
    FocusIris,       ///< focus and iris, see PtzLens bits; no bits = focus/iris stop
    PresetSet,
    PresetCall,
    PresetDelete,
    CruiseAddPoint,
    CruiseDeletePoint,
    CruiseSetSpeed,
    CruiseSetDwell,
    CruiseStart,
    Scan,            ///< start auto scan or set a border, see scanMode()
    ScanSetSpeed,
    AuxOn,
    AuxOff,
};

/// Bits of a Move instruction (byte 4).
enum PtzMotion : std::uint8_t {
    PanRight = 0x01,
    PanLeft = 0x02,
    TiltDown = 0x04,
    TiltUp = 0x08,
    ZoomIn = 0x10,  ///< tele
    ZoomOut = 0x20, ///< wide
};

/// Bits of a FocusIris instruction (byte 4, low nibble).
enum PtzLens : std::uint8_t {
    FocusFar = 0x01,
    FocusNear = 0x02,
    IrisOpen = 0x04,
    IrisClose = 0x08,
};

enum class PtzScanMode : std::uint8_t { Start = 0, SetLeftBorder = 1, SetRightBorder = 2 };

/// An 8-byte GB/T 28181 PTZCmd: A5 0F <addr> <instruction> <data1> <data2> <data3|addrHigh> <sum>.
/// Value type; encode with toHex() for a DeviceControl body, decode what devices or tests send
/// with fromHex() (check nibble and checksum verified).
class PtzCommand {
    Q_DECLARE_TR_FUNCTIONS(Vigil::Gb::PtzCommand)

public:
    static PtzCommand stop();
    /// `motion` is a combination of PtzMotion bits; opposite directions must not both be set.
    /// Zoom speed is 0-15 (the high nibble of byte 7).
    static PtzCommand move(std::uint8_t motion, std::uint8_t panSpeed, std::uint8_t tiltSpeed,
                           std::uint8_t zoomSpeed);
    /// `lens` is a combination of PtzLens bits; 0 stops focus and iris.
    static PtzCommand focusIris(std::uint8_t lens, std::uint8_t focusSpeed, std::uint8_t irisSpeed);
    static PtzCommand presetSet(std::uint8_t preset);
    static PtzCommand presetCall(std::uint8_t preset);
    static PtzCommand presetDelete(std::uint8_t preset);
    static PtzCommand cruiseAddPoint(std::uint8_t group, std::uint8_t preset);
    /// preset 0 deletes the whole cruise group.
    static PtzCommand cruiseDeletePoint(std::uint8_t group, std::uint8_t preset);
    /// 12-bit speed (0-4095).
    static PtzCommand cruiseSetSpeed(std::uint8_t group, std::uint16_t speed);
    /// 12-bit dwell time in seconds (0-4095).
    static PtzCommand cruiseSetDwell(std::uint8_t group, std::uint16_t dwellSec);
    static PtzCommand cruiseStart(std::uint8_t group);
    static PtzCommand scan(std::uint8_t group, PtzScanMode mode);
    static PtzCommand scanSetSpeed(std::uint8_t group, std::uint16_t speed);
    static PtzCommand auxiliary(std::uint8_t switchNumber, bool on);

    /// The commands of vigild's API and the console's panel: "up", "down", "left", "right",
    /// "upleft", "upright", "downleft", "downright", "zoomin", "zoomout", "focusnear", "focusfar",
    /// "irisopen", "irisclose", "stop", "preset-set", "preset-call", "preset-delete".
    /// `speed` is 0-255 for every axis (zoom uses its top 4 bits); `preset` 1-255.
    static Result<PtzCommand> fromAction(QStringView action, int speed, int preset);

    /// Parses 16 hex digits (either case, surrounding spaces ignored) and checks the header,
    /// the check nibble and the checksum.
    static Result<PtzCommand> fromHex(QStringView hex);

    PtzKind kind() const noexcept;
    std::uint8_t instruction() const noexcept { return m_bytes[3]; }
    std::uint8_t motion() const noexcept;  ///< PtzMotion bits (Move)
    std::uint8_t lens() const noexcept;    ///< PtzLens bits (FocusIris)
    std::uint8_t panSpeed() const noexcept { return m_bytes[4]; }
    std::uint8_t tiltSpeed() const noexcept { return m_bytes[5]; }
    std::uint8_t zoomSpeed() const noexcept { return m_bytes[6] >> 4; }
    std::uint8_t focusSpeed() const noexcept { return m_bytes[4]; }
    std::uint8_t irisSpeed() const noexcept { return m_bytes[5]; }
    std::uint8_t preset() const noexcept { return m_bytes[5]; }
    std::uint8_t group() const noexcept { return m_bytes[4]; }
    /// 12-bit value of cruise/scan speed and dwell commands.
    std::uint16_t value12() const noexcept { return std::uint16_t(m_bytes[5] | ((m_bytes[6] >> 4) << 8)); }
    PtzScanMode scanMode() const noexcept { return PtzScanMode(m_bytes[5]); }
    std::uint8_t auxSwitch() const noexcept { return m_bytes[4]; }

    const std::array<std::uint8_t, 8> &bytes() const noexcept { return m_bytes; }
    /// 16 upper-case hex digits.
    QByteArray toHex() const;
    /// For logs: "up tilt=128", "preset-call 5"...
    QString describe() const;

    friend bool operator==(const PtzCommand &, const PtzCommand &) = default;

private:
    PtzCommand(std::uint8_t instruction, std::uint8_t data1, std::uint8_t data2, std::uint8_t data3);

    std::array<std::uint8_t, 8> m_bytes{};
};

} // namespace Vigil::Gb
