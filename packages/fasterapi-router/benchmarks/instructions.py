# SPDX-License-Identifier: MIT
# fasterapi-router/benchmarks/instructions.py: instructions per lookup from Python, per peer
"""CPU instructions per lookup under callgrind, for the peers whose timings compare.py shows
moving most between runs on a busy machine (the same workloads, the same calls).

    PYTHONPATH=build/bench/packages/fasterapi-router \\
        python packages/fasterapi-router/benchmarks/instructions.py [TABLE ...]

Each peer runs in a child interpreter under ``valgrind --tool=callgrind`` twice, with one and
with three passes over the table's unique lookups; the difference divided by two passes is
the cost of one pass, start-up, imports and building the router cancelled out. Instruction
counts do not care how busy the machine is, but they leave out cache misses and branch
mispredictions, so they complement the timings rather than replace them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fasterapi_testing.callgrind import instructions_per_unit, require_valgrind

sys.path.insert(0, str(Path(__file__).parent))

from workloads import PEERS, load_routes, requests_for, unique_lookups

# Starlette and http-router take tens of microseconds per lookup: hours under callgrind.
MEASURED = (
    "fasterapi_router",
    "nanobind floor",
    "pymatchit",
    "falcon CompiledRouter",
    "fasterapi adapter (Starlette semantics)",
)


def child(table: str, peer: str, passes: int) -> None:
    routes = load_routes(table)
    lookups = unique_lookups(routes)
    match = PEERS[peer](routes)
    requests = requests_for(peer, lookups)
    for _ in range(passes):
        for request in requests:
            match(*request)


def main() -> None:
    require_valgrind()
    tables = sys.argv[1:] or ["github"]
    print(f"{'router':<42} {'table':<16} {'instructions':>12} {'vs ours':>8}")
    for table in tables:
        lookups = len(unique_lookups(load_routes(table)))
        per_lookup = {
            peer: instructions_per_unit(
                [__file__, "--child", table, peer], steps=1, units_per_step=lookups
            )
            for peer in MEASURED
        }
        for peer, count in per_lookup.items():
            ratio = count / per_lookup["fasterapi_router"]
            print(f"{peer:<42} {table:<16} {count:12.0f} {ratio:7.2f}x")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
