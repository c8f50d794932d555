# SPDX-License-Identifier: MIT
# fasterapi-router/benchmarks/compare.py: every peer, one run, ns per lookup and ratios
"""Time each peer router on the shared route tables and print a reST table.

Run with ``bash ci/bench.sh`` (which builds the nanobind floor module), or directly::

    PYTHONPATH=build/bench/packages/fasterapi-router \
        python packages/fasterapi-router/benchmarks/compare.py

Peers are timed in alternating passes over the same unique lookups (so a slow spell of the
machine hits all of them), and each figure is the median over the passes.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from workloads import PEERS, load_routes, requests_for, unique_lookups, verify

PASSES = 15
SLOW_PEERS = {"starlette"}  # tens of microseconds per lookup: timed on fewer lookups


def time_pass(match: Any, requests: list[tuple[Any, ...]]) -> float:
    start = time.perf_counter_ns()
    for request in requests:
        match(*request)
    return (time.perf_counter_ns() - start) / len(requests)


def run(table: str) -> dict[str, float]:
    routes = load_routes(table)
    lookups = unique_lookups(routes)
    matchers = {}
    requests = {}
    for name, build in PEERS.items():
        try:
            matcher = build(routes)
            verify(name, matcher, lookups)
        except Exception as error:  # a peer that cannot take this table is reported, not fatal
            print(f"  {name}: skipped on {table}: {error}", file=sys.stderr)
            continue
        matchers[name] = matcher
        requests[name] = requests_for(name, lookups)
    samples: dict[str, list[float]] = {name: [] for name in matchers}
    for _ in range(PASSES):
        for name, matcher in matchers.items():
            subset = requests[name][: len(routes)] if name in SLOW_PEERS else requests[name]
            samples[name].append(time_pass(matcher, subset))
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    tables = sys.argv[1:] or ["github", "synthetic_100", "synthetic_1000"]
    results = {table: run(table) for table in tables}
    peers = [name for name in PEERS if any(name in r for r in results.values())]
    header = ["router"] + [f"{t} ns" for t in tables] + [f"{t} vs fasterapi_router" for t in tables]
    rows = []
    for name in peers:
        cells = [name]
        cells += [f"{results[t][name]:,.0f}" if name in results[t] else "n/a" for t in tables]
        for t in tables:
            ours = results[t]["fasterapi_router"]
            cells.append(f"{results[t][name] / ours:.2f}x" if name in results[t] else "n/a")
        rows.append(cells)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    rule = "  ".join("=" * w for w in widths)
    print(rule)
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print(rule)
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    print(rule)


if __name__ == "__main__":
    main()
