// SPDX-License-Identifier: MIT
// fasterapi-router/src/core/percent.cpp: percent-decoding and -encoding of path text
#include <fasterapi/router/percent.hpp>

#include "core/chars.hpp"

namespace fasterapi::router {

std::size_t percent_decode(std::string_view in, char* out) noexcept {
    std::size_t written = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '%' && i + 2 < in.size()) {
            const int high = detail::hex_value(in[i + 1]);
            const int low = detail::hex_value(in[i + 2]);
            if (high >= 0 && low >= 0) {
                out[written++] = static_cast<char>(high * 16 + low);
                i += 2;
                continue;
            }
        }
        out[written++] = in[i];
    }
    return written;
}

void percent_encode(std::string_view in, bool keep_slash, std::string& out) {
    static constexpr char digits[] = "0123456789ABCDEF";
    for (const char c : in) {
        const auto byte = static_cast<unsigned char>(c);
        if (detail::is_pchar(byte) || (keep_slash && c == '/')) {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(digits[byte >> 4]);
            out.push_back(digits[byte & 0xF]);
        }
    }
}

}  // namespace fasterapi::router
