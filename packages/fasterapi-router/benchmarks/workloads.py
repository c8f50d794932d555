# SPDX-License-Identifier: MIT
# fasterapi-router/benchmarks/workloads.py: route tables, unique lookups, and every peer router
"""What the router benchmarks run: the same route table and the same unique paths, handed to
each peer through the API a user of that peer would use.

Route tables are the repository's shared data (``../shared/data/routes``, or
``FASTERAPI_SHARED_DATA``). Each route gets ``VARIANTS`` concrete paths with fresh parameter
values, so no result cache can help; every lookup is checked to land on its route before it
is timed.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

VARIANTS = 16
PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::([a-z]+))?}")
CATCH_ALL = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*):path}")

Lookup = tuple[str, str, int]  # method, path, expected route index
Matcher = Callable[..., Any]


def plain_request(method: str, path: str) -> tuple[Any, ...]:
    """What most peers are called with: the method and the path."""
    return (method, path)


def asgi_request(method: str, path: str) -> tuple[Any, ...]:
    """What Starlette-style routing is called with: the ASGI scope a server already built."""
    return ({"type": "http", "method": method, "path": path, "root_path": ""},)


def data_dir() -> Path:
    configured = os.environ.get("FASTERAPI_SHARED_DATA")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3].parent / "shared" / "data"


def load_routes(name: str) -> list[tuple[str, str]]:
    """(method, pattern) pairs of ``routes/<name>.tsv``."""
    lines = (data_dir() / "routes" / f"{name}.tsv").read_text().splitlines()
    return [(line.split("\t")[0], line.split("\t")[1]) for line in lines if line.strip()]


def fill(kind: str, counter: int) -> str:
    if kind == "int":
        return str(counter)
    if kind == "float":
        return f"{counter}.5"
    if kind == "uuid":
        return str(uuid.UUID(int=counter))
    if kind == "path":
        return f"dir{counter}/file{counter}.txt"
    return f"v{counter}"


def unique_lookups(routes: list[tuple[str, str]]) -> list[Lookup]:
    lookups, counter = [], 0
    for _ in range(VARIANTS):
        for index, (method, pattern) in enumerate(routes):

            def value(m: re.Match[str]) -> str:
                nonlocal counter
                counter += 1
                return fill(m.group(2) or "str", counter)

            lookups.append((method, PARAM.sub(value, pattern), index))
    return lookups  # table order, as the classic router benchmarks walk a route table


def colon_syntax(pattern: str) -> str:
    return PARAM.sub(lambda m: ":" + m.group(1), pattern)


# Each builder takes the route table and returns match(*request) -> (route index, params), where
# request is what REQUEST_SHAPE gives for the peer (built before timing, as a server would).


def build_fasterapi(routes: list[tuple[str, str]]) -> Matcher:
    from fasterapi_router import Router

    router = Router()
    for index, (method, pattern) in enumerate(routes):
        router.add(method, pattern, index)
    return router.match


def build_baseline(routes: list[tuple[str, str]]) -> Matcher:
    """A nanobind method that only builds a (value, dict) result: the cost floor."""
    from _bench_baseline import Baseline

    return Baseline().match  # type: ignore[no-any-return]


def build_starlette(routes: list[tuple[str, str]]) -> Matcher:
    from starlette.routing import Match, Route

    async def endpoint(request: Any) -> None: ...

    table = [Route(pattern, endpoint, methods=[method]) for method, pattern in routes]

    def match(scope: dict[str, Any]) -> Any:
        # What starlette.routing.Router.app does to find the route, minus handling it.
        for index, route in enumerate(table):
            found, child_scope = route.matches(scope)
            if found is Match.FULL:
                return index, child_scope["path_params"]
        return None

    return match


def build_starlette_adapter(routes: list[tuple[str, str]]) -> Matcher:
    """fasterapi_router.starlette: the full Starlette-compatible match (route + child scope)."""
    from starlette.routing import Route, Router

    from fasterapi_router.starlette import TreeDispatch

    async def endpoint(request: Any) -> None: ...

    dispatch = TreeDispatch(
        Router(routes=[Route(pattern, endpoint, methods=[method]) for method, pattern in routes])
    )
    index_of = {id(route): index for index, route in enumerate(dispatch._router.routes)}

    def match(scope: dict[str, Any]) -> Any:
        found = dispatch.match_scope(scope)
        return None if found is None else (index_of[id(found[0])], found[1]["path_params"])

    return match


def build_falcon(routes: list[tuple[str, str]]) -> Matcher:
    from falcon.routing import CompiledRouter

    router = CompiledRouter()
    by_path: dict[str, dict[str, int]] = {}
    for index, (method, pattern) in enumerate(routes):
        by_path.setdefault(pattern, {})[method] = index
    for pattern, methods in by_path.items():
        router.add_route(pattern, _FalconResource(methods))

    def match(method: str, path: str) -> Any:
        found = router.find(path)
        if found is None:
            return None
        resource, _method_map, params, _template = found
        return resource.methods.get(method), params

    return match


class _FalconResource:
    def __init__(self, methods: dict[str, int]) -> None:
        self.methods = methods
        for method in methods:
            setattr(self, "on_" + method.lower(), self.respond)

    def respond(self, req: Any, resp: Any) -> None: ...


def build_http_router(routes: list[tuple[str, str]]) -> Matcher:
    from http_router import Router

    router = Router(trim_last_slash=False)
    for index, (method, pattern) in enumerate(routes):
        router.route(pattern, methods=[method])(index)

    def match(method: str, path: str) -> Any:
        found = router(path, method)
        return found.target, found.params

    return match


def build_pymatchit(routes: list[tuple[str, str]]) -> Matcher:
    import pymatchit

    router = pymatchit.PyRouter()
    by_path: dict[str, dict[str, int]] = {}
    for index, (method, pattern) in enumerate(routes):
        by_path.setdefault(pattern, {})[method] = index
    for pattern, methods in by_path.items():
        router.insert(CATCH_ALL.sub(r"{*\1}", pattern), methods)  # matchit writes {*rest}

    def match(method: str, path: str) -> Any:
        found = router.at(path)
        return None if found is None else (found[0].get(method), found[1])

    return match


PEERS: dict[str, Callable[[list[tuple[str, str]]], Matcher]] = {
    "fasterapi_router": build_fasterapi,
    "nanobind floor": build_baseline,
    "pymatchit": build_pymatchit,
    "falcon CompiledRouter": build_falcon,
    "http-router": build_http_router,
    "fasterapi adapter (Starlette semantics)": build_starlette_adapter,
    "starlette": build_starlette,
}


REQUEST_SHAPE: dict[str, Callable[[str, str], tuple[Any, ...]]] = {
    "fasterapi adapter (Starlette semantics)": asgi_request,
    "starlette": asgi_request,
}


def requests_for(name: str, lookups: list[Lookup]) -> list[tuple[Any, ...]]:
    shape = REQUEST_SHAPE.get(name, plain_request)
    return [shape(method, path) for method, path, _ in lookups]


def verify(name: str, match: Matcher, lookups: list[Lookup]) -> None:
    """Every lookup must land on its route (the floor only has to answer)."""
    if name == "nanobind floor":
        return
    for request, (method, path, expected) in zip(requests_for(name, lookups), lookups, strict=True):
        found = match(*request)
        if found is None or found[0] != expected:
            raise AssertionError(f"{name}: {method} {path} gave {found!r}, not route {expected}")
