# SPDX-License-Identifier: MIT
# fasterapi-futures/tests/test_leaks.py: the native types leak no Python objects
"""Futures, promises (from the loop, from threads, from C++), handles and the loop core leave
the allocator where it was after many rounds (fasterapi_testing.leaks). Each scenario is its
own body: asyncio's own bookkeeping (gather, task lists) adds noise a leak check must not
mistake for a leak."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import gc
import socket
import threading
import warnings
import weakref
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest

import fasterapi_futures as ff
from fasterapi_futures._futures import _NativeProducer
from fasterapi_testing import leaks

ROUNDS = 1000
Body = Callable[[asyncio.AbstractEventLoop], Coroutine[Any, Any, None]]


async def ready_and_failed(loop: asyncio.AbstractEventLoop) -> None:
    ready: ff.Future[int] = ff.Future(loop=loop)
    ready.set_result(1)
    await ready
    failed: ff.Future[int] = ff.Future(loop=loop)
    failed.set_exception(ValueError("x"))
    with contextlib.suppress(ValueError):
        await failed
    await ff.when_all(ready, ready)


async def resumed_later(loop: asyncio.AbstractEventLoop) -> None:
    later: ff.Future[int] = ff.Future(loop=loop)
    loop.call_soon(later.set_result, 2)
    await later


async def cancelled_and_chained(loop: asyncio.AbstractEventLoop) -> None:
    cancelled: ff.Future[int] = ff.Future(loop=loop)
    cancelled.add_done_callback(lambda f: None)
    cancelled.cancel(msg="stop")
    source: ff.Future[int] = ff.Future(loop=loop)
    source.set_result(1)
    await source.then(lambda value: value + 1)


async def promise_on_the_loop(loop: asyncio.AbstractEventLoop) -> None:
    here = ff.Promise(loop=loop)
    here.set_result(1)
    await here.future
    dropped = ff.Promise(loop=loop)
    dropped.future.cancel()
    dropped.set_result(3)


async def promise_from_a_thread(loop: asyncio.AbstractEventLoop) -> None:
    far = ff.Promise(loop=loop)
    thread = threading.Thread(target=far.set_result, args=(2,))
    thread.start()
    await far.future
    thread.join()


async def promises_from_cpp(loop: asyncio.AbstractEventLoop) -> None:
    promises = [ff.Promise(loop=loop) for _ in range(3)]
    producer = _NativeProducer(promises, 0)
    for promise in promises:
        await promise.future
    producer.join()


async def scheduling(loop: asyncio.AbstractEventLoop) -> None:
    done = loop.create_future()
    loop.call_soon(lambda: None)
    loop.call_later(10, lambda: None).cancel()
    loop.call_at(loop.time(), done.set_result, None)
    await done
    threadsafe = loop.create_future()
    loop.call_soon_threadsafe(threadsafe.set_result, None)
    await threadsafe


@pytest.fixture(params=["asyncio", "fasterapi"])
def loop(request: pytest.FixtureRequest) -> Iterator[asyncio.AbstractEventLoop]:
    created = asyncio.new_event_loop() if request.param == "asyncio" else ff.new_event_loop()
    yield created
    created.close()


@pytest.mark.parametrize(
    "body",
    [
        ready_and_failed,
        resumed_later,
        cancelled_and_chained,
        promise_on_the_loop,
        promise_from_a_thread,
        promises_from_cpp,
        scheduling,
    ],
)
def test_leaks_nothing(loop: asyncio.AbstractEventLoop, body: Body) -> None:
    assert not leaks(lambda: loop.run_until_complete(body(loop)), ROUNDS)


# Queued handles are left out of the cyclic garbage collector (LoopCore::enqueue_ready); these
# check that nothing it should collect is lost for it.


def test_a_queued_handle_is_untracked_and_tracked_again_when_held() -> None:
    loop = ff.new_event_loop()
    try:
        handle = loop.call_soon(lambda: None)
        assert not gc.is_tracked(handle)
        loop.call_soon(loop.stop)
        loop.run_forever()
        assert gc.is_tracked(handle)  # it outlived the queue: back in the collector's view
    finally:
        loop.close()


def test_an_unclosed_loop_with_queued_callbacks_is_collected() -> None:
    loop = ff.new_event_loop()
    loop.call_soon(loop.stop)  # a queued handle that refers back to the loop: a cycle
    loop.call_soon(print, "never")
    gone = weakref.ref(loop)
    del loop
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)  # asyncio's "unclosed event loop"
        gc.collect()
    assert gone() is None


def test_a_handle_kept_by_an_exception_report_is_collected_with_its_loop() -> None:
    class Reports(list[dict[str, Any]]):
        def __call__(self, loop: object, context: dict[str, Any]) -> None:
            self.append(context)

    reports = Reports()
    loop = ff.new_event_loop()

    def broken() -> None:
        raise ValueError("in a callback")

    loop.set_exception_handler(reports)
    loop.call_soon(broken)  # its report holds the handle, which holds the loop: a cycle
    loop.call_soon(loop.stop)
    loop.run_forever()
    loop.close()
    assert gc.is_tracked(reports[0]["handle"])
    gone = weakref.ref(loop)
    del loop, reports
    gc.collect()
    assert gone() is None


# The context call_soon copies for a handle stays out of the collector's view while the handle
# is queued (py_handle.hpp, handle_unpark_context), and must be back in it before anyone else
# can see or free it.


def own_context(handle: asyncio.Handle) -> contextvars.Context:
    """The handle's context, read through the collector without handle.get_context()."""
    return next(item for item in gc.get_referents(handle) if isinstance(item, contextvars.Context))


def test_a_queued_handles_copied_context_is_untracked_until_it_runs() -> None:
    loop = ff.new_event_loop()
    try:
        handle = loop.call_soon(lambda: None)
        assert not gc.is_tracked(own_context(handle))
        given = contextvars.copy_context()
        with_context = loop.call_soon(lambda: None, context=given)
        assert gc.is_tracked(given)  # a context the caller passed is left as it is
        loop.call_soon(loop.stop)
        loop.run_forever()
        assert gc.is_tracked(own_context(handle))
        assert with_context.get_context() is given
    finally:
        loop.close()


def test_a_queued_handles_context_is_tracked_once_asked_for() -> None:
    loop = ff.new_event_loop()
    try:
        handle = loop.call_soon(lambda: None)
        context = handle.get_context()
        assert gc.is_tracked(context)
        del handle, context
        timer = loop.call_later(10, lambda: None)
        assert not gc.is_tracked(own_context(timer))
        timer.cancel()
        del timer  # its context is freed tracked (CPython's dealloc untracks unchecked)
        left = loop.call_soon(lambda: None)
        assert not gc.is_tracked(own_context(left))
        del left  # the queue's reference is the last: close() frees its context
    finally:
        loop.close()


def test_a_readers_context_is_tracked() -> None:
    loop = ff.new_event_loop()
    reading, writing = socket.socketpair()
    try:
        loop.add_reader(reading.fileno(), lambda: None)
        handle = loop._core.watchers(reading.fileno())[0]
        assert gc.is_tracked(own_context(handle))
        loop.remove_reader(reading.fileno())
    finally:
        reading.close()
        writing.close()
        loop.close()


def test_a_cycle_through_a_handles_context_is_collected_after_it_runs() -> None:
    class Value:
        pass

    variable: contextvars.ContextVar[object] = contextvars.ContextVar("variable")
    loop = ff.new_event_loop()
    try:
        value = Value()
        handle = loop.call_soon(variable.set, value)  # sets it in the handle's own context
        value.handle = handle  # type: ignore[attr-defined]  # value -> handle -> context -> value
        loop.call_soon(loop.stop)
        loop.run_forever()
        gone = weakref.ref(value)
        del value, handle
        gc.collect()
        assert gone() is None
    finally:
        loop.close()
