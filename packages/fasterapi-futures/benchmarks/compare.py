# SPDX-License-Identifier: MIT
# fasterapi-futures/benchmarks/compare.py: our futures against asyncio's and uvloop's, same run
"""Side-by-side costs of the future operations, best of several rounds, with ratios.

    python packages/fasterapi-futures/benchmarks/compare.py [--rounds 5] [--scale 1.0]

Each scenario runs one coroutine that repeats an operation N times; the figure is the wall time
divided by N (ns per operation, the empty-loop harness subtracted) and operations per second.
"fasterapi" is fasterapi_futures.EventLoop; TCP echo is in echo.py.
Futures are made with the loop at hand (``Future(loop=loop)``, as ``loop.create_future()``
has it): on Python 3.11 looking up the running loop costs a getpid() system call.
"""

from __future__ import annotations

import argparse
import asyncio
import threading
import time
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

import uvloop

import fasterapi_futures as ff
from fasterapi_futures._futures import _NativeProducer

LOOPS: dict[str, Callable[[], asyncio.AbstractEventLoop]] = {
    "asyncio": asyncio.new_event_loop,
    "uvloop": uvloop.new_event_loop,
    "fasterapi": ff.new_event_loop,
}


Body = Callable[[], Coroutine[Any, Any, "float | None"]]


def timed(loop_name: str, body: Body, rounds: int) -> float:
    """Best time (seconds) of `rounds` runs of body() on a fresh loop each: the time body()
    reports (when it times a phase itself), else its whole run."""
    best = float("inf")
    for _ in range(rounds):
        loop = LOOPS[loop_name]()
        try:
            start = time.perf_counter()
            reported = loop.run_until_complete(body())
            best = min(best, reported if reported is not None else time.perf_counter() - start)
        finally:
            loop.close()
    return best


def empty_loop(n: int) -> Body:
    """The harness alone (a coroutine looping n times), subtracted from the per-op figures."""

    async def body() -> None:
        for _ in range(n):
            pass

    return body


def ready_asyncio(n: int) -> Body:
    async def body() -> None:
        loop = asyncio.get_running_loop()
        create = loop.create_future
        for i in range(n):
            future = create()
            future.set_result(i)
            await future

    return body


def ready_ours(n: int) -> Body:
    async def body() -> None:
        loop = asyncio.get_running_loop()
        future_type = ff.Future
        for i in range(n):
            future = future_type(loop=loop)
            future.set_result(i)
            await future

    return body


def resume_asyncio(n: int) -> Body:
    async def body() -> None:
        loop = asyncio.get_running_loop()
        for i in range(n):
            future = loop.create_future()
            loop.call_soon(future.set_result, i)
            await future

    return body


def resume_ours(n: int) -> Body:
    async def body() -> None:
        loop = asyncio.get_running_loop()
        for i in range(n):
            future = ff.Future(loop=loop)
            loop.call_soon(future.set_result, i)
            await future

    return body


def gather_ready(n: int, combine: Callable[..., Any], make: str) -> Body:
    async def body() -> None:
        loop = asyncio.get_running_loop()
        for _ in range(n):
            create = loop.create_future if make == "asyncio" else partial(ff.Future, loop=loop)
            futures = [create() for _ in range(10)]
            for index, future in enumerate(futures):
                future.set_result(index)
            await combine(*futures)

    return body


def call_soon_burst(n: int, batch: int = 1000) -> Body:
    """n callbacks queued with call_soon in batches of `batch` (each batch run by the loop
    before the next is queued, as a server's callbacks come), then run."""

    async def body() -> None:
        loop = asyncio.get_running_loop()
        call = loop.call_soon

        def noop() -> None:
            pass

        for _ in range(n // batch):
            done = loop.create_future()
            for _ in range(batch - 1):
                call(noop)
            call(done.set_result, None)
            await done

    return body


def timer_schedule_cancel(n: int) -> Body:
    async def body() -> None:
        later = asyncio.get_running_loop().call_later

        def noop() -> None:
            pass

        for _ in range(n):
            later(10.0, noop).cancel()

    return body


def threadsafe_uvloop(n: int) -> Body:
    async def body() -> None:
        loop = asyncio.get_running_loop()
        futures = [loop.create_future() for _ in range(n)]

        def produce() -> None:
            call = loop.call_soon_threadsafe
            for index, future in enumerate(futures):
                call(future.set_result, index)

        start = time.perf_counter()
        threading.Thread(target=produce).start()
        await futures[-1]
        return time.perf_counter() - start

    return body


def threadsafe_ours_python(n: int) -> Body:
    async def body() -> None:
        loop = asyncio.get_running_loop()
        promises = [ff.Promise(loop=loop) for _ in range(n)]

        def produce() -> None:
            for index, promise in enumerate(promises):
                promise.set_result(index)

        start = time.perf_counter()
        threading.Thread(target=produce).start()
        await promises[-1].future
        return time.perf_counter() - start

    return body


def threadsafe_ours_native(n: int) -> Body:
    async def body() -> None:
        loop = asyncio.get_running_loop()
        promises = [ff.Promise(loop=loop) for _ in range(n)]
        start = time.perf_counter()
        producer = _NativeProducer(promises, 0)
        await promises[-1].future
        elapsed = time.perf_counter() - start
        producer.join()
        return elapsed

    return body


# One row of a comparison: (label, loop name, body, operations per run).
Row = tuple[str, str, Body, int]


def compare(title: str, rows: list[Row], rounds: int, harness: float) -> None:
    """Time the rows in alternating rounds (row 1, row 2, ..., row 1, ...), best run each,
    and print ns per operation with the ratio to the first row. Alternating matters on a
    machine whose speed drifts: a row timed only during a slow spell would skew its ratio."""
    print(title)
    best = [float("inf")] * len(rows)
    for _ in range(rounds):
        for index, (_, loop, body, _) in enumerate(rows):
            best[index] = min(best[index], timed(loop, body, 1))
    baseline = 0.0
    for index, (label, _, _, count) in enumerate(rows):
        per_op = best[index] / count * 1e9 - harness
        baseline = baseline or per_op
        print(f"{label:<58} {per_op:9.1f} {per_op / baseline:6.2f}x  ({1e3 / per_op:6.2f} M/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every N by this")
    args = parser.parse_args()
    n = int(200_000 * args.scale)
    rounds = args.rounds

    print(f"{'scenario':<58} {'ns/op':>9} {'ratio':>7}")
    harness = timed("uvloop", empty_loop(n), rounds) / n * 1e9
    print(f"(harness: {harness:.1f} ns per iteration of an empty coroutine loop, subtracted)")

    def run(title: str, rows: list[Row]) -> None:
        compare(title, rows, rounds, harness)

    run(
        "-- create + resolve + await a future (ratio to uvloop's asyncio.Future)",
        [
            ("uvloop: loop.create_future()", "uvloop", ready_asyncio(n), n),
            ("asyncio: loop.create_future()", "asyncio", ready_asyncio(n), n),
            ("uvloop: fasterapi_futures.Future", "uvloop", ready_ours(n), n),
        ],
    )
    run(
        "-- suspend + resume through the loop (call_soon completes it; ratio to uvloop)",
        [
            ("uvloop: asyncio.Future", "uvloop", resume_asyncio(n), n),
            ("asyncio: asyncio.Future", "asyncio", resume_asyncio(n), n),
            ("fasterapi loop: asyncio.Future", "fasterapi", resume_asyncio(n), n),
            ("uvloop: fasterapi_futures.Future", "uvloop", resume_ours(n), n),
            ("fasterapi loop: fasterapi_futures.Future", "fasterapi", resume_ours(n), n),
        ],
    )
    run(
        "-- call_soon: queue callbacks (1000 at a time), run them (ratio to uvloop)",
        [
            ("uvloop", "uvloop", call_soon_burst(n), n),
            ("asyncio", "asyncio", call_soon_burst(n), n),
            ("fasterapi loop", "fasterapi", call_soon_burst(n), n),
        ],
    )
    run(
        "-- timer: call_later(10 s) + cancel (ratio to uvloop)",
        [
            ("uvloop", "uvloop", timer_schedule_cancel(n), n),
            ("asyncio", "asyncio", timer_schedule_cancel(n), n),
            ("fasterapi loop", "fasterapi", timer_schedule_cancel(n), n),
        ],
    )
    m = n // 10
    run(
        "-- wait for 10 ready futures (ratio to asyncio.gather on uvloop)",
        [
            (
                "uvloop: asyncio.gather(10 asyncio futures)",
                "uvloop",
                gather_ready(m, asyncio.gather, "asyncio"),
                m,
            ),
            (
                "uvloop: ff.when_all(10 ff.Futures)",
                "uvloop",
                gather_ready(m, ff.when_all, "ours"),
                m,
            ),
        ],
    )
    run(
        "-- completions from another thread (ns per completion; ratio to uvloop)",
        [
            ("uvloop: call_soon_threadsafe(f.set_result)", "uvloop", threadsafe_uvloop(n), n),
            ("fasterapi loop: call_soon_threadsafe", "fasterapi", threadsafe_uvloop(n), n),
            ("uvloop: ff.Promise from a Python thread", "uvloop", threadsafe_ours_python(n), n),
            (
                "uvloop: ff.Promise from a C++ thread, no GIL",
                "uvloop",
                threadsafe_ours_native(n),
                n,
            ),
            (
                "fasterapi loop: ff.Promise from a C++ thread",
                "fasterapi",
                threadsafe_ours_native(n),
                n,
            ),
        ],
    )


if __name__ == "__main__":
    main()
