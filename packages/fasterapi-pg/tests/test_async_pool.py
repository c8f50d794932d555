# SPDX-License-Identifier: MIT
"""AsyncPool on the default loop and on uvloop: sharing, exhaustion, resets and faults."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

import fasterapi_pg
from fasterapi_pg import AsyncPool, PoolTimeout

Run = Callable[[Coroutine[Any, Any, Any]], Any]


async def terminate(dsn: str, pid: int) -> None:
    async with await fasterapi_pg.connect_async(dsn) as admin:
        await admin.fetch("SELECT pg_terminate_backend($1)", pid)


@pytest.mark.pg
def test_tasks_share_a_small_pool(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with AsyncPool(pg_dsn, min_size=1, max_size=3) as pool:

            async def worker(n: int) -> list[int]:
                return [await pool.fetchval("SELECT $1::int * 2", n * 100 + i) for i in range(30)]

            results = await asyncio.gather(*(worker(n) for n in range(8)))
            assert sorted(value for values in results for value in values) == sorted(
                (n * 100 + i) * 2 for n in range(8) for i in range(30)
            )
            stats = pool.stats()
            assert stats.size <= 3
            assert (stats.in_use, stats.waiting, stats.acquired) == (0, 0, 240)

    run(main())


@pytest.mark.pg
def test_exhaustion_and_hand_over(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with AsyncPool(pg_dsn, min_size=0, max_size=1) as pool:
            held = await pool.acquire()
            start = time.monotonic()
            with pytest.raises(PoolTimeout, match="all 1 are in use"):
                await pool.acquire(timeout=0.2)
            assert time.monotonic() - start >= 0.2
            waiter = asyncio.ensure_future(pool.acquire(timeout=5).__aenter__())
            await asyncio.sleep(0.05)
            assert pool.stats().waiting == 1
            await pool.release(held)
            assert await waiter is held  # handed straight to the waiting task
            await pool.release(held)
            assert pool.stats().idle == 1

    run(main())


@pytest.mark.pg
def test_dirty_and_abandoned_connections_are_reset(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with AsyncPool(pg_dsn, min_size=1, max_size=1) as pool:
            async with pool.acquire() as conn:
                await conn.execute("BEGIN")
                await conn.execute("CREATE TEMP TABLE dirty (n int)")
            async with pool.acquire() as conn:
                assert conn.transaction_status == "idle"  # rolled back on release
                assert await conn.fetchval("SELECT to_regclass('dirty')") is None

            async def abandon() -> None:
                async with pool.acquire() as conn:
                    await conn.execute("SELECT pg_sleep(10)")

            task = asyncio.ensure_future(abandon())
            await asyncio.sleep(0.1)
            start = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert await pool.fetchval("SELECT 1") == 1  # the cancelled query was stopped
            assert time.monotonic() - start < 2
            assert pool.stats().connections_lost == 0

    run(main())


@pytest.mark.pg
def test_killed_idle_connection_is_replaced(run: Run, pg_dsn: str) -> None:
    # PG_FAULTS F1: idle backends killed; the next acquire pings and replaces, no error.
    async def main() -> None:
        async with AsyncPool(pg_dsn, min_size=2, max_size=2, ping_after=0.1) as pool:
            async with pool.acquire() as a, pool.acquire() as b:
                victims = {a.backend_pid, b.backend_pid}
            for pid in victims:
                await terminate(pg_dsn, pid)
            await asyncio.sleep(0.2)
            async with pool.acquire() as conn:
                assert await conn.fetchval("SELECT 1") == 1
                assert conn.backend_pid not in victims
            assert pool.stats().connections_lost >= 1

    run(main())


@pytest.mark.pg
def test_server_restart_under_load_hangs_no_caller(run: Run) -> None:
    # PG_FAULTS F4 on a cluster of its own: callers fail clearly, none hangs, and the pool
    # serves again once the server is back.
    from fasterapi_testing import TempCluster, find_server_binaries

    if find_server_binaries() is None:
        pytest.skip("needs local server binaries to restart a cluster")

    with TempCluster() as cluster:

        async def main() -> None:
            async with AsyncPool(cluster.dsn, min_size=2, max_size=4, ping_after=0.0) as pool:
                outcomes: list[str] = []

                async def worker() -> None:
                    deadline = time.monotonic() + 3
                    while time.monotonic() < deadline:
                        try:
                            await pool.fetchval("SELECT pg_sleep(0.05)")
                            outcomes.append("ok")
                        except (
                            fasterapi_pg.ConnectionFailureError,
                            fasterapi_pg.PostgresError,
                            PoolTimeout,
                        ):
                            outcomes.append("error")
                            await asyncio.sleep(0.05)

                workers = asyncio.gather(*(worker() for _ in range(4)))
                await asyncio.sleep(0.5)
                await asyncio.to_thread(cluster.restart, "fast")
                async with asyncio.timeout(15):  # no hung caller
                    await workers
                assert "ok" in outcomes
                assert await pool.fetchval("SELECT 1") == 1  # recovered by itself

        run(main())


@pytest.mark.pg
def test_expired_connections_are_not_handed_out(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with AsyncPool(pg_dsn, min_size=1, max_size=1, max_idle=0.05) as pool:
            first = await pool.fetchval("SELECT pg_backend_pid()")
            await asyncio.sleep(0.1)
            assert await pool.fetchval("SELECT pg_backend_pid()") != first

    run(main())


@pytest.mark.pg
def test_transaction_shortcut_commits(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with AsyncPool(pg_dsn, min_size=0, max_size=1) as pool:
            await pool.execute("CREATE TEMP TABLE IF NOT EXISTS pool_tx (n int)")
            async with pool.transaction() as conn:
                await conn.execute("INSERT INTO pool_tx VALUES ($1)", 7)
            assert await pool.fetchval("SELECT count(*) FROM pool_tx WHERE n = 7") == 1

    run(main())


@pytest.mark.pg
def test_server_down_gives_pool_timeout_after_retrying(run: Run) -> None:
    async def main() -> None:
        async with AsyncPool("postgresql://x@127.0.0.1:1/none", min_size=0, max_size=1) as pool:
            start = time.monotonic()
            with pytest.raises(PoolTimeout, match="connecting failed until the timeout"):
                await pool.acquire(timeout=0.5)
            assert time.monotonic() - start >= 0.5
            assert pool.stats().size == 0

    run(main())


@pytest.mark.pg
def test_closed_pool_refuses_and_wakes_waiters(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        pool = await AsyncPool(pg_dsn, min_size=1, max_size=1).open()
        held = await pool.acquire()
        waiter = asyncio.ensure_future(pool.acquire(timeout=5).__aenter__())
        await asyncio.sleep(0.05)
        await pool.close()
        with pytest.raises(fasterapi_pg.InterfaceError, match="the pool is closed"):
            await waiter
        await pool.release(held)
        assert held.is_closed()
        assert pool.stats().size == 0

    run(main())
