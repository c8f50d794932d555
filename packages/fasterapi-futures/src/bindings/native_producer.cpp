// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/native_producer.cpp: completions from a thread without the GIL
//
// What a C++ extension does when its own threads finish work for Python: complete promises
// with py_promise::set_from_native, never touching the GIL. Exposed (privately) so the tests
// and the benchmark can drive exactly that path.
#include <thread>
#include <vector>

#include "promise.hpp"

namespace fasterapi::futures::bindings {

namespace {

class native_producer {
public:
    // Completes promises[i] with first_value + i, in order, on a new native thread.
    native_producer(const nb::list& promises, long long first_value) {
        targets_.reserve(nb::len(promises));
        for (nb::handle each : promises) {
            nb::cast<py_promise*>(each);  // a TypeError for anything but a Promise
            targets_.emplace_back(Py_NewRef(each.ptr()));
        }
        thread_ = std::thread([this, first_value] {
            long long value = first_value;
            for (owned_ref& target : targets_) {
                py_promise::set_from_native(target, [value] { return PyLong_FromLongLong(value); });
                ++value;
            }
        });
    }
    // With the GIL: releases the references of promises that were completed already.
    ~native_producer() { join(); }
    native_producer(const native_producer&) = delete;
    native_producer& operator=(const native_producer&) = delete;

    void join() {
        if (thread_.joinable()) {
            nb::gil_scoped_release released;
            thread_.join();
        }
    }

private:
    std::vector<owned_ref> targets_;  // emptied by the thread as completions are queued
    std::thread thread_;
};

}  // namespace

void bind_native_producer(nb::module_& m) {
    nb::class_<native_producer>(m, "_NativeProducer",
                                "_NativeProducer(promises, first_value)\n\n"
                                "Testing aid: a C++ thread that completes promises[i] with "
                                "first_value + i without holding the GIL.")
        .def(nb::init<const nb::list&, long long>(),
             nb::sig("def __init__(self, promises: list[Promise], first_value: int = 0) -> None"),
             nb::arg("promises"), nb::arg("first_value") = 0)
        .def("join", &native_producer::join, "Wait until every completion has been queued.");
}

}  // namespace fasterapi::futures::bindings
