// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/completion_queue.hpp: completing futures from other threads
#pragma once

#include <fasterapi/futures/remote_queue.hpp>

#include "owned_ref.hpp"

#include <Python.h>

#include <atomic>
#include <cstdint>

namespace fasterapi::futures::bindings {

// One queued completion. Data rather than a closure, so the garbage collector can see the
// references it holds (CompletionQueue's tp_traverse).
struct completion {
    owned_ref target;  // the Future, or (native completions) the Promise object that owns it
    owned_ref value;   // the result or the exception instance (Python completions)
    bool is_error = false;
    unique_function<PyObject*()> make_value;  // native completions: builds the value
};

// One per event loop. Any thread (holding the GIL or not) queues a completion; the loop
// watches the eventfd (loop.add_reader(queue.fileno(), queue.drain)) and completes the
// futures on its own thread. A producer writes the eventfd only when the queue goes from
// empty to non-empty while the loop is "armed" (not already delivering), so a burst of
// completions costs the loop one wake-up and the producers one write() between them.
class completion_queue {
public:
    completion_queue();
    ~completion_queue();  // with the GIL held: drops what was never delivered
    completion_queue(const completion_queue&) = delete;
    completion_queue& operator=(const completion_queue&) = delete;

    int fileno() const noexcept { return event_fd_; }

    // The thread of the loop that drains this queue (0 until bind_to_current_thread()); a
    // Promise completed on it skips the queue.
    void bind_to_current_thread() noexcept {
        loop_thread_.store(PyThread_get_thread_ident(), std::memory_order_release);
    }
    bool on_loop_thread() const noexcept {
        return loop_thread_.load(std::memory_order_acquire) == PyThread_get_thread_ident();
    }

    // Any thread, GIL not needed.
    void push(completion done);

    // The loop's reader callback: delivers everything queued; returns how many.
    std::size_t drain();

    // Garbage-collector support (GIL held): the references the queued completions hold, and
    // dropping them undelivered.
    int traverse(visitproc visit, void* arg) const;
    void clear();

private:
    void signal() noexcept;

    int event_fd_ = -1;
    std::atomic<bool> armed_{true};
    std::atomic<unsigned long> loop_thread_{
        0};  // false while a wake-up is pending or a drain is running
    basic_remote_queue<completion> queue_;
};

}  // namespace fasterapi::futures::bindings
