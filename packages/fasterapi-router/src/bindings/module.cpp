// SPDX-License-Identifier: MIT
// fasterapi-router/src/bindings/module.cpp: the fasterapi_router._router extension module
#include "bindings/bindings.hpp"

NB_MODULE(_router, m) {
    m.doc() = "Native core of fasterapi_router; import from fasterapi_router instead.";
    fasterapi::router::bindings::bind_errors(m);
    fasterapi::router::bindings::bind_router(m);
}
