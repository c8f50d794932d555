# SPDX-License-Identifier: MIT
"""Malformed patterns, conflicts and bad arguments give specific errors."""

from __future__ import annotations

import pytest

from fasterapi_router import RouteConflictError, RoutePatternError, Router, RouterError

BAD_PATTERNS = [
    ("users", 0, "must start with '/'"),
    ("", 0, "must start with '/'"),
    ("/users/{id", 7, "'{' is never closed"),
    ("/users/{id/posts", 10, "invalid character '/' in parameter name"),
    ("/users/}", 7, "unbalanced '}'"),
    ("/users/{}", 8, "empty parameter name"),
    ("/users/{:int}", 8, "empty parameter name"),
    ("/users/{1id}", 8, "invalid character '1' in parameter name"),
    ("/users/{id:number}", 11, "unknown convertor 'number' (allowed: int, float, uuid, str, path)"),
    ("/users/{id:}", 11, "unknown convertor ''"),
    ("/a/{x}/{x}", 8, "duplicate parameter name 'x'"),
    ("/a/{rest:path}/b", 3, "catch-all parameter 'rest:path' must end the pattern"),
    ("/a/{x}{y}", 6, "parameter 'y' directly follows another parameter"),
    ("/a?b=1", 2, "'?' is not allowed"),
    ("/a#frag", 2, "'#' is not allowed"),
    ("/a\nb", 2, "control character '\\x0a'"),
    ("/100%", 4, "'%' must start a percent-escape"),
]


@pytest.mark.parametrize(("pattern", "position", "reason"), BAD_PATTERNS)
def test_bad_pattern_names_pattern_position_and_reason(
    pattern: str, position: int, reason: str
) -> None:
    with pytest.raises(RoutePatternError) as caught:
        Router().add("GET", pattern, None)
    message = str(caught.value)
    assert message.startswith(f"cannot parse route pattern '{pattern}' at position {position}: ")
    assert reason in message
    caret_line = message.splitlines()[-1]
    assert caret_line.index("^") - 4 == position


def test_too_many_parameters() -> None:
    pattern = "".join(f"/{{p{i}}}" for i in range(17))
    with pytest.raises(RoutePatternError, match="too many parameters"):
        Router().add("GET", pattern, None)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("GET", "/a/{x}"), ("GET", "/a/{y}")),
        (("GET", "/a/{x:str}"), ("GET", "/a/{y}")),
        (("GET", "/a"), ("GET", "/a")),
        (("*", "/a"), ("POST", "/a")),
        (("GET", "/a"), ("*", "/a")),
        (("GET", "/f/{p:path}"), ("GET", "/f/{q:path}")),
    ],
)
def test_conflict_names_both_routes(first: tuple[str, str], second: tuple[str, str]) -> None:
    router = Router()
    router.add(first[0], first[1], 1)
    with pytest.raises(RouteConflictError) as caught:
        router.add(second[0], second[1], 2)
    message = str(caught.value)
    assert f"cannot register route {second[0]} '{second[1]}'" in message
    assert f"conflicts with existing route {first[0]} '{first[1]}'" in message
    assert len(router) == 1


def test_a_refused_route_leaves_the_router_unchanged() -> None:
    router = Router()
    router.add("GET", "/a/{x}", 1)
    with pytest.raises(RouteConflictError):
        router.add("GET", "/a/{y}", 2)
    assert router.match("GET", "/a/v") == (1, {"x": "v"})
    assert [route.value for route in router.routes()] == [1]


def test_no_conflict_across_methods_or_kinds() -> None:
    router = Router()
    router.add("GET", "/a/{x}", 1)
    router.add("POST", "/a/{y}", 2)
    router.add("GET", "/a/{n:int}", 3)
    assert router.match("POST", "/a/5") == (2, {"y": "5"})
    assert router.match("GET", "/a/5") == (3, {"n": 5})


@pytest.mark.parametrize("method", ["", "GE T", "GET\r\n", "(GET)"])
def test_bad_method_name(method: str) -> None:
    with pytest.raises(RoutePatternError, match="cannot register method"):
        Router().add(method, "/", None)


def test_too_many_methods() -> None:
    router = Router()
    for i in range(23):  # 9 standard methods + 23 extensions = 32
        router.add(f"M{i}", f"/m{i}", None)
    with pytest.raises(RoutePatternError, match="at most 32 distinct methods"):
        router.add("ONE-TOO-MANY", "/last", None)


def test_lookups_on_a_router_whose_init_did_not_run() -> None:
    class Careless(Router):
        def __init__(self) -> None:  # forgets super().__init__()
            pass

    with pytest.raises(TypeError, match="__init__ has not run"):
        Careless().match("GET", "/")


def test_argument_types() -> None:
    router = Router()
    with pytest.raises(TypeError):
        router.add(5, "/", None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="path must be str or bytes, not int"):
        router.match("GET", 5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="method must be str or bytes, not NoneType"):
        router.resolve(None, "/")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Router.match\(\) takes 2 positional arguments"):
        router.match("GET")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="takes no keyword arguments"):
        router.match("GET", path="/")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="paths must be 'raw' or 'decoded'"):
        Router(paths="cooked")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="order must be 'specificity' or 'registration'"):
        Router(order="random")  # type: ignore[arg-type]


def test_error_hierarchy() -> None:
    for cls in (RoutePatternError, RouteConflictError):
        assert issubclass(cls, RouterError)
        assert issubclass(cls, ValueError)
        assert cls.__module__ == "fasterapi_router"
