// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/module.cpp: the fasterapi_pg._pg extension module
#include "bindings/bindings.hpp"
#include "bindings/decimals.hpp"

NB_MODULE(_pg, m) {
    m.doc() = "Native core of fasterapi_pg; import from fasterapi_pg instead.";
    fasterapi::pg::bindings::init_codecs();
    fasterapi::pg::bindings::bind_errors(m);
    fasterapi::pg::bindings::bind_record(m);
    fasterapi::pg::bindings::bind_connection(m);
    fasterapi::pg::bindings::bind_async(m);
    m.def("decimals_built_directly", &fasterapi::pg::bindings::decimals_built_directly,
          "Whether numeric values become Decimals filled in place rather than by Decimal(text).");
}
