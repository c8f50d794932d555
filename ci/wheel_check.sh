#!/usr/bin/env bash
# ci/wheel_check.sh: each package builds into its own wheel, installs alone into a clean
# virtual environment, and works there (no workspace, no editable paths).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
. .venv/bin/activate
rm -rf build/wheels build/wheel-venv
for package in fasterapi-router fasterapi-pg; do
  python -m pip wheel -q --no-deps --no-build-isolation -C build-dir="build/wheel-build/$package" \
    -w build/wheels "./packages/$package"
done
python -m venv build/wheel-venv
build/wheel-venv/bin/python -m pip install -q build/wheels/fasterapi_router-*.whl build/wheels/fasterapi_pg-*.whl
(root=$PWD; cd / && "$root"/build/wheel-venv/bin/python - <<'PY'
import pathlib
import fasterapi_router
from fasterapi_router import Router

router = Router()
router.add("GET", "/users/{user_id:int}", "user")
assert router.match("GET", "/users/42") == ("user", {"user_id": 42})
package = pathlib.Path(fasterapi_router.__file__).parent
assert (package / "py.typed").is_file() and (package / "_router.pyi").is_file()
print("fasterapi-router wheel:", fasterapi_router.__version__, "installs alone and matches")

import fasterapi_pg

package = pathlib.Path(fasterapi_pg.__file__).parent
assert (package / "py.typed").is_file() and (package / "_pg.pyi").is_file()
try:
    fasterapi_pg.connect("postgresql://nobody@127.0.0.1:1/none", timeout=2)
except fasterapi_pg.ConnectionFailureError as error:
    assert "cannot connect to PostgreSQL" in str(error)
print("fasterapi-pg wheel:", fasterapi_pg.__version__, "installs alone and reports errors")
PY
)
