# SPDX-License-Identifier: MIT
"""A fresh connection per test, on the session's throw-away cluster (fasterapi_testing)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import fasterapi_pg


@pytest.fixture
def conn(pg_dsn: str) -> Iterator[fasterapi_pg.Connection]:
    with fasterapi_pg.connect(pg_dsn) as connection:
        yield connection
