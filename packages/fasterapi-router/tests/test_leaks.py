# SPDX-License-Identifier: MIT
"""The bindings leak no Python objects: repeated calls leave the allocator where it was."""

from __future__ import annotations

import contextlib

import pytest

from fasterapi_router import RoutePatternError, Router, URLPathError
from fasterapi_testing import leaks


@pytest.fixture(scope="module")
def router() -> Router:
    router = Router()
    router.add("GET", "/users/{id:int}", "user", name="user")
    router.add("GET", "/files/{name}.{ext}", "file")
    router.add("GET", "/orders/{o:uuid}/{rest:path}", "order")
    router.add("GET", "/price/{p:float}", "price")
    return router


def test_lookups_leak_nothing(router: Router) -> None:
    def work() -> None:
        router.match("GET", "/users/123456789012345678901234567890")
        router.match("GET", "/files/a%2Fb.tar.gz")
        router.match("GET", b"/orders/12345678123456781234567812345678/a/b")
        router.match("GET", "/price/2.5")
        router.match("GET", "/nothing")
        router.match("GET", "/\ud800")
        router.resolve("POST", "/users/1")
        router.allowed_methods("/users/1")
        router.redirect_slash("GET", "/users/1/")
        router.url_path_for("user", id=5)

    assert not leaks(work, 2000)


def test_errors_leak_nothing(router: Router) -> None:
    def work() -> None:
        for call in (
            lambda: router.add("GET", "/bad/{", None),
            lambda: router.url_path_for("user", id=-1),
            lambda: router.url_path_for("nobody"),
            lambda: router.match("GET", 5),  # type: ignore[arg-type]
        ):
            with contextlib.suppress(RoutePatternError, URLPathError, TypeError):
                call()

    assert not leaks(work, 2000)


def test_building_and_dropping_routers_leaks_nothing() -> None:
    def work() -> None:
        router = Router()
        for i in range(20):
            router.add(["GET", "POST"], f"/r{i}/{{id:int}}", object(), name=f"r{i}")
        router.routes()

    assert not leaks(work, 300)
