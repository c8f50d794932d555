// SPDX-License-Identifier: MIT
// fasterapi-pg/src/core/numeric.cpp: PostgreSQL's binary numeric to decimal text
#include <fasterapi/pg/binary.hpp>
#include <fasterapi/pg/errors.hpp>

namespace fasterapi::pg::binary {

// Layout: ndigits, weight, sign, dscale (int16 each), then ndigits base-10000 digits. The
// value is sum(digit[i] * 10000^(weight - i)); dscale is the number of decimal places shown.
std::string numeric_to_text(std::string_view data) {
    if (data.size() < 8) throw interface_error("cannot decode numeric: truncated value");
    const auto ndigits = read<std::int16_t>(data);
    const auto weight = read<std::int16_t>(data.substr(2));
    const auto sign = read<std::uint16_t>(data.substr(4));
    const auto dscale = read<std::int16_t>(data.substr(6));
    if (sign == 0xC000) return "NaN";
    if (sign == 0xD000) return "Infinity";
    if (sign == 0xF000) return "-Infinity";
    if (ndigits < 0 || data.size() < 8 + 2 * static_cast<std::size_t>(ndigits)) {
        throw interface_error("cannot decode numeric: truncated value");
    }
    auto digit = [&](int i) -> int {
        if (i < 0 || i >= ndigits) return 0;
        return read<std::int16_t>(data.substr(8 + 2 * static_cast<std::size_t>(i)));
    };
    std::string text;
    if (sign == 0x4000) text.push_back('-');
    // Integer part: groups 0..weight.
    if (weight < 0) {
        text.push_back('0');
    } else {
        for (int i = 0; i <= weight; ++i) {
            const std::string group = std::to_string(digit(i));
            text += i == 0 ? group : std::string(4 - group.size(), '0') + group;
        }
    }
    if (dscale > 0) {
        std::string fraction;
        for (int i = weight + 1; static_cast<int>(fraction.size()) < dscale; ++i) {
            const std::string group = std::to_string(digit(i));
            fraction += std::string(4 - group.size(), '0') + group;
        }
        text += "." + fraction.substr(0, static_cast<std::size_t>(dscale));
    }
    return text;
}

}  // namespace fasterapi::pg::binary
