# SPDX-License-Identifier: MIT
# cmake/FasterAPITesting.cmake: fasterapi_add_test() for C++ unit tests and benchmarks
include_guard(GLOBAL)
include(${CMAKE_CURRENT_LIST_DIR}/FasterAPICompiler.cmake)

# fasterapi_add_test(NAME KIND UNIT|PERF SOURCES ... LIBRARIES ...)
# UNIT tests are registered with ctest; PERF harnesses are built but run by hand (ci/bench.sh).
function(fasterapi_add_test name)
  cmake_parse_arguments(ARG "" "KIND" "SOURCES;LIBRARIES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBRARIES})
  fasterapi_configure_target(${name})
  if(ARG_KIND STREQUAL "UNIT")
    add_test(NAME ${name} COMMAND ${name})
  endif()
endfunction()
