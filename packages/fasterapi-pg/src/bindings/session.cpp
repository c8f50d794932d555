// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/session.cpp: the statement cache, parameters in, Records out
#include "bindings/session.hpp"

namespace fasterapi::pg::bindings {

cached_statement* statement_cache::find(const std::string& query) {
    const auto found = _index.find(query);
    if (found == _index.end()) return nullptr;
    _order.splice(_order.begin(), _order, found->second);
    return &found->second->second;
}

std::vector<std::string> statement_cache::insert(const std::string& query, cached_statement entry) {
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

void statement_cache::erase(const std::string& query) {
    const auto found = _index.find(query);
    if (found == _index.end()) return;
    _order.erase(found->second);
    _index.erase(found);
}

std::vector<std::string> statement_cache::clear() {
    std::vector<std::string> names;
    for (const auto& [query, entry] : _order) names.push_back(entry.stmt.name);
    _order.clear();
    _index.clear();
    return names;
}

namespace {

int logging_level(std::string_view severity) {
    if (severity == "WARNING") return 30;
    if (severity == "ERROR" || severity == "FATAL" || severity == "PANIC") return 40;
    if (severity == "DEBUG" || severity == "LOG") return 10;
    return 20;  // NOTICE, INFO
}

}  // namespace

void log_notice(std::string_view severity, std::string_view text) {
    if (!Py_IsInitialized()) return;
    nb::gil_scoped_acquire gil;
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);  // a notice must not disturb an error in flight
    try {
        static nb::object* logger = new nb::object(
            nb::module_::import_("logging").attr("getLogger")("fasterapi_pg.server"));
        logger->attr("log")(logging_level(severity), "%s:  %s",
                            nb::str(severity.data(), severity.size()),
                            nb::str(text.data(), text.size()));
    } catch (const nb::python_error&) {
        // Logging failed (the interpreter is shutting down, a handler raised): drop it.
    }
    PyErr_Clear();
    PyErr_Restore(type, value, traceback);
}

cached_statement* session::find(const std::string& query) {
    if (cache.capacity() == 0) return nullptr;
    return cache.find(query);
}

std::string session::next_name() {
    return cache.capacity() == 0 ? std::string() : "fasterapi_" + std::to_string(++statements_made);
}

namespace {

cached_statement describe(statement stmt, const codec_map& codecs, bool json_as_text) {
    cached_statement entry;
    entry.stmt = std::move(stmt);
    entry.json_as_text = json_as_text;
    for (std::size_t i = 0; i < entry.stmt.columns.size(); ++i) {
        const auto& column = entry.stmt.columns[i];
        nb::str key(column.name.c_str());
        if (!entry.keys.contains(key)) entry.keys[key] = i;
        if (!decodes_binary(column.type)) entry.text_results = true;
    }
    if (codecs.empty()) return entry;
    for (const oid type : entry.stmt.param_types) {
        auto found = codecs.find(type);
        entry.encoders.push_back(found != codecs.end() ? found->second.first : nb::object());
    }
    for (const auto& column : entry.stmt.columns) {
        auto found = codecs.find(column.type);
        entry.decoders.push_back(found != codecs.end() ? found->second.second : nb::object());
        if (found != codecs.end()) entry.text_results = true;
    }
    return entry;
}

}  // namespace

std::vector<std::string> session::remember(const std::string& query, statement stmt) {
    if (cache.capacity() == 0) {
        uncached = describe(std::move(stmt), codecs, json_as_text);
        return {};
    }
    return cache.insert(query, describe(std::move(stmt), codecs, json_as_text));
}

std::vector<std::string> session::set_codec(oid type, nb::object encoder, nb::object decoder) {
    codecs[type] = {std::move(encoder), std::move(decoder)};
    uncached.reset();
    return cache.clear();
}

cached_statement& session::prepared(const std::string& query, double timeout) {
    if (cached_statement* hit = find(query)) return *hit;
    const std::string name = next_name();
    std::optional<statement> stmt;
    {
        nb::gil_scoped_release released;
        stmt.emplace(conn.prepare(name, query, timeout));
    }
    for (const auto& evicted : remember(query, std::move(*stmt))) {
        nb::gil_scoped_release released;
        conn.deallocate(evicted);
    }
    return cache.capacity() == 0 ? *uncached : *cache.find(query);
}

nb::tuple describe(const cached_statement& entry) {
    nb::list params;
    for (const oid type : entry.stmt.param_types) params.append(type);
    nb::list columns;
    for (const column& each : entry.stmt.columns) {
        columns.append(nb::make_tuple(nb::str(each.name.data(), each.name.size()), each.type));
    }
    return nb::make_tuple(nb::tuple(params), nb::tuple(columns));
}

void session::forget(const std::string& query) {
    cache.erase(query);
}

std::vector<param_value> encode_args(const cached_statement& entry, nb::args args) {
    const auto& types = entry.stmt.param_types;
    if (args.size() != types.size()) {
        throw interface_error("cannot run the query: it takes " + std::to_string(types.size()) +
                              " parameter(s) ($1..$" + std::to_string(types.size()) + "), got " +
                              std::to_string(args.size()));
    }
    std::vector<param_value> params(types.size());
    for (std::size_t i = 0; i < types.size(); ++i) {
        if (!entry.encoders.empty() && entry.encoders[i].is_valid() && !args[i].is_none()) {
            // set_type_codec: the encoder's str is sent in text format.
            nb::object text = entry.encoders[i](args[i]);
            if (!PyUnicode_Check(text.ptr())) {
                throw interface_error("the encoder for parameter $" + std::to_string(i + 1) +
                                      " (set_type_codec) must return a str");
            }
            Py_ssize_t size = 0;
            const char* data = PyUnicode_AsUTF8AndSize(text.ptr(), &size);
            if (data == nullptr) throw nb::python_error();
            params[i].bytes.assign(data, static_cast<std::size_t>(size));
            params[i].is_text = true;
            continue;
        }
        encode_param(entry, types[i], args[i], i + 1, params[i]);
    }
    return params;
}

void encode_param(const cached_statement& entry, oid type, nb::handle value, std::size_t index,
                  param_value& out) {
    if (!entry.json_as_text || !is_json(type) || !PyUnicode_Check(value.ptr())) {
        encode(type, value, index, out);
        return;
    }
    // json_as_text: a str is the document's text, sent as it is (the server checks it).
    Py_ssize_t size = 0;
    const char* text = PyUnicode_AsUTF8AndSize(value.ptr(), &size);
    if (text == nullptr) throw nb::python_error();
    out.bytes.clear();
    if (type == oids::jsonb) out.bytes.push_back('\1');  // the binary form: version 1, text
    out.bytes.append(text, static_cast<std::size_t>(size));
    out.is_null = false;
    out.is_text = false;
}

bool is_stale_statement(const server_error& error) {
    const std::string& state = error.fields().sqlstate;
    const bool stale_plan =
        state == "0A000" && error.fields().message.find("cached plan") != std::string::npos;
    return stale_plan || state == "26000";
}

bool worth_retrying(const server_error& error, const connection& conn) {
    return is_stale_statement(error) && conn.transaction_status() == 0;
}

namespace {

// The value at ROW, COL of ROWS, whose column type is TYPE.
PyObject* decode_value(const result& rows, const cached_statement& entry, oid type, int row,
                       int col) {
    const std::optional<std::string_view> field = rows.field(row, col);
    if (!field) return Py_NewRef(Py_None);
    std::string_view data = *field;
    const auto column = static_cast<std::size_t>(col);
    if (!entry.decoders.empty() && entry.decoders[column].is_valid()) {
        // set_type_codec: the value is text
        PyObject* value =
            PyUnicode_DecodeUTF8(data.data(), static_cast<Py_ssize_t>(data.size()), nullptr);
        if (value == nullptr) return nullptr;
        PyObject* decoded = PyObject_CallOneArg(entry.decoders[column].ptr(), value);
        Py_DECREF(value);
        return decoded;
    }
    if (entry.json_as_text && is_json(type)) {
        // jsonb's binary form is a version byte, then the text.
        if (!entry.text_results && type == oids::jsonb) data.remove_prefix(1);
        return PyUnicode_DecodeUTF8(data.data(), static_cast<Py_ssize_t>(data.size()), nullptr);
    }
    return entry.text_results ? decode_text(type, data) : decode_binary(type, data);
}

}  // namespace

std::vector<oid> column_types(const result& rows) {
    std::vector<oid> types(static_cast<std::size_t>(rows.columns()));
    for (std::size_t col = 0; col < types.size(); ++col) {
        types[col] = rows.column_type(static_cast<int>(col));
    }
    return types;
}

nb::object record_at(const result& rows, const cached_statement& entry, int row,
                     const std::vector<oid>& types) {
    const int columns = rows.columns();
    PyObject* record = new_record(entry.keys.ptr(), columns);
    if (record == nullptr) throw nb::python_error();
    nb::object owned = nb::steal(record);  // a half-filled record is freed safely on error
    for (int col = 0; col < columns; ++col) {
        PyObject* value = decode_value(rows, entry, types[static_cast<std::size_t>(col)], row, col);
        if (value == nullptr) throw nb::python_error();
        set_record_value(record, col, value);
    }
    finish_record(record);
    return owned;
}

int collector_hold::holders = 0;
bool collector_hold::resume_it = false;

collector_hold::collector_hold() noexcept {
    if (holders++ == 0) resume_it = PyGC_Disable() != 0;
}

collector_hold::~collector_hold() {
    if (--holders == 0 && resume_it) PyGC_Enable();
}

nb::object shape_result(const result& rows, const cached_statement& entry, result_shape shape,
                        int column) {
    switch (shape) {
        case result_shape::status:
            return nb::str(rows.status().data(), rows.status().size());
        case result_shape::records: {
            const collector_hold paused;
            const std::vector<oid> types = column_types(rows);
            const int count = rows.rows();
            PyObject* records = PyList_New(count);
            if (records == nullptr) throw nb::python_error();
            nb::object owned = nb::steal(records);  // empty slots are NULL: freed safely
            for (int row = 0; row < count; ++row) {
                PyList_SET_ITEM(records, row, record_at(rows, entry, row, types).release().ptr());
            }
            return owned;
        }
        case result_shape::first_record:
            if (rows.rows() == 0) return nb::none();
            return record_at(rows, entry, 0, column_types(rows));
        case result_shape::value:
            if (column < 0 || column >= rows.columns()) {
                throw interface_error("cannot fetch column " + std::to_string(column) +
                                      ": the query returns " + std::to_string(rows.columns()) +
                                      " column(s)");
            }
            if (rows.rows() == 0) return nb::none();
            PyObject* value = decode_value(rows, entry, rows.column_type(column), 0, column);
            if (value == nullptr) throw nb::python_error();
            return nb::steal(value);
    }
    return nb::none();
}

void append_records(nb::list& records, const std::vector<result>& results,
                    const cached_statement& entry) {
    const collector_hold paused;
    for (const result& rows : results) {
        if (rows.rows() == 0) continue;  // a command without RETURNING, or no row matched
        const std::vector<oid> types = column_types(rows);
        for (int row = 0; row < rows.rows(); ++row) {
            records.append(record_at(rows, entry, row, types));
        }
    }
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

}  // namespace fasterapi::pg::bindings
