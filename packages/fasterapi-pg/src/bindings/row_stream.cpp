// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/row_stream.cpp: a large result made into Records as it arrives
#include "bindings/row_stream.hpp"

#include <utility>

namespace fasterapi::pg::bindings {

void row_stream::start(const cached_statement& entry) {
    reset();
    _records = nb::list();
    _entry = &entry;
    _collector_paused.emplace();
}

void row_stream::take(const result& batch) noexcept {
    if (_entry == nullptr || _failure) return;
    try {
        append(batch);
    } catch (...) {
        _failure = std::current_exception();
    }
}

nb::list row_stream::finish(const result& final_result) {
    const std::exception_ptr failure = std::exchange(_failure, nullptr);
    if (failure) {
        reset();
        std::rethrow_exception(failure);
    }
    append(final_result);
    nb::list records = nb::borrow<nb::list>(_records);
    reset();
    return records;
}

void row_stream::append(const result& rows) {
    if (rows.rows() == 0) return;
    if (_types.empty()) _types = column_types(rows);
    for (int row = 0; row < rows.rows(); ++row) {
        if (PyList_Append(_records.ptr(), record_at(rows, *_entry, row, _types).ptr()) < 0)
            throw nb::python_error();
    }
}

void row_stream::reset() noexcept {
    _entry = nullptr;
    _types.clear();
    _records.reset();
    _failure = nullptr;
    _collector_paused.reset();
}

nb::list fetched_records(row_stream& stream, const result& rows, cached_statement& entry) {
    nb::list records =
        stream.active() ? stream.finish(rows)
                        : nb::borrow<nb::list>(shape_result(rows, entry, result_shape::records, 0));
    entry.rows_last_fetched = records.size();
    return records;
}

}  // namespace fasterapi::pg::bindings
