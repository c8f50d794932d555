// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/py_future.cpp: Future, following asyncio's future protocol
//
// Written against the C API rather than through nanobind so that awaiting is a slot call:
// `await future` goes through am_send (no iterator object, no StopIteration for a ready
// result), and the fields are plain struct members. The semantics are asyncio.Future's, line
// for line: InvalidStateError on misuse, CancelledError with the cancel message, callbacks
// scheduled through loop.call_soon with their contextvars context, "exception was never
// retrieved" reported to the loop's exception handler.
#include "py_future.hpp"

#include <structmember.h>

#include <cstring>

#include "keywords.hpp"
#include "loop_core.hpp"

namespace fasterapi::futures::bindings {

PyTypeObject* future_type = nullptr;

namespace {

enum class future_state : unsigned char { pending, cancelled, finished };

struct future_object {
    PyObject_HEAD PyObject* loop;
    PyObject* result;
    PyObject* exception;
    PyObject* exception_traceback;
    PyObject* cancel_message;
    // The first callback lives in these two fields (a task awaiting the future is almost
    // always the only one); further ones in a list of (fn, context) tuples.
    PyObject* first_callback;
    PyObject* first_context;
    PyObject* callbacks;
    PyObject* weakrefs;
    future_state state;
    bool blocking;       // asyncio's _asyncio_future_blocking
    bool log_traceback;  // an exception nobody has retrieved yet
};

future_object* as_future(PyObject* self) {
    return reinterpret_cast<future_object*>(self);
}

// asyncio's exception classes and helpers, looked up once.
struct asyncio_names {
    PyObject* invalid_state_error = nullptr;
    PyObject* cancelled_error = nullptr;
    PyObject* get_running_loop = nullptr;
    PyObject* running_loop_or_none = nullptr;  // asyncio._get_running_loop
    PyObject* copy_context = nullptr;
    PyObject* call_soon = nullptr;  // interned method name
    PyObject* context_kwnames = nullptr;
};
asyncio_names names;

bool load_names() {
    PyObject* asyncio = PyImport_ImportModule("asyncio");
    if (asyncio == nullptr) {
        return false;
    }
    PyObject* contextvars = PyImport_ImportModule("contextvars");
    if (contextvars == nullptr) {
        Py_DECREF(asyncio);
        return false;
    }
    names.invalid_state_error = PyObject_GetAttrString(asyncio, "InvalidStateError");
    names.cancelled_error = PyObject_GetAttrString(asyncio, "CancelledError");
    names.get_running_loop = PyObject_GetAttrString(asyncio, "get_running_loop");
    names.running_loop_or_none = PyObject_GetAttrString(asyncio, "_get_running_loop");
    names.copy_context = PyObject_GetAttrString(contextvars, "copy_context");
    names.call_soon = PyUnicode_InternFromString("call_soon");
    names.context_kwnames = Py_BuildValue("(s)", "context");
    Py_DECREF(asyncio);
    Py_DECREF(contextvars);
    return names.invalid_state_error && names.cancelled_error && names.get_running_loop &&
           names.running_loop_or_none && names.copy_context && names.call_soon &&
           names.context_kwnames;
}

const char* state_name(future_state state) {
    switch (state) {
        case future_state::pending:
            return "PENDING";
        case future_state::cancelled:
            return "CANCELLED";
        case future_state::finished:
            break;
    }
    return "FINISHED";
}

int raise_invalid_state(const char* what) {
    PyErr_SetString(names.invalid_state_error, what);
    return -1;
}

// loop.call_soon(fn, future, context=context)
int call_soon(PyObject* loop, PyObject* fn, PyObject* future, PyObject* context) {
    if (loop_core* core = loop_core::direct_scheduler(loop)) {
        return core->schedule_soon(fn, future, context);
    }
    PyObject* args[] = {loop, fn, future, context};
    PyObject* handle = PyObject_VectorcallMethod(
        names.call_soon, args, 3 | PY_VECTORCALL_ARGUMENTS_OFFSET, names.context_kwnames);
    if (handle == nullptr) {
        return -1;
    }
    Py_DECREF(handle);
    return 0;
}

// Hands every registered callback to the loop, in registration order.
int schedule_callbacks(future_object* self) {
    PyObject* fn = self->first_callback;
    if (fn == nullptr) {
        return 0;
    }
    PyObject* context = self->first_context;
    PyObject* callbacks = self->callbacks;
    self->first_callback = nullptr;
    self->first_context = nullptr;
    self->callbacks = nullptr;
    PyObject* me = reinterpret_cast<PyObject*>(self);
    int status = call_soon(self->loop, fn, me, context);
    Py_DECREF(fn);
    Py_DECREF(context);
    if (callbacks != nullptr) {
        const Py_ssize_t count = PyList_GET_SIZE(callbacks);
        for (Py_ssize_t i = 0; i < count && status == 0; ++i) {
            PyObject* entry = PyList_GET_ITEM(callbacks, i);
            status =
                call_soon(self->loop, PyTuple_GET_ITEM(entry, 0), me, PyTuple_GET_ITEM(entry, 1));
        }
        Py_DECREF(callbacks);
    }
    return status;
}

PyObject* make_cancelled_error(future_object* self) {
    if (self->cancel_message == nullptr || self->cancel_message == Py_None) {
        return PyObject_CallNoArgs(names.cancelled_error);
    }
    return PyObject_CallOneArg(names.cancelled_error, self->cancel_message);
}

// Raises what result() raises for a done future that did not finish with a value; returns
// the value (a new reference) otherwise.
PyObject* take_result(future_object* self) {
    if (self->state == future_state::cancelled) {
        PyObject* error = make_cancelled_error(self);
        if (error != nullptr) {
            PyErr_SetObject(names.cancelled_error, error);
            Py_DECREF(error);
        }
        return nullptr;
    }
    if (self->state == future_state::pending) {
        raise_invalid_state("Result is not ready.");
        return nullptr;
    }
    self->log_traceback = false;
    if (self->exception != nullptr) {
        PyObject* error = self->exception;
        if (self->exception_traceback != nullptr) {
            PyException_SetTraceback(error, self->exception_traceback);
        }
        PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(error)), error);
        return nullptr;
    }
    return Py_NewRef(self->result);
}

// --- construction and lifetime ---------------------------------------------------------------

// The loop a new Future binds to: `loop`, or the running one (a new reference; nullptr with
// an error set when there is neither).
PyObject* loop_for_new_future(PyObject* loop) {
    if (loop != nullptr && loop != Py_None) {
        return Py_NewRef(loop);
    }
    PyObject* running = PyObject_CallNoArgs(names.running_loop_or_none);
    if (running == Py_None) {
        Py_DECREF(running);
        PyErr_SetString(PyExc_RuntimeError,
                        "Future() outside a running event loop: pass loop=... explicitly");
        return nullptr;
    }
    return running;
}

// Future(*, loop=None), for subclasses (Future itself is created by future_vectorcall).
int future_init(PyObject* self_object, PyObject* args, PyObject* kwargs) {
    static const char* keywords[] = {"loop", nullptr};
    PyObject* loop = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|$O:Future", const_cast<char**>(keywords),
                                     &loop)) {
        return -1;
    }
    PyObject* bound = loop_for_new_future(loop);
    if (bound == nullptr) {
        return -1;
    }
    Py_XSETREF(as_future(self_object)->loop, bound);
    return 0;
}

PyObject* allocate_future(PyTypeObject* type);  // below, with the recycled memory

// Future(*, loop=None) without an argument tuple, a keyword dict or a separate __init__ call:
// creating futures is on the hot path of every await.
PyObject* future_vectorcall(PyObject* type, PyObject* const* args, size_t nargsf,
                            PyObject* kwnames) {
    static const keyword_name loop_keyword("loop");
    PyObject* loop = nullptr;
    const Py_ssize_t keywords = kwnames != nullptr ? PyTuple_GET_SIZE(kwnames) : 0;
    if (PyVectorcall_NARGS(nargsf) != 0 || keywords > 1 ||
        (keywords == 1 && !loop_keyword.matches(PyTuple_GET_ITEM(kwnames, 0)))) {
        PyErr_SetString(PyExc_TypeError, "Future() takes one optional keyword argument, loop");
        return nullptr;
    }
    if (keywords == 1) {
        loop = args[0];
    }
    PyObject* bound = loop_for_new_future(loop);
    if (bound == nullptr) {
        return nullptr;
    }
    PyTypeObject* future_class = reinterpret_cast<PyTypeObject*>(type);
    PyObject* created = allocate_future(future_class);
    if (created == nullptr) {
        Py_DECREF(bound);
        return nullptr;
    }
    as_future(created)->loop = bound;
    return created;
}

int future_traverse(PyObject* self_object, visitproc visit, void* arg) {
    future_object* self = as_future(self_object);
    Py_VISIT(Py_TYPE(self_object));
    Py_VISIT(self->loop);
    Py_VISIT(self->result);
    Py_VISIT(self->exception);
    Py_VISIT(self->exception_traceback);
    Py_VISIT(self->cancel_message);
    Py_VISIT(self->first_callback);
    Py_VISIT(self->first_context);
    Py_VISIT(self->callbacks);
    return 0;
}

int future_clear(PyObject* self_object) {
    future_object* self = as_future(self_object);
    Py_CLEAR(self->loop);
    Py_CLEAR(self->result);
    Py_CLEAR(self->exception);
    Py_CLEAR(self->exception_traceback);
    Py_CLEAR(self->cancel_message);
    Py_CLEAR(self->first_callback);
    Py_CLEAR(self->first_context);
    Py_CLEAR(self->callbacks);
    return 0;
}

// asyncio.Future.__del__: an exception nobody retrieved goes to the loop's exception handler.
void future_finalize(PyObject* self_object) {
    future_object* self = as_future(self_object);
    if (!self->log_traceback || self->loop == nullptr || self->exception == nullptr) {
        return;
    }
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    PyObject* context =
        Py_BuildValue("{s:s,s:O,s:O}", "message", "Future exception was never retrieved",
                      "exception", self->exception, "future", self_object);
    if (context != nullptr) {
        PyObject* handled = PyObject_CallMethod(self->loop, "call_exception_handler", "O", context);
        Py_XDECREF(handled);
        Py_DECREF(context);
    }
    if (PyErr_Occurred()) {
        PyErr_WriteUnraisable(self_object);
    }
    PyErr_Restore(type, value, traceback);
}

// Memory of dead Futures, reused by new ones: creating a future is on the path of every
// await. Only futures that never went through a finalizer are kept (CPython marks a finalized
// object, and a reused one must be able to report its own unretrieved exception), so the
// finalizer runs only when there is something to report. Touched with the GIL held.
constexpr int max_recycled_futures = 256;
PyObject* recycled_futures[max_recycled_futures];
int recycled_future_count = 0;

void future_dealloc(PyObject* self_object) {
    if (as_future(self_object)->log_traceback &&
        PyObject_CallFinalizerFromDealloc(self_object) < 0) {
        return;  // resurrected by the exception handler
    }
    PyTypeObject* type = Py_TYPE(self_object);
    PyObject_GC_UnTrack(self_object);
    if (as_future(self_object)->weakrefs != nullptr) {
        PyObject_ClearWeakRefs(self_object);
    }
    future_clear(self_object);
    if (type == future_type && !PyObject_GC_IsFinalized(self_object) &&
        recycled_future_count < max_recycled_futures) {
        recycled_futures[recycled_future_count++] = self_object;
    } else {
        type->tp_free(self_object);
    }
    Py_DECREF(type);
}

// A zeroed, tracked Future of TYPE with one reference (recycled memory when possible).
PyObject* allocate_future(PyTypeObject* type) {
    if (type != future_type || recycled_future_count == 0) {
        return type->tp_alloc(type, 0);
    }
    PyObject* reused = recycled_futures[--recycled_future_count];
    std::memset(reinterpret_cast<char*>(reused) + sizeof(PyObject), 0,
                sizeof(future_object) - sizeof(PyObject));
    PyObject_Init(reused, type);  // a new reference to it and to its type
    PyObject_GC_Track(reused);
    return reused;
}

// --- the protocol ----------------------------------------------------------------------------

PyObject* future_result(PyObject* self, PyObject*) {
    return take_result(as_future(self));
}

PyObject* future_exception(PyObject* self_object, PyObject*) {
    future_object* self = as_future(self_object);
    if (self->state == future_state::cancelled) {
        return take_result(self);
    }
    if (self->state == future_state::pending) {
        raise_invalid_state("Exception is not set.");
        return nullptr;
    }
    self->log_traceback = false;
    return Py_NewRef(self->exception != nullptr ? self->exception : Py_None);
}

PyObject* future_done(PyObject* self, PyObject*) {
    return PyBool_FromLong(as_future(self)->state != future_state::pending);
}

PyObject* future_cancelled(PyObject* self, PyObject*) {
    return PyBool_FromLong(as_future(self)->state == future_state::cancelled);
}

PyObject* future_get_loop(PyObject* self, PyObject*) {
    return Py_NewRef(as_future(self)->loop);
}

PyObject* future_set_result_method(PyObject* self, PyObject* value) {
    return future_set_result(self, value, false) < 0 ? nullptr : Py_NewRef(Py_None);
}

PyObject* future_set_exception_method(PyObject* self, PyObject* error) {
    return future_set_exception(self, error, false) < 0 ? nullptr : Py_NewRef(Py_None);
}

PyObject* future_cancel(PyObject* self_object, PyObject* const* args, Py_ssize_t nargs,
                        PyObject* kwnames) {
    static const keyword_name msg_keyword("msg");
    PyObject* message = Py_None;
    const Py_ssize_t given = nargs + (kwnames != nullptr ? PyTuple_GET_SIZE(kwnames) : 0);
    if (given > 1 || (kwnames != nullptr && PyTuple_GET_SIZE(kwnames) == 1 &&
                      !msg_keyword.matches(PyTuple_GET_ITEM(kwnames, 0)))) {
        PyErr_SetString(PyExc_TypeError, "cancel() takes one optional argument, msg");
        return nullptr;
    }
    if (given == 1) {
        message = args[0];
    }
    future_object* self = as_future(self_object);
    self->log_traceback = false;
    if (self->state != future_state::pending) {
        Py_RETURN_FALSE;
    }
    self->state = future_state::cancelled;
    Py_XSETREF(self->cancel_message, Py_NewRef(message));
    if (schedule_callbacks(self) < 0) {
        return nullptr;
    }
    Py_RETURN_TRUE;
}

PyObject* future_add_done_callback(PyObject* self_object, PyObject* const* args, Py_ssize_t nargs,
                                   PyObject* kwnames) {
    PyObject* fn = nullptr;
    PyObject* context = Py_None;
    if (nargs == 1) {
        fn = args[0];
    }
    const Py_ssize_t keywords = kwnames != nullptr ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t i = 0; i < keywords; ++i) {
        if (!is_context_keyword(PyTuple_GET_ITEM(kwnames, i))) {
            PyErr_Format(PyExc_TypeError,
                         "add_done_callback() got an unexpected keyword argument '%U'",
                         PyTuple_GET_ITEM(kwnames, i));
            return nullptr;
        }
        context = args[nargs + i];
    }
    if (fn == nullptr) {
        PyErr_SetString(PyExc_TypeError, "add_done_callback() takes one positional argument, fn");
        return nullptr;
    }
    future_object* self = as_future(self_object);
    if (self->state != future_state::pending) {
        if (context == Py_None) {
            PyObject* copied = PyObject_CallNoArgs(names.copy_context);
            if (copied == nullptr) {
                return nullptr;
            }
            const int status = call_soon(self->loop, fn, self_object, copied);
            Py_DECREF(copied);
            return status < 0 ? nullptr : Py_NewRef(Py_None);
        }
        return call_soon(self->loop, fn, self_object, context) < 0 ? nullptr : Py_NewRef(Py_None);
    }
    PyObject* copied = nullptr;
    if (context == Py_None) {
        copied = PyObject_CallNoArgs(names.copy_context);
        if (copied == nullptr) {
            return nullptr;
        }
        context = copied;
    }
    if (self->first_callback == nullptr) {
        self->first_callback = Py_NewRef(fn);
        self->first_context = Py_NewRef(context);
        Py_XDECREF(copied);
        Py_RETURN_NONE;
    }
    PyObject* entry = PyTuple_Pack(2, fn, context);
    Py_XDECREF(copied);
    if (entry == nullptr) {
        return nullptr;
    }
    if (self->callbacks == nullptr) {
        self->callbacks = PyList_New(0);
        if (self->callbacks == nullptr) {
            Py_DECREF(entry);
            return nullptr;
        }
    }
    const int status = PyList_Append(self->callbacks, entry);
    Py_DECREF(entry);
    return status < 0 ? nullptr : Py_NewRef(Py_None);
}

PyObject* future_remove_done_callback(PyObject* self_object, PyObject* fn) {
    future_object* self = as_future(self_object);
    Py_ssize_t removed = 0;
    // Gather the survivors (the first one included) into a list, then refill the fields.
    PyObject* kept = PyList_New(0);
    if (kept == nullptr) {
        return nullptr;
    }
    auto keep_unless_same = [&](PyObject* entry_fn, PyObject* entry_context) -> int {
        const int same = PyObject_RichCompareBool(entry_fn, fn, Py_EQ);
        if (same != 0) {
            removed += same > 0 ? 1 : 0;
            return same < 0 ? -1 : 0;
        }
        PyObject* entry = PyTuple_Pack(2, entry_fn, entry_context);
        const int status = entry != nullptr ? PyList_Append(kept, entry) : -1;
        Py_XDECREF(entry);
        return status;
    };
    int status = 0;
    if (self->first_callback != nullptr) {
        status = keep_unless_same(self->first_callback, self->first_context);
    }
    for (Py_ssize_t i = 0;
         status == 0 && self->callbacks != nullptr && i < PyList_GET_SIZE(self->callbacks); ++i) {
        PyObject* entry = PyList_GET_ITEM(self->callbacks, i);
        status = keep_unless_same(PyTuple_GET_ITEM(entry, 0), PyTuple_GET_ITEM(entry, 1));
    }
    if (status < 0) {
        Py_DECREF(kept);
        return nullptr;
    }
    Py_CLEAR(self->first_callback);
    Py_CLEAR(self->first_context);
    Py_CLEAR(self->callbacks);
    if (PyList_GET_SIZE(kept) > 0) {
        PyObject* first = PyList_GET_ITEM(kept, 0);
        self->first_callback = Py_NewRef(PyTuple_GET_ITEM(first, 0));
        self->first_context = Py_NewRef(PyTuple_GET_ITEM(first, 1));
        if (PyList_SetSlice(kept, 0, 1, nullptr) < 0) {
            Py_DECREF(kept);
            return nullptr;
        }
    }
    if (PyList_GET_SIZE(kept) > 0) {
        self->callbacks = kept;
    } else {
        Py_DECREF(kept);
    }
    return PyLong_FromSsize_t(removed);
}

// `await future`: pending -> yield the future itself (the task waits on it); done -> return
// the result or raise.
PySendResult future_send(PyObject* self_object, PyObject*, PyObject** result) {
    future_object* self = as_future(self_object);
    if (self->state == future_state::pending) {
        self->blocking = true;
        *result = Py_NewRef(self_object);
        return PYGEN_NEXT;
    }
    *result = take_result(self);
    return *result != nullptr ? PYGEN_RETURN : PYGEN_ERROR;
}

PyObject* future_iternext(PyObject* self_object) {
    PyObject* result = nullptr;
    switch (future_send(self_object, Py_None, &result)) {
        case PYGEN_NEXT:
            return result;
        case PYGEN_RETURN:
            // A StopIteration carrying the value, built so a tuple or exception value survives.
            if (PyObject* stop = PyObject_CallOneArg(PyExc_StopIteration, result)) {
                PyErr_SetObject(PyExc_StopIteration, stop);
                Py_DECREF(stop);
            }
            Py_DECREF(result);
            return nullptr;
        case PYGEN_ERROR:
            break;
    }
    return nullptr;
}

PyObject* future_await(PyObject* self) {
    return Py_NewRef(self);
}

PyObject* future_repr(PyObject* self_object) {
    future_object* self = as_future(self_object);
    // As asyncio.Future's repr: the bare class name.
    const char* type_name = Py_TYPE(self_object)->tp_name;
    if (const char* dot = std::strrchr(type_name, '.')) {
        type_name = dot + 1;
    }
    if (self->state == future_state::finished) {
        if (self->exception != nullptr) {
            return PyUnicode_FromFormat("<%s finished exception=%R>", type_name, self->exception);
        }
        return PyUnicode_FromFormat("<%s finished result=%R>", type_name, self->result);
    }
    return PyUnicode_FromFormat("<%s %s>", type_name,
                                self->state == future_state::pending ? "pending" : "cancelled");
}

PyObject* get_blocking(PyObject* self, void*) {
    return PyBool_FromLong(as_future(self)->blocking);
}

int set_blocking(PyObject* self, PyObject* value, void*) {
    if (value == nullptr) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete _asyncio_future_blocking");
        return -1;
    }
    const int truth = PyObject_IsTrue(value);
    if (truth < 0) {
        return -1;
    }
    as_future(self)->blocking = truth != 0;
    return 0;
}

PyObject* get_loop_attribute(PyObject* self, void*) {
    return Py_NewRef(as_future(self)->loop);
}

PyObject* get_state(PyObject* self, void*) {
    return PyUnicode_FromString(state_name(as_future(self)->state));
}

PyObject* get_log_traceback(PyObject* self, void*) {
    return PyBool_FromLong(as_future(self)->log_traceback);
}

int set_log_traceback(PyObject* self, PyObject* value, void*) {
    if (value == nullptr || PyObject_IsTrue(value) != 0) {
        PyErr_SetString(PyExc_ValueError, "_log_traceback can only be set to False");
        return -1;
    }
    as_future(self)->log_traceback = false;
    return 0;
}

// then(fn): chaining is not on the await path, so it is written in Python
// (fasterapi_futures/_then.py) and looked up on first use.
PyObject* future_then(PyObject* self, PyObject* fn) {
    static PyObject* then_impl = nullptr;
    if (then_impl == nullptr) {
        PyObject* module = PyImport_ImportModule("fasterapi_futures._then");
        if (module == nullptr) {
            return nullptr;
        }
        then_impl = PyObject_GetAttrString(module, "then");
        Py_DECREF(module);
        if (then_impl == nullptr) {
            return nullptr;
        }
    }
    return PyObject_CallFunctionObjArgs(then_impl, self, fn, nullptr);
}

PyMethodDef future_methods[] = {
    {"then", future_then, METH_O,
     "then(fn): a new Future with fn(result); failures and cancellation pass through."},
    {"result", future_result, METH_NOARGS, "The result; raises the exception or CancelledError."},
    {"exception", future_exception, METH_NOARGS,
     "The exception (None when it finished with a value)."},
    {"done", future_done, METH_NOARGS, "True once it has a result, an exception or was cancelled."},
    {"cancelled", future_cancelled, METH_NOARGS, "True if it was cancelled."},
    {"get_loop", future_get_loop, METH_NOARGS, "The event loop it is bound to."},
    {"set_result", future_set_result_method, METH_O, "Finish with a value (loop thread only)."},
    {"set_exception", future_set_exception_method, METH_O,
     "Finish with an exception (loop thread only)."},
    {"cancel", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(future_cancel)),
     METH_FASTCALL | METH_KEYWORDS,
     "cancel(msg=None): cancel unless done; True if it was pending."},
    {"add_done_callback",
     reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(future_add_done_callback)),
     METH_FASTCALL | METH_KEYWORDS,
     "Schedule fn(future) through loop.call_soon once done (in contextvars context= or a copy)."},
    {"remove_done_callback", future_remove_done_callback, METH_O,
     "Remove every registration of fn; returns how many."},
    {"__class_getitem__", Py_GenericAlias, METH_O | METH_CLASS, "Future[T] for annotations."},
    {nullptr, nullptr, 0, nullptr},
};

PyGetSetDef future_getset[] = {
    {"_asyncio_future_blocking", get_blocking, set_blocking,
     "asyncio's marker: set while a task waits on this future.", nullptr},
    {"_loop", get_loop_attribute, nullptr, "The event loop (as asyncio.Future._loop).", nullptr},
    {"_state", get_state, nullptr, "PENDING, CANCELLED or FINISHED.", nullptr},
    {"_log_traceback", get_log_traceback, set_log_traceback,
     "Whether an unretrieved exception will be reported.", nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

PyMemberDef future_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(future_object, weakrefs), READONLY, nullptr},
    {nullptr, 0, 0, 0, nullptr},
};

PyType_Slot future_slots[] = {
    {Py_tp_doc,
     const_cast<char*>("Future(*, loop=None)\n--\n\n"
                       "A native future that follows asyncio's future protocol: any task on any "
                       "loop can await it.")},
    {Py_tp_init, reinterpret_cast<void*>(future_init)},
    {Py_tp_new, reinterpret_cast<void*>(PyType_GenericNew)},
    {Py_tp_dealloc, reinterpret_cast<void*>(future_dealloc)},
    {Py_tp_finalize, reinterpret_cast<void*>(future_finalize)},
    {Py_tp_traverse, reinterpret_cast<void*>(future_traverse)},
    {Py_tp_clear, reinterpret_cast<void*>(future_clear)},
    {Py_tp_repr, reinterpret_cast<void*>(future_repr)},
    {Py_tp_iter, reinterpret_cast<void*>(future_await)},
    {Py_tp_iternext, reinterpret_cast<void*>(future_iternext)},
    {Py_am_await, reinterpret_cast<void*>(future_await)},
    {Py_am_send, reinterpret_cast<void*>(future_send)},
    {Py_tp_methods, future_methods},
    {Py_tp_getset, future_getset},
    {Py_tp_members, future_members},
    {0, nullptr},
};

PyType_Spec future_spec = {
    "fasterapi_futures._futures.Future",
    sizeof(future_object),
    0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    future_slots,
};

}  // namespace

bool register_future_type(PyObject* module) {
    if (!load_names()) {
        return false;
    }
    PyObject* type = PyType_FromSpec(&future_spec);
    if (type == nullptr) {
        return false;
    }
    future_type = reinterpret_cast<PyTypeObject*>(type);
    // Calls of the class itself skip tp_new/tp_init (subclasses do not inherit this).
    future_type->tp_vectorcall = future_vectorcall;
    Py_INCREF(type);  // the module holds one reference, this file the other
    return PyModule_AddObject(module, "Future", type) == 0;
}

PyObject* future_new(PyObject* loop) {
    PyObject* created = allocate_future(future_type);
    if (created != nullptr) {
        as_future(created)->loop = Py_NewRef(loop);
    }
    return created;
}

PyObject* running_loop_or_none() {
    return PyObject_CallNoArgs(names.running_loop_or_none);
}

bool future_is_done(PyObject* future) {
    return as_future(future)->state != future_state::pending;
}

int future_set_result(PyObject* future, PyObject* value, bool ignore_done) {
    future_object* self = as_future(future);
    if (self->state != future_state::pending) {
        if (ignore_done) {
            return 0;
        }
        PyErr_Format(names.invalid_state_error, "%s: %R", state_name(self->state), future);
        return -1;
    }
    Py_XSETREF(self->result, Py_NewRef(value));
    self->state = future_state::finished;
    return schedule_callbacks(self);
}

int future_set_exception(PyObject* future, PyObject* error, bool ignore_done) {
    future_object* self = as_future(future);
    if (self->state != future_state::pending) {
        if (ignore_done) {
            return 0;
        }
        PyErr_Format(names.invalid_state_error, "%s: %R", state_name(self->state), future);
        return -1;
    }
    PyObject* instance = nullptr;
    if (PyExceptionClass_Check(error)) {
        instance = PyObject_CallNoArgs(error);
        if (instance == nullptr) {
            return -1;
        }
    } else if (PyExceptionInstance_Check(error)) {
        instance = Py_NewRef(error);
    } else {
        PyErr_Format(PyExc_TypeError, "set_exception() needs an exception, not %.100s",
                     Py_TYPE(error)->tp_name);
        return -1;
    }
    if (PyErr_GivenExceptionMatches(instance, PyExc_StopIteration)) {
        Py_DECREF(instance);
        PyErr_SetString(PyExc_TypeError,
                        "StopIteration interacts badly with generators and cannot be raised "
                        "into a Future");
        return -1;
    }
    Py_XSETREF(self->exception, instance);
    Py_XSETREF(self->exception_traceback, PyException_GetTraceback(instance));
    self->state = future_state::finished;
    self->log_traceback = true;
    return schedule_callbacks(self);
}

}  // namespace fasterapi::futures::bindings
