// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/handles.cpp: Handle and TimerHandle of the event loop
#include "handles.hpp"

#include <nanobind/stl/string.h>

#include "loop_core.hpp"

namespace fasterapi::futures::bindings {

namespace {

// The callback raised: SystemExit and KeyboardInterrupt leave the loop (as in asyncio);
// anything else goes to loop.call_exception_handler with the handle.
void report_failure(PyObject* self, nb::handle loop, nb::handle callback) {
    if (PyErr_ExceptionMatches(PyExc_SystemExit) ||
        PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)) {
        throw nb::python_error();
    }
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    if (traceback != nullptr) {
        PyException_SetTraceback(value, traceback);
    }
    nb::object error = nb::steal(value);
    Py_XDECREF(type);
    Py_XDECREF(traceback);
    try {
        nb::dict details;
        details["message"] = nb::str("Exception in callback {}").format(nb::repr(callback));
        details["exception"] = error;
        details["handle"] = nb::borrow(self);
        loop.attr("call_exception_handler")(details);
    } catch (nb::python_error& failure) {
        failure.restore();
        PyErr_WriteUnraisable(self);
    }
}

}  // namespace

py_handle::py_handle(nb::handle callback, nb::tuple args, nb::handle context, nb::handle loop)
    : callback_(nb::borrow(callback)), args_(std::move(args)), loop_(nb::borrow(loop)) {
    if (context.is_none()) {
        context_ = nb::steal(PyContext_CopyCurrent());
        if (!context_.is_valid()) {
            throw nb::python_error();
        }
    } else {
        context_ = nb::borrow(context);
    }
}

void py_handle::drop_callback() noexcept {
    callback_.reset();
    args_.reset();
}

void py_handle::cancel() {
    if (!cancelled_) {
        cancelled_ = true;
        drop_callback();
    }
}

nb::str py_handle::repr(nb::handle self) const {
    const std::string kind =
        nb::cast<std::string>(nb::handle(Py_TYPE(self.ptr())).attr("__name__"));
    if (cancelled_) {
        return nb::str("<{} cancelled>").format(kind);
    }
    return nb::str("<{} {}{}>").format(kind, nb::repr(callback_), nb::repr(args_));
}

void py_handle::run(PyObject* self) {
    if (cancelled_) {
        return;
    }
    // Local references: the callback may cancel (and so release) its own handle.
    nb::object callback = callback_;
    nb::object args = args_;
    nb::object context = context_;
    if (PyContext_Enter(context.ptr()) < 0) {
        report_failure(self, loop_, callback);
        return;
    }
    PyObject* result =
        PyObject_Vectorcall(callback.ptr(), &PyTuple_GET_ITEM(args.ptr(), 0),
                            static_cast<size_t>(PyTuple_GET_SIZE(args.ptr())), nullptr);
    if (result == nullptr) {
        PyObject *type, *value, *traceback;
        PyErr_Fetch(&type, &value, &traceback);
        PyContext_Exit(context.ptr());
        PyErr_Restore(type, value, traceback);
        report_failure(self, loop_, callback);
        return;
    }
    Py_DECREF(result);
    if (PyContext_Exit(context.ptr()) < 0) {
        report_failure(self, loop_, callback);
    }
}

int py_handle::traverse(PyObject* self, visitproc visit, void* arg) {
    Py_VISIT(Py_TYPE(self));
    if (!nb::inst_ready(self)) {
        return 0;
    }
    py_handle* handle = nb::inst_ptr<py_handle>(self);
    Py_VISIT(handle->callback_.ptr());
    Py_VISIT(handle->args_.ptr());
    Py_VISIT(handle->context_.ptr());
    Py_VISIT(handle->loop_.ptr());
    return 0;
}

int py_handle::clear(PyObject* self) {
    py_handle* handle = nb::inst_ptr<py_handle>(self);
    handle->drop_callback();
    handle->context_.reset();
    handle->loop_.reset();
    return 0;
}

py_timer_handle::py_timer_handle(nb::handle callback, nb::tuple args, nb::handle context,
                                 nb::handle loop, double when, nb::handle core)
    : py_handle(callback, std::move(args), context, loop), when_(when), core_(nb::borrow(core)) {}

void py_timer_handle::cancel() {
    if (cancelled_) {
        return;
    }
    py_handle::cancel();
    loop_core* core = nb::inst_ptr<loop_core>(core_);
    if (!core->closed()) {
        core->events().cancel_timer(timer_);  // drops the reactor's reference to this handle
    }
}

namespace {

PyType_Slot handle_slots[] = {
    {Py_tp_traverse, reinterpret_cast<void*>(py_handle::traverse)},
    {Py_tp_clear, reinterpret_cast<void*>(py_handle::clear)},
    {0, nullptr},
};

}  // namespace

void bind_handles(nb::module_& m) {
    nb::class_<py_handle>(
        m, "Handle", "A callback scheduled on fasterapi_futures.EventLoop (as asyncio.Handle).",
        nb::type_slots(handle_slots))
        .def("cancel", &py_handle::cancel, "Cancel the callback if it has not run yet.")
        .def("cancelled", &py_handle::cancelled, "True once cancel() was called.")
        .def("get_context", &py_handle::get_context, "The contextvars.Context it runs in.")
        .def("__repr__", [](nb::handle self) { return nb::inst_ptr<py_handle>(self)->repr(self); });
    nb::class_<py_timer_handle, py_handle>(
        m, "TimerHandle", "A callback scheduled for a time (as asyncio.TimerHandle).")
        .def("when", &py_timer_handle::when, "When it is scheduled, on the loop's clock.");
}

}  // namespace fasterapi::futures::bindings
