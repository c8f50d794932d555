# SPDX-License-Identifier: MIT
# fasterapi_testing/newer_libpq.py: a libpq that can stream rows, for tests and benchmarks
"""fasterapi_pg streams large fetches with libpq 17 or newer (its chunked-rows mode). Where
the system's libpq is older, the one psycopg's binary wheel bundles can be loaded ahead of
it (``LD_PRELOAD``) in a child process, so that the streamed path runs here too."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path


def libpq_that_streams() -> Path | None:
    """A libpq of version 17 or newer from psycopg's binary wheel, or None."""
    spec = importlib.util.find_spec("psycopg_binary")  # found, not imported (it refuses)
    if spec is None or spec.origin is None:
        return None
    libs = Path(spec.origin).parent.parent / "psycopg_binary.libs"
    for candidate in sorted(libs.glob("libpq*.so.5.*")):
        version = re.search(r"\.so\.5\.(\d+)$", candidate.name)
        if version and int(version.group(1)) >= 17:
            return candidate
    return None
