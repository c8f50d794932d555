# SPDX-License-Identifier: MIT
# fasterapi-pg/benchmarks/compare_async.py: the async driver against asyncpg, same server, same run
"""fasterapi_pg's async API against asyncpg (both on uvloop), psycopg_pool's async pool,
plain libpq (a C++ program) and pgbench, against the same server in the same run.

    python packages/fasterapi-pg/benchmarks/compare_async.py [DSN]

The 100k-row fetch is also run with a libpq that streams rows (17 or newer: psycopg's
bundled one, preloaded in a child process) where the system's is older.

Without a DSN it starts a throw-away cluster (fasterapi_testing); then the sequential round
trips run with the client and the server pinned to one CPU. Figures are medians of
alternating passes.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import psycopg_pool
import uvloop
from compare_sync import MIXED_TABLE, rerun_with_libpq_that_streams  # the same table
from loop_per_core import LoopsPerCore

import fasterapi_pg
from fasterapi_testing import TempCluster

ROUND_TRIPS = 2000
PASSES = 7
WORKER_QUERIES = 20_000
WORKER_ROUNDS = 5
COPY_ROWS = 1_000_000
HERE = Path(__file__).parent


async def alternating_ms(
    *runs: Callable[[], Awaitable[object]], passes: int = PASSES
) -> list[float]:
    """Medians of passes that alternate between the runs: a slow spell of the machine (or a
    server checkpoint) then lands on all of them instead of on whichever ran at the time."""
    for run in runs:
        await run()  # warm up: statements prepared, caches filled
    samples: list[list[float]] = [[] for _ in runs]
    for _ in range(passes):
        for run, taken in zip(runs, samples, strict=True):
            start = time.perf_counter()
            await run()
            taken.append((time.perf_counter() - start) * 1000)
    return [statistics.median(taken) for taken in samples]


def report(
    what: str, ours: float, peers: dict[str, float], unit: str, lower_is_better=True
) -> None:
    line = f"{what:<32} fasterapi_pg {ours:9.1f} {unit}"
    for name, figure in peers.items():
        ratio = figure / ours if lower_is_better else ours / figure
        line += f"   {name} {figure:9.1f} {unit} ({ratio:.2f}x)"
    print(line, flush=True)


def backend_parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def pin_server(pid_of_a_backend: int, cpus: set[int]) -> bool:
    """Pin the postmaster (and so every backend it forks from now on); False if not ours."""
    try:
        os.sched_setaffinity(backend_parent(pid_of_a_backend), cpus)
    except (OSError, ValueError):
        return False
    return True


def build_libpq_floor(scratch: Path) -> Path | None:
    """Compile libpq_floor.cpp into SCRATCH; None when there is no compiler."""
    compiler = shutil.which("g++") or shutil.which("c++")
    if compiler is None:
        return None
    flags = subprocess.run(
        ["pkg-config", "--cflags", "--libs", "libpq"], capture_output=True, text=True, check=True
    ).stdout.split()
    binary = scratch / "libpq_floor"
    source = str(HERE / "libpq_floor.cpp")
    subprocess.run([compiler, "-O2", "-std=c++17", source, "-o", str(binary), *flags], check=True)
    return binary


def run_libpq_floor(binary: Path, dsn: str) -> dict[str, float]:
    """One measured pass of the floor program: round_trip_us and fetch_ms."""
    output = subprocess.run(
        [str(binary), dsn, str(ROUND_TRIPS), "1"], capture_output=True, text=True, check=True
    ).stdout
    return {key: float(value) for key, value in (line.split() for line in output.splitlines())}


def pgbench_tps(dsn: str, seconds: int, threads: int) -> float | None:
    """pgbench with 10 clients on THREADS threads running prepared `SELECT $1::int`,
    transactions per second."""
    pgbench = shutil.which("pgbench") or "/usr/lib/postgresql/15/bin/pgbench"
    if not Path(pgbench).exists():
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as script:
        script.write("\\set x random(1, 1000000)\nSELECT :x::int;\n")
        script.flush()
        output = subprocess.run(
            [
                pgbench,
                "-n",
                "-M",
                "prepared",
                "-c",
                "10",
                "-j",
                str(threads),
                "-T",
                str(seconds),
                "-f",
                script.name,
                dsn,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    for line in output.splitlines():
        if line.startswith("tps ="):
            return float(line.split()[2])
    return None


async def round_trips(dsn: str) -> None:
    ours = await fasterapi_pg.connect_async(dsn)
    theirs = await asyncpg.connect(dsn)
    pinned = pin_server(ours.backend_pid, {0})
    if pinned:  # the connections above predate the pin: make new ones that inherit it
        await ours.close()
        await theirs.close()
        os.sched_setaffinity(0, {0})
        ours = await fasterapi_pg.connect_async(dsn)
        theirs = await asyncpg.connect(dsn)

    # The sync API on the same pinned CPU: a script's round trip, no event loop in it.
    ours_sync = fasterapi_pg.connect(dsn)

    async def ours_trips() -> None:
        for i in range(ROUND_TRIPS):
            await ours.fetchval("SELECT $1::int", i)

    async def ours_sync_trips() -> None:
        for i in range(ROUND_TRIPS):
            ours_sync.fetchval("SELECT $1::int", i)

    async def theirs_trips() -> None:
        for i in range(ROUND_TRIPS):
            await theirs.fetchval("SELECT $1::int", i)

    # Passes alternate between the drivers and the floor: on a noisy machine, a ratio is
    # only fair between figures taken at the same time.
    per_trip = 1000 / ROUND_TRIPS
    ours_samples, theirs_samples, sync_samples, floor_samples = [], [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        floor_binary = await asyncio.to_thread(build_libpq_floor, Path(scratch))
        await ours_trips()
        await theirs_trips()
        for _ in range(PASSES):
            for trips, samples in (
                (ours_trips, ours_samples),
                (theirs_trips, theirs_samples),
                (ours_sync_trips, sync_samples),
            ):
                start = time.perf_counter()
                await trips()
                samples.append((time.perf_counter() - start) * 1000 * per_trip)
            if floor_binary is not None:
                floor_samples.append(await asyncio.to_thread(run_libpq_floor, floor_binary, dsn))
    ours_us, theirs_us = statistics.median(ours_samples), statistics.median(theirs_samples)
    print(f"(client and server pinned to CPU 0: {pinned})")
    report("sequential SELECT $1::int", ours_us, {"asyncpg": theirs_us}, "us")
    if floor_samples:
        floor_us = statistics.median(sample["round_trip_us"] for sample in floor_samples)
        floor_fetch = statistics.median(sample["fetch_ms"] for sample in floor_samples)
        sync_us = statistics.median(sync_samples)
        print(
            f"{'':<30} libpq C++ floor {floor_us:.1f} us: fasterapi_pg is "
            f"{ours_us / floor_us:.2f}x it, asyncpg {theirs_us / floor_us:.2f}x"
        )
        print(
            f"{'':<30} fasterapi_pg sync API {sync_us:.1f} us: {sync_us / floor_us:.2f}x the floor"
        )
        print(f"{'':<30} (libpq C++ floor for the 100k-row fetch: {floor_fetch:.1f} ms)")
    await ours.close()
    await theirs.close()
    ours_sync.close()
    if pinned:
        everything = set(range(os.cpu_count() or 1))
        os.sched_setaffinity(0, everything)
        probe = await fasterapi_pg.connect_async(dsn)
        pin_server(probe.backend_pid, everything)
        await probe.close()


async def fetches(dsn: str) -> None:
    ours = await fasterapi_pg.connect_async(dsn)
    theirs = await asyncpg.connect(dsn)
    # asyncpg returns jsonb as its text; we parse it unless asked not to: the second row
    # compares like with like.
    ours_json_text = await fasterapi_pg.connect_async(dsn, json_as_text=True)

    async def ours_fetch() -> None:
        await ours.fetch("SELECT * FROM bench_mixed")

    async def ours_json_text_fetch() -> None:
        await ours_json_text.fetch("SELECT * FROM bench_mixed")

    async def theirs_fetch() -> None:
        await theirs.fetch("SELECT * FROM bench_mixed")

    ours_ms, json_text_ms, theirs_ms = await alternating_ms(
        ours_fetch, ours_json_text_fetch, theirs_fetch
    )
    what = "100k-row fetch, streamed" if fasterapi_pg.streams_rows() else "100k-row 12-column fetch"
    report(what, ours_ms, {"asyncpg": theirs_ms}, "ms")
    report("  the same, json_as_text=True", json_text_ms, {"asyncpg": theirs_ms}, "ms")
    for conn in (ours, ours_json_text, theirs):
        await conn.close()


async def bulk(dsn: str) -> None:
    await fetches(dsn)
    rerun_with_libpq_that_streams(__file__, dsn)
    ours = await fasterapi_pg.connect_async(dsn)
    theirs = await asyncpg.connect(dsn)

    await ours.execute("CREATE TABLE IF NOT EXISTS bench_many (id int, name text, ratio float8)")
    insert = "INSERT INTO bench_many VALUES ($1, $2, $3)"
    for rows, label in [(20_000, "executemany 20k rows"), (100, "executemany 100 rows")]:
        many = [(i, f"name-{i}", i * 0.5) for i in range(rows)]

        async def ours_many(many: list[tuple[int, str, float]] = many) -> None:
            await ours.execute("TRUNCATE bench_many")
            await ours.executemany(insert, many)

        async def theirs_many(many: list[tuple[int, str, float]] = many) -> None:
            await theirs.execute("TRUNCATE bench_many")
            await theirs.executemany(insert, many)

        ours_ms, theirs_ms = await alternating_ms(ours_many, theirs_many)
        report(label, ours_ms, {"asyncpg": theirs_ms}, "ms")

    # A pipelined batch of 100 queries that return rows: asyncpg's fetchmany and ours, 100
    # batches per pass (one takes well under a millisecond) and three times the passes: the
    # two are close, and seven short passes moved the ratio by 0.3x between runs.
    pipelined = "SELECT $1::int AS id, $2::text AS name"
    batch = [(i, f"name-{i}") for i in range(100)]

    async def ours_batches() -> None:
        for _ in range(100):
            await ours.fetchmany(pipelined, batch)

    async def theirs_batches() -> None:
        for _ in range(100):
            await theirs.fetchmany(pipelined, batch)

    ours_ms, theirs_ms = await alternating_ms(ours_batches, theirs_batches, passes=3 * PASSES)
    report("pipelined 100 (fetchmany)", ours_ms * 10, {"asyncpg": theirs_ms * 10}, "us")

    await ours.execute("CREATE TABLE IF NOT EXISTS bench_copy (id int, name text, ratio float8)")
    copied = [(i, f"name-{i}", i * 0.5) for i in range(COPY_ROWS)]

    async def ours_copy() -> None:
        await ours.execute("TRUNCATE bench_copy")
        await ours.copy_records_to_table("bench_copy", records=copied)

    async def theirs_copy() -> None:
        await theirs.execute("TRUNCATE bench_copy")
        await theirs.copy_records_to_table("bench_copy", records=copied)

    ours_ms, theirs_ms = await alternating_ms(ours_copy, theirs_copy)
    report("COPY in of 1M rows (records)", ours_ms, {"asyncpg": theirs_ms}, "ms")

    async def ours_connect() -> None:
        for _ in range(20):
            await (await fasterapi_pg.connect_async(dsn)).close()

    async def theirs_connect() -> None:
        for _ in range(20):
            await (await asyncpg.connect(dsn)).close()

    ours_ms, theirs_ms = await alternating_ms(ours_connect, theirs_connect)
    report("connect + close", ours_ms / 20, {"asyncpg": theirs_ms / 20}, "ms")
    await ours.close()
    await theirs.close()


async def pools(dsn: str) -> None:
    ours = await fasterapi_pg.AsyncPool(dsn, min_size=1, max_size=1).open()
    theirs = await asyncpg.create_pool(dsn, min_size=1, max_size=1)
    psycopg_async = psycopg_pool.AsyncConnectionPool(dsn, min_size=1, max_size=1, open=False)
    await psycopg_async.open()

    async def ours_acquire() -> None:
        for _ in range(ROUND_TRIPS):
            async with ours.acquire():
                pass

    async def theirs_acquire() -> None:
        for _ in range(ROUND_TRIPS):
            async with theirs.acquire():
                pass

    async def psycopg_acquire() -> None:
        for _ in range(ROUND_TRIPS):
            async with psycopg_async.connection():
                pass

    per = 1000 / ROUND_TRIPS
    ours_ms, theirs_ms, psycopg_ms = await alternating_ms(
        ours_acquire, theirs_acquire, psycopg_acquire
    )
    report(
        "pool acquire+release",
        ours_ms * per,
        {"asyncpg": theirs_ms * per, "psycopg_pool": psycopg_ms * per},
        "us",
    )
    await ours.close()
    await theirs.close()
    await psycopg_async.close()

    ours = await fasterapi_pg.AsyncPool(dsn, min_size=10, max_size=10).open()
    theirs = await asyncpg.create_pool(dsn, min_size=10, max_size=10)

    async def through(pool: fasterapi_pg.AsyncPool | asyncpg.Pool) -> float:
        async def worker(n: int) -> None:
            for i in range(WORKER_QUERIES // 10):
                await pool.fetchval("SELECT $1::int", n + i)

        start = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(10)))
        return WORKER_QUERIES / (time.perf_counter() - start)

    await through(ours)
    await through(theirs)
    # The same ten workers from one event loop per core: two processes with pools of five,
    # beside pgbench with two client threads.
    per_core = LoopsPerCore(dsn, processes=2, workers=5, queries=WORKER_QUERIES)
    # Rounds alternate between all of them (pgbench for about as long as one of ours), so that
    # the machine's drift lands on all of them.
    one_loop: dict[str, list[float]] = {"ours": [], "asyncpg": [], "pgbench -j 1": []}
    two_loops: dict[str, list[float]] = {"ours": [], "pgbench -j 2": []}
    for _ in range(WORKER_ROUNDS):
        one_loop["ours"].append(await through(ours))
        one_loop["asyncpg"].append(await through(theirs))
        two_loops["ours"].append(await asyncio.to_thread(per_core.round))
        for threads, samples in ((1, one_loop), (2, two_loops)):
            tps = await asyncio.to_thread(pgbench_tps, dsn, 1, threads)
            if tps is not None:
                samples[f"pgbench -j {threads}"].append(tps)
    per_core.close()
    for what, samples in (
        ("10 workers, 1 loop, pool of 10", one_loop),
        ("10 workers, 2 loops, pools of 5", two_loops),
    ):
        ours_qps = statistics.median(samples.pop("ours"))
        peers = {name: statistics.median(rates) for name, rates in samples.items() if rates}
        report(what, ours_qps, peers, "q/s", lower_is_better=False)
    await ours.close()
    await theirs.close()


async def main(dsn: str) -> None:
    setup = await fasterapi_pg.connect_async(dsn)
    await setup.execute(MIXED_TABLE)
    await setup.close()
    print("ratios: how many times fasterapi_pg's figure is better than the peer's")
    await round_trips(dsn)
    await bulk(dsn)
    await pools(dsn)


if __name__ == "__main__":
    if sys.argv[2:] == ["--fetches"]:  # rerun_with_libpq_that_streams's child
        uvloop.run(fetches(sys.argv[1]))
    elif len(sys.argv) > 1:
        uvloop.run(main(sys.argv[1]))
    else:
        with TempCluster() as cluster:
            uvloop.run(main(cluster.dsn))
