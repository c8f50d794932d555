// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/bind_copy.cpp: COPY on the sync Connection
//
// The Python layer (copy.py) builds the COPY statements and adapts sources and sinks (bytes,
// files, paths, iterables); these move the data, with the GIL released around the socket.
#include <nanobind/stl/string.h>

#include <cstdint>
#include <optional>
#include <string>

#include <fasterapi/pg/binary.hpp>

#include "bindings/session.hpp"

namespace fasterapi::pg::bindings {

namespace {

// Anything that fails while a COPY FROM STDIN is open (the source raised, a record did not
// encode): abort the COPY (the server rolls it back) so the connection stays usable, then let
// the error through.
template <typename Body>
std::string with_copy_in(session& self, const std::string& sql, Body&& body) {
    {
        nb::gil_scoped_release released;
        self.conn.copy_in_start(sql);
    }
    try {
        body();
    } catch (...) {
        if (!self.conn.is_closed()) {
            try {
                nb::gil_scoped_release released;
                self.conn.copy_in_end("the COPY data failed on the client");
            } catch (const pg_error&) {
                // the abort comes back as an error by design
            }
        }
        throw;
    }
    nb::gil_scoped_release released;
    return self.conn.copy_in_end();
}

void put(session& self, nb::handle chunk) {
    Py_buffer view;
    if (PyObject_GetBuffer(chunk.ptr(), &view, PyBUF_SIMPLE) < 0) {
        throw nb::python_error();
    }
    const std::string_view data(static_cast<const char*>(view.buf),
                                static_cast<std::size_t>(view.len));
    try {
        nb::gil_scoped_release released;
        self.conn.copy_in_put(data);
    } catch (...) {
        PyBuffer_Release(&view);
        throw;
    }
    PyBuffer_Release(&view);
}

std::string copy_in(session& self, const std::string& sql, nb::iterable chunks) {
    return with_copy_in(self, sql, [&] {
        for (nb::handle chunk : chunks) {
            put(self, chunk);
        }
    });
}

// PostgreSQL's binary COPY format: an 11-byte signature (ending in NUL), flags, header extension,
// then per row a 16-bit field count and each field as a 32-bit length (-1: NULL) and its binary
// value; -1 ends it.
constexpr char binary_signature[] = "PGCOPY\n\377\r\n";
constexpr std::size_t flush_at = 64 * 1024;

void append_be16(std::string& out, std::int16_t value) {
    out.push_back(static_cast<char>((value >> 8) & 0xff));
    out.push_back(static_cast<char>(value & 0xff));
}

void append_be32(std::string& out, std::int32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((value >> shift) & 0xff));
    }
}

// Types whose binary form is their text (UTF-8) form, so a value the codecs sent as text
// goes into a binary COPY as it is (jsonb adds a version byte).
bool text_is_binary(oid type) {
    return type == oids::text || type == oids::varchar || type == oids::bpchar ||
           type == oids::name || type == oids::json || type == oids::jsonb || type == oids::unknown;
}

// Encodes RECORDS with the parameter codecs of PROBE (an INSERT of the same columns, prepared
// only to learn their types) and streams them as binary COPY.
std::string copy_records(session& self, const std::string& sql, const std::string& probe,
                         nb::iterable records) {
    const cached_statement& entry = self.prepared(probe);
    const std::size_t width = entry.stmt.param_types.size();
    std::string buffer(binary_signature, sizeof binary_signature);  // with its final NUL
    append_be32(buffer, 0);                                         // flags
    append_be32(buffer, 0);                                         // header extension length
    auto flush = [&] {
        nb::gil_scoped_release released;
        self.conn.copy_in_put(buffer);
        buffer.clear();
    };
    return with_copy_in(self, sql, [&] {
        std::size_t row = 0;
        for (nb::handle record : records) {
            PyObject* values = PySequence_Tuple(record.ptr());
            if (values == nullptr) {
                throw nb::python_error();
            }
            const std::vector<param_value> fields = encode_args(entry, nb::steal<nb::args>(values));
            append_be16(buffer, static_cast<std::int16_t>(width));
            for (std::size_t column = 0; column < fields.size(); ++column) {
                const param_value& field = fields[column];
                if (field.is_null) {
                    append_be32(buffer, -1);
                    continue;
                }
                const oid type = entry.stmt.param_types[column];
                if (field.is_text && text_is_binary(type)) {
                    const bool versioned = type == oids::jsonb;  // jsonb's binary form: 1, text
                    append_be32(buffer, static_cast<std::int32_t>(field.bytes.size() + versioned));
                    if (versioned) {
                        buffer.push_back('\1');
                    }
                    buffer += field.bytes;
                    continue;
                }
                if (field.is_text && type == oids::numeric) {
                    const std::string binary = binary::numeric_from_text(field.bytes);
                    append_be32(buffer, static_cast<std::int32_t>(binary.size()));
                    buffer += binary;
                    continue;
                }
                if (field.is_text) {
                    PyErr_Format(PyExc_TypeError,
                                 "copy_records_to_table: record %zu, column %zu has a type "
                                 "(oid %u) without a binary encoder; use copy_to_table with "
                                 "text or CSV data instead",
                                 row, column + 1, type);
                    throw nb::python_error();
                }
                append_be32(buffer, static_cast<std::int32_t>(field.bytes.size()));
                buffer += field.bytes;
            }
            if (buffer.size() >= flush_at) {
                flush();
            }
            ++row;
        }
        append_be16(buffer, -1);
        flush();
    });
}

std::string copy_out(session& self, const std::string& sql, nb::callable sink) {
    {
        nb::gil_scoped_release released;
        self.conn.copy_out_start(sql);
    }
    std::string chunk;
    std::string status;
    std::optional<nb::python_error> failed;  // the sink raised: drain the COPY, then rethrow
    for (;;) {
        bool more;
        {
            nb::gil_scoped_release released;
            more = self.conn.copy_out_next(chunk, status);
        }
        if (!more) {
            break;
        }
        if (failed) {
            continue;
        }
        try {
            sink(nb::bytes(chunk.data(), chunk.size()));
        } catch (nb::python_error& error) {
            failed.emplace(std::move(error));
        }
    }
    if (failed) {
        throw std::move(*failed);
    }
    return status;
}

}  // namespace

void bind_copy(nb::class_<session>& cls) {
    using namespace nb::literals;
    cls.def("_copy_in", &copy_in, "sql"_a, "chunks"_a,
            nb::sig("def _copy_in(self, sql: str, chunks: collections.abc.Iterable[bytes | "
                    "bytearray | memoryview], /) -> str"))
        .def("_copy_records", &copy_records, "sql"_a, "probe"_a, "records"_a,
             nb::sig("def _copy_records(self, sql: str, probe: str, records: "
                     "collections.abc.Iterable[collections.abc.Sequence[typing.Any]], /) -> str"))
        .def("_copy_out", &copy_out, "sql"_a, "sink"_a,
             nb::sig("def _copy_out(self, sql: str, sink: collections.abc.Callable[[bytes], "
                     "object], /) -> str"));
}

}  // namespace fasterapi::pg::bindings
