# SPDX-License-Identifier: MIT
# fasterapi-futures/tests/test_promise.py: completing futures from the loop and other threads
from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest

from fasterapi_futures import Promise
from fasterapi_futures._futures import _NativeProducer

T = TypeVar("T")
# What the ``run`` fixture (conftest.py) gives: run(main) runs main() on the loop under test.
Runner = Callable[[Callable[[], Coroutine[Any, Any, T]]], T]


def test_completion_on_the_loop_thread_is_immediate(run: Runner[Any]) -> None:
    async def main() -> None:
        promise = Promise()
        promise.set_result("now")
        assert promise.done()
        assert promise.future.done()
        assert await promise.future == "now"
        with pytest.raises(asyncio.InvalidStateError, match="completed already"):
            promise.set_result("again")
        failing = Promise()
        failing.set_exception(KeyError("k"))
        with pytest.raises(KeyError):
            await failing.future

    run(main)


def test_completion_from_another_thread(run: Runner[Any]) -> None:
    async def main() -> None:
        promise = Promise()
        threading.Thread(target=promise.set_result, args=(7,)).start()
        assert await asyncio.wait_for(promise.future, 5) == 7
        failing = Promise()
        threading.Thread(target=failing.set_exception, args=(ValueError("far"),)).start()
        with pytest.raises(ValueError, match="far"):
            await asyncio.wait_for(failing.future, 5)

    run(main)


def test_many_threads_complete_at_once(run: Runner[Any]) -> None:
    threads, per_thread = 8, 500

    async def main() -> None:
        promises = [Promise() for _ in range(threads * per_thread)]
        start = threading.Barrier(threads)

        def produce(first: int) -> None:
            start.wait()
            for index in range(first, first + per_thread):
                promises[index].set_result(index)

        workers = [threading.Thread(target=produce, args=(t * per_thread,)) for t in range(threads)]
        for worker in workers:
            worker.start()
        results = await asyncio.wait_for(
            asyncio.gather(*(promise.future for promise in promises)), 10
        )
        for worker in workers:
            worker.join()
        assert results == list(range(threads * per_thread))

    run(main)


def test_native_thread_completes_without_the_gil(run: Runner[Any]) -> None:
    async def main() -> None:
        promises = [Promise() for _ in range(10_000)]
        producer = _NativeProducer(promises, 100)
        results = await asyncio.wait_for(
            asyncio.gather(*(promise.future for promise in promises)), 10
        )
        producer.join()
        assert results == list(range(100, 10_100))

    run(main)


def test_a_late_completion_of_a_cancelled_future_is_ignored(run: Runner[Any]) -> None:
    async def main() -> None:
        here = Promise()
        here.future.cancel()
        here.set_result(1)  # no InvalidStateError: the waiter is gone, the result is dropped
        assert here.future.cancelled()

        far = Promise()
        far.future.cancel()
        thread = threading.Thread(target=far.set_result, args=(2,))
        thread.start()
        thread.join()
        await asyncio.sleep(0.01)
        assert far.future.cancelled()

    run(main)


def test_a_promise_for_a_loop_that_is_not_running() -> None:
    loop = asyncio.new_event_loop()
    try:
        promise = Promise(loop=loop)
        promise.set_result("queued")  # not the loop's thread: goes through the queue
        assert loop.run_until_complete(asyncio.wait_for(promise.future, 5)) == "queued"
    finally:
        loop.close()
    with pytest.raises(TypeError, match="pass loop="):
        Promise()


def test_the_loop_closes_with_completions_pending() -> None:
    loop = asyncio.new_event_loop()
    promises = [Promise(loop=loop) for _ in range(3)]
    loop.close()
    producer = threading.Thread(target=lambda: [p.set_result(1) for p in promises])
    producer.start()
    producer.join()  # queued for a loop that will never drain it: no error, nothing delivered
    assert not any(promise.future.done() for promise in promises)
