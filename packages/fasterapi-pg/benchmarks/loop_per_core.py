# SPDX-License-Identifier: MIT
# fasterapi-pg/benchmarks/loop_per_core.py: pooled queries from one event loop per process
"""Pooled queries from several processes at once, each with its own event loop and AsyncPool:
the shape a server takes with one worker process per core, to set beside pgbench run with as
many client threads (``-j``).

The parent starts the processes once; each opens its pool, warms it, says ``ready`` and then
runs one round per ``go`` line it reads, answering with the round's seconds. A round's rate is
all processes' queries over the slowest one's time.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

import uvloop

import fasterapi_pg


class LoopsPerCore:
    """PROCESSES child processes, each running WORKERS tasks through a pool of WORKERS
    connections; ``round()`` runs QUERIES queries in all and returns queries per second."""

    def __init__(self, dsn: str, processes: int, workers: int, queries: int) -> None:
        per_process = queries // processes
        self._queries = per_process * processes
        self._children = [
            subprocess.Popen(
                [sys.executable, __file__, dsn, str(workers), str(per_process)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(processes)
        ]
        for child in self._children:
            self._expect(child, "ready")

    def round(self) -> float:
        for child in self._children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        slowest = max(float(self._expect(child, None)) for child in self._children)
        return self._queries / slowest

    def close(self) -> None:
        for child in self._children:
            assert child.stdin is not None
            child.stdin.close()
        for child in self._children:
            child.wait(timeout=30)

    @staticmethod
    def _expect(child: subprocess.Popen[str], word: str | None) -> str:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        if not line or (word is not None and line != word):
            raise RuntimeError(f"benchmark process said {line!r} instead of {word or 'a time'}")
        return line


async def _child(dsn: str, workers: int, queries: int) -> None:
    pool = await fasterapi_pg.AsyncPool(dsn, min_size=workers, max_size=workers).open()

    async def worker(n: int, count: int) -> None:
        for i in range(count):
            await pool.fetchval("SELECT $1::int", n + i)

    await asyncio.gather(*(worker(n, 50) for n in range(workers)))
    print("ready", flush=True)
    loop = asyncio.get_running_loop()
    while (await loop.run_in_executor(None, sys.stdin.readline)).strip() == "go":
        start = time.perf_counter()
        await asyncio.gather(*(worker(n, queries // workers) for n in range(workers)))
        print(time.perf_counter() - start, flush=True)
    await pool.close()


if __name__ == "__main__":
    uvloop.run(_child(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
