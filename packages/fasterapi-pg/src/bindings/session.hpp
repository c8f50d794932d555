// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/session.hpp: a connection with its statement cache (private)
//
// What the sync Connection and the async core share: the cache of prepared statements,
// turning Python arguments into parameters, and result rows into Records.
#pragma once

#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bindings/bindings.hpp"

namespace fasterapi::pg::bindings {

/// A statement the server has prepared for this connection.
struct cached_statement {
    statement stmt;
    nb::dict keys;              ///< column name -> position, shared by the rows' Records
    bool text_results = false;  ///< some column type has no binary codec: fetch all as text
    bool json_as_text = false;  ///< json and jsonb values as their text, both ways
    /// set_type_codec's functions for each parameter / column (empty: none; an entry without
    /// a value: the built-in codec). Columns with a decoder come back as text.
    std::vector<nb::object> encoders;
    std::vector<nb::object> decoders;
    /// Rows its last fetch() returned: a large result is likely large again, and is then
    /// decoded as it arrives (see row_stream).
    std::size_t rows_last_fetched = 0;
};

/// Custom text codecs by type oid: (encoder value -> str, decoder str -> value).
using codec_map = std::unordered_map<oid, std::pair<nb::object, nb::object>>;

/// Prepared statements by query text, least recently used first out.
class statement_cache {
public:
    explicit statement_cache(std::size_t capacity) : _capacity(capacity) {}

    [[nodiscard]] std::size_t capacity() const noexcept { return _capacity; }
    cached_statement* find(const std::string& query);
    /// Insert; returns the names of statements pushed out, for the caller to deallocate.
    std::vector<std::string> insert(const std::string& query, cached_statement entry);
    void erase(const std::string& query);
    /// Empty it; returns the names of the statements it held, for the caller to deallocate.
    std::vector<std::string> clear();

private:
    using entries = std::list<std::pair<std::string, cached_statement>>;
    std::size_t _capacity;
    entries _order;
    std::unordered_map<std::string, entries::iterator> _index;
};

/// A server notice (NOTICE, WARNING, the FATAL of a connection ended while idle), logged on
/// the "fasterapi_pg.server" logger at the matching level (libpq would print it to stderr).
void log_notice(std::string_view severity, std::string_view text);

/// One connection and what the bindings keep for it.
struct session {
    session(connection opened, std::size_t cache_size, bool json_as_text)
        : conn(std::move(opened)), cache(cache_size), json_as_text(json_as_text) {
        conn.on_notice(log_notice);
    }

    /// The cached statement for QUERY, or nullptr when it must be prepared first.
    cached_statement* find(const std::string& query);
    /// The name to prepare the next statement under ("" with no cache: the unnamed one,
    /// which is what PgBouncer's transaction mode needs).
    std::string next_name();
    /// Keep a statement the server prepared for QUERY; returns names evicted from the cache.
    std::vector<std::string> remember(const std::string& query, statement stmt);
    /// Prepare QUERY (blocking, GIL released) unless cached; evicted statements are dropped.
    cached_statement& prepared(const std::string& query, double timeout = 0);
    /// Forget QUERY's statement (the server no longer has it, or its plan changed).
    void forget(const std::string& query);
    /// Use ENCODER/DECODER (text format) for TYPE from now on. Statements prepared before are
    /// dropped from the cache (their result formats were chosen without it); returns their
    /// names, for the caller to deallocate.
    std::vector<std::string> set_codec(oid type, nb::object encoder, nb::object decoder);
    codec_map codecs;

    connection conn;
    statement_cache cache;
    bool json_as_text;  ///< connect(json_as_text=True): see cached_statement::json_as_text
    std::uint64_t statements_made = 0;
    std::optional<cached_statement> uncached;  ///< cache size 0: the unnamed statement
};

/// Encode ARGS for ENTRY's parameters. \throws interface_error on a wrong count or value.
std::vector<param_value> encode_args(const cached_statement& entry, nb::args args);

/// Encode VALUE for parameter INDEX (from 1) of ENTRY's statement, of TYPE, as encode() does;
/// with json_as_text, a str for a json or jsonb parameter goes as the document's text.
void encode_param(const cached_statement& entry, oid type, nb::handle value, std::size_t index,
                  param_value& out);
/// Is ERROR a stale cached plan or a vanished statement? The cached statement is no use then.
bool is_stale_statement(const server_error& error);
/// Is ERROR a stale statement worth preparing again and retrying once? (Not inside a
/// transaction: the error has aborted it anyway.)
bool worth_retrying(const server_error& error, const connection& conn);

/// What a query's caller wants from its result.
enum class result_shape { status, records, first_record, value };

/// The types of ROWS' columns, read once for a result of many rows.
std::vector<oid> column_types(const result& rows);

/// Row ROW of ROWS (of ENTRY's statement) as a Record; TYPES from column_types().
nb::object record_at(const result& rows, const cached_statement& entry, int row,
                     const std::vector<oid>& types);

/// Pauses Python's cyclic garbage collector while results become Records. Decoding a large
/// result makes several tracked objects per row (the Record, UUIDs, parsed JSON), and the
/// collections their count triggers would rescan the growing result again and again (they
/// took 30-40% of a 100,000-row fetch). Decoding cannot create reference cycles, so deferring
/// collection loses nothing. Holds are counted, so that a streamed fetch (row_stream) can keep
/// one across its reads and the event loop's turns between them while other results are
/// decoded: the collector resumes when the last hold ends, and only if it was running when
/// the first began. All under the GIL.
class collector_hold {
public:
    collector_hold() noexcept;
    ~collector_hold();
    collector_hold(const collector_hold&) = delete;
    collector_hold& operator=(const collector_hold&) = delete;

private:
    static int holders;
    static bool resume_it;  // the collector ran when the first hold began
};

/// Turn ROWS (of ENTRY's statement) into SHAPE: the command tag, a list of Records, the first
/// Record or None, or column COLUMN of the first row (None when there is no row).
nb::object shape_result(const result& rows, const cached_statement& entry, result_shape shape,
                        int column);

/// Append the rows of a pipeline's RESULTS (one per command of ENTRY's statement) to RECORDS
/// as Records, in order: fetchmany's answer.
void append_records(nb::list& records, const std::vector<result>& results,
                    const cached_statement& entry);

/// libpq's transaction status as asyncpg/psycopg users know it: "idle", "intrans", ...
const char* transaction_status_name(int status);

/// PostgreSQL's binary COPY stream (copy_binary.cpp): the header, one row per record (its
/// values encoded as ENTRY's parameters; ROW counts from 0, for messages), the trailer.
std::string binary_copy_header();
void append_binary_copy_row(const cached_statement& entry, nb::handle record, std::size_t row,
                            std::string& out);
inline constexpr std::string_view binary_copy_trailer{"\xff\xff", 2};
/// Send COPY data in chunks of about this size.
inline constexpr std::size_t binary_copy_flush_at = 64 * 1024;

/// What preparing ENTRY's statement told us: (parameter type oids, ((column name, type oid),
/// ...)), for PreparedStatement.
nb::tuple describe(const cached_statement& entry);

/// COPY's methods on the sync Connection class (bind_copy.cpp).
void bind_copy(nb::class_<session>& cls);

}  // namespace fasterapi::pg::bindings
