#!/usr/bin/env bash
# ci/wheel_check.sh: each package builds into its own wheel, installs alone into a clean
# virtual environment, and works there (no workspace, no editable paths).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
. .venv/bin/activate
rm -rf build/wheels build/wheel-venv
for package in fasterapi-router fasterapi-futures fasterapi-pg; do
  python -m pip wheel -q --no-deps --no-build-isolation -C build-dir="build/wheel-build/$package" \
    -w build/wheels "./packages/$package"
done
# fasterapi is pure Python; its wheel needs fasterapi-router's (above) and pulls Starlette and
# pydantic from the package index.
python -m pip wheel -q --no-deps --no-build-isolation -w build/wheels ./packages/fasterapi
python -m venv build/wheel-venv
build/wheel-venv/bin/python -m pip install -q build/wheels/fasterapi_router-*.whl \
  build/wheels/fasterapi_futures-*.whl build/wheels/fasterapi_pg-*.whl
build/wheel-venv/bin/python -m pip install -q build/wheels/fasterapi-*.whl
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

import asyncio
import threading

import fasterapi_futures

package = pathlib.Path(fasterapi_futures.__file__).parent
assert (package / "py.typed").is_file() and (package / "_futures.pyi").is_file()


async def completed_from_a_thread() -> int:
    promise = fasterapi_futures.Promise()
    threading.Thread(target=promise.set_result, args=(42,)).start()
    return await fasterapi_futures.with_timeout(promise.future, 5)


assert asyncio.run(completed_from_a_thread()) == 42
print("fasterapi-futures wheel:", fasterapi_futures.__version__, "installs alone and completes")

import fasterapi_pg

package = pathlib.Path(fasterapi_pg.__file__).parent
assert (package / "py.typed").is_file() and (package / "_pg.pyi").is_file()
try:
    fasterapi_pg.connect("postgresql://nobody@127.0.0.1:1/none", timeout=2)
except fasterapi_pg.ConnectionFailureError as error:
    assert "cannot connect to PostgreSQL" in str(error)
print("fasterapi-pg wheel:", fasterapi_pg.__version__, "installs alone and reports errors")

import json

import fasterapi

package = pathlib.Path(fasterapi.__file__).parent
assert (package / "py.typed").is_file()
app = fasterapi.FastAPI()


@app.get("/items/{item_id}")
async def read_item(item_id: int, q: str | None = None):
    return {"item_id": item_id, "q": q}


async def call(path: str, query: bytes) -> tuple[int, bytes]:
    messages = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        messages.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
             "query_string": query, "headers": [], "server": ("test", 80)}
    await app(scope, receive, send)
    return messages[0]["status"], messages[1]["body"]


assert asyncio.run(call("/items/3", b"q=x")) == (200, b'{"item_id":3,"q":"x"}')
status, body = asyncio.run(call("/items/three", b""))
assert status == 422 and json.loads(body)["detail"][0]["loc"] == ["path", "item_id"]
print("fasterapi wheel:", fasterapi.__version__, "installs alone and serves")
PY
)
