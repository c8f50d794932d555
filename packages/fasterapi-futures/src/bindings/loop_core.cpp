// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/loop_core.cpp: the native core of fasterapi_futures.EventLoop
#include "loop_core.hpp"

#include <nanobind/stl/string.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

#include "keywords.hpp"
#include "owned_ref.hpp"
#include "py_handle.hpp"

namespace fasterapi::futures::bindings {

namespace {

steady_clock::time_point to_time_point(double seconds) {
    return steady_clock::time_point(
        std::chrono::duration_cast<steady_clock::duration>(std::chrono::duration<double>(seconds)));
}

double now_seconds() {
    return std::chrono::duration<double>(steady_clock::now().time_since_epoch()).count();
}

loop_core* core_of(PyObject* self) {
    return nb::inst_ptr<loop_core>(self);
}

// The arguments of a fast call: `leading` positional ones before *args, then the only keyword,
// context=. False with a TypeError set when they do not fit.
bool parse_call(const char* name, Py_ssize_t nargs, Py_ssize_t leading, PyObject* const* args,
                PyObject* kwnames, PyObject** context) {
    *context = nullptr;
    const Py_ssize_t keywords = kwnames != nullptr ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t i = 0; i < keywords; ++i) {
        PyObject* keyword = PyTuple_GET_ITEM(kwnames, i);
        if (!is_context_keyword(keyword)) {
            PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", name,
                         keyword);
            return false;
        }
        *context = args[nargs + i];
    }
    if (nargs < leading) {
        PyErr_Format(PyExc_TypeError, "%s() takes at least %zd positional arguments (%zd given)",
                     name, leading, nargs);
        return false;
    }
    return true;
}

bool check_callable(PyObject* callback, const char* name) {
    if (!PyCallable_Check(callback)) {
        PyErr_Format(PyExc_TypeError, "a callable object was expected by %s(), got %R", name,
                     callback);
        return false;
    }
    return true;
}

bool check_open(const loop_core* core) {
    if (core->closed()) {
        PyErr_SetString(PyExc_RuntimeError, "Event loop is closed");
        return false;
    }
    return true;
}

// The cores direct_scheduler hands out, by EventLoop object, and the last one found (a
// process usually runs one loop). Only touched with the GIL held.
std::unordered_map<PyObject*, loop_core*> direct_cores;
std::pair<PyObject*, loop_core*> last_direct{nullptr, nullptr};

}  // namespace

loop_core::loop_core(nb::handle loop) : loop_(loop.ptr()) {
    reactor_.set_wait_observer(this);
}

loop_core::~loop_core() {
    close();
}

loop_core* loop_core::direct_scheduler(PyObject* loop) noexcept {
    if (last_direct.first == loop) {
        return last_direct.second;
    }
    const auto found = direct_cores.find(loop);
    if (found == direct_cores.end()) {
        return nullptr;
    }
    last_direct = *found;
    return found->second;
}

void loop_core::set_direct_scheduling(bool enabled) {
    if (enabled && !closed_) {
        direct_cores[loop_] = this;
    } else {
        direct_cores.erase(loop_);
    }
    last_direct = {nullptr, nullptr};
}

int loop_core::schedule_soon(PyObject* callback, PyObject* argument, PyObject* context) {
    if (!check_open(this)) {
        return -1;
    }
    PyObject* handle = handle_new(handle_type, callback, &argument, 1, context, loop_);
    if (handle == nullptr) {
        return -1;
    }
    enqueue_ready(handle);
    return 0;
}

void loop_core::enqueue_ready(PyObject* handle) noexcept {
    PyObject_GC_UnTrack(handle);
    ready_.push_back(handle);
}

PyObject* loop_core::dequeue_ready() noexcept {
    PyObject* handle = ready_.front();
    ready_.pop_front();
    handle_unpark_context(handle);
    return handle;
}

void loop_core::release_dequeued(PyObject* handle) noexcept {
    if (Py_REFCNT(handle) > 1 && !PyObject_GC_IsTracked(handle)) {
        PyObject_GC_Track(handle);
    }
    Py_DECREF(handle);
}

void loop_core::before_wait() noexcept {
    waiting_thread_ = PyEval_SaveThread();
}

void loop_core::after_wait() noexcept {
    PyEval_RestoreThread(waiting_thread_);
}

PyObject* loop_core::call_soon(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                               PyObject* kwnames) {
    loop_core* core = core_of(self);
    PyObject* context;
    if (!parse_call("call_soon", nargs, 1, args, kwnames, &context) || !check_open(core) ||
        !check_callable(args[0], "call_soon")) {
        return nullptr;
    }
    PyObject* handle = handle_new(handle_type, args[0], args + 1, nargs - 1, context, core->loop_);
    if (handle != nullptr) {
        core->enqueue_ready(Py_NewRef(handle));
    }
    return handle;
}

PyObject* loop_core::call_soon_threadsafe(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                                          PyObject* kwnames) {
    loop_core* core = core_of(self);
    PyObject* context;
    if (!parse_call("call_soon_threadsafe", nargs, 1, args, kwnames, &context) ||
        !check_open(core) || !check_callable(args[0], "call_soon_threadsafe")) {
        return nullptr;
    }
    PyObject* handle = handle_new(handle_type, args[0], args + 1, nargs - 1, context, core->loop_);
    if (handle != nullptr) {
        PyObject_GC_Track(handle);  // in transit, the collector sees it; the queue untracks it
        // The reactor hands it over on the loop's thread (a lock-free push; one wake-up).
        core->reactor_.submit([core, queued = owned_ref(Py_NewRef(handle))]() mutable {
            core->enqueue_ready(queued.release());
        });
    }
    return handle;
}

PyObject* loop_core::schedule_at(PyObject* self, double when, PyObject* const* args,
                                 Py_ssize_t nargs, PyObject* context, const char* caller) {
    if (!check_open(this) || !check_callable(args[0], caller)) {
        return nullptr;
    }
    PyObject* handle = handle_new(timer_handle_type, args[0], args + 1, nargs - 1, context, loop_);
    if (handle == nullptr) {
        return nullptr;
    }
    PyObject_GC_Track(handle);  // it waits in timers_, which the collector sees
    auto* timer = reinterpret_cast<handle_object*>(handle);
    timer->when = when;
    timer->core = Py_NewRef(self);
    timers_.insert(Py_NewRef(handle));
    // The timer borrows the handle: timers_ owns it until it fires (moving to ready_) or is
    // cancelled.
    timer->timer = reactor_.call_at(to_time_point(when), [this, handle] {
        timers_.erase(handle);
        enqueue_ready(handle);
    });
    return handle;
}

PyObject* loop_core::call_at(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                             PyObject* kwnames) {
    PyObject* context;
    if (!parse_call("call_at", nargs, 2, args, kwnames, &context)) {
        return nullptr;
    }
    const double when = PyFloat_AsDouble(args[0]);
    if (when == -1.0 && PyErr_Occurred()) {
        return nullptr;
    }
    return core_of(self)->schedule_at(self, when, args + 1, nargs - 1, context, "call_at");
}

PyObject* loop_core::call_later(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                                PyObject* kwnames) {
    PyObject* context;
    if (!parse_call("call_later", nargs, 2, args, kwnames, &context)) {
        return nullptr;
    }
    const double delay = PyFloat_AsDouble(args[0]);
    if (delay == -1.0 && PyErr_Occurred()) {
        return nullptr;
    }
    return core_of(self)->schedule_at(self, now_seconds() + delay, args + 1, nargs - 1, context,
                                      "call_later");
}

PyObject* loop_core::time(PyObject*, PyObject*) {
    return PyFloat_FromDouble(now_seconds());
}

void loop_core::cancel_timer(PyObject* core_object, PyObject* handle) {
    loop_core* core = core_of(core_object);
    if (core->closed_) {
        return;
    }
    auto* timer = reinterpret_cast<handle_object*>(handle);
    if (core->reactor_.cancel_timer(timer->timer) && core->timers_.erase(handle) > 0) {
        Py_DECREF(handle);  // the caller holds its own reference
    }
}

PyMethodDef loop_core::fast_method_defs[] = {
    {"call_soon", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(call_soon)),
     METH_FASTCALL | METH_KEYWORDS, "call_soon(callback, *args, context=None) -> Handle"},
    {"call_soon_threadsafe",
     reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(call_soon_threadsafe)),
     METH_FASTCALL | METH_KEYWORDS,
     "call_soon_threadsafe(callback, *args, context=None) -> Handle"},
    {"call_at", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(call_at)),
     METH_FASTCALL | METH_KEYWORDS, "call_at(when, callback, *args, context=None) -> TimerHandle"},
    {"call_later", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(call_later)),
     METH_FASTCALL | METH_KEYWORDS,
     "call_later(delay, callback, *args, context=None) -> TimerHandle"},
    {"time", time, METH_NOARGS, "time() -> float: the loop's clock (time.monotonic())"},
    {nullptr, nullptr, 0, nullptr},
};

nb::dict loop_core::fast_methods(nb::handle self) {
    nb::dict methods;
    for (PyMethodDef* def = fast_method_defs; def->ml_name != nullptr; ++def) {
        methods[def->ml_name] = nb::steal(PyCFunction_NewEx(def, self.ptr(), nullptr));
    }
    return methods;
}

// Runs a watcher's handle; it holds a reference for the run (the callback may remove itself).
auto loop_core::watcher_runner(PyObject* handle) {
    return [handle] {
        Py_INCREF(handle);
        const int status = handle_run(handle);
        Py_DECREF(handle);
        if (status < 0) {
            throw nb::python_error();
        }
    };
}

nb::object loop_core::make_watcher(nb::handle callback, nb::args args, const char* caller) {
    if (!check_open(this) || !check_callable(callback.ptr(), caller)) {
        throw nb::python_error();
    }
    PyObject* const* items = &PyTuple_GET_ITEM(args.ptr(), 0);
    nb::object handle = nb::steal(handle_new(handle_type, callback.ptr(), items,
                                             PyTuple_GET_SIZE(args.ptr()), nullptr, loop_));
    if (!handle.is_valid()) {
        throw nb::python_error();
    }
    handle_unpark_context(handle.ptr());  // a watcher stays for long: all of it in the GC's view
    PyObject_GC_Track(handle.ptr());
    return handle;
}

nb::object loop_core::add_reader(int fd, nb::handle callback, nb::args args) {
    nb::object handle = make_watcher(callback, std::move(args), "add_reader");
    reactor_.watch_readable(fd, watcher_runner(handle.ptr()));
    nb::object previous = std::exchange(watchers_[fd].first, handle);
    if (previous.is_valid()) {
        previous.attr("cancel")();
    }
    return handle;
}

nb::object loop_core::add_writer(int fd, nb::handle callback, nb::args args) {
    nb::object handle = make_watcher(callback, std::move(args), "add_writer");
    reactor_.watch_writable(fd, watcher_runner(handle.ptr()));
    nb::object previous = std::exchange(watchers_[fd].second, handle);
    if (previous.is_valid()) {
        previous.attr("cancel")();
    }
    return handle;
}

bool loop_core::remove_reader(int fd) {
    auto found = watchers_.find(fd);
    if (closed_ || found == watchers_.end() || !found->second.first.is_valid()) {
        return false;
    }
    reactor_.unwatch_readable(fd);
    nb::object handle = std::exchange(found->second.first, nb::object());
    if (!found->second.second.is_valid()) {
        watchers_.erase(found);
    }
    handle.attr("cancel")();
    return true;
}

bool loop_core::remove_writer(int fd) {
    auto found = watchers_.find(fd);
    if (closed_ || found == watchers_.end() || !found->second.second.is_valid()) {
        return false;
    }
    reactor_.unwatch_writable(fd);
    nb::object handle = std::exchange(found->second.second, nb::object());
    if (!found->second.first.is_valid()) {
        watchers_.erase(found);
    }
    handle.attr("cancel")();
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
    reactor_.run_once(may_block, !ready_.empty());
    // The handles ready now; those they schedule run on the next turn (asyncio's rule).
    for (std::size_t due = ready_.size(); due > 0 && !ready_.empty(); --due) {
        PyObject* handle = dequeue_ready();
        const int status = handle_run(handle);
        release_dequeued(handle);
        if (status < 0) {
            throw nb::python_error();  // SystemExit / KeyboardInterrupt: the rest stays queued
        }
    }
}

void loop_core::run_until_stopped() {
    struct clear_on_exit {
        bool& flag;
        ~clear_on_exit() { flag = false; }  // also when a callback raises out of the loop
    } clear{stop_requested_};
    do {
        if (PyErr_CheckSignals() < 0) {
            throw nb::python_error();
        }
        run_once(!stop_requested_);
    } while (!stop_requested_);
}

void loop_core::close() {
    if (closed_) {
        return;
    }
    closed_ = true;
    set_direct_scheduling(false);
    reactor_.discard_pending();  // the timer and watcher callbacks only borrow handles
    watchers_.clear();
    for (PyObject* timer : timers_) {
        Py_DECREF(timer);
    }
    timers_.clear();
    while (!ready_.empty()) {
        release_dequeued(dequeue_ready());
    }
}

int loop_core::traverse(PyObject* self, visitproc visit, void* arg) {
    Py_VISIT(Py_TYPE(self));
    if (!nb::inst_ready(self)) {
        return 0;
    }
    loop_core* core = core_of(self);
    for (PyObject* handle : core->ready_) {
        // Untracked (see enqueue_ready): the handle's references count as the core's while
        // the queue owns it alone.
        if (Py_REFCNT(handle) == 1) {
            if (const int status = Py_TYPE(handle)->tp_traverse(handle, visit, arg)) {
                return status;
            }
        }
    }
    for (PyObject* timer : core->timers_) {
        Py_VISIT(timer);
    }
    for (const auto& [fd, pair] : core->watchers_) {
        Py_VISIT(pair.first.ptr());
        Py_VISIT(pair.second.ptr());
    }
    return 0;
}

int loop_core::clear(PyObject* self) {
    core_of(self)->close();
    return 0;
}

namespace {

PyType_Slot core_slots[] = {
    {Py_tp_traverse, reinterpret_cast<void*>(loop_core::traverse)},
    {Py_tp_clear, reinterpret_cast<void*>(loop_core::clear)},
    {0, nullptr},
};

}  // namespace

void bind_loop_core(nb::module_& m) {
    nb::class_<loop_core>(m, "LoopCore",
                          "The native core of fasterapi_futures.EventLoop: ready queue, timers, "
                          "fd watchers and the cross-thread queue on one reactor.",
                          nb::type_slots(core_slots))
        .def(nb::init<nb::handle>(), nb::arg("loop"))
        .def_static("fast_methods", &loop_core::fast_methods, nb::arg("core"),
                    nb::sig("def fast_methods(core: LoopCore) -> dict[str, Callable[..., Any]]"),
                    "call_soon, call_soon_threadsafe, call_at, call_later and time, bound to "
                    "`core`.")
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
        .def("run_until_stopped", &loop_core::run_until_stopped)
        .def("request_stop", &loop_core::request_stop)
        .def("set_direct_scheduling", &loop_core::set_direct_scheduling, nb::arg("enabled"))
        .def("close", &loop_core::close)
        .def("closed", &loop_core::closed);
}

}  // namespace fasterapi::futures::bindings
