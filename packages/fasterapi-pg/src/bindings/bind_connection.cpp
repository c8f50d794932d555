// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/bind_connection.cpp: Connection (sync), with its statement cache
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>

#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "bindings/bindings.hpp"

namespace fasterapi::pg::bindings {

namespace {

// A statement the server has prepared for this connection.
struct cached_statement {
    statement stmt;
    nb::dict keys;              // column name -> position, shared by the rows' Records
    bool text_results = false;  // some column type has no binary codec: fetch all as text
};

// Prepared statements by query text, least recently used first out.
class statement_cache {
public:
    explicit statement_cache(std::size_t capacity) : _capacity(capacity) {}

    [[nodiscard]] std::size_t capacity() const noexcept { return _capacity; }

    cached_statement* find(const std::string& query) {
        const auto found = _index.find(query);
        if (found == _index.end()) return nullptr;
        _order.splice(_order.begin(), _order, found->second);
        return &found->second->second;
    }

    // Insert; returns the names of statements pushed out, for the caller to deallocate.
    std::vector<std::string> insert(const std::string& query, cached_statement entry) {
        _order.emplace_front(query, std::move(entry));
        _index[query] = _order.begin();
        std::vector<std::string> evicted;
        while (_order.size() > _capacity) {
            evicted.push_back(_order.back().second.stmt.name);
            _index.erase(_order.back().first);
            _order.pop_back();
        }
        return evicted;
    }

    void erase(const std::string& query) {
        const auto found = _index.find(query);
        if (found == _index.end()) return;
        _order.erase(found->second);
        _index.erase(found);
    }

    void clear() {
        _order.clear();
        _index.clear();
    }

private:
    std::size_t _capacity;
    std::list<std::pair<std::string, cached_statement>> _order;
    std::unordered_map<std::string, std::list<std::pair<std::string, cached_statement>>::iterator>
        _index;
};

struct py_connection {
    py_connection(connection opened, std::size_t cache_size)
        : conn(std::move(opened)), cache(cache_size) {}
    connection conn;
    statement_cache cache;
    std::uint64_t statements_made = 0;
    std::optional<cached_statement> uncached;  // cache size 0: the unnamed statement
};

cached_statement describe(py_connection& self, const std::string& query) {
    // With no cache the unnamed statement is used (what PgBouncer's transaction mode needs).
    const std::string name = self.cache.capacity() == 0
                                 ? std::string()
                                 : "fasterapi_" + std::to_string(++self.statements_made);
    cached_statement entry;
    {
        nb::gil_scoped_release released;
        entry.stmt = self.conn.prepare(name, query);
    }
    for (std::size_t i = 0; i < entry.stmt.columns.size(); ++i) {
        const auto& column = entry.stmt.columns[i];
        nb::str key(column.name.c_str());
        if (!entry.keys.contains(key)) entry.keys[key] = i;
        if (!decodes_binary(column.type)) entry.text_results = true;
    }
    return entry;
}

cached_statement& prepared(py_connection& self, const std::string& query) {
    if (self.cache.capacity() == 0) {
        self.uncached = describe(self, query);
        return *self.uncached;
    }
    if (cached_statement* hit = self.cache.find(query)) return *hit;
    cached_statement entry = describe(self, query);
    for (const auto& name : self.cache.insert(query, std::move(entry))) {
        nb::gil_scoped_release released;
        self.conn.deallocate(name);
    }
    return *self.cache.find(query);
}

std::vector<param_value> encode_args(const cached_statement& entry, nb::args args) {
    const auto& types = entry.stmt.param_types;
    if (args.size() != types.size()) {
        throw interface_error("cannot run the query: it takes " + std::to_string(types.size()) +
                              " parameter(s) ($1..$" + std::to_string(types.size()) + "), got " +
                              std::to_string(args.size()));
    }
    std::vector<param_value> params(types.size());
    for (std::size_t i = 0; i < types.size(); ++i) encode(types[i], args[i], i + 1, params[i]);
    return params;
}

// A cached plan the server refuses after a schema change, or a statement that vanished
// (DISCARD ALL, a pooler): prepare again and retry once, unless a transaction is open
// (it is aborted by the error anyway).
bool worth_retrying(const server_error& error, const connection& conn) {
    const std::string& state = error.fields().sqlstate;
    const bool stale_plan =
        state == "0A000" && error.fields().message.find("cached plan") != std::string::npos;
    return (stale_plan || state == "26000") && conn.transaction_status() == 0;
}

result run(py_connection& self, const std::string& query, nb::args args, cached_statement*& used,
           double timeout) {
    for (int attempt = 0;; ++attempt) {
        cached_statement& entry = prepared(self, query);
        const std::vector<param_value> params = encode_args(entry, args);
        try {
            nb::gil_scoped_release released;
            result rows = self.conn.execute(entry.stmt, params, entry.text_results, timeout);
            used = &entry;
            return rows;
        } catch (const server_error& error) {
            if (attempt > 0 || !worth_retrying(error, self.conn)) throw;
            self.cache.erase(query);
        }
    }
}

nb::object row_record(const result& rows, const cached_statement& entry, int row) {
    const int columns = rows.columns();
    PyObject* values = PyTuple_New(columns);
    if (values == nullptr) throw nb::python_error();
    for (int col = 0; col < columns; ++col) {
        PyObject* value = nullptr;
        if (rows.is_null(row, col)) {
            value = Py_NewRef(Py_None);
        } else if (entry.text_results) {
            value = decode_text(rows.column_type(col), rows.value(row, col));
        } else {
            value = decode_binary(rows.column_type(col), rows.value(row, col));
        }
        if (value == nullptr) {
            Py_DECREF(values);
            throw nb::python_error();
        }
        PyTuple_SET_ITEM(values, col, value);
    }
    return make_record(entry.keys, values);
}

nb::list fetch(py_connection& self, const std::string& query, nb::args args, double timeout) {
    cached_statement* entry = nullptr;
    const result rows = run(self, query, args, entry, timeout);
    nb::list records;
    for (int row = 0; row < rows.rows(); ++row) records.append(row_record(rows, *entry, row));
    return records;
}

nb::object fetchrow(py_connection& self, const std::string& query, nb::args args, double timeout) {
    cached_statement* entry = nullptr;
    const result rows = run(self, query, args, entry, timeout);
    return rows.rows() == 0 ? nb::none() : row_record(rows, *entry, 0);
}

nb::object fetchval(py_connection& self, const std::string& query, nb::args args, int column,
                    double timeout) {
    cached_statement* entry = nullptr;
    const result rows = run(self, query, args, entry, timeout);
    if (column < 0 || column >= rows.columns()) {
        throw interface_error("cannot fetch column " + std::to_string(column) +
                              ": the query returns " + std::to_string(rows.columns()) +
                              " column(s)");
    }
    if (rows.rows() == 0 || rows.is_null(0, column)) return nb::none();
    PyObject* value = entry->text_results
                          ? decode_text(rows.column_type(column), rows.value(0, column))
                          : decode_binary(rows.column_type(column), rows.value(0, column));
    if (value == nullptr) throw nb::python_error();
    return nb::steal(value);
}

// Rows per pipeline: results are read only after a batch is sent, so a batch must not fill
// the socket buffers both ways; 1,000 small results stay far below that.
constexpr std::size_t pipeline_batch = 1000;

void executemany(py_connection& self, const std::string& query, nb::iterable rows) {
    cached_statement& entry = prepared(self, query);
    // Atomic, as asyncpg's: one transaction unless the caller already opened one.
    const bool own_transaction = self.conn.transaction_status() == 0;
    auto run_sql = [&](const char* sql) {
        nb::gil_scoped_release released;
        self.conn.execute_simple(sql);
    };
    if (own_transaction) run_sql("BEGIN");
    try {
        std::vector<std::vector<param_value>> batch;
        auto flush = [&] {
            if (batch.empty()) return;
            nb::gil_scoped_release released;
            self.conn.execute_pipelined(entry.stmt, batch);
            batch.clear();
        };
        for (nb::handle row : rows) {
            PyObject* values = PySequence_Tuple(row.ptr());
            if (values == nullptr) throw nb::python_error();
            batch.push_back(encode_args(entry, nb::steal<nb::args>(values)));
            if (batch.size() == pipeline_batch) flush();
        }
        flush();
    } catch (...) {
        if (own_transaction && !self.conn.is_closed()) run_sql("ROLLBACK");
        throw;
    }
    if (own_transaction) run_sql("COMMIT");
}

std::string execute(py_connection& self, const std::string& query, nb::args args, double timeout) {
    if (args.size() == 0 && timeout <= 0) {
        // No parameters: the simple protocol, so a script of several statements works too.
        nb::gil_scoped_release released;
        return std::string(self.conn.execute_simple(query).status());
    }
    cached_statement* entry = nullptr;
    return std::string(run(self, query, args, entry, timeout).status());
}

const char* transaction_status_name(int status) {
    switch (status) {
        case 0:
            return "idle";
        case 1:
            return "active";
        case 2:
            return "intrans";
        case 3:
            return "inerror";
        default:
            return "unknown";
    }
}

}  // namespace

void bind_connection(nb::module_& m) {
    using namespace nb::literals;
    nb::class_<py_connection>(m, "Connection")
        .def(
            "__init__",
            [](py_connection* self, std::string_view dsn, double timeout, std::size_t cache_size) {
                std::optional<connection> opened;
                {
                    nb::gil_scoped_release released;
                    opened.emplace(
                        dsn, timeout > 0 ? std::max(1, static_cast<int>(timeout + 0.999)) : 0);
                }
                new (self) py_connection(std::move(*opened), cache_size);
            },
            "dsn"_a, nb::kw_only(), "timeout"_a = 60.0, "statement_cache_size"_a = 100)
        .def("execute", &execute, "query"_a, "args"_a, "timeout"_a = 0.0,
             nb::sig("def execute(self, query: str, /, *args: typing.Any, timeout: float = 0.0) "
                     "-> str"))
        .def("executemany", &executemany, "query"_a, "args"_a,
             nb::sig("def executemany(self, query: str, args: collections.abc.Iterable["
                     "collections.abc.Sequence[typing.Any]], /) -> None"))
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
             [](py_connection& self) {
                 self.cache.clear();
                 self.conn.close();
             })
        .def("is_closed", [](const py_connection& self) { return self.conn.is_closed(); })
        .def_prop_ro("transaction_status",
                     [](const py_connection& self) {
                         return transaction_status_name(self.conn.transaction_status());
                     })
        .def_prop_ro("backend_pid",
                     [](const py_connection& self) { return self.conn.backend_pid(); })
        .def_prop_ro("server_version",
                     [](const py_connection& self) { return self.conn.server_version(); });
}

}  // namespace fasterapi::pg::bindings
