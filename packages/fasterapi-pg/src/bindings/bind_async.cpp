// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/bind_async.cpp: AsyncCore, the non-blocking half of a connection
//
// AsyncCore never waits: fasterapi_pg.AsyncConnection watches its socket on the event loop
// and calls it when the socket is ready. Everything here runs with the GIL held and returns
// at once (request_cancel hands the cancel request to a thread of its own).
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/vector.h>

#include <string>
#include <vector>

#include "bindings/row_stream.hpp"
#include "bindings/session.hpp"

namespace fasterapi::pg::bindings {

namespace {

// What a send_* call reports: whether libpq still holds bytes to write.
enum send_state : int { needs_prepare = 0, sent = 1, sending = 2 };

struct async_session : session {
    using session::session;
    std::string preparing;                  ///< name of the statement send_prepare() sent
    cached_statement* executing = nullptr;  ///< statement of the execution in flight
    row_stream streamed;                    ///< its rows as they arrive, when it streams
    bool unnamed_ready = false;  ///< cache size 0: the unnamed statement was just prepared
};

int sent_state(connection& conn) {
    return conn.flush() ? sent : sending;
}

// QUERY's statement, or nullptr when it must be prepared first. With no cache the unnamed
// statement serves one execution only, right after it is prepared: a pooler in transaction
// mode may run the next one on another server connection.
cached_statement* lookup(async_session& self, const std::string& query) {
    if (self.cache.capacity() != 0) return self.find(query);
    if (!std::exchange(self.unnamed_ready, false)) return nullptr;
    return &*self.uncached;
}

// SHAPE: what finish() will be asked for; a fetch() that was large last time streams.
int send_execute(async_session& self, const std::string& query, nb::tuple args, int shape) {
    cached_statement* entry = lookup(self, query);
    if (entry == nullptr) return needs_prepare;
    const std::vector<param_value> params = encode_args(*entry, nb::borrow<nb::args>(args));
    self.streamed.reset();
    const bool stream =
        static_cast<result_shape>(shape) == result_shape::records && worth_streaming(*entry);
    connection::rows_handler on_rows;
    if (stream) on_rows = [&self](result batch) { self.streamed.take(batch); };
    self.conn.send_execute(entry->stmt, params, entry->text_results, std::move(on_rows));
    if (stream) self.streamed.start(*entry);  // no row is read before the send returns
    self.executing = entry;
    return sent_state(self.conn);
}

// Send QUERY once per row of ROWS, pipelined. With KEEP_RESULTS (fetchmany), every command's
// rows are kept for finish_pipelined(); otherwise only the first error or the last status.
int send_pipelined(async_session& self, const std::string& query, nb::iterable rows,
                   bool keep_results) {
    cached_statement* entry = lookup(self, query);
    if (entry == nullptr) return needs_prepare;
    std::vector<std::vector<param_value>> batch;
    for (nb::handle row : rows) {
        PyObject* values = PySequence_Tuple(row.ptr());
        if (values == nullptr) throw nb::python_error();
        batch.push_back(encode_args(*entry, nb::steal<nb::args>(values)));
    }
    if (keep_results) {
        self.conn.send_pipelined_keeping_results(entry->stmt, batch, entry->text_results);
    } else {
        self.conn.send_pipelined(entry->stmt, batch);
    }
    self.executing = entry;
    return sent_state(self.conn);
}

// The end of a completed send_pipelined(): with RETURNING, every command's rows as one list,
// else None. A statement that vanished or went stale is forgotten, so that the next call
// prepares it again; with MAY_RETRY (the call's only batch, nothing of it has run) and outside
// a transaction, RETRY says to prepare it and send the batch again.
nb::object finish_pipelined(async_session& self, const std::string& query, bool returning,
                            double timed_out_after, bool may_retry, nb::handle retry) {
    cached_statement* entry = std::exchange(self.executing, nullptr);
    if (entry == nullptr) throw interface_error("no pipelined batch has been sent");
    try {
        const std::vector<result> results =
            self.conn.take_pipelined_results(pipelined_label(entry->stmt), timed_out_after);
        if (!returning) return nb::none();
        nb::list records;
        append_records(records, results, *entry);
        return std::move(records);
    } catch (const server_error& error) {
        if (!is_stale_statement(error)) throw;
        self.forget(query);
        if (!may_retry || !worth_retrying(error, self.conn)) throw;
        return nb::borrow(retry);
    }
}

// The finished command's result in SHAPE; RETRY when its cached statement went stale
// (then it is forgotten, and the caller prepares it again and resends).
nb::object finish(async_session& self, const std::string& query, int shape, int column,
                  double timed_out_after, bool may_retry, nb::handle retry) {
    cached_statement* entry = std::exchange(self.executing, nullptr);
    try {
        // A command without a statement (the simple protocol) is named here.
        const std::string unprepared = entry == nullptr ? quoted(query) : std::string();
        const result rows = self.conn.take_result(entry != nullptr ? entry->stmt.label : unprepared,
                                                  timed_out_after);
        if (entry == nullptr) return nb::str(rows.status().data(), rows.status().size());
        if (static_cast<result_shape>(shape) != result_shape::records) {
            return shape_result(rows, *entry, static_cast<result_shape>(shape), column);
        }
        return fetched_records(self.streamed, rows, *entry);
    } catch (const server_error& error) {
        self.streamed.reset();
        if (!may_retry || entry == nullptr || !worth_retrying(error, self.conn)) throw;
        self.forget(query);
        return nb::borrow(retry);
    } catch (...) {
        self.streamed.reset();
        throw;
    }
}

// Queue PostgreSQL's binary COPY encoding of RECORDS (rows of PROBE's parameter types; the
// header first when FIRST_ROW is 0); None when PROBE must be prepared first.
nb::object encode_copy_rows(async_session& self, const std::string& probe, nb::iterable records,
                            std::size_t first_row) {
    cached_statement* entry = lookup(self, probe);
    if (entry == nullptr) return nb::none();
    std::string encoded = first_row == 0 ? binary_copy_header() : std::string();
    std::size_t row = first_row;
    for (nb::handle record : records) {
        append_binary_copy_row(*entry, record, row++, encoded);
    }
    return nb::bytes(encoded.data(), encoded.size());
}

bool copy_put(async_session& self, nb::handle chunk) {
    Py_buffer view;
    if (PyObject_GetBuffer(chunk.ptr(), &view, PyBUF_SIMPLE) < 0) throw nb::python_error();
    const std::string_view data(static_cast<const char*>(view.buf),
                                static_cast<std::size_t>(view.len));
    try {
        const bool queued = self.conn.send_copy_data(data);
        PyBuffer_Release(&view);
        return queued;
    } catch (...) {
        PyBuffer_Release(&view);
        throw;
    }
}

// The next chunk of COPY TO STDOUT; None when a whole one has not arrived; b"" at the end.
nb::object copy_get(async_session& self) {
    std::string chunk;
    switch (self.conn.receive_copy_data(chunk)) {
        case 1:
            return nb::bytes(chunk.data(), chunk.size());
        case 0:
            return nb::none();
        default:
            return nb::bytes("", 0);
    }
}

nb::list take_notifications(async_session& self) {
    nb::list received;
    for (auto& note : self.conn.take_notifications()) {
        received.append(nb::make_tuple(note.sender_pid, note.channel, note.payload));
    }
    return received;
}

}  // namespace

void bind_async(nb::module_& m) {
    using namespace nb::literals;
    nb::object retry = nb::module_::import_("builtins").attr("object")();
    m.attr("RETRY") = retry;
    m.def("streams_rows", &connection::streams_rows,
          "Whether a large fetch() is decoded while its rows arrive (with libpq 17 or newer).");
    m.def("libpq_version", &connection::libpq_version,
          "The version of the libpq loaded, as PQlibVersion() gives it (150018 for 15.18).");
    nb::class_<async_session>(m, "AsyncCore")
        .def(
            "__init__",
            [](async_session* self, std::string_view dsn, std::size_t cache_size,
               bool json_as_text) {
                new (self) async_session(connection::start(dsn), cache_size, json_as_text);
            },
            "dsn"_a, "statement_cache_size"_a, "json_as_text"_a)
        .def("connect_poll",
             [](async_session& self) { return static_cast<int>(self.conn.connect_poll()); })
        .def_prop_ro("socket", [](const async_session& self) { return self.conn.socket(); })
        .def(
            "send_prepare",
            [](async_session& self, const std::string& query) {
                self.preparing = self.next_name();
                self.conn.send_prepare(self.preparing, query);
                return sent_state(self.conn);
            },
            "query"_a)
        .def(
            "set_codec",
            [](async_session& self, oid type, nb::object encoder, nb::object decoder) {
                return self.set_codec(type, std::move(encoder), std::move(decoder));
            },
            "type"_a, "encoder"_a, "decoder"_a,
            nb::sig(
                "def set_codec(self, type: int, encoder: collections.abc.Callable[[typing.Any], "
                "str], decoder: collections.abc.Callable[[str], typing.Any]) -> list[str]"))
        .def(
            "describe",
            [](async_session& self, const std::string& query) -> nb::object {
                // Without a cache only the statement prepared last is known, if it is QUERY's.
                const cached_statement* entry =
                    self.cache.capacity() != 0                            ? self.find(query)
                    : self.uncached && self.uncached->stmt.query == query ? &*self.uncached
                                                                          : nullptr;
                if (entry == nullptr) return nb::none();
                return describe(*entry);
            },
            "query"_a,
            nb::sig("def describe(self, query: str) -> tuple[tuple[int, ...], "
                    "tuple[tuple[str, int], ...]] | None"))
        .def(
            "finish_prepare",
            [](async_session& self, const std::string& query) {
                auto evicted = self.remember(query, self.conn.take_prepared(self.preparing, query));
                self.unnamed_ready = self.cache.capacity() == 0;
                return evicted;
            },
            "query"_a)
        .def("send_execute", &send_execute, "query"_a, "args"_a, "shape"_a,
             nb::sig("def send_execute(self, query: str, args: tuple[typing.Any, ...], "
                     "shape: int) -> int"))
        .def("send_pipelined", &send_pipelined, "query"_a, "rows"_a, "keep_results"_a,
             nb::sig("def send_pipelined(self, query: str, rows: collections.abc.Iterable["
                     "collections.abc.Sequence[typing.Any]], keep_results: bool) -> int"))
        .def(
            "finish_pipelined",
            [retry](async_session& self, const std::string& query, bool returning,
                    double timed_out_after, bool may_retry) {
                return finish_pipelined(self, query, returning, timed_out_after, may_retry, retry);
            },
            "query"_a, "returning"_a, "timed_out_after"_a, "may_retry"_a,
            nb::sig("def finish_pipelined(self, query: str, returning: bool, "
                    "timed_out_after: float, may_retry: bool) -> list[Record] | None"))
        .def(
            "send_simple",
            [](async_session& self, std::string_view sql) {
                self.executing = nullptr;
                self.conn.send_simple(sql);
                return sent_state(self.conn);
            },
            "sql"_a)
        .def(
            "take_copy_start",
            [](async_session& self, const std::string& sql) {
                return self.conn.take_copy_start(quoted(sql));
            },
            "sql"_a)
        .def("copy_put", &copy_put, "chunk"_a,
             nb::sig("def copy_put(self, chunk: bytes | bytearray | memoryview) -> bool"))
        .def(
            "copy_end",
            [](async_session& self, const std::string& abort_reason) {
                return self.conn.send_copy_end(abort_reason);
            },
            "abort_reason"_a = "")
        .def("copy_get", &copy_get, nb::sig("def copy_get(self) -> bytes | None"))
        .def("encode_copy_rows", &encode_copy_rows, "probe"_a, "records"_a, "first_row"_a,
             nb::sig("def encode_copy_rows(self, probe: str, records: collections.abc.Iterable["
                     "collections.abc.Sequence[typing.Any]], first_row: int) -> bytes | None"))
        .def_prop_ro_static("COPY_TRAILER",
                            [](nb::handle) {
                                return nb::bytes(binary_copy_trailer.data(),
                                                 binary_copy_trailer.size());
                            })
        .def("flush", [](async_session& self) { return self.conn.flush(); })
        .def("consume", [](async_session& self) { return self.conn.consume(); })
        .def(
            "finish",
            [retry](async_session& self, const std::string& query, int shape, int column,
                    double timed_out_after, bool may_retry) {
                return finish(self, query, shape, column, timed_out_after, may_retry, retry);
            },
            "query"_a, "shape"_a, "column"_a, "timed_out_after"_a, "may_retry"_a,
            nb::sig("def finish(self, query: str, shape: int, column: int, timed_out_after: float, "
                    "may_retry: bool) -> typing.Any"))
        .def(
            "discard",
            [](async_session& self, std::string_view what) {
                // The result of a command nobody waits for any more (its caller was cancelled):
                // a server error is dropped, a lost connection still raises.
                self.executing = nullptr;
                self.streamed.reset();
                try {
                    static_cast<void>(self.conn.take_result(what));
                } catch (const server_error&) {
                }
            },
            "what"_a)
        .def("request_cancel", [](async_session& self) { self.conn.request_cancel(); })
        .def("cancel_pending", [](const async_session& self) { return self.conn.cancel_pending(); })
        .def("take_notifications", &take_notifications,
             nb::sig("def take_notifications(self) -> list[tuple[int, str, str]]"))
        .def("is_broken", [](const async_session& self) { return self.conn.is_broken(); })
        .def("close",
             [](async_session& self) {
                 self.cache.clear();
                 self.uncached.reset();
                 self.executing = nullptr;
                 self.streamed.reset();
                 self.conn.close();
             })
        .def("is_closed", [](const async_session& self) { return self.conn.is_closed(); })
        .def("is_clean",
             [](const async_session& self) {
                 // For a pool's release, in one call: open and outside a transaction.
                 return !self.conn.is_closed() && self.conn.transaction_status() == 0;
             })
        .def_prop_ro("transaction_status",
                     [](const async_session& self) {
                         return transaction_status_name(self.conn.transaction_status());
                     })
        .def_prop_ro("backend_pid",
                     [](const async_session& self) { return self.conn.backend_pid(); })
        .def_prop_ro("server_version",
                     [](const async_session& self) { return self.conn.server_version(); });
}

}  // namespace fasterapi::pg::bindings
