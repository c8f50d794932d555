# SPDX-License-Identifier: MIT
"""Protocol anomalies from a scripted fake server (F21 of the PG fault plan): each yields a
typed error or is absorbed, never a crash, a hang or a partial result passed off as success;
a connection the protocol broke is closed, one that only saw a server error stays usable."""

from __future__ import annotations

import asyncio
import struct
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest

import fasterapi_pg
from fasterapi_testing import FakeBackend, Hangup
from fasterapi_testing.fake_backend import command_complete, error, message, notification, rows

Run = Callable[[Coroutine[Any, Any, Any]], Any]
Script = Callable[[str], bytes]


def first_time(anomaly: Callable[[], bytes]) -> Script:
    """A script that answers the first query with ANOMALY and every later one well."""
    calls = 0

    def script(query: str) -> bytes:
        nonlocal calls
        calls += 1
        if calls == 1:
            return anomaly()
        return rows(7) + command_complete("SELECT 1")

    return script


def fatal_after_complete() -> bytes:
    raise Hangup(
        rows(1)
        + command_complete("SELECT 1")
        + error("FATAL", "57P01", "terminating connection due to administrator command")
    )


def error_between_rows() -> bytes:
    return rows(1, 2) + error("ERROR", "XX000", "failed between rows") + rows(3)


def row_longer_than_its_message() -> bytes:
    # One field that claims 100 bytes in a message that carries 4.
    body = struct.pack("!h", 1) + struct.pack("!i", 100) + struct.pack("!i", 1)
    return message(b"D", body) + command_complete("SELECT 1")


def cut_mid_message() -> bytes:
    raise Hangup(rows(1)[:7])


# (anomaly, the error it must raise, whether the connection is closed afterwards)
ANOMALIES = {
    "fatal after CommandComplete": (
        fatal_after_complete,
        fasterapi_pg.ConnectionFailureError,
        True,
    ),
    "ErrorResponse between DataRows": (error_between_rows, fasterapi_pg.InternalError, False),
    "DataRow longer than its message": (
        row_longer_than_its_message,
        fasterapi_pg.ConnectionFailureError,
        True,
    ),
    "EOF mid-message": (cut_mid_message, fasterapi_pg.ConnectionFailureError, True),
}


@pytest.fixture(params=list(ANOMALIES))
def anomaly(request: pytest.FixtureRequest) -> Iterator[tuple[FakeBackend, type, bool]]:
    produce, expected, closes = ANOMALIES[request.param]
    with FakeBackend(first_time(produce)) as backend:
        yield backend, expected, closes


def test_sync_connection(anomaly: tuple[FakeBackend, type, bool]) -> None:
    backend, expected, closes = anomaly
    with fasterapi_pg.connect(backend.dsn, timeout=5) as conn:
        start = time.monotonic()
        with pytest.raises(expected):
            conn.fetch("SELECT n FROM t")
        assert time.monotonic() - start < 2  # an answer, not a hang
        assert conn.is_closed() == closes
        if not closes:
            assert conn.fetchval("SELECT n FROM t") == 7  # the next query is unaffected


def test_async_connection(run: Run, anomaly: tuple[FakeBackend, type, bool]) -> None:
    backend, expected, closes = anomaly

    async def main() -> None:
        conn = await fasterapi_pg.connect_async(backend.dsn, timeout=5)
        try:
            with pytest.raises(expected):
                await asyncio.wait_for(conn.fetch("SELECT n FROM t"), 2)
            assert conn.is_closed() == closes
            if not closes:
                assert await conn.fetchval("SELECT n FROM t") == 7
        finally:
            await conn.close()

    run(main())


def test_a_pool_replaces_a_connection_the_protocol_broke() -> None:
    with (
        FakeBackend(first_time(row_longer_than_its_message)) as backend,
        fasterapi_pg.Pool(backend.dsn, min_size=1, max_size=1) as pool,
    ):
        with pytest.raises(fasterapi_pg.ConnectionFailureError):
            pool.fetch("SELECT n FROM t")
        assert pool.fetchval("SELECT n FROM t") == 7
        assert pool.stats().connections_lost == 1


def test_an_error_in_a_pipeline_aborts_the_rest_and_the_connection_goes_on() -> None:
    # executemany pipelines its rows (in a transaction): after the second row's error the
    # server skips the rest up to the sync, and the error is reported once the pipeline is
    # drained.
    executed = 0

    def script(query: str) -> bytes:
        nonlocal executed
        if not query.startswith("INSERT"):  # executemany's BEGIN and ROLLBACK
            return command_complete(query.split()[0])
        executed += 1
        if executed == 2:
            return error("ERROR", "23505", "duplicate key value violates unique constraint")
        return command_complete("INSERT 0 1")

    with FakeBackend(script) as backend, fasterapi_pg.connect(backend.dsn, timeout=5) as conn:
        with pytest.raises(fasterapi_pg.UniqueViolationError):
            conn.executemany("INSERT INTO t VALUES ($1)", [(1,), (2,), (3,), (4,)])
        assert executed == 2  # the rows after the error were not run
        assert not conn.is_closed()
        assert conn.execute("INSERT INTO t VALUES ($1)", 5) == "INSERT 0 1"


def test_an_unsolicited_notification_is_absorbed_sync() -> None:
    with (
        FakeBackend(first_time(lambda: rows(7) + command_complete("SELECT 1"))) as backend,
        fasterapi_pg.connect(backend.dsn, timeout=5) as conn,
    ):
        assert backend.connected.wait(5)
        backend.push(notification("nobody_listens", "surprise"))
        time.sleep(0.05)
        assert conn.fetchval("SELECT n FROM t") == 7
        assert not conn.is_closed()


def test_an_unsolicited_notification_reaches_a_listener_async(run: Run) -> None:
    async def main() -> None:
        with FakeBackend(lambda query: command_complete("LISTEN")) as backend:
            conn = await fasterapi_pg.connect_async(backend.dsn, timeout=5)
            heard: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
            try:
                await conn.add_listener(
                    "news", lambda _c, _pid, ch, text: heard.put_nowait((ch, text))
                )
                backend.push(notification("news", "hello") + notification("other", "ignored"))
                assert await asyncio.wait_for(heard.get(), 2) == ("news", "hello")
                assert heard.empty()
                assert not conn.is_closed()
            finally:
                await conn.close()

    run(main())
