# SPDX-License-Identifier: MIT
# fasterapi-futures/tests/conftest.py: every async test body runs on each event loop
from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest
import uvloop

import fasterapi_futures

T = TypeVar("T")

LOOP_FACTORIES: dict[str, Callable[[], asyncio.AbstractEventLoop]] = {
    "asyncio": asyncio.new_event_loop,
    "uvloop": uvloop.new_event_loop,
    "fasterapi": fasterapi_futures.new_event_loop,
}

Runner = Callable[[Callable[[], Coroutine[Any, Any, T]]], T]


@pytest.fixture(
    params=[(name, debug) for name in LOOP_FACTORIES for debug in (False, True)],
    ids=lambda param: f"{param[0]}{'-debug' if param[1] else ''}",
)
def run(request: pytest.FixtureRequest) -> Runner[Any]:
    """run(main): runs the coroutine function on a fresh loop of the parametrized kind, in
    asyncio debug mode for the -debug variants, and closes the loop afterwards."""
    name, debug = request.param

    def runner(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
        loop = LOOP_FACTORIES[name]()
        loop.set_debug(debug)
        try:
            return loop.run_until_complete(main())
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    return runner
