// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/handles.hpp: Handle and TimerHandle of the event loop
#pragma once

#include <fasterapi/futures/reactor.hpp>

#include <nanobind/nanobind.h>

namespace fasterapi::futures::bindings {

namespace nb = nanobind;

class loop_core;

// A scheduled callback, as asyncio.Handle: callback(*args) run in `context`; cancel() before
// it runs and it never does. An exception is reported to the loop's exception handler;
// SystemExit and KeyboardInterrupt propagate out of the loop.
class py_handle {
public:
    py_handle(nb::handle callback, nb::tuple args, nb::handle context, nb::handle loop);
    virtual ~py_handle() = default;
    py_handle(const py_handle&) = delete;
    py_handle& operator=(const py_handle&) = delete;

    virtual void cancel();
    bool cancelled() const noexcept { return cancelled_; }
    nb::object get_context() const { return context_; }
    nb::str repr(nb::handle self) const;

    // Runs the callback unless cancelled (GIL held).
    void run(PyObject* self);

    // Garbage-collector support.
    static int traverse(PyObject* self, visitproc visit, void* arg);
    static int clear(PyObject* self);

protected:
    void drop_callback() noexcept;

    nb::object callback_;
    nb::object args_;  // a tuple
    nb::object context_;
    nb::object loop_;
    bool cancelled_ = false;
};

// A callback scheduled for a time on the loop's clock (time.monotonic()), as asyncio's.
class py_timer_handle final : public py_handle {
public:
    py_timer_handle(nb::handle callback, nb::tuple args, nb::handle context, nb::handle loop,
                    double when, nb::handle core);
    void cancel() override;
    double when() const noexcept { return when_; }
    void arm(timer_handle timer) noexcept { timer_ = timer; }

private:
    double when_;
    timer_handle timer_;
    nb::object core_;  // keeps the loop core (and its reactor) alive for cancel()
};

void bind_handles(nb::module_& m);

}  // namespace fasterapi::futures::bindings
