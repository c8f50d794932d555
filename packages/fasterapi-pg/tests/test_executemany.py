# SPDX-License-Identifier: MIT
"""executemany: pipelined batches, atomic as a whole, errors named."""

from __future__ import annotations

import pytest

import fasterapi_pg
from fasterapi_pg import Connection


@pytest.fixture
def table(conn: Connection) -> Connection:
    conn.execute("CREATE TEMP TABLE e (id int PRIMARY KEY, name text)")
    return conn


@pytest.mark.pg
def test_inserts_every_row_across_batches(table: Connection) -> None:
    table.executemany("INSERT INTO e VALUES ($1, $2)", ((i, f"n{i}") for i in range(2500)))
    assert table.fetchval("SELECT count(*) FROM e") == 2500
    assert table.fetchval("SELECT name FROM e WHERE id = $1", 2499) == "n2499"
    assert table.transaction_status == "idle"


@pytest.mark.pg
def test_empty_input_does_nothing(table: Connection) -> None:
    table.executemany("INSERT INTO e VALUES ($1, $2)", [])
    assert table.fetchval("SELECT count(*) FROM e") == 0


@pytest.mark.pg
@pytest.mark.parametrize("count", [4, 1500])  # one batch (implicit transaction); two (BEGIN)
def test_a_failing_row_rolls_back_the_whole_call(table: Connection, count: int) -> None:
    table.execute("INSERT INTO e VALUES ($1, $2)", 1, "existing")
    rows = [(i, "x") for i in range(2, count)] + [(1, "duplicate")] + [(5000, "after")]
    with pytest.raises(fasterapi_pg.UniqueViolationError):
        table.executemany("INSERT INTO e VALUES ($1, $2)", rows)
    assert table.fetchval("SELECT count(*) FROM e") == 1
    assert table.transaction_status == "idle"


@pytest.mark.pg
def test_a_bad_value_in_a_later_batch_keeps_nothing(table: Connection) -> None:
    # The first batch has run by then, inside the call's own transaction: rolled back.
    rows: list[tuple[object, str]] = [(i, "x") for i in range(1500)]
    rows[1200] = ("not a number", "x")
    with pytest.raises(fasterapi_pg.InterfaceError, match=r"parameter \$1 as int4"):
        table.executemany("INSERT INTO e VALUES ($1, $2)", rows)
    assert table.fetchval("SELECT count(*) FROM e") == 0
    assert table.transaction_status == "idle"


@pytest.mark.pg
def test_a_bad_value_is_named_and_nothing_is_kept(table: Connection) -> None:
    expected = r"parameter \$1 as int4: expected an int"
    with pytest.raises(fasterapi_pg.InterfaceError, match=expected):
        table.executemany("INSERT INTO e VALUES ($1, $2)", [(1, "a"), ("two", "b")])
    assert table.fetchval("SELECT count(*) FROM e") == 0


@pytest.mark.pg
def test_inside_a_callers_transaction(table: Connection) -> None:
    with table.transaction():
        table.executemany("INSERT INTO e VALUES ($1, $2)", [(1, "a"), (2, "b")])
        assert table.transaction_status == "intrans"
    assert table.fetchval("SELECT count(*) FROM e") == 2


@pytest.mark.pg
def test_rows_must_be_sequences(table: Connection) -> None:
    with pytest.raises(TypeError):
        table.executemany("INSERT INTO e VALUES ($1, $2)", [5])  # type: ignore[list-item]


@pytest.mark.pg
def test_timeout_cancels_the_batch_and_keeps_nothing(table: Connection) -> None:
    query = "INSERT INTO e SELECT $1, pg_sleep($2)::text"
    with pytest.raises(fasterapi_pg.QueryTimeoutError, match="pipelined"):
        table.executemany(query, [(1, 0.0), (2, 5.0)], timeout=0.2)
    assert table.fetchval("SELECT count(*) FROM e") == 0
    assert table.transaction_status == "idle"
