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

enum class text_status { ok, unmatchable, error };

// View the UTF-8 bytes of a str or bytes argument. A str that has no UTF-8 form (lone
// surrogates) cannot equal any path, so it reports `unmatchable` instead of raising; anything
// else sets a TypeError and reports `error`.
text_status view_text(PyObject* object, const char* what, std::string_view& out) {
    if (PyUnicode_Check(object)) {
        if (PyUnicode_IS_COMPACT_ASCII(object)) {  // the usual case, read in place
            out = {static_cast<const char*>(PyUnicode_DATA(object)),
                   static_cast<std::size_t>(PyUnicode_GET_LENGTH(object))};
            return text_status::ok;
        }
        Py_ssize_t size = 0;
        const char* data = PyUnicode_AsUTF8AndSize(object, &size);
        if (data == nullptr) {
            PyErr_Clear();
            return text_status::unmatchable;
        }
        out = {data, static_cast<std::size_t>(size)};
        return text_status::ok;
    }
    if (PyBytes_Check(object)) {
        out = {PyBytes_AS_STRING(object), static_cast<std::size_t>(PyBytes_GET_SIZE(object))};
        return text_status::ok;
    }
    PyErr_Format(PyExc_TypeError, "%s must be str or bytes, not %.200s", what,
                 Py_TYPE(object)->tp_name);
    return text_status::error;
}

// The params dict of RESULT (a new reference), or nullptr with an error set.
PyObject* params_dict(const py_router& self, const match_result& result, std::string_view path) {
    const route_binding& route = self.routes[result.route];
    const bool decode = self.core.form() == path_form::raw;
    PyObject* params = PyDict_New();
    if (params == nullptr) return nullptr;
    for (std::uint32_t i = 0; i < result.param_count; ++i) {
        const param_span span = result.params[i];
        PyObject* value = param_value(route.param_kinds[i],
                                      path.substr(span.begin, span.end - span.begin), decode);
        if (value == nullptr || PyDict_SetItem(params, route.param_names[i].ptr(), value) < 0) {
            Py_XDECREF(value);
            Py_DECREF(params);
            return nullptr;
        }
        Py_DECREF(value);
    }
    return params;
}

// Router.match(method, path) and Router.resolve(method, path), which adds the full-match
// flag. Plain METH_FASTCALL methods rather than nanobind functions: a lookup is a server's
// per-request call, and nanobind's general dispatch (overloads, casters, exception
// translation) cost a third as much as the lookup itself. They never throw.
template <bool WithFullFlag>
PyObject* lookup_method(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
    constexpr const char* name = WithFullFlag ? "resolve" : "match";
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError,
                     "Router.%s() takes 2 positional arguments (method, path), got %zd", name,
                     nargs);
        return nullptr;
    }
    if (!nb::inst_ready(self)) {
        PyErr_Format(PyExc_TypeError, "Router.%s(): the Router's __init__ has not run", name);
        return nullptr;
    }
    const py_router& router = *nb::inst_ptr<py_router>(self);
    std::string_view method;
    std::string_view path;
    const text_status method_status = view_text(args[0], "method", method);
    if (method_status == text_status::error) return nullptr;
    const text_status path_status = view_text(args[1], "path", path);
    if (path_status == text_status::error) return nullptr;
    match_result result;
    if (method_status != text_status::ok || path_status != text_status::ok ||
        !router.core.match(method, path, result) || (!WithFullFlag && !result.full)) {
        Py_RETURN_NONE;
    }
    PyObject* params = params_dict(router, result, path);
    if (params == nullptr) return nullptr;
    PyObject* found = PyTuple_New(WithFullFlag ? 3 : 2);
    if (found == nullptr) {
        Py_DECREF(params);
        return nullptr;
    }
    PyTuple_SET_ITEM(found, 0, Py_NewRef(router.routes[result.route].value.ptr()));
    PyTuple_SET_ITEM(found, 1, params);
    if (WithFullFlag) PyTuple_SET_ITEM(found, 2, PyBool_FromLong(result.full));
    return found;
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
    const text_status status = view_text(path.ptr(), "path", path_text);
    if (status == text_status::error) throw nb::python_error();
    if (status == text_status::ok) {
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

PyMethodDef router_methods[] = {
    {"match", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(lookup_method<false>)),
     METH_FASTCALL,
     "match(method, path, /)\n--\n\n"
     "The matched route's value and its converted parameters, or None when no route\n"
     "matches METHOD and PATH (str or bytes)."},
    {"resolve", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(lookup_method<true>)),
     METH_FASTCALL,
     "resolve(method, path, /)\n--\n\n"
     "As match, plus whether the method matched too: a route for PATH with another method\n"
     "gives (value, params, False), for a 405 response."},
    {nullptr, nullptr, 0, nullptr},
};

PyType_Slot router_slots[] = {{Py_tp_traverse, reinterpret_cast<void*>(router_traverse)},
                              {Py_tp_clear, reinterpret_cast<void*>(router_clear)},
                              {Py_tp_methods, router_methods},
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
