# SPDX-License-Identifier: MIT
# fasterapi-router/benchmarks/bench_router.py: the peer comparison as pytest-benchmark cases
"""pytest-benchmark view of the same workloads as compare.py (one case per peer and table).

    PYTHONPATH=build/bench/packages/fasterapi-router \\
        python -m pytest packages/fasterapi-router/benchmarks/bench_router.py \\
        --benchmark-group-by=param:table --benchmark-columns=median,iqr

Each case times one pass over all unique lookups of the table; divide by the lookup count
(printed in the case's extra_info) for ns per lookup. Starlette is left to compare.py: one
pass over its scan takes seconds.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from workloads import PEERS, load_routes, requests_for, unique_lookups, verify

TABLES = ["github", "synthetic_100", "synthetic_1000"]
FAST_PEERS = [name for name in PEERS if name != "starlette"]


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("peer", FAST_PEERS)
def test_lookup(benchmark: Any, peer: str, table: str) -> None:
    routes = load_routes(table)
    lookups = unique_lookups(routes)
    try:
        match = PEERS[peer](routes)
        verify(peer, match, lookups)
    except (AssertionError, ValueError, ImportError) as error:
        pytest.skip(f"{peer} cannot run {table}: {error}")
    benchmark.extra_info["lookups"] = len(lookups)
    requests = requests_for(peer, lookups)

    def one_pass() -> None:
        for request in requests:
            match(*request)

    benchmark(one_pass)
