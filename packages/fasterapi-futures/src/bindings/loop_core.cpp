// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/loop_core.cpp: the native core of fasterapi_futures.EventLoop
#include "loop_core.hpp"

#include <nanobind/stl/string.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "handles.hpp"
#include "owned_ref.hpp"

namespace fasterapi::futures::bindings {

namespace {

steady_clock::time_point to_time_point(double seconds) {
    return steady_clock::time_point(
        std::chrono::duration_cast<steady_clock::duration>(std::chrono::duration<double>(seconds)));
}

// A reactor task that runs one handle; it owns a reference, released with the GIL held (the
// reactor runs and drops tasks only from the loop, which holds it).
auto runner_of(const nb::object& handle) {
    return [ref = owned_ref(Py_NewRef(handle.ptr()))] {
        nb::inst_ptr<py_handle>(ref.get())->run(ref.get());
    };
}

}  // namespace

loop_core::loop_core(nb::handle loop) : loop_(loop.ptr()) {
    reactor_.set_wait_observer(this);
}

loop_core::~loop_core() {
    close();
}

void loop_core::before_wait() noexcept {
    waiting_thread_ = PyEval_SaveThread();
}

void loop_core::after_wait() noexcept {
    PyEval_RestoreThread(waiting_thread_);
}

void loop_core::check_open() const {
    if (closed_) {
        throw std::runtime_error("Event loop is closed");
    }
}

nb::object loop_core::make_handle(nb::handle callback, nb::args args, nb::handle context,
                                  const char* caller) {
    if (!PyCallable_Check(callback.ptr())) {
        throw nb::type_error((std::string("a callable object was expected by ") + caller +
                              "(), got " + nb::cast<std::string>(nb::repr(callback)))
                                 .c_str());
    }
    return nb::cast(new py_handle(callback, std::move(args), context, nb::handle(loop_)),
                    nb::rv_policy::take_ownership);
}

nb::object loop_core::call_soon(nb::handle callback, nb::args args, nb::handle context) {
    check_open();
    nb::object handle = make_handle(callback, std::move(args), context, "call_soon");
    reactor_.schedule(runner_of(handle));
    return handle;
}

nb::object loop_core::call_soon_threadsafe(nb::handle callback, nb::args args, nb::handle context) {
    check_open();
    nb::object handle = make_handle(callback, std::move(args), context, "call_soon_threadsafe");
    reactor_.submit(runner_of(handle));
    return handle;
}

nb::object loop_core::call_at(double when, nb::handle callback, nb::args args, nb::handle context) {
    check_open();
    if (!PyCallable_Check(callback.ptr())) {
        throw nb::type_error((std::string("a callable object was expected by call_at(), got ") +
                              nb::cast<std::string>(nb::repr(callback)))
                                 .c_str());
    }
    auto* timer = new py_timer_handle(callback, std::move(args), context, nb::handle(loop_), when,
                                      nb::find(this));
    nb::object handle = nb::cast(timer, nb::rv_policy::take_ownership);
    timer->arm(reactor_.call_at(to_time_point(when), runner_of(handle)));
    return handle;
}

nb::object loop_core::call_later(double delay, nb::handle callback, nb::args args,
                                 nb::handle context) {
    return call_at(time() + delay, callback, std::move(args), context);
}

double loop_core::time() const noexcept {
    return std::chrono::duration<double>(steady_clock::now().time_since_epoch()).count();
}

void loop_core::replace_watcher(nb::object& slot, nb::object handle) {
    if (slot.is_valid()) {
        nb::inst_ptr<py_handle>(slot)->cancel();
    }
    slot = std::move(handle);
}

nb::object loop_core::add_reader(int fd, nb::handle callback, nb::args args) {
    check_open();
    nb::object handle = make_handle(callback, std::move(args), nb::none(), "add_reader");
    reactor_.watch_readable(fd, runner_of(handle));
    replace_watcher(watchers_[fd].first, handle);
    return handle;
}

nb::object loop_core::add_writer(int fd, nb::handle callback, nb::args args) {
    check_open();
    nb::object handle = make_handle(callback, std::move(args), nb::none(), "add_writer");
    reactor_.watch_writable(fd, runner_of(handle));
    replace_watcher(watchers_[fd].second, handle);
    return handle;
}

bool loop_core::remove_reader(int fd) {
    auto found = watchers_.find(fd);
    if (closed_ || found == watchers_.end() || !found->second.first.is_valid()) {
        return false;
    }
    nb::object handle = std::move(found->second.first);
    found->second.first.reset();
    if (!found->second.second.is_valid()) {
        watchers_.erase(found);
    }
    reactor_.unwatch_readable(fd);
    nb::inst_ptr<py_handle>(handle)->cancel();
    return true;
}

bool loop_core::remove_writer(int fd) {
    auto found = watchers_.find(fd);
    if (closed_ || found == watchers_.end() || !found->second.second.is_valid()) {
        return false;
    }
    nb::object handle = std::move(found->second.second);
    found->second.second.reset();
    if (!found->second.first.is_valid()) {
        watchers_.erase(found);
    }
    reactor_.unwatch_writable(fd);
    nb::inst_ptr<py_handle>(handle)->cancel();
    return true;
}

nb::tuple loop_core::watchers(int fd) const {
    auto found = watchers_.find(fd);
    if (found == watchers_.end()) {
        return nb::make_tuple(nb::none(), nb::none());
    }
    auto or_none = [](const nb::object& handle) { return handle.is_valid() ? handle : nb::none(); };
    return nb::make_tuple(or_none(found->second.first), or_none(found->second.second));
}

void loop_core::run_once(bool may_block) {
    reactor_.run_once(may_block);
}

void loop_core::close() {
    if (closed_) {
        return;
    }
    closed_ = true;
    watchers_.clear();
    reactor_.discard_pending();
}

void bind_loop_core(nb::module_& m) {
    nb::class_<loop_core>(m, "LoopCore",
                          "The native core of fasterapi_futures.EventLoop: ready queue, timers, "
                          "fd watchers and the cross-thread queue on one reactor.")
        .def(nb::init<nb::handle>(), nb::arg("loop"))
        .def("call_soon", &loop_core::call_soon, nb::arg("callback"), nb::arg("args"),
             nb::arg("context") = nb::none(),
             nb::sig("def call_soon(self, callback: Callable[..., object], *args: Any, context: "
                     "contextvars.Context | None = None) -> Handle"))
        .def("call_soon_threadsafe", &loop_core::call_soon_threadsafe, nb::arg("callback"),
             nb::arg("args"), nb::arg("context") = nb::none(),
             nb::sig("def call_soon_threadsafe(self, callback: Callable[..., object], *args: Any, "
                     "context: contextvars.Context | None = None) -> Handle"))
        .def("call_at", &loop_core::call_at, nb::arg("when"), nb::arg("callback"), nb::arg("args"),
             nb::arg("context") = nb::none(),
             nb::sig("def call_at(self, when: float, callback: Callable[..., object], *args: Any, "
                     "context: contextvars.Context | None = None) -> TimerHandle"))
        .def("call_later", &loop_core::call_later, nb::arg("delay"), nb::arg("callback"),
             nb::arg("args"), nb::arg("context") = nb::none(),
             nb::sig("def call_later(self, delay: float, callback: Callable[..., object], "
                     "*args: Any, context: contextvars.Context | None = None) -> TimerHandle"))
        .def("time", &loop_core::time)
        .def("add_reader", &loop_core::add_reader, nb::arg("fd"), nb::arg("callback"),
             nb::arg("args"),
             nb::sig("def add_reader(self, fd: int, callback: Callable[..., object], *args: Any) "
                     "-> Handle"))
        .def("add_writer", &loop_core::add_writer, nb::arg("fd"), nb::arg("callback"),
             nb::arg("args"),
             nb::sig("def add_writer(self, fd: int, callback: Callable[..., object], *args: Any) "
                     "-> Handle"))
        .def("remove_reader", &loop_core::remove_reader, nb::arg("fd"))
        .def("remove_writer", &loop_core::remove_writer, nb::arg("fd"))
        .def("watchers", &loop_core::watchers, nb::arg("fd"),
             nb::sig("def watchers(self, fd: int) -> tuple[Handle | None, Handle | None]"))
        .def("run_once", &loop_core::run_once, nb::arg("may_block"))
        .def("close", &loop_core::close)
        .def("closed", &loop_core::closed);
}

}  // namespace fasterapi::futures::bindings
