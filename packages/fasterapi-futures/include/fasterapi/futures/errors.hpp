// SPDX-License-Identifier: MIT
// fasterapi/futures/errors.hpp: the exceptions the futures library itself raises
#pragma once

#include <stdexcept>

namespace fasterapi::futures {

// Base of every error raised by this library (user exceptions travel through futures as they
// are).
class futures_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A promise was destroyed while its future (or continuation) still waited for a value.
class broken_promise : public futures_error {
public:
    broken_promise()
        : futures_error("broken promise: destroyed before a value or an error was set") {}
};

// with_timeout(): the deadline passed before the future resolved.
class timed_out_error : public futures_error {
public:
    timed_out_error()
        : futures_error("timed out: the deadline passed before the future resolved") {}
};

// Misuse of the API: get() on a pending future, a promise satisfied twice, no reactor on this
// thread, ...; the message says which.
class usage_error : public futures_error {
public:
    using futures_error::futures_error;
};

}  // namespace fasterapi::futures
