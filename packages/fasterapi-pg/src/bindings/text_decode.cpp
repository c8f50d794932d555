// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/text_decode.cpp: values in PostgreSQL's text format -> Python
//
// libpq asks for one result format for every column of a statement, so a statement with one
// column the binary codecs do not know (a point, a money, an extension's type) or with a
// set_type_codec decoder gets all its columns as text. The types the binary codecs know are
// read from that text here, so a date is a date whatever the columns beside it: each text
// form (as PostgreSQL prints it with its default DateStyle ISO and IntervalStyle postgres)
// is rewritten into the binary form and handed to the binary decoder, which then decides
// every detail exactly once. Text that does not parse (another DateStyle, say) stays a str.
#include <fasterapi/pg/binary.hpp>
#include <fasterapi/pg/errors.hpp>

#include <arpa/inet.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bindings/bindings.hpp"
#include "bindings/calendar.hpp"

namespace fasterapi::pg::bindings {

namespace {

namespace bin = fasterapi::pg::binary;

constexpr std::int64_t usec_per_second = 1'000'000;
constexpr std::int64_t usec_per_day = 86'400 * usec_per_second;

// A cursor over one value's text.
class scanner {
public:
    explicit scanner(std::string_view text) : _text(text) {}

    [[nodiscard]] bool done() const { return _at == _text.size(); }
    [[nodiscard]] char peek() const { return done() ? '\0' : _text[_at]; }

    bool take(char c) {
        if (peek() != c) return false;
        ++_at;
        return true;
    }

    bool take(std::string_view word) {
        if (_text.substr(_at, word.size()) != word) return false;
        _at += word.size();
        return true;
    }

    // MIN to MAX decimal digits as a number.
    bool digits(std::int64_t& value, std::size_t min, std::size_t max) {
        const std::size_t start = _at;
        value = 0;
        while (!done() && peek() >= '0' && peek() <= '9' && _at - start < max) {
            value = value * 10 + (_text[_at++] - '0');
        }
        return _at - start >= min;
    }

    // An optional fraction of a second (".5", ".000001") in microseconds.
    bool fraction(std::int64_t& usec) {
        usec = 0;
        if (!take('.')) return true;
        std::int64_t scale = 100'000;
        const std::size_t start = _at;
        while (!done() && peek() >= '0' && peek() <= '9') {
            usec += (_text[_at++] - '0') * scale;
            scale /= 10;
        }
        return _at > start;
    }

private:
    std::string_view _text;
    std::size_t _at = 0;
};

// "YYYY-MM-DD" as days since PostgreSQL's epoch; BC when the text ended in " BC".
bool read_date(scanner& in, bool bc, std::int64_t& pg_days) {
    std::int64_t year = 0, month = 0, day = 0;
    if (!in.digits(year, 4, 9) || !in.take('-') || !in.digits(month, 2, 2) || !in.take('-') ||
        !in.digits(day, 2, 2) || month < 1 || month > 12 || day < 1 || day > 31) {
        return false;
    }
    const auto astronomical = static_cast<int>(bc ? 1 - year : year);  // 1 BC is year 0
    pg_days = days_from_civil(astronomical, static_cast<int>(month), static_cast<int>(day)) -
              bin::pg_epoch_days;
    return true;
}

// "HH:MM:SS[.ffffff]" in microseconds.
bool read_time(scanner& in, std::int64_t& usec) {
    std::int64_t hour = 0, minute = 0, second = 0, fraction = 0;
    if (!in.digits(hour, 2, 2) || !in.take(':') || !in.digits(minute, 2, 2) || !in.take(':') ||
        !in.digits(second, 2, 2) || !in.fraction(fraction)) {
        return false;
    }
    usec = ((hour * 60 + minute) * 60 + second) * usec_per_second + fraction;
    return true;
}

// A UTC offset "+HH[:MM[:SS]]" in seconds east of UTC.
bool read_offset(scanner& in, std::int64_t& east) {
    const bool negative = in.peek() == '-';
    if (!in.take('+') && !in.take('-')) return false;
    std::int64_t hours = 0, minutes = 0, seconds = 0;
    if (!in.digits(hours, 2, 2)) return false;
    if (in.take(':') && !in.digits(minutes, 2, 2)) return false;
    if (in.take(':') && !in.digits(seconds, 2, 2)) return false;
    east = (hours * 60 + minutes) * 60 + seconds;
    if (negative) east = -east;
    return true;
}

// Strip a trailing " BC" (dates and timestamps before year 1).
bool strip_bc(std::string_view& text) {
    constexpr std::string_view suffix = " BC";
    if (text.size() < suffix.size() || text.substr(text.size() - suffix.size()) != suffix) {
        return false;
    }
    text.remove_suffix(suffix.size());
    return true;
}

std::optional<std::string> date_binary(std::string_view text) {
    std::string out;
    if (text == "infinity" || text == "-infinity") {
        bin::write(out, text[0] == '-' ? INT32_MIN : INT32_MAX);
        return out;
    }
    const bool bc = strip_bc(text);
    scanner in(text);
    std::int64_t days = 0;
    if (!read_date(in, bc, days) || !in.done()) return std::nullopt;
    bin::write(out, static_cast<std::int32_t>(days));
    return out;
}

std::optional<std::string> timestamp_binary(std::string_view text, bool with_zone) {
    std::string out;
    if (text == "infinity" || text == "-infinity") {
        bin::write(out, text[0] == '-' ? INT64_MIN : INT64_MAX);
        return out;
    }
    const bool bc = strip_bc(text);
    scanner in(text);
    std::int64_t days = 0, usec = 0, east = 0;
    if (!read_date(in, bc, days) || !in.take(' ') || !read_time(in, usec)) return std::nullopt;
    if (with_zone && !read_offset(in, east)) return std::nullopt;
    if (!in.done()) return std::nullopt;
    bin::write(out, days * usec_per_day + usec - east * usec_per_second);  // timestamptz: UTC
    return out;
}

std::optional<std::string> time_binary(std::string_view text, bool with_zone) {
    scanner in(text);
    std::int64_t usec = 0, east = 0;
    if (!read_time(in, usec) || (with_zone && !read_offset(in, east)) || !in.done()) {
        return std::nullopt;
    }
    std::string out;
    bin::write(out, usec);
    if (with_zone) bin::write(out, static_cast<std::int32_t>(-east));  // stored west of UTC
    return out;
}

// IntervalStyle postgres: "1 year 2 mons -3 days +04:05:06.5", any part left out.
std::optional<std::string> interval_binary(std::string_view text) {
    std::int64_t months = 0, days = 0, usec = 0;
    scanner in(text);
    while (!in.done()) {
        const bool negative = in.peek() == '-';
        if (!in.take('-')) in.take('+');
        std::int64_t number = 0;
        if (!in.digits(number, 1, 10)) return std::nullopt;
        if (in.peek() == ':') {  // the time part: its hours were the number just read
            std::int64_t minute = 0, second = 0, fraction = 0;
            in.take(':');
            if (!in.digits(minute, 2, 2) || !in.take(':') || !in.digits(second, 2, 2) ||
                !in.fraction(fraction)) {
                return std::nullopt;
            }
            const std::int64_t part =
                ((number * 60 + minute) * 60 + second) * usec_per_second + fraction;
            usec += negative ? -part : part;
        } else {
            if (!in.take(' ')) return std::nullopt;
            const std::int64_t signed_number = negative ? -number : number;
            if (in.take("years") || in.take("year")) {
                months += 12 * signed_number;
            } else if (in.take("mons") || in.take("mon")) {
                months += signed_number;
            } else if (in.take("days") || in.take("day")) {
                days += signed_number;
            } else {
                return std::nullopt;
            }
        }
        if (!in.done() && !in.take(' ')) return std::nullopt;
    }
    std::string out;
    bin::write(out, usec);
    bin::write(out, static_cast<std::int32_t>(days));
    bin::write(out, static_cast<std::int32_t>(months));
    return out;
}

// Pairs of hex digits as bytes (DASHES: '-' between pairs are skipped, as in a uuid).
std::optional<std::string> hex_bytes(std::string_view text, bool dashes) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        if (dashes && text[i] == '-') {
            ++i;
            continue;
        }
        if (i + 1 >= text.size()) return std::nullopt;
        const int high = hex_digit(text[i]);
        const int low = hex_digit(text[i + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
    }
    return out;
}

bool is_octal(char c) {
    return c >= '0' && c <= '7';
}

// bytea_output 'hex' ("\x0102") or 'escape' ("a\000\\").
std::optional<std::string> bytea_binary(std::string_view text) {
    if (text.substr(0, 2) == "\\x") return hex_bytes(text.substr(2), false);
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\') {
            out.push_back(text[i]);
        } else if (i + 1 < text.size() && text[i + 1] == '\\') {
            out.push_back('\\');
            ++i;
        } else if (i + 3 < text.size() && is_octal(text[i + 1]) && is_octal(text[i + 2]) &&
                   is_octal(text[i + 3])) {
            out.push_back(static_cast<char>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 +
                                            (text[i + 3] - '0')));
            i += 3;
        } else {
            return std::nullopt;
        }
    }
    return out;
}

std::optional<std::string> uuid_binary(std::string_view text) {
    auto bytes = hex_bytes(text, true);
    if (!bytes || bytes->size() != 16) return std::nullopt;
    return bytes;
}

// "192.168.0.1/24", "::1" (no /bits: all of them): family, bits, is_cidr, length, address.
std::optional<std::string> network_binary(std::string_view text, bool cidr) {
    const std::size_t slash = text.find('/');
    const std::string address(text.substr(0, slash));
    const bool v6 = address.find(':') != std::string::npos;
    unsigned char packed[16];
    if (inet_pton(v6 ? AF_INET6 : AF_INET, address.c_str(), packed) != 1) return std::nullopt;
    const int length = v6 ? 16 : 4;
    std::int64_t bits = length * 8;
    if (slash != std::string_view::npos) {
        scanner in(text.substr(slash + 1));
        if (!in.digits(bits, 1, 3) || !in.done() || bits > length * 8) return std::nullopt;
    }
    std::string out;
    out.push_back(static_cast<char>(v6 ? 3 : 2));  // PGSQL_AF_INET6 / PGSQL_AF_INET
    out.push_back(static_cast<char>(bits));
    out.push_back(static_cast<char>(cidr ? 1 : 0));
    out.push_back(static_cast<char>(length));
    out.append(reinterpret_cast<const char*>(packed), static_cast<std::size_t>(length));
    return out;
}

template <class Number>
std::optional<std::string> number_binary(std::string_view text) {
    Number value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    std::string out;
    if constexpr (std::is_same_v<Number, double>) {
        bin::write_float8(out, value);
    } else if constexpr (std::is_same_v<Number, float>) {
        bin::write_float4(out, value);
    } else {
        bin::write(out, value);
    }
    return out;
}

std::optional<std::string> to_binary(oid type, std::string_view text);

// One element of an array's text: quoted ("a \"b\"") or bare (NULL is a null); advances IN.
struct array_element_text {
    std::string text;
    bool is_null = false;
};

// '{1,2}', '{{"a",NULL},{"b","c"}}', '[0:1]={1,2}' (the bounds are dropped, as binary arrays'
// lower bounds are). Elements are converted one by one and assembled as a binary array.
class array_parser {
public:
    array_parser(std::string_view text, oid element) : _text(text), _element(element) {}

    std::optional<std::string> binary() {
        if (!_text.empty() && _text[0] == '[') {  // explicit bounds: "[1:2][1:3]={...}"
            const std::size_t equals = _text.find('=');
            if (equals == std::string_view::npos) return std::nullopt;
            _at = equals + 1;
        }
        if (!level(0)) return std::nullopt;
        if (_at != _text.size()) return std::nullopt;
        return binary_array(_element, _sizes, _has_null, _elements);
    }

private:
    static constexpr std::size_t max_dimensions = 6;

    bool level(std::size_t depth) {
        if (depth >= max_dimensions || _at >= _text.size() || _text[_at] != '{') return false;
        ++_at;
        if (_sizes.size() <= depth) _sizes.push_back(0);
        std::int32_t count = 0;
        if (_at < _text.size() && _text[_at] == '}') {
            ++_at;
            return _sizes[depth] == 0;
        }
        for (;;) {
            if (_at < _text.size() && _text[_at] == '{') {
                if (!level(depth + 1)) return false;
            } else if (!element()) {
                return false;
            }
            ++count;
            if (_at >= _text.size()) return false;
            if (_text[_at] == ',') {
                ++_at;
                continue;
            }
            if (_text[_at] != '}') return false;
            ++_at;
            break;
        }
        if (_sizes[depth] != 0 && _sizes[depth] != count) return false;  // not rectangular
        _sizes[depth] = count;
        return true;
    }

    bool element() {
        std::string value;
        bool quoted = false;
        if (_at < _text.size() && _text[_at] == '"') {
            quoted = true;
            ++_at;
            while (_at < _text.size() && _text[_at] != '"') {
                if (_text[_at] == '\\') ++_at;
                if (_at >= _text.size()) return false;
                value.push_back(_text[_at++]);
            }
            if (_at >= _text.size()) return false;
            ++_at;  // the closing quote
        } else {
            while (_at < _text.size() && _text[_at] != ',' && _text[_at] != '}') {
                value.push_back(_text[_at++]);
            }
        }
        if (!quoted && value == "NULL") {
            _has_null = true;
            bin::write(_elements, static_cast<std::int32_t>(-1));
            return true;
        }
        const std::optional<std::string> encoded = to_binary(_element, value);
        if (!encoded) return false;
        bin::write(_elements, static_cast<std::int32_t>(encoded->size()));
        _elements += *encoded;
        return true;
    }

    std::string_view _text;
    oid _element;
    std::size_t _at = 0;
    std::vector<std::int32_t> _sizes;
    std::string _elements;
    bool _has_null = false;
};

// The binary form of TEXT as a value of TYPE, or nullopt when the text does not parse (or
// TYPE has no binary decoder): then the value is returned as a str.
std::optional<std::string> to_binary(oid type, std::string_view text) {
    switch (type) {
        case oids::boolean:
            if (text != "t" && text != "f") return std::nullopt;
            return std::string(1, text == "t" ? '\1' : '\0');
        case oids::int2:
            return number_binary<std::int16_t>(text);
        case oids::int4:
            return number_binary<std::int32_t>(text);
        case oids::int8:
            return number_binary<std::int64_t>(text);
        case oids::oid_:
            return number_binary<std::uint32_t>(text);
        case oids::float4:
            return number_binary<float>(text);
        case oids::float8:
            return number_binary<double>(text);
        case oids::text:
        case oids::varchar:
        case oids::bpchar:
        case oids::name:
        case oids::char_:
        case oids::unknown:
        case oids::json:
            return std::string(text);  // the binary form is the text
        case oids::jsonb:
            return '\1' + std::string(text);  // version 1, then the text
        case oids::bytea:
            return bytea_binary(text);
        case oids::date:
            return date_binary(text);
        case oids::timestamp:
            return timestamp_binary(text, false);
        case oids::timestamptz:
            return timestamp_binary(text, true);
        case oids::time:
            return time_binary(text, false);
        case oids::timetz:
            return time_binary(text, true);
        case oids::interval:
            return interval_binary(text);
        case oids::numeric:
            try {
                return bin::numeric_from_text(text);
            } catch (const interface_error&) {
                return std::nullopt;
            }
        case oids::uuid:
            return uuid_binary(text);
        case oids::inet:
        case oids::cidr:
            return network_binary(text, type == oids::cidr);
        default:
            if (const oid element = array_element(type); element != 0) {
                return array_parser(text, element).binary();
            }
            return std::nullopt;
    }
}

}  // namespace

PyObject* decode_text(oid type, std::string_view data) {
    if (const std::optional<std::string> binary = to_binary(type, data)) {
        return decode_binary(type, *binary);
    }
    return PyUnicode_DecodeUTF8(data.data(), static_cast<Py_ssize_t>(data.size()), nullptr);
}

}  // namespace fasterapi::pg::bindings
