#pragma once

#include <QImage>
#include <QMatrix3x3>
#include <QVector3D>

#include <array>
#include <cstdint>
#include <memory>

namespace Vigil::Ui {

/// The matrix that turns a frame's YUV into RGB.
enum class YuvMatrix : std::uint8_t { Bt601, Bt709 };
/// Limited ("TV": Y 16-235, U/V 16-240) or full ("JPEG": 0-255) sample range.
enum class YuvRange : std::uint8_t { Limited, Full };

/// One picture as three 8-bit planes, 4:2:0: Y at full size, U and V at half width and half
/// height (rounded up). What a video tile uploads as three textures and converts in a shader.
///
/// Immutable once handed to a LatestFrameSlot, and safe to read from any thread. The planes
/// either belong to the frame (allocate()) or to whatever `owner` keeps alive (wrap()): the
/// decoder's frames are wrapped without copying the pixels.
class YuvFrame {
public:
    static constexpr int kPlaneCount = 3;
    /// Largest width and height accepted (8K is 7680 × 4320).
    static constexpr int kMaxSize = 16384;

    /// A frame with its own buffers, all samples zero; fill them through planeData() before
    /// publishing it. Null when the size is not positive.
    static std::shared_ptr<YuvFrame> allocate(int width, int height, YuvMatrix matrix = YuvMatrix::Bt601,
                                              YuvRange range = YuvRange::Limited);
    /// A frame over planes someone else owns; `owner` is kept alive as long as the frame is.
    /// Strides are bytes from one row to the next, at least planeWidth(). Null on bad sizes.
    static std::shared_ptr<const YuvFrame> wrap(int width, int height, const std::array<const uchar *, 3> &planes,
                                                const std::array<int, 3> &strides, YuvMatrix matrix,
                                                YuvRange range, std::shared_ptr<const void> owner);

    int width() const noexcept { return m_width; }
    int height() const noexcept { return m_height; }
    YuvMatrix matrix() const noexcept { return m_matrix; }
    YuvRange range() const noexcept { return m_range; }
    const uchar *plane(int index) const noexcept { return m_planes[std::size_t(index)]; }
    int stride(int index) const noexcept { return m_strides[std::size_t(index)]; }
    /// Samples per row: width() for Y, (width() + 1) / 2 for U and V.
    int planeWidth(int index) const noexcept { return index == 0 ? m_width : (m_width + 1) / 2; }
    /// Rows: height() for Y, (height() + 1) / 2 for U and V.
    int planeHeight(int index) const noexcept { return index == 0 ? m_height : (m_height + 1) / 2; }
    /// Writable samples of an allocate()d frame (null for wrapped frames).
    uchar *planeData(int index) noexcept;

    /// The picture as RGB at its own size (for snapshots), converted like the shader does.
    QImage toImage() const;

    /// What the shader subtracts from (Y, U, V) sampled as 0..1 ...
    static QVector3D offsets(YuvRange range);
    /// ... and the matrix it multiplies the result with to get (R, G, B) in 0..1.
    static QMatrix3x3 toRgb(YuvMatrix matrix, YuvRange range);

private:
    YuvFrame() = default;
    /// The frame's header; null on bad sizes.
    static std::shared_ptr<YuvFrame> create(int width, int height, YuvMatrix matrix, YuvRange range);

    int m_width = 0;
    int m_height = 0;
    YuvMatrix m_matrix = YuvMatrix::Bt601;
    YuvRange m_range = YuvRange::Limited;
    std::array<const uchar *, 3> m_planes{};
    std::array<int, 3> m_strides{};
    std::unique_ptr<uchar[]> m_buffer;     ///< allocate(): all three planes
    std::shared_ptr<const void> m_owner;  ///< wrap(): whatever keeps the planes alive
};

} // namespace Vigil::Ui
