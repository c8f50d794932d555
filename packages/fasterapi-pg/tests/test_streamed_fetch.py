# SPDX-License-Identifier: MIT
"""Large fetches that stream: test_large_fetch.py again, in a process whose libpq is 17 or
newer (the one psycopg's binary wheel bundles, loaded ahead of the system's), where each
fetch that matters there is decoded while its rows arrive."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def libpq_that_streams() -> Path | None:
    """A libpq of version 17 or newer on this machine, or None."""
    spec = importlib.util.find_spec("psycopg_binary")  # found, not imported (it refuses)
    if spec is None or spec.origin is None:
        return None
    libs = Path(spec.origin).parent.parent / "psycopg_binary.libs"
    for candidate in sorted(libs.glob("libpq*.so.5.*")):
        version = re.search(r"\.so\.5\.(\d+)$", candidate.name)
        if version and int(version.group(1)) >= 17:
            return candidate
    return None


@pytest.mark.pg
def test_large_fetches_stream_with_libpq_17(pg_dsn: str) -> None:
    libpq = libpq_that_streams()
    if libpq is None:
        pytest.skip("no libpq 17 or newer here (psycopg[binary] bundles one)")
    env = dict(
        os.environ,
        LD_PRELOAD=str(libpq),
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
