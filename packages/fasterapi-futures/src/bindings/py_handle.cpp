// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/py_handle.cpp: Handle and TimerHandle of the event loop
#include "py_handle.hpp"

#include <cstring>

#include "loop_core.hpp"

namespace fasterapi::futures::bindings {

PyTypeObject* handle_type = nullptr;
PyTypeObject* timer_handle_type = nullptr;

namespace {

handle_object* as_handle(PyObject* self) {
    return reinterpret_cast<handle_object*>(self);
}

// Memory of dead Handles (not TimerHandles), reused by handle_new: scheduling a callback is
// the loop's hottest path, and this spares it a malloc and a free. Handles have no finalizer,
// so a recycled object starts as a new one. Only touched with the GIL held.
constexpr int max_recycled_handles = 2048;  // a burst of call_soon recycles them all
PyObject* recycled_handles[max_recycled_handles];
int recycled_count = 0;

// The callback raised: report it as asyncio's Handle._run does.
int report_failure(PyObject* self) {
    if (PyErr_ExceptionMatches(PyExc_SystemExit) ||
        PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)) {
        return -1;
    }
    handle_object* handle = as_handle(self);
    PyObject *type, *error, *traceback;
    PyErr_Fetch(&type, &error, &traceback);
    PyErr_NormalizeException(&type, &error, &traceback);
    if (traceback != nullptr) {
        PyException_SetTraceback(error, traceback);
    }
    PyObject* message = PyUnicode_FromFormat("Exception in callback %R", self);
    PyObject* details = message != nullptr ? Py_BuildValue("{s:O,s:O,s:O}", "message", message,
                                                           "exception", error, "handle", self)
                                           : nullptr;
    PyObject* handled =
        details != nullptr
            ? PyObject_CallMethod(handle->loop, "call_exception_handler", "O", details)
            : nullptr;
    if (handled == nullptr) {
        PyErr_WriteUnraisable(self);
    }
    Py_XDECREF(handled);
    Py_XDECREF(details);
    Py_XDECREF(message);
    Py_XDECREF(type);
    Py_XDECREF(error);
    Py_XDECREF(traceback);
    return 0;
}

void drop_callback(handle_object* handle) {
    Py_CLEAR(handle->callback);
    Py_CLEAR(handle->args);
}

PyObject* handle_cancel(PyObject* self, PyObject*) {
    handle_object* handle = as_handle(self);
    if (!handle->cancelled) {
        handle->cancelled = true;
        drop_callback(handle);
        if (handle->core != nullptr) {
            loop_core::cancel_timer(handle->core, self);
        }
    }
    Py_RETURN_NONE;
}

PyObject* handle_cancelled(PyObject* self, PyObject*) {
    return PyBool_FromLong(as_handle(self)->cancelled);
}

PyObject* handle_get_context(PyObject* self, PyObject*) {
    handle_unpark_context(self);
    return Py_NewRef(as_handle(self)->context);
}

PyObject* handle_when(PyObject* self, PyObject*) {
    return PyFloat_FromDouble(as_handle(self)->when);
}

PyObject* handle_repr(PyObject* self) {
    handle_object* handle = as_handle(self);
    const char* name = Py_TYPE(self) == timer_handle_type ? "TimerHandle" : "Handle";
    if (handle->cancelled) {
        return PyUnicode_FromFormat("<%s cancelled>", name);
    }
    return PyUnicode_FromFormat("<%s %R%R>", name, handle->callback, handle->args);
}

int handle_traverse(PyObject* self, visitproc visit, void* arg) {
    handle_object* handle = as_handle(self);
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(handle->callback);
    Py_VISIT(handle->args);
    Py_VISIT(handle->context);
    Py_VISIT(handle->loop);
    Py_VISIT(handle->core);
    return 0;
}

int handle_clear(PyObject* self) {
    handle_object* handle = as_handle(self);
    handle_unpark_context(self);
    drop_callback(handle);
    Py_CLEAR(handle->context);
    Py_CLEAR(handle->loop);
    Py_CLEAR(handle->core);
    return 0;
}

void handle_dealloc(PyObject* self) {
    PyTypeObject* type = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    handle_clear(self);
    if (type == handle_type && recycled_count < max_recycled_handles) {
        recycled_handles[recycled_count++] = self;
    } else {
        type->tp_free(self);
    }
    Py_DECREF(type);
}

// A zeroed, untracked Handle object of TYPE with one reference (recycled when possible).
PyObject* allocate_handle(PyTypeObject* type) {
    if (type == handle_type && recycled_count > 0) {
        PyObject* reused = recycled_handles[--recycled_count];
        std::memset(reinterpret_cast<char*>(reused) + sizeof(PyObject), 0,
                    sizeof(handle_object) - sizeof(PyObject));
        return PyObject_Init(reused, type);  // a new reference to it and to its type
    }
    PyObject* created = type->tp_alloc(type, 0);
    if (created != nullptr) {
        PyObject_GC_UnTrack(created);  // tp_alloc tracks it; handle_new's caller decides
    }
    return created;
}

PyMethodDef handle_methods[] = {
    {"cancel", handle_cancel, METH_NOARGS, "Cancel the callback if it has not run yet."},
    {"cancelled", handle_cancelled, METH_NOARGS, "True once cancel() was called."},
    {"get_context", handle_get_context, METH_NOARGS, "The contextvars.Context it runs in."},
    {nullptr, nullptr, 0, nullptr},
};

PyMethodDef timer_methods[] = {
    {"when", handle_when, METH_NOARGS, "When it is scheduled, on the loop's clock."},
    {nullptr, nullptr, 0, nullptr},
};

PyType_Slot handle_slots[] = {
    {Py_tp_doc, const_cast<char*>("A callback scheduled on fasterapi_futures.EventLoop "
                                  "(as asyncio.Handle).")},
    {Py_tp_dealloc, reinterpret_cast<void*>(handle_dealloc)},
    {Py_tp_traverse, reinterpret_cast<void*>(handle_traverse)},
    {Py_tp_clear, reinterpret_cast<void*>(handle_clear)},
    {Py_tp_repr, reinterpret_cast<void*>(handle_repr)},
    {Py_tp_methods, handle_methods},
    {0, nullptr},
};

PyType_Slot timer_slots[] = {
    {Py_tp_doc, const_cast<char*>("A callback scheduled for a time (as asyncio.TimerHandle).")},
    {Py_tp_traverse, reinterpret_cast<void*>(handle_traverse)},
    {Py_tp_clear, reinterpret_cast<void*>(handle_clear)},
    {Py_tp_methods, timer_methods},
    {0, nullptr},
};

PyType_Spec handle_spec = {
    "fasterapi_futures._futures.Handle",
    sizeof(handle_object),
    0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    handle_slots,
};

PyType_Spec timer_spec = {
    "fasterapi_futures._futures.TimerHandle", sizeof(handle_object), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,  timer_slots,
};

}  // namespace

bool register_handle_types(PyObject* module) {
    PyObject* base = PyType_FromSpec(&handle_spec);
    if (base == nullptr) {
        return false;
    }
    PyObject* timer = PyType_FromSpecWithBases(&timer_spec, base);
    if (timer == nullptr) {
        Py_DECREF(base);
        return false;
    }
    handle_type = reinterpret_cast<PyTypeObject*>(base);
    timer_handle_type = reinterpret_cast<PyTypeObject*>(timer);
    Py_INCREF(base);  // one reference for the module, one for this file
    Py_INCREF(timer);
    return PyModule_AddObject(module, "Handle", base) == 0 &&
           PyModule_AddObject(module, "TimerHandle", timer) == 0;
}

PyObject* handle_new(PyTypeObject* type, PyObject* callback, PyObject* const* args,
                     Py_ssize_t nargs, PyObject* context, PyObject* loop) {
    PyObject* arguments = PyTuple_New(nargs);
    if (arguments == nullptr) {
        return nullptr;
    }
    for (Py_ssize_t i = 0; i < nargs; ++i) {
        PyTuple_SET_ITEM(arguments, i, Py_NewRef(args[i]));
    }
    const bool copied = context == nullptr || context == Py_None;
    PyObject* captured = copied ? PyContext_CopyCurrent() : Py_NewRef(context);
    PyObject* created = captured != nullptr ? allocate_handle(type) : nullptr;
    if (created == nullptr) {
        Py_DECREF(arguments);
        Py_XDECREF(captured);
        return nullptr;
    }
    handle_object* handle = as_handle(created);
    handle->callback = Py_NewRef(callback);
    handle->args = arguments;
    handle->context = captured;
    handle->loop = Py_NewRef(loop);
    if (copied) {
        PyObject_GC_UnTrack(captured);
        handle->context_parked = true;
    }
    return created;
}

void handle_unpark_context(PyObject* self) noexcept {
    handle_object* handle = as_handle(self);
    if (handle->context_parked) {
        handle->context_parked = false;
        PyObject_GC_Track(handle->context);
    }
}

int handle_run(PyObject* self) {
    handle_object* handle = as_handle(self);
    if (handle->cancelled) {
        return 0;
    }
    // Own references for the call: the callback may cancel (and so release) its own handle.
    PyObject* callback = Py_NewRef(handle->callback);
    PyObject* args = Py_NewRef(handle->args);
    PyObject* context = Py_NewRef(handle->context);
    int status = 0;
    if (PyContext_Enter(context) < 0) {
        status = report_failure(self);
    } else {
        PyObject* result =
            PyObject_Vectorcall(callback, &PyTuple_GET_ITEM(args, 0),
                                static_cast<size_t>(PyTuple_GET_SIZE(args)), nullptr);
        if (result == nullptr) {
            PyObject *type, *error, *traceback;
            PyErr_Fetch(&type, &error, &traceback);
            PyContext_Exit(context);
            PyErr_Restore(type, error, traceback);
            status = report_failure(self);
        } else {
            Py_DECREF(result);
            if (PyContext_Exit(context) < 0) {
                status = report_failure(self);
            }
        }
    }
    Py_DECREF(callback);
    Py_DECREF(args);
    Py_DECREF(context);
    return status;
}

}  // namespace fasterapi::futures::bindings
