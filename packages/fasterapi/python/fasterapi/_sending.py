# SPDX-License-Identifier: MIT
# fasterapi/_sending.py: turn an endpoint's result into ASGI messages cheaply
"""The shortcuts a route takes when sending its answer: JSON rendered once with a prebuilt
encoder, and a two-message response without a Response object when nothing else (headers,
background tasks) is attached — byte for byte what Starlette's classes would send."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from .datastructures import DefaultPlaceholder
from .encoders import jsonable_encoder

# JSONResponse's rendering, with the encoder built once.
_JSON_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def render_json(raw: Any) -> bytes:
    """What JSONResponse(jsonable_encoder(raw)) renders, skipping the encoder walk when
    *raw* is plain JSON data (dicts, lists, strings, numbers), for which it changes
    nothing."""
    try:
        return _JSON_ENCODER.encode(raw).encode("utf-8")
    except (TypeError, ValueError):
        return JSONResponse(jsonable_encoder(raw)).body  # type: ignore[return-value]


JSON_CONTENT_TYPE = b"application/json"


class BytesResponse:
    """A body already rendered, sent as Starlette would send it (no background tasks, no
    extra headers): the two ASGI messages without a Response object."""

    __slots__ = ("body", "content_type", "status_code")

    def __init__(self, body: bytes, status_code: int, content_type: bytes = JSON_CONTENT_TYPE):
        self.body = body
        self.status_code = status_code
        self.content_type = content_type

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [
            (b"content-length", str(len(self.body)).encode("latin-1")),
            (b"content-type", self.content_type),
        ]
        await send({"type": "http.response.start", "status": self.status_code, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})


def plain_content_type(response_class: Any) -> bytes | None:
    """The content-type header of a response class that renders and sets headers exactly
    as Starlette's base Response does (PlainTextResponse, HTMLResponse...), so a str result
    can be sent without building one; None for any other class."""
    if not isinstance(response_class, type) or not issubclass(response_class, Response):
        return None
    same = (
        response_class.__init__ is Response.__init__
        and response_class.render is Response.render
        and response_class.init_headers is Response.init_headers
        and response_class.__call__ is Response.__call__
        and response_class.charset == "utf-8"
    )
    media_type = response_class.media_type
    if not same or media_type is None:
        return None
    if media_type.startswith("text/") and "charset=" not in media_type.lower():
        media_type += "; charset=utf-8"
    return media_type.encode("latin-1")


def actual_class(response_class: Any) -> Any:
    return (
        response_class.value if isinstance(response_class, DefaultPlaceholder) else response_class
    )
