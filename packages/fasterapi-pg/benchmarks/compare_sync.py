# SPDX-License-Identifier: MIT
# fasterapi-pg/benchmarks/compare_sync.py: the sync driver against psycopg 3, same server, same run
"""Sequential prepared round trips, a 100,000-row fetch and pool acquire+release,
fasterapi_pg vs psycopg and psycopg_pool (sync).

    python packages/fasterapi-pg/benchmarks/compare_sync.py [DSN]

Without a DSN it starts a throw-away cluster (fasterapi_testing). Drivers are timed in
alternating passes; figures are medians. Where the system's libpq is older than 17, the fetch
runs again with a libpq that streams rows (psycopg's bundled one, preloaded in a child).
(The async peers, asyncpg, and the libpq C floor come with the async API.)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import psycopg
import psycopg_pool

import fasterapi_pg
from fasterapi_testing import TempCluster, libpq_that_streams

ROUND_TRIPS = 2000
PASSES = 7
MIXED_TABLE = """
CREATE TABLE IF NOT EXISTS bench_mixed AS
SELECT g AS id, (g % 100)::int2 AS small, g::int8 * 1000 AS big, g * 1.5::float8 AS ratio,
       (g % 2 = 0) AS flag, 'name-' || g AS name, md5(g::text) AS hash,
       now() AS created, current_date AS day, (g * 0.01)::numeric(12, 2) AS amount,
       gen_random_uuid() AS uid, ('{"k": ' || g || '}')::jsonb AS doc
FROM generate_series(1, 100000) AS g
"""


def median_ms(run: Callable[[], None]) -> float:
    samples = []
    for _ in range(PASSES):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def alternating_ms(*runs: Callable[[], None]) -> list[float]:
    """Medians of passes that alternate between the runs: a slow spell of the machine then
    lands on all of them instead of on whichever ran at the time."""
    samples: list[list[float]] = [[] for _ in runs]
    for _ in range(PASSES):
        for run, taken in zip(runs, samples, strict=True):
            start = time.perf_counter()
            run()
            taken.append((time.perf_counter() - start) * 1000)
    return [statistics.median(taken) for taken in samples]


def fetches(dsn: str) -> None:
    ours = fasterapi_pg.connect(dsn)
    theirs = psycopg.connect(dsn, autocommit=True, prepare_threshold=0)

    def ours_fetch() -> None:
        ours.fetch("SELECT * FROM bench_mixed")

    def theirs_fetch() -> None:
        theirs.execute("SELECT * FROM bench_mixed", binary=True).fetchall()

    for run in (ours_fetch, theirs_fetch):
        run()  # warm up: statements prepared, caches filled
    fetch_ours, fetch_theirs = median_ms(ours_fetch), median_ms(theirs_fetch)
    what = "100k-row fetch, streamed" if fasterapi_pg.streams_rows() else "100k-row 12-column fetch"
    print(
        f"{what:<26} fasterapi_pg {fetch_ours:7.1f} ms   psycopg {fetch_theirs:7.1f} ms"
        f"   psycopg/ours {fetch_theirs / fetch_ours:.2f}x"
    )
    ours.close()
    theirs.close()


def rerun_with_libpq_that_streams(script: str, dsn: str) -> None:
    """Run SCRIPT's fetches again (``SCRIPT DSN --fetches``) in a child process whose libpq
    streams rows, where this one's is older and a newer one is at hand."""
    libpq = libpq_that_streams()
    if fasterapi_pg.streams_rows() or libpq is None:
        return
    print(f"  with {libpq.name} loaded ahead of libpq {fasterapi_pg.libpq_version()}:")
    env = dict(os.environ, LD_PRELOAD=str(libpq))
    subprocess.run([sys.executable, script, dsn, "--fetches"], env=env, check=True)


def main(dsn: str) -> None:
    ours = fasterapi_pg.connect(dsn)
    theirs = psycopg.connect(dsn, autocommit=True, prepare_threshold=0)
    ours.execute(MIXED_TABLE)

    def ours_round_trips() -> None:
        for i in range(ROUND_TRIPS):
            ours.fetchval("SELECT $1::int", i)

    def theirs_round_trips() -> None:
        for i in range(ROUND_TRIPS):
            theirs.execute("SELECT %s::int", (i,), binary=True).fetchone()

    results = {}
    for name, run in [
        ("round trip fasterapi_pg", ours_round_trips),
        ("round trip psycopg", theirs_round_trips),
    ]:
        run()  # warm up: statements prepared, caches filled
        results[name] = median_ms(run)
    rt_ours = results["round trip fasterapi_pg"] * 1000 / ROUND_TRIPS
    rt_theirs = results["round trip psycopg"] * 1000 / ROUND_TRIPS
    print(
        f"sequential SELECT $1::int  fasterapi_pg {rt_ours:7.1f} us   psycopg {rt_theirs:7.1f} us"
        f"   psycopg/ours {rt_theirs / rt_ours:.2f}x"
    )
    fetches(dsn)
    rerun_with_libpq_that_streams(__file__, dsn)
    ours.execute("CREATE TABLE IF NOT EXISTS bench_many (id int, name text, ratio float8)")
    many = [(i, f"name-{i}", i * 0.5) for i in range(20_000)]

    def ours_many() -> None:
        ours.execute("TRUNCATE bench_many")
        ours.executemany("INSERT INTO bench_many VALUES ($1, $2, $3)", many)

    def theirs_many() -> None:
        theirs.execute("TRUNCATE bench_many")
        with theirs.transaction(), theirs.cursor() as cursor:
            cursor.executemany("INSERT INTO bench_many VALUES (%s, %s, %s)", many)

    ours_many()
    theirs_many()
    many_ours, many_theirs = median_ms(ours_many), median_ms(theirs_many)
    print(
        f"executemany 20k rows       fasterapi_pg {many_ours:7.1f} ms   "
        f"psycopg {many_theirs:7.1f} ms   psycopg/ours {many_theirs / many_ours:.2f}x"
    )

    # A pipelined batch of 100 queries that return rows, 20 batches per run: our fetchmany
    # against psycopg's executemany(returning=True), which pipelines too.
    batch = [(i, f"name-{i}") for i in range(100)]

    def ours_batches() -> None:
        for _ in range(20):
            ours.fetchmany("SELECT $1::int AS id, $2::text AS name", batch)

    def theirs_batches() -> None:
        for _ in range(20):
            with theirs.cursor(binary=True) as cursor:
                cursor.executemany("SELECT %s::int AS id, %s::text AS name", batch, returning=True)
                rows = []
                while True:
                    rows += cursor.fetchall()
                    if not cursor.nextset():
                        break

    ours_batches()
    theirs_batches()
    batch_ours, batch_theirs = (ms * 50 for ms in alternating_ms(ours_batches, theirs_batches))
    print(
        f"pipelined 100 (fetchmany)  fasterapi_pg {batch_ours:7.1f} us   "
        f"psycopg {batch_theirs:7.1f} us   psycopg/ours {batch_theirs / batch_ours:.2f}x"
    )
    ours.close()
    theirs.close()

    pool_ours = fasterapi_pg.Pool(dsn, min_size=1, max_size=1)
    pool_theirs = psycopg_pool.ConnectionPool(dsn, min_size=1, max_size=1, open=True)

    def ours_acquire() -> None:
        for _ in range(ROUND_TRIPS):
            with pool_ours.connection():
                pass

    def theirs_acquire() -> None:
        for _ in range(ROUND_TRIPS):
            with pool_theirs.connection():
                pass

    ours_acquire()
    theirs_acquire()
    acquire_ours, acquire_theirs = (
        ms * 1000 / ROUND_TRIPS for ms in alternating_ms(ours_acquire, theirs_acquire)
    )
    print(
        f"pool acquire+release       fasterapi_pg {acquire_ours:7.1f} us   "
        f"psycopg_pool {acquire_theirs:7.1f} us   "
        f"psycopg_pool/ours {acquire_theirs / acquire_ours:.2f}x"
    )
    pool_ours.close()
    pool_theirs.close()


if __name__ == "__main__":
    if sys.argv[2:] == ["--fetches"]:  # rerun_with_libpq_that_streams's child
        fetches(sys.argv[1])
    elif len(sys.argv) > 1:
        main(sys.argv[1])
    else:
        with TempCluster() as cluster:
            main(cluster.dsn)
