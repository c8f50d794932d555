// SPDX-License-Identifier: MIT
// fasterapi-pg/include/fasterapi/pg/connection.hpp: one libpq connection, blocking calls
//
// Design. `connection` owns a PGconn; `result` owns a PGresult. Statements are prepared by
// name and described once (parameter and column types), so values travel in binary both ways.
// Nothing here touches Python: the bindings encode and decode values, release the GIL around
// these calls, and keep the statement cache. A connection is used by one thread at a time.
#pragma once

#include <fasterapi/pg/errors.hpp>
#include <fasterapi/pg/oids.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace fasterapi::pg {

/// One column of a result: its name and type.
struct column {
    std::string name;
    oid type;
};

/// A statement prepared on the server, with what describing it told us.
struct statement {
    std::string name;
    std::string query;  ///< the text, for messages
    std::vector<oid> param_types;
    std::vector<column> columns;
};

/// One parameter value as sent: bytes (binary or text format) or NULL.
struct param_value {
    std::string bytes;
    bool is_null = false;
    bool is_text = false;  ///< text format (a value the binary codecs do not cover)
};

/// The rows of a command's result. Values are views into the result's memory.
class result {
public:
    explicit result(pg_result* owned) noexcept;
    [[nodiscard]] int rows() const noexcept;
    [[nodiscard]] int columns() const noexcept;
    [[nodiscard]] bool is_null(int row, int col) const noexcept;
    [[nodiscard]] std::string_view value(int row, int col) const noexcept;
    [[nodiscard]] std::string_view column_name(int col) const noexcept;
    [[nodiscard]] oid column_type(int col) const noexcept;
    /// The command tag ("SELECT 3", "INSERT 0 1").
    [[nodiscard]] std::string_view status() const noexcept;

private:
    struct deleter {
        void operator()(pg_result* r) const noexcept;
    };
    std::unique_ptr<pg_result, deleter> _result;
};

class connection {
public:
    /// Connect with a libpq DSN (URL or key=value; PG* environment variables apply).
    /// CONNECT_TIMEOUT is in seconds (0: libpq's default). \throws connection_error.
    connection(std::string_view dsn, int connect_timeout);
    ~connection();
    connection(connection&&) noexcept;
    connection& operator=(connection&&) noexcept;

    /// Prepare QUERY as NAME and describe it. \throws server_error, connection_error.
    statement prepare(std::string_view name, std::string_view query);

    /// Execute a prepared statement; results come back in binary (or text when TEXT_RESULTS).
    /// With TIMEOUT > 0 (seconds), a query still running then is cancelled on the server
    /// and timeout_error is thrown once the connection is ready again.
    /// \throws server_error, connection_error, timeout_error.
    result execute(const statement& stmt, const std::vector<param_value>& params, bool text_results,
                   double timeout = 0);

    /// Execute STMT once per parameter row, all sent before any result is read (libpq's
    /// pipeline mode, one sync at the end): one round trip for the batch. The first error
    /// is thrown after the pipeline is drained; statements after it were not run.
    /// Keep batches modest (the caller sends ~1,000 rows at a time): results are read only
    /// after everything is sent.
    void execute_pipelined(const statement& stmt,
                           const std::vector<std::vector<param_value>>& rows);

    /// Run SQL with the simple protocol (several statements allowed, no parameters).
    result execute_simple(std::string_view sql);

    /// Drop a prepared statement on the server (errors ignored: it may be gone already).
    void deallocate(std::string_view name) noexcept;

    /// Close now; later calls raise connection_error.
    void close() noexcept;
    [[nodiscard]] bool is_closed() const noexcept;
    /// libpq's PQTRANS_* code (0 idle, 2 in transaction, 3 in failed transaction, ...).
    [[nodiscard]] int transaction_status() const noexcept;
    [[nodiscard]] int server_version() const noexcept;
    /// The backend's process id (for pg_terminate_backend and cancel requests).
    [[nodiscard]] int backend_pid() const noexcept;

private:
    result check(pg_result* raw, std::string_view what);
    result wait_for_result(std::string_view what, double timeout);
    pg_conn* live(std::string_view what) const;
    pg_conn* _conn = nullptr;
};

}  // namespace fasterapi::pg
