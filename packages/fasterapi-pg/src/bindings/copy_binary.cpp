// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/copy_binary.cpp: rows in PostgreSQL's binary COPY format
//
// The format: an 11-byte signature (ending in NUL), 32-bit flags and header-extension length,
// then per row a 16-bit field count and each field as a 32-bit length (-1: NULL) and its
// binary value; a 16-bit -1 ends it. Values are encoded by the query-parameter codecs.
#include <fasterapi/pg/binary.hpp>

#include <cstdint>
#include <string>

#include "bindings/session.hpp"

namespace fasterapi::pg::bindings {

namespace {

constexpr char binary_signature[] = "PGCOPY\n\377\r\n";

// Types whose binary form is their text (UTF-8) form, so a value the codecs sent as text
// goes into a binary COPY as it is (jsonb adds a version byte).
bool text_is_binary(oid type) {
    return type == oids::text || type == oids::varchar || type == oids::bpchar ||
           type == oids::name || type == oids::json || type == oids::jsonb || type == oids::unknown;
}

void append_field(std::string& out, std::string_view bytes) {
    binary::write<std::int32_t>(out, static_cast<std::int32_t>(bytes.size()));
    out += bytes;
}

}  // namespace

std::string binary_copy_header() {
    std::string header(binary_signature, sizeof binary_signature);  // with its final NUL
    binary::write<std::int32_t>(header, 0);                         // flags
    binary::write<std::int32_t>(header, 0);                         // header extension length
    return header;
}

void append_binary_copy_row(const cached_statement& entry, nb::handle record, std::size_t row,
                            std::string& out) {
    const std::vector<oid>& types = entry.stmt.param_types;
    nb::object values = nb::steal(
        PySequence_Fast(record.ptr(), "copy_records_to_table: a record must be a sequence"));
    if (!values.is_valid()) {
        throw nb::python_error();
    }
    const auto width = static_cast<std::size_t>(PySequence_Fast_GET_SIZE(values.ptr()));
    if (width != types.size()) {
        throw interface_error("copy_records_to_table: record " + std::to_string(row) + " has " +
                              std::to_string(width) + " value(s); the columns are " +
                              std::to_string(types.size()));
    }
    PyObject** items = PySequence_Fast_ITEMS(values.ptr());
    // One field buffer for every value (the GIL is held): encoding allocates nothing per row.
    static param_value field;
    binary::write<std::int16_t>(out, static_cast<std::int16_t>(width));
    for (std::size_t column = 0; column < width; ++column) {
        const oid type = types[column];
        encode_param(entry, type, nb::handle(items[column]), column + 1, field);
        if (field.is_null) {
            binary::write<std::int32_t>(out, -1);
        } else if (!field.is_text) {
            append_field(out, field.bytes);
        } else if (type == oids::jsonb) {
            binary::write<std::int32_t>(out, static_cast<std::int32_t>(field.bytes.size() + 1));
            out.push_back('\1');  // jsonb's binary form: version 1, then the text
            out += field.bytes;
        } else if (text_is_binary(type)) {
            append_field(out, field.bytes);
        } else if (type == oids::numeric) {
            append_field(out, binary::numeric_from_text(field.bytes));
        } else {
            PyErr_Format(PyExc_TypeError,
                         "copy_records_to_table: record %zu, column %zu has a type (oid %u) "
                         "without a binary encoder; use copy_to_table with text or CSV data",
                         row, column + 1, type);
            throw nb::python_error();
        }
    }
}

}  // namespace fasterapi::pg::bindings
