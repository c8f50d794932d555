# SPDX-License-Identifier: MIT
"""run_transaction: a transaction that loses to a concurrent one is rerun, for real."""

from typing import Any

import pytest

import fasterapi_pg

pytestmark = pytest.mark.pg


@pytest.fixture
def counter(pg_dsn: str):
    with fasterapi_pg.connect(pg_dsn) as setup:
        setup.execute("DROP TABLE IF EXISTS retry_counter")
        setup.execute("CREATE TABLE retry_counter (id int PRIMARY KEY, n int NOT NULL)")
        setup.execute("INSERT INTO retry_counter VALUES (1, 0)")
    yield
    with fasterapi_pg.connect(pg_dsn) as cleanup:
        cleanup.execute("DROP TABLE retry_counter")


def test_a_serialization_failure_is_retried(pg_dsn: str, counter: None) -> None:
    attempts = 0
    with fasterapi_pg.connect(pg_dsn) as conn, fasterapi_pg.connect(pg_dsn) as other:

        def increment(tx: fasterapi_pg.Connection) -> int:
            nonlocal attempts
            attempts += 1
            n = tx.fetchval("SELECT n FROM retry_counter WHERE id = 1")
            if attempts == 1:  # a concurrent transaction commits in between, once
                other.execute("UPDATE retry_counter SET n = n + 100 WHERE id = 1")
            tx.execute("UPDATE retry_counter SET n = $1 WHERE id = 1", n + 1)
            return n + 1

        assert fasterapi_pg.run_transaction(conn, increment) == 101
        assert attempts == 2
        assert conn.fetchval("SELECT n FROM retry_counter WHERE id = 1") == 101


def test_the_last_failure_gets_through(pg_dsn: str, counter: None) -> None:
    attempts = 0
    with (
        fasterapi_pg.Pool(pg_dsn, min_size=1, max_size=2) as pool,
        fasterapi_pg.connect(pg_dsn) as other,
    ):

        def always_loses(tx: fasterapi_pg.Connection) -> None:
            nonlocal attempts
            attempts += 1
            tx.fetchval("SELECT n FROM retry_counter WHERE id = 1")
            other.execute("UPDATE retry_counter SET n = n + 1 WHERE id = 1")
            tx.execute("UPDATE retry_counter SET n = 0 WHERE id = 1")

        with pytest.raises(fasterapi_pg.SerializationError):
            fasterapi_pg.run_transaction(pool, always_loses, attempts=3, first_delay=0)
        assert attempts == 3


def test_refuses_to_run_inside_a_transaction(pg_dsn: str) -> None:
    with (
        fasterapi_pg.connect(pg_dsn) as conn,
        conn.transaction(),
        pytest.raises(fasterapi_pg.InterfaceError, match="outside a transaction"),
    ):
        fasterapi_pg.run_transaction(conn, lambda tx: None)
    with pytest.raises(ValueError, match="attempts must be at least 1"):
        fasterapi_pg.run_transaction(conn, lambda tx: None, attempts=0)


def test_async_retry_through_a_pool(pg_dsn: str, counter: None, run: Any) -> None:
    async def main() -> None:
        attempts = 0
        other = await fasterapi_pg.connect_async(pg_dsn)
        async with fasterapi_pg.AsyncPool(pg_dsn, min_size=1, max_size=2) as pool:

            async def increment(tx: fasterapi_pg.AsyncConnection) -> int:
                nonlocal attempts
                attempts += 1
                n = await tx.fetchval("SELECT n FROM retry_counter WHERE id = 1")
                if attempts == 1:
                    await other.execute("UPDATE retry_counter SET n = n + 100 WHERE id = 1")
                await tx.execute("UPDATE retry_counter SET n = $1 WHERE id = 1", n + 1)
                return int(n) + 1

            assert await fasterapi_pg.run_transaction_async(pool, increment) == 101
        await other.close()
        assert attempts == 2

    run(main())
