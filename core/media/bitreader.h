#pragma once

#include <QByteArrayView>
#include <QtGlobal>

#include <cstdint>

namespace Vigil::Media {

/// Reads bits MSB first from an RBSP (emulation prevention bytes already removed), with the
/// Exp-Golomb codes of H.264/H.265 (ue(v), se(v)).
///
/// Never reads past the end: a read beyond it returns 0 and marks the reader failed, so a
/// parser can read a whole header and check ok() once. The bytes must outlive the reader.
class BitReader {
public:
    explicit BitReader(QByteArrayView bytes) noexcept
        : m_data(reinterpret_cast<const std::uint8_t *>(bytes.data())), m_sizeBits(qint64(bytes.size()) * 8)
    {
    }
    /// The reader keeps a view: a temporary buffer would be gone before the first read.
    explicit BitReader(QByteArray &&) = delete;

    bool ok() const noexcept { return !m_failed; }
    qint64 bitsLeft() const noexcept { return m_failed ? 0 : m_sizeBits - m_pos; }
    qint64 position() const noexcept { return m_pos; }

    /// n bits (0..32) as an unsigned number.
    std::uint32_t bits(int n) noexcept
    {
        if (n < 0 || n > 32 || m_failed || m_sizeBits - m_pos < n) {
            m_failed = true;
            return 0;
        }
        std::uint64_t value = 0;
        for (int i = 0; i < n; ++i) {
            const std::uint8_t byte = m_data[m_pos >> 3];
            value = (value << 1) | ((byte >> (7 - (m_pos & 7))) & 1u);
            ++m_pos;
        }
        return std::uint32_t(value);
    }

    bool flag() noexcept { return bits(1) != 0; }

    void skip(qint64 n) noexcept
    {
        if (n < 0 || m_failed || m_sizeBits - m_pos < n) {
            m_failed = true;
            return;
        }
        m_pos += n;
    }

    /// ue(v). Codes longer than 32 bits of value do not occur in valid streams: they fail.
    std::uint32_t ue() noexcept
    {
        int leadingZeros = 0;
        while (!m_failed && bits(1) == 0) {
            if (++leadingZeros > 31) {
                m_failed = true;
                return 0;
            }
        }
        if (m_failed)
            return 0;
        const std::uint64_t value = (std::uint64_t(1) << leadingZeros) - 1 + bits(leadingZeros);
        return m_failed ? 0 : std::uint32_t(value);
    }

    /// se(v): 1, -1, 2, -2, ... for codes 1, 2, 3, 4, ...
    std::int32_t se() noexcept
    {
        const std::uint32_t code = ue();
        const std::int64_t magnitude = (std::int64_t(code) + 1) / 2;
        return std::int32_t((code & 1) ? magnitude : -magnitude);
    }

private:
    const std::uint8_t *m_data;
    qint64 m_sizeBits;
    qint64 m_pos = 0;
    bool m_failed = false;
};

} // namespace Vigil::Media
