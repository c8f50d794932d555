// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/decimals.hpp: numeric values as decimal.Decimal (private)
#pragma once

#include <fasterapi/pg/binary.hpp>

#include "bindings/bindings.hpp"

namespace fasterapi::pg::bindings {

/// decimal.Decimal (a borrowed reference, held for good).
PyObject* decimal_class();

/// A new decimal.Decimal equal to NUMERIC, digit for digit and with its exponent (as
/// Decimal(text) would make it), or nullptr with an error set.
PyObject* decimal_value(const binary::numeric_digits& numeric);

/// Does decimal_value fill Decimals in place here (see decimals.cpp), rather than call
/// Decimal(text)?
bool decimals_built_directly();

}  // namespace fasterapi::pg::bindings
