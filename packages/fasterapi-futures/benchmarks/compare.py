# SPDX-License-Identifier: MIT
# fasterapi-futures/benchmarks/compare.py: our futures against asyncio's and uvloop's, same run
"""Side-by-side costs of the future operations, best of several rounds, with ratios.

    python packages/fasterapi-futures/benchmarks/compare.py [--rounds 5] [--scale 1.0]

Each scenario runs one coroutine that repeats an operation N times; the figure is the wall time
divided by N (ns per operation) or completions per second. Loop-level scenarios (call_soon,
timers, TCP echo) need fasterapi_futures' own event loop and are not measured here yet.
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

    def row(label: str, seconds: float, count: int, baseline: float | None) -> float:
        per_op = seconds / count * 1e9 - harness
        ratio = f"{per_op / baseline:6.2f}x" if baseline else "   1.00x"
        print(f"{label:<58} {per_op:9.1f} {ratio:>7}  ({1e3 / per_op:6.2f} M/s)")
        return per_op

    print("-- create + resolve + await a future (ratio to uvloop's asyncio.Future)")
    base = row("uvloop: loop.create_future()", timed("uvloop", ready_asyncio(n), rounds), n, None)
    row("asyncio: loop.create_future()", timed("asyncio", ready_asyncio(n), rounds), n, base)
    row("fasterapi_futures.Future on uvloop", timed("uvloop", ready_ours(n), rounds), n, base)

    print("-- suspend + resume through the loop (call_soon completes it; ratio to uvloop)")
    base = row("uvloop: asyncio.Future", timed("uvloop", resume_asyncio(n), rounds), n, None)
    row("asyncio: asyncio.Future", timed("asyncio", resume_asyncio(n), rounds), n, base)
    row("fasterapi_futures.Future on uvloop", timed("uvloop", resume_ours(n), rounds), n, base)

    m = n // 10
    print("-- wait for 10 ready futures (ratio to asyncio.gather on uvloop)")
    base = row(
        "uvloop: asyncio.gather(10 asyncio futures)",
        timed("uvloop", gather_ready(m, asyncio.gather, "asyncio"), rounds),
        m,
        None,
    )
    row(
        "uvloop: ff.when_all(10 ff.Futures)",
        timed("uvloop", gather_ready(m, ff.when_all, "ours"), rounds),
        m,
        base,
    )

    print("-- completions from another thread (ns per completion; ratio to uvloop)")
    base = row(
        "uvloop: call_soon_threadsafe(f.set_result)",
        timed("uvloop", threadsafe_uvloop(n), rounds),
        n,
        None,
    )
    row(
        "ff.Promise.set_result from a Python thread (uvloop)",
        timed("uvloop", threadsafe_ours_python(n), rounds),
        n,
        base,
    )
    row(
        "ff.Promise from a C++ thread, no GIL (uvloop)",
        timed("uvloop", threadsafe_ours_native(n), rounds),
        n,
        base,
    )
    row(
        "ff.Promise from a C++ thread, no GIL (asyncio)",
        timed("asyncio", threadsafe_ours_native(n), rounds),
        n,
        base,
    )


if __name__ == "__main__":
    main()
