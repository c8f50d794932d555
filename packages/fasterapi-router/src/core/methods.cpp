// SPDX-License-Identifier: MIT
// fasterapi-router/src/core/methods.cpp: HTTP method names <-> small integer ids
#include "core/methods.hpp"

#include <fasterapi/router/errors.hpp>
#include <fasterapi/router/router.hpp>

#include <algorithm>

#include "core/chars.hpp"

namespace fasterapi::router::detail {

namespace {
// The order fixes the ids that `find` returns without a search.
constexpr std::string_view standard_methods[] = {"GET",     "HEAD",    "POST",  "PUT",  "DELETE",
                                                 "CONNECT", "OPTIONS", "TRACE", "PATCH"};
constexpr int standard_count = 9;
}  // namespace

method_table::method_table() : _names(std::begin(standard_methods), std::end(standard_methods)) {}

int method_table::find(std::string_view method) const noexcept {
    // A switch on length keeps the common case to one or two comparisons.
    switch (method.size()) {
        case 3:
            if (method == "GET") return 0;
            if (method == "PUT") return 3;
            break;
        case 4:
            if (method == "POST") return 2;
            if (method == "HEAD") return 1;
            break;
        case 5:
            if (method == "PATCH") return 8;
            if (method == "TRACE") return 7;
            break;
        case 6:
            if (method == "DELETE") return 4;
            break;
        case 7:
            if (method == "OPTIONS") return 6;
            if (method == "CONNECT") return 5;
            break;
        default:
            break;
    }
    for (std::size_t id = standard_count; id < _names.size(); ++id) {
        if (_names[id] == method) return static_cast<int>(id);
    }
    return -1;
}

int method_table::intern(std::string_view method) {
    if (method.empty() || !std::all_of(method.begin(), method.end(), is_tchar)) {
        throw pattern_error("cannot register method '" + std::string(method) +
                            "': a method name is one or more token characters (RFC 9110)");
    }
    std::string upper(method);
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; });
    if (const int id = find(upper); id >= 0) return id;
    if (_names.size() == max_methods) {
        throw pattern_error("cannot register method '" + upper + "': a router supports at most " +
                            std::to_string(max_methods) + " distinct methods");
    }
    _names.push_back(std::move(upper));
    return static_cast<int>(_names.size() - 1);
}

}  // namespace fasterapi::router::detail
