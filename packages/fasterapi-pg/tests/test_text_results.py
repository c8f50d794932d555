# SPDX-License-Identifier: MIT
"""A statement with a column the binary codecs do not know comes back in text format (libpq
asks for one format for all columns); every known type in it still decodes to the same value
as in binary format."""

from __future__ import annotations

import pytest

import fasterapi_pg

EXPRESSIONS = [
    "true",
    "false",
    "(-32768)::int2",
    "2147483647::int4",
    "(-9223372036854775808)::int8",
    "4000000000::oid",
    "1.5::float4",
    "(-2.25e300)::float8",
    "'NaN'::float8",
    "'-Infinity'::float8",
    "0.1::float8",
    "'text with \"quotes\", commas and {braces}'::text",
    "'é✓'::varchar",
    "'padded'::char(8)",
    "'\\x00ff10'::bytea",
    "''::bytea",
    "'12345678-1234-5678-1234-567812345678'::uuid",
    "'{\"k\": [1, 2.5, null]}'::jsonb",
    "'[1, \"a\"]'::json",
    "'2024-02-29'::date",
    "'infinity'::date",
    "'-infinity'::date",
    "'0001-01-01'::date",
    "'2000-01-01 00:00:00.000001'::timestamp",
    "'2024-06-01 12:34:56.5'::timestamp",
    "'infinity'::timestamp",
    "'2024-06-01 12:00:00+05:30'::timestamptz",
    "'1999-12-31 23:59:59.999999-08'::timestamptz",
    "'12:34:56.789'::time",
    "'24:00:00'::time",
    "'12:34:56+05:30'::timetz",
    "'23:59:59.5-02:15'::timetz",
    "'3 days 04:05:06.5'::interval",
    "'-1 days +02:03:00'::interval",
    "'-00:00:01.25'::interval",
    "'100:00:00'::interval",
    "'0'::interval",
    "'-12.340'::numeric",
    "'NaN'::numeric",
    "'Infinity'::numeric",
    "'1e-20'::numeric",
    "'192.168.0.1'::inet",
    "'10.1.2.3/8'::inet",
    "'10.0.0.0/8'::cidr",
    "'2001:db8::1/64'::inet",
    "'::1'::inet",
    "ARRAY[1, NULL, 3]::int4[]",
    "ARRAY[['a', NULL], ['b,c', 'd\"e']]::text[]",
    "'{}'::int4[]",
    "'[0:1]={7,8}'::int8[]",
    "ARRAY['2024-01-01'::date, 'infinity']",
    "ARRAY['{\"a\": 1}'::jsonb, '[2]']",
    "ARRAY['1.5'::numeric, 'NaN']",
    "ARRAY['12345678-1234-5678-1234-567812345678'::uuid]",
    "ARRAY['\\x01'::bytea, NULL]",
    "ARRAY[true, false]",
    "NULL::date",
]


@pytest.mark.pg
@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_known_types_decode_the_same_from_text(
    conn: fasterapi_pg.Connection, expression: str
) -> None:
    binary = conn.fetchval(f"SELECT {expression}")
    beside_a_point = conn.fetchrow(f"SELECT {expression} AS v, '(1,2)'::point AS p")
    assert beside_a_point is not None
    assert beside_a_point["p"] == "(1,2)"  # the unknown type: its text
    assert type(beside_a_point["v"]) is type(binary)
    assert repr(beside_a_point["v"]) == repr(binary)  # repr: NaN equals itself there


@pytest.mark.pg
def test_an_interval_with_months_fails_alike(conn: fasterapi_pg.Connection) -> None:
    with pytest.raises(ValueError, match="months"):
        conn.fetchval("SELECT '1 year 2 mons'::interval")
    with pytest.raises(ValueError, match="months"):
        conn.fetchrow("SELECT '1 year 2 mons'::interval, '(1,2)'::point")


@pytest.mark.pg
def test_text_this_cannot_read_stays_a_str(conn: fasterapi_pg.Connection) -> None:
    # Another DateStyle prints dates this decoder does not read: they come back as text.
    conn.execute("SET DateStyle = 'German'")
    try:
        row = conn.fetchrow("SELECT '2024-02-29'::date AS d, '(1,2)'::point AS p")
    finally:
        conn.execute("SET DateStyle = 'ISO'")
    assert row is not None
    assert row["d"] == "29.02.2024"


@pytest.mark.pg
def test_a_set_type_codec_column_leaves_the_others_decoded(
    conn: fasterapi_pg.Connection,
) -> None:
    conn.set_type_codec(
        "point",
        schema="pg_catalog",
        encoder=str,
        decoder=lambda text: tuple(float(x) for x in text.strip("()").split(",")),
    )
    row = conn.fetchrow("SELECT '(1,2)'::point AS p, '2024-02-29'::date AS d, 1.5::numeric AS n")
    assert row is not None
    assert row["p"] == (1, 2)
    assert str(row["d"]) == "2024-02-29"
    assert str(row["n"]) == "1.5"
