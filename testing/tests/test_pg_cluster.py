# SPDX-License-Identifier: MIT
"""The throw-away cluster starts, answers a real query, and goes away."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from fasterapi_testing import TempCluster, find_server_binaries


@pytest.mark.pg
def test_fixture_answers_a_real_query(pg_dsn: str) -> None:
    with psycopg.connect(pg_dsn) as connection:
        row = connection.execute("SELECT 40 + %s::int", (2,)).fetchone()
    assert row == (42,)


@pytest.mark.pg
def test_cluster_is_removed_on_stop() -> None:
    if find_server_binaries() is None:
        pytest.skip("no PostgreSQL server binaries on this machine")
    with TempCluster() as cluster:
        root = cluster.socket_dir.parent
        with psycopg.connect(cluster.dsn) as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)
    assert not Path(root).exists()
