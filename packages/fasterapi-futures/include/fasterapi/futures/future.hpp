// SPDX-License-Identifier: MIT
// fasterapi/futures/future.hpp: future<T> and promise<T>, in the style of Seastar
//
// A future holds its result inline: a ready future (make_ready_future) allocates nothing. A
// pending future and its promise point at each other and fix the pointers up when either
// moves. `then` on a pending future moves the continuation into a task that the promise runs
// when it resolves, on the resolving thread, before set_value returns; tasks come from a
// per-thread pool (detail/task_pool.hpp), so a warm thread chains without malloc.
//
// Example:
//     promise<int> p;
//     future<int> doubled = p.get_future().then([](int v) { return v * 2; });
//     p.set_value(21);            // the continuation runs here
//     assert(doubled.get() == 42);
#pragma once

#include <exception>
#include <type_traits>
#include <utility>

#include "detail/future_state.hpp"
#include "detail/task_pool.hpp"
#include "errors.hpp"

namespace fasterapi::futures {

template <typename T = void>
class future;
template <typename T = void>
class promise;

template <typename T>
struct is_future : std::false_type {};
template <typename T>
struct is_future<future<T>> : std::true_type {};

namespace detail {

// Pool-allocated continuation wrapping a callable `void(future_state<T>&&)`.
template <typename T, typename Fn>
class continuation_task final : public continuation<T> {
public:
    explicit continuation_task(Fn&& fn) : fn_(std::move(fn)) { count_task(+1); }
    void run_and_dispose(future_state<T>&& state) noexcept override {
        fn_(std::move(state));
        delete this;
    }
    static void* operator new(std::size_t size) { return allocate_task(size); }
    static void operator delete(void* block, std::size_t size) noexcept {
        deallocate_task(block, size);
    }

private:
    ~continuation_task() { count_task(-1); }
    Fn fn_;
};

}  // namespace detail

// Turns "a callable returning R" into "a callable returning a future": values are wrapped,
// futures pass through, exceptions become failed futures.
template <typename R>
struct futurize {
    using type = future<R>;
    template <typename Fn, typename... A>
    static type apply(Fn& fn, A&&... args) noexcept;
};
template <typename U>
struct futurize<future<U>> {
    using type = future<U>;
    template <typename Fn, typename... A>
    static type apply(Fn& fn, A&&... args) noexcept;
};

template <typename Fn, typename... A>
using futurize_t = typename futurize<std::invoke_result_t<Fn&, A...>>::type;

template <typename T>
class [[nodiscard]] future {
public:
    using value_type = detail::value_of<T>;
    using element_type = T;  // future<void>: void (value_type is a placeholder there)

    future(future&& other) noexcept
        : state_(std::move(other.state_)), promise_(std::exchange(other.promise_, nullptr)) {
        if (promise_ != nullptr) {
            promise_->future_ = this;
        }
        detail::count_future(+1);
    }
    future& operator=(future&& other) noexcept {
        if (this != &other) {
            detach();
            state_ = std::move(other.state_);
            promise_ = std::exchange(other.promise_, nullptr);
            if (promise_ != nullptr) {
                promise_->future_ = this;
            }
        }
        return *this;
    }
    future(const future&) = delete;
    future& operator=(const future&) = delete;
    ~future() {
        detach();
        detail::count_future(-1);
    }

    // Resolved (with a value or an exception).
    bool available() const noexcept { return state_.available(); }
    bool failed() const noexcept { return state_.failed(); }

    // The value (void for future<void>), or the exception rethrown. Only on an available
    // future; consumes it.
    T get() {
        if constexpr (std::is_void_v<T>) {
            state_.take();
        } else {
            return state_.take();
        }
    }
    // The exception of a failed future, marking it read.
    std::exception_ptr get_exception() noexcept { return state_.take_exception(); }
    // Drops the result, including an exception, without reporting it.
    void ignore_ready_future() noexcept { state_.discard(); }

    // fn(future<T>) runs once this future resolves (now, if it already has); consumes it.
    // The primitive the combinators build on: no result future, no promise.
    template <typename Fn>
    void when_ready(Fn&& fn) && {
        if (promise_ == nullptr) {
            fn(std::move(*this));
            return;
        }
        auto task = [fn = std::forward<Fn>(fn)](detail::future_state<T>&& state) mutable {
            fn(future(std::move(state)));
        };
        promise_->continuation_ = new detail::continuation_task<T, decltype(task)>(std::move(task));
        promise_->future_ = nullptr;
        promise_ = nullptr;
        state_.discard();
    }

    // fn(value) (fn() for future<void>) once this future holds a value; an exception skips fn
    // and passes through. fn may return a value, void or a future; the result is a future.
    template <typename Fn>
    auto then(Fn&& fn) && {
        if constexpr (std::is_void_v<T>) {
            using result = futurize_t<Fn>;
            return std::move(*this).then_wrapped(
                [fn = std::forward<Fn>(fn)](future f) mutable -> result {
                    if (f.failed()) {
                        return result::failed(f.get_exception());
                    }
                    f.ignore_ready_future();
                    return futurize<std::invoke_result_t<Fn&>>::apply(fn);
                });
        } else {
            using result = futurize_t<Fn, T&&>;
            return std::move(*this).then_wrapped([fn = std::forward<Fn>(fn)](
                                                     future f) mutable -> result {
                if (f.failed()) {
                    return result::failed(f.get_exception());
                }
                return futurize<std::invoke_result_t<Fn&, T&&>>::apply(fn, f.state_.take_value());
            });
        }
    }

    // fn(future<T>) once this future resolves, whether with a value or an exception.
    template <typename Fn>
    futurize_t<Fn, future&&> then_wrapped(Fn&& fn) && {
        using result = futurize_t<Fn, future&&>;
        using traits = futurize<std::invoke_result_t<Fn&, future&&>>;
        if (promise_ == nullptr) {
            return traits::apply(fn, std::move(*this));
        }
        promise<typename result::element_type> chained;
        result chained_future = chained.get_future();
        std::move(*this).when_ready(
            [fn = std::forward<Fn>(fn), chained = std::move(chained)](future f) mutable {
                traits::apply(fn, std::move(f)).forward_to(std::move(chained));
            });
        return chained_future;
    }

    // fn() runs after this future resolves, either way; the result is this future's, unless
    // fn fails on a successful future. fn may return a future, which is waited for.
    template <typename Fn>
    future finally(Fn&& fn) && {
        return std::move(*this).then_wrapped([fn = std::forward<Fn>(fn)](future f) mutable {
            return futurize<std::invoke_result_t<Fn&>>::apply(fn).then_wrapped(
                [f = std::move(f)](auto cleanup) mutable -> future {
                    if (cleanup.failed() && !f.failed()) {
                        f.ignore_ready_future();
                        return failed(cleanup.get_exception());
                    }
                    cleanup.ignore_ready_future();
                    return std::move(f);
                });
        });
    }

    // fn(std::exception_ptr) replaces a failure with its result (a value, or a future).
    template <typename Fn>
    future handle_exception(Fn&& fn) && {
        return std::move(*this).then_wrapped(
            [fn = std::forward<Fn>(fn)](future f) mutable -> future {
                if (!f.failed()) {
                    return f;
                }
                using traits = futurize<std::invoke_result_t<Fn&, std::exception_ptr>>;
                return future(traits::apply(fn, f.get_exception()));
            });
    }

    // Resolves `target` with this future's result, when it arrives.
    void forward_to(promise<T>&& target) && noexcept {
        if (promise_ == nullptr) {
            target.set_state(std::move(state_));
            return;
        }
        std::move(*this).when_ready([target = std::move(target)](future f) mutable {
            target.set_state(std::move(f.state_));
        });
    }

    static future failed(std::exception_ptr error) noexcept {
        return future(detail::future_state<T>::with_exception(std::move(error)));
    }

private:
    template <typename>
    friend class future;
    template <typename>
    friend class promise;
    template <typename>
    friend struct futurize;
    template <typename U, typename... A>
    friend future<U> make_ready_future(A&&... args);

    explicit future(detail::future_state<T>&& state) noexcept : state_(std::move(state)) {
        detail::count_future(+1);
    }
    explicit future(promise<T>* owner) noexcept : promise_(owner) {
        promise_->future_ = this;
        detail::count_future(+1);
    }

    void detach() noexcept {
        if (promise_ != nullptr) {
            promise_->future_ = nullptr;
            promise_ = nullptr;
        }
    }

    detail::future_state<T> state_;
    promise<T>* promise_ = nullptr;
};

template <typename T>
class promise {
public:
    promise() noexcept = default;
    promise(promise&& other) noexcept
        : future_(std::exchange(other.future_, nullptr)),
          continuation_(std::exchange(other.continuation_, nullptr)),
          early_(std::move(other.early_)),
          future_retrieved_(other.future_retrieved_),
          resolved_(other.resolved_) {
        if (future_ != nullptr) {
            future_->promise_ = this;
        }
    }
    promise& operator=(promise&& other) noexcept {
        if (this != &other) {
            break_if_unresolved();
            future_ = std::exchange(other.future_, nullptr);
            continuation_ = std::exchange(other.continuation_, nullptr);
            early_ = std::move(other.early_);
            future_retrieved_ = other.future_retrieved_;
            resolved_ = other.resolved_;
            if (future_ != nullptr) {
                future_->promise_ = this;
            }
        }
        return *this;
    }
    promise(const promise&) = delete;
    promise& operator=(const promise&) = delete;
    ~promise() { break_if_unresolved(); }

    // The future this promise resolves; once per promise.
    future<T> get_future() {
        if (future_retrieved_) {
            throw usage_error("promise::get_future() called twice");
        }
        future_retrieved_ = true;
        if (resolved_) {
            return future<T>(std::move(early_));
        }
        return future<T>(this);
    }

    template <typename... A>
    void set_value(A&&... args) {
        set_state(detail::future_state<T>::with_value(std::forward<A>(args)...));
    }
    void set_exception(std::exception_ptr error) noexcept {
        set_state(detail::future_state<T>::with_exception(std::move(error)));
    }
    template <typename E,
              typename = std::enable_if_t<!std::is_same_v<std::decay_t<E>, std::exception_ptr>>>
    void set_exception(E&& error) noexcept {
        set_exception(std::make_exception_ptr(std::forward<E>(error)));
    }

    // Resolved already (set_value / set_exception were called)?
    bool resolved() const noexcept { return resolved_; }

private:
    template <typename>
    friend class future;

    // A second resolution is ignored: it is what a cancelled or timed-out waiter's late result
    // looks like, and combinators rely on the first one winning.
    void set_state(detail::future_state<T>&& state) noexcept {
        if (resolved_) {
            state.discard();
            return;
        }
        resolved_ = true;
        if (future_ != nullptr) {
            future_->state_ = std::move(state);
            future_->promise_ = nullptr;
            future_ = nullptr;
        } else if (continuation_ != nullptr) {
            std::exchange(continuation_, nullptr)->run_and_dispose(std::move(state));
        } else if (!future_retrieved_) {
            early_ = std::move(state);
        }
        // else: the future was dropped; `state` reports an unread failure as it goes.
    }

    void break_if_unresolved() noexcept {
        if (!resolved_ && (future_ != nullptr || continuation_ != nullptr)) {
            set_exception(broken_promise());
        }
    }

    future<T>* future_ = nullptr;
    detail::continuation<T>* continuation_ = nullptr;
    detail::future_state<T> early_;  // resolved before get_future()
    bool future_retrieved_ = false;
    bool resolved_ = false;
};

template <typename T = void, typename... A>
future<T> make_ready_future(A&&... args) {
    return future<T>(detail::future_state<T>::with_value(std::forward<A>(args)...));
}

template <typename T = void>
future<T> make_exception_future(std::exception_ptr error) noexcept {
    return future<T>::failed(std::move(error));
}

template <typename T = void, typename E>
future<T> make_exception_future(E&& error) noexcept {
    return future<T>::failed(std::make_exception_ptr(std::forward<E>(error)));
}

template <typename R>
template <typename Fn, typename... A>
typename futurize<R>::type futurize<R>::apply(Fn& fn, A&&... args) noexcept {
    try {
        if constexpr (std::is_void_v<R>) {
            fn(std::forward<A>(args)...);
            return make_ready_future<>();
        } else {
            return make_ready_future<R>(fn(std::forward<A>(args)...));
        }
    } catch (...) {
        return make_exception_future<R>(std::current_exception());
    }
}

template <typename U>
template <typename Fn, typename... A>
future<U> futurize<future<U>>::apply(Fn& fn, A&&... args) noexcept {
    try {
        return fn(std::forward<A>(args)...);
    } catch (...) {
        return make_exception_future<U>(std::current_exception());
    }
}

}  // namespace fasterapi::futures
