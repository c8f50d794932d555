# SPDX-License-Identifier: MIT
"""conn.prepare(): statements prepared up front, described, and run (sync and async)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import pytest

import fasterapi_pg

Run = Callable[[Coroutine[Any, Any, Any]], Any]

INT4, TEXT = 23, 25


@pytest.mark.pg
def test_prepare_describes_and_runs(conn: fasterapi_pg.Connection) -> None:
    statement = conn.prepare("SELECT $1::int + 1 AS next, $2::text AS label")
    assert statement.get_parameters() == (INT4, TEXT)
    assert statement.get_attributes() == (("next", INT4), ("label", TEXT))
    assert statement.fetchval(41, "x") == 42
    assert tuple(statement.fetchrow(1, "y")) == (2, "y")
    assert [tuple(r) for r in statement.fetch(2, "z")] == [(3, "z")]
    assert "SELECT $1::int" in repr(statement)
    conn.execute("CREATE TEMP TABLE t (id int)")
    insert = conn.prepare("INSERT INTO t VALUES ($1)")
    assert insert.execute(1) == "INSERT 0 1"
    insert.executemany([(2,), (3,)])
    with conn.transaction(), conn.prepare("SELECT id FROM t ORDER BY id").cursor() as cur:
        assert [row[0] for row in cur] == [1, 2, 3]
    with pytest.raises(fasterapi_pg.errors.PostgresSyntaxError):
        conn.prepare("SELEC 1")


@pytest.mark.pg
def test_a_prepared_statement_survives_eviction_and_schema_changes(pg_dsn: str) -> None:
    with fasterapi_pg.connect(pg_dsn, statement_cache_size=2) as conn:
        conn.execute("CREATE TEMP TABLE t (id int)")
        statement = conn.prepare("SELECT * FROM t")
        for n in range(5):  # push it out of the two-entry cache
            conn.fetchval(f"SELECT {n}")
        conn.execute("ALTER TABLE t ADD COLUMN name text")
        assert statement.fetch() == []


@pytest.mark.pg
def test_async_prepare(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            statement = await conn.prepare("SELECT $1::int * 2")
            assert statement.get_parameters() == (INT4,)
            assert await statement.fetchval(21) == 42
            assert [r[0] for r in await statement.fetch(2)] == [4]
            assert (await statement.fetchrow(3))[0] == 6
            again = await conn.prepare("SELECT $1::int * 2")  # from the cache
            assert again.get_attributes() == statement.get_attributes()
            with pytest.raises(fasterapi_pg.errors.UndefinedTableError):
                await conn.prepare("SELECT * FROM missing")
            async with conn.transaction():
                rows = [r[0] async for r in (await conn.prepare("SELECT 1")).cursor()]
                assert rows == [1]

    run(main())
