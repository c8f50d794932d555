# SPDX-License-Identifier: MIT
# fasterapi_testing/pytest_plugin.py: the pg_dsn fixture every package's tests can use
"""pytest plugin (registered through the ``pytest11`` entry point).

``pg_dsn`` gives a libpq DSN: ``--pg-dsn`` or ``FASTERAPI_TEST_DSN`` when set, else a
throw-away cluster started once per test session. Without either, tests that use it skip
with a message saying how to enable them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from .pg_cluster import ClusterError, TempCluster


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--pg-dsn",
        default=os.environ.get("FASTERAPI_TEST_DSN"),
        help="DSN of a PostgreSQL server for the tests (default: a throw-away cluster)",
    )


@pytest.fixture(scope="session")
def pg_dsn(request: pytest.FixtureRequest) -> Iterator[str]:
    """A DSN of a PostgreSQL server the tests may freely create objects in."""
    configured: str | None = request.config.getoption("--pg-dsn")
    if configured:
        yield configured
        return
    try:
        cluster = TempCluster().start()
    except ClusterError as error:
        pytest.skip(f"no PostgreSQL for the tests: {error}")
    try:
        yield cluster.dsn
    finally:
        cluster.stop()
