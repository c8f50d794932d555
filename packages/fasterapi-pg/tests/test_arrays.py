# SPDX-License-Identifier: MIT
"""Arrays: any dimension, NULLs, empty arrays, in both directions, sync and async."""

import datetime
import uuid
from decimal import Decimal
from typing import Any

import pytest

import fasterapi_pg

pytestmark = pytest.mark.pg


@pytest.fixture
def conn(pg_dsn: str):
    connection = fasterapi_pg.connect(pg_dsn)
    yield connection
    connection.close()


@pytest.mark.parametrize(
    ("type_name", "value"),
    [
        ("int4[]", [1, 2, 3]),
        ("int8[]", [[1, 2], [3, None]]),
        ("int2[]", []),
        ("text[]", ["a", None, "ü", ""]),
        ("varchar[]", [["x"], ["y"]]),
        ("bool[]", [True, False, None]),
        ("float8[]", [1.5, -0.25]),
        ("date[]", [datetime.date(2024, 2, 29), None]),
        ("uuid[]", [uuid.UUID(int=7)]),
        ("jsonb[]", [{"a": 1}, [1, 2]]),
        ("bytea[]", [b"\x00\x01", b""]),
        ("int4[]", [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]),
    ],
)
def test_round_trip(conn: fasterapi_pg.Connection, type_name: str, value: Any) -> None:
    assert conn.fetchval(f"SELECT $1::{type_name}", value) == value


def test_arrays_from_sql(conn: fasterapi_pg.Connection) -> None:
    row = conn.fetchrow(
        "SELECT ARRAY[1.5, NULL]::numeric[] AS n, '{{1,2},{3,4}}'::int4[] AS m, "
        "'{}'::text[] AS e, ARRAY['2024-01-02 03:04:05+00'::timestamptz] AS t"
    )
    assert row["n"] == [Decimal("1.5"), None]
    assert row["m"] == [[1, 2], [3, 4]]
    assert row["e"] == []
    assert row["t"] == [datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)]


def test_tuples_are_arrays_too(conn: fasterapi_pg.Connection) -> None:
    assert conn.fetchval("SELECT $1::int4[] @> ARRAY[2]", (1, 2)) is True


def test_bad_arrays_are_refused_before_sending(conn: fasterapi_pg.Connection) -> None:
    with pytest.raises(fasterapi_pg.InterfaceError, match=r"\$1 as an array: sub-lists"):
        conn.fetchval("SELECT $1::int4[]", [[1, 2], [3]])
    with pytest.raises(fasterapi_pg.InterfaceError, match=r"\$1 as an array: expected a list"):
        conn.fetchval("SELECT $1::int4[]", "123")
    with pytest.raises(fasterapi_pg.InterfaceError, match=r"\$1 as int4"):
        conn.fetchval("SELECT $1::int4[]", [1, "two"])
    # The connection is still usable.
    assert conn.fetchval("SELECT 1") == 1


def test_async_arrays(pg_dsn: str, run: Any) -> None:
    async def main() -> None:
        connection = await fasterapi_pg.connect_async(pg_dsn)
        try:
            assert await connection.fetchval("SELECT $1::text[]", ["a", None]) == ["a", None]
        finally:
            await connection.close()

    run(main())
