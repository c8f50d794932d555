# SPDX-License-Identifier: MIT
"""fetchmany: one statement over many parameter rows, pipelined, every run's rows returned."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import asyncpg
import pytest

import fasterapi_pg
from fasterapi_pg import Connection

Run = Callable[[Coroutine[Any, Any, Any]], Any]

RETURNING = "INSERT INTO f (name) VALUES ($1) RETURNING id, name"


@pytest.fixture
def table(conn: Connection) -> Connection:
    conn.execute("CREATE TEMP TABLE f (id serial PRIMARY KEY, name text UNIQUE)")
    return conn


@pytest.mark.pg
def test_rows_of_every_run_in_order(table: Connection) -> None:
    rows = table.fetchmany(RETURNING, [("a",), ("b",), ("c",)])
    assert [tuple(row) for row in rows] == [(1, "a"), (2, "b"), (3, "c")]
    assert rows[1]["name"] == "b"
    assert table.transaction_status == "idle"


@pytest.mark.pg
def test_runs_of_several_rows_and_of_none(conn: Connection) -> None:
    query = "SELECT $1::int AS run, generate_series(1, $2) AS n"
    rows = conn.fetchmany(query, [(1, 2), (2, 0), (3, 1)])
    assert [tuple(row) for row in rows] == [(1, 1), (1, 2), (3, 1)]


@pytest.mark.pg
def test_a_command_without_rows_gives_none(table: Connection) -> None:
    assert table.fetchmany("INSERT INTO f (name) VALUES ($1)", [("a",), ("b",)]) == []
    assert table.fetchval("SELECT count(*) FROM f") == 2


@pytest.mark.pg
def test_empty_input_sends_nothing(table: Connection) -> None:
    assert table.fetchmany(RETURNING, []) == []
    assert table.fetchval("SELECT count(*) FROM f") == 0


@pytest.mark.pg
def test_across_batches_in_order(conn: Connection) -> None:
    rows = conn.fetchmany("SELECT $1::int AS n", [(i,) for i in range(2500)])
    assert [row["n"] for row in rows] == list(range(2500))
    assert conn.transaction_status == "idle"


@pytest.mark.pg
@pytest.mark.parametrize("count", [3, 1500])  # one batch (implicit transaction); two (BEGIN)
def test_a_failing_run_keeps_nothing(table: Connection, count: int) -> None:
    names = [(f"n{i}",) for i in range(count)] + [("n0",)]  # the last one is a duplicate
    with pytest.raises(fasterapi_pg.UniqueViolationError):
        table.fetchmany(RETURNING, names)
    assert table.fetchval("SELECT count(*) FROM f") == 0
    assert table.transaction_status == "idle"
    assert table.fetchmany(RETURNING, [("after",)])[0]["name"] == "after"


@pytest.mark.pg
def test_a_bad_value_is_named_before_anything_is_sent(table: Connection) -> None:
    query = "INSERT INTO f (id, name) VALUES ($1, $2) RETURNING id"
    with pytest.raises(fasterapi_pg.InterfaceError, match=r"parameter \$1 as int4"):
        table.fetchmany(query, [(1, "a"), ("two", "b")])
    assert table.fetchval("SELECT count(*) FROM f") == 0


@pytest.mark.pg
def test_columns_without_a_binary_codec_come_as_text(conn: Connection) -> None:
    rows = conn.fetchmany("SELECT $1::int AS n, point($1, 2) AS p", [(1,), (3,)])
    assert [tuple(row) for row in rows] == [(1, "(1,2)"), (3, "(3,2)")]


@pytest.mark.pg
def test_timeout_cancels_and_leaves_the_connection_usable(conn: Connection) -> None:
    with pytest.raises(fasterapi_pg.QueryTimeoutError, match="pipelined"):
        conn.fetchmany("SELECT pg_sleep($1)", [(0.0,), (5.0,)], timeout=0.2)
    assert conn.fetchval("SELECT 1") == 1


@pytest.mark.pg
def test_prepared_statement_and_pool(pg_dsn: str, table: Connection) -> None:
    statement = table.prepare("SELECT $1::int * 2 AS doubled")
    assert [row[0] for row in statement.fetchmany([(1,), (2,)])] == [2, 4]
    with fasterapi_pg.Pool(pg_dsn, min_size=1, max_size=1) as pool:
        assert [row[0] for row in pool.fetchmany("SELECT $1::text", [("x",), ("y",)])] == [
            "x",
            "y",
        ]
        pool.executemany("SELECT $1::int", [(1,), (2,)])


# -- async -------------------------------------------------------------------------------


@pytest.mark.pg
def test_async_rows_match_asyncpg(run: Run, pg_dsn: str) -> None:
    query = "SELECT $1::int AS run, generate_series(1, $2) AS n, $3::text AS label"
    args = [(1, 2, "one"), (2, 0, "two"), (3, 3, None)]

    async def main() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        ours = await fasterapi_pg.connect_async(pg_dsn)
        theirs = await asyncpg.connect(pg_dsn)
        try:
            return (
                [tuple(row) for row in await ours.fetchmany(query, args)],
                [tuple(row) for row in await theirs.fetchmany(query, args)],
            )
        finally:
            await ours.close()
            await theirs.close()

    ours, theirs = run(main())
    assert ours == theirs
    assert len(ours) == 5


@pytest.mark.pg
def test_async_across_batches_failures_and_empty_input(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            await conn.execute("CREATE TEMP TABLE f (id serial PRIMARY KEY, name text UNIQUE)")
            rows = await conn.fetchmany(RETURNING, [(f"n{i}",) for i in range(2500)])
            assert [row["id"] for row in rows] == list(range(1, 2501))
            with pytest.raises(fasterapi_pg.UniqueViolationError):
                await conn.fetchmany(RETURNING, [("new",), ("n5",)])
            assert await conn.fetchval("SELECT count(*) FROM f") == 2500
            assert await conn.fetchmany(RETURNING, []) == []
            await conn.executemany(RETURNING, [])  # nothing to send: the connection stays
            assert conn.transaction_status == "idle"
            statement = await conn.prepare("SELECT $1::int + 1")
            assert [row[0] for row in await statement.fetchmany([(1,), (2,)])] == [2, 3]

    run(main())


@pytest.mark.pg
def test_async_timeout_and_pool(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with fasterapi_pg.AsyncPool(pg_dsn, min_size=1, max_size=1) as pool:
            with pytest.raises(fasterapi_pg.QueryTimeoutError):
                await pool.fetchmany("SELECT pg_sleep($1)", [(5.0,)], timeout=0.2)
            rows = await pool.fetchmany("SELECT $1::int", [(1,), (2,)])
            assert [row[0] for row in rows] == [1, 2]

    run(asyncio.wait_for(main(), 30))


# -- a cached statement that vanished or went stale ---------------------------------------


@pytest.mark.pg
@pytest.mark.parametrize("count", [3, 1500])  # one batch (implicit transaction); two (BEGIN)
def test_a_vanished_statement_is_prepared_again(table: Connection, count: int) -> None:
    table.fetchmany(RETURNING, [("warm",)])
    table.execute("DEALLOCATE ALL")  # as a pooler's DISCARD ALL would
    rows = table.fetchmany(RETURNING, [(f"n{i}",) for i in range(count)])
    assert len(rows) == count
    table.execute("DEALLOCATE ALL")
    table.executemany("INSERT INTO f (name) VALUES ($1) RETURNING id", [("more",)])
    assert table.fetchval("SELECT count(*) FROM f") == count + 2
    assert table.transaction_status == "idle"


@pytest.mark.pg
def test_a_stale_plan_is_prepared_again(table: Connection) -> None:
    query = "SELECT * FROM f WHERE name = $1"
    table.execute("INSERT INTO f (name) VALUES ('a'), ('b')")
    assert [tuple(row) for row in table.fetchmany(query, [("a",), ("b",)])] == [(1, "a"), (2, "b")]
    table.execute("ALTER TABLE f ADD COLUMN note text DEFAULT 'x'")
    rows = table.fetchmany(query, [("a",), ("b",)])
    assert [tuple(row) for row in rows] == [(1, "a", "x"), (2, "b", "x")]


@pytest.mark.pg
def test_in_a_callers_transaction_a_vanished_statement_raises_once(table: Connection) -> None:
    table.fetchmany(RETURNING, [("warm",)])
    table.execute("DEALLOCATE ALL")
    with pytest.raises(fasterapi_pg.InvalidSqlStatementNameError), table.transaction():
        table.fetchmany(RETURNING, [("lost",)])  # the transaction is aborted: no retry in it
    assert table.fetchmany(RETURNING, [("next",)])[0]["name"] == "next"  # forgotten, prepared


@pytest.mark.pg
def test_async_vanished_and_stale_statements(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            await conn.execute("CREATE TEMP TABLE f (id serial PRIMARY KEY, name text UNIQUE)")
            await conn.fetchmany(RETURNING, [("warm",)])
            await conn.execute("DEALLOCATE ALL")
            assert len(await conn.fetchmany(RETURNING, [("one",), ("two",)])) == 2  # retried
            # More than one batch goes out before the first one's error comes back: that call
            # raises, and the next one prepares the statement again.
            await conn.execute("DEALLOCATE ALL")
            many = [(f"n{i}",) for i in range(1500)]
            with pytest.raises(fasterapi_pg.InvalidSqlStatementNameError):
                await conn.executemany(RETURNING, many)
            assert conn.transaction_status == "idle"
            await conn.executemany(RETURNING, many)
            assert await conn.fetchval("SELECT count(*) FROM f") == 1503
            query = "SELECT * FROM f WHERE id = $1"
            assert len((await conn.fetchmany(query, [(1,)]))[0]) == 2
            await conn.execute("ALTER TABLE f ADD COLUMN note text")
            assert len((await conn.fetchmany(query, [(1,)]))[0]) == 3  # stale plan, retried

    run(main())
