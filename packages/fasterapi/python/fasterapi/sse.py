# SPDX-License-Identifier: MIT
# fasterapi/sse.py: Server-Sent Events
"""Server-Sent Events: declare ``response_class=EventSourceResponse`` on a generator
endpoint and each item it yields becomes an event (a :class:`ServerSentEvent` gives full
control: ``event``, ``id``, ``retry``, ``comment``, ``data`` as JSON or ``raw_data`` as is).
An idle stream gets a ``: ping`` comment every 15 seconds so proxies keep it open.

Example::

    @app.get("/ticks", response_class=EventSourceResponse)
    async def ticks() -> AsyncIterator[Tick]:
        while True:
            yield await next_tick()
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, model_validator
from starlette.responses import StreamingResponse

# The event schema of the OpenAPI 3.2 specification (server-sent events).
_SSE_EVENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "data": {"type": "string"},
        "event": {"type": "string"},
        "id": {"type": "string"},
        "retry": {"type": "integer", "minimum": 0},
    },
}

# The keep-alive comment, and how long a stream may stay silent before one is sent.
KEEPALIVE_COMMENT = b": ping\n\n"
_PING_INTERVAL: float = 15.0


class EventSourceResponse(StreamingResponse):
    """A ``text/event-stream`` response."""

    media_type = "text/event-stream"


def _single_line(value: str | None, name: str) -> str | None:
    if value is not None and ("\r" in value or "\n" in value):
        raise ValueError(f"SSE '{name}' must be a single line")
    return value


def _valid_event(value: str | None) -> str | None:
    return _single_line(value, "event")


def _valid_id(value: str | None) -> str | None:
    if value is not None and "\0" in value:
        raise ValueError("SSE 'id' must not contain null characters")
    return _single_line(value, "id")


class ServerSentEvent(BaseModel):
    """One event. ``data`` is sent as JSON, ``raw_data`` as given (not both)."""

    data: Any = None
    raw_data: str | None = None
    event: Annotated[str | None, AfterValidator(_valid_event)] = None
    id: Annotated[str | None, AfterValidator(_valid_id)] = None
    retry: Annotated[int | None, Field(ge=0)] = None
    comment: str | None = None

    @model_validator(mode="after")
    def _data_or_raw_data(self) -> ServerSentEvent:
        if self.data is not None and self.raw_data is not None:
            raise ValueError(
                "Cannot set both 'data' and 'raw_data' on the same ServerSentEvent. Use "
                "'data' for JSON-serialized payloads or 'raw_data' for pre-formatted strings."
            )
        return self


def _lines(value: str) -> list[str]:
    # The SSE line terminators: \n, \r\n and \r; trailing empty lines kept.
    return value.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def format_sse_event(
    *,
    data_str: str | None = None,
    event: str | None = None,
    id: str | None = None,
    retry: int | None = None,
    comment: str | None = None,
) -> bytes:
    """One event in the ``text/event-stream`` format, with its terminating blank line."""
    lines: list[str] = []
    if comment is not None:
        lines += [f": {line}" for line in _lines(comment)]
    if event is not None:
        lines.append(f"event: {event}")
    if data_str is not None:
        lines += [f"data: {line}" for line in _lines(data_str)]
    if id is not None:
        lines.append(f"id: {id}")
    if retry is not None:
        lines.append(f"retry: {retry}")
    lines += ["", ""]
    return "\n".join(lines).encode("utf-8")
