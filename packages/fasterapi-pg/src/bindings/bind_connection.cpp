// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/bind_connection.cpp: Connection (sync), with its statement cache
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>

#include <optional>
#include <string>
#include <vector>

#include "bindings/row_stream.hpp"
#include "bindings/session.hpp"

namespace fasterapi::pg::bindings {

namespace {

// Execute ENTRY's statement with its rows going to STREAM as they arrive (see row_stream):
// the GIL is held while they become Records and released only while waiting for more. Past
// TIMEOUT seconds (0: none) the statement is cancelled on the server, as execute() does.
result execute_streamed(session& self, const cached_statement& entry,
                        const std::vector<param_value>& params, row_stream& stream,
                        double timeout) {
    const std::string& what = entry.stmt.label;
    self.conn.send_execute(entry.stmt, params, entry.text_results,
                           [&stream](result batch) { stream.take(batch); });
    stream.start(entry);
    connection::command_deadline deadline(timeout);
    for (;;) {
        const bool sent = self.conn.flush();
        if (self.conn.consume() && sent) break;
        const nb::gil_scoped_release released;
        self.conn.wait_socket(!sent, deadline, what);
    }
    return self.conn.take_result(what, deadline.cancelled ? timeout : 0);
}

// With STREAM (fetch() only), a statement whose last fetch was large streams its rows into
// it where libpq can.
result run(session& self, const std::string& query, nb::args args, cached_statement*& used,
           double timeout, row_stream* stream = nullptr) {
    if (self.conn.cancel_pending()) {
        // A cancel request still on its way holds the next command back (see
        // connection::cancel_pending): without the GIL, as the rest of the waiting is. Only
        // then: giving the GIL up and taking it back is 5 % of a sync query's instructions.
        const nb::gil_scoped_release released;
        self.conn.wait_for_cancel();
    }
    for (int attempt = 0;; ++attempt) {
        cached_statement& entry = self.prepared(query, timeout);  // the timeout covers it too
        const std::vector<param_value> params = encode_args(entry, args);
        try {
            if (stream != nullptr && worth_streaming(entry)) {
                used = &entry;
                return execute_streamed(self, entry, params, *stream, timeout);
            }
            nb::gil_scoped_release released;
            result rows = self.conn.execute(entry.stmt, params, entry.text_results, timeout);
            used = &entry;
            return rows;
        } catch (const server_error& error) {
            if (stream != nullptr) stream->reset();
            if (attempt > 0 || !worth_retrying(error, self.conn)) throw;
            self.forget(query);
        }
    }
}

nb::object run_query(session& self, const std::string& text, nb::args args, result_shape shape,
                     int column, double timeout) {
    cached_statement* entry = nullptr;
    const result rows = run(self, text, args, entry, timeout);
    return shape_result(rows, *entry, shape, column);
}

nb::object fetch(session& self, const std::string& text, nb::args args, double timeout) {
    cached_statement* entry = nullptr;
    row_stream stream;
    const result rows = run(self, text, args, entry, timeout, &stream);
    return fetched_records(stream, rows, *entry);
}

nb::object fetchrow(session& self, const std::string& text, nb::args args, double timeout) {
    return run_query(self, text, args, result_shape::first_record, 0, timeout);
}

nb::object fetchval(session& self, const std::string& text, nb::args args, int column,
                    double timeout) {
    return run_query(self, text, args, result_shape::value, column, timeout);
}

// Rows per pipeline: results are read only after a batch is sent, so a batch must not fill
// the socket buffers both ways; 1,000 small results stay far below that.
constexpr std::size_t pipeline_batch = 1000;

using batch_rows = std::vector<std::vector<param_value>>;

// Run QUERY once per row of ROWS in pipelined batches, each through RUN_BATCH(statement,
// batch) (called with the GIL; it gives it up while it waits). Atomic, as asyncpg's: one batch
// is one pipeline up to its sync, which the server runs as one implicit transaction, so it
// needs no BEGIN and COMMIT round trips; they are sent only when a second batch follows,
// unless the caller already opened a transaction. A cached statement that vanished or went
// stale fails the first batch before anything of the call has run: it is prepared again and
// the batch resent, once (unless a caller's transaction was aborted by it).
template <typename RunBatch>
void run_batches(session& self, const std::string& query, double timeout, nb::iterable rows,
                 RunBatch run_batch) {
    const cached_statement* entry = &self.prepared(query, timeout);
    bool own_transaction = false;
    bool first_batch = true;
    std::vector<nb::args> first_rows;  // to encode again for a statement prepared again
    batch_rows batch;
    auto run_sql = [&](const char* sql) {
        nb::gil_scoped_release released;
        self.conn.execute_simple(sql);
    };
    auto send = [&] {
        try {
            run_batch(*entry, batch);
        } catch (const server_error& error) {
            if (!first_batch || !is_stale_statement(error)) throw;
            self.forget(query);  // so that the next call prepares it again, in any case
            if (own_transaction) {
                run_sql("ROLLBACK");  // ours, aborted by the error
                run_sql("BEGIN");
            } else if (self.conn.transaction_status() != 0) {
                throw;  // the caller's transaction is aborted: nothing to run it in
            }
            entry = &self.prepared(query, timeout);
            batch.clear();
            for (const nb::args& row : first_rows) batch.push_back(encode_args(*entry, row));
            run_batch(*entry, batch);
        }
        first_batch = false;
        first_rows.clear();
    };
    try {
        for (nb::handle row : rows) {
            if (batch.size() == pipeline_batch) {
                if (!own_transaction && self.conn.transaction_status() == 0) {
                    run_sql("BEGIN");
                    own_transaction = true;
                }
                send();
                batch.clear();
            }
            PyObject* values = PySequence_Tuple(row.ptr());
            if (values == nullptr) throw nb::python_error();
            auto args = nb::steal<nb::args>(values);
            batch.push_back(encode_args(*entry, args));
            if (first_batch) first_rows.push_back(std::move(args));
        }
        if (!batch.empty()) send();
    } catch (...) {
        if (own_transaction && !self.conn.is_closed()) run_sql("ROLLBACK");
        throw;
    }
    if (own_transaction) run_sql("COMMIT");
}

void executemany(session& self, const std::string& query, nb::iterable rows, double timeout) {
    run_batches(self, query, timeout, rows,
                [&](const cached_statement& entry, const batch_rows& batch) {
                    nb::gil_scoped_release released;
                    self.conn.execute_pipelined(entry.stmt, batch, timeout);
                });
}

nb::list fetchmany(session& self, const std::string& query, nb::iterable rows, double timeout) {
    nb::list records;
    run_batches(
        self, query, timeout, rows, [&](const cached_statement& entry, const batch_rows& batch) {
            std::vector<result> results;
            {
                nb::gil_scoped_release released;
                results = self.conn.fetch_pipelined(entry.stmt, batch, entry.text_results, timeout);
            }
            append_records(records, results, entry);
        });
    return records;
}

nb::object execute(session& self, const std::string& query, nb::args args, double timeout) {
    if (args.size() == 0 && timeout <= 0) {
        // No parameters: the simple protocol, so a script of several statements works too.
        std::string status;
        {
            nb::gil_scoped_release released;
            status = self.conn.execute_simple(query).status();
        }
        return nb::str(status.c_str());
    }
    return run_query(self, query, args, result_shape::status, 0, timeout);
}

}  // namespace

void bind_connection(nb::module_& m) {
    using namespace nb::literals;
    nb::class_<session> cls(m, "Connection");
    bind_copy(cls);
    cls.def(
           "_set_codec",
           [](session& self, oid type, nb::object encoder, nb::object decoder) {
               for (const std::string& name :
                    self.set_codec(type, std::move(encoder), std::move(decoder))) {
                   nb::gil_scoped_release released;
                   self.conn.deallocate(name);
               }
           },
           "type"_a, "encoder"_a, "decoder"_a,
           nb::sig(
               "def _set_codec(self, type: int, encoder: collections.abc.Callable[[typing.Any], "
               "str], decoder: collections.abc.Callable[[str], typing.Any], /) -> None"))
        .def(
            "_describe",
            [](session& self, const std::string& query) { return describe(self.prepared(query)); },
            "query"_a,
            nb::sig("def _describe(self, query: str, /) -> tuple[tuple[int, ...], "
                    "tuple[tuple[str, int], ...]]"))
        .def(
            "__init__",
            [](session* self, std::string_view dsn, double timeout, std::size_t cache_size,
               bool json_as_text) {
                std::optional<connection> opened;
                {
                    nb::gil_scoped_release released;
                    opened.emplace(dsn, timeout);
                }
                new (self) session(std::move(*opened), cache_size, json_as_text);
            },
            "dsn"_a, nb::kw_only(), "timeout"_a = 60.0, "statement_cache_size"_a = 100,
            "json_as_text"_a = false)
        .def("execute", &execute, "query"_a, "args"_a, "timeout"_a = 0.0,
             nb::sig("def execute(self, query: str, /, *args: typing.Any, timeout: float = 0.0) "
                     "-> str"))
        .def("executemany", &executemany, "query"_a, "args"_a, nb::kw_only(), "timeout"_a = 0.0,
             nb::sig("def executemany(self, query: str, args: collections.abc.Iterable["
                     "collections.abc.Sequence[typing.Any]], /, *, timeout: float = 0.0) "
                     "-> None"))
        .def("fetchmany", &fetchmany, "query"_a, "args"_a, nb::kw_only(), "timeout"_a = 0.0,
             nb::sig("def fetchmany(self, query: str, args: collections.abc.Iterable["
                     "collections.abc.Sequence[typing.Any]], /, *, timeout: float = 0.0) "
                     "-> list[Record]"),
             "Run QUERY once per row of ARGS, pipelined and atomic as executemany, and return\n"
             "the rows of all the runs, in order, as one list of Records (as asyncpg's\n"
             "fetchmany). TIMEOUT (seconds, 0: none) bounds each batch's wait.")
        .def("fetch", &fetch, "query"_a, "args"_a, "timeout"_a = 0.0,
             nb::sig("def fetch(self, query: str, /, *args: typing.Any, timeout: float = 0.0) "
                     "-> list[Record]"))
        .def("fetchrow", &fetchrow, "query"_a, "args"_a, "timeout"_a = 0.0,
             nb::sig("def fetchrow(self, query: str, /, *args: typing.Any, timeout: float = 0.0) "
                     "-> Record | None"))
        .def("fetchval", &fetchval, "query"_a, "args"_a, "column"_a = 0, "timeout"_a = 0.0,
             nb::sig("def fetchval(self, query: str, /, *args: typing.Any, column: int = 0, "
                     "timeout: float = 0.0) -> typing.Any"))
        .def("close",
             [](session& self) {
                 self.cache.clear();
                 self.conn.close();
             })
        .def("is_closed", [](const session& self) { return self.conn.is_closed(); })
        .def(
            "_release_state",
            [](const session& self) {
                // For a pool's release, in one call: 0 clean, 1 needs a rollback, 2 closed.
                if (self.conn.is_closed()) return 2;
                return self.conn.transaction_status() == 0 ? 0 : 1;  // 0: PQTRANS_IDLE
            },
            nb::sig("def _release_state(self, /) -> int"))
        .def(
            "_run_or_close",
            [](session& self, const std::string& sql, double timeout) {
                nb::gil_scoped_release released;
                return self.conn.run_or_close(sql, timeout);
            },
            "sql"_a, "timeout"_a,
            nb::sig("def _run_or_close(self, sql: str, timeout: float, /) -> bool"))
        .def_prop_ro("transaction_status",
                     [](const session& self) {
                         return transaction_status_name(self.conn.transaction_status());
                     })
        .def_prop_ro("backend_pid", [](const session& self) { return self.conn.backend_pid(); })
        .def_prop_ro("server_version",
                     [](const session& self) { return self.conn.server_version(); });
}

}  // namespace fasterapi::pg::bindings
