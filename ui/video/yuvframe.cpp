#include "yuvframe.h"

#include <algorithm>
#include <cmath>

namespace Vigil::Ui {

std::shared_ptr<YuvFrame> YuvFrame::create(int width, int height, YuvMatrix matrix, YuvRange range)
{
    if (width <= 0 || height <= 0 || width > kMaxSize || height > kMaxSize)
        return nullptr;
    std::shared_ptr<YuvFrame> frame(new YuvFrame);
    frame->m_width = width;
    frame->m_height = height;
    frame->m_matrix = matrix;
    frame->m_range = range;
    return frame;
}

std::shared_ptr<YuvFrame> YuvFrame::allocate(int width, int height, YuvMatrix matrix, YuvRange range)
{
    std::shared_ptr<YuvFrame> frame = create(width, height, matrix, range);
    if (!frame)
        return nullptr;
    const std::size_t ySize = std::size_t(width) * std::size_t(height);
    const std::size_t cWidth = std::size_t(width + 1) / 2;
    const std::size_t cSize = cWidth * std::size_t(height + 1) / 2;
    frame->m_buffer = std::make_unique<uchar[]>(ySize + 2 * cSize);
    uchar *base = frame->m_buffer.get();
    frame->m_planes = {base, base + ySize, base + ySize + cSize};
    frame->m_strides = {width, int(cWidth), int(cWidth)};
    return frame;
}

std::shared_ptr<const YuvFrame> YuvFrame::wrap(int width, int height, const std::array<const uchar *, 3> &planes,
                                               const std::array<int, 3> &strides, YuvMatrix matrix, YuvRange range,
                                               std::shared_ptr<const void> owner)
{
    std::shared_ptr<YuvFrame> frame = create(width, height, matrix, range);
    if (!frame)
        return nullptr;
    for (int i = 0; i < kPlaneCount; ++i) {
        if (!planes[std::size_t(i)] || strides[std::size_t(i)] < frame->planeWidth(i))
            return nullptr;
    }
    frame->m_planes = planes;
    frame->m_strides = strides;
    frame->m_owner = std::move(owner);
    return frame;
}

uchar *YuvFrame::planeData(int index) noexcept
{
    return m_buffer ? const_cast<uchar *>(m_planes[std::size_t(index)]) : nullptr;
}

QVector3D YuvFrame::offsets(YuvRange range)
{
    constexpr float chroma = 128.0f / 255.0f;
    return range == YuvRange::Limited ? QVector3D(16.0f / 255.0f, chroma, chroma) : QVector3D(0.0f, chroma, chroma);
}

QMatrix3x3 YuvFrame::toRgb(YuvMatrix matrix, YuvRange range)
{
    const float kr = matrix == YuvMatrix::Bt709 ? 0.2126f : 0.299f;
    const float kb = matrix == YuvMatrix::Bt709 ? 0.0722f : 0.114f;
    const float kg = 1.0f - kr - kb;
    const float ys = range == YuvRange::Limited ? 255.0f / 219.0f : 1.0f;
    const float cs = range == YuvRange::Limited ? 255.0f / 224.0f : 1.0f;
    // Rows R, G, B; columns Y, U (Cb), V (Cr); the range scale folded into the columns.
    const float values[] = {
        ys, 0.0f, 2.0f * (1.0f - kr) * cs,
        ys, -2.0f * kb * (1.0f - kb) / kg * cs, -2.0f * kr * (1.0f - kr) / kg * cs,
        ys, 2.0f * (1.0f - kb) * cs, 0.0f,
    };
    return QMatrix3x3(values);
}

QImage YuvFrame::toImage() const
{
    QImage image(m_width, m_height, QImage::Format_RGB32);
    if (image.isNull())
        return image;
    const QVector3D offset = offsets(m_range);
    const QMatrix3x3 m = toRgb(m_matrix, m_range);
    // Fixed point (1/65536) per row: this runs for snapshots only, but 4K frames exist.
    int coeff[3][3];
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 3; ++c)
            coeff[r][c] = int(std::lround(m(r, c) * 65536.0f));
    }
    const int yOffset = int(std::lround(offset.x() * 255.0f));
    const int cOffset = int(std::lround(offset.y() * 255.0f));
    for (int y = 0; y < m_height; ++y) {
        const uchar *yRow = m_planes[0] + std::ptrdiff_t(y) * m_strides[0];
        const uchar *uRow = m_planes[1] + std::ptrdiff_t(y / 2) * m_strides[1];
        const uchar *vRow = m_planes[2] + std::ptrdiff_t(y / 2) * m_strides[2];
        auto *out = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < m_width; ++x) {
            const int yy = yRow[x] - yOffset;
            const int u = uRow[x / 2] - cOffset;
            const int v = vRow[x / 2] - cOffset;
            const auto channel = [&](int row) {
                const int value = (coeff[row][0] * yy + coeff[row][1] * u + coeff[row][2] * v + 32768) >> 16;
                return std::clamp(value, 0, 255);
            };
            out[x] = qRgb(channel(0), channel(1), channel(2));
        }
    }
    return image;
}

} // namespace Vigil::Ui
