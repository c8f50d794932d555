# SPDX-License-Identifier: MIT
# fasterapi_futures/combinators.py: waiting on several awaitables, deadlines, retries
"""Combinators over any awaitables (coroutines, tasks, asyncio futures, our Futures).

Inputs that are finished futures already are read on the spot: ``await when_all(f, g)`` on two
done futures returns without creating a task or yielding to the loop. Cancelling the caller
cancels the work the combinator started, as asyncio's own combinators do.

Example::

    results = await when_all(fetch(1), fetch(2))
    index, first = await when_any(primary(), replica())
    async with timeout(2.0) as deadline:
        await step_one()
        deadline.move_by(1.0)       # step two may take a second longer
        await step_two()
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Iterable, Sequence
from types import TracebackType
from typing import Any, TypeVar

from ._ready import close_unstarted, is_finished
from .errors import DeadlineExceeded, RetriesExhausted

T = TypeVar("T")
R = TypeVar("R")


async def when_all(*awaitables: Awaitable[Any], return_exceptions: bool = False) -> list[Any]:
    """The results of every awaitable, in order (``asyncio.gather`` semantics).

    With ``return_exceptions=False`` the first failure is raised (the other inputs run on, as
    with gather); with ``True`` failures are returned in place of results.
    """
    results: list[Any] = [None] * len(awaitables)
    waiting: list[tuple[int, Awaitable[Any]]] = []
    for index, awaitable in enumerate(awaitables):
        if is_finished(awaitable):
            error = awaitable.exception()  # type: ignore[attr-defined]
            if error is not None and not return_exceptions:
                close_unstarted([pending for _, pending in waiting])
                close_unstarted(list(awaitables[index + 1 :]))
                raise error
            results[index] = error if error is not None else awaitable.result()  # type: ignore[attr-defined]
        else:
            waiting.append((index, awaitable))
    if waiting:
        gathered = await asyncio.gather(
            *(awaitable for _, awaitable in waiting), return_exceptions=return_exceptions
        )
        for (index, _), value in zip(waiting, gathered, strict=True):
            results[index] = value
    return results


async def _first_done(awaitables: Sequence[Awaitable[Any]], cancel_others: bool) -> tuple[int, Any]:
    for index, awaitable in enumerate(awaitables):
        if is_finished(awaitable):
            close_unstarted([*awaitables[:index], *awaitables[index + 1 :]])
            if cancel_others:
                _cancel_futures(awaitables)
            return index, awaitable.result()  # type: ignore[attr-defined]
    if not awaitables:
        raise ValueError("when_any()/race() need at least one awaitable")
    loop = asyncio.get_running_loop()
    futures = [asyncio.ensure_future(awaitable, loop=loop) for awaitable in awaitables]
    started = [
        future for future, given in zip(futures, awaitables, strict=True) if future is not given
    ]
    try:
        done, _ = await asyncio.wait(futures, return_when=asyncio.FIRST_COMPLETED)
    except BaseException:
        _cancel_futures(started)
        raise
    index = min(futures.index(future) for future in done)
    # Work we started is ours to stop; futures the caller gave are only cancelled by race().
    _cancel_futures(futures if cancel_others else started, keep=futures[index])
    return index, futures[index].result()


def _cancel_futures(awaitables: Iterable[Awaitable[Any]], keep: object = None) -> None:
    for awaitable in awaitables:
        if awaitable is not keep and asyncio.isfuture(awaitable) and not awaitable.done():
            awaitable.cancel()


async def when_any(*awaitables: Awaitable[Any]) -> tuple[int, Any]:
    """``(index, result)`` of the first awaitable to finish; its failure is raised.

    Coroutines that lose are cancelled (they were started here); futures and tasks passed in
    are left running. Among inputs finished already, the lowest index wins.
    """
    return await _first_done(awaitables, cancel_others=False)


async def race(*awaitables: Awaitable[T]) -> T:
    """The result of the first awaitable to finish; every other one is cancelled."""
    _, result = await _first_done(awaitables, cancel_others=True)
    return result  # type: ignore[no-any-return]


async def with_timeout(awaitable: Awaitable[T], seconds: float) -> T:
    """The awaitable's result, or :class:`DeadlineExceeded` (a ``TimeoutError``) after
    ``seconds``, having cancelled it. A finished future is returned without waiting."""
    if is_finished(awaitable):
        return awaitable.result()  # type: ignore[attr-defined, no-any-return]
    async with timeout(seconds):
        return await awaitable


class timeout:
    """``async with timeout(seconds) as deadline:`` cancels the block when the deadline passes
    and raises :class:`DeadlineExceeded` instead of ``CancelledError``.

    The deadline moves: ``deadline.reschedule(when)`` (a ``loop.time()`` value, or ``None``
    for none) and ``deadline.move_by(seconds)``. An outside cancellation that arrives while the
    block runs stays a ``CancelledError``.
    """

    def __init__(self, seconds: float | None) -> None:
        self._delay = seconds
        self._when: float | None = None
        self._handle: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[Any] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._expired = False
        self._cancel_marker = object()

    @property
    def when(self) -> float | None:
        """The deadline on the loop's clock, or None."""
        return self._when

    def expired(self) -> bool:
        """True once the deadline passed and the block was cancelled for it."""
        return self._expired

    def reschedule(self, when: float | None) -> None:
        """Move the deadline to ``when`` (``loop.time()`` clock); None removes it."""
        if self._loop is None:
            raise RuntimeError("timeout.reschedule() outside its 'async with' block")
        if self._expired:
            raise RuntimeError("timeout.reschedule() after the deadline passed")
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self._when = when
        if when is not None:
            self._handle = self._loop.call_at(when, self._on_deadline)

    def move_by(self, seconds: float) -> None:
        """Push the deadline back (or forward, with a negative value) by ``seconds``."""
        if self._when is None:
            raise RuntimeError("timeout.move_by() without a deadline; use reschedule()")
        self.reschedule(self._when + seconds)

    async def __aenter__(self) -> timeout:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        if self._task is None:
            raise RuntimeError("timeout() must be used inside a task")
        if self._delay is not None:
            self.reschedule(self._loop.time() + self._delay)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if not self._expired or not isinstance(error, asyncio.CancelledError):
            return
        if self._task is not None and hasattr(self._task, "uncancel"):
            # Python 3.11+: our cancel is counted; another one pending means an outside
            # cancellation arrived too, which wins.
            if self._task.uncancel() > 0:
                return
        elif not (error.args and error.args[0] is self._cancel_marker):
            return
        raise DeadlineExceeded(f"deadline of {self._delay} s exceeded") from error

    def _on_deadline(self) -> None:
        self._handle = None
        self._expired = True
        if self._task is not None:
            self._task.cancel(msg=self._cancel_marker)


async def retry(
    fn: Callable[[], Awaitable[T]],
    *,
    attempts: int = 3,
    backoff: float | Callable[[int], float] = 0.05,
    on: type[BaseException] | tuple[type[BaseException], ...] = Exception,
) -> T:
    """``await fn()`` until it succeeds, at most ``attempts`` times.

    Only exceptions matching ``on`` are retried; anything else propagates at once. Between
    attempts it sleeps ``backoff(attempt)`` seconds, or with a number: full jitter over
    ``backoff * 2**(attempt - 1)``. When every attempt failed it raises
    :class:`RetriesExhausted` from the last error.
    """
    if attempts < 1:
        raise ValueError(f"retry(attempts={attempts}): at least one attempt is needed")
    for attempt in range(1, attempts + 1):
        try:
            return await fn()
        except on as failure:
            if attempt == attempts:
                raise RetriesExhausted(attempts, failure) from failure
            delay = backoff(attempt) if callable(backoff) else backoff * 2 ** (attempt - 1)
            await asyncio.sleep(random.uniform(0, delay) if not callable(backoff) else delay)
    raise AssertionError("unreachable: the loop returns or raises")


async def map_concurrent(
    fn: Callable[[T], Awaitable[R]], items: Iterable[T], *, limit: int = 10
) -> list[R]:
    """``[await fn(item) for item in items]``, at most ``limit`` at a time, results in order.

    The first failure cancels the calls still running and is raised.
    """
    if limit < 1:
        raise ValueError(f"map_concurrent(limit={limit}): the limit must be at least 1")
    pending = list(items)
    results: list[Any] = [None] * len(pending)
    next_index = 0

    async def worker() -> None:
        nonlocal next_index
        while next_index < len(pending):
            index = next_index
            next_index += 1
            results[index] = await fn(pending[index])

    workers = [asyncio.ensure_future(worker()) for _ in range(min(limit, len(pending)))]
    try:
        await asyncio.gather(*workers)
    except BaseException:
        for each in workers:
            each.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        raise
    return results


async def sleep(seconds: float, result: T = None) -> T:  # type: ignore[assignment]
    """Like ``asyncio.sleep``, waiting on a native Future."""
    from ._futures import Future

    if seconds <= 0:
        await asyncio.sleep(0)
        return result
    loop = asyncio.get_running_loop()
    woken: Future[T] = Future(loop=loop)
    handle = loop.call_later(seconds, _wake, woken, result)
    try:
        return await woken
    finally:
        handle.cancel()


def _wake(future: Any, result: Any) -> None:
    if not future.done():
        future.set_result(result)
