# SPDX-License-Identifier: MIT
"""COPY in and out on the sync connection: text, CSV and binary, files, paths, streams."""

from __future__ import annotations

import datetime
import decimal
import io
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest

import fasterapi_pg


@pytest.fixture
def people(conn: fasterapi_pg.Connection) -> fasterapi_pg.Connection:
    conn.execute(
        "CREATE TEMP TABLE people (id int PRIMARY KEY, name text, born date, score numeric,"
        " tag uuid, tags text[])"
    )
    return conn


@pytest.mark.pg
def test_copy_records_to_table_in_binary(people: fasterapi_pg.Connection) -> None:
    tag = uuid.uuid4()
    records = [
        (1, "ada", datetime.date(1815, 12, 10), decimal.Decimal("99.5"), tag, ["math", "x"]),
        (2, None, None, None, None, None),
        *((n, f"n{n}", None, decimal.Decimal(n), None, []) for n in range(3, 5003)),
    ]
    assert people.copy_records_to_table("people", records=records) == "COPY 5002"
    first = people.fetchrow("SELECT * FROM people WHERE id = 1")
    assert tuple(first) == records[0]
    assert tuple(people.fetchrow("SELECT * FROM people WHERE id = 2")) == records[1]
    assert people.fetchval("SELECT sum(score) FROM people WHERE id > 2") == sum(
        decimal.Decimal(n) for n in range(3, 5003)
    )
    status = people.copy_records_to_table(
        "people", records=iter([(9001, "by columns")]), columns=["id", "name"]
    )
    assert status == "COPY 1"
    assert people.fetchval("SELECT name FROM people WHERE id = 9001") == "by columns"


@pytest.mark.pg
def test_a_bad_record_is_named_and_nothing_is_copied(people: fasterapi_pg.Connection) -> None:
    with pytest.raises(fasterapi_pg.InterfaceError):
        people.copy_records_to_table("people", records=[(1, "ok"), ("not an int", "x")])
    assert people.fetchval("SELECT count(*) FROM people") == 0
    assert people.fetchval("SELECT 1") == 1  # the connection is usable after the abort


@pytest.mark.pg
def test_copy_to_table_from_bytes_files_paths_and_iterables(
    people: fasterapi_pg.Connection, tmp_path: Path
) -> None:
    assert people.copy_to_table("people", source=b"1\tada\n", columns=["id", "name"]) == "COPY 1"
    csv = tmp_path / "people.csv"
    csv.write_bytes(b'id,name\n2,bob\n3,"c, d"\n')
    status = people.copy_to_table(
        "people", source=csv, columns=["id", "name"], format="csv", header=True
    )
    assert status == "COPY 2"
    stream = io.BytesIO(b"4|eve\n5|NONE\n")
    people.copy_to_table(
        "people", source=stream, columns=["id", "name"], delimiter="|", null="NONE"
    )
    chunks = (f"{n}\tn{n}\n".encode() for n in range(6, 106))
    assert people.copy_to_table("people", source=chunks, columns=["id", "name"]) == "COPY 100"
    assert people.fetchval("SELECT name FROM people WHERE id = 3") == "c, d"
    assert people.fetchval("SELECT name FROM people WHERE id = 5") is None
    assert people.fetchval("SELECT count(*) FROM people") == 105


@pytest.mark.pg
def test_a_failing_source_aborts_the_copy(people: fasterapi_pg.Connection) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        yield b"1\tada\n"
        raise RuntimeError("the source broke")

    with pytest.raises(RuntimeError, match="the source broke"):
        people.copy_to_table("people", source=chunks(), columns=["id", "name"])
    assert people.fetchval("SELECT count(*) FROM people") == 0
    with pytest.raises(fasterapi_pg.errors.UndefinedTableError):
        people.copy_to_table("nowhere", source=b"")
    with pytest.raises(fasterapi_pg.InterfaceError, match="format must be one of"):
        people.copy_to_table("people", source=b"", format="xml")


@pytest.mark.pg
def test_copy_out_to_callables_files_and_paths(
    people: fasterapi_pg.Connection, tmp_path: Path
) -> None:
    people.copy_records_to_table(
        "people", records=[(n, f"n{n}") for n in range(1, 4)], columns=["id", "name"]
    )
    received: list[bytes] = []
    status = people.copy_from_table("people", output=received.append, columns=["id", "name"])
    assert status == "COPY 3"
    assert b"".join(received) == b"1\tn1\n2\tn2\n3\tn3\n"
    target = tmp_path / "out.csv"
    people.copy_from_query(
        "SELECT id, name FROM people WHERE id > 1 ORDER BY id;",
        output=target,
        format="csv",
        header=True,
    )
    assert target.read_bytes() == b"id,name\n2,n2\n3,n3\n"
    buffer = io.BytesIO()
    people.copy_from_query("SELECT 'x''y'", output=buffer)
    assert buffer.getvalue() == b"x'y\n"
    buffer = io.BytesIO()
    people.copy_from_query(
        "SELECT id, name, $2::text AS tag FROM people WHERE id >= $1 ORDER BY id",
        2,
        "it's",
        output=buffer,
    )
    assert buffer.getvalue() == b"2\tn2\tit's\n3\tn3\tit's\n"  # arguments as literals
    with pytest.raises(fasterapi_pg.InterfaceError, match="takes 1 argument"):
        people.copy_from_query("SELECT $1::int", 1, 2, output=buffer)


@pytest.mark.pg
def test_a_failing_sink_drains_the_copy(people: fasterapi_pg.Connection) -> None:
    people.copy_records_to_table(
        "people", records=[(n, "x") for n in range(1, 100)], columns=["id", "name"]
    )

    def broken(chunk: bytes) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        people.copy_from_table("people", output=broken)
    assert people.fetchval("SELECT count(*) FROM people") == 99  # usable afterwards


Run = Callable[[Coroutine[Any, Any, Any]], Any]


@pytest.mark.pg
def test_async_copy_in_and_out(run: Run, pg_dsn: str, tmp_path: Path) -> None:
    async def main() -> None:
        async with await fasterapi_pg.connect_async(pg_dsn) as conn:
            await conn.execute("CREATE TEMP TABLE t (id int, name text, score numeric)")
            records = [(n, f"n{n}", decimal.Decimal(n) / 4) for n in range(1, 5001)]
            assert await conn.copy_records_to_table("t", records=records) == "COPY 5000"

            async def more() -> AsyncIterator[tuple[int, str, None]]:
                for n in range(2000, 2003):
                    yield (n, "async", None)

            assert await conn.copy_records_to_table("t", records=more()) == "COPY 3"
            assert await conn.copy_to_table("t", source=b"3000\tcsv\t1.5\n") == "COPY 1"

            async def chunks() -> AsyncIterator[bytes]:
                for n in range(3001, 3011):
                    yield f"{n}\tx\t0\n".encode()

            status = await conn.copy_to_table("t", source=chunks())
            assert status == "COPY 10"
            assert await conn.fetchval("SELECT count(*) FROM t") == 5014
            assert await conn.fetchval("SELECT score FROM t WHERE id = 3") == decimal.Decimal(
                "0.75"
            )

            received: list[bytes] = []

            async def sink(chunk: bytes) -> None:
                received.append(chunk)

            status = await conn.copy_from_query(
                "SELECT id, name FROM t WHERE id <= 3 ORDER BY id", output=sink, format="csv"
            )
            assert status == "COPY 3"
            assert b"".join(received) == b"1,n1\n2,n2\n3,n3\n"
            received.clear()
            await conn.copy_from_query(
                "SELECT id FROM t WHERE id <= $1 AND name <> $2 ORDER BY id", 2, "x", output=sink
            )
            assert b"".join(received) == b"1\n2\n"
            target = tmp_path / "t.tsv"
            assert await conn.copy_from_table("t", output=target, columns=["id"]) == "COPY 5014"
            assert target.read_bytes().count(b"\n") == 5014

            def broken() -> Iterator[bytes]:
                yield b"1\tx\t1\n"
                raise RuntimeError("the source broke")

            with pytest.raises(RuntimeError, match="the source broke"):
                await conn.copy_to_table("t", source=broken())
            with pytest.raises(fasterapi_pg.errors.UndefinedTableError):
                await conn.copy_to_table("missing", source=b"")
            assert await conn.fetchval("SELECT count(*) FROM t") == 5014  # still usable

    run(main())
