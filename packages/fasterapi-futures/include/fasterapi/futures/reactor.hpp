// SPDX-License-Identifier: MIT
// fasterapi/futures/reactor.hpp: one event loop per thread (epoll, timers, a run queue)
//
// Example:
//     reactor r;                                   // this thread's reactor
//     sleep(std::chrono::milliseconds(5)).then([&] { r.stop(); });
//     r.run();
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <unordered_map>
#include <utility>

#include "future.hpp"
#include "remote_queue.hpp"
#include "unique_function.hpp"

namespace fasterapi::futures {

using steady_clock = std::chrono::steady_clock;

// Identifies a scheduled timer for cancel_timer().
struct timer_handle {
    steady_clock::time_point when;
    std::uint64_t sequence = 0;
};

// What the reactor does around its blocking wait (e.g. release and retake Python's GIL).
class wait_observer {
public:
    virtual void before_wait() noexcept = 0;
    virtual void after_wait() noexcept = 0;

protected:
    ~wait_observer() = default;
};

// Whether a reactor becomes its thread's reactor::local() (the C++ API's default), or is
// driven explicitly (an event loop that may be created on one thread and run on another).
enum class thread_binding : bool { bind, unbound };

class reactor {
public:
    // Becomes this thread's reactor; a second bound one on the same thread is a usage_error.
    explicit reactor(thread_binding binding = thread_binding::bind);
    ~reactor();
    reactor(const reactor&) = delete;
    reactor& operator=(const reactor&) = delete;

    // This thread's reactor (usage_error when there is none), or nullptr.
    static reactor& local();
    static reactor* current() noexcept;

    // This thread only: run `task` on the next turn of the loop.
    void schedule(unique_function<void()> task);
    // Any thread: run `task` on this reactor's thread (lock-free; wakes it only when its
    // remote queue was empty).
    void submit(unique_function<void()> task);

    // This thread only: run `task` at `when` (timers at the same instant run in the order they
    // were added).
    timer_handle call_at(steady_clock::time_point when, unique_function<void()> task);
    // True when the timer had not fired yet (it never will now).
    bool cancel_timer(const timer_handle& timer) noexcept;

    // Resolves once `fd` is readable / writable (or has an error or hang-up). One waiter per
    // direction per fd; forget_fd() fails the waiters with a broken_promise before a close.
    future<> readable(int fd);
    future<> writable(int fd);
    void forget_fd(int fd);

    // Level-triggered watchers: `callback` runs on every turn while `fd` is readable
    // (writable), until unwatched. One per direction per fd; watching again replaces it.
    // A callback may unwatch or replace itself while it runs.
    void watch_readable(int fd, unique_function<void()> callback);
    void watch_writable(int fd, unique_function<void()> callback);
    bool unwatch_readable(int fd);  // true when a watcher was removed
    bool unwatch_writable(int fd);

    // Runs tasks, timers and I/O until stop(); then returns.
    void run();
    // One turn, in asyncio's order: wait for I/O (not at all when `may_block` is false or
    // work is queued; else until the next timer), run the ready watchers, the expired timers,
    // the tasks from other threads, then the tasks queued before this turn. An exception
    // from a task propagates; the tasks after it stay queued for the next turn.
    // `caller_has_work`: the caller has work queued of its own (the Python loop's ready
    // handles); like queued tasks, it makes I/O polled only once per busy_poll_interval.
    void run_once(bool may_block, bool caller_has_work = false);
    // Drops every queued task, timer, fd waiter and watcher (waiters see broken_promise).
    void discard_pending();
    // Called around the blocking wait; nullptr for none.
    void set_wait_observer(wait_observer* observer) noexcept { observer_ = observer; }
    // Any thread: makes run() return after the current turn (also when called before run()).
    void stop() noexcept;

    // Work waiting on this reactor (run queue + timers + fd waiters); 0 means run() would only
    // sleep.
    std::size_t pending_work() const noexcept;

private:
    struct fd_waiters {
        promise<> read;
        promise<> write;
        // shared_ptr: the dispatcher holds a copy while it calls, so a callback can replace or
        // remove itself.
        std::shared_ptr<unique_function<void()>> on_readable;
        std::shared_ptr<unique_function<void()>> on_writable;
        bool reading = false;
        bool writing = false;
        bool registered = false;
    };

    void run_queued_tasks();
    void fire_expired_timers();
    void poll_io(int timeout_ms);
    // Polls I/O (waiting for it when BLOCK), or nothing when WORK_QUEUED and the last poll
    // was less than busy_poll_interval ago.
    void poll_io_when_due(bool work_queued, bool block);
    void update_interest(int fd, fd_waiters& waiters);
    void forget_if_idle(int fd);
    int next_timeout_ms() const noexcept;
    void wake() noexcept;

    bool bound_ = false;
    wait_observer* observer_ = nullptr;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    std::deque<unique_function<void()>> run_queue_;
    remote_queue remote_;
    std::atomic<bool> stopping_{false};
    std::map<std::pair<steady_clock::time_point, std::uint64_t>, unique_function<void()>> timers_;
    std::uint64_t timer_sequence_ = 0;
    // While tasks are queued, I/O is polled at most this often rather than every turn: each
    // poll is an epoll_wait system call, and a chain of tasks that queue one another (a
    // coroutine resuming another) would pay it on every link. The bound keeps ready work
    // from delaying I/O by more than this (Seastar's task quota plays the same part).
    static constexpr std::chrono::microseconds busy_poll_interval{50};
    steady_clock::time_point last_poll_{};
    std::unordered_map<int, fd_waiters> fds_;
};

// A future that resolves after `delay`, on this thread's reactor.
future<> sleep(steady_clock::duration delay);

// `input`, or a timed_out_error if it has not resolved by `deadline`. A late result is dropped.
template <typename T>
future<T> with_timeout(steady_clock::time_point deadline, future<T> input) {
    if (input.available()) {
        return input;
    }
    struct race {
        promise<T> outcome;
        timer_handle timer;
    };
    auto state = std::make_shared<race>();
    future<T> result = state->outcome.get_future();
    reactor& loop = reactor::local();
    state->timer =
        loop.call_at(deadline, [state] { state->outcome.set_exception(timed_out_error()); });
    std::move(input).when_ready([state, &loop](future<T> done) {
        if (state->outcome.resolved()) {
            done.ignore_ready_future();
            return;
        }
        loop.cancel_timer(state->timer);
        std::move(done).forward_to(std::move(state->outcome));
    });
    return result;
}

}  // namespace fasterapi::futures
