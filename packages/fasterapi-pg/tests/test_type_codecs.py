# SPDX-License-Identifier: MIT
"""set_type_codec: custom text codecs for a type, in parameters and results (sync and async)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import pytest

import fasterapi_pg

Run = Callable[[Coroutine[Any, Any, Any]], Any]


def encode_point(value: complex) -> str:
    return f"({value.real},{value.imag})"


def decode_point(text: str) -> complex:
    real, imag = text.strip("()").split(",")
    return complex(float(real), float(imag))


@pytest.mark.pg
def test_a_codec_for_a_composite_type(conn: fasterapi_pg.Connection) -> None:
    conn.execute("CREATE TYPE pair AS (x float8, y float8)")
    try:
        cached = conn.fetchval("SELECT $1::pair", "(1,2)")  # before: the text form
        assert cached == "(1,2)"
        conn.set_type_codec("pair", encoder=encode_point, decoder=decode_point)
        assert conn.fetchval("SELECT $1::pair", 3 + 4j) == 3 + 4j  # re-prepared with it
        row = conn.fetchrow("SELECT $1::pair AS p, 5 AS n, NULL::pair AS missing", 1 - 1j)
        assert (row["p"], row["n"], row["missing"]) == (1 - 1j, 5, None)
        conn.set_type_codec("pair", encoder=lambda value: 1, decoder=decode_point)
        with pytest.raises(fasterapi_pg.InterfaceError, match="must return a str"):
            conn.fetchval("SELECT $1::pair", 1j)
    finally:
        conn.execute("DROP TYPE pair")


@pytest.mark.pg
def test_unknown_types_and_formats(conn: fasterapi_pg.Connection) -> None:
    with pytest.raises(fasterapi_pg.InterfaceError, match="no type 'nothing'"):
        conn.set_type_codec("nothing", encoder=str, decoder=str)
    with pytest.raises(NotImplementedError, match="only format='text'"):
        conn.set_type_codec("int4", schema="pg_catalog", encoder=str, decoder=int, format="binary")


@pytest.mark.pg
def test_async_set_type_codec(run: Run, pg_dsn: str) -> None:
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            await conn.execute("CREATE TEMP TABLE t (id int, tag text)")
            assert await conn.fetchval("SELECT 'x'::text") == "x"  # cached before the codec
            await conn.set_type_codec(
                "text", schema="pg_catalog", encoder=str.upper, decoder=lambda t: f"<{t}>"
            )
            await conn.execute("INSERT INTO t VALUES ($1, $2)", 1, "abc")
            assert await conn.fetchval("SELECT tag FROM t") == "<ABC>"
            assert await conn.fetchval("SELECT 'x'::text") == "<x>"

    run(main())


@pytest.mark.pg
def test_str_codecs_on_json_types_give_their_text(conn: fasterapi_pg.Connection) -> None:
    # Parsed by default; with str as both codecs (asyncpg users' idiom; json_as_text=True is
    # the faster switch), the text as the server has it, both ways.
    document = '{"a":  [1, 2]}'
    assert conn.fetchval("SELECT $1::jsonb", {"a": [1, 2]}) == {"a": [1, 2]}
    for typename in ("json", "jsonb"):
        conn.set_type_codec(typename, schema="pg_catalog", encoder=str, decoder=str)
    assert conn.fetchval("SELECT $1::json", document) == document  # json keeps the spacing
    assert conn.fetchval("SELECT $1::jsonb", document) == '{"a": [1, 2]}'
    row = conn.fetchrow("SELECT $1::jsonb AS doc, NULL::jsonb AS missing, 1 AS n", "[true]")
    assert (row["doc"], row["missing"], row["n"]) == ("[true]", None, 1)
    with pytest.raises(fasterapi_pg.errors.InvalidTextRepresentationError):
        conn.fetchval("SELECT $1::jsonb", "not json")
