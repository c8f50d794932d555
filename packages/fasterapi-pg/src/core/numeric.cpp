// SPDX-License-Identifier: MIT
// fasterapi-pg/src/core/numeric.cpp: PostgreSQL's binary numeric to and from decimal text
#include <fasterapi/pg/binary.hpp>
#include <fasterapi/pg/errors.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

namespace fasterapi::pg::binary {

// Layout: ndigits, weight, sign, dscale (int16 each), then ndigits base-10000 digits. The
// value is sum(digit[i] * 10000^(weight - i)); dscale is the number of decimal places shown.
numeric_digits numeric_to_digits(std::string_view data) {
    if (data.size() < 8) throw interface_error("cannot decode numeric: truncated value");
    const auto ndigits = read<std::int16_t>(data);
    const auto weight = read<std::int16_t>(data.substr(2));
    const auto sign = read<std::uint16_t>(data.substr(4));
    const auto dscale = read<std::int16_t>(data.substr(6));
    if (sign == 0xC000) return {"NaN"};
    if (sign == 0xD000) return {"Infinity"};
    if (sign == 0xF000) return {"-Infinity"};
    if (ndigits < 0 || data.size() < 8 + 2 * static_cast<std::size_t>(ndigits)) {
        throw interface_error("cannot decode numeric: truncated value");
    }
    auto digit = [&](int i) -> int {
        if (i < 0 || i >= ndigits) return 0;
        return read<std::int16_t>(data.substr(8 + 2 * static_cast<std::size_t>(i)));
    };
    // Written in place, four digits per group: this runs once per numeric value fetched.
    auto put_group = [](char* at, int group) {
        at[0] = static_cast<char>('0' + group / 1000);
        at[1] = static_cast<char>('0' + group / 100 % 10);
        at[2] = static_cast<char>('0' + group / 10 % 10);
        at[3] = static_cast<char>('0' + group % 10);
    };
    numeric_digits out;
    out.negative = sign == 0x4000;
    out.scale = dscale > 0 ? dscale : 0;
    const int integer_groups = weight < 0 ? 0 : weight + 1;
    const int fraction_groups = (out.scale + 3) / 4;
    std::string& digits = out.coefficient;
    digits.resize(4 * static_cast<std::size_t>(integer_groups + fraction_groups));
    char* at = digits.data();
    for (int i = 0; i < integer_groups; ++i, at += 4) put_group(at, digit(i));
    for (int i = 0; i < fraction_groups; ++i, at += 4) put_group(at, digit(weight + 1 + i));
    digits.resize(4 * static_cast<std::size_t>(integer_groups) +
                  static_cast<std::size_t>(out.scale));  // dscale digits, whatever the groups hold
    const std::size_t first = digits.find_first_not_of('0');
    if (first == std::string::npos) {
        digits = "0";
    } else {
        digits.erase(0, first);
    }
    return out;
}

std::string numeric_to_text(const numeric_digits& numeric) {
    if (!numeric.special.empty()) return std::string(numeric.special);
    const auto scale = static_cast<std::size_t>(numeric.scale);
    std::string text = numeric.coefficient;
    if (scale > 0) {
        if (text.size() <= scale) text.insert(0, scale + 1 - text.size(), '0');  // 0.05
        text.insert(text.size() - scale, 1, '.');
    }
    if (numeric.negative) text.insert(0, 1, '-');
    return text;
}

namespace {

void put16(std::string& out, std::uint16_t value) {
    out.push_back(static_cast<char>(value >> 8));
    out.push_back(static_cast<char>(value & 0xff));
}

std::string special(std::uint16_t sign) {
    std::string out;
    put16(out, 0);
    put16(out, 0);
    put16(out, sign);
    put16(out, 0);
    return out;
}

[[noreturn]] void not_a_number(std::string_view text) {
    throw interface_error("cannot encode numeric: '" + std::string(text) +
                          "' is not a decimal number");
}

}  // namespace

// Digits and exponent are read as written; the decimal point then falls at `point`, which
// splits the digits into an integer and a fraction part, each padded to base-10000 groups.
std::string numeric_from_text(std::string_view text) {
    std::size_t at = 0;
    bool negative = false;
    if (at < text.size() && (text[at] == '-' || text[at] == '+')) {
        negative = text[at] == '-';
        ++at;
    }
    const std::string_view rest = text.substr(at);
    if (rest == "NaN") return special(0xC000);
    if (rest == "Infinity") return special(negative ? 0xF000 : 0xD000);
    std::string digits;
    long point = -1;
    for (; at < text.size() && text[at] != 'E' && text[at] != 'e'; ++at) {
        if (text[at] == '.' && point < 0) {
            point = static_cast<long>(digits.size());
        } else if (std::isdigit(static_cast<unsigned char>(text[at]))) {
            digits.push_back(text[at]);
        } else {
            not_a_number(text);
        }
    }
    if (digits.empty() || digits.size() > 100000) not_a_number(text);
    if (point < 0) point = static_cast<long>(digits.size());
    if (at < text.size()) {  // an exponent
        const std::string exponent(text.substr(at + 1));
        if (exponent.empty() || exponent.size() > 6) not_a_number(text);
        std::size_t used = 0;
        long shift = 0;
        try {
            shift = std::stol(exponent, &used);
        } catch (const std::exception&) {
            not_a_number(text);
        }
        if (used != exponent.size()) not_a_number(text);
        point += shift;
    }
    const long scale = std::max(0L, static_cast<long>(digits.size()) - point);
    std::string integer =
        point <= 0 ? std::string()
        : point >= static_cast<long>(digits.size())
            ? digits + std::string(static_cast<std::size_t>(point) - digits.size(), '0')
            : digits.substr(0, static_cast<std::size_t>(point));
    std::string fraction = point >= static_cast<long>(digits.size()) ? std::string()
                           : point < 0 ? std::string(static_cast<std::size_t>(-point), '0') + digits
                                       : digits.substr(static_cast<std::size_t>(point));
    integer.insert(0, (4 - integer.size() % 4) % 4, '0');
    fraction.append((4 - fraction.size() % 4) % 4, '0');
    const std::string all = integer + fraction;
    std::vector<std::uint16_t> groups;
    for (std::size_t i = 0; i < all.size(); i += 4) {
        groups.push_back(static_cast<std::uint16_t>(std::stoi(all.substr(i, 4))));
    }
    long weight = static_cast<long>(integer.size() / 4) - 1;
    std::size_t first = 0;
    while (first < groups.size() && groups[first] == 0) {
        ++first;
        --weight;
    }
    std::size_t last = groups.size();
    while (last > first && groups[last - 1] == 0) --last;
    std::string out;
    if (first == last) {  // zero
        put16(out, 0);
        put16(out, 0);
        put16(out, 0);
        put16(out, static_cast<std::uint16_t>(scale));
        return out;
    }
    if (weight > 0x7fff || weight < -0x8000 || scale > 0x3fff) not_a_number(text);
    put16(out, static_cast<std::uint16_t>(last - first));
    put16(out, static_cast<std::uint16_t>(static_cast<std::int16_t>(weight)));
    put16(out, negative ? 0x4000 : 0x0000);
    put16(out, static_cast<std::uint16_t>(scale));
    for (std::size_t i = first; i < last; ++i) put16(out, groups[i]);
    return out;
}

}  // namespace fasterapi::pg::binary
