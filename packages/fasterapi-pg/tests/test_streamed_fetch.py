# SPDX-License-Identifier: MIT
"""Large fetches that stream: test_large_fetch.py again, in a process whose libpq is 17 or
newer (the one psycopg's binary wheel bundles, loaded ahead of the system's), where each
fetch that matters there is decoded while its rows arrive."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fasterapi_testing import libpq_that_streams

HERE = Path(__file__).parent


@pytest.mark.pg
def test_large_fetches_stream_with_libpq_17(pg_dsn: str) -> None:
    libpq = libpq_that_streams()
    if libpq is None:
        pytest.skip("no libpq 17 or newer here (psycopg[binary] bundles one)")
    env = dict(
        os.environ,
        # Under ci/asan_python.sh the child needs the sanitizer's runtime first.
        LD_PRELOAD=f"{os.environ.get('FASTERAPI_ASAN_PRELOAD', '')} {libpq}".strip(),
        FASTERAPI_TEST_DSN=pg_dsn,
        FASTERAPI_PG_EXPECT_STREAMING="1",
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(HERE / "test_large_fetch.py"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert " passed" in run.stdout, run.stdout
    assert "skipped" not in run.stdout, run.stdout
