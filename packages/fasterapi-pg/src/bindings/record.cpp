// SPDX-License-Identifier: MIT
// fasterapi-pg/src/bindings/record.cpp: Record, a row that is both a tuple and a mapping
#include "bindings/bindings.hpp"

namespace fasterapi::pg::bindings {

// A Record is a plain CPython object, not a nanobind class: fetch makes one per row, and a
// nanobind instance costs two hash-map operations (its type's lookup, the instance registry)
// that here would cost more than decoding the row. Values live inline, as in a tuple; the
// column index (name -> position) is one dict shared by all rows of a statement.
namespace {

struct record_object {
    PyObject_VAR_HEAD PyObject* keys;
    PyObject* values[1];
};

PyTypeObject* record_type = nullptr;

record_object* as_record(PyObject* self) {
    return reinterpret_cast<record_object*>(self);
}

Py_ssize_t record_length(PyObject* self) {
    return Py_SIZE(self);
}

PyObject* record_item_at(PyObject* self, Py_ssize_t index) {
    if (index < 0 || index >= Py_SIZE(self)) {
        PyErr_SetString(PyExc_IndexError, "record index out of range");
        return nullptr;
    }
    return Py_NewRef(as_record(self)->values[index]);
}

PyObject* record_values_tuple(PyObject* self) {
    const Py_ssize_t size = Py_SIZE(self);
    PyObject* values = PyTuple_New(size);
    if (values == nullptr) return nullptr;
    for (Py_ssize_t i = 0; i < size; ++i) {
        PyTuple_SET_ITEM(values, i, Py_NewRef(as_record(self)->values[i]));
    }
    return values;
}

PyObject* record_subscript(PyObject* self, PyObject* key) {
    if (PyUnicode_Check(key)) {
        PyObject* position = PyDict_GetItemWithError(as_record(self)->keys, key);
        if (position == nullptr) {
            if (!PyErr_Occurred()) PyErr_Format(PyExc_KeyError, "record has no column %R", key);
            return nullptr;
        }
        return record_item_at(self, PyLong_AsSsize_t(position));
    }
    if (PyIndex_Check(key)) {
        Py_ssize_t index = PyNumber_AsSsize_t(key, PyExc_IndexError);
        if (index == -1 && PyErr_Occurred()) return nullptr;
        if (index < 0) index += Py_SIZE(self);
        return record_item_at(self, index);
    }
    if (PySlice_Check(key)) {
        PyObject* values = record_values_tuple(self);
        if (values == nullptr) return nullptr;
        PyObject* slice = PyObject_GetItem(values, key);
        Py_DECREF(values);
        return slice;
    }
    PyErr_Format(PyExc_TypeError, "record indices must be int, str or slice, not %.100s",
                 Py_TYPE(key)->tp_name);
    return nullptr;
}

int record_contains(PyObject* self, PyObject* name) {
    return PyDict_Contains(as_record(self)->keys, name);
}

// keys(), values() and items() as lists, in column order (a repeated column name appears
// once, at its first column).
PyObject* record_keys(PyObject* self, PyObject*) {
    return PyDict_Keys(as_record(self)->keys);
}

PyObject* record_values(PyObject* self, PyObject*) {
    const Py_ssize_t size = Py_SIZE(self);
    PyObject* values = PyList_New(size);
    if (values == nullptr) return nullptr;
    for (Py_ssize_t i = 0; i < size; ++i) {
        PyList_SET_ITEM(values, i, Py_NewRef(as_record(self)->values[i]));
    }
    return values;
}

PyObject* record_items(PyObject* self, PyObject*) {
    PyObject* items = PyList_New(0);
    if (items == nullptr) return nullptr;
    Py_ssize_t cursor = 0;
    PyObject* name = nullptr;
    PyObject* position = nullptr;
    while (PyDict_Next(as_record(self)->keys, &cursor, &name, &position)) {
        PyObject* pair =
            Py_BuildValue("(OO)", name, as_record(self)->values[PyLong_AsSsize_t(position)]);
        if (pair == nullptr || PyList_Append(items, pair) < 0) {
            Py_XDECREF(pair);
            Py_DECREF(items);
            return nullptr;
        }
        Py_DECREF(pair);
    }
    return items;
}

PyObject* record_get(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
    if (nargs < 1 || nargs > 2) {
        PyErr_SetString(PyExc_TypeError, "Record.get() takes a key and an optional default");
        return nullptr;
    }
    PyObject* fallback = nargs == 2 ? args[1] : Py_None;
    if (PyUnicode_Check(args[0])) {
        const int found = PyDict_Contains(as_record(self)->keys, args[0]);
        if (found < 0) return nullptr;
        if (found == 0) return Py_NewRef(fallback);
    }
    return record_subscript(self, args[0]);
}

PyObject* record_richcompare(PyObject* self, PyObject* other, int op) {
    if ((op != Py_EQ && op != Py_NE) || (Py_TYPE(other) != record_type && !PyTuple_Check(other))) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    PyObject* mine = record_values_tuple(self);
    if (mine == nullptr) return nullptr;
    PyObject* theirs =
        Py_TYPE(other) == record_type ? record_values_tuple(other) : Py_NewRef(other);
    PyObject* outcome = theirs == nullptr ? nullptr : PyObject_RichCompare(mine, theirs, op);
    Py_DECREF(mine);
    Py_XDECREF(theirs);
    return outcome;
}

Py_hash_t record_hash(PyObject* self) {
    PyObject* values = record_values_tuple(self);
    if (values == nullptr) return -1;
    const Py_hash_t hash = PyObject_Hash(values);
    Py_DECREF(values);
    return hash;
}

PyObject* record_repr(PyObject* self) {
    const int entered = Py_ReprEnter(self);
    if (entered != 0) return entered > 0 ? PyUnicode_FromString("<Record ...>") : nullptr;
    PyObject* parts = PyList_New(0);
    PyObject* text = nullptr;
    Py_ssize_t cursor = 0;
    PyObject* name = nullptr;
    PyObject* position = nullptr;
    if (parts == nullptr) goto done;
    while (PyDict_Next(as_record(self)->keys, &cursor, &name, &position)) {
        PyObject* part = PyUnicode_FromFormat("%U=%R", name,
                                              as_record(self)->values[PyLong_AsSsize_t(position)]);
        if (part == nullptr || PyList_Append(parts, part) < 0) {
            Py_XDECREF(part);
            goto done;
        }
        Py_DECREF(part);
    }
    {
        PyObject* separator = PyUnicode_FromString(" ");
        PyObject* joined = separator == nullptr ? nullptr : PyUnicode_Join(separator, parts);
        Py_XDECREF(separator);
        if (joined != nullptr) {
            text = PyList_GET_SIZE(parts) == 0 ? PyUnicode_FromString("<Record>")
                                               : PyUnicode_FromFormat("<Record %U>", joined);
            Py_DECREF(joined);
        }
    }
done:
    Py_XDECREF(parts);
    Py_ReprLeave(self);
    return text;
}

int record_traverse(PyObject* self, visitproc visit, void* arg) {
    Py_VISIT(as_record(self)->keys);
    for (Py_ssize_t i = 0; i < Py_SIZE(self); ++i) Py_VISIT(as_record(self)->values[i]);
    return 0;
}

int record_clear(PyObject* self) {
    Py_CLEAR(as_record(self)->keys);
    for (Py_ssize_t i = 0; i < Py_SIZE(self); ++i) Py_CLEAR(as_record(self)->values[i]);
    return 0;
}

void record_dealloc(PyObject* self) {
    PyTypeObject* type = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    record_clear(self);
    PyObject_GC_Del(self);
    Py_DECREF(type);  // a heap type: each instance holds a reference to it
}

PyMethodDef record_methods[] = {
    {"keys", record_keys, METH_NOARGS, "keys($self, /)\n--\n\nThe column names, in order."},
    {"values", record_values, METH_NOARGS, "values($self, /)\n--\n\nThe values, in order."},
    {"items", record_items, METH_NOARGS,
     "items($self, /)\n--\n\n(name, value) pairs, in column order."},
    {"get", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(record_get)), METH_FASTCALL,
     "get($self, key, default=None, /)\n--\n\nThe value of column KEY, or DEFAULT."},
    {nullptr, nullptr, 0, nullptr}};

PyType_Slot record_slots[] = {
    {Py_tp_doc, const_cast<char*>("One row of a result: a tuple of its values (record[0], "
                                  "len, iteration, == with a tuple) and a read-only mapping "
                                  "of its columns (record[\"id\"], keys(), items(), dict()).")},
    {Py_tp_dealloc, reinterpret_cast<void*>(record_dealloc)},
    {Py_tp_traverse, reinterpret_cast<void*>(record_traverse)},
    {Py_tp_clear, reinterpret_cast<void*>(record_clear)},
    {Py_tp_repr, reinterpret_cast<void*>(record_repr)},
    {Py_tp_hash, reinterpret_cast<void*>(record_hash)},
    {Py_tp_richcompare, reinterpret_cast<void*>(record_richcompare)},
    {Py_tp_methods, record_methods},
    {Py_mp_subscript, reinterpret_cast<void*>(record_subscript)},
    {Py_mp_length, reinterpret_cast<void*>(record_length)},
    {Py_sq_length, reinterpret_cast<void*>(record_length)},
    {Py_sq_item, reinterpret_cast<void*>(record_item_at)},
    {Py_sq_contains, reinterpret_cast<void*>(record_contains)},
    {0, nullptr}};

PyType_Spec record_spec = {
    "fasterapi_pg.Record",
    static_cast<int>(offsetof(record_object, values)),
    static_cast<int>(sizeof(PyObject*)),
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    record_slots,
};

}  // namespace

PyObject* new_record(PyObject* keys, Py_ssize_t columns) {
    record_object* made = PyObject_GC_NewVar(record_object, record_type, columns);
    if (made == nullptr) return nullptr;
    made->keys = Py_NewRef(keys);
    for (Py_ssize_t i = 0; i < columns; ++i) made->values[i] = nullptr;
    return reinterpret_cast<PyObject*>(made);
}

void set_record_value(PyObject* record, Py_ssize_t index, PyObject* value) {
    as_record(record)->values[index] = value;
}

void finish_record(PyObject* record) {
    PyObject_GC_Track(record);
}

void bind_record(nb::module_& m) {
    PyObject* type = PyType_FromSpec(&record_spec);
    if (type == nullptr) throw nb::python_error();
    record_type = reinterpret_cast<PyTypeObject*>(type);  // the module keeps it alive
    m.attr("Record") = nb::steal(type);
}

}  // namespace fasterapi::pg::bindings
