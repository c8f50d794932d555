# SPDX-License-Identifier: MIT
"""Server-side cursors, sync and async: streaming in chunks, moving by hand, nesting, errors."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import pytest

import fasterapi_pg

Run = Callable[[Coroutine[Any, Any, Any]], Any]

ROWS = 2500


@pytest.mark.pg
def test_iterating_streams_every_row_in_chunks(conn: fasterapi_pg.Connection) -> None:
    with (
        conn.transaction(),
        conn.cursor(
            "SELECT n, n * 2 AS twice FROM generate_series(1, $1) AS n", ROWS, prefetch=1000
        ) as cursor,
    ):
        seen = [(row["n"], row["twice"]) for row in cursor]
    assert seen == [(n, n * 2) for n in range(1, ROWS + 1)]
    assert conn.transaction_status == "idle"


@pytest.mark.pg
def test_fetch_fetchrow_forward_and_nesting(conn: fasterapi_pg.Connection) -> None:
    with conn.transaction():
        outer = conn.cursor("SELECT n FROM generate_series(1, 10) AS n")
        assert [row[0] for row in outer.fetch(3)] == [1, 2, 3]
        assert outer.forward(4) == 4
        inner = conn.cursor("SELECT 'x'::text")  # a second cursor gets its own name
        assert inner.fetchrow()[0] == "x"
        assert inner.fetchrow() is None
        inner.close()
        assert outer.fetchrow()[0] == 8
        assert [row[0] for row in outer.fetch(100)] == [9, 10]
        assert outer.forward(5) == 0
        outer.close()
        outer.close()  # twice: a no-op
        with pytest.raises(fasterapi_pg.InterfaceError, match="closed"):
            outer.fetch(1)
        with pytest.raises(ValueError, match="non-negative"):
            conn.cursor("SELECT 1").fetch(-1)


@pytest.mark.pg
def test_a_cursor_needs_a_transaction(conn: fasterapi_pg.Connection) -> None:
    with pytest.raises(fasterapi_pg.InterfaceError, match="needs an open transaction"):
        conn.cursor("SELECT 1")


@pytest.mark.pg
def test_a_bad_query_fails_at_declare_and_frees_the_name(conn: fasterapi_pg.Connection) -> None:
    with conn.transaction():
        with pytest.raises(fasterapi_pg.errors.UndefinedTableError):
            conn.cursor("SELECT * FROM no_such_table")
        conn.execute("ROLLBACK")
        conn.execute("BEGIN")
        with conn.cursor("SELECT 1") as cursor:
            assert cursor.fetchrow()[0] == 1


@pytest.mark.pg
def test_async_cursor(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            with pytest.raises(fasterapi_pg.InterfaceError, match="needs an open transaction"):
                await conn.cursor("SELECT 1")
            async with conn.transaction():
                query = "SELECT n FROM generate_series(1, $1) AS n"
                seen = [row[0] async for row in conn.cursor(query, ROWS, prefetch=700)]
                assert seen == list(range(1, ROWS + 1))
                cursor = await conn.cursor("SELECT n FROM generate_series(1, 5) AS n")
                assert [row[0] for row in await cursor.fetch(2)] == [1, 2]
                assert await cursor.forward(2) == 2
                assert (await cursor.fetchrow())[0] == 5
                assert await cursor.fetchrow() is None
                await cursor.close()
            assert conn.transaction_status == "idle"

    run(main())
