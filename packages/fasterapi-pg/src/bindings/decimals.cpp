// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/decimals.cpp: numeric values as decimal.Decimal
//
// Decimal(text) was the most expensive value of a fetch: about 1,500 instructions per
// numeric, most of them in parsing the call's arguments and the text again. Decimal has no
// C API to make one from a coefficient and an exponent, so where this Python's Decimal is
// the C implementation laid out as CPython's Modules/_decimal has laid it out since 3.3 (an
// mpd_t and four words of coefficient inside the object, on 64-bit builds), a new Decimal is
// allocated through its type and filled in place, about 100 instructions. The layout is not
// assumed: the first numeric decoded reads a Decimal made by Decimal itself through the
// mirror below and compares one built here with it; anything unexpected (another Python, a
// 32-bit build, a change in _decimal) and every numeric goes through Decimal(text), as do
// coefficients longer than the four inline words (76 digits) and NaN and the infinities.
#include "bindings/decimals.hpp"

#include <cstdint>
#include <string>

namespace fasterapi::pg::bindings {

namespace {

// libmpdec's mpd_t and _decimal's PyDecObject on a 64-bit build (MPD_RADIX 10^19,
// _Py_DEC_MINALLOC 4).
struct mpd_mirror {
    std::uint8_t flags;
    std::int64_t exponent;
    std::int64_t digits;  // decimal digits of the coefficient (1 for zero)
    std::int64_t length;  // words of the coefficient in use
    std::int64_t allocated;
    std::uint64_t* words;  // least significant first
};

struct decimal_mirror {
    PyObject_HEAD Py_hash_t hash;  // -1 until hash() computes it
    mpd_mirror value;
    std::uint64_t inline_words[4];
};

constexpr std::uint8_t mpd_negative = 1;
constexpr std::uint8_t mpd_static = 16;       // the mpd_t itself is not to be freed
constexpr std::uint8_t mpd_static_data = 32;  // nor its words (they are inline_words)
constexpr std::size_t word_digits = 19;
constexpr std::size_t max_inline_digits = word_digits * 4;

PyObject* decimal_from_text(const binary::numeric_digits& numeric) {
    return call_with_text(decimal_class(), binary::numeric_to_text(numeric));
}

// A finite NUMERIC of at most max_inline_digits digits, filled in place (the layout checked).
PyObject* decimal_in_place(const binary::numeric_digits& numeric) {
    auto* type = reinterpret_cast<PyTypeObject*>(decimal_class());
    PyObject* object = type->tp_alloc(type, 0);
    if (object == nullptr) return nullptr;
    auto* decimal = reinterpret_cast<decimal_mirror*>(object);
    const std::string& digits = numeric.coefficient;
    // Words of 19 digits from the right: the last digits make the least significant word.
    std::size_t length = 0;
    for (std::size_t end = digits.size(); end > 0; ++length) {
        const std::size_t begin = end > word_digits ? end - word_digits : 0;
        std::uint64_t word = 0;
        for (std::size_t i = begin; i < end; ++i) word = word * 10 + (digits[i] - '0');
        decimal->inline_words[length] = word;
        end = begin;
    }
    decimal->hash = -1;
    decimal->value.flags = mpd_static | mpd_static_data | (numeric.negative ? mpd_negative : 0);
    decimal->value.exponent = -numeric.scale;
    decimal->value.digits = static_cast<std::int64_t>(digits.size());
    decimal->value.length = static_cast<std::int64_t>(length);
    decimal->value.allocated = 4;
    decimal->value.words = decimal->inline_words;
    return object;
}

// Does Decimal look, inside, as decimal_mirror says? Checked on a Decimal that Decimal made
// (every field), then on one made here (equal, and the same text).
bool layout_matches() {
    auto* type = reinterpret_cast<PyTypeObject*>(decimal_class());
    if (type->tp_basicsize != static_cast<Py_ssize_t>(sizeof(decimal_mirror)) ||
        type->tp_itemsize != 0) {
        return false;
    }
    const binary::numeric_digits sample{"", true, "1234567890123456789012345", 2};
    PyObject* reference = decimal_from_text(sample);  // -12345678901234567890123.45
    if (reference == nullptr) {
        PyErr_Clear();
        return false;
    }
    const auto* read = reinterpret_cast<const decimal_mirror*>(reference);
    bool matches =
        read->hash == -1 && read->value.flags == (mpd_static | mpd_static_data | mpd_negative) &&
        read->value.exponent == -2 && read->value.digits == 25 && read->value.length == 2 &&
        read->value.allocated == 4 && read->value.words == read->inline_words &&
        read->inline_words[0] == 7890123456789012345ULL && read->inline_words[1] == 123456;
    if (matches) {
        PyObject* built = decimal_in_place(sample);
        PyObject* reference_text = PyObject_Str(reference);
        PyObject* built_text = built != nullptr ? PyObject_Str(built) : nullptr;
        matches = built_text != nullptr && reference_text != nullptr &&
                  PyObject_RichCompareBool(built, reference, Py_EQ) == 1 &&
                  PyUnicode_Compare(built_text, reference_text) == 0;
        Py_XDECREF(built_text);
        Py_XDECREF(reference_text);
        Py_XDECREF(built);
        PyErr_Clear();
    }
    Py_DECREF(reference);
    return matches;
}

}  // namespace

PyObject* decimal_class() {
    static PyObject* cls =
        nb::object(nb::module_::import_("decimal").attr("Decimal")).release().ptr();
    return cls;
}

bool decimals_built_directly() {
    static const bool built_directly = layout_matches();  // only touched with the GIL held
    return built_directly;
}

PyObject* decimal_value(const binary::numeric_digits& numeric) {
    if (numeric.special.empty() && numeric.coefficient.size() <= max_inline_digits &&
        decimals_built_directly()) {
        return decimal_in_place(numeric);
    }
    return decimal_from_text(numeric);
}

}  // namespace fasterapi::pg::bindings
