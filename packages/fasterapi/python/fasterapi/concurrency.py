# SPDX-License-Identifier: MIT
"""Thread-pool helpers (Starlette's), and ``contextmanager_in_threadpool`` for sync
``yield`` dependencies."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from contextlib import asynccontextmanager as asynccontextmanager
from typing import TypeVar
from weakref import WeakKeyDictionary

import anyio.to_thread
from anyio import CancelScope, CapacityLimiter, Semaphore
from anyio.lowlevel import RunVar, checkpoint_if_cancelled
from starlette.concurrency import iterate_in_threadpool as iterate_in_threadpool
from starlette.concurrency import run_in_threadpool as run_in_threadpool
from starlette.concurrency import run_until_first_complete as run_until_first_complete

_T = TypeVar("_T")


@asynccontextmanager
async def contextmanager_in_threadpool(cm: AbstractContextManager[_T]) -> AsyncGenerator[_T, None]:
    """Enter and exit a sync context manager in the thread pool. The exit gets its own
    one-thread limiter (a full pool cannot deadlock the cleanup) and is shielded from
    cancellation (a cancelled request still cleans up)."""
    exit_limiter = CapacityLimiter(1)
    value = await run_in_threadpool(cm.__enter__)
    try:
        yield value
    except BaseException as error:
        with CancelScope(shield=True):
            suppressed = await anyio.to_thread.run_sync(
                cm.__exit__, type(error), error, error.__traceback__, limiter=exit_limiter
            )
        if not suppressed:
            raise
    else:
        with CancelScope(shield=True):
            await anyio.to_thread.run_sync(cm.__exit__, None, None, None, limiter=exit_limiter)


@asynccontextmanager
async def shielded_exit(
    cm: AbstractAsyncContextManager[_T], cleanup_scope: CancelScope
) -> AsyncGenerator[_T, None]:
    """*cm*, whose exit runs with *cleanup_scope* (entered before it, on the request's
    exit stack) shielded, so cancelling the request does not cut its cleanup short."""
    was_shielded = cleanup_scope.shield
    try:
        async with cm as value:
            try:
                yield value
            finally:
                cleanup_scope.shield = True
    finally:
        cleanup_scope.shield = was_shielded
    # A task group inside the dependency may have swallowed a cancellation meanwhile.
    await checkpoint_if_cancelled()


# One semaphore per declaration and event loop (a semaphore belongs to its loop).
_semaphores: RunVar[WeakKeyDictionary[DependencyConcurrency, Semaphore]] = RunVar(
    "fasterapi_dependency_semaphores"
)


class DependencyConcurrency:
    """The concurrency limit of one ``Depends(..., max_concurrency=N)`` declaration."""

    def __init__(self, max_concurrency: int) -> None:
        self.max_concurrency = max_concurrency

    def get_semaphore(self) -> Semaphore:
        """This declaration's semaphore on the running event loop."""
        semaphores = _semaphores.get(None)
        if semaphores is None:
            semaphores = WeakKeyDictionary()
            _semaphores.set(semaphores)
        semaphore = semaphores.get(self)
        if semaphore is None:
            semaphore = semaphores[self] = Semaphore(self.max_concurrency)
        return semaphore


@asynccontextmanager
async def holding(
    cm: AbstractAsyncContextManager[_T], semaphore: Semaphore
) -> AsyncGenerator[_T, None]:
    """*cm* entered and exited while holding a slot of *semaphore*."""
    async with semaphore, cm as value:
        yield value
