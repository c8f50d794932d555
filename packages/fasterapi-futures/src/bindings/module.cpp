// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/module.cpp: the fasterapi_futures._futures extension module
#include "loop_core.hpp"
#include "promise.hpp"
#include "py_future.hpp"
#include "py_handle.hpp"
#include "socket_transport.hpp"

NB_MODULE(_futures, m) {
    m.doc() = "Native core of fasterapi_futures; import from fasterapi_futures instead.";
    if (!fasterapi::futures::bindings::register_future_type(m.ptr())) {
        throw nanobind::python_error();
    }
    fasterapi::futures::bindings::bind_completion_queue(m);
    fasterapi::futures::bindings::bind_promise(m);
    fasterapi::futures::bindings::bind_native_producer(m);
    if (!fasterapi::futures::bindings::register_handle_types(m.ptr())) {
        throw nanobind::python_error();
    }
    fasterapi::futures::bindings::bind_loop_core(m);
    fasterapi::futures::bindings::bind_socket_transport(m);
}
