# SPDX-License-Identifier: MIT
"""Queries, Records, the statement cache, transactions, errors and lost connections."""

from __future__ import annotations

import contextlib

import pytest

import fasterapi_pg
from fasterapi_pg import Connection


@pytest.mark.pg
def test_fetch_fetchrow_fetchval_execute(conn: Connection) -> None:
    assert conn.execute("CREATE TEMP TABLE items (id int PRIMARY KEY, name text)") == "CREATE TABLE"
    assert (
        conn.execute("INSERT INTO items VALUES ($1, $2), ($3, $4)", 1, "a", 2, "b") == "INSERT 0 2"
    )
    rows = conn.fetch("SELECT id, name FROM items ORDER BY id")
    assert [tuple(r) for r in rows] == [(1, "a"), (2, "b")]
    assert conn.fetchrow("SELECT * FROM items WHERE id = $1", 3) is None
    assert conn.fetchval("SELECT name FROM items WHERE id = $1", 2) == "b"
    assert conn.fetchval("SELECT id, name FROM items WHERE id = $1", 2, column=1) == "b"
    assert conn.fetchval("SELECT 1 WHERE false") is None
    assert conn.execute("SELECT 1; SELECT 2") == "SELECT 1"  # a script without parameters
    assert conn.execute(";") == ""  # an empty query is no error
    assert not conn.is_closed()


@pytest.mark.pg
def test_record_is_a_tuple_and_a_mapping(conn: Connection) -> None:
    record = conn.fetchrow("SELECT 1 AS a, 'x' AS b, NULL AS c")
    assert record is not None
    assert (record[0], record["b"], record[-1], record[0:2]) == (1, "x", None, (1, "x"))
    assert len(record) == 3
    assert list(record) == [1, "x", None]
    assert record.keys() == ["a", "b", "c"]
    assert record.values() == [1, "x", None]
    assert record.items() == [("a", 1), ("b", "x"), ("c", None)]
    assert dict(record) == {"a": 1, "b": "x", "c": None}
    assert "a" in record
    assert "z" not in record
    assert record.get("z", 5) == 5
    assert record.get("a") == 1
    assert record == (1, "x", None)
    assert hash(record) == hash((1, "x", None))
    assert repr(record) == "<Record a=1 b='x' c=None>"
    with pytest.raises(KeyError, match="record has no column 'z'"):
        record["z"]
    with pytest.raises(IndexError):
        record[3]


@pytest.mark.pg
def test_server_errors_carry_their_fields(conn: Connection) -> None:
    conn.execute("CREATE TEMP TABLE u (id int PRIMARY KEY)")
    conn.execute("INSERT INTO u VALUES ($1)", 1)
    with pytest.raises(fasterapi_pg.UniqueViolationError) as caught:
        conn.execute("INSERT INTO u VALUES ($1)", 1)
    error = caught.value
    assert isinstance(error, fasterapi_pg.IntegrityError)
    assert isinstance(error, fasterapi_pg.PostgresError)
    assert isinstance(error, fasterapi_pg.Error)
    assert error.sqlstate == "23505"
    assert (error.table_name, error.constraint_name) == ("u", "u_pkey")
    assert error.detail == "Key (id)=(1) already exists."
    with pytest.raises(fasterapi_pg.UndefinedTableError) as missing:
        conn.fetch("SELECT * FROM no_such_table")
    assert missing.value.position == "15"
    with pytest.raises(fasterapi_pg.PostgresSyntaxError):
        conn.execute("SELEC 1")
    assert conn.fetchval("SELECT 1") == 1  # still usable


@pytest.mark.pg
@pytest.mark.parametrize(
    ("query", "args", "message"),
    [
        ("SELECT $1::int", ("x",), "cannot encode parameter $1 as int4: expected an int (got str)"),
        ("SELECT $1::int2", (70000,), "parameter $1 as int2: value out of range"),
        ("SELECT $1::int, $2::text", (1,), "it takes 2 parameter(s) ($1..$2), got 1"),
        ("SELECT $1::bool", (1,), "parameter $1 as bool: expected a bool (got int)"),
        ("SELECT $1::bytea", ("x",), "expected bytes, bytearray or memoryview (got str)"),
        ("SELECT $1::date", (1,), "parameter $1 as date: expected a date"),
        ("SELECT $1::inet", (object(),), "no codec for this type; pass a str"),
    ],
)
def test_bad_parameters_fail_before_sending(
    conn: Connection, query: str, args: tuple[object, ...], message: str
) -> None:
    with pytest.raises(fasterapi_pg.InterfaceError) as caught:
        conn.fetch(query, *args)
    assert message in str(caught.value)
    assert conn.transaction_status == "idle"


def insert_then_fail(conn: Connection, value: int, error: Exception) -> None:
    with conn.transaction():
        conn.execute("INSERT INTO t VALUES ($1)", value)
        raise error


@pytest.mark.pg
def test_transactions_commit_roll_back_and_nest(conn: Connection) -> None:
    conn.execute("CREATE TEMP TABLE t (n int)")
    with conn.transaction():
        conn.execute("INSERT INTO t VALUES ($1)", 1)
        with pytest.raises(RuntimeError, match="inner"):
            insert_then_fail(conn, 2, RuntimeError("inner"))  # rolls back to a savepoint
        assert conn.transaction_status == "intrans"
    with pytest.raises(ValueError, match="outer"):
        insert_then_fail(conn, 3, ValueError("outer"))
    assert conn.fetchval("SELECT array_agg(n)::text FROM t") == "{1}"
    with conn.transaction(isolation="serializable", readonly=True):
        assert conn.fetchval("SHOW transaction_isolation") == "serializable"
        assert conn.fetchval("SHOW transaction_read_only") == "on"
    assert conn.transaction_status == "idle"


@pytest.mark.pg
def test_schema_change_under_a_cached_statement(conn: Connection) -> None:
    conn.execute("CREATE TEMP TABLE s (a int)")
    conn.execute("INSERT INTO s VALUES (1)")
    assert conn.fetch("SELECT * FROM s") == [(1,)]
    conn.execute("ALTER TABLE s ADD COLUMN b text DEFAULT 'x'")
    assert [dict(r) for r in conn.fetch("SELECT * FROM s")] == [{"a": 1, "b": "x"}]


@pytest.mark.pg
def test_statement_that_vanished_is_prepared_again(conn: Connection) -> None:
    assert conn.fetchval("SELECT $1::int + 1", 1) == 2
    conn.execute("DEALLOCATE ALL")
    assert conn.fetchval("SELECT $1::int + 1", 2) == 3


@pytest.mark.pg
def test_cache_size_zero_and_eviction(pg_dsn: str) -> None:
    with fasterapi_pg.connect(pg_dsn, statement_cache_size=0) as uncached:
        assert uncached.fetchval("SELECT $1::int", 5) == 5
        assert uncached.fetchval("SELECT count(*) FROM pg_prepared_statements") == 0
    with fasterapi_pg.connect(pg_dsn, statement_cache_size=2) as small:
        for i in range(5):
            assert small.fetchval(f"SELECT {i} + $1::int", 1) == i + 1
        assert small.fetchval("SELECT count(*) FROM pg_prepared_statements") == 2


@pytest.mark.pg
def test_terminated_backend_is_reported_and_closes(conn: Connection, pg_dsn: str) -> None:
    with fasterapi_pg.connect(pg_dsn) as admin:
        admin.fetch("SELECT pg_terminate_backend($1)", conn.backend_pid)
    with pytest.raises(fasterapi_pg.ConnectionFailureError, match="connection lost while running"):
        conn.fetch("SELECT 1")
    assert conn.is_closed()
    with pytest.raises(fasterapi_pg.ConnectionFailureError, match="the connection is closed"):
        conn.fetch("SELECT 1")


@pytest.mark.pg
def test_connect_failure_says_why() -> None:
    with pytest.raises(fasterapi_pg.ConnectionFailureError, match="cannot connect to PostgreSQL"):
        fasterapi_pg.connect("postgresql://nobody@127.0.0.1:1/none", timeout=2)


@pytest.mark.pg
def test_blocking_calls_release_the_gil(conn: Connection) -> None:
    import threading
    import time

    ticks = 0
    done = threading.Event()

    def ticker() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    thread = threading.Thread(target=ticker)
    thread.start()
    conn.execute("SELECT pg_sleep(0.3)")
    done.set()
    thread.join()
    assert ticks > 50  # the other thread ran while the query waited


@pytest.mark.pg
def test_timeout_cancels_on_the_server_and_keeps_the_connection(conn: Connection) -> None:
    import time

    start = time.monotonic()
    with pytest.raises(fasterapi_pg.QueryTimeoutError, match=r"ran past its 0\.2 s timeout"):
        conn.fetch("SELECT pg_sleep(10)", timeout=0.2)
    assert time.monotonic() - start < 2
    assert conn.fetchval("SELECT 1") == 1  # the same connection answers right after
    assert conn.transaction_status == "idle"
    assert isinstance(fasterapi_pg.QueryTimeoutError("x"), TimeoutError)


@pytest.mark.pg
def test_a_cancel_sent_as_its_query_ends_never_stops_the_next_one(conn: Connection) -> None:
    # Timeouts about as long as the query: its cancel often goes out as the query finishes
    # by itself. It must reach the server before the next command is sent (else it stops
    # that one: QueryCanceledError, which only someone else's cancel can cause here).
    for i in range(40):
        with contextlib.suppress(fasterapi_pg.QueryTimeoutError):
            conn.fetchval("SELECT pg_sleep(0.01)", timeout=(0.008, 0.01, 0.012)[i % 3])
        assert conn.fetchval("SELECT $1::int", i) == i


@pytest.mark.pg
def test_timeout_inside_a_transaction_aborts_it(conn: Connection) -> None:
    conn.execute("BEGIN")
    with pytest.raises(fasterapi_pg.QueryTimeoutError):
        conn.execute("SELECT pg_sleep(10)", timeout=0.1)
    assert conn.transaction_status == "inerror"
    conn.execute("ROLLBACK")
    assert conn.fetchval("SELECT $1::int", 3, timeout=5) == 3


@pytest.mark.pg
def test_a_query_within_its_timeout_is_unaffected(conn: Connection) -> None:
    assert conn.fetchval("SELECT $1::text", "fine", timeout=5) == "fine"
    assert conn.execute("SELECT pg_sleep(0.01)", timeout=5) == "SELECT 1"
