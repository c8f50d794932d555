# SPDX-License-Identifier: MIT
# fasterapi_futures/_then.py: Future.then(fn), explicit chaining
from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

from ._futures import Future


def then(source: Future[Any], fn: Callable[[Any], Any]) -> Future[Any]:
    """A Future of ``fn(source.result())``; see ``Future.then``.

    A failure or cancellation of ``source`` passes through without calling ``fn``; if ``fn``
    returns an awaitable, the chained future follows it. Cancelling the chained future cancels
    ``source`` while it is pending.
    """
    loop = source.get_loop()
    chained: Future[Any] = Future(loop=loop)

    def step(done: Future[Any]) -> None:
        if chained.done():
            return
        if done.cancelled():
            chained.cancel()
            return
        error = done.exception()
        if error is not None:
            chained.set_exception(error)
            return
        try:
            value = fn(done.result())
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as failure:
            chained.set_exception(failure)
            return
        if inspect.isawaitable(value):
            asyncio.ensure_future(value, loop=loop).add_done_callback(follow)
        else:
            chained.set_result(value)

    def follow(inner: asyncio.Future[Any]) -> None:
        if chained.done():
            return
        if inner.cancelled():
            chained.cancel()
        elif (error := inner.exception()) is not None:
            chained.set_exception(error)
        else:
            chained.set_result(inner.result())

    def propagate_cancel(done: Future[Any]) -> None:
        if done.cancelled() and not source.done():
            source.cancel()

    source.add_done_callback(step)
    chained.add_done_callback(propagate_cancel)
    return chained
