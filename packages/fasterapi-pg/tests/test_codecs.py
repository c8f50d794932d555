# SPDX-License-Identifier: MIT
"""Values round-trip through the binary codecs, and decode as psycopg decodes them."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

import psycopg
import pytest

import fasterapi_pg

UTC = dt.timezone.utc

ROUND_TRIPS: list[tuple[str, Any]] = [
    ("bool", True),
    ("bool", False),
    ("int2", -32768),
    ("int2", 32767),
    ("int4", -(2**31)),
    ("int4", 2**31 - 1),
    ("int8", -(2**63)),
    ("int8", 2**63 - 1),
    ("float4", 1.5),
    ("float8", -2.25e300),
    ("float8", float("inf")),
    ("text", ""),
    ("text", "héllo wörld ✓ 𝄞"),
    ("text", "x" * 1_000_000),
    ("varchar", "abc"),
    ("bytea", b""),
    ("bytea", bytes(range(256)) * 4096),
    ("uuid", uuid.UUID("12345678-1234-5678-1234-567812345678")),
    ("json", {"a": [1, 2.5, None, "x"], "b": {"c": True}}),
    ("jsonb", [1, "two", {"three": 3}]),
    ("jsonb", "a scalar string"),
    ("jsonb", 12.5),
    ("jsonb", {"nested": {"deep": [[], {}, ""]}, "unicode": "é✓"}),
    ("date", dt.date(2024, 2, 29)),
    ("date", dt.date(1, 1, 1)),
    ("date", dt.date(9999, 12, 31)),
    ("date", dt.date(1999, 12, 31)),
    ("timestamp", dt.datetime(2000, 1, 1, 0, 0, 0, 1)),
    ("timestamp", dt.datetime(1969, 7, 20, 20, 17, 40)),
    ("timestamptz", dt.datetime(2024, 6, 1, 12, 30, 15, 123456, tzinfo=UTC)),
    ("numeric", decimal.Decimal("0")),
    ("numeric", decimal.Decimal("-1234.5600")),
    ("numeric", decimal.Decimal("0.000000000000000000000000001")),
    ("numeric", decimal.Decimal("123456789012345678901234567890.123456789")),
    ("numeric", decimal.Decimal("NaN")),
]


@pytest.mark.pg
@pytest.mark.parametrize(("type_name", "value"), ROUND_TRIPS, ids=lambda v: str(v)[:30])
def test_round_trip(conn: fasterapi_pg.Connection, type_name: str, value: Any) -> None:
    result = conn.fetchval(f"SELECT $1::{type_name}", value)
    if isinstance(value, decimal.Decimal) and value.is_nan():
        assert result.is_nan()
    else:
        assert result == value
        assert type(result) is type(value)


@pytest.mark.pg
def test_uuids_behave_like_uuids(conn: fasterapi_pg.Connection) -> None:
    value = uuid.uuid4()
    decoded = conn.fetchval("SELECT $1::uuid", value)
    assert str(decoded) == str(value)
    assert hash(decoded) == hash(value)
    assert decoded.version == 4
    assert decoded.is_safe == uuid.SafeUUID.unknown
    assert {decoded: 1}[value] == 1


@pytest.mark.pg
def test_uuid_slots_are_those_of_uuid_objects(conn: fasterapi_pg.Connection) -> None:
    # The slots are written directly: they must read back as UUID's own would.
    decoded = conn.fetchval("SELECT 'f47ac10b-58cc-4372-a567-0e02b2c3d479'::uuid")
    assert decoded.int == 0xF47AC10B58CC4372A5670E02B2C3D479
    assert type(decoded) is uuid.UUID
    with pytest.raises(TypeError, match="immutable"):
        decoded.int = 1


@pytest.mark.pg
@pytest.mark.parametrize("length", [0, 1, 7, 8, 9, 15, 16, 17, 40])
def test_text_with_a_non_ascii_character_anywhere(
    conn: fasterapi_pg.Connection, length: int
) -> None:
    # ASCII text is copied straight into a str; one byte over 0x7f anywhere must not be.
    for at in range(length):
        value = "a" * at + "é" + "b" * (length - at - 1)
        assert conn.fetchval("SELECT $1::text", value) == value
        assert conn.fetchval("SELECT $1::varchar", "€" + value) == "€" + value
    assert conn.fetchval("SELECT $1::text", "z" * length) == "z" * length


@pytest.mark.pg
def test_nulls_of_every_type(conn: fasterapi_pg.Connection) -> None:
    for type_name, _ in ROUND_TRIPS:
        assert conn.fetchval(f"SELECT $1::{type_name}", None) is None


@pytest.mark.pg
def test_empty_values_are_not_nulls(conn: fasterapi_pg.Connection) -> None:
    # NULL and an empty value both have length 0 in a result: only one of them is None.
    query = "SELECT ''::text, NULL::text, ''::bytea, NULL::bytea, ''::varchar, $1::text"
    expected = ("", None, b"", None, "", None)
    assert tuple(conn.fetchrow(query, None)) == expected
    assert [tuple(record) for record in conn.fetch(query, None)] == [expected]
    assert conn.fetchval(query, None, column=4) == ""


@pytest.mark.pg
def test_aware_datetime_is_stored_as_utc(conn: fasterapi_pg.Connection) -> None:
    plus_two = dt.timezone(dt.timedelta(hours=2))
    value = dt.datetime(2024, 6, 1, 14, 0, tzinfo=plus_two)
    assert conn.fetchval("SELECT $1::timestamptz", value) == value
    assert conn.fetchval("SELECT $1::timestamptz", value).tzinfo is UTC


@pytest.mark.pg
def test_infinite_dates_map_to_the_extremes(conn: fasterapi_pg.Connection) -> None:
    assert conn.fetchval("SELECT 'infinity'::date") == dt.date.max
    assert conn.fetchval("SELECT '-infinity'::date") == dt.date.min
    assert conn.fetchval("SELECT 'infinity'::timestamp") == dt.datetime.max


@pytest.mark.pg
def test_numeric_infinities(conn: fasterapi_pg.Connection) -> None:
    assert conn.fetchval("SELECT 'Infinity'::numeric") == decimal.Decimal("Infinity")
    assert conn.fetchval("SELECT '-Infinity'::numeric") == decimal.Decimal("-Infinity")


@pytest.mark.pg
def test_other_types_come_back_as_text(conn: fasterapi_pg.Connection) -> None:
    row = conn.fetchrow(
        "SELECT '(1,2)'::point AS p, 42 AS n, '08:00:2b:01:02:03'::macaddr AS m, true AS b"
    )
    assert row is not None
    assert (row["p"], row["n"], row["m"], row["b"]) == ("(1,2)", 42, "08:00:2b:01:02:03", True)


SAME_AS_PSYCOPG = """
    SELECT 1::int2, 2::int4, 3::int8, 1.5::float4, 2.5::float8, 'x'::text, 'y'::varchar,
           'z'::name, true, '\\x0102'::bytea, '12345678-1234-5678-1234-567812345678'::uuid,
           '{"k": [1, 2]}'::jsonb, '[1, "a"]'::json, '2024-02-29'::date,
           '2000-01-01 00:00:00.000001'::timestamp, '2024-06-01 12:00:00+00'::timestamptz,
           '-12.340'::numeric, NULL::int, 'é✓'::text
"""


@pytest.mark.pg
def test_decoded_values_equal_psycopgs(conn: fasterapi_pg.Connection, pg_dsn: str) -> None:
    ours = conn.fetchrow(SAME_AS_PSYCOPG)
    with psycopg.connect(pg_dsn) as other:
        other.execute("SET TIME ZONE 'UTC'")
        theirs = other.execute(SAME_AS_PSYCOPG).fetchone()
    assert ours is not None
    assert theirs is not None
    assert list(ours) == list(theirs)
