# SPDX-License-Identifier: MIT
"""What the server says outside results goes to logging (not to stderr), and a DSN's
application_name is the one the server sees."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

import fasterapi_pg

Run = Callable[[Coroutine[Any, Any, Any]], Any]


def with_query(dsn: str, query: str) -> str:
    parts = urlsplit(dsn)
    if parts.scheme not in ("postgresql", "postgres"):
        pytest.skip("these tests need a URL DSN")
    joined = f"{parts.query}&{query}" if parts.query else query
    return urlunsplit(parts._replace(query=joined))


@pytest.mark.pg
def test_notices_and_warnings_are_logged(pg_dsn: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="fasterapi_pg.server")
    with fasterapi_pg.connect(pg_dsn) as conn:
        conn.execute("DO $$ BEGIN RAISE NOTICE 'hello %', 42; RAISE WARNING 'careful'; END $$")
    records = [
        (r.levelno, r.getMessage()) for r in caplog.records if r.name == "fasterapi_pg.server"
    ]
    assert (logging.INFO, "NOTICE:  hello 42") in records
    assert (logging.WARNING, "WARNING:  careful") in records


@pytest.mark.pg
def test_an_idle_connection_ended_by_the_server_is_logged(
    run: Run,
    pg_dsn: str,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    # An async connection reads while idle: the server's parting FATAL arrives as a notice.
    caplog.set_level(logging.DEBUG, logger="fasterapi_pg.server")

    async def main() -> None:
        victim = await fasterapi_pg.connect_async(pg_dsn)
        with fasterapi_pg.connect(pg_dsn) as admin:
            admin.execute("SELECT pg_terminate_backend($1)", victim.backend_pid)
        for _ in range(100):
            if victim.is_closed():
                break
            await asyncio.sleep(0.01)
        assert victim.is_closed()
        await victim.close()

    run(main())
    assert any(
        r.levelno == logging.ERROR and r.getMessage().startswith("FATAL:  terminating")
        for r in caplog.records
    )
    assert "FATAL" not in capfd.readouterr().err  # nothing printed by the library


@pytest.mark.pg
def test_the_dsn_application_name_is_kept(pg_dsn: str) -> None:
    named = with_query(pg_dsn, "application_name=inventory-service")
    with fasterapi_pg.connect(named) as conn:
        assert conn.fetchval("SELECT current_setting('application_name')") == "inventory-service"
    with fasterapi_pg.connect(pg_dsn) as conn:
        assert conn.fetchval("SELECT current_setting('application_name')") == "fasterapi-pg"
