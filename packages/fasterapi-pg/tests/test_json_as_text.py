# SPDX-License-Identifier: MIT
"""json_as_text=True: json and jsonb values as their text, both ways, on every way in."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import pytest

import fasterapi_pg
from fasterapi_pg import errors

Run = Callable[[Coroutine[Any, Any, Any]], Any]

SPACED = '{"a":  [1, 2]}'  # json keeps the text as sent; jsonb prints its own form
QUERY = "SELECT $1::json AS j, $1::jsonb AS b, NULL::jsonb AS missing, 1.5::numeric AS n"


def check_row(row: Any) -> None:
    assert row["j"] == SPACED
    assert row["b"] == '{"a": [1, 2]}'
    assert row["missing"] is None
    assert str(row["n"]) == "1.5"  # the other columns are decoded as ever


@pytest.mark.pg
def test_sync_connection(pg_dsn: str) -> None:
    with fasterapi_pg.connect(pg_dsn, json_as_text=True) as conn:
        check_row(conn.fetchrow(QUERY, SPACED))
        assert conn.fetchval("SELECT $1::jsonb", {"k": None}) == '{"k": null}'  # still dumped
        with pytest.raises(errors.InvalidTextRepresentationError):
            conn.fetchval("SELECT $1::jsonb", "not json")
        # A statement fetched in text format (an enum column) gives the same text.
        conn.execute("CREATE TYPE pg_temp.mood AS ENUM ('calm')")  # gone with the session
        row = conn.fetchrow("SELECT 'calm'::pg_temp.mood AS m, $1::jsonb AS b", SPACED)
        assert (row["m"], row["b"]) == ("calm", '{"a": [1, 2]}')
        # Elements of json arrays are not values of their own here: they stay parsed.
        assert conn.fetchval("SELECT ARRAY[$1::jsonb]", SPACED) == [{"a": [1, 2]}]
    with fasterapi_pg.connect(pg_dsn) as conn:  # the default parses
        assert conn.fetchval("SELECT $1::jsonb", SPACED) == '{"a":  [1, 2]}'
        assert conn.fetchval("SELECT $1::text::jsonb", SPACED) == {"a": [1, 2]}


@pytest.mark.pg
def test_async_connection_and_copy(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        conn = await fasterapi_pg.connect_async(pg_dsn, json_as_text=True)
        try:
            check_row(await conn.fetchrow(QUERY, SPACED))
            await conn.execute("CREATE TEMP TABLE docs (id int, doc jsonb)")
            await conn.copy_records_to_table("docs", records=[(1, SPACED), (2, None)])
            rows = await conn.fetch("SELECT doc FROM docs ORDER BY id")
            assert [row["doc"] for row in rows] == ['{"a": [1, 2]}', None]
        finally:
            await conn.close()

    run(main())


@pytest.mark.pg
def test_pools_pass_it_to_their_connections(run: Run, pg_dsn: str) -> None:
    pool = fasterapi_pg.Pool(pg_dsn, min_size=1, max_size=1, json_as_text=True)
    try:
        check_row(pool.fetchrow(QUERY, SPACED))
    finally:
        pool.close()

    async def main() -> None:
        async with fasterapi_pg.AsyncPool(
            pg_dsn, min_size=1, max_size=1, json_as_text=True
        ) as async_pool:
            check_row(await async_pool.fetchrow(QUERY, SPACED))

    run(main())


@pytest.mark.pg
def test_a_custom_codec_for_jsonb_still_wins(pg_dsn: str) -> None:
    with fasterapi_pg.connect(pg_dsn, json_as_text=True) as conn:
        conn.set_type_codec(
            "jsonb", schema="pg_catalog", encoder=lambda v: v[1], decoder=lambda t: ("doc", t)
        )
        assert conn.fetchval("SELECT $1::jsonb", ("doc", "[1]")) == ("doc", "[1]")
        assert conn.fetchval("SELECT $1::json", "[2]") == "[2]"  # json has no codec: text
