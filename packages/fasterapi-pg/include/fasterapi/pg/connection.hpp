// SPDX-License-Identifier: MIT
// fasterapi-pg/include/fasterapi/pg/connection.hpp: one libpq connection
//
// Design. `connection` owns a PGconn; `result` owns a PGresult. Statements are prepared by
// name and described once (parameter and column types), so values travel in binary both ways.
// Nothing here touches Python: the bindings encode and decode values, release the GIL around
// these calls, and keep the statement cache. A connection is used by one thread at a time.
//
// Two ways to drive it. Blocking calls (prepare, execute, ...) wait on the socket themselves.
// The non-blocking steps (send_*, flush, consume, take_result) never wait: an event loop
// watches socket() and calls them when it is ready; the blocking calls are built from the
// same steps where they need more than one libpq call.
#pragma once

#include <fasterapi/pg/errors.hpp>
#include <fasterapi/pg/oids.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
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

/// SQL as error messages name a command: in quotes ('SELECT 1').
std::string quoted(std::string_view sql);

/// A statement prepared on the server, with what describing it told us.
struct statement {
    std::string name;
    std::string query;  ///< the text, as prepared
    std::string label;  ///< the text in quotes, as messages name it: made once, not per run
    std::vector<oid> param_types;
    std::vector<column> columns;
};

/// How messages name STMT run once per row of a pipeline: its label, "(pipelined)".
std::string pipelined_label(const statement& stmt);

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
    /// The value at ROW, COL in the format the query asked for, or nullopt for NULL.
    [[nodiscard]] std::optional<std::string_view> field(int row, int col) const noexcept;
    [[nodiscard]] std::string_view column_name(int col) const noexcept;
    [[nodiscard]] oid column_type(int col) const noexcept;
    /// A described statement's parameters: how many, and each one's type.
    [[nodiscard]] int parameters() const noexcept;
    [[nodiscard]] oid parameter_type(int index) const noexcept;
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
    /// Connect with a libpq DSN (URL or key=value; PG* environment variables apply),
    /// blocking at most TIMEOUT seconds (0: no limit). \throws connection_error.
    connection(std::string_view dsn, double timeout);
    /// Start connecting without blocking; finish with connect_poll() as socket() gets ready.
    /// \throws connection_error when the attempt cannot even start (e.g. a malformed DSN).
    static connection start(std::string_view dsn);
    ~connection();
    connection(connection&&) noexcept;
    connection& operator=(connection&&) noexcept;

    /// Prepare QUERY as NAME and describe it; TIMEOUT (seconds, 0: none) as for execute().
    /// \throws server_error, connection_error, timeout_error.
    statement prepare(std::string_view name, std::string_view query, double timeout = 0);

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
    /// after everything is sent. TIMEOUT as for execute().
    void execute_pipelined(const statement& stmt, const std::vector<std::vector<param_value>>& rows,
                           double timeout = 0);
    /// As execute_pipelined(), returning every command's result, one per row in order (in
    /// binary, or text when TEXT_RESULTS): fetchmany's rows.
    std::vector<result> fetch_pipelined(const statement& stmt,
                                        const std::vector<std::vector<param_value>>& rows,
                                        bool text_results, double timeout = 0);

    /// Run SQL with the simple protocol (several statements allowed, no parameters).
    result execute_simple(std::string_view sql);

    /// Run SQL (simple protocol; "" is a ping) within TIMEOUT seconds: true when it
    /// succeeded. Otherwise the connection is closed at once and false is returned: no
    /// cancel and no grace, for a pool about to discard a connection that does not answer
    /// its ping or its reset.
    bool run_or_close(std::string_view sql, double timeout);

    // -- COPY (blocking; GIL released by the caller) -----------------------------------------

    /// Start SQL, a COPY ... FROM STDIN; then copy_in_put() the data and copy_in_end().
    /// \throws server_error (e.g. no such table), interface_error (SQL is not COPY FROM STDIN).
    void copy_in_start(std::string_view sql);
    /// Send one chunk of COPY data (any split: rows may span chunks).
    void copy_in_put(std::string_view data);
    /// Finish the COPY; with ABORT_REASON non-empty, abort it instead (the server rolls it
    /// back and the abort comes back as a server_error). Returns the status tag ("COPY 3").
    std::string copy_in_end(std::string_view abort_reason = {});
    /// Start SQL, a COPY ... TO STDOUT; then copy_out_next() until it returns false.
    void copy_out_start(std::string_view sql);
    /// The next chunk of COPY data (one row for text and CSV), or false at the end, with the
    /// command's status tag in STATUS.
    bool copy_out_next(std::string& chunk, std::string& status);

    // -- Non-blocking steps ------------------------------------------------------------------

    /// What a non-blocking step waits for next.
    enum class wait_for { nothing, readable, writable };

    /// Advance a connection made by start(). \throws connection_error when it failed.
    wait_for connect_poll();
    /// The socket to watch (it may change while connecting).
    [[nodiscard]] int socket() const noexcept;

    /// COPY driven by an event loop: send_simple("COPY ..."), consume() until complete (the
    /// COPY's start completes it), then take_copy_start(): 1 for COPY FROM STDIN, 2 for COPY
    /// TO STDOUT. \throws server_error (e.g. no such table), interface_error (not a COPY).
    int take_copy_start(std::string_view what);
    /// Queue one chunk of COPY data; false when libpq's buffer is full (flush(), wait until
    /// writable, offer it again).
    bool send_copy_data(std::string_view data);
    /// Queue the end of the data (ABORT_REASON non-empty: abort); false: wait until writable
    /// and call again. Then flush() and consume() until complete; take_result() has the tag.
    bool send_copy_end(std::string_view abort_reason);
    /// The next chunk of COPY TO STDOUT into CHUNK: 1; 0 when a whole chunk has not arrived
    /// (wait until readable, consume(), call again); -1 at the end (then consume() until
    /// complete and take_result()).
    int receive_copy_data(std::string& chunk);

    /// Send Parse and Describe for QUERY as NAME in one round trip; take_prepared() after.
    void send_prepare(std::string_view name, std::string_view query);
    /// Receives a command's rows in batches as they arrive, each batch a result of its own.
    /// It must not throw (the command is still in flight): it keeps a failure for later.
    using rows_handler = std::function<void(result rows)>;
    /// Can send_execute() hand rows over as they arrive? Only with libpq 17 or newer (its
    /// chunked-rows mode), which is asked at run time: the libpq loaded may be newer than
    /// the one this was built against.
    static bool streams_rows() noexcept;
    /// The version of the libpq loaded (PQlibVersion: 150018 for 15.18).
    static int libpq_version() noexcept;
    /// Send an execution of STMT (see execute()). With ON_ROWS, where streams_rows(), the rows
    /// go to it in batches from within consume() as soon as they have arrived, and the
    /// completed command's result holds none of them: the caller decodes the first rows
    /// while the server still sends the rest.
    void send_execute(const statement& stmt, const std::vector<param_value>& params,
                      bool text_results, rows_handler on_rows = {});
    /// Send STMT once per row, pipelined, with one sync at the end. Batches may follow one
    /// another before their results are read: the command is complete (consume()) when the
    /// last batch's sync has come back, and its first error is the one thrown.
    void send_pipelined(const statement& stmt, const std::vector<std::vector<param_value>>& rows);
    /// As send_pipelined(), keeping every command's result for take_pipelined_results() where
    /// only the first error or the last result is kept otherwise (see fetch_pipelined()).
    void send_pipelined_keeping_results(const statement& stmt,
                                        const std::vector<std::vector<param_value>>& rows,
                                        bool text_results);
    /// Send SQL with the simple protocol.
    void send_simple(std::string_view sql);
    /// Write what libpq has buffered; true when all is sent (false: call again when writable).
    bool flush();
    /// The time limit of the command running: TIMEOUT seconds from now (0: none), then, once
    /// the command has been cancelled on the server for passing it, a grace period to stop.
    struct command_deadline {
        explicit command_deadline(double timeout);
        std::chrono::steady_clock::time_point at;
        bool cancelled = false;  // a cancel was requested because the timeout passed
    };
    /// Block until socket() has something to read, or can take more when FOR_WRITE: for a
    /// caller that drives the steps itself between its waits. When DEADLINE passes first, the
    /// command is cancelled on the server and DEADLINE moves to the end of the grace period;
    /// when that passes too, the connection is closed.
    /// \throws connection_error naming WHAT when the server did not stop within the grace.
    void wait_socket(bool for_write, command_deadline& deadline, std::string_view what);
    /// Read what has arrived; true when the command sent last has all its results.
    /// (A lost connection also counts as complete: take_result() then says so.)
    bool consume();
    /// The completed command's result: its first error is thrown, else its last result is
    /// returned. TIMED_OUT_AFTER > 0 says a cancel was sent because that many seconds passed,
    /// so a "canceling statement" error becomes timeout_error.
    result take_result(std::string_view what, double timed_out_after = 0);
    /// The results of a completed send_pipelined_keeping_results(), one per command in order.
    /// \throws as take_result().
    std::vector<result> take_pipelined_results(std::string_view what, double timed_out_after = 0);
    /// The statement a completed send_prepare() made. \throws as take_result().
    statement take_prepared(std::string name, std::string query);
    /// Ask the server to cancel the running command. Returns at once: the request goes out
    /// from a short-lived thread (libpq before 17 has only the blocking PQcancel).
    void request_cancel() noexcept;
    /// Is a cancel request on its way that the server may not have processed yet? Sent as
    /// its command was ending, it could land on the next one and stop that instead, so every
    /// command waits for it first (see wait_for_cancel); an event loop asks this to wait for
    /// it without blocking. False again once processed, or after the grace period.
    [[nodiscard]] bool cancel_pending() const noexcept;
    /// Block until no cancel request is pending (at most the grace period since it was sent).
    void wait_for_cancel() const noexcept;
    /// Did the last consume() see the connection fail? (Ask before a command is sent.)
    [[nodiscard]] bool is_broken() const noexcept;

    /// A NOTIFY received on a LISTENed channel.
    struct notification {
        std::string channel;
        std::string payload;
        int sender_pid;
    };
    /// The notifications read so far (consume() reads them), oldest first.
    std::vector<notification> take_notifications();

    /// What the server says outside any result: NOTICE and WARNING messages, and the error
    /// that comes with a connection it ends while idle (FATAL). Called with the severity and
    /// the message, from within the calls that read from the server.
    using notice_handler = std::function<void(std::string_view severity, std::string_view text)>;
    /// Deliver notices to HANDLER instead of libpq's default (printing them to stderr).
    void on_notice(notice_handler handler);

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
    struct cancel_request;  // connection.cpp
    connection() = default;
    result check(pg_result* raw, std::string_view what);
    bool wait_until_complete(std::string_view what, double timeout);
    /// Move the results libpq has parsed into _collected; true when the command is complete.
    bool take_ready_results();
    void keep(pg_result* raw) noexcept;
    void send_pipeline(const statement& stmt, const std::vector<std::vector<param_value>>& rows,
                       int result_format);
    /// End a pipeline segment (PQpipelineSync); false when libpq refused.
    bool send_sync();
    [[noreturn]] void throw_send_failed(std::string_view what);
    pg_conn* live(std::string_view what) const;
    pg_conn* _conn = nullptr;
    /// Results of the command in flight: its first error, else its latest result.
    pg_result* _collected = nullptr;
    rows_handler _on_rows;  ///< the command in flight's rows as they arrive (send_execute)
    /// A pipeline's results before the latest, kept (send_pipelined_keeping_results) where
    /// _collected would drop them.
    std::vector<result> _kept_results;
    bool _keeping_results = false;
    bool _lost = false;      ///< the socket failed while reading (consume() saw it)
    int _syncs_pending = 0;  ///< pipeline syncs sent whose results have not all been read
    /// On the heap: libpq keeps its address, which must survive moves of the connection.
    std::unique_ptr<notice_handler> _notices;
    /// The last cancel request sent, shared with the thread that sends it.
    std::shared_ptr<cancel_request> _cancel;
};

}  // namespace fasterapi::pg
