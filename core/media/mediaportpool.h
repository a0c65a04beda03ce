#pragma once

#include <QtGlobal>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace Vigil::Media {

class MediaPortPool;

/// One port taken from a MediaPortPool; gives it back when destroyed (moves, never copies).
class MediaPortLease {
public:
    MediaPortLease() = default;
    ~MediaPortLease();
    MediaPortLease(MediaPortLease &&other) noexcept;
    MediaPortLease &operator=(MediaPortLease &&other) noexcept;
    MediaPortLease(const MediaPortLease &) = delete;
    MediaPortLease &operator=(const MediaPortLease &) = delete;

    bool isValid() const noexcept { return m_port != 0; }
    quint16 port() const noexcept { return m_port; }
    /// Gives the port back now (also done by the destructor).
    void release();

private:
    friend class MediaPortPool;
    MediaPortLease(std::shared_ptr<MediaPortPool> pool, quint16 port) noexcept;

    std::shared_ptr<MediaPortPool> m_pool;
    quint16 m_port = 0;
};

/// The local ports media sessions receive on, taken from the configured range (the
/// ServerConfig's mediaPortMin..mediaPortMax).
///
/// Only even ports are handed out: RTP takes the even port and RTCP, if a device sends any,
/// the odd one above it (RFC 3550 section 11), so two sessions never share a pair. Ports go out
/// round-robin and a port given back is not handed out again for `reuseDelay`: late packets of
/// a stream that just ended (a device that has not seen the BYE yet) must not reach the next
/// session that gets its port.
///
/// The pool only books numbers; the session binds the socket itself (on its own thread) and,
/// when the port turns out to be taken by another program, gives it back and asks again.
/// Thread-safe. Made with create(), since leases keep the pool alive.
class MediaPortPool : public std::enable_shared_from_this<MediaPortPool> {
public:
    static constexpr std::chrono::milliseconds kDefaultReuseDelay{20'000};

    /// A pool over [firstPort, lastPort] (odd bounds are rounded inwards to even RTP ports).
    static std::shared_ptr<MediaPortPool> create(quint16 firstPort, quint16 lastPort,
                                                 std::chrono::milliseconds reuseDelay = kDefaultReuseDelay);

    /// The next free even port, or an invalid lease when every port is in use or resting.
    MediaPortLease acquire();

    /// The lowest and highest port handed out; capacity() is 0 when the range holds no even port.
    quint16 firstPort() const noexcept { return quint16(m_first); }
    quint16 lastPort() const noexcept { return quint16(m_last); }
    /// Even ports in the range.
    int capacity() const noexcept { return int(m_slots.size()); }
    int inUse() const;

    struct PrivateTag {
        explicit PrivateTag() = default;
    };
    /// Use create().
    MediaPortPool(PrivateTag, quint16 firstPort, quint16 lastPort, std::chrono::milliseconds reuseDelay);

private:
    friend class MediaPortLease;
    using Clock = std::chrono::steady_clock;
    struct Slot {
        bool inUse = false;
        Clock::time_point freeAfter{};
    };

    void release(quint16 port);

    const int m_first;
    const int m_last;
    const std::chrono::milliseconds m_reuseDelay;
    mutable std::mutex m_mutex;
    std::vector<Slot> m_slots; ///< index i: port m_first + 2 i
    size_t m_next = 0;
    int m_inUse = 0;
};

} // namespace Vigil::Media
