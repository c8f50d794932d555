# SPDX-License-Identifier: MIT
"""The sync pool: sharing among threads, exhaustion, resets, broken and expired connections."""

from __future__ import annotations

import threading
import time

import pytest

import fasterapi_pg
from fasterapi_pg import Pool, PoolTimeout


@pytest.mark.pg
def test_threads_share_a_small_pool(pg_dsn: str) -> None:
    with Pool(pg_dsn, min_size=1, max_size=3) as pool:
        results: list[int] = []
        lock = threading.Lock()

        def worker(n: int) -> None:
            for i in range(30):
                value = pool.fetchval("SELECT $1::int * 2", n * 100 + i)
                with lock:
                    results.append(value)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == sorted((n * 100 + i) * 2 for n in range(8) for i in range(30))
        stats = pool.stats()
        assert stats.size <= 3
        assert stats.in_use == 0
        assert stats.acquired == 240


@pytest.mark.pg
def test_exhaustion_raises_pool_timeout(pg_dsn: str) -> None:
    with Pool(pg_dsn, min_size=0, max_size=1) as pool:
        held = pool.acquire()
        start = time.monotonic()
        with pytest.raises(PoolTimeout, match="all 1 are in use"):
            pool.acquire(timeout=0.2)
        assert time.monotonic() - start >= 0.2
        assert isinstance(PoolTimeout("x"), fasterapi_pg.OperationalError)
        pool.release(held)
        assert pool.acquire(timeout=0.2) is held


@pytest.mark.pg
def test_waiter_gets_the_released_connection(pg_dsn: str) -> None:
    with Pool(pg_dsn, min_size=0, max_size=1) as pool:
        held = pool.acquire()
        got: list[fasterapi_pg.Connection] = []
        waiter = threading.Thread(target=lambda: got.append(pool.acquire(timeout=5)))
        waiter.start()
        time.sleep(0.1)
        assert pool.stats().waiting == 1
        pool.release(held)
        waiter.join()
        assert got == [held]


@pytest.mark.pg
def test_dirty_connection_is_rolled_back_on_release(pg_dsn: str) -> None:
    with Pool(pg_dsn, min_size=0, max_size=1) as pool:
        with pool.connection() as conn:
            conn.execute("CREATE TEMP TABLE t (n int)")
            conn.execute("BEGIN")
            conn.execute("INSERT INTO t VALUES ($1)", 1)
        with pool.connection() as conn:
            assert conn.transaction_status == "idle"
            assert conn.fetchval("SELECT count(*) FROM t") == 0


def terminate(pg_dsn: str, pid: int) -> None:
    with fasterapi_pg.connect(pg_dsn) as admin:
        admin.fetch("SELECT pg_terminate_backend($1)", pid)


@pytest.mark.pg
def test_killed_idle_connection_is_replaced_before_it_is_handed_out(pg_dsn: str) -> None:
    # PG_FAULTS F1: idle backends killed; the next acquire pings and replaces, no error.
    with Pool(pg_dsn, min_size=2, max_size=2, ping_after=0.1) as pool:
        with pool.connection() as a, pool.connection() as b:
            victims = {a.backend_pid, b.backend_pid}
        for pid in victims:
            terminate(pg_dsn, pid)
        time.sleep(0.2)
        with pool.connection() as conn:
            assert conn.fetchval("SELECT 1") == 1
            assert conn.backend_pid not in victims
        assert pool.stats().connections_lost >= 1


@pytest.mark.pg
def test_ping_keeps_a_healthy_connection(pg_dsn: str) -> None:
    with Pool(pg_dsn, min_size=1, max_size=1, ping_after=0.0) as pool:
        first = pool.fetchval("SELECT pg_backend_pid()")
        for _ in range(3):
            assert pool.fetchval("SELECT pg_backend_pid()") == first
        assert pool.stats().connections_lost == 0


@pytest.mark.pg
def test_without_a_ping_the_caller_is_told_and_the_pool_recovers(pg_dsn: str) -> None:
    with Pool(pg_dsn, min_size=1, max_size=1, ping_after=3600) as pool:
        with pool.connection() as conn:
            victim = conn.backend_pid
        terminate(pg_dsn, victim)
        with pool.connection() as conn, pytest.raises(fasterapi_pg.ConnectionFailureError):
            conn.fetch("SELECT 1")
        assert pool.fetchval("SELECT pg_backend_pid()") != victim
        assert pool.stats().connections_lost == 1


@pytest.mark.pg
def test_server_restart_under_load_hangs_no_caller(pg_dsn: str) -> None:
    # PG_FAULTS F4, on a cluster of its own: busy callers fail with a clear error, nobody
    # hangs, and once the server is back the pool serves again.
    from fasterapi_testing import TempCluster, find_server_binaries

    if find_server_binaries() is None:
        pytest.skip("needs local server binaries to restart a cluster")
    with (
        TempCluster() as cluster,
        Pool(cluster.dsn, min_size=2, max_size=4, ping_after=0.0) as pool,
    ):
        outcomes: list[str] = []
        lock = threading.Lock()

        def worker() -> None:
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:
                try:
                    pool.fetchval("SELECT pg_sleep(0.05)")
                    outcome = "ok"
                except (
                    fasterapi_pg.ConnectionFailureError,
                    fasterapi_pg.PostgresError,
                    PoolTimeout,
                ):
                    outcome = "error"
                with lock:
                    outcomes.append(outcome)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        cluster.restart("fast")
        for thread in threads:
            thread.join(timeout=15)
        assert not any(thread.is_alive() for thread in threads)  # no hung caller
        assert "ok" in outcomes
        assert pool.fetchval("SELECT 1") == 1  # recovered by itself


@pytest.mark.pg
def test_expired_connections_are_not_handed_out(pg_dsn: str) -> None:
    with Pool(pg_dsn, min_size=1, max_size=1, max_idle=0.05) as pool:
        first = pool.fetchval("SELECT pg_backend_pid()")
        time.sleep(0.1)
        assert pool.fetchval("SELECT pg_backend_pid()") != first


@pytest.mark.pg
def test_transaction_shortcut_commits(pg_dsn: str) -> None:
    with Pool(pg_dsn, min_size=0, max_size=1) as pool:
        pool.execute("CREATE TABLE IF NOT EXISTS pool_tx (n int)")
        with pool.transaction() as conn:
            conn.execute("INSERT INTO pool_tx VALUES ($1)", 7)
        assert pool.fetchval("SELECT count(*) FROM pool_tx WHERE n = 7") == 1
        pool.execute("DROP TABLE pool_tx")


@pytest.mark.pg
def test_server_down_gives_pool_timeout_after_retrying(pg_dsn: str) -> None:
    # A pool pointed at a port nothing listens on keeps retrying until its timeout.
    with Pool("postgresql://x@127.0.0.1:1/none", min_size=0, max_size=1) as pool:
        start = time.monotonic()
        with pytest.raises(PoolTimeout, match="connecting failed until the timeout"):
            pool.acquire(timeout=0.5)
        assert time.monotonic() - start >= 0.5
        assert pool.stats().size == 0


@pytest.mark.pg
def test_closed_pool_refuses(pg_dsn: str) -> None:
    pool = Pool(pg_dsn, min_size=1, max_size=2)
    pool.close()
    with pytest.raises(fasterapi_pg.InterfaceError, match="the pool is closed"):
        pool.acquire()


def test_bad_sizes() -> None:
    with pytest.raises(ValueError, match="min_size <= max_size"):
        Pool("", min_size=5, max_size=2)
