// SPDX-License-Identifier: MIT
// fasterapi/futures/unique_function.hpp: a move-only callable with a small inline buffer
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace fasterapi::futures {

template <typename Signature>
class unique_function;

// Like std::function, but move-only (it can hold a promise) and without a heap allocation for
// callables of up to six pointers that are nothrow-movable (a lambda capturing a few values).
template <typename R, typename... Args>
class unique_function<R(Args...)> {
public:
    static constexpr std::size_t inline_size = 6 * sizeof(void*);

    unique_function() noexcept = default;

    template <typename F,
              typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, unique_function> &&
                                          std::is_invocable_r_v<R, std::decay_t<F>&, Args...>>>
    unique_function(F&& f) {  // NOLINT(google-explicit-constructor): a callable converts
        using stored = std::decay_t<F>;
        if constexpr (fits_inline<stored>) {
            ::new (static_cast<void*>(storage_)) stored(std::forward<F>(f));
            ops_ = &inline_ops<stored>;
        } else {
            ::new (static_cast<void*>(storage_)) stored*(new stored(std::forward<F>(f)));
            ops_ = &heap_ops<stored>;
        }
    }

    unique_function(unique_function&& other) noexcept : ops_(other.ops_) {
        if (ops_ != nullptr) {
            ops_->move(storage_, other.storage_);
            other.ops_ = nullptr;
        }
    }

    unique_function& operator=(unique_function&& other) noexcept {
        if (this != &other) {
            reset();
            if (other.ops_ != nullptr) {
                other.ops_->move(storage_, other.storage_);
                ops_ = std::exchange(other.ops_, nullptr);
            }
        }
        return *this;
    }

    unique_function(const unique_function&) = delete;
    unique_function& operator=(const unique_function&) = delete;
    ~unique_function() { reset(); }

    explicit operator bool() const noexcept { return ops_ != nullptr; }

    R operator()(Args... args) { return ops_->call(storage_, std::forward<Args>(args)...); }

    void reset() noexcept {
        if (ops_ != nullptr) {
            ops_->destroy(storage_);
            ops_ = nullptr;
        }
    }

private:
    struct operations {
        R (*call)(void*, Args&&...);
        void (*move)(void* to, void* from) noexcept;  // leaves `from` destroyed
        void (*destroy)(void*) noexcept;
    };

    template <typename F>
    static constexpr bool fits_inline =
        sizeof(F) <= inline_size && alignof(F) <= alignof(std::max_align_t) &&
        std::is_nothrow_move_constructible_v<F>;

    template <typename F>
    static constexpr operations inline_ops{
        [](void* self, Args&&... args) -> R {
            return (*static_cast<F*>(self))(std::forward<Args>(args)...);
        },
        [](void* to, void* from) noexcept {
            ::new (to) F(std::move(*static_cast<F*>(from)));
            static_cast<F*>(from)->~F();
        },
        [](void* self) noexcept { static_cast<F*>(self)->~F(); },
    };

    template <typename F>
    static constexpr operations heap_ops{
        [](void* self, Args&&... args) -> R {
            return (**static_cast<F**>(self))(std::forward<Args>(args)...);
        },
        [](void* to, void* from) noexcept { ::new (to) F*(*static_cast<F**>(from)); },
        [](void* self) noexcept { delete *static_cast<F**>(self); },
    };

    alignas(std::max_align_t) unsigned char storage_[inline_size];
    const operations* ops_ = nullptr;
};

}  // namespace fasterapi::futures
