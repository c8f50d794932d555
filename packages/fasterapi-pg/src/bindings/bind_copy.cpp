// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/bind_copy.cpp: COPY on the sync Connection
//
// The Python layer (_copy.py, connection.py) builds the COPY statements and adapts sources and
// sinks (bytes, files, paths, iterables); these move the data, with the GIL released around the
// socket.
#include <nanobind/stl/string.h>

#include <optional>
#include <string>

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

// Encodes RECORDS with the parameter codecs of PROBE (an INSERT of the same columns, prepared
// only to learn their types) and streams them as binary COPY.
std::string copy_records(session& self, const std::string& sql, const std::string& probe,
                         nb::iterable records) {
    const cached_statement& entry = self.prepared(probe);
    std::string buffer = binary_copy_header();
    auto flush = [&] {
        nb::gil_scoped_release released;
        self.conn.copy_in_put(buffer);
        buffer.clear();
    };
    return with_copy_in(self, sql, [&] {
        std::size_t row = 0;
        for (nb::handle record : records) {
            append_binary_copy_row(entry, record, row++, buffer);
            if (buffer.size() >= binary_copy_flush_at) {
                flush();
            }
        }
        buffer += binary_copy_trailer;
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
