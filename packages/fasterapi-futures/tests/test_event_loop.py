# SPDX-License-Identifier: MIT
# fasterapi-futures/tests/test_event_loop.py: the event loop contract, on every loop
"""The same bodies run on asyncio's loop, uvloop and fasterapi_futures.EventLoop (see the
``run`` fixture), so any difference in behaviour fails here."""

from __future__ import annotations

import asyncio
import contextvars
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest

import fasterapi_futures

# For the tests that drive run_forever() themselves: asyncio's loop as the reference, and ours.
REFERENCE_AND_OURS = (asyncio.new_event_loop, fasterapi_futures.new_event_loop)

T = TypeVar("T")
# What the ``run`` fixture (conftest.py) gives: run(main) runs main() on the loop under test.
Runner = Callable[[Callable[[], Coroutine[Any, Any, T]]], T]


def test_callbacks_run_in_order_and_timers_by_deadline(run: Runner[Any]) -> None:
    async def main() -> list[str]:
        loop = asyncio.get_running_loop()
        order: list[str] = []
        done = loop.create_future()
        now = loop.time()
        loop.call_at(now + 0.03, order.append, "timer 30ms")
        loop.call_later(0.01, order.append, "timer 10ms")
        cancelled = loop.call_later(0.02, order.append, "cancelled")
        loop.call_later(0.02, order.append, "timer 20ms")
        loop.call_soon(order.append, "soon 1")
        loop.call_soon(order.append, "soon 2")
        loop.call_later(0.04, done.set_result, None)
        cancelled.cancel()
        assert cancelled.cancelled()
        await done
        return order

    assert run(main) == ["soon 1", "soon 2", "timer 10ms", "timer 20ms", "timer 30ms"]


def test_callbacks_run_in_their_context(run: Runner[Any]) -> None:
    variable: contextvars.ContextVar[str] = contextvars.ContextVar("variable", default="none")

    async def main() -> list[str]:
        loop = asyncio.get_running_loop()
        seen: list[str] = []
        context = contextvars.copy_context()
        context.run(variable.set, "given")
        variable.set("current")
        loop.call_soon(lambda: seen.append(variable.get()))
        loop.call_soon(lambda: seen.append(variable.get()), context=context)
        await asyncio.sleep(0)
        return seen

    assert run(main) == ["current", "given"]


def test_an_exception_in_a_callback_goes_to_the_handler(run: Runner[Any]) -> None:
    async def main() -> list[dict[str, Any]]:
        loop = asyncio.get_running_loop()
        reports: list[dict[str, Any]] = []
        loop.set_exception_handler(lambda _, context: reports.append(context))

        def broken() -> None:
            raise ValueError("in a callback")

        loop.call_soon(broken)
        after = loop.create_future()
        loop.call_soon(after.set_result, "still running")
        assert await after == "still running"
        return reports

    reports = run(main)
    assert len(reports) == 1
    assert isinstance(reports[0]["exception"], ValueError)
    assert "Exception in callback" in reports[0]["message"]


def test_keyboard_interrupt_leaves_the_loop() -> None:
    for factory in REFERENCE_AND_OURS:
        loop = factory()
        try:

            def interrupt() -> None:
                raise KeyboardInterrupt

            loop.call_soon(interrupt)
            with pytest.raises(KeyboardInterrupt):
                loop.run_forever()
        finally:
            loop.close()


def test_a_signal_interrupts_an_idle_loop() -> None:
    # The loop turns natively while idle: a Python signal handler must still run and raise.
    class Interrupted(Exception):
        pass

    def on_signal(signum: int, frame: object) -> None:
        raise Interrupted

    previous = signal.signal(signal.SIGUSR2, on_signal)
    loop = fasterapi_futures.new_event_loop()
    try:
        # The fallback stop is native (no Python frame the pending handler could run in), so a
        # loop that ignores signals returns late instead of hanging the test.
        loop.call_later(2, loop._core.request_stop)
        main_thread = threading.get_ident()
        timer = threading.Timer(0.05, signal.pthread_kill, (main_thread, signal.SIGUSR2))
        started = time.monotonic()
        timer.start()
        with pytest.raises(Interrupted):
            loop.run_forever()  # sleeps in epoll_wait until the signal
        assert time.monotonic() - started < 1.5
        timer.join()
    finally:
        loop.close()
        signal.signal(signal.SIGUSR2, previous)


def test_stop_before_run_forever_runs_one_turn() -> None:
    for factory in REFERENCE_AND_OURS:
        loop = factory()
        try:
            ran: list[int] = []
            loop.call_soon(ran.append, 1)
            loop.stop()
            loop.run_forever()  # one turn, then stops (asyncio's rule)
            loop.call_soon(ran.append, 2)
            loop.call_soon(loop.stop)
            loop.run_forever()  # the earlier stop() does not carry over
            assert ran == [1, 2]
        finally:
            loop.close()


def test_a_chain_of_ready_callbacks_does_not_starve_io(run: Runner[Any]) -> None:
    async def main() -> int:
        loop = asyncio.get_running_loop()
        left, right = socket.socketpair()
        right.setblocking(False)
        readable = loop.create_future()
        turns = 0

        def again() -> None:  # always one callback ready: the loop never goes idle
            nonlocal turns
            turns += 1
            if not readable.done():
                loop.call_soon(again)

        try:
            loop.add_reader(right.fileno(), readable.set_result, True)
            loop.call_soon(again)
            left.send(b"x")
            await asyncio.wait_for(readable, 5)
            loop.remove_reader(right.fileno())
            return turns
        finally:
            left.close()
            right.close()

    assert run(main) > 0


def test_call_soon_threadsafe_from_many_threads(run: Runner[Any]) -> None:
    threads, per_thread = 8, 2000

    async def main() -> int:
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        count = 0

        def bump() -> None:
            nonlocal count
            count += 1
            if count == threads * per_thread:
                done.set_result(count)

        def produce() -> None:
            for _ in range(per_thread):
                loop.call_soon_threadsafe(bump)

        workers = [threading.Thread(target=produce) for _ in range(threads)]
        for worker in workers:
            worker.start()
        result = await asyncio.wait_for(done, 10)
        for worker in workers:
            worker.join()
        return result

    assert run(main) == threads * per_thread


def test_tcp_echo_over_loopback(run: Runner[Any]) -> None:
    payloads = [b"x" * 100, b"y" * 4096, b"z" * 200_000]

    async def main() -> list[bytes]:
        handlers: list[asyncio.Task[None]] = []

        async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
            writer.close()
            await writer.wait_closed()

        def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            handlers.append(asyncio.ensure_future(echo(reader, writer)))

        server = await asyncio.start_server(on_connection, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        received = []
        for payload in payloads:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(payload)
            await writer.drain()
            received.append(await reader.readexactly(len(payload)))
            writer.close()
            await writer.wait_closed()
        # Python 3.11's wait_closed() does not wait for the connections' handlers: without
        # this, the loop could close before a handler closed its end (an unclosed socket).
        await asyncio.gather(*handlers)
        server.close()
        await server.wait_closed()
        return received

    assert run(main) == payloads


def test_sock_calls_and_readers(run: Runner[Any]) -> None:
    async def main() -> tuple[bytes, bytes]:
        loop = asyncio.get_running_loop()
        left, right = socket.socketpair()
        left.setblocking(False)
        right.setblocking(False)
        try:
            await loop.sock_sendall(left, b"ping")
            first = await loop.sock_recv(right, 10)
            readable = loop.create_future()
            loop.add_reader(right.fileno(), lambda: readable.done() or readable.set_result(True))
            left.send(b"pong")
            await readable
            loop.remove_reader(right.fileno())  # (uvloop returns None, asyncio a bool)
            return first, right.recv(10)
        finally:
            left.close()
            right.close()

    assert run(main) == (b"ping", b"pong")


def test_cancellation_and_timeouts(run: Runner[Any]) -> None:
    async def main() -> None:
        task = asyncio.ensure_future(asyncio.sleep(10))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(asyncio.sleep(10), 0.01)

    run(main)


def test_executor_and_getaddrinfo(run: Runner[Any]) -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        assert await loop.run_in_executor(None, sum, [1, 2, 3]) == 6
        infos = await loop.getaddrinfo("127.0.0.1", 80, type=socket.SOCK_STREAM)
        assert infos[0][4] == ("127.0.0.1", 80)

    run(main)


def test_signal_handlers(run: Runner[Any]) -> None:
    async def main() -> str:
        loop = asyncio.get_running_loop()
        got = loop.create_future()
        loop.add_signal_handler(signal.SIGUSR1, got.set_result, "signalled")
        try:
            os.kill(os.getpid(), signal.SIGUSR1)
            return await asyncio.wait_for(got, 5)
        finally:
            loop.remove_signal_handler(signal.SIGUSR1)

    assert run(main) == "signalled"


def test_async_generators_are_finalized(run: Runner[Any]) -> None:
    closed: list[bool] = []

    async def numbers() -> Any:
        try:
            yield 1
            yield 2
        finally:
            closed.append(True)

    async def main() -> int:
        async for value in numbers():
            return value
        return 0

    assert run(main) == 1
    assert closed == [True]


def test_closing_with_pending_work() -> None:
    loop = fasterapi_futures.new_event_loop()
    loop.call_soon(print, "never runs")
    timer = loop.call_later(10, print, "never fires")
    loop.close()
    assert loop.is_closed()
    with pytest.raises(RuntimeError, match="closed"):
        loop.call_soon(print)
    timer.cancel()  # after close: harmless
    loop.close()  # twice: harmless


def test_run_install_and_runner() -> None:
    async def which() -> str:
        return type(asyncio.get_running_loop()).__name__

    assert fasterapi_futures.run(which()) == "EventLoop"
    with asyncio.Runner(loop_factory=fasterapi_futures.new_event_loop) as runner:
        assert runner.run(which()) == "EventLoop"
    previous = asyncio.get_event_loop_policy()
    fasterapi_futures.install()
    try:
        assert asyncio.run(which()) == "EventLoop"
    finally:
        asyncio.set_event_loop_policy(previous)
