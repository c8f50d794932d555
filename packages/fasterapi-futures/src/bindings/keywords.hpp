// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/keywords.hpp: keyword names of the vectorcall methods
#pragma once

#include <Python.h>

namespace fasterapi::futures::bindings {

// A keyword argument's name, matched against the entries of a vectorcall's kwnames. Callers'
// keyword names are interned (by the compiler, and by asyncio's C code), so comparing with the
// interned name nearly always decides without looking at characters. Create with the GIL held
// (a function-local static); the interned str is kept for the life of the process.
class keyword_name {
public:
    explicit keyword_name(const char* name)
        : name_(name), interned_(PyUnicode_InternFromString(name)) {}

    bool matches(PyObject* keyword) const {
        return keyword == interned_ || PyUnicode_CompareWithASCIIString(keyword, name_) == 0;
    }

private:
    const char* name_;
    PyObject* interned_;
};

// "context", the keyword of call_soon, call_at, add_done_callback and their kin.
inline bool is_context_keyword(PyObject* keyword) {
    static const keyword_name context("context");
    return context.matches(keyword);
}

}  // namespace fasterapi::futures::bindings
