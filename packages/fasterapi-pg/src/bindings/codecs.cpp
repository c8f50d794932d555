// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/codecs.cpp: PostgreSQL values <-> Python objects
// clang-format off
#include "bindings/bindings.hpp"  // Python.h first: datetime.h needs it
#include <datetime.h>
// clang-format on
#include <nanobind/stl/string.h>
#include <fasterapi/pg/binary.hpp>

#include "bindings/calendar.hpp"
#include "bindings/decimals.hpp"
#include "bindings/json_decode.hpp"

#include <structmember.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

namespace fasterapi::pg::bindings {

namespace {

namespace bin = fasterapi::pg::binary;

constexpr std::int64_t usec_per_day = 86'400'000'000LL;

PyObject* cached(const char* module, const char* name) {
    return nb::object(nb::module_::import_(module).attr(name)).release().ptr();  // for good
}

PyObject* uuid_class() {
    static PyObject* cls = cached("uuid", "UUID");
    return cls;
}
PyObject* json_dumps() {
    static PyObject* fn = cached("json", "dumps");
    return fn;
}

PyObject* safe_uuid_unknown() {
    static PyObject* value = [] {
        nb::object safe = nb::module_::import_("uuid").attr("SafeUUID");
        return nb::object(safe.attr("unknown")).release().ptr();
    }();
    return value;
}

// Where uuid.UUID keeps slot NAME in its objects: the offset its member descriptor gives,
// or -1 if the slot is not a plain object member (then it is set by attribute).
Py_ssize_t uuid_slot_offset(const char* name) {
    nb::object member = nb::handle(uuid_class()).attr(name);  // on the class: the descriptor
    if (Py_TYPE(member.ptr()) != &PyMemberDescr_Type) return -1;
    const PyMemberDef* definition = reinterpret_cast<PyMemberDescrObject*>(member.ptr())->d_member;
    return definition->type == T_OBJECT_EX ? definition->offset : -1;
}

// Set slot NAME (at OFFSET, see uuid_slot_offset) of a new UUID to VALUE (a new reference,
// which is stolen). UUID's own __setattr__ refuses (UUIDs are immutable): the slot is written
// where it lives, else through object's setattr.
bool set_uuid_slot(PyObject* uuid, Py_ssize_t offset, PyObject* name, PyObject* value) {
    if (offset >= 0) {
        *reinterpret_cast<PyObject**>(reinterpret_cast<char*>(uuid) + offset) = value;
        return true;
    }
    const bool set = PyObject_GenericSetAttr(uuid, name, value) == 0;
    Py_DECREF(value);
    return set;
}

// A uuid.UUID built directly: allocated without __init__ (which parses and validates text,
// the slow part) and its two slots set, as UUID's own constructor would set them.
PyObject* uuid_value(std::string_view data) {
    static PyObject* int_name = PyUnicode_InternFromString("int");
    static PyObject* safe_name = PyUnicode_InternFromString("is_safe");
    static const Py_ssize_t int_offset = uuid_slot_offset("int");
    static const Py_ssize_t safe_offset = uuid_slot_offset("is_safe");
    auto* cls = reinterpret_cast<PyTypeObject*>(uuid_class());
    PyObject* number = _PyLong_FromByteArray(reinterpret_cast<const unsigned char*>(data.data()),
                                             16, /*little_endian=*/0, /*is_signed=*/0);
    if (number == nullptr) return nullptr;
    PyObject* value = cls->tp_alloc(cls, 0);
    if (value == nullptr) {
        Py_DECREF(number);
        return nullptr;
    }
    if (!set_uuid_slot(value, int_offset, int_name, number) ||
        !set_uuid_slot(value, safe_offset, safe_name, Py_NewRef(safe_uuid_unknown()))) {
        Py_DECREF(value);
        return nullptr;
    }
    return value;
}

PyObject* utc() {
    static PyObject* tz = cached("datetime", "timezone");
    static PyObject* value = PyObject_GetAttrString(tz, "utc");
    return value;
}

PyObject* date_value(std::int32_t pg_days) {
    // PostgreSQL's 'infinity' dates have no Python equivalent: map them to the extremes.
    if (pg_days == INT32_MAX) return PyDate_FromDate(9999, 12, 31);
    if (pg_days == INT32_MIN) return PyDate_FromDate(1, 1, 1);
    int y = 0, m = 0, d = 0;
    civil_from_days(pg_days + bin::pg_epoch_days, y, m, d);
    return PyDate_FromDate(y, m, d);
}

PyObject* timestamp_value(std::int64_t pg_usec, bool aware) {
    PyObject* tz = aware ? utc() : Py_None;
    if (pg_usec == INT64_MAX || pg_usec == INT64_MIN) {
        const bool high = pg_usec == INT64_MAX;
        return PyDateTimeAPI->DateTime_FromDateAndTime(
            high ? 9999 : 1, high ? 12 : 1, high ? 31 : 1, high ? 23 : 0, high ? 59 : 0,
            high ? 59 : 0, high ? 999999 : 0, tz, PyDateTimeAPI->DateTimeType);
    }
    const std::int64_t days = floor_div(pg_usec, usec_per_day);
    std::int64_t rest = pg_usec - days * usec_per_day;
    int y = 0, m = 0, d = 0;
    civil_from_days(days + bin::pg_epoch_days, y, m, d);
    const auto hour = static_cast<int>(rest / 3'600'000'000LL);
    rest %= 3'600'000'000LL;
    const auto minute = static_cast<int>(rest / 60'000'000LL);
    rest %= 60'000'000LL;
    return PyDateTimeAPI->DateTime_FromDateAndTime(
        y, m, d, hour, minute, static_cast<int>(rest / 1'000'000),
        static_cast<int>(rest % 1'000'000), tz, PyDateTimeAPI->DateTimeType);
}

PyObject* time_value(std::int64_t usec, PyObject* tz) {
    // PostgreSQL accepts 24:00:00; Python's time ends a microsecond before it.
    if (usec >= usec_per_day) usec = usec_per_day - 1;
    if (usec < 0) usec = 0;
    const auto hour = static_cast<int>(usec / 3'600'000'000LL);
    usec %= 3'600'000'000LL;
    const auto minute = static_cast<int>(usec / 60'000'000LL);
    usec %= 60'000'000LL;
    return PyDateTimeAPI->Time_FromTime(hour, minute, static_cast<int>(usec / 1'000'000),
                                        static_cast<int>(usec % 1'000'000), tz,
                                        PyDateTimeAPI->TimeType);
}

PyObject* timetz_value(std::string_view data) {
    // The zone is stored in seconds west of UTC; Python's offsets count east.
    const auto west = bin::read<std::int32_t>(data.substr(8));
    PyObject* offset = PyDelta_FromDSU(0, -west, 0);
    if (offset == nullptr) return nullptr;
    PyObject* zone = PyTimeZone_FromOffset(offset);
    Py_DECREF(offset);
    if (zone == nullptr) return nullptr;
    PyObject* value = time_value(bin::read<std::int64_t>(data), zone);
    Py_DECREF(zone);
    return value;
}

PyObject* interval_value(std::string_view data) {
    const auto usec = bin::read<std::int64_t>(data);
    const auto days = bin::read<std::int32_t>(data.substr(8));
    const auto months = bin::read<std::int32_t>(data.substr(12));
    if (months != 0) {
        PyErr_SetString(PyExc_ValueError,
                        "an interval with months or years has no timedelta equivalent (their "
                        "length varies); select it as text (::text) or in days");
        return nullptr;
    }
    const std::int64_t whole_days = floor_div(usec, usec_per_day);
    const std::int64_t rest = usec - whole_days * usec_per_day;
    const std::int64_t total_days = whole_days + days;
    if (total_days > 999'999'999 || total_days < -999'999'999) {
        PyErr_SetString(PyExc_OverflowError, "interval out of timedelta's range");
        return nullptr;
    }
    return PyDelta_FromDSU(static_cast<int>(total_days), static_cast<int>(rest / 1'000'000),
                           static_cast<int>(rest % 1'000'000));
}

PyObject* network_value(std::string_view data, bool cidr) {
    // family, bits, is_cidr, address length, address (4 or 16 bytes).
    if (data.size() < 4 || data.size() != 4 + static_cast<unsigned char>(data[3])) {
        PyErr_SetString(PyExc_ValueError, "malformed inet/cidr value received from the server");
        return nullptr;
    }
    const int bits = static_cast<unsigned char>(data[1]);
    const std::size_t length = static_cast<unsigned char>(data[3]);
    nb::object packed =
        nb::steal(PyBytes_FromStringAndSize(data.data() + 4, static_cast<Py_ssize_t>(length)));
    if (!packed.is_valid()) return nullptr;
    static PyObject* ip_address = cached("ipaddress", "ip_address");
    static PyObject* ip_interface = cached("ipaddress", "ip_interface");
    static PyObject* ip_network = cached("ipaddress", "ip_network");
    if (!cidr && static_cast<std::size_t>(bits) == length * 8) {
        return PyObject_CallOneArg(ip_address, packed.ptr());
    }
    nb::object pair = nb::steal(Py_BuildValue("(Oi)", packed.ptr(), bits));
    if (!pair.is_valid()) return nullptr;
    return PyObject_CallOneArg(cidr ? ip_network : ip_interface, pair.ptr());
}

// TEXT, known to be ASCII, as a str: copied in, where decoding it as UTF-8 would first scan it.
PyObject* ascii_text(std::string_view text) {
    PyObject* value = PyUnicode_New(static_cast<Py_ssize_t>(text.size()), 127);
    if (value != nullptr) std::memcpy(PyUnicode_1BYTE_DATA(value), text.data(), text.size());
    return value;
}

// Is every byte of DATA below 0x80? Eight at a time: most text values are short and ASCII.
bool is_ascii(std::string_view data) {
    std::uint64_t high_bits = 0;
    std::size_t at = 0;
    for (; at + 8 <= data.size(); at += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, data.data() + at, 8);
        high_bits |= word;
    }
    for (; at < data.size(); ++at) high_bits |= static_cast<unsigned char>(data[at]);
    return (high_bits & 0x8080808080808080ULL) == 0;
}

// A text value as a str. ASCII (the common case) is copied in; CPython's UTF-8 decoder,
// general and with error handling to set up, costs about twice that for a short value.
PyObject* text(std::string_view data) {
    if (is_ascii(data)) return ascii_text(data);
    return PyUnicode_DecodeUTF8(data.data(), static_cast<Py_ssize_t>(data.size()), nullptr);
}

[[noreturn]] void cannot_encode(std::size_t index, std::string_view type, nb::handle value,
                                std::string_view why) {
    throw interface_error("cannot encode parameter $" + std::to_string(index) + " as " +
                          std::string(type) + ": " + std::string(why) + " (got " +
                          nb::type_name(value.type()).c_str() + ")");
}

std::int64_t integer_in_range(nb::handle value, std::size_t index, std::string_view type,
                              std::int64_t low, std::int64_t high) {
    if (!PyLong_Check(value.ptr()) || PyBool_Check(value.ptr())) {
        cannot_encode(index, type, value, "expected an int");
    }
    int overflow = 0;
    const long long number = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
    if (overflow != 0 || number < low || number > high) {
        cannot_encode(
            index, type, value,
            "value out of range [" + std::to_string(low) + ", " + std::to_string(high) + "]");
    }
    return number;
}

std::string utf8_of(nb::handle value, std::size_t index, std::string_view type) {
    if (!PyUnicode_Check(value.ptr())) cannot_encode(index, type, value, "expected a str");
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(value.ptr(), &size);
    if (data == nullptr) throw nb::python_error();
    return {data, static_cast<std::size_t>(size)};
}

// Microseconds since 2000-01-01 of a datetime (aware ones converted to UTC).
std::int64_t timestamp_usec(nb::handle value, std::size_t index, std::string_view type) {
    if (!PyDateTime_Check(value.ptr())) cannot_encode(index, type, value, "expected a datetime");
    nb::object moment = nb::borrow(value);
    nb::object offset = moment.attr("utcoffset")();
    if (!offset.is_none()) moment = moment - offset;
    PyObject* dt = moment.ptr();
    const std::int64_t days =
        days_from_civil(PyDateTime_GET_YEAR(dt), PyDateTime_GET_MONTH(dt), PyDateTime_GET_DAY(dt)) -
        bin::pg_epoch_days;
    const std::int64_t seconds = PyDateTime_DATE_GET_HOUR(dt) * 3600LL +
                                 PyDateTime_DATE_GET_MINUTE(dt) * 60LL +
                                 PyDateTime_DATE_GET_SECOND(dt);
    return days * usec_per_day + seconds * 1'000'000LL + PyDateTime_DATE_GET_MICROSECOND(dt);
}

void encode_time(oid type, nb::handle value, std::size_t index, param_value& out) {
    PyObject* time = value.ptr();
    const char* name = type == oids::time ? "time" : "timetz";
    if (!PyTime_Check(time)) cannot_encode(index, name, value, "expected a datetime.time");
    const std::int64_t usec = PyDateTime_TIME_GET_HOUR(time) * 3'600'000'000LL +
                              PyDateTime_TIME_GET_MINUTE(time) * 60'000'000LL +
                              PyDateTime_TIME_GET_SECOND(time) * 1'000'000LL +
                              PyDateTime_TIME_GET_MICROSECOND(time);
    bin::write(out.bytes, usec);
    if (type == oids::time) return;
    // Seconds west of UTC; a naive time counts as UTC.
    std::int64_t east = 0;
    nb::object offset = value.attr("utcoffset")();
    if (!offset.is_none()) {
        east = static_cast<std::int64_t>(PyDateTime_DELTA_GET_DAYS(offset.ptr())) * 86'400 +
               PyDateTime_DELTA_GET_SECONDS(offset.ptr());
    }
    bin::write(out.bytes, static_cast<std::int32_t>(-east));
}

/// inet/cidr from an ipaddress object; false for anything else (sent as text if a str).
bool encode_network(oid type, nb::handle value, param_value& out) {
    static PyObject* address_types = [] {
        PyObject* v4 = cached("ipaddress", "IPv4Address");
        PyObject* v6 = cached("ipaddress", "IPv6Address");
        return PyTuple_Pack(2, v4, v6);
    }();
    static PyObject* interface_types = [] {
        PyObject* v4 = cached("ipaddress", "IPv4Interface");
        PyObject* v6 = cached("ipaddress", "IPv6Interface");
        return PyTuple_Pack(2, v4, v6);
    }();
    static PyObject* network_types = [] {
        PyObject* v4 = cached("ipaddress", "IPv4Network");
        PyObject* v6 = cached("ipaddress", "IPv6Network");
        return PyTuple_Pack(2, v4, v6);
    }();
    nb::object packed;
    long bits = 0;
    if (PyObject_IsInstance(value.ptr(), interface_types) == 1) {
        packed = value.attr("ip").attr("packed");
        bits = nb::cast<long>(value.attr("network").attr("prefixlen"));
    } else if (PyObject_IsInstance(value.ptr(), network_types) == 1) {
        packed = value.attr("network_address").attr("packed");
        bits = nb::cast<long>(value.attr("prefixlen"));
    } else if (PyObject_IsInstance(value.ptr(), address_types) == 1) {
        packed = value.attr("packed");
        bits = static_cast<long>(PyBytes_GET_SIZE(packed.ptr()) * 8);
    } else {
        return false;
    }
    const auto length = static_cast<std::size_t>(PyBytes_GET_SIZE(packed.ptr()));
    out.bytes.push_back(static_cast<char>(length == 4 ? 2 : 3));  // PGSQL_AF_INET(6)
    out.bytes.push_back(static_cast<char>(bits));
    out.bytes.push_back(static_cast<char>(type == oids::cidr ? 1 : 0));
    out.bytes.push_back(static_cast<char>(length));
    out.bytes.append(PyBytes_AS_STRING(packed.ptr()), length);
    return true;
}

}  // namespace

PyObject* call_with_text(PyObject* fn, std::string_view data) {
    PyObject* arg = text(data);
    if (arg == nullptr) return nullptr;
    PyObject* value = PyObject_CallOneArg(fn, arg);
    Py_DECREF(arg);
    return value;
}

void init_codecs() {
    // datetime.h keeps its C API pointer per translation unit: import it here, where it is used.
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == nullptr) throw nb::python_error();
}

bool decodes_binary(oid type) noexcept {
    switch (type) {
        case oids::boolean:
        case oids::bytea:
        case oids::char_:
        case oids::name:
        case oids::int8:
        case oids::int2:
        case oids::int4:
        case oids::text:
        case oids::oid_:
        case oids::json:
        case oids::float4:
        case oids::float8:
        case oids::bpchar:
        case oids::varchar:
        case oids::date:
        case oids::timestamp:
        case oids::timestamptz:
        case oids::numeric:
        case oids::uuid:
        case oids::jsonb:
        case oids::time:
        case oids::timetz:
        case oids::interval:
        case oids::inet:
        case oids::cidr:
        case oids::unknown:
            return true;
        default: {
            const oid element = array_element(type);
            return element != 0 && decodes_binary(element);
        }
    }
}

PyObject* decode_binary(oid type, std::string_view data) {
    switch (type) {
        case oids::boolean:
            return PyBool_FromLong(data[0] != 0);
        case oids::int2:
            return PyLong_FromLong(bin::read<std::int16_t>(data));
        case oids::int4:
            return PyLong_FromLong(bin::read<std::int32_t>(data));
        case oids::int8:
            return PyLong_FromLongLong(bin::read<std::int64_t>(data));
        case oids::oid_:
            return PyLong_FromUnsignedLong(bin::read<std::uint32_t>(data));
        case oids::float4:
            return PyFloat_FromDouble(bin::read_float4(data));
        case oids::float8:
            return PyFloat_FromDouble(bin::read_float8(data));
        case oids::bytea:
            return PyBytes_FromStringAndSize(data.data(), static_cast<Py_ssize_t>(data.size()));
        case oids::uuid:
            return uuid_value(data);
        case oids::json:
            return json_value(data);
        case oids::jsonb:
            return json_value(data.substr(1));  // version byte, then text
        case oids::date:
            return date_value(bin::read<std::int32_t>(data));
        case oids::timestamp:
            return timestamp_value(bin::read<std::int64_t>(data), false);
        case oids::timestamptz:
            return timestamp_value(bin::read<std::int64_t>(data), true);
        case oids::numeric:
            return decimal_value(bin::numeric_to_digits(data));
        case oids::time:
            return time_value(bin::read<std::int64_t>(data), Py_None);
        case oids::timetz:
            return timetz_value(data);
        case oids::interval:
            return interval_value(data);
        case oids::inet:
        case oids::cidr:
            return network_value(data, type == oids::cidr);
        default:  // arrays; text, varchar, bpchar, name, char, unknown
            return array_element(type) != 0 ? decode_array(data) : text(data);
    }
}

void encode(oid type, nb::handle value, std::size_t index, param_value& out) {
    out.bytes.clear();
    out.is_null = value.is_none();
    out.is_text = false;
    if (out.is_null) return;
    switch (type) {
        case oids::boolean:
            if (!PyBool_Check(value.ptr())) cannot_encode(index, "bool", value, "expected a bool");
            out.bytes.push_back(value.ptr() == Py_True ? 1 : 0);
            return;
        case oids::int2:
            bin::write(out.bytes, static_cast<std::int16_t>(integer_in_range(
                                      value, index, "int2", INT16_MIN, INT16_MAX)));
            return;
        case oids::int4:
            bin::write(out.bytes, static_cast<std::int32_t>(integer_in_range(
                                      value, index, "int4", INT32_MIN, INT32_MAX)));
            return;
        case oids::int8:
            bin::write(out.bytes, integer_in_range(value, index, "int8", INT64_MIN, INT64_MAX));
            return;
        case oids::float4:
        case oids::float8: {
            if (!PyFloat_Check(value.ptr()) &&
                !(PyLong_Check(value.ptr()) && !PyBool_Check(value.ptr()))) {
                cannot_encode(index, type == oids::float4 ? "float4" : "float8", value,
                              "expected a float or int");
            }
            const double number = PyFloat_AsDouble(value.ptr());
            if (number == -1.0 && PyErr_Occurred()) throw nb::python_error();
            if (type == oids::float4) {
                bin::write_float4(out.bytes, static_cast<float>(number));
            } else {
                bin::write_float8(out.bytes, number);
            }
            return;
        }
        case oids::bytea: {
            if (!PyBytes_Check(value.ptr()) && !PyByteArray_Check(value.ptr()) &&
                !PyMemoryView_Check(value.ptr())) {
                cannot_encode(index, "bytea", value, "expected bytes, bytearray or memoryview");
            }
            nb::object raw = nb::steal(PyBytes_FromObject(value.ptr()));
            if (!raw.is_valid()) throw nb::python_error();
            out.bytes.assign(PyBytes_AS_STRING(raw.ptr()),
                             static_cast<std::size_t>(PyBytes_GET_SIZE(raw.ptr())));
            return;
        }
        case oids::uuid:
            if (PyUnicode_Check(value.ptr())) {
                out.bytes = utf8_of(value, index, "uuid");
                out.is_text = true;
                return;
            }
            if (!PyObject_IsInstance(value.ptr(), uuid_class())) {
                cannot_encode(index, "uuid", value, "expected a UUID or str");
            }
            {
                nb::object raw = value.attr("bytes");
                out.bytes.assign(PyBytes_AS_STRING(raw.ptr()), 16);
            }
            return;
        case oids::json:
        case oids::jsonb: {
            nb::object dumped = nb::steal(PyObject_CallOneArg(json_dumps(), value.ptr()));
            if (!dumped.is_valid()) throw nb::python_error();
            if (type == oids::jsonb) out.bytes.push_back(1);
            out.bytes += utf8_of(dumped, index, "json");
            return;
        }
        case oids::date: {
            if (!PyDate_Check(value.ptr()) || PyDateTime_Check(value.ptr())) {
                cannot_encode(index, "date", value, "expected a date");
            }
            const std::int64_t days =
                days_from_civil(PyDateTime_GET_YEAR(value.ptr()), PyDateTime_GET_MONTH(value.ptr()),
                                PyDateTime_GET_DAY(value.ptr()));
            bin::write(out.bytes, static_cast<std::int32_t>(days - bin::pg_epoch_days));
            return;
        }
        case oids::timestamp:
        case oids::timestamptz:
            bin::write(out.bytes,
                       timestamp_usec(value, index,
                                      type == oids::timestamp ? "timestamp" : "timestamptz"));
            return;
        case oids::time:
        case oids::timetz:
            encode_time(type, value, index, out);
            return;
        case oids::interval: {
            if (!PyDelta_Check(value.ptr())) {
                cannot_encode(index, "interval", value, "expected a datetime.timedelta");
            }
            const std::int64_t usec =
                static_cast<std::int64_t>(PyDateTime_DELTA_GET_SECONDS(value.ptr())) * 1'000'000 +
                PyDateTime_DELTA_GET_MICROSECONDS(value.ptr());
            bin::write(out.bytes, usec);
            bin::write(out.bytes,
                       static_cast<std::int32_t>(PyDateTime_DELTA_GET_DAYS(value.ptr())));
            bin::write(out.bytes, static_cast<std::int32_t>(0));  // months
            return;
        }
        case oids::inet:
        case oids::cidr:
            if (encode_network(type, value, out)) return;
            break;  // a str: its text form
        default:
            if (const oid element = array_element(type); element != 0) {
                encode_array(element, value, index, out);
                return;
            }
            break;
    }
    // Text format for the rest: str as given; numbers (numeric, and any other type) by str().
    if (PyUnicode_Check(value.ptr())) {
        out.bytes = utf8_of(value, index, "text");
    } else if ((PyLong_Check(value.ptr()) && !PyBool_Check(value.ptr())) ||
               PyFloat_Check(value.ptr()) || PyObject_IsInstance(value.ptr(), decimal_class())) {
        if (PyFloat_Check(value.ptr()) && !std::isfinite(PyFloat_AS_DOUBLE(value.ptr())) &&
            type != oids::numeric) {
            cannot_encode(index, "text", value, "non-finite float");
        }
        out.bytes = nb::cast<std::string>(nb::str(value));
    } else {
        cannot_encode(index, "type oid " + std::to_string(type), value,
                      "no codec for this type; pass a str");
    }
    out.is_text = true;
}

}  // namespace fasterapi::pg::bindings
