// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/promise.hpp: Promise, the thread-safe way to complete a Future
#pragma once

#include <nanobind/nanobind.h>

#include <atomic>

#include "completion_queue.hpp"

namespace fasterapi::futures::bindings {

namespace nb = nanobind;

// Completes one Future exactly once, from any thread: on the loop's own thread directly, from
// any other thread through the loop's completion queue. A completion that arrives after the
// future was cancelled is dropped.
class py_promise {
public:
    // `loop`: None for the running loop.
    explicit py_promise(nb::handle loop);
    py_promise(const py_promise&) = delete;
    py_promise& operator=(const py_promise&) = delete;

    nb::object future() const { return future_; }
    bool completed() const noexcept { return completed_.load(std::memory_order_acquire); }

    void set_result(nb::handle value);
    void set_exception(nb::handle error);

    // From C++, on any thread, without the GIL. `promise` is a strong reference to a Promise
    // object, taken with the GIL held when the work was handed to the native side; it travels
    // with the completion and is released on the loop thread. `make_value` runs there with
    // the GIL held and returns a new reference (or nullptr with a Python error set, which
    // fails the future). False when the promise was completed already; `promise` is then left
    // with the caller, to release with the GIL held.
    static bool set_from_native(owned_ref& promise, unique_function<PyObject*()> make_value);

    // Garbage-collector support (nanobind tp_traverse / tp_clear slots).
    static int traverse(PyObject* self, visitproc visit, void* arg);
    static int clear(PyObject* self);

private:
    void claim();  // the once-only check; raises InvalidStateError the second time

    nb::object future_;
    nb::object queue_owner_;  // keeps the loop's completion queue alive
    completion_queue* queue_ = nullptr;
    std::atomic<bool> completed_{false};
};

// The future of a Promise object (borrowed), or nullptr once the collector cleared it.
PyObject* promise_future(PyObject* promise_object);

void bind_completion_queue(nb::module_& m);
void bind_promise(nb::module_& m);
void bind_native_producer(nb::module_& m);

}  // namespace fasterapi::futures::bindings
