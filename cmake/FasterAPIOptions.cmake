# SPDX-License-Identifier: MIT
# cmake/FasterAPIOptions.cmake: the FASTERAPI_* build options shared by every package
include_guard(GLOBAL)

option(FASTERAPI_BUILD_BINDINGS "Build the nanobind extension modules" ON)
option(FASTERAPI_BUILD_TESTS "Build the C++ unit tests (ctest)" OFF)
option(FASTERAPI_BUILD_BENCHMARKS "Build the C++ benchmark harnesses" OFF)
option(FASTERAPI_DEBUG "Debug counters and internal consistency checks" OFF)
set(FASTERAPI_SANITIZE "" CACHE STRING "Sanitizers to build with, e.g. address;undefined")
# The packages' wheels turn this on (pyproject.toml): calls from the bindings into the core,
# which live in separate files (a fetched value's libpq accessors, a lookup's entry point),
# are then inlined across them (a 100k-row PG fetch: 854 -> 833 million instructions).
option(FASTERAPI_LTO "Build with link-time optimisation" OFF)
