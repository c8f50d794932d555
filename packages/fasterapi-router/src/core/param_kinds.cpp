// SPDX-License-Identifier: MIT
// fasterapi-router/src/core/param_kinds.cpp: what each convertor accepts (Starlette's regexes)
#include "core/chars.hpp"
#include "core/tree.hpp"

namespace fasterapi::router::detail {

namespace {

bool all_digits(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (const char c : s) {
        if (!is_digit(c)) return false;
    }
    return true;
}

// [0-9]+(\.[0-9]+)?
bool is_decimal(std::string_view s) noexcept {
    const auto dot = s.find('.');
    if (dot == std::string_view::npos) return all_digits(s);
    return all_digits(s.substr(0, dot)) && all_digits(s.substr(dot + 1));
}

// 8-4-4-4-12 hex digits, each hyphen optional.
bool is_uuid(std::string_view s) noexcept {
    static constexpr int groups[] = {8, 4, 4, 4, 12};
    std::size_t i = 0;
    for (int g = 0; g < 5; ++g) {
        if (g > 0 && i < s.size() && s[i] == '-') ++i;
        for (int k = 0; k < groups[g]; ++k, ++i) {
            if (i >= s.size() || hex_value(s[i]) < 0) return false;
        }
    }
    return i == s.size();
}

}  // namespace

bool typed_param_accepts(param_kind kind, std::string_view value) noexcept {
    switch (kind) {
        case param_kind::integer:
            return all_digits(value);
        case param_kind::decimal:
            return is_decimal(value);
        case param_kind::uuid:
            return is_uuid(value);
        case param_kind::string:
        case param_kind::path:
            return true;
    }
    return false;
}

}  // namespace fasterapi::router::detail
