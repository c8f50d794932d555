// SPDX-License-Identifier: MIT
// fasterapi-pg/src/core/connection.cpp: libpq calls, errors made specific
#include <libpq-fe.h>
#include <fasterapi/pg/connection.hpp>

#include <dlfcn.h>
#include <poll.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

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

// libpq 17's chunked-rows mode: results of up to N rows each while a command's rows arrive,
// then the usual final result without rows. Looked up in the libpq that our calls reach,
// at run time, so that a newer libpq brings it without a rebuild.
#ifdef LIBPQ_HAS_CHUNK_MODE
constexpr ExecStatusType tuples_chunk = PGRES_TUPLES_CHUNK;
#else
constexpr auto tuples_chunk = static_cast<ExecStatusType>(12);  // PGRES_TUPLES_CHUNK in libpq 17
#endif
using chunked_rows_mode = int (*)(PGconn*, int);

chunked_rows_mode find_chunked_rows_mode() noexcept {
    if (PQlibVersion() < 170000) return nullptr;
    Dl_info library{};
    if (dladdr(reinterpret_cast<void*>(&PQlibVersion), &library) == 0 ||
        library.dli_fname == nullptr) {
        return nullptr;
    }
    void* handle = dlopen(library.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
    if (handle == nullptr) return nullptr;
    auto* found = reinterpret_cast<chunked_rows_mode>(dlsym(handle, "PQsetChunkedRowsMode"));
    dlclose(handle);  // only the reference NOLOAD took: the library stays loaded
    return found;
}

chunked_rows_mode chunked_rows() noexcept {
    static const chunked_rows_mode found = find_chunked_rows_mode();
    return found;
}

// Rows per batch when streaming: enough that a batch's own result costs little per row, few
// enough that decoding starts soon after the first rows arrive.
constexpr int stream_batch_rows = 1000;

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
std::optional<std::string_view> result::field(int row, int col) const noexcept {
    const int length = PQgetlength(_result.get(), row, col);
    // A NULL's length is 0 too: only an empty value needs the second look (each libpq
    // accessor is a call with bounds checks, three per value made a tenth of a large fetch).
    if (length == 0 && PQgetisnull(_result.get(), row, col) != 0) return std::nullopt;
    return std::string_view(PQgetvalue(_result.get(), row, col), static_cast<std::size_t>(length));
}
std::string_view result::column_name(int col) const noexcept {
    return PQfname(_result.get(), col);
}
oid result::column_type(int col) const noexcept {
    return PQftype(_result.get(), col);
}
int result::parameters() const noexcept {
    return PQnparams(_result.get());
}
oid result::parameter_type(int index) const noexcept {
    return PQparamtype(_result.get(), index);
}
std::string_view result::status() const noexcept {
    return PQcmdStatus(_result.get());
}

namespace {

// libpq's keyword/value arrays for a connection. expand_dbname=1 lets DSN be a URL or a
// key=value string; the rest are defaults it can override (PG* environment variables still
// apply, as in libpq; an application_name in DSN wins over ours). Connect timeouts are kept by
// the caller of the non-blocking connect.
class connect_params {
public:
    explicit connect_params(std::string_view dsn) : _dsn(dsn) {
        _values = {_dsn.c_str(), "UTF8", "fasterapi-pg", nullptr};
    }
    [[nodiscard]] const char* const* keys() const noexcept { return _keys.data(); }
    [[nodiscard]] const char* const* values() const noexcept { return _values.data(); }

private:
    std::string _dsn;
    std::array<const char*, 4> _keys = {"dbname", "client_encoding", "fallback_application_name",
                                        nullptr};
    std::array<const char*, 4> _values{};
};

[[noreturn]] void throw_cannot_connect(PGconn* conn) {
    const std::string message = connection_message(conn);
    PQfinish(conn);
    throw connection_error("cannot connect to PostgreSQL: " + message);
}

}  // namespace

connection connection::start(std::string_view dsn) {
    const connect_params params(dsn);
    PGconn* conn = PQconnectStartParams(params.keys(), params.values(), 1);
    if (conn == nullptr || PQstatus(conn) == CONNECTION_BAD) throw_cannot_connect(conn);
    connection started;
    started._conn = conn;
    return started;
}

connection::wait_for connection::connect_poll() {
    PGconn* conn = live("a connect");
    switch (PQconnectPoll(conn)) {
        case PGRES_POLLING_READING:
            return wait_for::readable;
        case PGRES_POLLING_WRITING:
            return wait_for::writable;
        case PGRES_POLLING_OK:
            PQsetnonblocking(conn, 1);
            return wait_for::nothing;
        default:
            _conn = nullptr;
            throw_cannot_connect(conn);
    }
}

namespace {

void deliver_notice(void* handler, const PGresult* notice) {
    const char* severity = PQresultErrorField(notice, PG_DIAG_SEVERITY_NONLOCALIZED);
    const char* text = PQresultErrorField(notice, PG_DIAG_MESSAGE_PRIMARY);
    (*static_cast<connection::notice_handler*>(handler))(severity ? severity : "NOTICE",
                                                         text ? text : "");
}

}  // namespace

void connection::on_notice(notice_handler handler) {
    _notices = std::make_unique<notice_handler>(std::move(handler));
    if (_conn != nullptr) PQsetNoticeReceiver(_conn, deliver_notice, _notices.get());
}

int connection::socket() const noexcept {
    return _conn == nullptr ? -1 : PQsocket(_conn);
}

connection::~connection() {
    close();
}

connection::connection(connection&& other) noexcept
    : _conn(std::exchange(other._conn, nullptr)),
      _collected(std::exchange(other._collected, nullptr)),
      _on_rows(std::move(other._on_rows)),
      _kept_results(std::move(other._kept_results)),
      _keeping_results(std::exchange(other._keeping_results, false)),
      _lost(other._lost),
      _syncs_pending(std::exchange(other._syncs_pending, 0)),
      _notices(std::move(other._notices)),
      _cancel(std::move(other._cancel)) {}

connection& connection::operator=(connection&& other) noexcept {
    if (this != &other) {
        close();
        _conn = std::exchange(other._conn, nullptr);
        _collected = std::exchange(other._collected, nullptr);
        _on_rows = std::move(other._on_rows);
        _kept_results = std::move(other._kept_results);
        _keeping_results = std::exchange(other._keeping_results, false);
        _lost = other._lost;
        _syncs_pending = std::exchange(other._syncs_pending, 0);
        _notices = std::move(other._notices);
        _cancel = std::move(other._cancel);
    }
    return *this;
}

void connection::close() noexcept {
    PQclear(std::exchange(_collected, nullptr));
    _on_rows = nullptr;
    _kept_results = std::vector<result>();  // its room too: the next pipeline reserves anew
    _keeping_results = false;
    _syncs_pending = 0;
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
    wait_for_cancel();  // see cancel_request
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

statement connection::prepare(std::string_view name, std::string_view query, double timeout) {
    const std::string what = quoted(query);
    send_prepare(name, query);
    if (!wait_until_complete(what, timeout))
        return take_prepared(std::string(name), std::string(query));
    try {
        return take_prepared(std::string(name), std::string(query));
    } catch (const server_error& error) {
        if (error.fields().sqlstate != "57014") throw;  // not our cancel
        std::array<char, 32> limit{};
        std::snprintf(limit.data(), limit.size(), "%g", timeout);
        throw timeout_error("cannot prepare " + what + ": it ran past its " + limit.data() +
                            " s timeout and was cancelled on the server");
    }
}

void connection::send_prepare(std::string_view name, std::string_view query) {
    const std::string name_text(name);
    const std::string query_text(query);
    const std::string what = quoted(query_text);
    PGconn* conn = live(what);
    // Parse and Describe pipelined: one round trip instead of two.
    const bool sent = PQenterPipelineMode(conn) == 1 &&
                      PQsendPrepare(conn, name_text.c_str(), query_text.c_str(), 0, nullptr) == 1 &&
                      PQsendDescribePrepared(conn, name_text.c_str()) == 1 && send_sync();
    if (!sent) throw_send_failed(what);
}

bool connection::send_sync() {
    if (PQpipelineSync(_conn) != 1) return false;
    ++_syncs_pending;
    return true;
}

std::string quoted(std::string_view sql) {
    return "'" + std::string(sql) + "'";
}

std::string pipelined_label(const statement& stmt) {
    return stmt.label + " (pipelined)";
}

statement connection::take_prepared(std::string name, std::string query) {
    std::string label = quoted(query);
    const result described = take_result(label);  // Describe's, the last one
    statement stmt{std::move(name), std::move(query), std::move(label), {}, {}};
    for (int i = 0; i < described.parameters(); ++i) {
        stmt.param_types.push_back(described.parameter_type(i));
    }
    for (int i = 0; i < described.columns(); ++i) {
        stmt.columns.push_back({std::string(described.column_name(i)), described.column_type(i)});
    }
    return stmt;
}

namespace {

// An array of N elements, inside the object for up to 16 of them: a statement's parameter
// arrays are made for every query, and three heap blocks per query showed in the profile of
// a round trip.
template <typename T>
class small_array {
public:
    explicit small_array(std::size_t n)
        : _data(n <= _local.size() ? _local.data() : (_heap.resize(n), _heap.data())) {}
    small_array(const small_array&) = delete;
    small_array& operator=(const small_array&) = delete;
    T* data() noexcept { return _data; }
    const T* data() const noexcept { return _data; }
    T& operator[](std::size_t i) noexcept { return _data[i]; }

private:
    std::array<T, 16> _local;
    std::vector<T> _heap;
    T* _data;
};

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
    small_array<const char*> values;
    small_array<int> lengths;
    small_array<int> formats;
};

}  // namespace

result connection::execute(const statement& stmt, const std::vector<param_value>& params,
                           bool text_results, double timeout) {
    const std::string& what = stmt.label;
    if (timeout <= 0) {  // one libpq call: PQexecPrepared waits by itself
        const param_arrays arrays(params);
        return check(PQexecPrepared(live(what), stmt.name.c_str(), static_cast<int>(params.size()),
                                    arrays.values.data(), arrays.lengths.data(),
                                    arrays.formats.data(), text_results ? 0 : 1),
                     what);
    }
    send_execute(stmt, params, text_results);
    return take_result(what, wait_until_complete(what, timeout) ? timeout : 0);
}

bool connection::streams_rows() noexcept {
    return chunked_rows() != nullptr;
}

int connection::libpq_version() noexcept {
    return PQlibVersion();
}

void connection::send_execute(const statement& stmt, const std::vector<param_value>& params,
                              bool text_results, rows_handler on_rows) {
    const std::string& what = stmt.label;
    const param_arrays arrays(params);
    PGconn* conn = live(what);
    if (PQsendQueryPrepared(conn, stmt.name.c_str(), static_cast<int>(params.size()),
                            arrays.values.data(), arrays.lengths.data(), arrays.formats.data(),
                            text_results ? 0 : 1) != 1) {
        throw_send_failed(what);
    }
    // The mode must be set right after the send, before anything is read. Where it cannot
    // be, the rows come in the final result as usual.
    const chunked_rows_mode stream = on_rows ? chunked_rows() : nullptr;
    if (stream != nullptr && stream(conn, stream_batch_rows) == 1) _on_rows = std::move(on_rows);
}

void connection::execute_pipelined(const statement& stmt,
                                   const std::vector<std::vector<param_value>>& rows,
                                   double timeout) {
    send_pipelined(stmt, rows);
    const std::string what = pipelined_label(stmt);
    take_result(what, wait_until_complete(what, timeout) ? timeout : 0);
}

std::vector<result> connection::fetch_pipelined(const statement& stmt,
                                                const std::vector<std::vector<param_value>>& rows,
                                                bool text_results, double timeout) {
    send_pipelined_keeping_results(stmt, rows, text_results);
    const std::string what = pipelined_label(stmt);
    return take_pipelined_results(what, wait_until_complete(what, timeout) ? timeout : 0);
}

void connection::send_pipelined(const statement& stmt,
                                const std::vector<std::vector<param_value>>& rows) {
    send_pipeline(stmt, rows, 1);
}

void connection::send_pipelined_keeping_results(const statement& stmt,
                                                const std::vector<std::vector<param_value>>& rows,
                                                bool text_results) {
    // Room for every result up front, so that keep() never allocates (it cannot fail): each
    // command gives one at most, and each batch sent before reserved room for its own (an
    // async caller sends the next batch while the results of the last still arrive).
    _kept_results.reserve(_kept_results.capacity() + rows.size());
    _keeping_results = true;
    send_pipeline(stmt, rows, text_results ? 0 : 1);
}

void connection::send_pipeline(const statement& stmt,
                               const std::vector<std::vector<param_value>>& rows,
                               int result_format) {
    const std::string what = pipelined_label(stmt);
    PGconn* conn = live(what);
    bool sent = PQenterPipelineMode(conn) == 1;
    for (const auto& row : rows) {
        if (!sent) break;
        const param_arrays arrays(row);
        sent = PQsendQueryPrepared(conn, stmt.name.c_str(), static_cast<int>(row.size()),
                                   arrays.values.data(), arrays.lengths.data(),
                                   arrays.formats.data(), result_format) == 1;
    }
    if (!sent || !send_sync()) throw_send_failed(what);
}

result connection::execute_simple(std::string_view sql) {
    const std::string text(sql);
    const std::string what = quoted(text);
    return check(PQexec(live(what), text.c_str()), what);
}

void connection::send_simple(std::string_view sql) {
    const std::string text(sql);
    const std::string what = quoted(text);
    if (PQsendQuery(live(what), text.c_str()) != 1) throw_send_failed(what);
}

// A send libpq refused: the connection broke, or the caller misused it (a command is still
// in flight). The first closes the connection; the second leaves it as it was.
void connection::throw_send_failed(std::string_view what) {
    if (PQstatus(_conn) != CONNECTION_OK) check(nullptr, what);  // throws: lost
    const std::string message = connection_message(_conn);
    throw interface_error("cannot send " + std::string(what) + ": " + message);
}

namespace {

// Wait until FD is readable (or writable, with WRITE) or DEADLINE passes; false on timeout.
bool wait_ready(int fd, bool write, std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd entry{fd, static_cast<short>(POLLIN | (write ? POLLOUT : 0)), 0};
        const int ready =
            ::poll(&entry, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
        if (ready > 0) return true;
        if (ready < 0 && errno != EINTR) return true;  // let libpq report the socket error
    }
}

// Whether FD has something to read right now: data, an end of file or an error.
bool readable_now(int fd) {
    pollfd entry{fd, POLLIN, 0};
    return ::poll(&entry, 1, 0) > 0;
}

// Seconds a cancelled query gets to stop before the connection is given up on.
constexpr double cancel_grace = 5.0;

std::chrono::steady_clock::time_point time_after(double seconds) {
    using clock = std::chrono::steady_clock;
    return clock::now() +
           std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(seconds));
}

}  // namespace

// libpq's own connect_timeout counts whole seconds, at least 2: the deadline is kept here
// instead, to the millisecond, by driving the non-blocking connect.
connection::connection(std::string_view dsn, double timeout) : connection(start(dsn)) {
    const auto deadline = timeout > 0
                              ? std::chrono::steady_clock::now() +
                                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                        std::chrono::duration<double>(timeout))
                              : std::chrono::steady_clock::time_point::max();
    for (wait_for next = connect_poll(); next != wait_for::nothing; next = connect_poll()) {
        if (!wait_ready(socket(), next == wait_for::writable, deadline)) {
            close();
            char seconds[32];
            std::snprintf(seconds, sizeof seconds, "%g", timeout);
            throw connection_error(
                std::string("cannot connect to PostgreSQL: no answer within the ") + seconds +
                " s timeout");
        }
    }
}

bool connection::run_or_close(std::string_view sql, double timeout) {
    const std::string text(sql);
    if (is_closed() || PQsendQuery(_conn, text.c_str()) != 1) {
        close();
        return false;
    }
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(timeout));
    for (;;) {
        const bool sent = flush();
        if (consume() && sent) break;
        if (!wait_ready(socket(), !sent, deadline)) {
            close();
            return false;
        }
    }
    try {
        take_result(text.empty() ? "a ping" : text);
    } catch (const pg_error&) {
        close();
        return false;
    }
    return !is_closed();
}

// Block until the command sent last has all its results, cancelling it on the server when
// TIMEOUT (seconds, 0: none) passes first. Returns whether it was cancelled.
bool connection::wait_until_complete(std::string_view what, double timeout) {
    command_deadline deadline(timeout);
    for (;;) {
        const bool sent = flush();
        if (consume() && sent) return deadline.cancelled;
        wait_socket(!sent, deadline, what);
    }
}

connection::command_deadline::command_deadline(double timeout)
    : at(timeout > 0 ? time_after(timeout) : std::chrono::steady_clock::time_point::max()) {}

void connection::wait_socket(bool for_write, command_deadline& deadline, std::string_view what) {
    if (wait_ready(socket(), for_write, deadline.at)) return;
    if (deadline.cancelled) {  // the server did not stop in time: give the connection up
        close();
        throw connection_error("cannot cancel " + std::string(what) +
                               ": the server did not answer within the grace period");
    }
    request_cancel();
    deadline.cancelled = true;
    deadline.at = time_after(cancel_grace);
}

bool connection::flush() {
    if (_conn == nullptr || _lost) return true;
    const int left = PQflush(_conn);
    if (left < 0) _lost = true;  // take_result() reports it
    return left <= 0;
}

bool connection::consume() {
    if (_conn == nullptr || _lost) return true;
    for (;;) {
        if (PQconsumeInput(_conn) == 0) {
            _lost = true;
            return true;
        }
        if (take_ready_results()) return true;
        // Still waiting: read on while the socket has more. An event loop may not report it
        // again (uvloop drops a reader whose socket errored after one last call), so an end
        // of file or a reset right behind the last bytes must be seen in this call.
        if (!readable_now(PQsocket(_conn))) return false;
    }
}

bool connection::take_ready_results() {
    while (PQisBusy(_conn) == 0) {
        PGresult* raw = PQgetResult(_conn);
        if (raw == nullptr) {
            // The end of one command's results; in a pipeline, more follow up to the sync.
            if (PQpipelineStatus(_conn) == PQ_PIPELINE_OFF) return true;
            if (PQstatus(_conn) != CONNECTION_OK) {
                _lost = true;
                return true;
            }
            continue;
        }
        if (PQresultStatus(raw) == PGRES_COPY_IN || PQresultStatus(raw) == PGRES_COPY_OUT) {
            keep(raw);  // the COPY has started: the caller moves the data now
            return true;
        }
        if (PQresultStatus(raw) == tuples_chunk && _on_rows) {
            _on_rows(result(raw));
            continue;
        }
        if (PQresultStatus(raw) == PGRES_PIPELINE_SYNC) {
            PQclear(raw);
            if (--_syncs_pending > 0) continue;  // a later batch's results follow
            PQexitPipelineMode(_conn);
            return true;
        }
        keep(raw);
    }
    return false;
}

// Keep the first error, else the latest result (an aborted pipeline's later results too);
// a pipeline keeping its results sets the one before aside.
void connection::keep(pg_result* raw) noexcept {
    if (_collected != nullptr && PQresultStatus(_collected) == PGRES_FATAL_ERROR) {
        PQclear(raw);
        return;
    }
    if (_keeping_results && _collected != nullptr) {
        _kept_results.emplace_back(std::exchange(_collected, nullptr));  // room reserved
    }
    PQclear(_collected);
    _collected = raw;
}

bool connection::is_broken() const noexcept {
    return _lost || (_conn != nullptr && PQstatus(_conn) != CONNECTION_OK);
}

std::vector<result> connection::take_pipelined_results(std::string_view what,
                                                       double timed_out_after) {
    std::vector<result> results = std::exchange(_kept_results, {});
    results.push_back(take_result(what, timed_out_after));  // throws the first error
    return results;
}

result connection::take_result(std::string_view what, double timed_out_after) {
    pg_result* raw = std::exchange(_collected, nullptr);
    _on_rows = nullptr;
    _kept_results = std::vector<result>();  // its room too: the next pipeline reserves anew
    _keeping_results = false;
    if (_lost) {
        PQclear(raw);
        check(nullptr, what);  // throws: lost
    }
    if (timed_out_after > 0 && raw != nullptr && PQresultStatus(raw) == PGRES_FATAL_ERROR) {
        const char* state = PQresultErrorField(raw, PG_DIAG_SQLSTATE);
        if (state != nullptr && std::string_view(state) == "57014") {
            PQclear(raw);
            std::array<char, 32> limit{};
            std::snprintf(limit.data(), limit.size(), "%g", timed_out_after);
            throw timeout_error("cannot finish " + std::string(what) + ": it ran past its " +
                                limit.data() + " s timeout and was cancelled on the server");
        }
    }
    return check(raw, what);
}

namespace {

void send_cancel(PGcancel* cancel) noexcept {
    std::array<char, 256> error{};
    PQcancel(cancel, error.data(), static_cast<int>(error.size()));  // best effort
    PQfreeCancel(cancel);
}

}  // namespace

// PQcancel returns once the server has processed the request: libpq waits for that so that a
// cancel sent as its command ends cannot land on the next command and stop it instead. Sent
// from a thread of our own, the next command has to wait for the same thing: a query that
// finished just as its timeout fired was followed by a cancel that stopped the query after.
struct connection::cancel_request {
    std::mutex lock;
    std::condition_variable processed;
    bool done = false;
    std::chrono::steady_clock::time_point give_up_at = time_after(cancel_grace);
};

// libpq before 17 has only the blocking PQcancel, which waits on the network, for as long as
// TCP gives it if the network is gone. It runs on a short-lived thread of its own, so neither
// a blocked caller nor an event loop waits on it; the caller's grace period decides what
// happens when the server never reacts.
void connection::request_cancel() noexcept {
    if (_conn == nullptr) return;
    PGcancel* cancel = PQgetCancel(_conn);
    if (cancel == nullptr) return;
    try {
        auto request = std::make_shared<cancel_request>();
        std::thread([cancel, request] {
            send_cancel(cancel);
            const std::lock_guard<std::mutex> hold(request->lock);
            request->done = true;
            request->processed.notify_all();
        }).detach();
        _cancel = std::move(request);
    } catch (...) {
        send_cancel(cancel);  // no thread to be had: send it from here
    }
}

bool connection::cancel_pending() const noexcept {
    if (_cancel == nullptr) return false;
    const std::lock_guard<std::mutex> hold(_cancel->lock);
    return !_cancel->done && std::chrono::steady_clock::now() < _cancel->give_up_at;
}

void connection::wait_for_cancel() const noexcept {
    if (_cancel == nullptr) return;
    std::unique_lock<std::mutex> hold(_cancel->lock);
    _cancel->processed.wait_until(hold, _cancel->give_up_at, [this] { return _cancel->done; });
}

std::vector<connection::notification> connection::take_notifications() {
    std::vector<notification> received;
    if (_conn == nullptr) return received;
    while (PGnotify* next = PQnotifies(_conn)) {
        received.push_back({next->relname, next->extra, next->be_pid});
        PQfreemem(next);
    }
    return received;
}

void connection::deallocate(std::string_view name) noexcept {
    if (_conn == nullptr) return;
    const std::string sql = "DEALLOCATE \"" + std::string(name) + "\"";
    PQclear(PQexec(_conn, sql.c_str()));
}

}  // namespace fasterapi::pg
