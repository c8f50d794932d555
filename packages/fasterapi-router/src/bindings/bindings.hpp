// SPDX-License-Identifier: MIT
// fasterapi-router/src/bindings/bindings.hpp: what the binding files share (private)
#pragma once

#include <nanobind/nanobind.h>
#include <fasterapi/router/router.hpp>

#include <string_view>

namespace fasterapi::router::bindings {

namespace nb = nanobind;

void bind_errors(nb::module_& m);
void bind_router(nb::module_& m);

/// Convert one matched parameter to its Python value (int, float, UUID or str), decoding
/// percent-escapes when DECODE is set. Returns a new reference, or nullptr with an error set;
/// never throws (Router.match calls it outside any C++ exception handler).
PyObject* param_value(param_kind kind, std::string_view text, bool decode);

}  // namespace fasterapi::router::bindings
