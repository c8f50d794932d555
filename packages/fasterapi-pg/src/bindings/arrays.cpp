// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/arrays.cpp: PostgreSQL arrays <-> nested Python lists
//
// The binary array format: int32 dimensions, int32 has-nulls flag, uint32 element type, then
// per dimension (int32 length, int32 lower bound), then each element as int32 length (-1 for
// NULL) and its bytes, in row-major order. Any number of dimensions; an empty array has none.
#include "bindings/bindings.hpp"

#include <fasterapi/pg/binary.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace fasterapi::pg::bindings {

namespace {

namespace bin = fasterapi::pg::binary;

// PostgreSQL's own limit (MAXDIM).
constexpr std::int32_t max_dimensions = 6;

bool is_sequence(PyObject* value) {
    return PyList_Check(value) || PyTuple_Check(value);
}

/// Element types whose text form is also their binary form, so a str encodes either way.
bool text_like(oid element) noexcept {
    return element == oids::text || element == oids::varchar || element == oids::bpchar ||
           element == oids::name || element == oids::char_ || element == oids::unknown;
}

/// Reads the array's bytes front to back; every read checks what is left.
class reader {
public:
    explicit reader(std::string_view data) : data_(data) {}

    bool read_int32(std::int32_t& value) {
        if (data_.size() < 4) return false;
        value = bin::read<std::int32_t>(data_);
        data_.remove_prefix(4);
        return true;
    }

    bool read_bytes(std::size_t size, std::string_view& bytes) {
        if (data_.size() < size) return false;
        bytes = data_.substr(0, size);
        data_.remove_prefix(size);
        return true;
    }

private:
    std::string_view data_;
};

PyObject* malformed() {
    PyErr_SetString(PyExc_ValueError, "malformed binary array received from the server");
    return nullptr;
}

/// The elements of dimension DIM onwards as a (nested) list; nullptr with an error set.
PyObject* decode_level(reader& in, const std::vector<std::int32_t>& sizes, std::size_t dim,
                       oid element) {
    PyObject* list = PyList_New(sizes[dim]);
    if (list == nullptr) return nullptr;
    for (std::int32_t i = 0; i < sizes[dim]; ++i) {
        PyObject* item = nullptr;
        if (dim + 1 < sizes.size()) {
            item = decode_level(in, sizes, dim + 1, element);
        } else {
            std::int32_t length = 0;
            std::string_view bytes;
            if (!in.read_int32(length)) {
                item = malformed();
            } else if (length < 0) {
                item = Py_NewRef(Py_None);
            } else if (!in.read_bytes(static_cast<std::size_t>(length), bytes)) {
                item = malformed();
            } else {
                item = decode_binary(element, bytes);
            }
        }
        if (item == nullptr) {
            Py_DECREF(list);
            return nullptr;
        }
        PyList_SET_ITEM(list, i, item);  // steals item
    }
    return list;
}

/// The array's shape from its first elements: one length per nesting level.
std::vector<std::int32_t> shape_of(nb::handle value, oid element, std::size_t index) {
    std::vector<std::int32_t> sizes;
    PyObject* level = value.ptr();
    // JSON values may themselves be lists: a json[] is one-dimensional, its elements whole.
    if (is_json(element)) return {static_cast<std::int32_t>(PySequence_Fast_GET_SIZE(level))};
    while (is_sequence(level)) {
        const Py_ssize_t size = PySequence_Fast_GET_SIZE(level);
        sizes.push_back(static_cast<std::int32_t>(size));
        if (static_cast<std::int32_t>(sizes.size()) > max_dimensions) {
            throw interface_error("cannot encode parameter $" + std::to_string(index) +
                                  " as an array: more than 6 dimensions");
        }
        if (size == 0) break;
        level = PySequence_Fast_GET_ITEM(level, 0);
    }
    return sizes;
}

[[noreturn]] void not_rectangular(std::size_t index) {
    throw interface_error("cannot encode parameter $" + std::to_string(index) +
                          " as an array: sub-lists must all have the same length (PostgreSQL "
                          "arrays are rectangular)");
}

void encode_level(nb::handle value, const std::vector<std::int32_t>& sizes, std::size_t dim,
                  oid element, std::size_t index, std::string& out, bool& has_null) {
    PyObject* level = value.ptr();
    if (!is_sequence(level) || PySequence_Fast_GET_SIZE(level) != sizes[dim]) {
        not_rectangular(index);
    }
    param_value item_value;
    for (Py_ssize_t i = 0; i < sizes[dim]; ++i) {
        nb::handle item(PySequence_Fast_GET_ITEM(level, i));
        if (dim + 1 < sizes.size()) {
            encode_level(item, sizes, dim + 1, element, index, out, has_null);
            continue;
        }
        if (is_sequence(item.ptr()) && !is_json(element)) not_rectangular(index);
        encode(element, item, index, item_value);
        if (item_value.is_null) {
            has_null = true;
            bin::write(out, static_cast<std::int32_t>(-1));
            continue;
        }
        if (item_value.is_text && !text_like(element)) {
            throw interface_error("cannot encode parameter $" + std::to_string(index) +
                                  " as an array of type oid " + std::to_string(element) +
                                  ": its elements have no binary encoding here (pass uuid.UUID "
                                  "objects for uuid[]; numeric[] is sent as text[] cast in SQL)");
        }
        bin::write(out, static_cast<std::int32_t>(item_value.bytes.size()));
        out += item_value.bytes;
    }
}

}  // namespace

oid array_element(oid type) noexcept {
    switch (type) {
        case 1000:
            return oids::boolean;
        case 1001:
            return oids::bytea;
        case 1002:
            return oids::char_;
        case 1003:
            return oids::name;
        case 1005:
            return oids::int2;
        case 1007:
            return oids::int4;
        case 1009:
            return oids::text;
        case 1014:
            return oids::bpchar;
        case 1015:
            return oids::varchar;
        case 1016:
            return oids::int8;
        case 1021:
            return oids::float4;
        case 1022:
            return oids::float8;
        case 1028:
            return oids::oid_;
        case 1115:
            return oids::timestamp;
        case 1182:
            return oids::date;
        case 1185:
            return oids::timestamptz;
        case 1231:
            return oids::numeric;
        case 2951:
            return oids::uuid;
        case 199:
            return oids::json;
        case 1183:
            return oids::time;
        case 1270:
            return oids::timetz;
        case 1187:
            return oids::interval;
        case 1041:
            return oids::inet;
        case 651:
            return oids::cidr;
        case 3807:
            return oids::jsonb;
        default:
            return 0;
    }
}

PyObject* decode_array(std::string_view data) {
    reader in(data);
    std::int32_t dimensions = 0;
    std::int32_t has_null = 0;
    std::int32_t element = 0;
    if (!in.read_int32(dimensions) || !in.read_int32(has_null) || !in.read_int32(element) ||
        dimensions < 0 || dimensions > max_dimensions) {
        return malformed();
    }
    if (dimensions == 0) return PyList_New(0);
    std::vector<std::int32_t> sizes(static_cast<std::size_t>(dimensions));
    for (auto& size : sizes) {
        std::int32_t lower_bound = 0;
        if (!in.read_int32(size) || !in.read_int32(lower_bound) || size < 0) return malformed();
    }
    return decode_level(in, sizes, 0, static_cast<oid>(element));
}

std::string binary_array(oid element, const std::vector<std::int32_t>& sizes, bool has_null,
                         std::string_view elements) {
    const bool empty = sizes.empty() || sizes.back() == 0;
    std::string out;
    bin::write(out, static_cast<std::int32_t>(empty ? 0 : sizes.size()));
    bin::write(out, static_cast<std::int32_t>(has_null ? 1 : 0));
    bin::write(out, static_cast<std::uint32_t>(element));
    if (!empty) {
        for (const std::int32_t size : sizes) {
            bin::write(out, size);
            bin::write(out, static_cast<std::int32_t>(1));  // lower bound
        }
    }
    out += elements;
    return out;
}

void encode_array(oid element, nb::handle value, std::size_t index, param_value& out) {
    if (!is_sequence(value.ptr())) {
        throw interface_error("cannot encode parameter $" + std::to_string(index) +
                              " as an array: expected a list or tuple (got " +
                              nb::type_name(value.type()).c_str() + ")");
    }
    const std::vector<std::int32_t> sizes = shape_of(value, element, index);
    std::string elements;
    bool has_null = false;
    const bool empty = sizes.empty() || sizes.back() == 0;
    if (!empty) encode_level(value, sizes, 0, element, index, elements, has_null);
    out.bytes = binary_array(element, sizes, has_null, elements);
    out.is_null = false;
    out.is_text = false;
}

}  // namespace fasterapi::pg::bindings
