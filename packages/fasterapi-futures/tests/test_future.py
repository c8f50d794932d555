# SPDX-License-Identifier: MIT
# fasterapi-futures/tests/test_future.py: Future follows asyncio's future protocol
from __future__ import annotations

import asyncio
import contextvars
import gc
import weakref
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest
import uvloop

import fasterapi_futures
from fasterapi_futures import Future

T = TypeVar("T")
# What the ``run`` fixture (conftest.py) gives: run(main) runs main() on the loop under test.
Runner = Callable[[Callable[[], Coroutine[Any, Any, T]]], T]


def test_await_a_future_resolved_later(run: Runner[Any]) -> None:
    async def main() -> int:
        future: Future[int] = Future()
        asyncio.get_running_loop().call_soon(future.set_result, 5)
        return await future

    assert run(main) == 5


def test_asyncio_treats_it_as_a_future(run: Runner[Any]) -> None:
    async def main() -> None:
        future: Future[str] = Future()
        assert asyncio.isfuture(future)
        assert asyncio.ensure_future(future) is future
        assert future.get_loop() is asyncio.get_running_loop()
        asyncio.get_running_loop().call_later(0.001, future.set_result, "x")
        assert await asyncio.wait_for(future, 1) == "x"
        pair: list[Future[int]] = [Future(), Future()]
        for index, each in enumerate(pair):
            each.set_result(index)
        assert await asyncio.gather(*pair) == [0, 1]
        shielded: Future[int] = Future()
        shielded.set_result(3)
        assert await asyncio.shield(shielded) == 3

    run(main)


def test_result_and_exception_states(run: Runner[Any]) -> None:
    async def main() -> None:
        future: Future[int] = Future()
        assert not future.done()
        assert not future.cancelled()
        with pytest.raises(asyncio.InvalidStateError, match="Result is not ready"):
            future.result()
        with pytest.raises(asyncio.InvalidStateError, match="Exception is not set"):
            future.exception()
        future.set_result(1)
        assert future.done()
        assert future.result() == 1
        assert future.exception() is None
        with pytest.raises(asyncio.InvalidStateError, match="FINISHED"):
            future.set_result(2)
        assert not future.cancel()

        failed: Future[int] = Future()
        failed.set_exception(LookupError)
        assert isinstance(failed.exception(), LookupError)
        with pytest.raises(LookupError):
            await failed
        with pytest.raises(TypeError, match="StopIteration"):
            Future().set_exception(StopIteration())
        with pytest.raises(TypeError, match="needs an exception"):
            Future().set_exception("not an exception")  # type: ignore[arg-type]

    run(main)


def test_cancel_with_a_message(run: Runner[Any]) -> None:
    async def main() -> None:
        future: Future[int] = Future()
        assert future.cancel(msg="stop")
        assert future.cancelled()
        assert future.done()
        with pytest.raises(asyncio.CancelledError, match="stop"):
            future.result()
        with pytest.raises(asyncio.CancelledError):
            await future

    run(main)


def test_cancelling_the_task_cancels_the_awaited_future(run: Runner[Any]) -> None:
    async def main() -> None:
        future: Future[int] = Future()
        task = asyncio.ensure_future(_await(future))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert future.cancelled()

    run(main)


async def _await(future: Future[Any]) -> Any:
    return await future


def test_callbacks_run_through_the_loop_in_their_context(run: Runner[Any]) -> None:
    variable: contextvars.ContextVar[str] = contextvars.ContextVar("variable", default="unset")

    async def main() -> None:
        future: Future[int] = Future()
        seen: list[tuple[str, str]] = []

        def first(done: Future[int]) -> None:
            seen.append(("first", variable.get()))

        def second(done: Future[int]) -> None:
            seen.append(("second", variable.get()))

        context = contextvars.copy_context()
        context.run(variable.set, "in context")
        future.add_done_callback(first, context=context)
        future.add_done_callback(second)
        future.add_done_callback(second)
        assert future.remove_done_callback(second) == 2
        future.set_result(1)
        assert seen == []  # scheduled, not called inline
        await asyncio.sleep(0)
        assert seen == [("first", "in context")]
        future.add_done_callback(second)  # already done: scheduled at once
        await asyncio.sleep(0)
        assert seen[-1] == ("second", "unset")
        with pytest.raises(TypeError, match="unexpected keyword"):
            future.add_done_callback(first, when=1)  # type: ignore[call-arg]

    run(main)


def test_completion_callbacks_queue_in_order_with_call_soon(run: Runner[Any]) -> None:
    # A future's callbacks join the loop's queue where loop.call_soon would put them (on our
    # loop they skip the method call; the order must not change).
    async def main() -> list[str]:
        loop = asyncio.get_running_loop()
        order: list[str] = []
        future: Future[None] = Future()
        future.add_done_callback(lambda _: order.append("future"))
        loop.call_soon(order.append, "before")
        future.set_result(None)
        loop.call_soon(order.append, "after")
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        return order

    assert run(main) == ["before", "future", "after"]


@pytest.mark.parametrize(
    "factory",
    [asyncio.new_event_loop, uvloop.new_event_loop, fasterapi_futures.new_event_loop],
    ids=["asyncio", "uvloop", "fasterapi"],
)
def test_completing_a_future_of_a_closed_loop_says_so(factory: Any) -> None:
    loop = factory()
    future: Future[int] = Future(loop=loop)
    future.add_done_callback(lambda _: None)
    loop.close()
    with pytest.raises(RuntimeError, match="Event loop is closed"):
        future.set_result(1)


def test_an_unretrieved_exception_reaches_the_loop_handler(run: Runner[Any]) -> None:
    async def main() -> list[dict[str, Any]]:
        reports: list[dict[str, Any]] = []
        asyncio.get_running_loop().set_exception_handler(lambda _, context: reports.append(context))
        future: Future[int] = Future()
        future.set_exception(RuntimeError("lost"))
        del future
        gc.collect()
        retrieved: Future[int] = Future()
        retrieved.set_exception(RuntimeError("seen"))
        retrieved.exception()
        del retrieved
        gc.collect()
        return reports

    reports = run(main)
    assert [report["message"] for report in reports] == ["Future exception was never retrieved"]
    assert str(reports[0]["exception"]) == "lost"


def test_then_chains(run: Runner[Any]) -> None:
    async def main() -> None:
        source: Future[int] = Future()
        doubled = source.then(lambda value: value * 2)
        source.set_result(21)
        assert await doubled == 42

        async def later(value: int) -> int:
            await asyncio.sleep(0)
            return value + 1

        ready: Future[int] = Future()
        ready.set_result(1)
        assert await ready.then(later) == 2

        failing: Future[int] = Future()
        failing.set_result(0)
        with pytest.raises(ZeroDivisionError):
            await failing.then(lambda value: 1 / value)

        upstream: Future[int] = Future()
        chained = upstream.then(lambda value: value)
        chained.cancel()
        await asyncio.sleep(0)
        assert upstream.cancelled()

    run(main)


def test_outside_a_loop_it_needs_one() -> None:
    with pytest.raises(RuntimeError, match="pass loop="):
        Future()
    loop = asyncio.new_event_loop()
    try:
        assert Future(loop=loop).get_loop() is loop
    finally:
        loop.close()


def test_reference_cycles_are_collected(run: Runner[Any]) -> None:
    async def main() -> weakref.ref[Future[Any]]:
        future: Future[Any] = Future()
        future.add_done_callback(lambda done: future)  # future -> callback -> future
        return weakref.ref(future)

    reference = run(main)
    gc.collect()
    assert reference() is None


def test_generic_alias_and_repr(run: Runner[Any]) -> None:
    async def main() -> None:
        assert Future[int] is not None
        future: Future[int] = Future()
        assert repr(future) == "<Future pending>"
        future.set_result(3)
        assert repr(future) == "<Future finished result=3>"

    run(main)
