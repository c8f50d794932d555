# SPDX-License-Identifier: MIT
# fasterapi/_streaming.py: responses of generator endpoints (JSON Lines, SSE, raw streams)
"""A generator endpoint streams its items, as in FastAPI:

* with the default response class, as JSON Lines (``application/jsonl``), each item
  validated against the ``AsyncIterator[Item]`` return annotation when there is one;
* with ``EventSourceResponse``, as server-sent events, with keep-alive pings while the
  generator is idle;
* with any other response class (e.g. ``StreamingResponse``), the items passed to it as
  its content.
"""

from __future__ import annotations

import collections.abc
import inspect
import json
import math
import sys
import typing
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import anyio
from starlette.concurrency import iterate_in_threadpool
from starlette.responses import Response, StreamingResponse

from . import sse
from .encoders import jsonable_encoder

JSONL, SSE, RAW = "jsonl", "sse", "raw"


def _ping_interval() -> float:
    """Seconds of silence before a keep-alive comment: ``fasterapi.routing._PING_INTERVAL``,
    looked up each time, where FastAPI keeps it (so patching it there works as with FastAPI)."""
    routing = sys.modules.get(f"{__package__}.routing")
    return float(getattr(routing, "_PING_INTERVAL", sse._PING_INTERVAL))


def is_generator_function(call: Any) -> bool:
    from .dependencies.models import _unwrapped_check

    return _unwrapped_check(call, inspect.isasyncgenfunction) or _unwrapped_check(
        call, inspect.isgeneratorfunction
    )


STREAM_ORIGINS = {
    collections.abc.AsyncIterable,
    collections.abc.AsyncIterator,
    collections.abc.AsyncGenerator,
    collections.abc.Iterable,
    collections.abc.Iterator,
    collections.abc.Generator,
}


def stream_item_type(annotation: Any) -> Any:
    """``Item`` of an ``AsyncIterator[Item]``-like return annotation (Any when bare)."""
    origin = typing.get_origin(annotation)
    if origin is not None and origin in STREAM_ORIGINS:
        args = typing.get_args(annotation)
        return args[0] if args else Any
    return None


def _finite(data: Any) -> Any:
    """JSON data with NaN and infinities replaced by None (JSON has neither)."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_finite(value) for value in data]
    return data


class ItemSerializer:
    """Validates (when the item type is known) and serializes one streamed item to JSON."""

    def __init__(
        self, validate: Callable[[Any], Any] | None, dump: Callable[[Any], bytes] | None
    ) -> None:
        self._validate = validate
        self._dump = dump

    def __call__(self, item: Any) -> bytes:
        if self._validate is not None and self._dump is not None:
            return self._dump(self._validate(item))
        return json.dumps(_finite(jsonable_encoder(item))).encode("utf-8")

    def event(self, item: Any) -> bytes:
        """*item* as a server-sent event."""
        if not isinstance(item, sse.ServerSentEvent):
            return sse.format_sse_event(data_str=self(item).decode("utf-8"))
        if item.raw_data is not None:
            data: str | None = item.raw_data
        elif item.data is not None:
            if hasattr(item.data, "model_dump_json"):
                data = item.data.model_dump_json()
            else:
                data = json.dumps(_finite(jsonable_encoder(item.data)))
        else:
            data = None
        return sse.format_sse_event(
            data_str=data, event=item.event, id=item.id, retry=item.retry, comment=item.comment
        )


async def _with_checkpoints(items: AsyncIterable[Any]) -> AsyncIterator[Any]:
    # A checkpoint per item lets a cancellation through even when items never wait.
    async for item in items:
        yield item
        await anyio.sleep(0)


def json_lines(generator: Any, serialize: ItemSerializer, args: dict[str, Any]) -> Response:
    content: AsyncIterator[bytes] | Iterator[bytes]
    if hasattr(generator, "__aiter__"):

        async def lines() -> AsyncIterator[bytes]:
            async for item in _with_checkpoints(generator):
                yield serialize(item) + b"\n"

        content = lines()
    else:
        content = (serialize(item) + b"\n" for item in generator)
    return StreamingResponse(content, media_type="application/jsonl", **args)


def raw_stream(generator: Any, response_class: Any, args: dict[str, Any]) -> Response:
    content = _with_checkpoints(generator) if hasattr(generator, "__aiter__") else generator
    return response_class(content=content, **args)  # type: ignore[no-any-return]


async def event_stream(
    generator: Any, serialize: ItemSerializer, args: dict[str, Any], stack: AsyncExitStack
) -> Response:
    """Server-sent events. A producer task pulls items (a sync generator in the thread
    pool) into a one-slot stream; a second task forwards them and inserts a ping when the
    producer stays silent. Both live on the request's exit stack, which outlives the
    response, so they are torn down in order, not by generator finalization."""
    items = (
        generator.__aiter__()
        if hasattr(generator, "__aiter__")
        else (iterate_in_threadpool(generator))
    )

    @asynccontextmanager
    async def pump() -> AsyncIterator[Any]:
        produced_send, produced_receive = anyio.create_memory_object_stream[bytes](1)
        out_send, out_receive = anyio.create_memory_object_stream[bytes](1)

        async def produce() -> None:
            async with produced_send:
                async for item in items:
                    await produced_send.send(serialize.event(item))

        async def forward() -> None:
            async with out_send, produced_receive:
                try:
                    while True:
                        try:
                            with anyio.fail_after(_ping_interval()):
                                data = await produced_receive.receive()
                            await out_send.send(data)
                        except TimeoutError:
                            await out_send.send(sse.KEEPALIVE_COMMENT)
                except anyio.EndOfStream:
                    pass

        async with anyio.create_task_group() as group:
            group.start_soon(produce)
            group.start_soon(forward)
            yield out_receive
            group.cancel_scope.cancel()

    receive_stream = await stack.enter_async_context(pump())
    stack.push_async_callback(receive_stream.aclose)
    response = StreamingResponse(
        _with_checkpoints(receive_stream), media_type="text/event-stream", **args
    )
    response.headers["Cache-Control"] = "no-cache"
    # Nginx would otherwise buffer the events.
    response.headers["X-Accel-Buffering"] = "no"
    return response
