// SPDX-License-Identifier: MIT
// fasterapi/futures/detail/future_state.hpp: what a future holds (pending, value or exception)
#pragma once

#include <exception>
#include <type_traits>
#include <utility>
#include <variant>

#include "../debug.hpp"
#include "../errors.hpp"

namespace fasterapi::futures::detail {

// future<void> stores this in place of a value.
struct unit {};

template <typename T>
using value_of = std::conditional_t<std::is_void_v<T>, unit, T>;

// The result of a computation, moved between promise, future and continuation. An exception is
// kept as an exception_ptr and passed along without being rethrown; only get() rethrows it.
template <typename T>
class future_state {
public:
    using value_type = value_of<T>;

    future_state() noexcept = default;
    future_state(future_state&& other) noexcept : slot_(std::move(other.slot_)) {
        other.slot_.template emplace<consumed>();
    }
    future_state& operator=(future_state&& other) noexcept {
        if (this != &other) {
            report_if_unread();
            slot_ = std::move(other.slot_);
            other.slot_.template emplace<consumed>();
        }
        return *this;
    }
    future_state(const future_state&) = delete;
    future_state& operator=(const future_state&) = delete;
    ~future_state() { report_if_unread(); }

    template <typename... A>
    static future_state with_value(A&&... args) {
        future_state state;
        state.slot_.template emplace<value_type>(std::forward<A>(args)...);
        return state;
    }
    static future_state with_exception(std::exception_ptr error) noexcept {
        future_state state;
        state.slot_.template emplace<std::exception_ptr>(std::move(error));
        return state;
    }

    bool pending() const noexcept { return std::holds_alternative<waiting>(slot_); }
    bool available() const noexcept {
        return std::holds_alternative<value_type>(slot_) ||
               std::holds_alternative<std::exception_ptr>(slot_);
    }
    bool failed() const noexcept { return std::holds_alternative<std::exception_ptr>(slot_); }

    value_type take_value() {
        value_type value = std::move(std::get<value_type>(slot_));
        slot_.template emplace<consumed>();
        return value;
    }
    std::exception_ptr take_exception() noexcept {
        std::exception_ptr error = std::move(*std::get_if<std::exception_ptr>(&slot_));
        slot_.template emplace<consumed>();
        return error;
    }
    // get(): the value, or the exception rethrown; either way the state is consumed.
    value_type take() {
        if (failed()) {
            std::rethrow_exception(take_exception());
        }
        if (!available()) {
            throw usage_error("get() on a future that is not ready (or was already consumed)");
        }
        return take_value();
    }
    void discard() noexcept { slot_.template emplace<consumed>(); }

private:
    struct waiting {};
    struct consumed {};

    void report_if_unread() noexcept {
        if (auto* error = std::get_if<std::exception_ptr>(&slot_)) {
            report_ignored_failure(std::move(*error));
        }
    }

    std::variant<waiting, value_type, std::exception_ptr, consumed> slot_;
};

// The type-erased continuation a promise calls when it resolves. run() consumes the task.
template <typename T>
class continuation {
public:
    virtual void run_and_dispose(future_state<T>&& state) noexcept = 0;

protected:
    ~continuation() = default;
};

}  // namespace fasterapi::futures::detail
