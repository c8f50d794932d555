# SPDX-License-Identifier: MIT
# fasterapi-pg/benchmarks/soak.py: the chaos soak of the PG fault plan (F22)
"""Requests at a steady rate through an HTTP server whose endpoint queries an AsyncPool,
while the database is disturbed on a schedule; then the pool's invariants are checked.

    python packages/fasterapi-pg/benchmarks/soak.py [--seconds 3600] [--rate 200]

The full plan (F22) is one hour at 200 requests/s: every 5 s a random backend of the pool is
terminated, every 60 s the network between pool and server goes dark for 3 s or every
connection is reset (alternately), every 10 min the server restarts (``pg_ctl restart -m
fast``). ``--seconds`` shortens the run and the schedule with it (the two longer intervals
scale down with the duration, never below 20 s and 60 s).

Everything is real: a throw-away cluster, the TCP fault proxy of the tests, uvicorn serving
a fasterapi application, httpx2 as the client. Reported, and checked at the end:

* errors only while a fault is active or just after (the requests in flight on a killed
  connection, and those that found no connection during a blackhole or a restart);
* the pool settles: idle + in use == size, min_size <= size <= max_size; the server has as
  many backends for the pool as the pool has connections (no leaked backends);
* the process's open files and memory are flat after warm-up;
* the server's event loop was never held more than 50 ms (a stall is reported with the CPU
  time the loop's thread had during it: time off the CPU is a blocking system call or the
  machine not running the process; ``strace -f -T -p <server pid>`` tells them apart — on
  the 2-core development machine the stalls seen during restarts and blackholes were the
  process descheduled, with no slow system call of ours);
* a request succeeds within 1 s once the faults stop.

Exits with status 1 when an invariant does not hold.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx2
import uvicorn

import fasterapi_pg
from fasterapi import FastAPI
from fasterapi.responses import JSONResponse
from fasterapi_testing import FaultProxy, TempCluster

APPLICATION = "fasterapi-soak"
MIN_SIZE, MAX_SIZE = 2, 4
# A fault's window: from its start to this many seconds after it ends, errors are expected.
SETTLE = 2.0


@dataclass
class Fault:
    kind: str
    start: float
    end: float


@dataclass
class Record:
    faults: list[Fault] = field(default_factory=list)
    # (sent at, status, seconds to the answer)
    outcomes: list[tuple[float, int, float]] = field(default_factory=list)
    max_stall: float = 0.0
    max_gc_pause: float = 0.0
    gc_pauses: list[tuple[float, float]] = field(default_factory=list)  # (start, s) > 20 ms
    # Stalls over 50 ms: (when, seconds late, seconds of the loop thread's CPU meanwhile).
    stalls: list[tuple[float, float, float]] = field(default_factory=list)

    def during_a_fault(self, sent: float, took: float) -> bool:
        """Was the request in flight while a fault was active (or just after)?"""
        return any(sent <= f.end + SETTLE and sent + took >= f.start for f in self.faults)

    def nearest_fault(self, moment: float) -> str:
        fault = min(self.faults, key=lambda f: abs(f.start - moment), default=None)
        return "none" if fault is None else f"{fault.kind} {moment - fault.start:+.1f} s"


def build_app(dsn: str, record: Record) -> FastAPI:
    state: dict[str, Any] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = fasterapi_pg.AsyncPool(
            dsn,
            min_size=MIN_SIZE,
            max_size=MAX_SIZE,
            acquire_timeout=1.0,
            connect_timeout=2.0,
            ping_timeout=0.5,
            reset_timeout=1.0,
        )
        async with pool:
            state["pool"], state["loop"] = pool, asyncio.get_running_loop()
            if os.environ.get("SOAK_DEBUG"):  # name the callbacks that hold the loop
                logging.basicConfig(level=logging.WARNING)
                state["loop"].set_debug(True)
                state["loop"].slow_callback_duration = 0.05
            watch = asyncio.ensure_future(watch_stalls(record))
            watch_collections(record)
            yield
            watch.cancel()

    app = FastAPI(lifespan=lifespan)

    @app.exception_handler(fasterapi_pg.Error)
    async def unavailable(request: Any, error: fasterapi_pg.Error) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=503, headers={"Retry-After": "1"})

    @app.get("/q/{n}")
    async def query(n: int) -> dict[str, int]:
        return {"n": await state["pool"].fetchval("SELECT $1::int + 1", n)}

    @app.get("/_soak")
    async def figures() -> dict[str, Any]:
        """The server process's own figures, for the invariants."""
        stats = state["pool"].stats()
        return {
            "pool": {"size": stats.size, "idle": stats.idle, "in_use": stats.in_use},
            "stats": repr(stats),
            "open_files": open_files(),
            "rss_kib": rss_kib(),
            "max_stall": record.max_stall,
            "max_gc_pause": record.max_gc_pause,
            "gc_pauses": record.gc_pauses,
            "stalls": record.stalls,
        }

    return app


def watch_collections(record: Record) -> None:
    """The longest pause of the garbage collector (a stall the loop spends on the CPU)."""
    started = [0.0]

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.monotonic()
        else:
            pause = time.monotonic() - started[0]
            record.max_gc_pause = max(record.max_gc_pause, pause)
            if pause > 0.02 and len(record.gc_pauses) < 1000:
                record.gc_pauses.append((started[0], pause))

    gc.callbacks.append(note)


async def watch_stalls(record: Record) -> None:
    """The longest the server's loop was late for a 10 ms timer."""
    while True:
        before, cpu_before = time.monotonic(), time.thread_time()
        await asyncio.sleep(0.01)
        late = time.monotonic() - before - 0.01
        record.max_stall = max(record.max_stall, late)
        if late > 0.05 and len(record.stalls) < 1000:
            record.stalls.append((before, late, time.thread_time() - cpu_before))


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def rss_kib() -> int:
    """The resident set now (not the peak)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() // 1024


async def load(port: int, rate: float, until: float, record: Record) -> None:
    """Requests at RATE per second until UNTIL, each on its own task."""
    limits = httpx2.Limits(max_connections=200, max_keepalive_connections=50)
    async with httpx2.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits) as client:
        pending: set[asyncio.Task[None]] = set()

        async def one(n: int) -> None:
            sent = time.monotonic()
            try:
                response = await client.get(f"/q/{n}", timeout=5.0)
                status = response.status_code
            except httpx2.HTTPError:
                status = 0
            record.outcomes.append((sent, status, time.monotonic() - sent))

        n, start = 0, time.monotonic()
        while time.monotonic() < until:
            task = asyncio.ensure_future(one(n))
            pending.add(task)
            task.add_done_callback(pending.discard)
            n += 1
            await asyncio.sleep(max(0.0, start + n / rate - time.monotonic()))
        await asyncio.gather(*pending)


async def chaos(
    admin_dsn: str,
    cluster: TempCluster,
    proxy: FaultProxy,
    until: float,
    intervals: tuple[float, float, float],
    record: Record,
) -> None:
    kill_every, network_every, restart_every = intervals
    start = time.monotonic()
    next_kill, next_network, next_restart = kill_every, network_every, restart_every
    blackhole_next = True
    while time.monotonic() < until:
        await asyncio.sleep(0.05)
        elapsed = time.monotonic() - start
        if elapsed >= next_restart:
            next_restart += restart_every
            began = time.monotonic()
            await asyncio.to_thread(cluster.restart, "fast")
            record.faults.append(Fault("restart", began, time.monotonic()))
        elif elapsed >= next_network:
            next_network += network_every
            began = time.monotonic()
            if blackhole_next:
                proxy.blackhole()
                await asyncio.sleep(3.0)
                proxy.restore()
                record.faults.append(Fault("blackhole 3 s", began, time.monotonic()))
            else:
                proxy.reset()
                record.faults.append(Fault("reset", began, time.monotonic()))
            blackhole_next = not blackhole_next
        elif elapsed >= next_kill:
            next_kill += kill_every
            began = time.monotonic()
            with contextlib.suppress(fasterapi_pg.Error):
                admin = await fasterapi_pg.connect_async(admin_dsn, timeout=2)
                try:
                    await admin.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        f"WHERE application_name = '{APPLICATION}' ORDER BY random() LIMIT 1"
                    )
                finally:
                    await admin.close()
            record.faults.append(Fault("kill backend", began, time.monotonic()))


async def backends(admin_dsn: str) -> int:
    admin = await fasterapi_pg.connect_async(admin_dsn, timeout=2)
    try:
        count = await admin.fetchval(
            f"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{APPLICATION}'"
        )
        return int(count)
    finally:
        await admin.close()


def serve(dsn: str, port: int) -> None:
    """The server process: uvicorn on PORT serving the application (its own interpreter, so
    the load generator does not share its GIL)."""
    app = build_app(dsn, Record())
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", lifespan="on")


def start_server(dsn: str) -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port), dsn])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx2.HTTPError):
            if httpx2.get(f"http://127.0.0.1:{port}/_soak", timeout=1).status_code == 200:
                return server, port
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("the soak's server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3600.0)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument(
        "--no-faults", action="store_true", help="the same load without the chaos (a baseline)"
    )
    parser.add_argument("--serve", nargs=2, metavar=("PORT", "DSN"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve:
        serve(options.serve[1], int(options.serve[0]))
        return 0
    scale = min(1.0, options.seconds / 3600.0)
    intervals = (5.0, max(20.0, 60.0 * scale), max(60.0, 600.0 * scale))
    record = Record()
    with TempCluster() as cluster:
        parts = urlsplit(cluster.dsn)
        with FaultProxy(("127.0.0.1", cluster.port)) as proxy:
            netloc = parts.netloc.rsplit(":", 1)[0] + f":{proxy.port}"
            dsn = urlunsplit(parts._replace(netloc=netloc, query=f"application_name={APPLICATION}"))
            server, port = start_server(dsn)
            try:
                failures = asyncio.run(run(options, cluster, proxy, port, intervals, record))
            finally:
                server.terminate()
                server.wait(10)
    return 1 if failures else 0


async def run(
    options: argparse.Namespace,
    cluster: TempCluster,
    proxy: FaultProxy,
    port: int,
    intervals: tuple[float, float, float],
    record: Record,
) -> list[str]:
    admin_dsn = cluster.dsn
    async with httpx2.AsyncClient(base_url=f"http://127.0.0.1:{port}") as control:
        warm_up = min(10.0, options.seconds / 6)
        began = time.monotonic()
        await load(port, options.rate, began + warm_up, record)
        baseline = (await control.get("/_soak")).json()
        until = time.monotonic() + options.seconds
        disturb = (
            []
            if options.no_faults
            else [chaos(admin_dsn, cluster, proxy, until, intervals, record)]
        )
        await asyncio.gather(load(port, options.rate, until, record), *disturb)
        await asyncio.sleep(SETTLE)
        # (e) a request succeeds within 1 s once the faults stop.
        started = time.monotonic()
        final = await control.get("/q/41", timeout=5.0)
        recovery = time.monotonic() - started
        await asyncio.sleep(SETTLE)  # the load's client connections close on the server too
        end = (await control.get("/_soak")).json()
    server_backends = await backends(admin_dsn)

    failures: list[str] = []
    errors = [outcome for outcome in record.outcomes if outcome[1] != 200]
    unexplained = [e for e in errors if not record.during_a_fault(e[0], e[2])]
    by_kind: dict[str, int] = {}
    for fault in record.faults:
        by_kind[fault.kind] = by_kind.get(fault.kind, 0) + 1
    pool = end["pool"]

    print(
        f"soak: {options.seconds:.0f} s at {options.rate:.0f} requests/s "
        f"(after {warm_up:.0f} s of warm-up)"
    )
    print(f"  faults: {by_kind}")
    print(
        f"  requests: {len(record.outcomes)}, errors {len(errors)} "
        f"({100 * len(errors) / max(1, len(record.outcomes)):.2f} %), "
        f"outside a fault window {len(unexplained)}"
    )
    if record.outcomes:
        ordered = sorted(outcome[2] for outcome in record.outcomes)
        print(
            f"  latency: median {statistics.median(ordered) * 1000:.1f} ms, "
            f"p99 {ordered[int(len(ordered) * 0.99)] * 1000:.1f} ms"
        )
    print(f"  pool at the end: {end['stats']}; server backends for it: {server_backends}")
    print(
        f"  server open files: {baseline['open_files']} after warm-up, "
        f"{end['open_files']} at the end"
    )
    print(f"  server RSS: {baseline['rss_kib']} KiB after warm-up, {end['rss_kib']} KiB at the end")
    print(
        f"  longest server event-loop stall: {end['max_stall'] * 1000:.1f} ms (wall clock); "
        f"longest garbage-collector pause {end['max_gc_pause'] * 1000:.1f} ms"
    )
    for when, late, cpu in end["stalls"][:10]:
        print(
            f"    stall of {late * 1000:.0f} ms ({cpu * 1000:.0f} ms on the CPU), "
            f"nearest fault: {record.nearest_fault(when)}"
        )
    for sent, status, took in unexplained[:10]:
        print(f"    error {status} after {took:.2f} s, nearest fault: {record.nearest_fault(sent)}")
    print(f"  first request after the faults: {final.status_code} in {recovery * 1000:.0f} ms")

    if unexplained:
        failures.append(f"{len(unexplained)} errors outside any fault window")
    if pool["idle"] + pool["in_use"] != pool["size"] or not MIN_SIZE <= pool["size"] <= MAX_SIZE:
        failures.append(f"the pool did not settle: {end['stats']}")
    if server_backends != pool["size"]:
        failures.append(f"{server_backends} server backends for a pool of {pool['size']}")
    # Each pooled connection is a socket: compare the files besides them.
    others = (baseline["open_files"] - baseline["pool"]["size"], end["open_files"] - pool["size"])
    if abs(others[1] - others[0]) > 2:
        failures.append(f"open files besides the pool went from {others[0]} to {others[1]}")
    if end["rss_kib"] > baseline["rss_kib"] * 1.05 + 4096:
        failures.append(f"memory grew from {baseline['rss_kib']} to {end['rss_kib']} KiB")

    # A stall the loop thread spent on the CPU is our code holding the loop. One it spent off
    # the CPU is a blocking call or the machine not running the process (on a 2-core machine
    # also running the server, the load and the proxy); `strace -T` on the server tells them
    # apart (see the module's docstring).
    # A full garbage collection after a burst (a blackhole leaves hundreds of requests to
    # finish at once) also holds it: the interpreter's pause, reported above, not a call.
    def collecting(when: float, late: float) -> bool:
        return any(
            start < when + late + 0.01 and start + pause > when for start, pause in end["gc_pauses"]
        )

    busy = [late for when, late, cpu in end["stalls"] if cpu > 0.05 and not collecting(when, late)]
    if busy:
        failures.append(f"the event loop was held {max(busy) * 1000:.0f} ms by our code")
    if final.status_code != 200 or recovery > 1.0:
        failures.append(f"no quick recovery: {final.status_code} after {recovery:.2f} s")
    for failure in failures:
        print(f"FAILED: {failure}")
    return failures


if __name__ == "__main__":
    sys.exit(main())
