# SPDX-License-Identifier: MIT
"""Under a real server: fastapi vs fasterapi on uvicorn (one worker each), driven by wrk,
the same four endpoints as bench_asgi.py, interleaved in one run.

The server is pinned to CPU 0 and wrk to CPU 1 (on a two-core machine each gets one core).
Needs ``wrk`` (``apt-get install wrk``; ci/bench.sh installs it).

Run: python packages/fasterapi/benchmarks/bench_server.py [--seconds 5] [--rounds 3]
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ITEM = json.dumps({"name": "widget", "price": 9.5, "tags": ["a", "b"]})
ENDPOINTS = {
    "GET /plaintext": ("/plaintext", None),
    "GET /json": ("/json", None),
    "GET /users/{user_id}?q=": ("/users/42?q=hello", None),
    "POST /items (pydantic body)": ("/items", ITEM),
}
SERVER = """
import sys
sys.path.insert(0, {here!r})
import uvicorn
from bench_asgi import build
uvicorn.run(build({framework!r}), host="127.0.0.1", port={port}, log_level="warning",
            access_log=False, loop="uvloop", http="httptools")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server on port {port} did not start")


def pinned(command: list[str], cpu: int) -> list[str]:
    return ["taskset", "-c", str(cpu), *command] if shutil.which("taskset") else command


def run_wrk(port: int, path: str, body: str | None, seconds: int, script_dir: str) -> float:
    command = ["wrk", "-t1", "-c32", f"-d{seconds}s", f"http://127.0.0.1:{port}{path}"]
    if body is not None:
        script = os.path.join(script_dir, "post.lua")
        with open(script, "w") as handle:
            handle.write(
                'wrk.method = "POST"\n'
                f"wrk.body = {json.dumps(body)}\n"
                'wrk.headers["Content-Type"] = "application/json"\n'
            )
        command += ["-s", script]
    output = subprocess.run(pinned(command, 1), capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"{path}: non-2xx answers:\n{output}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if match is None:
        raise RuntimeError(f"cannot read wrk's output:\n{output}")
    return float(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    servers = {}
    try:
        for framework in ("fastapi", "fasterapi"):
            port = free_port()
            code = SERVER.format(here=HERE, framework=framework, port=port)
            servers[framework] = (subprocess.Popen(pinned([sys.executable, "-c", code], 0)), port)
            wait_for(port)
        results: dict[tuple[str, str], list[float]] = {}
        with tempfile.TemporaryDirectory() as script_dir:
            for label, (path, body) in ENDPOINTS.items():
                for _, port in servers.values():
                    run_wrk(port, path, body, 1, script_dir)  # warm-up
                for _ in range(options.rounds):
                    for framework, (_, port) in servers.items():
                        rate = run_wrk(port, path, body, options.seconds, script_dir)
                        results.setdefault((label, framework), []).append(rate)
        print(f"{'endpoint':32} {'fastapi req/s':>14} {'fasterapi req/s':>16} {'ratio':>7}")
        for label in ENDPOINTS:
            theirs = statistics.median(results[(label, "fastapi")])
            ours = statistics.median(results[(label, "fasterapi")])
            print(f"{label:32} {theirs:14.0f} {ours:16.0f} {ours / theirs:6.2f}x")
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait()


if __name__ == "__main__":
    main()
