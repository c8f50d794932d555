// SPDX-License-Identifier: MIT
// fasterapi-router/src/core/router.cpp: the public router, a thin front of the tree
#include <fasterapi/router/router.hpp>

#include "core/tree.hpp"

namespace fasterapi::router {

router::router(path_form form, match_order order)
    : _tree(std::make_unique<detail::tree>(form, order)) {}
router::~router() = default;
router::router(router&&) noexcept = default;
router& router::operator=(router&&) noexcept = default;

route_id router::add(std::span<const std::string_view> methods, std::string_view pattern,
                     std::string_view name) {
    return _tree->add(methods, pattern, name);
}

bool router::match(std::string_view method, std::string_view path,
                   match_result& out) const noexcept {
    return _tree->match(method, path, out);
}

std::vector<std::string> router::allowed_methods(std::string_view path) const {
    return _tree->allowed_methods(path);
}

std::string router::url_path(
    std::string_view name,
    std::span<const std::pair<std::string_view, std::string_view>> params) const {
    return _tree->url_path(name, params);
}

std::size_t router::size() const noexcept {
    return _tree->routes.size();
}

const route_info& router::route(route_id id) const {
    return _tree->routes.at(id);
}

path_form router::form() const noexcept {
    return _tree->form;
}

match_order router::order() const noexcept {
    return _tree->order;
}

}  // namespace fasterapi::router
