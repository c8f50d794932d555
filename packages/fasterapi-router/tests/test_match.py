# SPDX-License-Identifier: MIT
"""Table tests of matching: priority, backtracking, parameters, methods, paths."""

from __future__ import annotations

import itertools
import uuid

import pytest

from fasterapi_router import Router


def make(*routes: tuple[str, str], **options: str) -> Router:
    router = Router(**options)  # type: ignore[arg-type]
    for method, path in routes:
        router.add(method, path, path)
    return router


USERS = [("GET", "/users/me"), ("GET", "/users/{id}"), ("GET", "/users/{id}/posts")]


@pytest.mark.parametrize("order", list(itertools.permutations(USERS)))
def test_static_beats_param_whatever_the_insertion_order(order: list[tuple[str, str]]) -> None:
    router = make(*order)
    assert router.match("GET", "/users/me") == ("/users/me", {})
    assert router.match("GET", "/users/42") == ("/users/{id}", {"id": "42"})
    assert router.match("GET", "/users/me/posts") == ("/users/{id}/posts", {"id": "me"})


KINDS = [
    ("GET", "/v/{x:path}"),
    ("GET", "/v/{x}"),
    ("GET", "/v/{x:uuid}"),
    ("GET", "/v/{x:float}"),
    ("GET", "/v/{x:int}"),
    ("GET", "/v/static"),
]


@pytest.mark.parametrize("order", [KINDS, KINDS[::-1], KINDS[2:] + KINDS[:2]])
def test_priority_static_typed_plain_catch_all(order: list[tuple[str, str]]) -> None:
    router = make(*order)
    u = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert router.match("GET", "/v/static") == ("/v/static", {})
    assert router.match("GET", "/v/17") == ("/v/{x:int}", {"x": 17})
    assert router.match("GET", "/v/1.5") == ("/v/{x:float}", {"x": 1.5})
    assert router.match("GET", f"/v/{u}") == ("/v/{x:uuid}", {"x": u})
    assert router.match("GET", "/v/hello") == ("/v/{x}", {"x": "hello"})
    assert router.match("GET", "/v/a/b") == ("/v/{x:path}", {"x": "a/b"})
    assert router.match("GET", "/v/") == ("/v/{x:path}", {"x": ""})


def test_backtracks_out_of_a_dead_static_branch() -> None:
    router = make(("GET", "/a/b/c"), ("GET", "/a/{x}/d"), ("GET", "/{y}/b/e"))
    assert router.match("GET", "/a/b/c") == ("/a/b/c", {})
    assert router.match("GET", "/a/b/d") == ("/a/{x}/d", {"x": "b"})
    assert router.match("GET", "/a/b/e") == ("/{y}/b/e", {"y": "a"})
    assert router.match("GET", "/a/b/f") is None


def test_typed_parameter_falls_back_to_plain() -> None:
    router = make(("GET", "/items/{id:int}/raw"), ("GET", "/items/{name}/raw"))
    assert router.match("GET", "/items/12/raw") == ("/items/{id:int}/raw", {"id": 12})
    assert router.match("GET", "/items/12a/raw") == ("/items/{name}/raw", {"name": "12a"})


def test_different_parameter_names_at_the_same_position() -> None:
    router = make(("GET", "/a/{x}"), ("GET", "/a/{y}/b"), ("POST", "/a/{z}"))
    assert router.match("GET", "/a/1") == ("/a/{x}", {"x": "1"})
    assert router.match("GET", "/a/1/b") == ("/a/{y}/b", {"y": "1"})
    assert router.match("POST", "/a/1") == ("/a/{z}", {"z": "1"})


def test_parameters_inside_a_segment_are_greedy() -> None:
    router = make(("GET", "/f/{name}.{ext}"), ("GET", "/g/{id:int}.json"), ("GET", "/h/{a}-{b}"))
    assert router.match("GET", "/f/archive.tar.gz") == (
        "/f/{name}.{ext}",
        {"name": "archive.tar", "ext": "gz"},
    )
    assert router.match("GET", "/g/12.json") == ("/g/{id:int}.json", {"id": 12})
    assert router.match("GET", "/g/12x.json") is None
    assert router.match("GET", "/h/x-y-z") == ("/h/{a}-{b}", {"a": "x-y", "b": "z"})


def test_parameter_values_are_never_empty() -> None:
    router = make(("GET", "/a/{x}"), ("GET", "/b/{x}/c"))
    assert router.match("GET", "/a/") is None
    assert router.match("GET", "/b//c") is None


def test_int_float_uuid_conversions() -> None:
    router = make(("GET", "/i/{v:int}"), ("GET", "/f/{v:float}"), ("GET", "/u/{v:uuid}"))
    big = "9" * 40
    assert router.match("GET", f"/i/{big}") == ("/i/{v:int}", {"v": int(big)})
    assert router.match("GET", "/i/007") == ("/i/{v:int}", {"v": 7})
    assert router.match("GET", "/i/-1") is None
    assert router.match("GET", "/f/3") == ("/f/{v:float}", {"v": 3.0})
    assert router.match("GET", "/f/3.") is None
    assert router.match("GET", "/f/.5") is None
    hexed = "12345678123456781234567812345678"
    assert router.match("GET", f"/u/{hexed}") == ("/u/{v:uuid}", {"v": uuid.UUID(hexed)})
    assert router.match("GET", f"/u/{hexed.upper()}") == ("/u/{v:uuid}", {"v": uuid.UUID(hexed)})
    assert router.match("GET", f"/u/{hexed[:-1]}") is None


def test_methods_list_any_and_405() -> None:
    router = Router()
    router.add(["GET", "post"], "/items", "items")
    router.add("*", "/any", "any")
    router.add("PURGE", "/cache", "purge")
    assert router.match("POST", "/items") == ("items", {})
    assert router.match("post", "/items") is None  # request methods are case-sensitive
    assert router.match("DELETE", "/items") is None
    assert router.resolve("DELETE", "/items") == ("items", {}, False)
    assert router.allowed_methods("/items") == frozenset({"GET", "POST"})
    assert router.match("BREW", "/any") == ("any", {})
    assert router.allowed_methods("/any") == frozenset({"*"})
    assert router.match("PURGE", "/cache") == ("purge", {})
    assert router.allowed_methods("/nothing") == frozenset()


def test_each_of_32_methods_on_one_path_finds_its_own_route() -> None:
    # Every method id a router has, standard and extension, on one path; another path takes
    # every third. Registered in reverse, so the extensions' ids run against the order.
    standard = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]
    names = standard + [f"X{i}" for i in range(23)]
    router = Router()
    for name in reversed(names):
        router.add(name, "/all", name)
    some = names[::3]
    for name in some:
        router.add(name, "/some", name.lower())
    for name in names:
        assert router.match(name, "/all") == (name, {})
        assert router.match(name, "/some") == ((name.lower(), {}) if name in some else None)
    assert router.allowed_methods("/all") == frozenset(names)
    assert router.allowed_methods("/some") == frozenset(some)


def test_method_mismatch_backtracks_to_another_route() -> None:
    router = make(("GET", "/users/me"), ("DELETE", "/users/{id}"))
    assert router.match("DELETE", "/users/me") == ("/users/{id}", {"id": "me"})
    assert router.allowed_methods("/users/me") == frozenset({"GET", "DELETE"})


def test_head_is_not_implied_by_get() -> None:
    router = make(("GET", "/x"))
    assert router.match("HEAD", "/x") is None


def test_trailing_slash_is_significant_and_redirect_slash_helps() -> None:
    router = make(("GET", "/items"), ("GET", "/folders/"))
    assert router.match("GET", "/items/") is None
    assert router.match("GET", "/folders") is None
    assert router.redirect_slash("GET", "/items/") == "/items"
    assert router.redirect_slash("GET", "/folders") == "/folders/"
    assert router.redirect_slash("GET", b"/folders") == b"/folders/"
    assert router.redirect_slash("GET", "/items") is None  # already matches
    assert router.redirect_slash("GET", "/nothing") is None
    assert router.redirect_slash("GET", "/") is None


def test_case_sensitive_paths() -> None:
    router = make(("GET", "/About"))
    assert router.match("GET", "/About") == ("/About", {})
    assert router.match("GET", "/about") is None


def test_raw_paths_decode_values_after_matching() -> None:
    router = make(("GET", "/files/{name}"), ("GET", "/tree/{p:path}"), ("GET", "/café/{x}"))
    assert router.match("GET", "/files/a%2Fb") == ("/files/{name}", {"name": "a/b"})
    assert router.match("GET", "/files/caf%C3%A9") == ("/files/{name}", {"name": "café"})
    assert router.match("GET", "/files/%zz") == ("/files/{name}", {"name": "%zz"})
    assert router.match("GET", "/files/%FF") == ("/files/{name}", {"name": "\ufffd"})
    assert router.match("GET", "/tree/a/b%20c") == ("/tree/{p:path}", {"p": "a/b c"})
    # Static pattern text is stored encoded, as clients send it.
    assert router.match("GET", "/caf%C3%A9/1") == ("/café/{x}", {"x": "1"})


@pytest.mark.parametrize("length", range(1, 20))
def test_escapes_and_non_ascii_bytes_anywhere_in_a_value(length: int) -> None:
    # Values are scanned a word at a time for '%' and non-ASCII bytes; each position of each
    # word, and a short tail, must be seen.
    router = make(("GET", "/files/{name}"))
    for at in range(length):
        plain = "x" * length
        escaped = plain[:at] + "%41" + plain[at + 1 :]
        assert router.match("GET", "/files/" + escaped) == (
            "/files/{name}",
            {"name": plain[:at] + "A" + plain[at + 1 :]},
        )
        accented = plain[:at] + "é" + plain[at + 1 :]
        assert router.match("GET", ("/files/" + accented).encode()) == (
            "/files/{name}",
            {"name": accented},
        )


def test_decoded_paths_are_taken_as_they_are() -> None:
    router = make(("GET", "/files/{name}"), ("GET", "/café"), paths="decoded")
    assert router.match("GET", "/files/a%2Fb") == ("/files/{name}", {"name": "a%2Fb"})
    assert router.match("GET", "/café") == ("/café", {})
    assert router.match("GET", "/files/a/b") is None


def test_bytes_paths_and_methods() -> None:
    router = make(("GET", "/users/{id:int}"))
    assert router.match(b"GET", b"/users/5") == ("/users/{id:int}", {"id": 5})
    assert router.match("GET", b"/users/\xff") is None


def test_dot_segments_and_double_slashes_are_not_normalised() -> None:
    router = make(("GET", "/a/{x}"), ("GET", "/a/{x}/b"))
    assert router.match("GET", "/a/..") == ("/a/{x}", {"x": ".."})
    assert router.match("GET", "/a//b") is None
    assert router.match("GET", "/a/../b") == ("/a/{x}/b", {"x": ".."})


def test_registration_order_lets_the_first_route_win() -> None:
    router = make(
        ("GET", "/users/{id}"), ("GET", "/users/me"), ("POST", "/users/me"), order="registration"
    )
    assert router.match("GET", "/users/me") == ("/users/{id}", {"id": "me"})
    assert router.match("POST", "/users/me") == ("/users/me", {})
    assert router.resolve("PUT", "/users/me") == ("/users/{id}", {"id": "me"}, False)


def test_registration_order_allows_duplicates() -> None:
    router = Router(order="registration")
    router.add("GET", "/a/{x}", "first")
    router.add("GET", "/a/{y}", "second")
    assert router.match("GET", "/a/1") == ("first", {"x": "1"})


def test_routes_introspection_and_len() -> None:
    router = Router()
    router.add(["GET", "HEAD"], "/a", 1, name="a")
    router.add("*", "/b/{x:int}", 2)
    assert len(router) == 2
    first, second = router.routes()
    assert first.methods == frozenset({"GET", "HEAD"})
    assert (first.path, first.name, first.value) == ("/a", "a", 1)
    assert second.methods == frozenset()
    assert second.name is None
    assert second.value == 2
    assert router.paths == "raw"
    assert router.order == "specificity"


def test_values_are_returned_by_identity() -> None:
    marker = object()
    router = Router()
    router.add("GET", "/", marker)
    found = router.match("GET", "/")
    assert found is not None
    assert found[0] is marker


def test_router_with_a_cycle_is_collected() -> None:
    import gc
    import weakref

    router = Router()
    router.add("GET", "/", router)
    ref = weakref.ref(router)
    del router
    gc.collect()
    assert ref() is None
