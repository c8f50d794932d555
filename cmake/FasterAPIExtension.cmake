# SPDX-License-Identifier: MIT
# cmake/FasterAPIExtension.cmake: one nanobind extension per package, built the same way
include_guard(GLOBAL)
include(${CMAKE_CURRENT_LIST_DIR}/FasterAPICompiler.cmake)

# fasterapi_add_extension(NAME PACKAGE <python package> SOURCES ... LIBRARIES ...
#                         [STUB_PATTERNS <nanobind stubgen pattern file>])
# Builds the nanobind module NAME (static nanobind, the shared `fasterapi` domain so the
# packages' types can meet), generates its .pyi stub at build time, and installs both into
# PACKAGE, where scikit-build-core puts them into the wheel.
function(fasterapi_add_extension name)
  cmake_parse_arguments(ARG "" "PACKAGE;STUB_PATTERNS" "SOURCES;LIBRARIES" ${ARGN})
  set(patterns)
  if(ARG_STUB_PATTERNS)
    set(patterns PATTERN_FILE ${ARG_STUB_PATTERNS})
  endif()
  find_package(Python 3.10 REQUIRED COMPONENTS Interpreter Development.Module)
  find_package(nanobind CONFIG REQUIRED)
  # NOMINSIZE: nanobind compiles a module for size (-Os) by default, which turns the codecs'
  # and the router's hot loops into `rep movsb` copies and calls; ours are the fast path.
  nanobind_add_module(${name} NB_STATIC NOMINSIZE NB_DOMAIN fasterapi ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(${name} PRIVATE ${ARG_LIBRARIES})
  fasterapi_configure_target(${name} BINDINGS)
  nanobind_add_stub(${name}_stub
    MODULE ${name}
    INCLUDE_PRIVATE
    OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/${name}.pyi
    PYTHON_PATH $<TARGET_FILE_DIR:${name}>
    ${patterns}
    DEPENDS ${name})
  install(TARGETS ${name} LIBRARY DESTINATION ${ARG_PACKAGE})
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/${name}.pyi DESTINATION ${ARG_PACKAGE})
endfunction()
