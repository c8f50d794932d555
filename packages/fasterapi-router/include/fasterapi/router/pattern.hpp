// SPDX-License-Identifier: MIT
// fasterapi-router/include/fasterapi/router/pattern.hpp: route pattern syntax and its parser
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fasterapi::router {

/// The convertor of a parameter, in matching priority order: at one position the router tries
/// the typed kinds first, then `string`, then the `path` catch-all.
enum class param_kind : std::uint8_t {
    integer,  ///< `{name:int}`: `[0-9]+`
    decimal,  ///< `{name:float}`: `[0-9]+(\.[0-9]+)?`
    uuid,     ///< `{name:uuid}`: 32 hex digits, hyphens optional (Starlette's rule)
    string,   ///< `{name}` or `{name:str}`: one or more bytes other than `/`
    path,     ///< `{name:path}`: the rest of the path, `/` included, possibly empty
};
inline constexpr std::size_t param_kind_count = 5;

/// The convertor's name as written in patterns ("int", "float", "uuid", "str", "path").
std::string_view param_kind_name(param_kind kind) noexcept;

/// How a router compares paths.
enum class path_form : std::uint8_t {
    /// Paths arrive as sent on the wire (percent-escapes intact, like ASGI's `raw_path`).
    /// Static pattern text is stored percent-encoded; parameter values are decoded after
    /// matching, so `%2F` inside a parameter never splits it.
    raw,
    /// Paths arrive already decoded (like ASGI's `path`): nothing is encoded or decoded.
    decoded,
};

/// One piece of a parsed pattern: static text, or a parameter.
struct pattern_token {
    bool is_param = false;
    param_kind kind = param_kind::string;  ///< meaningful for parameters only
    std::string text;                      ///< static text, or the parameter's name
};

/// Hard limit on parameters per pattern; match results hold them in a fixed array.
inline constexpr std::size_t max_params = 16;

/// Parse PATTERN (Starlette syntax: `/users/{id:int}/files/{rest:path}`).
///
/// Rules: starts with `/`; a parameter is `{name}` or `{name:convertor}` with `name` an
/// identifier (`[A-Za-z_][A-Za-z0-9_]*`) used once; convertors are int, float, uuid, str, path;
/// a `path` parameter ends the pattern; two parameters are separated by static text; no
/// `?`, `#` or control characters. With `path_form::raw`, static bytes outside RFC 3986's
/// `pchar` set are percent-encoded (upper-case hex), so they compare equal to what clients send.
///
/// \throws pattern_error quoting the pattern and pointing at the offending position.
std::vector<pattern_token> parse_pattern(std::string_view pattern, path_form form);

}  // namespace fasterapi::router
