#!/usr/bin/env bash
# ci/asan_python.sh PACKAGE [PYTEST ARGS...]: a package's Python tests against its extension
# built with AddressSanitizer (the C++ suites in ci/test.sh cover the cores; this covers the
# bindings, where Python's reference counting meets ours). Puts the normal build back after.
# Not part of ci/test.sh: it needs a second build of the extension (a minute or two).
#
#   bash ci/asan_python.sh fasterapi-futures
#   bash ci/asan_python.sh fasterapi-futures packages/fasterapi/tests
set -euo pipefail
cd "$(dirname "$0")/.."
package=${1:?usage: ci/asan_python.sh PACKAGE [PYTEST ARGS...]}
shift
[ -d "packages/$package" ] || { echo "no package packages/$package" >&2; exit 2; }
bash ci/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate

# The interpreter is not built with ASan, so the runtime is preloaded, and libstdc++ with it:
# ASan must find the real __cxa_throw when it starts, or the first C++ exception aborts.
preload="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libstdc++.so)"
reinstall() {
  echo "asan_python: reinstalling the normal build of $package"
  pip install --no-build-isolation --no-deps -e "packages/$package" -q
}
trap reinstall EXIT

echo "asan_python: building $package with -fsanitize=address"
# stubgen imports the new module during the build, so the build needs the preload too.
LD_PRELOAD=$preload ASAN_OPTIONS=detect_leaks=0 pip install --no-build-isolation --no-deps -q \
  -e "packages/$package" -C cmake.build-type=RelWithDebInfo -C install.strip=false \
  -C build-dir="build/asan-python/$package" \
  -C "cmake.define.CMAKE_CXX_FLAGS=-fsanitize=address -fno-omit-frame-pointer" \
  -C "cmake.define.CMAKE_SHARED_LINKER_FLAGS=-fsanitize=address"

# detect_leaks=0: the interpreter keeps much of its memory until exit on purpose; reference
# leaks are what tests/test_leaks.py and nanobind's exit report look for. The preload is
# dropped from the environment once the interpreter is up: the programs the tests start
# (initdb, postgres, pg_ctl) must not inherit it.
echo "asan_python: running the tests"
# FASTERAPI_ASAN_PRELOAD: for a test that starts Python itself with a preload of its own.
FASTERAPI_ASAN_PRELOAD=$preload LD_PRELOAD=$preload ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
  python -c '
import os, sys
os.environ.pop("LD_PRELOAD", None)
import pytest
sys.exit(pytest.main(sys.argv[1:]))
' -q -p no:cacheprovider "packages/$package/tests" "$@"
