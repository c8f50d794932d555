# SPDX-License-Identifier: MIT
"""Queries, prepared statements, cursors and COPY leak no Python objects (sync)."""

from __future__ import annotations

import contextlib
import io

import pytest

import fasterapi_pg
from fasterapi_testing import leaks


@pytest.mark.pg
def test_queries_cursors_and_copy_leak_nothing(conn: fasterapi_pg.Connection) -> None:
    conn.execute("CREATE TEMP TABLE t (id int, name text, score numeric)")
    statement = conn.prepare("SELECT $1::int + 1, $2::text, $3::numeric")

    def work() -> None:
        conn.fetch("SELECT n, n::text, n::numeric / 3 FROM generate_series(1, 5) AS n")
        statement.fetchrow(1, "x", 2)
        conn.copy_records_to_table("t", records=[(1, "a", 1), (2, None, None)])
        conn.copy_from_table("t", output=io.BytesIO())
        with conn.transaction(), conn.cursor("SELECT * FROM t", prefetch=1) as cursor:
            list(cursor)
        conn.execute("TRUNCATE t")
        with contextlib.suppress(fasterapi_pg.InterfaceError):
            conn.fetchval("SELECT $1::int", "not an int")

    # 1,000 rounds: the statement cache's churn moves the count by up to ~50 blocks between
    # measurements, whatever their length; a leak of one object per call grows with it.
    assert not leaks(work, 1000)
