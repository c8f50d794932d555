// SPDX-License-Identifier: MIT
// fasterapi-router/include/fasterapi/router/errors.hpp: the exceptions the router throws
#pragma once

#include <stdexcept>

namespace fasterapi::router {

/// Base of every error the router throws. Each leaf maps to exactly one Python class.
class router_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A route pattern is malformed. The message quotes the pattern and points at the position.
class pattern_error : public router_error {
public:
    using router_error::router_error;
};

/// A route overlaps an existing one (same shape, overlapping methods). Names both routes.
class conflict_error : public router_error {
public:
    using router_error::router_error;
};

/// Reverse routing failed: unknown name, missing/extra parameter, or an invalid value.
class url_path_error : public router_error {
public:
    using router_error::router_error;
};

}  // namespace fasterapi::router
