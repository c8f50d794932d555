// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/py_future.hpp: the native asyncio-compatible Future (private)
#pragma once

#include <Python.h>

namespace fasterapi::futures::bindings {

// The Future type object, created by register_future_type(); the module exports it.
extern PyTypeObject* future_type;

// Creates the type (a static-free heap type) and adds it to `module` as "Future".
// Returns false with a Python error set on failure.
bool register_future_type(PyObject* module);

// A new pending Future bound to `loop` (a new reference), or nullptr with an error set.
PyObject* future_new(PyObject* loop);

// Loop-thread operations, as the methods of the same names. Completing a future that is done
// already (a cancelled one, typically) returns 0 without an error when `ignore_done` is set;
// otherwise InvalidStateError. Return -1 with an error set on failure.
int future_set_result(PyObject* future, PyObject* value, bool ignore_done);
int future_set_exception(PyObject* future, PyObject* error, bool ignore_done);
bool future_is_done(PyObject* future);

// The running event loop of this thread, or None (a new reference; asyncio._get_running_loop).
PyObject* running_loop_or_none();

}  // namespace fasterapi::futures::bindings
