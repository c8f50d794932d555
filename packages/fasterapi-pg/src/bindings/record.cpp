// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/record.cpp: Record, a row that is both a tuple and a mapping
#include <nanobind/stl/string.h>

#include "bindings/bindings.hpp"

namespace fasterapi::pg::bindings {

namespace {

// One row: its values, and the column index (name -> position) shared by all rows of a
// statement, so creating a Record costs one small object and no per-row dict.
struct record {
    nb::tuple values;
    nb::dict keys;
};

nb::object item(const record& self, nb::handle key) {
    if (PyUnicode_Check(key.ptr())) {
        PyObject* position = PyDict_GetItemWithError(self.keys.ptr(), key.ptr());
        if (position == nullptr) {
            if (PyErr_Occurred()) throw nb::python_error();
            throw nb::key_error(
                ("record has no column " + nb::cast<std::string>(nb::repr(key))).c_str());
        }
        return nb::borrow(PyTuple_GET_ITEM(self.values.ptr(), PyLong_AsSsize_t(position)));
    }
    PyObject* value = PyObject_GetItem(self.values.ptr(), key.ptr());  // int or slice
    if (value == nullptr) throw nb::python_error();
    return nb::steal(value);
}

nb::list names(const record& self) {
    // Dict order is column order; a duplicated column name appears once (its first column).
    nb::list out;
    for (auto [name, position] : self.keys) out.append(name);
    return out;
}

nb::str repr(const record& self) {
    std::string text = "<Record";
    for (auto [name, index] : self.keys) {
        text += " " + nb::cast<std::string>(nb::str(name)) + "=" +
                nb::cast<std::string>(nb::repr(self.values[nb::cast<std::size_t>(index)]));
    }
    return nb::str((text + ">").c_str());
}

bool equals(const record& self, nb::handle other) {
    if (nb::isinstance<record>(other))
        return self.values.equal(nb::cast<const record&>(other).values);
    return PyTuple_Check(other.ptr()) && self.values.equal(other);
}

}  // namespace

nb::object make_record(nb::handle keys, PyObject* values_tuple) {
    return nb::cast(record{nb::steal<nb::tuple>(values_tuple), nb::borrow<nb::dict>(keys)});
}

void bind_record(nb::module_& m) {
    nb::class_<record>(m, "Record", nb::is_final())
        .def("__len__", [](const record& self) { return nb::len(self.values); })
        .def("__getitem__", &item,
             nb::sig("def __getitem__(self, key: int | str | slice, /) -> typing.Any"))
        .def(
            "get",
            [](const record& self, nb::handle key, nb::handle fallback) -> nb::object {
                if (PyUnicode_Check(key.ptr()) && !self.keys.contains(key))
                    return nb::borrow(fallback);
                return item(self, key);
            },
            nb::arg("key"), nb::arg("default").none() = nb::none(),
            nb::sig("def get(self, key: str, default: typing.Any = None, /) -> typing.Any"))
        .def("keys", &names, nb::sig("def keys(self) -> list[str]"))
        .def(
            "values", [](const record& self) { return nb::list(self.values); },
            nb::sig("def values(self) -> list[typing.Any]"))
        .def(
            "items",
            [](const record& self) {
                nb::list out;
                for (auto [name, position] : self.keys) {
                    out.append(nb::make_tuple(name, self.values[nb::cast<std::size_t>(position)]));
                }
                return out;
            },
            nb::sig("def items(self) -> list[tuple[str, typing.Any]]"))
        .def(
            "__iter__", [](const record& self) { return nb::iter(self.values); },
            nb::sig("def __iter__(self) -> collections.abc.Iterator[typing.Any]"))
        .def(
            "__contains__",
            [](const record& self, nb::handle name) { return self.keys.contains(name); },
            nb::sig("def __contains__(self, name: object, /) -> bool"))
        .def("__eq__", &equals, nb::sig("def __eq__(self, other: object, /) -> bool"))
        .def("__hash__", [](const record& self) { return nb::hash(self.values); })
        .def("__repr__", &repr);
}

}  // namespace fasterapi::pg::bindings
