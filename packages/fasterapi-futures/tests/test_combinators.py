# SPDX-License-Identifier: MIT
# fasterapi-futures/tests/test_combinators.py: when_all, when_any, race, deadlines, retries
from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest

from fasterapi_futures import (
    DeadlineExceeded,
    Future,
    FuturesError,
    RetriesExhausted,
    map_concurrent,
    race,
    retry,
    sleep,
    timeout,
    when_all,
    when_any,
    with_timeout,
)

T = TypeVar("T")
# What the ``run`` fixture (conftest.py) gives: run(main) runs main() on the loop under test.
Runner = Callable[[Callable[[], Coroutine[Any, Any, T]]], T]


def done_future(value: Any) -> Future[Any]:
    future: Future[Any] = Future()
    future.set_result(value)
    return future


async def later(value: Any, delay: float = 0.001) -> Any:
    await asyncio.sleep(delay)
    return value


async def fail(message: str, delay: float = 0.001) -> None:
    await asyncio.sleep(delay)
    raise ValueError(message)


def test_when_all_mixes_ready_and_pending(run: Runner[Any]) -> None:
    async def main() -> None:
        assert await when_all(done_future(1), later(2), done_future(3)) == [1, 2, 3]
        with pytest.raises(ValueError, match="b"):
            await when_all(later(1), fail("b"))
        results = await when_all(fail("x"), later(2), return_exceptions=True)
        assert isinstance(results[0], ValueError)
        assert results[1] == 2
        failed: Future[int] = Future()
        failed.set_exception(KeyError("ready failure"))
        with pytest.raises(KeyError):
            await when_all(failed, later(1))  # the unstarted coroutine is closed, not leaked

    run(main)


def test_ready_inputs_do_not_touch_the_loop(run: Runner[Any]) -> None:
    async def main() -> None:
        ran: list[str] = []
        asyncio.get_running_loop().call_soon(ran.append, "loop turned")
        assert await when_all(done_future("a"), done_future("b")) == ["a", "b"]
        assert await when_any(Future(), done_future("c")) == (1, "c")
        assert await with_timeout(done_future("d"), 0.001) == "d"
        assert ran == []
        await asyncio.sleep(0)
        assert ran == ["loop turned"]

    run(main)


def test_when_any_gives_index_and_value(run: Runner[Any]) -> None:
    async def main() -> None:
        slow = asyncio.ensure_future(later("slow", 0.2))
        assert await when_any(slow, later("fast")) == (1, "fast")
        assert not slow.done()  # a task passed in is left running
        slow.cancel()
        with pytest.raises(ValueError, match="at least one"):
            await when_any()

    run(main)


def test_race_cancels_the_losers(run: Runner[Any]) -> None:
    async def main() -> None:
        slow = asyncio.ensure_future(later("slow", 0.2))
        assert await race(slow, later("fast")) == "fast"
        await asyncio.sleep(0)
        assert slow.cancelled()

    run(main)


def test_with_timeout(run: Runner[Any]) -> None:
    async def main() -> None:
        assert await with_timeout(later(5), 1) == 5
        stuck = asyncio.ensure_future(later("never", 10))
        with pytest.raises(DeadlineExceeded) as raised:
            await with_timeout(stuck, 0.01)
        assert isinstance(raised.value, TimeoutError)
        assert isinstance(raised.value, FuturesError)
        await asyncio.sleep(0)
        assert stuck.cancelled()

    run(main)


def test_timeout_deadline_moves(run: Runner[Any]) -> None:
    async def main() -> None:
        async with timeout(0.02) as deadline:
            deadline.move_by(0.2)
            await asyncio.sleep(0.05)
        assert not deadline.expired()
        async with timeout(0.01) as unbounded:
            unbounded.reschedule(None)
            await asyncio.sleep(0.03)
        shortened = timeout(0.05)
        with pytest.raises(DeadlineExceeded):
            await _sleep_under(shortened, lambda: asyncio.get_running_loop().time() + 0.001)
        assert shortened.expired()

    run(main)


async def _sleep_under(deadline: timeout, new_when: Callable[[], float]) -> None:
    async with deadline:
        deadline.reschedule(new_when())
        await asyncio.sleep(1)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="Task.uncancel() arrived in 3.11")
def test_an_outside_cancel_is_not_a_timeout(run: Runner[Any]) -> None:
    async def guarded() -> None:
        async with timeout(0.01):
            try:
                await asyncio.sleep(1)
            finally:
                asyncio.current_task().cancel()  # type: ignore[union-attr]  # an outside cancel too

    async def main() -> None:
        with pytest.raises(asyncio.CancelledError):
            await asyncio.ensure_future(guarded())

    run(main)


def test_retry(run: Runner[Any]) -> None:
    async def main() -> None:
        calls: list[int] = []

        async def flaky() -> str:
            calls.append(1)
            if len(calls) < 3:
                raise ConnectionError("try again")
            return "ok"

        assert await retry(flaky, attempts=3, backoff=0.001) == "ok"
        assert len(calls) == 3

        async def broken() -> None:
            raise ConnectionError("down")

        with pytest.raises(RetriesExhausted, match="after 2 attempts") as raised:
            await retry(broken, attempts=2, backoff=lambda attempt: 0.0)
        assert isinstance(raised.value.__cause__, ConnectionError)

        async def wrong() -> None:
            calls.append(1)
            raise KeyError("not retried")

        calls.clear()
        with pytest.raises(KeyError):
            await retry(wrong, attempts=5, on=ConnectionError)
        assert len(calls) == 1
        with pytest.raises(ValueError, match="at least one attempt"):
            await retry(flaky, attempts=0)

    run(main)


def test_map_concurrent(run: Runner[Any]) -> None:
    async def main() -> None:
        running = 0
        most = 0

        async def square(value: int) -> int:
            nonlocal running, most
            running += 1
            most = max(most, running)
            await asyncio.sleep(0.001)
            running -= 1
            return value * value

        assert await map_concurrent(square, range(10), limit=3) == [i * i for i in range(10)]
        assert most == 3

        started: list[int] = []

        async def fragile(value: int) -> int:
            started.append(value)
            if value == 1:
                raise ValueError("one")
            await asyncio.sleep(1)
            return value

        with pytest.raises(ValueError, match="one"):
            await map_concurrent(fragile, range(100), limit=4)
        assert len(started) < 100
        with pytest.raises(ValueError, match="at least 1"):
            await map_concurrent(square, [1], limit=0)

    run(main)


def test_sleep(run: Runner[Any]) -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        start = loop.time()
        assert await sleep(0.01, "woke") == "woke"
        assert loop.time() - start >= 0.009
        assert await sleep(0, 1) == 1

    run(main)
