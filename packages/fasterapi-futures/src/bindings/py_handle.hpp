// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/py_handle.hpp: Handle and TimerHandle of the event loop
#pragma once

#include <fasterapi/futures/reactor.hpp>

#include <Python.h>

namespace fasterapi::futures::bindings {

// A scheduled callback, as asyncio.Handle: callback(*args) run in a contextvars context;
// cancel() before it runs and it never does. Plain C API types (like Future): scheduling a
// callback is the loop's hottest path.
struct handle_object {
    PyObject_HEAD PyObject* callback;  // nullptr once cancelled
    PyObject* args;                    // a tuple; nullptr once cancelled
    PyObject* context;
    PyObject* loop;      // for the exception handler
    PyObject* core;      // TimerHandle: the LoopCore that schedules it (for cancel())
    timer_handle timer;  // TimerHandle: the reactor's timer
    double when;         // TimerHandle: on the loop's clock
    bool cancelled;
    bool context_parked;  // its context is out of the collector's view (handle_new)
};

extern PyTypeObject* handle_type;
extern PyTypeObject* timer_handle_type;

// Creates both types and adds them to `module`; false with a Python error set on failure.
bool register_handle_types(PyObject* module);

// A new Handle (or TimerHandle with `timer_type`); `args` is a new tuple of the arguments;
// without `context`, a copy of the current one (parked, see handle_unpark_context).
// Untracked by the cyclic GC: the caller tracks it (PyObject_GC_Track) unless it goes to the
// loop's ready queue, which holds its handles untracked. Returns nullptr with an error set on
// failure.
PyObject* handle_new(PyTypeObject* type, PyObject* callback, PyObject* const* args,
                     Py_ssize_t nargs, PyObject* context, PyObject* loop);

// The context a handle copies itself (call_soon without context=) is untracked by the cyclic
// GC while the handle waits in the loop's ready queue or among its timers, as a queued handle
// is: a burst of call_soon otherwise fills the youngest generation with a thousand fresh
// contexts that every collection the burst triggers traverses again. Only the handle holds
// such a context, and it is tracked again before anything else can see or release it: when
// the handle is dequeued to run, when its context is asked for, when it is cleared, when it
// becomes a reader's or writer's. (A context must be tracked when it is freed: CPython's
// context_tp_dealloc untracks it without checking.)
void handle_unpark_context(PyObject* handle) noexcept;

// Runs the callback unless cancelled. SystemExit and KeyboardInterrupt are left set and -1
// returned (they leave the loop); any other exception goes to loop.call_exception_handler.
int handle_run(PyObject* handle);

}  // namespace fasterapi::futures::bindings
