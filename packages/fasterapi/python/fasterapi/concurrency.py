# SPDX-License-Identifier: MIT
"""Thread-pool helpers (Starlette's), and ``contextmanager_in_threadpool`` for sync
``yield`` dependencies."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import AbstractContextManager
from contextlib import asynccontextmanager as asynccontextmanager
from typing import TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from starlette.concurrency import iterate_in_threadpool as iterate_in_threadpool
from starlette.concurrency import run_in_threadpool as run_in_threadpool
from starlette.concurrency import run_until_first_complete as run_until_first_complete

_T = TypeVar("_T")


@asynccontextmanager
async def contextmanager_in_threadpool(cm: AbstractContextManager[_T]) -> AsyncGenerator[_T, None]:
    """Enter and exit a sync context manager in the thread pool; the exit gets its own
    one-thread limiter so a full pool cannot deadlock the cleanup."""
    exit_limiter = CapacityLimiter(1)
    try:
        yield await run_in_threadpool(cm.__enter__)
    except Exception as error:
        suppressed = await anyio.to_thread.run_sync(
            cm.__exit__, type(error), error, error.__traceback__, limiter=exit_limiter
        )
        if not suppressed:
            raise
    else:
        await anyio.to_thread.run_sync(cm.__exit__, None, None, None, limiter=exit_limiter)
