# SPDX-License-Identifier: MIT
# fasterapi_futures/_ready.py: reading an awaitable's outcome when it is already there
"""The combinators' short cut: an input that is a finished future is read on the spot, without
a task and without a turn of the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any


def is_finished(awaitable: Awaitable[Any]) -> bool:
    """True for a future (ours or asyncio's) that is done and was not cancelled."""
    return asyncio.isfuture(awaitable) and awaitable.done() and not awaitable.cancelled()


def close_unstarted(awaitables: list[Awaitable[Any]]) -> None:
    """Close coroutines that will never be awaited now (so none warns "never awaited")."""
    for awaitable in awaitables:
        if asyncio.iscoroutine(awaitable):
            awaitable.close()
