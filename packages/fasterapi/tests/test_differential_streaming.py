# SPDX-License-Identifier: MIT
"""Generator endpoints: JSON Lines, server-sent events and raw streams, side by side."""

from collections.abc import AsyncIterator, Iterator

from pydantic import BaseModel


class Item(BaseModel):
    name: str
    price: float | None = None


def test_streams(compare):
    def build(fw):
        app = fw.FastAPI()

        @app.get("/items.jsonl")
        async def items() -> AsyncIterator[Item]:
            yield Item(name="a", price=1.5)
            yield {"name": "b"}

        @app.get("/untyped.jsonl")
        def untyped():
            yield {"n": 1}
            yield [float("nan"), 2]

        @app.get("/bad.jsonl")
        async def bad() -> AsyncIterator[Item]:
            yield {"price": "x"}

        @app.get("/events", response_class=fw.responses.EventSourceResponse)
        async def events() -> AsyncIterator[Item]:
            yield Item(name="first")
            yield fw.sse.ServerSentEvent(data={"k": "v"}, event="update", id="2", retry=10)
            yield fw.sse.ServerSentEvent(raw_data="line1\nline2", comment="note")

        @app.get("/raw", response_class=fw.responses.StreamingResponse)
        def raw() -> Iterator[bytes]:
            yield b"abc"
            yield b"def"

        return app

    compare(
        build,
        [
            ("GET", "/items.jsonl", {}),
            ("GET", "/untyped.jsonl", {}),
            ("GET", "/events", {}),
            ("GET", "/raw", {}),
        ],
    )
