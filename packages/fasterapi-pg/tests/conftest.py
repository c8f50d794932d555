# SPDX-License-Identifier: MIT
"""A fresh connection per test, on the session's throw-away cluster (fasterapi_testing)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest

import fasterapi_pg

# What the ``run`` fixture gives: run a coroutine on a fresh loop, return its result.
Run = Callable[[Coroutine[Any, Any, Any]], Any]


@pytest.fixture
def conn(pg_dsn: str) -> Iterator[fasterapi_pg.Connection]:
    with fasterapi_pg.connect(pg_dsn) as connection:
        yield connection


# The async tests run each body on the default loop (in debug mode, which reports slow
# callbacks and never-retrieved exceptions) and on uvloop: the same code on both.
LOOPS = ["asyncio", "uvloop"]


@pytest.fixture(params=LOOPS)
def run(request: pytest.FixtureRequest) -> Run:
    """``run(main())``: run a coroutine to completion on a fresh loop of the given kind."""

    def run_on_loop(coroutine: Coroutine[Any, Any, Any]) -> Any:
        if request.param == "uvloop":
            import uvloop

            with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
                return runner.run(coroutine)
        with asyncio.Runner(debug=True) as runner:
            return runner.run(coroutine)

    return run_on_loop
