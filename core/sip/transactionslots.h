#pragma once

#include <QtGlobal>

#include <cstdint>
#include <vector>

namespace Vigil::Sip {

/// Transactions of one kind in a vector whose slots are reused through a free list, so that a
/// steady load allocates no slots at all. A transaction is addressed by slot + generation: the
/// generation changes whenever a slot is released, so handles and timer entries that outlived
/// their transaction simply find nothing.
///
/// T needs a `std::uint32_t generation` member and `bool isLive() const`. Releasing resets the
/// slot to T() (keeping the generation), which frees whatever it held. Adding a slot may move
/// the others: hold no reference across acquire().
template <typename T>
class SlotTable {
public:
    /// A free slot, default-constructed; the caller makes it live.
    std::uint32_t acquire()
    {
        if (!m_free.empty()) {
            const std::uint32_t slot = m_free.back();
            m_free.pop_back();
            return slot;
        }
        m_items.emplace_back();
        m_items.back().generation = 1;
        return std::uint32_t(m_items.size() - 1);
    }

    void release(std::uint32_t slot)
    {
        T &item = m_items[slot];
        Q_ASSERT(item.isLive());
        std::uint32_t next = item.generation + 1;
        if (next == 0)
            next = 1; // 0 marks "no transaction" in handles
        item = T();
        item.generation = next;
        m_free.push_back(slot);
    }

    /// The live transaction at `slot` if it is still the one of `generation`.
    T *find(std::uint32_t slot, std::uint32_t generation)
    {
        if (slot >= m_items.size())
            return nullptr;
        T &item = m_items[slot];
        return item.generation == generation && item.isLive() ? &item : nullptr;
    }

    T &operator[](std::uint32_t slot) { return m_items[slot]; }
    std::uint32_t size() const noexcept { return std::uint32_t(m_items.size()); }

private:
    std::vector<T> m_items;
    std::vector<std::uint32_t> m_free;
};

} // namespace Vigil::Sip
