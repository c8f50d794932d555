// SPDX-License-Identifier: MIT
// fasterapi-router/include/fasterapi/router/router.hpp: the route table and its lookups
//
// Design. A router is one radix tree (static text compressed into node prefixes; one child per
// parameter kind) whose leaves carry a method table. A lookup walks the tree depth-first:
// at each node it tries the static child first, then typed parameters, then `{name}`, then the
// `{name:path}` catch-all, backtracking when a branch dead-ends, so `/users/me`,
// `/users/{id}` and `/users/{id}/posts` coexist whatever order they were added in.
//
// Parameter names are not part of the tree: each route keeps its own list, so `/a/{x}` (GET)
// and `/a/{y}/b` share the parameter node. Matching only records byte spans of the path in a
// fixed array (`match_result`): it allocates nothing and never throws.
//
// Thread safety: `match`, `allowed_methods` and `url_path` are const and may run concurrently;
// `add` must not run concurrently with anything else.
#pragma once

#include <fasterapi/router/errors.hpp>
#include <fasterapi/router/pattern.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fasterapi::router {

namespace detail {
class tree;
}

using route_id = std::uint32_t;
inline constexpr route_id no_route = UINT32_MAX;

/// At most this many distinct methods (the nine standard ones plus extensions) per router.
inline constexpr std::size_t max_methods = 32;

/// Paths longer than this never match: a client controls the path, the limit bounds the work.
inline constexpr std::size_t max_path_length = 65536;

/// Which route wins when several match the same path.
enum class match_order : std::uint8_t {
    /// Static beats typed beats `{name}` beats catch-all, whatever the insertion order.
    /// Overlapping routes (same shape and method) are refused with `conflict_error`.
    specificity,
    /// The earliest added route wins (Starlette's semantics); overlaps are allowed.
    registration,
};

/// A parameter's value as a byte span of the matched path. (No default member initializers:
/// a lookup must not pay for zeroing arrays of these that it is about to overwrite.)
struct param_span {
    std::uint32_t begin;
    std::uint32_t end;
};

/// The outcome of `router::match`.
struct match_result {
    route_id route = no_route;
    /// True when path and method matched; false when only the path did (an HTTP 405).
    bool full = false;
    std::uint32_t param_count = 0;
    /// Values in the order the route's pattern declares its parameters; only the first
    /// `param_count` are set (the rest stay uninitialised: a lookup writes what it uses).
    std::array<param_span, max_params> params;
};

/// What the router knows about a route (for introspection and reverse routing).
struct route_info {
    std::vector<std::string> methods;  ///< upper-case; empty means any method
    std::string pattern;               ///< as given to `add`
    std::string name;                  ///< may be empty
    std::vector<std::string> param_names;
    std::vector<param_kind> param_kinds;
    std::vector<pattern_token> tokens;  ///< the parsed pattern
};

class router {
public:
    explicit router(path_form form = path_form::raw, match_order order = match_order::specificity);
    ~router();
    router(router&&) noexcept;
    router& operator=(router&&) noexcept;
    router(const router&) = delete;
    router& operator=(const router&) = delete;

    /// Add a route. METHODS are HTTP method names (normalised to upper case); "*" or an empty
    /// list means any method. Returns the route's id: ids count up from 0 in insertion order.
    /// \throws pattern_error for a malformed pattern or method name.
    /// \throws conflict_error when the route overlaps an existing one (specificity order only).
    route_id add(std::span<const std::string_view> methods, std::string_view pattern,
                 std::string_view name = {});

    /// Look up METHOD and PATH. Returns true on a match: `out.full` tells whether the method
    /// matched too. Method names are compared exactly (HTTP methods are case-sensitive).
    /// Never throws, never allocates. O(path length) for patterns whose parameters end at `/`.
    [[nodiscard]] bool match(std::string_view method, std::string_view path,
                             match_result& out) const noexcept;

    /// The methods of every route whose pattern matches PATH (for a 405's `Allow` header);
    /// "*" stands for a route that accepts any method.
    [[nodiscard]] std::vector<std::string> allowed_methods(std::string_view path) const;

    /// Build the path of the first route named NAME whose parameters are exactly those given,
    /// percent-encoding the values. \throws url_path_error saying what is missing or invalid.
    [[nodiscard]] std::string url_path(
        std::string_view name,
        std::span<const std::pair<std::string_view, std::string_view>> params) const;

    [[nodiscard]] std::size_t size() const noexcept;
    [[nodiscard]] const route_info& route(route_id id) const;
    [[nodiscard]] path_form form() const noexcept;
    [[nodiscard]] match_order order() const noexcept;

private:
    std::unique_ptr<detail::tree> _tree;
};

}  // namespace fasterapi::router
