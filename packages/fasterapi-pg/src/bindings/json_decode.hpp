// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/json_decode.hpp: json/jsonb text into Python objects (private)
#pragma once

#include <string_view>

#include "bindings/bindings.hpp"

namespace fasterapi::pg::bindings {

/// The Python value of the JSON document TEXT (UTF-8), as json.loads would return it: a new
/// reference, or nullptr with json.loads's error set.
PyObject* json_value(std::string_view text);

}  // namespace fasterapi::pg::bindings
