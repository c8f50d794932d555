# SPDX-License-Identifier: MIT
# fasterapi-futures/benchmarks/echo.py: TCP echo on each event loop against the C++ floor
"""TCP echo servers on asyncio's loop, uvloop and fasterapi_futures.EventLoop, and a bare C++
epoll server as the floor, all driven by the same C++ client (echo_bench), same run.

    python packages/fasterapi-futures/benchmarks/echo.py --bench build/bench/.../echo_bench

The Python servers are asyncio Protocols (data_received -> transport.write), the fastest way
to echo through each loop. 10 connections, one message in flight per connection.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

LOOPS = ("asyncio", "uvloop", "fasterapi")


def loop_factory(name: str) -> Callable[[], asyncio.AbstractEventLoop]:
    if name == "uvloop":
        import uvloop

        return uvloop.new_event_loop
    if name == "fasterapi":
        import fasterapi_futures

        return fasterapi_futures.new_event_loop
    return asyncio.new_event_loop


class Echo(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        sock = transport.get_extra_info("socket")
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        self.transport.write(data)


def serve(name: str, port: int) -> None:
    loop = loop_factory(name)()
    server = loop.run_until_complete(loop.create_server(Echo, "127.0.0.1", port))
    print("ready", flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_listening(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"no server on port {port}")


def client_run(bench: str, port: int, size: int, seconds: float) -> float:
    """Round trips per second of one client run (10 connections) against PORT."""
    out = subprocess.run(
        [bench, "client", str(port), "10", str(size), str(seconds)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout)


def measure_all(
    bench: str, servers: dict[str, list[str]], size: int, seconds: float, rounds: int
) -> dict[str, float]:
    """Median round trips per second of each server. All servers run at once and the client
    runs alternate between them, round after round: on a machine whose speed drifts, a slow
    spell then lands on every server instead of on whichever was measured at the time."""
    ports = {name: free_port() for name in servers}
    processes = [
        subprocess.Popen([*command, str(ports[name])], stdout=subprocess.DEVNULL)
        for name, command in servers.items()
    ]
    try:
        for port in ports.values():
            wait_listening(port)
        samples: dict[str, list[float]] = {name: [] for name in servers}
        for _ in range(rounds):
            for name, port in ports.items():
                samples[name].append(client_run(bench, port, size, seconds))
        return {name: statistics.median(rates) for name, rates in samples.items()}
    finally:
        for process in processes:
            process.terminate()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench", help="path to the echo_bench binary")
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--serve", choices=LOOPS, help=argparse.SUPPRESS)
    parser.add_argument("port", nargs="?", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    servers = {"floor": [args.bench, "server"]}
    servers.update({name: [sys.executable, __file__, "--serve", name] for name in LOOPS})
    print(f"{'TCP echo, 10 connections':<34} {'size':>6} {'round trips/s':>14} {'vs floor':>9}")
    for size in (100, 4096):
        rates = measure_all(args.bench, servers, size, args.seconds, args.rounds)
        floor = rates["floor"]
        print(f"{'C++ epoll server (floor)':<34} {size:>6} {floor:14.0f} {'1.00x':>9}")
        for name in LOOPS:
            label = f"{name} loop, asyncio.Protocol"
            print(f"{label:<34} {size:>6} {rates[name]:14.0f} {rates[name] / floor:8.2f}x")


if __name__ == "__main__":
    main()
