// SPDX-License-Identifier: MIT
// fasterapi-router/include/fasterapi/router/percent.hpp: percent-encoding of path text
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fasterapi::router {

/// Decode `%XX` escapes of IN into OUT, which must have room for `in.size()` bytes.
/// Malformed escapes (`%`, `%4`, `%zz`) are copied unchanged. Returns the bytes written.
std::size_t percent_decode(std::string_view in, char* out) noexcept;

/// Append IN to OUT, percent-encoding every byte outside RFC 3986's `pchar` set
/// (unreserved, sub-delims, `:`, `@`). `/` is kept when KEEP_SLASH is true.
void percent_encode(std::string_view in, bool keep_slash, std::string& out);

}  // namespace fasterapi::router
