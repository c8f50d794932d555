// SPDX-License-Identifier: MIT
// fasterapi-futures/src/bindings/socket_transport.hpp: EventLoop's native stream transport
#pragma once

#include <nanobind/nanobind.h>

namespace fasterapi::futures::bindings {

void bind_socket_transport(nanobind::module_& m);

}  // namespace fasterapi::futures::bindings
