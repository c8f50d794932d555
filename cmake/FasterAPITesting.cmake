# SPDX-License-Identifier: MIT
# cmake/FasterAPITesting.cmake: fasterapi_add_test() for C++ unit tests and benchmarks
include_guard(GLOBAL)
include(${CMAKE_CURRENT_LIST_DIR}/FasterAPICompiler.cmake)
# The shared test runner (testing/cpp); resolved through the packages' cmake/ links.
get_filename_component(_fasterapi_cmake_dir "${CMAKE_CURRENT_LIST_DIR}" REALPATH)
set(FASTERAPI_TESTING_INCLUDE_DIR "${_fasterapi_cmake_dir}/../testing/cpp")

# fasterapi_add_test(NAME KIND UNIT|PERF SOURCES ... LIBRARIES ...)
# UNIT tests are registered with ctest; PERF harnesses are built but run by hand (ci/bench.sh).
function(fasterapi_add_test name)
  cmake_parse_arguments(ARG "" "KIND" "SOURCES;LIBRARIES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBRARIES})
  target_include_directories(${name} PRIVATE ${FASTERAPI_TESTING_INCLUDE_DIR})
  fasterapi_configure_target(${name})
  if(ARG_KIND STREQUAL "UNIT")
    add_test(NAME ${name} COMMAND ${name})
  endif()
endfunction()
