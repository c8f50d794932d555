#!/usr/bin/env bash
# ci/typecheck.sh: mypy --strict over every package's Python layer, with the stubs that the
# native builds generated (they live next to the built modules, not in the source tree).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
. .venv/bin/activate
overlay=build/typecheck
rm -rf "$overlay" && mkdir -p "$overlay"
cp -r packages/fasterapi-router/python/fasterapi_router "$overlay/"
cp "$(python -c 'import fasterapi_router._router as m; print(m.__file__.rsplit("/", 1)[0])')/_router.pyi" \
  "$overlay/fasterapi_router/"
cp -r packages/fasterapi-futures/python/fasterapi_futures "$overlay/"
cp "$(python -c 'import fasterapi_futures._futures as m; print(m.__file__.rsplit("/", 1)[0])')/_futures.pyi" \
  "$overlay/fasterapi_futures/"
cp -r packages/fasterapi-pg/python/fasterapi_pg "$overlay/"
cp "$(python -c 'import fasterapi_pg._pg as m; print(m.__file__.rsplit("/", 1)[0])')/_pg.pyi" \
  "$overlay/fasterapi_pg/"
cp -r testing/python/fasterapi_testing "$overlay/"
cp -r packages/fasterapi/python/fasterapi "$overlay/"
(cd "$overlay" && mypy --config-file ../../pyproject.toml -p fasterapi_router -p fasterapi_futures -p fasterapi_pg \
  -p fasterapi_testing -p fasterapi)
