# SPDX-License-Identifier: MIT
# fasterapi-futures/benchmarks/instructions.py: instructions per operation, ours against uvloop
"""CPU instructions per operation under callgrind, for the scenarios whose timings move most
between runs on a busy machine (compare.py measures the same scenarios in time).

    python packages/fasterapi-futures/benchmarks/instructions.py

Each scenario runs in a child interpreter under ``valgrind --tool=callgrind`` twice, with N
and 3N operations; the difference divided by 2N is the cost of one operation, start-up and
imports cancelled out. Instruction counts do not care how busy the machine is, but they leave
out what the kernel does (uvloop polls epoll on every turn, our loop far less often) and
memory stalls, so they complement the timings rather than replace them.
"""

from __future__ import annotations

import asyncio
import sys

from fasterapi_testing.callgrind import instructions_per_unit, require_valgrind

SCENARIOS = ("create_resolve_await", "suspend_resume", "call_soon")
SIDES = ("uvloop", "fasterapi")
SIZES = {"create_resolve_await": 20_000, "suspend_resume": 10_000, "call_soon": 100_000}


async def create_resolve_await(n: int, ours: bool) -> None:
    """What compare.py's first rows do, on uvloop: its future against ours."""
    import fasterapi_futures as ff

    loop = asyncio.get_running_loop()
    if ours:
        future_type = ff.Future
        for i in range(n):
            future = future_type(loop=loop)
            future.set_result(i)
            await future
    else:
        create = loop.create_future
        for i in range(n):
            future = create()
            future.set_result(i)
            await future


async def suspend_resume(n: int) -> None:
    """What compare.py's suspend + resume row does: a native future completed by call_soon."""
    import fasterapi_futures as ff

    loop = asyncio.get_running_loop()
    for i in range(n):
        future = ff.Future(loop=loop)
        loop.call_soon(future.set_result, i)
        await future


async def call_soon(n: int) -> None:
    """What compare.py's call_soon row does: bursts of 1,000 callbacks, then run."""
    loop = asyncio.get_running_loop()
    call = loop.call_soon

    def noop() -> None:
        pass

    for _ in range(n // 1000):
        done = loop.create_future()
        for _ in range(999):
            call(noop)
        call(done.set_result, None)
        await done


def child(scenario: str, side: str, n: int) -> None:
    """Run SCENARIO N times on SIDE: uvloop, or ours (our loop; our future on uvloop for
    create_resolve_await, which compares futures rather than loops)."""
    import uvloop

    import fasterapi_futures

    ours = side == "fasterapi"
    if scenario == "create_resolve_await":
        loop = uvloop.new_event_loop()
        body = create_resolve_await(n, ours)
    else:
        loop = fasterapi_futures.new_event_loop() if ours else uvloop.new_event_loop()
        body = suspend_resume(n) if scenario == "suspend_resume" else call_soon(n)
    try:
        loop.run_until_complete(body)
    finally:
        loop.close()


def main() -> None:
    require_valgrind()
    print(f"{'scenario':<22} {'uvloop':>10} {'fasterapi':>10} {'ratio':>7}   (instructions/op)")
    for scenario in SCENARIOS:
        n = SIZES[scenario]
        per_op = {
            side: instructions_per_unit([__file__, "--child", scenario, side], n) for side in SIDES
        }
        ratio = per_op["fasterapi"] / per_op["uvloop"]
        print(f"{scenario:<22} {per_op['uvloop']:10.0f} {per_op['fasterapi']:10.0f} {ratio:6.2f}x")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
