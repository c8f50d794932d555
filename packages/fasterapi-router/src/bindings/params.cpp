// SPDX-License-Identifier: MIT
// fasterapi-router/src/bindings/params.cpp: matched parameter text -> Python values
#include <fasterapi/router/percent.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "bindings/bindings.hpp"

namespace fasterapi::router::bindings {

namespace {

struct text_traits {
    bool ascii;
    bool escaped;  // holds a '%'
};

// Looks at 8 bytes per step: a byte loop with two conditions cost more than the str's
// allocation for a typical value.
text_traits traits_of(std::string_view text) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    std::uint64_t any_high = 0;
    std::uint64_t any_percent = 0;
    for (std::size_t at = 0; at < text.size(); at += 8) {
        std::uint64_t word = 0;  // a short tail is padded with zeros: ASCII, and not '%'
        std::memcpy(&word, text.data() + at, std::min<std::size_t>(8, text.size() - at));
        any_high |= word;
        const std::uint64_t percent = word ^ (ones * '%');  // a zero byte where a '%' was
        any_percent |= (percent - ones) & ~percent & highs;
    }
    return {(any_high & highs) == 0, any_percent != 0};
}

// Text of a str/path value: decoded, then UTF-8 with U+FFFD for invalid bytes, so any path
// a client sends yields a str and never an exception.
PyObject* text_value(std::string_view text, bool decode) {
    const auto [ascii, escaped] = traits_of(text);
    if (ascii && !(decode && escaped)) {
        // The common case: a compact ASCII str filled directly, without the UTF-8 decoder.
        PyObject* value = PyUnicode_New(static_cast<Py_ssize_t>(text.size()), 127);
        if (value != nullptr) std::memcpy(PyUnicode_DATA(value), text.data(), text.size());
        return value;
    }
    if (!decode || !escaped) {
        return PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "replace");
    }
    std::array<char, 256> small;
    char* buffer = small.data();
    if (text.size() > small.size()) {
        buffer = static_cast<char*>(PyMem_Malloc(text.size()));
        if (buffer == nullptr) return PyErr_NoMemory();
    }
    const std::size_t length = percent_decode(text, buffer);
    PyObject* value = PyUnicode_DecodeUTF8(buffer, static_cast<Py_ssize_t>(length), "replace");
    if (buffer != small.data()) PyMem_Free(buffer);
    return value;
}

PyObject* integer_value(std::string_view digits) {
    if (digits.size() <= 18) {  // fits in a long long without overflow checks
        long long value = 0;
        for (const char c : digits) value = value * 10 + (c - '0');
        return PyLong_FromLongLong(value);
    }
    PyObject* text =
        PyUnicode_FromStringAndSize(digits.data(), static_cast<Py_ssize_t>(digits.size()));
    if (text == nullptr) return nullptr;
    PyObject* value = PyLong_FromUnicodeObject(text, 10);
    Py_DECREF(text);
    return value;
}

PyObject* uuid_value(std::string_view text) {
    static PyObject* uuid_class = nullptr;  // uuid.UUID, kept for the life of the process
    if (uuid_class == nullptr) {            // the first UUID value (the GIL is held)
        PyObject* module = PyImport_ImportModule("uuid");
        if (module == nullptr) return nullptr;
        uuid_class = PyObject_GetAttrString(module, "UUID");
        Py_DECREF(module);
        if (uuid_class == nullptr) return nullptr;
    }
    PyObject* string =
        PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), nullptr);
    if (string == nullptr) return nullptr;
    PyObject* result = PyObject_CallOneArg(uuid_class, string);
    Py_DECREF(string);
    return result;
}

}  // namespace

PyObject* param_value(param_kind kind, std::string_view text, bool decode) {
    switch (kind) {
        case param_kind::integer:
            return integer_value(text);
        case param_kind::decimal: {
            double value = 0;
            std::from_chars(text.data(), text.data() + text.size(), value);
            return PyFloat_FromDouble(value);
        }
        case param_kind::uuid:
            return uuid_value(text);
        case param_kind::string:
        case param_kind::path:
            return text_value(text, decode);
    }
    return nullptr;
}

}  // namespace fasterapi::router::bindings
