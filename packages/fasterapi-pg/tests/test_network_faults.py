# SPDX-License-Identifier: MIT
"""Network faults of the PG fault plan, through a TCP proxy (fasterapi_testing.FaultProxy):
a server that never answers the connection (F9) and connections reset under the driver."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

import fasterapi_pg
from fasterapi_testing import FaultProxy

Run = Callable[[Coroutine[Any, Any, Any]], Any]


@pytest.fixture
def proxied(pg_dsn: str) -> Iterator[tuple[FaultProxy, str]]:
    """A proxy in front of the test server, and the DSN that goes through it."""
    parts = urlsplit(pg_dsn)
    if parts.scheme not in ("postgresql", "postgres") or not parts.port:
        pytest.skip("the network fault tests need a URL DSN with a host and port")
    with FaultProxy((parts.hostname or "127.0.0.1", parts.port)) as proxy:
        netloc = parts.netloc.rsplit(":", 1)[0] + f":{proxy.port}"
        yield proxy, urlunsplit(parts._replace(netloc=netloc))


@pytest.mark.pg
def test_a_server_that_never_answers_times_out_the_connect(
    proxied: tuple[FaultProxy, str],
) -> None:
    proxy, dsn = proxied
    proxy.deaf()
    start = time.monotonic()
    with pytest.raises(fasterapi_pg.ConnectionFailureError, match=r"within the 0\.5 s"):
        fasterapi_pg.connect(dsn, timeout=0.5)
    assert 0.45 <= time.monotonic() - start <= 1.5  # to the millisecond, not libpq's seconds
    proxy.restore()
    with fasterapi_pg.connect(dsn, timeout=5) as conn:
        assert conn.fetchval("SELECT 1") == 1


@pytest.mark.pg
def test_async_connect_to_a_deaf_server_times_out_without_blocking_the_loop(
    run: Run, proxied: tuple[FaultProxy, str]
) -> None:
    proxy, dsn = proxied

    async def main() -> None:
        proxy.deaf()
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        beat = asyncio.ensure_future(ticker())
        start = time.monotonic()
        with pytest.raises(fasterapi_pg.ConnectionFailureError, match=r"within the 0\.5 s"):
            await fasterapi_pg.connect_async(dsn, timeout=0.5)
        elapsed = time.monotonic() - start
        beat.cancel()
        assert 0.4 <= elapsed <= 2
        assert ticks >= 10  # the loop kept running while the connect waited
        proxy.restore()
        conn = await fasterapi_pg.connect_async(dsn, timeout=5)
        assert await conn.fetchval("SELECT 1") == 1
        await conn.close()

    run(main())


@pytest.mark.pg
def test_a_reset_connection_mid_query_says_so_and_the_pool_recovers(
    proxied: tuple[FaultProxy, str],
) -> None:
    proxy, dsn = proxied
    with fasterapi_pg.Pool(dsn, min_size=1, max_size=1) as pool:
        with pool.connection() as conn:
            assert conn.fetchval("SELECT 1") == 1

        def reset_soon() -> None:
            time.sleep(0.2)
            proxy.reset()

        import threading

        threading.Thread(target=reset_soon).start()
        start = time.monotonic()
        with pytest.raises(fasterapi_pg.ConnectionFailureError), pool.connection() as conn:
            conn.fetchval("SELECT pg_sleep(5)")
        assert time.monotonic() - start < 2  # noticed at once, not after the query's 5 s
        assert pool.fetchval("SELECT 2") == 2  # a fresh connection replaced the dead one


@pytest.mark.pg
def test_async_reset_mid_query_says_so_and_the_pool_recovers(
    run: Run, proxied: tuple[FaultProxy, str]
) -> None:
    proxy, dsn = proxied

    async def main() -> None:
        pool = fasterapi_pg.AsyncPool(dsn, min_size=1, max_size=1)
        await pool.open()
        try:
            assert await pool.fetchval("SELECT 1") == 1
            asyncio.get_running_loop().call_later(0.2, proxy.reset)
            start = time.monotonic()
            with pytest.raises(fasterapi_pg.ConnectionFailureError):
                await pool.fetchval("SELECT pg_sleep(5)")
            assert time.monotonic() - start < 2
            assert await pool.fetchval("SELECT 2") == 2
        finally:
            await pool.close()

    run(main())


# The driver waits this long for a cancelled query to stop before giving the connection up.
CANCEL_GRACE = 5.0


@pytest.mark.pg
def test_a_blackhole_during_a_query_ends_in_bounded_time(
    proxied: tuple[FaultProxy, str],
) -> None:
    proxy, dsn = proxied
    conn = fasterapi_pg.connect(dsn)
    proxy.blackhole()
    start = time.monotonic()
    with pytest.raises(fasterapi_pg.ConnectionFailureError, match="grace period"):
        conn.fetchval("SELECT pg_sleep(0.5)", timeout=1)
    # The timeout fired, the cancel could not get through (and did not block), and after the
    # grace period the connection was given up.
    assert 1 + CANCEL_GRACE - 0.5 <= time.monotonic() - start <= 1 + CANCEL_GRACE + 2
    assert conn.is_closed()
    proxy.restore()
    with fasterapi_pg.connect(dsn) as fresh:
        assert fresh.fetchval("SELECT 1") == 1


@pytest.mark.pg
def test_async_blackhole_during_a_query_never_blocks_the_loop(
    run: Run, proxied: tuple[FaultProxy, str]
) -> None:
    proxy, dsn = proxied

    async def main() -> None:
        conn = await fasterapi_pg.connect_async(dsn)
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.05)
                ticks += 1

        beat = asyncio.ensure_future(ticker())
        proxy.blackhole()
        start = time.monotonic()
        with pytest.raises(fasterapi_pg.ConnectionFailureError):
            await conn.fetchval("SELECT pg_sleep(0.5)", timeout=1)
        elapsed = time.monotonic() - start
        beat.cancel()
        assert elapsed <= 1 + CANCEL_GRACE + 2
        assert ticks >= elapsed / 0.05 * 0.5  # the loop ran throughout, cancel included
        proxy.restore()
        fresh = await fasterapi_pg.connect_async(dsn)
        assert await fresh.fetchval("SELECT 1") == 1
        await fresh.close()

    run(main())


@pytest.mark.pg
def test_acquire_during_a_blackhole_times_out_at_the_acquire_timeout(
    proxied: tuple[FaultProxy, str],
) -> None:
    # F7: the ping of the idle connection times out, the replacement connect stalls, and
    # acquire raises PoolTimeout at its timeout; once the network is back, acquire works.
    proxy, dsn = proxied
    pool = fasterapi_pg.Pool(
        dsn, min_size=1, max_size=1, acquire_timeout=1.0, ping_after=0.0, ping_timeout=0.5
    )
    try:
        with pool.connection() as conn:
            assert conn.fetchval("SELECT 1") == 1
        proxy.blackhole()
        start = time.monotonic()
        with pytest.raises(fasterapi_pg.PoolTimeout), pool.connection():
            pass
        assert 0.95 <= time.monotonic() - start <= 1.3
        proxy.restore()
        with pool.connection() as conn:
            assert conn.fetchval("SELECT 2") == 2
    finally:
        proxy.restore()
        pool.close()


@pytest.mark.pg
def test_release_during_a_blackhole_is_bounded_by_the_reset_timeout(
    proxied: tuple[FaultProxy, str],
) -> None:
    # F8: the rollback a release needs cannot reach the server; release returns after
    # reset_timeout and the connection is dropped, not handed out again.
    proxy, dsn = proxied
    pool = fasterapi_pg.Pool(dsn, min_size=0, max_size=1, reset_timeout=0.5)
    try:
        conn = pool.acquire()
        conn.execute("BEGIN")
        proxy.blackhole()
        start = time.monotonic()
        pool.release(conn)
        assert time.monotonic() - start <= 0.5 * 1.1 + 0.05
        assert conn.is_closed()
        assert pool.stats().size == 0
        proxy.restore()
        assert pool.fetchval("SELECT 3") == 3
    finally:
        proxy.restore()
        pool.close()


@pytest.mark.pg
def test_async_acquire_during_a_blackhole_times_out_at_the_acquire_timeout(
    run: Run, proxied: tuple[FaultProxy, str]
) -> None:
    proxy, dsn = proxied

    async def main() -> None:
        pool = fasterapi_pg.AsyncPool(
            dsn, min_size=1, max_size=1, acquire_timeout=1.0, ping_after=0.0, ping_timeout=0.5
        )
        await pool.open()
        try:
            async with pool.acquire() as conn:
                assert await conn.fetchval("SELECT 1") == 1
            proxy.blackhole()
            start = time.monotonic()
            with pytest.raises(fasterapi_pg.PoolTimeout):
                async with pool.acquire():
                    pass
            assert 0.95 <= time.monotonic() - start <= 1.3
            proxy.restore()
            async with pool.acquire() as conn:
                assert await conn.fetchval("SELECT 2") == 2
        finally:
            proxy.restore()
            await pool.close()

    run(main())


@pytest.mark.pg
def test_async_release_during_a_blackhole_is_bounded_by_the_reset_timeout(
    run: Run, proxied: tuple[FaultProxy, str]
) -> None:
    proxy, dsn = proxied

    async def main() -> None:
        pool = fasterapi_pg.AsyncPool(dsn, min_size=0, max_size=1, reset_timeout=0.5)
        await pool.open()
        try:
            conn = await pool.acquire()
            await conn.execute("BEGIN")
            proxy.blackhole()
            start = time.monotonic()
            await pool.release(conn)
            assert time.monotonic() - start <= 0.5 * 1.1 + 0.05
            assert conn.is_closed()
            assert pool.stats().size == 0
            proxy.restore()
            assert await pool.fetchval("SELECT 3") == 3
        finally:
            proxy.restore()
            await pool.close()

    run(main())
