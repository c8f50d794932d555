// SPDX-License-Identifier: MIT
// fasterapi-router/src/core/url_path.cpp: reverse routing (route name + values -> path)
#include <fasterapi/router/errors.hpp>
#include <fasterapi/router/percent.hpp>

#include <algorithm>

#include "core/tree.hpp"

namespace fasterapi::router::detail {

namespace {

using param_list = std::span<const std::pair<std::string_view, std::string_view>>;

const std::string_view* find_value(param_list params, std::string_view name) {
    for (const auto& [key, value] : params) {
        if (key == name) return &value;
    }
    return nullptr;
}

bool takes_exactly(const route_info& route, param_list params) {
    if (params.size() != route.param_names.size()) return false;
    return std::all_of(
        route.param_names.begin(), route.param_names.end(),
        [&](const std::string& name) { return find_value(params, name) != nullptr; });
}

std::string_view kind_rule(param_kind kind) {
    switch (kind) {
        case param_kind::integer:
            return "a non-negative integer";
        case param_kind::decimal:
            return "a non-negative decimal number ([0-9]+ or [0-9]+.[0-9]+)";
        case param_kind::uuid:
            return "a UUID";
        case param_kind::string:
            return "a non-empty string";
        case param_kind::path:
            return "a path";
    }
    return "";
}

}  // namespace

std::string tree::url_path(std::string_view name, param_list params) const {
    const std::string prefix = "cannot build a path for route '" + std::string(name) + "'";
    const auto found = routes_by_name.find(std::string(name));
    if (found == routes_by_name.end()) throw url_path_error(prefix + ": no route has that name");

    const route_info* chosen = nullptr;
    for (const route_id id : found->second) {
        if (takes_exactly(routes[id], params)) {
            chosen = &routes[id];
            break;
        }
    }
    if (chosen == nullptr) {
        // Explain against the first route of that name: what is missing, what is extra.
        const route_info& route = routes[found->second.front()];
        std::string problems;
        for (const auto& param : route.param_names) {
            if (find_value(params, param) == nullptr)
                problems += "; missing parameter '" + param + "'";
        }
        for (const auto& [key, value] : params) {
            if (std::find(route.param_names.begin(), route.param_names.end(), key) ==
                route.param_names.end()) {
                problems += "; unexpected parameter '" + std::string(key) + "'";
            }
        }
        throw url_path_error(prefix + " ('" + route.pattern + "')" + problems.replace(0, 1, ":"));
    }

    std::string path;
    for (const auto& token : chosen->tokens) {
        if (!token.is_param) {
            if (form == path_form::raw) {
                path += token.text;  // stored encoded already
            } else {
                percent_encode(token.text, true, path);
            }
            continue;
        }
        const std::string_view value = *find_value(params, token.text);
        // Typed validators also refuse '/', so only str and path values may contain one
        // (a str value's '/' is encoded as %2F and decoded back by the lookup).
        const bool valid =
            token.kind == param_kind::path || (!value.empty() && param_accepts(token.kind, value));
        if (!valid) {
            throw url_path_error(prefix + " ('" + chosen->pattern + "'): parameter '" + token.text +
                                 "' must be " + std::string(kind_rule(token.kind)) + ", got '" +
                                 std::string(value) + "'");
        }
        percent_encode(value, token.kind == param_kind::path, path);
    }
    return path;
}

}  // namespace fasterapi::router::detail
