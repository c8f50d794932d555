// SPDX-License-Identifier: MIT
// fasterapi-futures/src/core/debug.cpp: reporting of unread failures, live-object counters
#include <fasterapi/futures/debug.hpp>

#include <cstdio>
#include <mutex>
#include <utility>

namespace fasterapi::futures {

namespace {

std::mutex handler_mutex;
ignored_failure_handler& installed_handler() {
    static ignored_failure_handler handler;
    return handler;
}
std::atomic<std::uint64_t> ignored_failures{0};

void print_to_stderr(std::exception_ptr error) noexcept {
    try {
        std::rethrow_exception(std::move(error));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fasterapi::futures: a failed future was dropped unread: %s\n",
                     e.what());
    } catch (...) {
        std::fprintf(stderr,
                     "fasterapi::futures: a failed future was dropped unread "
                     "(a non-std::exception)\n");
    }
}

}  // namespace

namespace detail {

std::atomic<std::int64_t> live_futures{0};
std::atomic<std::int64_t> live_tasks{0};

void report_ignored_failure(std::exception_ptr error) noexcept {
    ignored_failures.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock(handler_mutex);
    if (installed_handler()) {
        installed_handler()(std::move(error));
    } else {
        print_to_stderr(std::move(error));
    }
}

}  // namespace detail

void set_ignored_failure_handler(ignored_failure_handler handler) {
    std::lock_guard lock(handler_mutex);
    installed_handler() = std::move(handler);
}

std::uint64_t ignored_failure_count() noexcept {
    return ignored_failures.load(std::memory_order_relaxed);
}

live_counts live_objects() noexcept {
    return {detail::live_futures.load(std::memory_order_relaxed),
            detail::live_tasks.load(std::memory_order_relaxed)};
}

}  // namespace fasterapi::futures
