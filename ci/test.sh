#!/usr/bin/env bash
# ci/test.sh: the whole test suite, as CI runs it. Installs what is missing first (ci/setup.sh).
#   lint (ruff, clang-format), types (mypy), C++ unit tests under ASan+UBSan (ctest),
#   the Python tests (pytest, with a throw-away PostgreSQL), and the docs (Sphinx, -W).
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "lint: ruff, clang-format"
ruff check .
ruff format --check .
git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

say "types: mypy --strict"
bash ci/typecheck.sh

say "C++ unit tests (ASan + UBSan)"
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFASTERAPI_BUILD_BINDINGS=OFF \
  -DFASTERAPI_BUILD_TESTS=ON "-DFASTERAPI_SANITIZE=address;undefined" >/dev/null
cmake --build build/asan
ctest --test-dir build/asan --output-on-failure

say "C++ unit tests (TSan)"
cmake -S . -B build/tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFASTERAPI_BUILD_BINDINGS=OFF \
  -DFASTERAPI_BUILD_TESTS=ON -DFASTERAPI_SANITIZE=thread >/dev/null
cmake --build build/tsan
ctest --test-dir build/tsan --output-on-failure

say "wheels: each package builds, installs alone into a clean venv, and works"
bash ci/wheel_check.sh

say "docs: sphinx-build -W"
bash ci/docs.sh

say "Python tests"
python -m pytest
