# SPDX-License-Identifier: MIT
"""In-process ASGI benchmark: fastapi vs fasterapi on the same four endpoints, same run.

Each request calls the application directly with a prebuilt scope, a receive that returns
the body and a send that drops the messages: what is measured is the framework's own work
(routing, parameter and body validation, endpoint call, serialization), no network.

Run: python packages/fasterapi/benchmarks/bench_asgi.py [--rounds N]
"""

import argparse
import asyncio
import importlib
import json
import statistics
import time
from typing import Any

from pydantic import BaseModel


class Item(BaseModel):
    name: str
    price: float
    tags: list[str] = []


def build(name: str) -> Any:
    fw = importlib.import_module(name)
    responses = importlib.import_module(name + ".responses")
    app = fw.FastAPI()

    @app.get("/plaintext", response_class=responses.PlainTextResponse)
    async def plaintext():
        return "Hello, World!"

    @app.get("/json")
    async def json_endpoint():
        return {"message": "Hello, World!"}

    @app.get("/users/{user_id}")
    async def user(user_id: int, q: str | None = None):
        return {"user_id": user_id, "q": q}

    @app.post("/items")
    async def create_item(item: Item) -> Item:
        return item

    return app


def scope_for(method: str, path: str, query: bytes = b"", body: bytes = b"") -> dict[str, Any]:
    headers = [(b"host", b"bench"), (b"user-agent", b"bench")]
    if body:
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": headers,
        "client": ("127.0.0.1", 1234),
        "server": ("127.0.0.1", 8000),
    }


CASES = {
    "GET /plaintext": ("GET", "/plaintext", b"", b""),
    "GET /json": ("GET", "/json", b"", b""),
    "GET /users/{user_id}?q=": ("GET", "/users/42", b"q=hello", b""),
    "POST /items (pydantic body)": (
        "POST",
        "/items",
        b"",
        json.dumps({"name": "widget", "price": 9.5, "tags": ["a", "b"]}).encode(),
    ),
}


async def measure(app: Any, case: tuple[str, str, bytes, bytes], requests: int) -> float:
    """Mean microseconds per request over *requests* calls."""
    method, path, query, body = case
    message = {"type": "http.request", "body": body, "more_body": False}
    statuses = []

    async def receive() -> dict[str, Any]:
        return message

    async def send(event: dict[str, Any]) -> None:
        if event["type"] == "http.response.start":
            statuses.append(event["status"])

    start = time.perf_counter()
    for _ in range(requests):
        await app(scope_for(method, path, query, body), receive, send)
    elapsed = time.perf_counter() - start
    if set(statuses) != {200}:
        raise RuntimeError(f"{method} {path}: unexpected statuses {set(statuses)}")
    return elapsed / requests * 1e6


async def main(rounds: int, requests: int) -> None:
    apps = {name: build(name) for name in ("fastapi", "fasterapi")}
    results: dict[tuple[str, str], list[float]] = {}
    for label, case in CASES.items():
        for app in apps.values():
            await measure(app, case, 200)  # warm-up (startup compilation, caches)
        # Interleaved rounds: both frameworks see the same machine noise.
        for _ in range(rounds):
            for name, app in apps.items():
                results.setdefault((label, name), []).append(await measure(app, case, requests))
    print(f"{'endpoint':32} {'fastapi µs':>11} {'fasterapi µs':>13} {'speed-up':>9}")
    for label in CASES:
        ours = statistics.median(results[(label, "fasterapi")])
        theirs = statistics.median(results[(label, "fastapi")])
        print(f"{label:32} {theirs:11.1f} {ours:13.1f} {theirs / ours:8.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=2000)
    options = parser.parse_args()
    asyncio.run(main(options.rounds, options.requests))
