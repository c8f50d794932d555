# SPDX-License-Identifier: MIT
"""AsyncConnection.fetch of results that arrive over many reads of the socket: the rows of the
sync connection, in order; a failure part-way through the rows (the server's or a decoder's)
raises it and leaves the connection usable."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

import fasterapi_pg
from fasterapi_pg import errors

Run = Callable[[Coroutine[Any, Any, Any]], Any]

MANY_ROWS = """SELECT g AS id, md5(g::text) AS hash, g * 0.5 AS half,
                      CASE WHEN g % 7 = 0 THEN NULL ELSE ARRAY[g, -g] END AS pair
               FROM generate_series(1, $1::int) AS g"""


@pytest.mark.pg
def test_a_large_fetch_has_the_rows_of_the_sync_connection_in_order(run: Run, pg_dsn: str) -> None:
    with fasterapi_pg.connect(pg_dsn) as sync_conn:
        expected = sync_conn.fetch(MANY_ROWS, 20_000)

    async def main() -> list[Any]:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            rows = await conn.fetch(MANY_ROWS, 20_000)
            assert await conn.fetch(MANY_ROWS, 0) == []
            assert await conn.fetch("SELECT 1 WHERE false") == []
            await conn.execute("CREATE TEMP TABLE t (id int)")
            assert await conn.fetch("INSERT INTO t VALUES ($1)", 1) == []
            assert [tuple(r) for r in await conn.fetch("DELETE FROM t RETURNING id")] == [(1,)]
            return rows

    rows = run(main())
    assert rows == expected
    assert [r["id"] for r in rows[:3]] == [1, 2, 3]
    assert rows[6]["pair"] is None
    assert rows[5]["pair"] == [6, -6]


@pytest.mark.pg
def test_the_records_of_a_fetch_are_tracked_by_the_cyclic_collector(run: Run, pg_dsn: str) -> None:
    async def main() -> list[Any]:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            return await conn.fetch(MANY_ROWS, 100)

    rows = run(main())
    assert all(gc.is_tracked(row) for row in rows)
    gc.collect()  # a full collection walks them (a broken traverse would crash here)


@pytest.mark.pg
def test_a_server_error_after_some_rows_raises_and_keeps_the_connection(
    run: Run, pg_dsn: str
) -> None:
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            with pytest.raises(errors.DivisionByZeroError):
                # The rows before g = 3000 reach the client before the error does.
                await conn.fetch("SELECT g, 1 / (g - 3000) FROM generate_series(1, 5000) AS g")
            assert conn.transaction_status == "idle"
            assert len(await conn.fetch(MANY_ROWS, 10)) == 10

    run(main())


@pytest.mark.pg
def test_a_row_that_cannot_be_decoded_fails_the_fetch_and_keeps_the_connection(
    run: Run, pg_dsn: str
) -> None:
    def decode(text: str) -> int:
        if text == "1500":
            raise ValueError(f"refusing {text}")
        return int(text)

    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            await conn.set_type_codec("int4", schema="pg_catalog", encoder=str, decoder=decode)
            with pytest.raises(ValueError, match="refusing 1500"):
                await conn.fetch("SELECT g FROM generate_series(1, 3000) AS g")
            rows = await conn.fetch("SELECT g FROM generate_series(1, 1499) AS g")
            assert [r[0] for r in rows] == list(range(1, 1500))

    run(main())


@pytest.mark.pg
def test_cancelling_a_fetch_while_rows_stream_in_keeps_the_connection(
    run: Run, pg_dsn: str
) -> None:
    slow = "SELECT g, pg_sleep(0.002) FROM generate_series(1, 5000) AS g"

    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            task = asyncio.ensure_future(conn.fetch(slow))
            await asyncio.sleep(0.3)  # some rows are in by now
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert await conn.fetchval("SELECT 7") == 7
            with pytest.raises(errors.QueryTimeoutError):
                await conn.fetch(slow, timeout=0.3)
            assert len(await conn.fetch(MANY_ROWS, 50)) == 50

    run(main())
