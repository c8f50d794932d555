# SPDX-License-Identifier: MIT
"""Reverse routing: names and values to paths."""

from __future__ import annotations

import uuid

import pytest

from fasterapi_router import Router, URLPathError


@pytest.fixture
def router() -> Router:
    router = Router()
    router.add("GET", "/users/{user_id:int}", 1, name="user")
    router.add("GET", "/users/{user_id:int}/posts/{slug}", 2, name="post")
    router.add("GET", "/files/{path:path}", 3, name="file")
    router.add("GET", "/prices/{p:float}", 4, name="price")
    router.add("GET", "/orders/{o:uuid}", 5, name="order")
    router.add("GET", "/by-name/{name}", 6, name="lookup")
    router.add("GET", "/by-name/{first}/{last}", 7, name="lookup")
    router.add("GET", "/café", 8, name="cafe")
    return router


def test_builds_and_round_trips(router: Router) -> None:
    path = router.url_path_for("post", user_id=7, slug="hello world/2")
    assert path == "/users/7/posts/hello%20world%2F2"
    assert router.match("GET", path) == (2, {"user_id": 7, "slug": "hello world/2"})


def test_catch_all_keeps_slashes(router: Router) -> None:
    assert router.url_path_for("file", path="a/b c.txt") == "/files/a/b%20c.txt"


def test_float_uuid_and_static_encoding(router: Router) -> None:
    assert router.url_path_for("price", p=2.5) == "/prices/2.5"
    assert router.url_path_for("price", p=3) == "/prices/3"
    assert router.url_path_for("price", p=0.00001) == "/prices/0.00001"
    u = uuid.uuid4()
    assert router.url_path_for("order", o=u) == f"/orders/{u}"
    assert router.url_path_for("cafe") == "/caf%C3%A9"


def test_same_name_chooses_by_parameters(router: Router) -> None:
    assert router.url_path_for("lookup", name="x") == "/by-name/x"
    assert router.url_path_for("lookup", first="a", last="b") == "/by-name/a/b"


def test_unknown_name(router: Router) -> None:
    with pytest.raises(
        URLPathError, match="cannot build a path for route 'nope': no route has that name"
    ):
        router.url_path_for("nope")


def test_missing_and_unexpected(router: Router) -> None:
    with pytest.raises(URLPathError) as caught:
        router.url_path_for("post", user_id=1, title="x")
    message = str(caught.value)
    assert "('/users/{user_id:int}/posts/{slug}')" in message
    assert "missing parameter 'slug'" in message
    assert "unexpected parameter 'title'" in message


@pytest.mark.parametrize(
    ("name", "params", "needle"),
    [
        ("user", {"user_id": -1}, "parameter 'user_id' must be a non-negative integer, got '-1'"),
        ("user", {"user_id": "abc"}, "must be a non-negative integer"),
        ("price", {"p": float("nan")}, "must be a non-negative decimal"),
        ("price", {"p": -2.0}, "must be a non-negative decimal"),
        ("order", {"o": "not-a-uuid"}, "must be a UUID"),
        ("lookup", {"name": ""}, "must be a non-empty string"),
    ],
)
def test_invalid_values(router: Router, name: str, params: dict[str, object], needle: str) -> None:
    with pytest.raises(URLPathError, match="cannot build a path") as caught:
        router.url_path_for(name, **params)
    assert needle in str(caught.value)


def test_value_types(router: Router) -> None:
    with pytest.raises(
        TypeError, match="parameter 'user_id' must be int, float, str or UUID, not bool"
    ):
        router.url_path_for("user", user_id=True)
    with pytest.raises(TypeError, match="not list"):
        router.url_path_for("user", user_id=[1])
