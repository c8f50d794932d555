// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/owned_ref.hpp: a Python reference that crosses threads
#pragma once

#include <Python.h>

namespace fasterapi::futures::bindings {

// A strong reference that moves without touching the refcount (so a thread without the GIL
// can carry it) and is released by its destructor, which must run with the GIL held.
class owned_ref {
public:
    owned_ref() noexcept = default;
    explicit owned_ref(PyObject* stolen) noexcept : object_(stolen) {}
    owned_ref(owned_ref&& other) noexcept : object_(other.object_) { other.object_ = nullptr; }
    owned_ref& operator=(owned_ref&&) = delete;
    owned_ref(const owned_ref&) = delete;
    ~owned_ref() { Py_XDECREF(object_); }
    PyObject* get() const noexcept { return object_; }
    // Gives up ownership: the caller now owns the reference.
    PyObject* release() noexcept {
        PyObject* object = object_;
        object_ = nullptr;
        return object;
    }

private:
    PyObject* object_ = nullptr;
};

}  // namespace fasterapi::futures::bindings
