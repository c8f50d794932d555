// SPDX-License-Identifier: MIT
// fasterapi-pg/src/core/connection.cpp: libpq calls, errors made specific
#include <libpq-fe.h>
#include <fasterapi/pg/connection.hpp>

#include <poll.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

namespace fasterapi::pg {

namespace {

std::string field(const PGresult* r, int code) {
    const char* value = PQresultErrorField(r, code);
    return value == nullptr ? std::string() : std::string(value);
}

std::string connection_message(PGconn* conn) {
    std::string message = conn == nullptr ? "out of memory" : PQerrorMessage(conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
        message.pop_back();
    return message;
}

}  // namespace

result::result(pg_result* owned) noexcept : _result(owned) {}
void result::deleter::operator()(pg_result* r) const noexcept {
    PQclear(r);
}
int result::rows() const noexcept {
    return PQntuples(_result.get());
}
int result::columns() const noexcept {
    return PQnfields(_result.get());
}
bool result::is_null(int row, int col) const noexcept {
    return PQgetisnull(_result.get(), row, col) != 0;
}
std::string_view result::value(int row, int col) const noexcept {
    return {PQgetvalue(_result.get(), row, col),
            static_cast<std::size_t>(PQgetlength(_result.get(), row, col))};
}
std::string_view result::column_name(int col) const noexcept {
    return PQfname(_result.get(), col);
}
oid result::column_type(int col) const noexcept {
    return PQftype(_result.get(), col);
}
std::string_view result::status() const noexcept {
    return PQcmdStatus(_result.get());
}

connection::connection(std::string_view dsn, int connect_timeout) {
    // expand_dbname=1 lets DSN be a URL or key=value string; the rest are defaults it can
    // override (PG* environment variables still apply, as in libpq).
    const std::string dsn_text(dsn);
    const std::string timeout = std::to_string(connect_timeout);
    const std::array<const char*, 5> keys = {"dbname", "connect_timeout", "client_encoding",
                                             "application_name", nullptr};
    const std::array<const char*, 5> values = {dsn_text.c_str(),
                                               connect_timeout > 0 ? timeout.c_str() : nullptr,
                                               "UTF8", "fasterapi-pg", nullptr};
    _conn = PQconnectdbParams(keys.data(), values.data(), 1);
    if (_conn == nullptr || PQstatus(_conn) != CONNECTION_OK) {
        const std::string message = connection_message(_conn);
        PQfinish(_conn);
        _conn = nullptr;
        throw connection_error("cannot connect to PostgreSQL: " + message);
    }
}

connection::~connection() {
    close();
}

connection::connection(connection&& other) noexcept : _conn(other._conn) {
    other._conn = nullptr;
}

connection& connection::operator=(connection&& other) noexcept {
    if (this != &other) {
        close();
        _conn = other._conn;
        other._conn = nullptr;
    }
    return *this;
}

void connection::close() noexcept {
    if (_conn != nullptr) PQfinish(_conn);
    _conn = nullptr;
}

bool connection::is_closed() const noexcept {
    return _conn == nullptr;
}

int connection::transaction_status() const noexcept {
    return _conn == nullptr ? PQTRANS_UNKNOWN : PQtransactionStatus(_conn);
}

int connection::server_version() const noexcept {
    return _conn == nullptr ? 0 : PQserverVersion(_conn);
}

int connection::backend_pid() const noexcept {
    return _conn == nullptr ? 0 : PQbackendPID(_conn);
}

pg_conn* connection::live(std::string_view what) const {
    if (_conn == nullptr) {
        throw connection_error("cannot run " + std::string(what) + ": the connection is closed");
    }
    return _conn;
}

// Turn a finished PGresult into a result, or throw what went wrong: a server error with its
// fields, or a lost connection (after which the connection is closed for good).
result connection::check(pg_result* raw, std::string_view what) {
    result owned(raw);
    const ExecStatusType status = raw == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(raw);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
        return owned;
    }
    if (raw != nullptr && PQresultErrorField(raw, PG_DIAG_SQLSTATE) != nullptr &&
        PQstatus(_conn) == CONNECTION_OK) {
        server_error_fields fields{
            field(raw, PG_DIAG_SQLSTATE),        field(raw, PG_DIAG_SEVERITY),
            field(raw, PG_DIAG_MESSAGE_PRIMARY), field(raw, PG_DIAG_MESSAGE_DETAIL),
            field(raw, PG_DIAG_MESSAGE_HINT),    field(raw, PG_DIAG_STATEMENT_POSITION),
            field(raw, PG_DIAG_SCHEMA_NAME),     field(raw, PG_DIAG_TABLE_NAME),
            field(raw, PG_DIAG_COLUMN_NAME),     field(raw, PG_DIAG_DATATYPE_NAME),
            field(raw, PG_DIAG_CONSTRAINT_NAME)};
        throw server_error(std::move(fields));
    }
    const std::string message = connection_message(_conn);
    close();
    throw connection_error("connection lost while running " + std::string(what) + ": " + message);
}

statement connection::prepare(std::string_view name, std::string_view query) {
    const std::string query_text(query);
    const std::string what = "'" + query_text + "'";
    PGconn* conn = live(what);
    statement stmt{std::string(name), query_text, {}, {}};
    check(PQprepare(conn, stmt.name.c_str(), query_text.c_str(), 0, nullptr), what);
    PGresult* raw = PQdescribePrepared(conn, stmt.name.c_str());
    const result described = check(raw, what);  // owns raw from here on
    for (int i = 0; i < PQnparams(raw); ++i) stmt.param_types.push_back(PQparamtype(raw, i));
    for (int i = 0; i < described.columns(); ++i) {
        stmt.columns.push_back({std::string(described.column_name(i)), described.column_type(i)});
    }
    return stmt;
}

namespace {

// libpq's argument arrays for one row of parameters.
struct param_arrays {
    explicit param_arrays(const std::vector<param_value>& params)
        : values(params.size()), lengths(params.size()), formats(params.size()) {
        for (std::size_t i = 0; i < params.size(); ++i) {
            values[i] = params[i].is_null ? nullptr : params[i].bytes.data();
            lengths[i] = static_cast<int>(params[i].bytes.size());
            formats[i] = params[i].is_text ? 0 : 1;
        }
    }
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
};

}  // namespace

result connection::execute(const statement& stmt, const std::vector<param_value>& params,
                           bool text_results, double timeout) {
    const std::string what = "'" + stmt.query + "'";
    PGconn* conn = live(what);
    const param_arrays arrays(params);
    if (timeout <= 0) {
        return check(PQexecPrepared(conn, stmt.name.c_str(), static_cast<int>(params.size()),
                                    arrays.values.data(), arrays.lengths.data(),
                                    arrays.formats.data(), text_results ? 0 : 1),
                     what);
    }
    if (PQsendQueryPrepared(conn, stmt.name.c_str(), static_cast<int>(params.size()),
                            arrays.values.data(), arrays.lengths.data(), arrays.formats.data(),
                            text_results ? 0 : 1) != 1) {
        return check(nullptr, what);  // throws: lost
    }
    return wait_for_result(what, timeout);
}

namespace {

// Wait until FD is readable or DEADLINE passes; false on timeout.
bool wait_readable(int fd, std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd entry{fd, POLLIN, 0};
        const int ready =
            ::poll(&entry, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
        if (ready > 0) return true;
        if (ready < 0 && errno != EINTR) return true;  // let libpq report the socket error
    }
}

// Seconds a cancelled query gets to stop before the connection is given up on.
constexpr double cancel_grace = 5.0;

}  // namespace

// Read the results of a query sent with PQsend*, cancelling it on the server when TIMEOUT
// passes first. The connection stays usable after a timeout: the cancelled query's error is
// read off the wire before returning.
result connection::wait_for_result(std::string_view what, double timeout) {
    using clock = std::chrono::steady_clock;
    const auto seconds = [](double s) {
        return std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(s));
    };
    auto deadline = clock::now() + seconds(timeout);
    bool cancelled = false;
    while (PQflush(_conn) == 1) {  // a large query may not fit the socket buffer at once
        if (!wait_readable(PQsocket(_conn), deadline)) break;
        if (PQconsumeInput(_conn) == 0) return check(nullptr, what);
    }
    while (PQisBusy(_conn) != 0) {
        if (!wait_readable(PQsocket(_conn), deadline)) {
            if (cancelled) {  // the server did not stop in time: give the connection up
                close();
                throw connection_error("cannot cancel " + std::string(what) +
                                       ": the server did not answer within the grace period");
            }
            if (PGcancel* cancel = PQgetCancel(_conn)) {
                std::array<char, 256> error{};
                PQcancel(cancel, error.data(), static_cast<int>(error.size()));
                PQfreeCancel(cancel);
            }
            cancelled = true;
            deadline = clock::now() + seconds(cancel_grace);
            continue;
        }
        if (PQconsumeInput(_conn) == 0) return check(nullptr, what);
    }
    // Keep the first error, else the last result; then see whether the cancel ended it.
    PGresult* kept = nullptr;
    while (PGresult* next = PQgetResult(_conn)) {
        if (kept != nullptr && PQresultStatus(kept) == PGRES_FATAL_ERROR) {
            PQclear(next);
        } else {
            PQclear(kept);
            kept = next;
        }
    }
    if (cancelled && kept != nullptr && PQresultStatus(kept) == PGRES_FATAL_ERROR) {
        const char* state = PQresultErrorField(kept, PG_DIAG_SQLSTATE);
        if (state != nullptr && std::string_view(state) == "57014") {
            PQclear(kept);
            std::array<char, 32> limit{};
            std::snprintf(limit.data(), limit.size(), "%g", timeout);
            throw timeout_error("cannot finish " + std::string(what) + ": it ran past its " +
                                limit.data() + " s timeout and was cancelled on the server");
        }
    }
    return check(kept, what);
}

void connection::execute_pipelined(const statement& stmt,
                                   const std::vector<std::vector<param_value>>& rows) {
    const std::string what = "'" + stmt.query + "' (pipelined)";
    PGconn* conn = live(what);
    if (PQenterPipelineMode(conn) != 1) {
        throw interface_error("cannot pipeline: " + connection_message(conn));
    }
    bool sent = true;
    for (const auto& row : rows) {
        const param_arrays arrays(row);
        sent = PQsendQueryPrepared(conn, stmt.name.c_str(), static_cast<int>(row.size()),
                                   arrays.values.data(), arrays.lengths.data(),
                                   arrays.formats.data(), 1) == 1;
        if (!sent) break;
    }
    sent = sent && PQpipelineSync(conn) == 1;
    if (!sent) {
        const std::string message = connection_message(conn);
        close();
        throw connection_error("connection lost while sending " + what + ": " + message);
    }
    // Drain everything up to the sync, remembering the first error.
    std::optional<server_error> first_error;
    for (;;) {
        PGresult* raw = PQgetResult(conn);
        if (raw == nullptr) {  // the end of one query's results
            if (PQstatus(conn) != CONNECTION_OK) check(nullptr, what);  // throws: lost
            continue;
        }
        const ExecStatusType status = PQresultStatus(raw);
        if (status == PGRES_PIPELINE_SYNC) {
            PQclear(raw);
            break;
        }
        if (status == PGRES_FATAL_ERROR && PQstatus(conn) != CONNECTION_OK) {
            check(raw, what);  // throws connection_error and closes
        }
        if (status == PGRES_FATAL_ERROR && !first_error) {
            try {
                check(raw, what);
            } catch (const server_error& error) {
                first_error = error;
            }
            continue;  // check() took ownership of raw
        }
        PQclear(raw);  // a command result, or PGRES_PIPELINE_ABORTED after an error
    }
    PQexitPipelineMode(conn);
    if (first_error) throw *first_error;
}

result connection::execute_simple(std::string_view sql) {
    const std::string text(sql);
    PGconn* conn = live("'" + text + "'");
    return check(PQexec(conn, text.c_str()), "'" + text + "'");
}

void connection::deallocate(std::string_view name) noexcept {
    if (_conn == nullptr) return;
    const std::string sql = "DEALLOCATE \"" + std::string(name) + "\"";
    PQclear(PQexec(_conn, sql.c_str()));
}

}  // namespace fasterapi::pg
