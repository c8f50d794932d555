# SPDX-License-Identifier: MIT
# cmake/FasterAPICompiler.cmake: one place for the C++ standard, warnings and sanitizers
include_guard(GLOBAL)
include(${CMAKE_CURRENT_LIST_DIR}/FasterAPIOptions.cmake)

# fasterapi_configure_target(TARGET [BINDINGS])
# Apply the project-wide compiler settings. BINDINGS marks a nanobind module: nanobind's own
# headers do not build cleanly under our strictest warnings, so those are kept for our core.
function(fasterapi_configure_target target)
  cmake_parse_arguments(ARG "BINDINGS" "" "" ${ARGN})
  target_compile_features(${target} PUBLIC cxx_std_20)
  set_target_properties(${target} PROPERTIES
    CXX_EXTENSIONS OFF
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra)
    if(NOT ARG_BINDINGS)
      target_compile_options(${target} PRIVATE -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
    endif()
  endif()
  if(FASTERAPI_LTO)
    include(CheckIPOSupported)
    check_ipo_supported(RESULT _lto_supported OUTPUT _lto_error)
    if(_lto_supported)
      set_property(TARGET ${target} PROPERTY INTERPROCEDURAL_OPTIMIZATION ON)
    else()
      message(WARNING "FASTERAPI_LTO: link-time optimisation unavailable: ${_lto_error}")
    endif()
  endif()
  if(FASTERAPI_DEBUG)
    target_compile_definitions(${target} PRIVATE FASTERAPI_DEBUG=1)
  endif()
  if(FASTERAPI_SANITIZE)
    string(REPLACE ";" "," _sanitizers "${FASTERAPI_SANITIZE}")
    target_compile_options(${target} PRIVATE -fsanitize=${_sanitizers} -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${_sanitizers})
  endif()
endfunction()
