// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/json_decode.cpp: json/jsonb text straight into Python objects
//
// A fetch of JSON columns spent most of its decoding time in the json module: a Python str
// of the whole document first, then the scanner's call, its memo and its result tuple. This
// parser builds the dicts, lists, strs and numbers directly from the bytes PostgreSQL sent.
// It covers what PostgreSQL emits (RFC 8259 JSON, UTF-8); anything else it meets (a lone
// surrogate escape, invalid UTF-8, nesting deeper than max_depth, text that is not JSON) is
// handed to json.loads, so values and errors stay exactly Python's.
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>

#include "bindings/json_decode.hpp"

namespace fasterapi::pg::bindings {

namespace {

// Deeper documents go to json.loads (which applies Python's recursion limit).
constexpr int max_depth = 200;

// Object keys repeat across the rows of a result; a small direct-mapped cache of the str of
// short keys saves making the same str row after row (and gives dicts identical key objects,
// whose lookups then compare pointers). Bounded: slots x keys of at most key_cache_width bytes.
constexpr std::size_t key_cache_slots = 256;
constexpr std::size_t key_cache_width = 24;

struct cached_key {
    std::array<char, key_cache_width> bytes{};
    std::uint8_t length = 0;
    PyObject* value = nullptr;  // a strong reference, kept while the slot holds this key
};

// Only touched with the GIL held.
std::array<cached_key, key_cache_slots>& key_cache() {
    static auto* cache = new std::array<cached_key, key_cache_slots>();  // lives for good
    return *cache;
}

PyObject* utf8_str(const char* data, std::size_t size) {
    return PyUnicode_DecodeUTF8(data, static_cast<Py_ssize_t>(size), nullptr);
}

PyObject* key_str(const char* data, std::size_t size) {
    if (size > key_cache_width) return utf8_str(data, size);
    std::uint32_t hash = 2166136261U;  // FNV-1a
    for (std::size_t i = 0; i < size; ++i) {
        hash = (hash ^ static_cast<unsigned char>(data[i])) * 16777619U;
    }
    cached_key& slot = key_cache()[hash % key_cache_slots];
    if (slot.value != nullptr && slot.length == size &&
        std::memcmp(slot.bytes.data(), data, size) == 0) {
        return Py_NewRef(slot.value);
    }
    PyObject* value = utf8_str(data, size);
    if (value == nullptr) return nullptr;
    Py_XSETREF(slot.value, Py_NewRef(value));
    std::memcpy(slot.bytes.data(), data, size);
    slot.length = static_cast<std::uint8_t>(size);
    return value;
}

void append_utf8(std::string& out, std::uint32_t code) {
    if (code < 0x80) {
        out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (code >> 6)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (code >> 12)));
        out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (code >> 18)));
        out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
}

// Recursive descent over one document. Every method returns a new reference, or nullptr when
// the text is beyond this parser (then the caller asks json.loads) or Python failed.
class parser {
public:
    explicit parser(std::string_view text) : _at(text.data()), _end(text.data() + text.size()) {}

    PyObject* document() {
        PyObject* result = value(0);
        if (result == nullptr) return nullptr;
        skip_space();
        if (_at != _end) {  // trailing text: not one JSON value
            Py_DECREF(result);
            return nullptr;
        }
        return result;
    }

private:
    void skip_space() {
        while (_at != _end && (*_at == ' ' || *_at == '\n' || *_at == '\r' || *_at == '\t')) ++_at;
    }

    bool literal(std::string_view word) {
        if (static_cast<std::size_t>(_end - _at) < word.size() ||
            std::memcmp(_at, word.data(), word.size()) != 0) {
            return false;
        }
        _at += word.size();
        return true;
    }

    PyObject* value(int depth) {
        skip_space();
        if (_at == _end) return nullptr;
        switch (*_at) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string(false);
            case 't':
                return literal("true") ? Py_NewRef(Py_True) : nullptr;
            case 'f':
                return literal("false") ? Py_NewRef(Py_False) : nullptr;
            case 'n':
                return literal("null") ? Py_NewRef(Py_None) : nullptr;
            default:
                return number();
        }
    }

    // What follows an object member or array element: a comma, the CLOSER, or anything else.
    enum class after { more, closed, invalid };
    after after_item(char closer) {
        skip_space();
        if (_at == _end) return after::invalid;
        if (*_at == ',' || *_at == closer) return *_at++ == ',' ? after::more : after::closed;
        return after::invalid;
    }

    PyObject* object(int depth) {
        if (depth > max_depth) return nullptr;
        ++_at;  // '{'
        PyObject* dict = PyDict_New();
        if (dict == nullptr) return nullptr;
        skip_space();
        if (_at != _end && *_at == '}') {
            ++_at;
            return dict;
        }
        for (;;) {
            skip_space();
            if (_at == _end || *_at != '"') break;
            PyObject* key = string(true);
            if (key == nullptr) break;
            skip_space();
            if (_at == _end || *_at != ':') {
                Py_DECREF(key);
                break;
            }
            ++_at;
            PyObject* item = value(depth);
            if (item == nullptr) {
                Py_DECREF(key);
                break;
            }
            const int failed = PyDict_SetItem(dict, key, item);  // a repeated key: the last wins
            Py_DECREF(key);
            Py_DECREF(item);
            if (failed != 0) break;
            const after next = after_item('}');
            if (next == after::closed) return dict;
            if (next == after::invalid) break;
        }
        Py_DECREF(dict);
        return nullptr;
    }

    PyObject* array(int depth) {
        if (depth > max_depth) return nullptr;
        ++_at;  // '['
        PyObject* list = PyList_New(0);
        if (list == nullptr) return nullptr;
        skip_space();
        if (_at != _end && *_at == ']') {
            ++_at;
            return list;
        }
        for (;;) {
            PyObject* item = value(depth);
            if (item == nullptr) break;
            const int failed = PyList_Append(list, item);
            Py_DECREF(item);
            if (failed != 0) break;
            const after next = after_item(']');
            if (next == after::closed) return list;
            if (next == after::invalid) break;
        }
        Py_DECREF(list);
        return nullptr;
    }

    PyObject* string(bool is_key) {
        const char* start = ++_at;  // past the opening quote
        while (_at != _end && *_at != '"' && *_at != '\\' &&
               static_cast<unsigned char>(*_at) >= 0x20) {
            ++_at;
        }
        if (_at == _end || static_cast<unsigned char>(*_at) < 0x20) return nullptr;
        if (*_at == '"') {  // no escapes: the bytes are the value
            const auto size = static_cast<std::size_t>(_at - start);
            ++_at;
            return is_key ? key_str(start, size) : utf8_str(start, size);
        }
        std::string unescaped(start, _at);
        while (_at != _end && *_at != '"') {
            const auto byte = static_cast<unsigned char>(*_at);
            if (byte < 0x20) return nullptr;  // a raw control character: strict JSON refuses it
            if (byte != '\\') {
                unescaped.push_back(*_at++);
                continue;
            }
            if (++_at == _end) return nullptr;
            const char escape = *_at++;
            switch (escape) {
                case '"':
                case '\\':
                case '/':
                    unescaped.push_back(escape);
                    break;
                case 'b':
                    unescaped.push_back('\b');
                    break;
                case 'f':
                    unescaped.push_back('\f');
                    break;
                case 'n':
                    unescaped.push_back('\n');
                    break;
                case 'r':
                    unescaped.push_back('\r');
                    break;
                case 't':
                    unescaped.push_back('\t');
                    break;
                case 'u': {
                    std::uint32_t code = 0;
                    if (!hex4(code)) return nullptr;
                    if (code >= 0xD800 && code <= 0xDBFF) {  // a pair must follow
                        std::uint32_t low = 0;
                        if (!literal("\\u") || !hex4(low) || low < 0xDC00 || low > 0xDFFF) {
                            return nullptr;  // a lone surrogate: json.loads keeps it as is
                        }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    } else if (code >= 0xDC00 && code <= 0xDFFF) {
                        return nullptr;
                    }
                    append_utf8(unescaped, code);
                    break;
                }
                default:
                    return nullptr;
            }
        }
        if (_at == _end) return nullptr;
        ++_at;  // the closing quote
        return utf8_str(unescaped.data(), unescaped.size());
    }

    bool hex4(std::uint32_t& code) {
        if (_end - _at < 4) return false;
        for (int i = 0; i < 4; ++i) {
            const int digit = hex_digit(*_at++);
            if (digit < 0) return false;
            code = (code << 4) | static_cast<std::uint32_t>(digit);
        }
        return true;
    }

    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?: an int without fraction or exponent
    // (of any size), else a float rounded as Python's float() rounds it.
    PyObject* number() {
        const char* start = _at;
        if (_at != _end && *_at == '-') ++_at;
        const char* digits = _at;
        if (_at == _end || !is_digit(*_at)) return nullptr;  // also NaN, Infinity: json.loads
        if (*_at == '0') {
            ++_at;
        } else {
            while (_at != _end && is_digit(*_at)) ++_at;
        }
        const auto integer_digits = static_cast<std::size_t>(_at - digits);
        bool is_float = false;
        if (_at != _end && *_at == '.') {
            is_float = true;
            if (++_at == _end || !is_digit(*_at)) return nullptr;
            while (_at != _end && is_digit(*_at)) ++_at;
        }
        if (_at != _end && (*_at == 'e' || *_at == 'E')) {
            is_float = true;
            if (++_at != _end && (*_at == '+' || *_at == '-')) ++_at;
            if (_at == _end || !is_digit(*_at)) return nullptr;
            while (_at != _end && is_digit(*_at)) ++_at;
        }
        if (!is_float && integer_digits <= 18) {  // fits in int64
            std::int64_t magnitude = 0;
            for (const char* c = digits; c != _at; ++c) magnitude = magnitude * 10 + (*c - '0');
            return PyLong_FromLongLong(*start == '-' ? -magnitude : magnitude);
        }
        const std::string text(start, _at);  // NUL-terminated for the C API
        if (!is_float) return PyLong_FromString(text.c_str(), nullptr, 10);
        double parsed = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
        if (error == std::errc() && end == text.data() + text.size()) {
            return PyFloat_FromDouble(parsed);
        }
        // Out of double's range: Python's float() gives inf or 0.0 with the sign.
        const double rounded = PyOS_string_to_double(text.c_str(), nullptr, nullptr);
        if (rounded == -1.0 && PyErr_Occurred()) return nullptr;
        return PyFloat_FromDouble(rounded);
    }

    static bool is_digit(char c) { return c >= '0' && c <= '9'; }

    const char* _at;
    const char* _end;
};

PyObject* json_loads(std::string_view text) {
    static PyObject* loads = [] {
        return nb::object(nb::module_::import_("json").attr("loads")).release().ptr();  // for good
    }();
    PyObject* source = utf8_str(text.data(), text.size());
    if (source == nullptr) return nullptr;
    PyObject* value = PyObject_CallOneArg(loads, source);
    Py_DECREF(source);
    return value;
}

}  // namespace

PyObject* json_value(std::string_view text) {
    PyObject* value = parser(text).document();
    if (value != nullptr) return value;
    PyErr_Clear();  // beyond the fast parser: json.loads decides, with its own error
    return json_loads(text);
}

}  // namespace fasterapi::pg::bindings
