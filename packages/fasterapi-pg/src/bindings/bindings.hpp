// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/bindings.hpp: what the binding files share (private)
#pragma once

#include <nanobind/nanobind.h>
#include <fasterapi/pg/connection.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fasterapi::pg::bindings {

namespace nb = nanobind;

void bind_errors(nb::module_& m);
void bind_record(nb::module_& m);
void bind_connection(nb::module_& m);
void bind_async(nb::module_& m);

/// Load what the codecs use from Python (the datetime C API). Called once, at import.
void init_codecs();

/// Is TYPE one the binary codecs decode? (Statements with other column types get text results.)
bool decodes_binary(oid type) noexcept;

/// A new reference to the Python value of one column value, or nullptr with an error set.
PyObject* decode_binary(oid type, std::string_view data);
PyObject* decode_text(oid type, std::string_view data);

/// FN(DATA as a str, from UTF-8): a new reference, or nullptr with an error set.
PyObject* call_with_text(PyObject* fn, std::string_view data);

/// Encode VALUE for a parameter of TYPE (INDEX counts from 1, for messages) into OUT.
/// \throws interface_error naming the parameter when the value does not fit the type.
void encode(oid type, nb::handle value, std::size_t index, param_value& out);

/// json or jsonb?
inline bool is_json(oid type) noexcept {
    return type == oids::json || type == oids::jsonb;
}

/// The element type of an array type the codecs handle (int4[] -> int4), else 0.
oid array_element(oid type) noexcept;

/// A binary array as (nested) lists, NULLs as None; nullptr with an error set.
PyObject* decode_array(std::string_view data);

/// PostgreSQL's binary array from its parts: SIZES per dimension (lower bounds 1), ELEMENTS
/// already framed (a 32-bit length, -1 for NULL, then the bytes); empty when a size is 0.
std::string binary_array(oid element, const std::vector<std::int32_t>& sizes, bool has_null,
                         std::string_view elements);

/// The value of a hex digit, or -1.
inline int hex_digit(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// Encode a list (of lists, for more dimensions) as a binary array of ELEMENT values.
/// \throws interface_error naming the parameter for a ragged list or an unencodable element.
void encode_array(oid element, nb::handle value, std::size_t index, param_value& out);

/// A new Record of COLUMNS values sharing the column index KEYS (a dict name -> position).
/// Fill every value with set_record_value (it steals the reference), then finish_record.
/// Returns nullptr with an error set when out of memory.
PyObject* new_record(PyObject* keys, Py_ssize_t columns);
void set_record_value(PyObject* record, Py_ssize_t index, PyObject* value);
void finish_record(PyObject* record);

}  // namespace fasterapi::pg::bindings
