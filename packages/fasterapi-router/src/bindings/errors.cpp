// SPDX-License-Identifier: MIT
// fasterapi-router/src/bindings/errors.cpp: C++ router errors -> fasterapi_router.errors
#include <fasterapi/router/errors.hpp>

#include "bindings/bindings.hpp"

namespace fasterapi::router::bindings {

namespace {

// The Python classes live in fasterapi_router.errors (they need multiple inheritance, e.g.
// RouteConflictError(RouterError, ValueError)); they are looked up when an error happens,
// so this module imports without its package (as stub generation does).
void raise_as(const char* class_name, const char* message) {
    nb::object errors = nb::module_::import_("fasterapi_router.errors");
    PyErr_SetString(errors.attr(class_name).ptr(), message);
}

}  // namespace

void bind_errors(nb::module_&) {
    nb::register_exception_translator([](const std::exception_ptr& error, void*) {
        try {
            std::rethrow_exception(error);
        } catch (const pattern_error& e) {
            raise_as("RoutePatternError", e.what());
        } catch (const conflict_error& e) {
            raise_as("RouteConflictError", e.what());
        } catch (const url_path_error& e) {
            raise_as("URLPathError", e.what());
        } catch (const router_error& e) {
            raise_as("RouterError", e.what());
        }
    });
}

}  // namespace fasterapi::router::bindings
