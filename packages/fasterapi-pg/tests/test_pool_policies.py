# SPDX-License-Identifier: MIT
"""Pool policies from the fault plan (PG_FAULTS.md): FIFO hand-over under exhaustion (F10),
the waiting-queue cap (F11), cancelled waiters and holders (F12), server-side timeouts
(F14), the reset hook (F16) and sessions the server ends while idle (F18)."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

import fasterapi_pg

Run = Callable[[Coroutine[Any, Any, Any]], Any]


def settled(stats: fasterapi_pg.PoolStats) -> bool:
    return stats.idle + stats.in_use == stats.size and stats.waiting == 0


@pytest.mark.pg
def test_f10_waiters_are_served_in_arrival_order(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with fasterapi_pg.AsyncPool(pg_dsn, min_size=2, max_size=2) as pool:
            served: list[int] = []
            started = time.monotonic()

            async def caller(index: int) -> float:
                async with pool.acquire() as conn:
                    served.append(index)
                    await conn.execute("SELECT pg_sleep(0.2)")
                return time.monotonic() - started

            tasks = []
            for index in range(6):
                tasks.append(asyncio.create_task(caller(index)))
                await asyncio.sleep(0.005)  # arrive in index order
            finished = await asyncio.gather(*tasks)
            assert served == list(range(6))
            # Pairs finish at about 0.2, 0.4 and 0.6 s: each pair waited for the one before.
            for index, elapsed in enumerate(finished):
                assert elapsed >= 0.2 * (index // 2 + 1) - 0.02, finished
            assert settled(pool.stats())

    run(main())


@pytest.mark.pg
def test_f11_a_full_queue_refuses_at_once(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with fasterapi_pg.AsyncPool(
            pg_dsn, min_size=2, max_size=2, max_waiting=3, acquire_timeout=0.3
        ) as pool:
            held = [await pool.acquire() for _ in range(2)]
            waiters = [asyncio.create_task(pool.fetchval("SELECT 1")) for _ in range(3)]
            await asyncio.sleep(0.05)
            assert pool.stats().waiting == 3
            start = time.monotonic()
            with pytest.raises(fasterapi_pg.TooManyRequests, match="max_waiting=3"):
                await pool.acquire()
            assert time.monotonic() - start < 0.1  # refused, not queued
            for outcome in await asyncio.gather(*waiters, return_exceptions=True):
                assert type(outcome) is fasterapi_pg.PoolTimeout  # waited, then timed out
            for conn in held:
                await pool.release(conn)
            assert await pool.fetchval("SELECT 1") == 1
            assert settled(pool.stats())

    run(main())


@pytest.mark.pg
def test_f11_the_thread_pool_caps_its_queue_too(pg_dsn: str) -> None:
    with fasterapi_pg.Pool(
        pg_dsn, min_size=1, max_size=1, max_waiting=1, acquire_timeout=1.0
    ) as pool:
        held = pool.acquire()
        waiter = threading.Thread(target=lambda: pool.release(pool.acquire()))
        waiter.start()
        deadline = time.monotonic() + 2
        while pool.stats().waiting == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        with pytest.raises(fasterapi_pg.TooManyRequests):
            pool.acquire()
        pool.release(held)
        waiter.join()
        assert settled(pool.stats())


@pytest.mark.pg
def test_f12_cancelled_waiters_and_holders_leak_no_slot(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with fasterapi_pg.AsyncPool(pg_dsn, min_size=1, max_size=1) as pool:
            held = await pool.acquire()
            waiting = asyncio.create_task(pool.fetchval("SELECT 1"))
            await asyncio.sleep(0.05)
            waiting.cancel()  # cancelled while it waits in acquire
            with pytest.raises(asyncio.CancelledError):
                await waiting
            await pool.release(held)

            async def hold_and_query() -> None:
                async with pool.acquire() as conn:
                    await conn.execute("SELECT pg_sleep(10)")

            holder = asyncio.create_task(hold_and_query())
            await asyncio.sleep(0.1)
            start = time.monotonic()
            holder.cancel()  # cancelled mid-query, holding the only connection
            with pytest.raises(asyncio.CancelledError):
                await holder
            assert await pool.fetchval("SELECT 2") == 2  # the same slot, cancelled server-side
            assert time.monotonic() - start < 2
            stats = pool.stats()
            assert settled(stats)
            assert stats.size == 1

    run(main())


@pytest.mark.pg
def test_f14_server_timeouts_leave_the_connection_usable(pg_dsn: str) -> None:
    with fasterapi_pg.Pool(pg_dsn, min_size=1, max_size=2) as pool:
        with pool.connection() as conn:
            conn.execute("SET statement_timeout = '100ms'")
            with pytest.raises(fasterapi_pg.QueryCanceledError, match="statement timeout"):
                conn.execute("SELECT pg_sleep(1)")
            conn.execute("RESET statement_timeout")
            assert conn.fetchval("SELECT 1") == 1
        pool.execute("CREATE TABLE IF NOT EXISTS f14_locked (x int)")
        try:
            with pool.connection() as holder, pool.connection() as blocked:
                holder.execute("BEGIN")
                holder.execute("LOCK TABLE f14_locked")
                blocked.execute("SET lock_timeout = '100ms'")
                with pytest.raises(fasterapi_pg.LockNotAvailableError):
                    blocked.execute("SELECT * FROM f14_locked")
                assert blocked.fetchval("SELECT 1") == 1
            # The holder's transaction was rolled back on release: the lock is gone.
            assert pool.fetchval("SELECT count(*) FROM f14_locked") == 0
        finally:
            pool.execute("DROP TABLE f14_locked")
        assert settled(pool.stats())


@pytest.mark.pg
def test_f16_the_reset_hook_runs_on_release(pg_dsn: str) -> None:
    def reset(conn: fasterapi_pg.Connection) -> None:
        conn.execute("RESET ALL")

    with fasterapi_pg.Pool(pg_dsn, min_size=1, max_size=1, reset=reset) as pool:
        with pool.connection() as conn:
            conn.execute("SET application_name = 'changed by a request'")
        with pool.connection() as conn:
            assert conn.fetchval("SHOW application_name") != "changed by a request"


@pytest.mark.pg
def test_f16_a_failing_reset_hook_costs_the_connection(
    pg_dsn: str, caplog: pytest.LogCaptureFixture
) -> None:
    def reset(conn: fasterapi_pg.Connection) -> None:
        conn.execute("THIS IS NOT SQL")

    with fasterapi_pg.Pool(pg_dsn, min_size=1, max_size=1, reset=reset) as pool:
        with pool.connection() as conn:
            first_pid = conn.backend_pid
        with (
            caplog.at_level(logging.WARNING, logger="fasterapi_pg.pool"),
            pool.connection() as conn,
        ):
            assert conn.backend_pid != first_pid  # the one the hook failed on is gone
        assert "reset hook failed" in caplog.text
        assert pool.stats().connections_lost >= 1


@pytest.mark.pg
def test_f16_the_async_reset_hook(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        calls: list[int] = []

        async def reset(conn: fasterapi_pg.AsyncConnection) -> None:
            calls.append(conn.backend_pid)
            if len(calls) == 2:
                raise RuntimeError("the second reset fails")
            await conn.execute("RESET ALL")

        async with fasterapi_pg.AsyncPool(pg_dsn, min_size=1, max_size=1, reset=reset) as pool:
            async with pool.acquire() as conn:
                first_pid = conn.backend_pid
            async with pool.acquire() as conn:
                assert conn.backend_pid == first_pid  # reset, kept
            async with pool.acquire() as conn:
                assert conn.backend_pid != first_pid  # the failed reset dropped it
            assert len(calls) == 3
            assert settled(pool.stats())

    run(main())


@pytest.mark.pg
def test_f18_a_session_the_server_times_out_is_replaced(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with fasterapi_pg.AsyncPool(pg_dsn, min_size=1, max_size=2) as pool:
            async with pool.acquire() as conn:
                await conn.execute("SET idle_session_timeout = '200ms'")
                timed_out_pid = conn.backend_pid
            for _ in range(100):  # noticed on the idle socket, without an acquire
                if pool.stats().connections_lost == 1 and pool.stats().size == 1:
                    break
                await asyncio.sleep(0.02)
            assert pool.stats().connections_lost == 1
            async with pool.acquire() as conn:
                assert conn.backend_pid != timed_out_pid
                assert await conn.fetchval("SELECT 1") == 1

    run(main())
