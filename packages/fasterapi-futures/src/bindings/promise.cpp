// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/promise.cpp: Promise and the per-loop completion queues
#include "promise.hpp"

#include <nanobind/stl/string.h>

#include "py_future.hpp"

namespace fasterapi::futures::bindings {

namespace {

// Finds (or creates and registers) the loop's completion queue. The registry lives in Python
// (fasterapi_futures/_queues.py, a WeakKeyDictionary that owns the queues); the last answer is
// cached here, guarded by the GIL, behind a weak reference whose callback clears the cache
// when that loop dies (so a new loop at the same address never sees a stale queue). Only raw
// pointers: nothing here outlives the interpreter with a destructor to run.
struct queue_cache {
    PyObject* loop_ref = nullptr;  // owned weakref to the loop
    PyObject* queue = nullptr;     // borrowed from the registry, alive while the loop is
};
queue_cache last_queue;

PyObject* forget_loop(PyObject*, PyObject* dead_ref) {
    if (last_queue.loop_ref == dead_ref) {
        last_queue.queue = nullptr;
        Py_CLEAR(last_queue.loop_ref);
    }
    Py_RETURN_NONE;
}
PyMethodDef forget_loop_def = {"_forget_loop", forget_loop, METH_O, nullptr};

nb::object queue_for(nb::handle loop) {
    if (last_queue.loop_ref != nullptr && PyWeakref_GetObject(last_queue.loop_ref) == loop.ptr()) {
        return nb::borrow(last_queue.queue);
    }
    nb::object queue = nb::module_::import_("fasterapi_futures._queues").attr("queue_for")(loop);
    Py_CLEAR(last_queue.loop_ref);
    last_queue.queue = nullptr;
    nb::object on_death = nb::steal(PyCFunction_New(&forget_loop_def, nullptr));
    if (on_death.is_valid()) {
        last_queue.loop_ref = PyWeakref_NewRef(loop.ptr(), on_death.ptr());
    }
    if (last_queue.loop_ref == nullptr) {
        PyErr_Clear();  // a loop without weak references: simply not cached
    } else {
        last_queue.queue = queue.ptr();
    }
    return queue;
}

void raise_invalid_state(const char* message) {
    nb::object error = nb::module_::import_("asyncio").attr("InvalidStateError");
    PyErr_SetString(error.ptr(), message);
    throw nb::python_error();
}

}  // namespace

py_promise::py_promise(nb::handle loop) {
    nb::object target = nb::borrow(loop);
    if (target.is_none()) {
        // Costs a getpid() on Python 3.11 (asyncio's fork check); hot paths pass loop=.
        target = nb::steal(running_loop_or_none());
        if (!target.is_valid()) {
            throw nb::python_error();
        }
        if (target.is_none()) {
            throw nb::type_error(
                "Promise() outside a running event loop: pass loop=... explicitly");
        }
    }
    future_ = nb::steal(future_new(target.ptr()));
    if (!future_.is_valid()) {
        throw nb::python_error();
    }
    queue_owner_ = queue_for(target);
    queue_ = nb::cast<completion_queue*>(queue_owner_);
}

void py_promise::claim() {
    if (completed_.exchange(true, std::memory_order_acq_rel)) {
        raise_invalid_state("the promise was completed already");
    }
}

void py_promise::set_result(nb::handle value) {
    claim();
    if (queue_->on_loop_thread()) {
        if (future_set_result(future_.ptr(), value.ptr(), true) < 0) {
            throw nb::python_error();
        }
        return;
    }
    queue_->push(
        {owned_ref(Py_NewRef(future_.ptr())), owned_ref(Py_NewRef(value.ptr())), false, {}});
}

void py_promise::set_exception(nb::handle error) {
    claim();
    if (queue_->on_loop_thread()) {
        if (future_set_exception(future_.ptr(), error.ptr(), true) < 0) {
            throw nb::python_error();
        }
        return;
    }
    queue_->push(
        {owned_ref(Py_NewRef(future_.ptr())), owned_ref(Py_NewRef(error.ptr())), true, {}});
}

bool py_promise::set_from_native(owned_ref& promise, unique_function<PyObject*()> make_value) {
    py_promise* self = nb::inst_ptr<py_promise>(promise.get());
    if (self->completed_.exchange(true, std::memory_order_acq_rel)) {
        return false;
    }
    completion_queue* queue = self->queue_;
    queue->push({std::move(promise), owned_ref(), false, std::move(make_value)});
    return true;
}

PyObject* promise_future(PyObject* promise_object) {
    return nb::inst_ptr<py_promise>(promise_object)->future().ptr();
}

int py_promise::traverse(PyObject* self, visitproc visit, void* arg) {
    Py_VISIT(Py_TYPE(self));
    if (!nb::inst_ready(self)) {
        return 0;
    }
    py_promise* promise = nb::inst_ptr<py_promise>(self);
    Py_VISIT(promise->future_.ptr());
    Py_VISIT(promise->queue_owner_.ptr());
    return 0;
}

int py_promise::clear(PyObject* self) {
    py_promise* promise = nb::inst_ptr<py_promise>(self);
    promise->future_.reset();
    promise->queue_owner_.reset();
    promise->queue_ = nullptr;
    return 0;
}

namespace {

int queue_traverse(PyObject* self, visitproc visit, void* arg) {
    Py_VISIT(Py_TYPE(self));
    if (!nb::inst_ready(self)) {
        return 0;
    }
    return nb::inst_ptr<completion_queue>(self)->traverse(visit, arg);
}

int queue_clear(PyObject* self) {
    nb::inst_ptr<completion_queue>(self)->clear();
    return 0;
}

PyType_Slot queue_slots[] = {
    {Py_tp_traverse, reinterpret_cast<void*>(queue_traverse)},
    {Py_tp_clear, reinterpret_cast<void*>(queue_clear)},
    {0, nullptr},
};

PyType_Slot promise_slots[] = {
    {Py_tp_traverse, reinterpret_cast<void*>(py_promise::traverse)},
    {Py_tp_clear, reinterpret_cast<void*>(py_promise::clear)},
    {0, nullptr},
};

}  // namespace

void bind_completion_queue(nb::module_& m) {
    nb::class_<completion_queue>(
        m, "CompletionQueue",
        "The per-loop queue through which other threads complete futures (one per loop; see "
        "fasterapi_futures._queues).",
        nb::type_slots(queue_slots), nb::is_weak_referenceable())
        .def(nb::init<>())
        .def("fileno", &completion_queue::fileno, "The eventfd the loop watches.")
        .def("bind_to_current_thread", &completion_queue::bind_to_current_thread,
             "Record the calling thread as the loop's (called on the loop thread).")
        .def("drain", &completion_queue::drain,
             "Deliver every queued completion (the loop's reader callback); returns how many.");
}

void bind_promise(nb::module_& m) {
    nb::class_<py_promise>(m, "Promise",
                           "Promise(*, loop=None)\n\n"
                           "Completes its ``future`` once, from any thread. On the loop's thread "
                           "the future completes at once; from another thread the completion "
                           "goes through the loop's completion queue (lock-free, one wake-up "
                           "per burst). Completing a cancelled future does nothing.",
                           nb::type_slots(promise_slots))
        .def(nb::init<nb::handle>(), nb::kw_only(), nb::arg("loop") = nb::none())
        .def_prop_ro("future", &py_promise::future, nb::sig("def future(self) -> Future[Any]"),
                     "The Future this promise completes.")
        .def("done", &py_promise::completed, "True once set_result/set_exception was called.")
        .def("set_result", &py_promise::set_result, nb::arg("value"),
             "Complete the future with a value (any thread; once).")
        .def("set_exception", &py_promise::set_exception, nb::arg("error"),
             "Complete the future with an exception (any thread; once).");
}

}  // namespace fasterapi::futures::bindings
