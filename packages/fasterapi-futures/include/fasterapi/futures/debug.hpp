// SPDX-License-Identifier: MIT
// fasterapi/futures/debug.hpp: failure reporting and the debug build's live-object counters
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>

namespace fasterapi::futures {

// A failed future destroyed without anyone reading its exception is reported: by default one
// line on stderr; set a handler to log it elsewhere (the handler must not throw).
using ignored_failure_handler = std::function<void(std::exception_ptr)>;
void set_ignored_failure_handler(ignored_failure_handler handler);
std::uint64_t ignored_failure_count() noexcept;

// Live futures and continuation tasks. Counted only in FASTERAPI_DEBUG builds (the tests use
// them to find leaks); both read 0 otherwise.
struct live_counts {
    std::int64_t futures;
    std::int64_t tasks;
};
live_counts live_objects() noexcept;

namespace detail {

void report_ignored_failure(std::exception_ptr error) noexcept;

extern std::atomic<std::int64_t> live_futures;
extern std::atomic<std::int64_t> live_tasks;

inline void count_future([[maybe_unused]] int delta) noexcept {
#ifdef FASTERAPI_DEBUG
    live_futures.fetch_add(delta, std::memory_order_relaxed);
#endif
}

inline void count_task([[maybe_unused]] int delta) noexcept {
#ifdef FASTERAPI_DEBUG
    live_tasks.fetch_add(delta, std::memory_order_relaxed);
#endif
}

}  // namespace detail
}  // namespace fasterapi::futures
