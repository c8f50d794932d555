# SPDX-License-Identifier: MIT
"""Differential fuzzing against the reference matcher, hostile inputs, and threads."""

from __future__ import annotations

import random
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fasterapi_router import RouteConflictError, Router

from .reference import ReferenceRouter

SEGMENTS = ["a", "b", "users", "me", "1", "12", "x.json", "v1"]
# Names that share first letters, and short ones among them: the tree then has nodes that only
# branch, which jump tables step over, next to nodes that end a route or have parameters
# inside the first bytes, which keep the plain walk.
SHARED_LETTERS = ["alerts", "albums", "al", "a", "accounts", "search", "sensors", "se", "v1", "v2"]
PARAMS = ["{p}", "{p:int}", "{p:float}", "{p:str}", "{p}.json", "{p}-{q}", "{p:int}.{q}"]
METHODS = ["GET", "POST", "DELETE"]


def random_pattern(rng: random.Random, segments: list[str]) -> str:
    parts = []
    names = iter(f"n{i}" for i in range(100))
    for _ in range(rng.randint(1, 4)):
        if rng.random() < 0.4:
            template = rng.choice(PARAMS)
            parts.append(template.replace("{p", "{" + next(names)).replace("{q", "{" + next(names)))
        else:
            parts.append(rng.choice(segments))
    pattern = "/" + "/".join(parts)
    if rng.random() < 0.15:
        pattern += "/{rest:path}"
    elif rng.random() < 0.1:
        pattern += "/"
    return pattern


def random_path(rng: random.Random, segments: list[str] = SEGMENTS) -> str:
    alphabet = [*segments, "7", "3.5", "a-b", "a-b-c", "9.json", "1.x", "", "a.b.json"]
    return "/" + "/".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))


def build(
    rng: random.Random, order: str, segments: list[str] = SEGMENTS
) -> tuple[Router, ReferenceRouter]:
    router, reference = Router(paths="decoded", order=order), ReferenceRouter()  # type: ignore[arg-type]
    for index in range(rng.randint(1, 25)):
        methods = rng.sample(METHODS, rng.randint(1, 2))
        pattern = random_pattern(rng, segments)
        try:
            router.add(methods, pattern, index)
        except RouteConflictError:
            continue
        reference.add(methods, pattern, index)
    return router, reference


@pytest.mark.parametrize("seed", range(40))
def test_registration_order_equals_first_regex_match(seed: int) -> None:
    rng = random.Random(seed)
    router, reference = build(rng, "registration")
    for _ in range(300):
        method, path = rng.choice(METHODS), random_path(rng)
        candidates = reference.candidates(method, path)
        assert router.match(method, path) == (candidates[0] if candidates else None), (method, path)


@pytest.mark.parametrize("seed", range(40))
def test_names_sharing_first_letters_match_as_the_first_regex_match(seed: int) -> None:
    rng = random.Random(2000 + seed)
    router, reference = build(rng, "registration", SHARED_LETTERS)
    for _ in range(300):
        method = rng.choice(METHODS)
        path = random_path(rng, SHARED_LETTERS)
        if rng.random() < 0.2:  # cut short, inside a name: fewer bytes left than a jump reads
            path = path[: rng.randint(0, len(path))]
        candidates = reference.candidates(method, path)
        assert router.match(method, path) == (candidates[0] if candidates else None), (method, path)
        assert router.allowed_methods(path) == reference.allowed_methods(path), path


@pytest.mark.parametrize("seed", range(40))
def test_specificity_order_is_sound_and_complete(seed: int) -> None:
    # Whatever the tree prefers, it must be one of the routes that really match (with the
    # params that route's regex extracts), and it must find one whenever one exists.
    rng = random.Random(1000 + seed)
    router, reference = build(rng, "specificity")
    for _ in range(300):
        method, path = rng.choice(METHODS), random_path(rng)
        candidates = reference.candidates(method, path)
        found = router.match(method, path)
        if not candidates:
            assert found is None, (method, path)
        else:
            assert found is not None, (method, path)
            value, params = found
            expected = dict(candidates)
            assert value in expected, (method, path)
            # A route can match one path in several ways; the tree takes the greedy one as
            # the regex does, so params agree whenever the regex engine is asked the same.
            assert params == expected[value], (method, path)


@given(st.binary(max_size=300))
@settings(max_examples=400, deadline=None)
def test_random_bytes_never_raise(data: bytes) -> None:
    router = _hostile_router()
    router.match("GET", data)
    router.match(data, data)
    router.resolve("GET", data)
    router.allowed_methods(data)
    router.match("GET", data.decode("latin-1"))


@given(st.text(max_size=200))
@settings(max_examples=400, deadline=None)
def test_random_text_never_raises(text: str) -> None:
    _hostile_router().match("GET", text)


_ROUTER: Router | None = None


def _hostile_router() -> Router:
    global _ROUTER
    if _ROUTER is None:
        _ROUTER = Router()
        for i, pattern in enumerate(
            [
                "/",
                "/{a}",
                "/{a}/{b:int}",
                "/{a}.{b}",
                "/{a}-{b}-{c}",
                "/x/{p:path}",
                "/u/{u:uuid}",
                "/f/{f:float}",
                "/%2F/{a}",
            ]
        ):
            _ROUTER.add("*", pattern, i)
    return _ROUTER


@pytest.mark.parametrize(
    "path",
    [
        "",
        "/",
        "//",
        "///",
        "/./..",
        "/\x00",
        "/" + "a" * 70000,
        "/x/" + "a/" * 30000,
        "/" + "-" * 60000,
        "/" + "a." * 30000,
        "/%",
        "/%%%",
        "/%E2%82",
        "/\ud800",
    ],
)
def test_hostile_paths(path: str) -> None:
    router = _hostile_router()
    router.match("GET", path)
    router.match("GET", path.encode("utf-8", "surrogatepass"))


def test_paths_over_the_limit_never_match() -> None:
    router = Router()
    router.add("GET", "/x/{p:path}", 1)
    assert router.match("GET", "/x/" + "a" * 60000) is not None
    assert router.match("GET", "/x/" + "a" * 70000) is None


def test_pathological_backtracking_is_bounded() -> None:
    router = Router()
    router.add("GET", "/{a}-{b}-{c}-{d}-{e}-{f}.z", 1)
    assert router.match("GET", "/" + "-" * 3000 + ".y") is None  # returns promptly


def test_concurrent_matching_from_threads() -> None:
    router = Router()
    for i in range(200):
        router.add("GET", f"/r{i}/{{id:int}}/x{i % 7}", i)
    errors: list[str] = []

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(5000):
            i, n = rng.randrange(200), rng.randrange(10**6)
            if router.match("GET", f"/r{i}/{n}/x{i % 7}") != (i, {"id": n}):
                errors.append(f"/r{i}/{n}")

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
