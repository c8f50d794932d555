# SPDX-License-Identifier: MIT
"""fetch of results that arrive over many reads of the socket (AsyncConnection, and the sync
Connection): the rows of the sync connection's whole-result path, in order; a failure part-way
through the rows (the server's or a decoder's) raises it and leaves the connection usable.

Each statement has returned a large result once before the fetch that matters, so that with
libpq 17 or newer that fetch streams (its rows are decoded while they arrive);
test_streamed_fetch.py runs this module again with such a libpq."""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest

import fasterapi_pg
from fasterapi_pg import errors

Run = Callable[[Coroutine[Any, Any, Any]], Any]


@pytest.fixture(autouse=True)
def _streaming_as_expected() -> Iterator[None]:
    if os.environ.get("FASTERAPI_PG_EXPECT_STREAMING"):
        assert fasterapi_pg.streams_rows(), "this libpq cannot stream rows"
    yield
    # A streamed fetch pauses the cyclic collector while its rows arrive, whatever its end.
    assert gc.isenabled()


MANY_ROWS = """SELECT g AS id, md5(g::text) AS hash, g * 0.5 AS half,
                      CASE WHEN g % 7 = 0 THEN NULL ELSE ARRAY[g, -g] END AS pair
               FROM generate_series(1, $1::int) AS g"""


@pytest.mark.pg
def test_a_large_fetch_has_the_rows_of_the_sync_connection_in_order(run: Run, pg_dsn: str) -> None:
    with fasterapi_pg.connect(pg_dsn) as sync_conn:
        expected = sync_conn.fetch(MANY_ROWS, 20_000)

    async def main() -> list[Any]:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            first = await conn.fetch(MANY_ROWS, 20_000)
            rows = await conn.fetch(MANY_ROWS, 20_000)  # streams where libpq can
            assert rows == first
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
def test_large_fetches_through_the_sync_connection(pg_dsn: str) -> None:
    with fasterapi_pg.connect(pg_dsn) as conn:
        first = conn.fetch(MANY_ROWS, 20_000)
        again = conn.fetch(MANY_ROWS, 20_000)  # streams where libpq can
        assert again == first
        assert conn.fetch(MANY_ROWS, 20_000, timeout=30) == first
        assert conn.fetch(MANY_ROWS, 0) == []
        assert [r["id"] for r in first[:3]] == [1, 2, 3]
        query = "SELECT g, 1 / (g - $1) FROM generate_series(1, 5000) AS g"
        assert len(conn.fetch(query, 0)) == 5000
        with pytest.raises(errors.DivisionByZeroError):
            conn.fetch(query, 3000)
        assert conn.transaction_status == "idle"
        assert conn.fetchval("SELECT 7") == 7


@pytest.mark.pg
def test_large_fetches_on_several_connections_at_once(run: Run, pg_dsn: str) -> None:
    async def fetch_twice(count: int) -> list[Any]:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            await conn.fetch(MANY_ROWS, count)
            return await conn.fetch(MANY_ROWS, count)

    async def main() -> list[list[Any]]:
        return await asyncio.gather(fetch_twice(3_000), fetch_twice(5_000), fetch_twice(4_000))

    results = run(main())
    assert [len(rows) for rows in results] == [3_000, 5_000, 4_000]
    assert [r["id"] for r in results[1][-2:]] == [4_999, 5_000]


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
            query = "SELECT g, 1 / (g - $1) FROM generate_series(1, 5000) AS g"
            assert len(await conn.fetch(query, 0)) == 5000
            with pytest.raises(errors.DivisionByZeroError):
                # The rows before g = 3000 reach the client before the error does.
                await conn.fetch(query, 3000)
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
            query = "SELECT g FROM generate_series(1, $1::int) AS g"
            assert len(await conn.fetch(query, 1499)) == 1499
            with pytest.raises(ValueError, match="refusing 1500"):
                await conn.fetch(query, 3000)
            rows = await conn.fetch(query, 1499)
            assert [r[0] for r in rows] == list(range(1, 1500))

    run(main())


@pytest.mark.pg
def test_cancelling_a_fetch_while_rows_stream_in_keeps_the_connection(
    run: Run, pg_dsn: str
) -> None:
    # Rows after the first FAST come 2 ms apart.
    slow = """SELECT g, pg_sleep(CASE WHEN g > $1 THEN 0.002 ELSE 0 END)
              FROM generate_series(1, 5000) AS g"""

    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            assert len(await conn.fetch(slow, 5000)) == 5000
            task = asyncio.ensure_future(conn.fetch(slow, 1000))
            await asyncio.sleep(0.3)  # some rows are in by now
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert await conn.fetchval("SELECT 7") == 7
            with pytest.raises(errors.QueryTimeoutError):
                await conn.fetch(slow, 1000, timeout=0.3)
            assert len(await conn.fetch(MANY_ROWS, 50)) == 50

    run(main())


@pytest.mark.pg
def test_a_sync_fetch_past_its_timeout_while_rows_stream_in_keeps_the_connection(
    pg_dsn: str,
) -> None:
    # Rows after the first FAST come 2 ms apart.
    slow = """SELECT g, pg_sleep(CASE WHEN g > $1 THEN 0.002 ELSE 0 END)
              FROM generate_series(1, 5000) AS g"""
    with fasterapi_pg.connect(pg_dsn) as conn:
        assert len(conn.fetch(slow, 5000)) == 5000
        with pytest.raises(errors.QueryTimeoutError, match=r"0\.3 s timeout"):
            conn.fetch(slow, 1000, timeout=0.3)
        assert conn.transaction_status == "idle"
        assert conn.fetchval("SELECT 7") == 7
        assert len(conn.fetch(slow, 5000, timeout=30)) == 5000


@pytest.mark.pg
def test_a_backend_ended_while_rows_stream_in_fails_the_fetch(run: Run, pg_dsn: str) -> None:
    # Rows after the first FAST come 2 ms apart.
    slow = """SELECT g, pg_sleep(CASE WHEN g > $1 THEN 0.002 ELSE 0 END)
              FROM generate_series(1, 5000) AS g"""

    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as admin:
            conn = await fasterapi_pg.connect_async(pg_dsn)
            assert len(await conn.fetch(slow, 5000)) == 5000
            task = asyncio.ensure_future(conn.fetch(slow, 1000))
            await asyncio.sleep(0.3)  # some rows are in by now
            await admin.fetch("SELECT pg_terminate_backend($1)", conn.backend_pid)
            with pytest.raises(fasterapi_pg.ConnectionFailureError, match="pg_sleep"):
                await task
            assert conn.is_closed()

    run(main())
