# SPDX-License-Identifier: MIT
# examples/router_demo.py: a small Starlette API whose routing runs on fasterapi-router
"""Serve a small API on http://127.0.0.1:8000 with native route matching.

Try::

    curl http://127.0.0.1:8000/users/42
    curl http://127.0.0.1:8000/users/me
    curl -X DELETE http://127.0.0.1:8000/users/42     # 405 with an Allow header
    curl http://127.0.0.1:8000/files/docs/readme.txt
    curl http://127.0.0.1:8000/routes                 # the route table, and a lookup timing
"""

from __future__ import annotations

import os
import time

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from fasterapi_router import Router
from fasterapi_router.starlette import accelerate

USERS = {1: "ada", 42: "grace"}


async def me(request: Request) -> JSONResponse:
    return JSONResponse({"user": "you"})


async def user(request: Request) -> JSONResponse:
    user_id = request.path_params["user_id"]
    if user_id not in USERS:
        return JSONResponse({"detail": f"no user {user_id}"}, status_code=404)
    return JSONResponse({"id": user_id, "name": USERS[user_id]})


async def file(request: Request) -> JSONResponse:
    return JSONResponse({"path": request.path_params["path"]})


async def routes(request: Request) -> JSONResponse:
    # The same table in a standalone Router, to show the lookup cost from Python.
    table = Router()
    for route in app.routes:
        table.add(sorted(route.methods or ["GET"]), route.path, route.name)
    start = time.perf_counter_ns()
    for _ in range(10_000):
        table.match("GET", "/users/42")
    per_lookup = (time.perf_counter_ns() - start) / 10_000
    return JSONResponse(
        {
            "routes": [[sorted(r.methods), r.path, r.value] for r in table.routes()],
            "match_ns": round(per_lookup),
        }
    )


app = Starlette(
    routes=[
        Route("/users/me", me),
        Route("/users/{user_id:int}", user, methods=["GET"]),
        Route("/files/{path:path}", file),
        Route("/routes", routes),
    ]
)
accelerate(app)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")), log_level="info")
