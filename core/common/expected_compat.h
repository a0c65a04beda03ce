#pragma once

// std::expected for compilers whose standard library does not offer it to them: clang 14 with
// libstdc++ 12 (the libFuzzer builds) lacks the C++20 features libstdc++'s <expected> checks for.
// g++ 12 uses the real one. This covers only what Vigil uses; include "common/result.h" instead
// of <expected> so that both compilers see the same names.

#include <version>

#if defined(__cpp_lib_expected)
#include <expected>
#else
#include <type_traits>
#include <utility>
#include <variant>

namespace std { // NOLINT(cert-dcl58-cpp): a stand-in for the standard type, removed with clang 14

template <typename E>
class unexpected {
public:
    constexpr explicit unexpected(E e) : m_error(std::move(e)) {}
    constexpr const E &error() const & noexcept { return m_error; }
    constexpr E &error() & noexcept { return m_error; }
    constexpr E &&error() && noexcept { return std::move(m_error); }

private:
    E m_error;
};

template <typename E>
unexpected(E) -> unexpected<E>;

template <typename T, typename E>
class expected {
public:
    using value_type = T;
    using error_type = E;

    constexpr expected() requires std::is_default_constructible_v<T> : m_v(std::in_place_index<0>) {}
    template <typename U = T>
        requires(!std::is_same_v<std::remove_cvref_t<U>, expected>
                 && !std::is_same_v<std::remove_cvref_t<U>, unexpected<E>>
                 && std::is_constructible_v<T, U>)
    constexpr expected(U &&value) : m_v(std::in_place_index<0>, std::forward<U>(value)) {}
    template <typename G>
    constexpr expected(const unexpected<G> &u) : m_v(std::in_place_index<1>, u.error()) {}
    template <typename G>
    constexpr expected(unexpected<G> &&u) : m_v(std::in_place_index<1>, std::move(u).error()) {}

    constexpr bool has_value() const noexcept { return m_v.index() == 0; }
    constexpr explicit operator bool() const noexcept { return has_value(); }
    constexpr const T &operator*() const & { return std::get<0>(m_v); }
    constexpr T &operator*() & { return std::get<0>(m_v); }
    constexpr T &&operator*() && { return std::get<0>(std::move(m_v)); }
    constexpr const T *operator->() const { return &std::get<0>(m_v); }
    constexpr T *operator->() { return &std::get<0>(m_v); }
    constexpr const T &value() const & { return std::get<0>(m_v); }
    constexpr T &value() & { return std::get<0>(m_v); }
    constexpr T &&value() && { return std::get<0>(std::move(m_v)); }
    constexpr const E &error() const & { return std::get<1>(m_v); }
    constexpr E &error() & { return std::get<1>(m_v); }
    constexpr E &&error() && { return std::get<1>(std::move(m_v)); }
    template <typename U>
    constexpr T value_or(U &&other) const & { return has_value() ? **this : static_cast<T>(std::forward<U>(other)); }

private:
    std::variant<T, E> m_v;
};

template <typename E>
class expected<void, E> {
public:
    using value_type = void;
    using error_type = E;

    constexpr expected() = default;
    template <typename G>
    constexpr expected(const unexpected<G> &u) : m_error(u.error()), m_hasValue(false) {}
    template <typename G>
    constexpr expected(unexpected<G> &&u) : m_error(std::move(u).error()), m_hasValue(false) {}

    constexpr bool has_value() const noexcept { return m_hasValue; }
    constexpr explicit operator bool() const noexcept { return m_hasValue; }
    constexpr void operator*() const noexcept {}
    constexpr void value() const {}
    constexpr const E &error() const & { return m_error; }
    constexpr E &error() & { return m_error; }

private:
    E m_error{};
    bool m_hasValue = true;
};

} // namespace std
#endif
