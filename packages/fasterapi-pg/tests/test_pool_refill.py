# SPDX-License-Identifier: MIT
"""Pools return to min_size by themselves after losing connections (killed backends)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

import fasterapi_pg

Run = Callable[[Coroutine[Any, Any, Any]], Any]


def kill_all(dsn: str, pids: list[int]) -> None:
    with fasterapi_pg.connect(dsn) as admin:
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend($1)", pid)


@pytest.mark.pg
def test_the_sync_pool_refills_to_min_size(pg_dsn: str) -> None:
    with fasterapi_pg.Pool(pg_dsn, min_size=2, max_size=4, ping_after=0.0) as pool:
        held = [pool.acquire() for _ in range(2)]
        pids = [conn.backend_pid for conn in held]
        for conn in held:
            pool.release(conn)
        kill_all(pg_dsn, pids)
        assert pool.fetchval("SELECT 1") == 1  # finds both dead, drops them, connects anew
        deadline = time.monotonic() + 5
        while pool.stats().size < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        stats = pool.stats()
        assert stats.size == 2
        assert stats.idle + stats.in_use == stats.size
        assert stats.connections_lost == 2


@pytest.mark.pg
def test_the_async_pool_refills_to_min_size(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with fasterapi_pg.AsyncPool(pg_dsn, min_size=2, max_size=4, ping_after=0.0) as pool:
            held = [await pool.acquire() for _ in range(2)]
            pids = [conn.backend_pid for conn in held]
            for conn in held:
                await pool.release(conn)
            kill_all(pg_dsn, pids)
            await asyncio.sleep(0.1)
            assert await pool.fetchval("SELECT 1") == 1
            for _ in range(250):
                if pool.stats().size >= 2:
                    break
                await asyncio.sleep(0.02)
            stats = pool.stats()
            assert stats.size == 2
            assert stats.idle + stats.in_use == stats.size
            assert stats.connections_lost == 2

    run(main())


@pytest.mark.pg
def test_the_async_pool_replaces_an_idle_connection_the_server_ends(run: Run, pg_dsn: str) -> None:
    # No acquire in between: the pool learns of the loss from the connection itself.
    async def main() -> None:
        async with fasterapi_pg.AsyncPool(pg_dsn, min_size=2, max_size=4) as pool:
            held = [await pool.acquire() for _ in range(2)]
            pids = {conn.backend_pid for conn in held}
            for conn in held:
                await pool.release(conn)
            kill_all(pg_dsn, sorted(pids)[:1])
            for _ in range(250):
                if pool.stats().connections_lost == 1 and pool.stats().idle == 2:
                    break
                await asyncio.sleep(0.02)
            stats = pool.stats()
            assert (stats.size, stats.idle, stats.connections_lost) == (2, 2, 1)
            async with pool.acquire() as first, pool.acquire() as second:
                now = {first.backend_pid, second.backend_pid}
            assert len(now & pids) == 1  # one survivor, one replacement

    run(main())
