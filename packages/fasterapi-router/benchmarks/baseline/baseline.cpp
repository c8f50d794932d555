// SPDX-License-Identifier: MIT
// fasterapi-router/benchmarks/baseline/baseline.cpp: the floor for a Python-visible lookup
//
// A nanobind method that does no matching at all and returns what Router.match returns: a
// (value, dict) tuple with one entry. Router.match's cost is reported against this one.
#include <nanobind/nanobind.h>

namespace nb = nanobind;

namespace {

struct baseline {
    nb::object value = nb::str("route");
    nb::object key = nb::str("id");

    nb::object match(nb::handle, nb::handle path) const {
        PyObject* params = PyDict_New();
        PyDict_SetItem(params, key.ptr(), path.ptr());
        PyObject* pair = PyTuple_New(2);
        PyTuple_SET_ITEM(pair, 0, nb::handle(value).inc_ref().ptr());
        PyTuple_SET_ITEM(pair, 1, params);
        return nb::steal(pair);
    }
};

}  // namespace

NB_MODULE(_bench_baseline, m) {
    nb::class_<baseline>(m, "Baseline")
        .def(nb::init<>())
        .def("match", &baseline::match, nb::arg("method"), nb::arg("path"));
}
