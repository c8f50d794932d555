// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/row_stream.hpp: a large result made into Records as it arrives
//
// A fetch() of many rows otherwise waits for the last row before decoding the first, while
// the server takes about as long to send them as we take to decode them. With libpq 17 or
// newer, connection::send_execute hands the rows over in batches as they arrive, so decoding
// runs while the rest is still on its way. (libpq's older single-row mode would allow it too,
// but its one result per row costs more than the overlap saves.) Only a statement whose last
// fetch() was large is streamed: a small result arrives at once, leaving nothing to overlap.
#pragma once

#include <exception>
#include <optional>
#include <vector>

#include "bindings/session.hpp"

namespace fasterapi::pg::bindings {

/// A fetch() that returned at least this many rows streams the next time its statement runs.
inline constexpr std::size_t stream_rows_from = 1000;

/// Should a fetch() of ENTRY's statement stream? (Its last fetch was large, and libpq can.)
inline bool worth_streaming(const cached_statement& entry) {
    return entry.rows_last_fetched >= stream_rows_from && connection::streams_rows();
}

class row_stream {
public:
    row_stream() = default;
    ~row_stream() { reset(); }
    row_stream(const row_stream&) = delete;
    row_stream& operator=(const row_stream&) = delete;

    /// Start collecting the rows of ENTRY's statement, just sent.
    void start(const cached_statement& entry);
    /// Is a command's result being collected?
    [[nodiscard]] bool active() const noexcept { return _entry != nullptr; }
    /// Keep the rows of BATCH as Records. A failure to decode one is kept for finish(): the
    /// command is still in flight, and its remaining rows must be read anyway.
    void take(const result& batch) noexcept;
    /// The Records of the completed command: those taken, then those of its final RESULT
    /// (none unless the rows could not be streamed). Rethrows a kept failure. Leaves the
    /// stream inactive.
    nb::list finish(const result& final_result);
    /// Drop what was collected (the command failed, or nobody waits for it any more).
    void reset() noexcept;

private:
    void append(const result& rows);

    const cached_statement* _entry = nullptr;
    std::vector<oid> _types;  // of the first batch, the same for all
    nb::object _records;      // a list while active
    std::exception_ptr _failure;
    std::optional<collector_hold> _collector_paused;  // see collector_hold
};

/// The Records of a completed fetch() of ENTRY's statement, whose final result is ROWS:
/// those STREAM collected (and ROWS' own, if any) when it streamed, else ROWS'. Notes their
/// number in ENTRY, for whether the next fetch streams.
nb::list fetched_records(row_stream& stream, const result& rows, cached_statement& entry);

}  // namespace fasterapi::pg::bindings
