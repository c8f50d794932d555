// SPDX-License-Identifier: MIT
// fasterapi-router/src/bindings/bind_router.cpp: the Router class (bindings only, no logic)
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>

#include <string>
#include <vector>

#include "bindings/bindings.hpp"

namespace fasterapi::router::bindings {

namespace {

// What the binding keeps per route next to the core's route_info: the Python value and the
// parameter names as interned str objects, ready to be dict keys without hashing again.
struct route_binding {
    nb::object value;
    std::vector<nb::object> param_names;
    std::vector<param_kind> param_kinds;
};

struct py_router {
    py_router(path_form form, match_order order) : core(form, order) {}
    router core;
    std::vector<route_binding> routes;  // indexed by route_id
};

enum class text_status { ok, unmatchable };

// View the UTF-8 bytes of a str or bytes argument. A str that has no UTF-8 form (lone
// surrogates) cannot equal any path, so it reports `unmatchable` instead of raising.
text_status view_text(nb::handle object, const char* what, std::string_view& out) {
    if (PyUnicode_CheckExact(object.ptr()) || PyUnicode_Check(object.ptr())) {
        Py_ssize_t size = 0;
        const char* data = PyUnicode_AsUTF8AndSize(object.ptr(), &size);
        if (data == nullptr) {
            PyErr_Clear();
            return text_status::unmatchable;
        }
        out = {data, static_cast<std::size_t>(size)};
        return text_status::ok;
    }
    if (PyBytes_Check(object.ptr())) {
        out = {PyBytes_AS_STRING(object.ptr()),
               static_cast<std::size_t>(PyBytes_GET_SIZE(object.ptr()))};
        return text_status::ok;
    }
    throw nb::type_error(
        (std::string(what) + " must be str or bytes, not " + Py_TYPE(object.ptr())->tp_name)
            .c_str());
}

// Look METHOD and PATH up; false when nothing matched.
bool lookup(const py_router& self, nb::handle method, nb::handle path, std::string_view& path_text,
            match_result& result) {
    std::string_view method_text;
    if (view_text(method, "method", method_text) != text_status::ok) return false;
    if (view_text(path, "path", path_text) != text_status::ok) return false;
    return self.core.match(method_text, path_text, result);
}

// The params dict of RESULT (a new reference).
PyObject* params_dict(const py_router& self, const match_result& result, std::string_view path) {
    const route_binding& route = self.routes[result.route];
    const bool decode = self.core.form() == path_form::raw;
    PyObject* params = PyDict_New();
    if (params == nullptr) throw nb::python_error();
    for (std::uint32_t i = 0; i < result.param_count; ++i) {
        const param_span span = result.params[i];
        PyObject* value = param_value(route.param_kinds[i],
                                      path.substr(span.begin, span.end - span.begin), decode);
        if (value == nullptr || PyDict_SetItem(params, route.param_names[i].ptr(), value) < 0) {
            Py_XDECREF(value);
            Py_DECREF(params);
            throw nb::python_error();
        }
        Py_DECREF(value);
    }
    return params;
}

// A new tuple of VALUE, PARAMS (stolen) and, when FULL is not null, the full-match flag.
nb::object result_tuple(nb::handle value, PyObject* params, const bool* full) {
    PyObject* result = PyTuple_New(full == nullptr ? 2 : 3);
    if (result == nullptr) {
        Py_DECREF(params);
        throw nb::python_error();
    }
    PyTuple_SET_ITEM(result, 0, value.inc_ref().ptr());
    PyTuple_SET_ITEM(result, 1, params);
    if (full != nullptr) PyTuple_SET_ITEM(result, 2, nb::bool_(*full).release().ptr());
    return nb::steal(result);
}

nb::object match(const py_router& self, nb::handle method, nb::handle path) {
    std::string_view path_text;
    match_result result;
    if (!lookup(self, method, path, path_text, result) || !result.full) return nb::none();
    return result_tuple(self.routes[result.route].value, params_dict(self, result, path_text),
                        nullptr);
}

nb::object resolve(const py_router& self, nb::handle method, nb::handle path) {
    std::string_view path_text;
    match_result result;
    if (!lookup(self, method, path, path_text, result)) return nb::none();
    return result_tuple(self.routes[result.route].value, params_dict(self, result, path_text),
                        &result.full);
}

std::vector<std::string> method_list(nb::handle methods) {
    std::vector<std::string> names;
    if (PyUnicode_Check(methods.ptr())) {
        names.push_back(nb::cast<std::string>(methods));
        return names;
    }
    try {
        for (nb::handle method : methods) names.push_back(nb::cast<std::string>(method));
    } catch (const nb::cast_error&) {
        throw nb::type_error("methods must be a str (\"GET\", \"*\") or an iterable of str");
    } catch (const nb::python_error&) {
        throw nb::type_error("methods must be a str (\"GET\", \"*\") or an iterable of str");
    }
    return names;
}

void add(py_router& self, nb::handle methods, std::string_view pattern, nb::object value,
         nb::object name) {
    const std::vector<std::string> names = method_list(methods);
    const std::vector<std::string_view> views(names.begin(), names.end());
    const std::string route_name = name.is_none() ? std::string() : nb::cast<std::string>(name);
    const route_id id = self.core.add(views, pattern, route_name);

    const route_info& info = self.core.route(id);
    route_binding binding{std::move(value), {}, info.param_kinds};
    for (const auto& param : info.param_names) {
        PyObject* key =
            PyUnicode_FromStringAndSize(param.data(), static_cast<Py_ssize_t>(param.size()));
        if (key == nullptr) throw nb::python_error();
        PyUnicode_InternInPlace(&key);
        binding.param_names.push_back(nb::steal(key));
    }
    self.routes.push_back(std::move(binding));
}

nb::frozenset allowed_methods(const py_router& self, nb::handle path) {
    std::string_view path_text;
    nb::set methods;
    if (view_text(path, "path", path_text) == text_status::ok) {
        for (const auto& method : self.core.allowed_methods(path_text))
            methods.add(nb::str(method.c_str()));
    }
    return nb::frozenset(methods);
}

std::string build_path(const py_router& self, std::string_view name, nb::dict params) {
    std::vector<std::pair<std::string, std::string>> owned;
    for (auto [key, value] : params)
        owned.emplace_back(nb::cast<std::string>(key), nb::cast<std::string>(value));
    std::vector<std::pair<std::string_view, std::string_view>> views(owned.begin(), owned.end());
    return self.core.url_path(name, views);
}

nb::list route_table(const py_router& self) {
    nb::list table;
    for (std::size_t id = 0; id < self.routes.size(); ++id) {
        const route_info& info = self.core.route(static_cast<route_id>(id));
        nb::list methods;
        for (const auto& method : info.methods) methods.append(nb::str(method.c_str()));
        nb::object name = info.name.empty() ? nb::none() : nb::object(nb::str(info.name.c_str()));
        table.append(nb::make_tuple(nb::frozenset(methods), nb::str(info.pattern.c_str()), name,
                                    self.routes[id].value));
    }
    return table;
}

// The router owns arbitrary Python values, which may point back at it: take part in GC.
int router_traverse(PyObject* self, visitproc visit, void* arg) {
    Py_VISIT(Py_TYPE(self));
    if (!nb::inst_ready(self)) return 0;
    for (const auto& route : nb::inst_ptr<py_router>(self)->routes) Py_VISIT(route.value.ptr());
    return 0;
}

int router_clear(PyObject* self) {
    for (auto& route : nb::inst_ptr<py_router>(self)->routes) route.value = nb::none();
    return 0;
}

PyType_Slot router_slots[] = {{Py_tp_traverse, reinterpret_cast<void*>(router_traverse)},
                              {Py_tp_clear, reinterpret_cast<void*>(router_clear)},
                              {0, nullptr}};

path_form parse_form(std::string_view paths) {
    if (paths == "raw") return path_form::raw;
    if (paths == "decoded") return path_form::decoded;
    throw nb::value_error(
        ("cannot create Router: paths must be 'raw' or 'decoded', got '" + std::string(paths) + "'")
            .c_str());
}

match_order parse_order(std::string_view order) {
    if (order == "specificity") return match_order::specificity;
    if (order == "registration") return match_order::registration;
    throw nb::value_error(
        ("cannot create Router: order must be 'specificity' or 'registration', got '" +
         std::string(order) + "'")
            .c_str());
}

}  // namespace

void bind_router(nb::module_& m) {
    using namespace nb::literals;
    nb::class_<py_router>(m, "Router", nb::type_slots(router_slots))
        .def(
            "__init__",
            [](py_router* self, std::string_view paths, std::string_view order) {
                new (self) py_router(parse_form(paths), parse_order(order));
            },
            nb::kw_only(), "paths"_a = "raw", "order"_a = "specificity",
            nb::sig(
                "def __init__(self, *, paths: typing.Literal['raw', 'decoded'] = 'raw', "
                "order: typing.Literal['specificity', 'registration'] = 'specificity') -> None"))
        .def("add", &add, "method"_a, "path"_a, "value"_a.none(), nb::kw_only(),
             "name"_a.none() = nb::none(),
             nb::sig("def add(self, method: str | collections.abc.Iterable[str], path: str, "
                     "value: typing.Any, *, name: str | None = None) -> None"))
        .def("match", &match, "method"_a, "path"_a,
             nb::sig("def match(self, method: str | bytes, path: str | bytes, /) "
                     "-> tuple[typing.Any, dict[str, typing.Any]] | None"))
        .def("resolve", &resolve, "method"_a, "path"_a,
             nb::sig("def resolve(self, method: str | bytes, path: str | bytes, /) "
                     "-> tuple[typing.Any, dict[str, typing.Any], bool] | None"))
        .def("allowed_methods", &allowed_methods, "path"_a,
             nb::sig("def allowed_methods(self, path: str | bytes, /) -> frozenset[str]"))
        .def("_build_path", &build_path, "name"_a, "params"_a,
             nb::sig("def _build_path(self, name: str, params: dict[str, str], /) -> str"))
        .def("_route_table", &route_table,
             nb::sig("def _route_table(self) -> list[tuple[frozenset[str], str, str | None, "
                     "typing.Any]]"))
        .def("__len__", [](const py_router& self) { return self.routes.size(); })
        .def_prop_ro("paths",
                     [](const py_router& self) {
                         return self.core.form() == path_form::raw ? "raw" : "decoded";
                     })
        .def_prop_ro("order", [](const py_router& self) {
            return self.core.order() == match_order::specificity ? "specificity" : "registration";
        });
}

}  // namespace fasterapi::router::bindings
