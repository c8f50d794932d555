# SPDX-License-Identifier: MIT
# fasterapi/responses.py: response classes
"""Starlette's response classes, plus ``ORJSONResponse`` and ``UJSONResponse`` (each needs
its library installed).

Returning data with a ``response_model`` (or a return annotation) is already serialized to
bytes by pydantic-core; these classes are for returning raw data fast without one."""

from __future__ import annotations

import importlib
from typing import Any

from starlette.responses import FileResponse as FileResponse
from starlette.responses import HTMLResponse as HTMLResponse
from starlette.responses import JSONResponse as JSONResponse
from starlette.responses import PlainTextResponse as PlainTextResponse
from starlette.responses import RedirectResponse as RedirectResponse
from starlette.responses import Response as Response
from starlette.responses import StreamingResponse as StreamingResponse
from typing_extensions import deprecated

from .exceptions import FastAPIDeprecationWarning
from .sse import EventSourceResponse as EventSourceResponse


def _optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError:
        return None


ujson = _optional("ujson")
orjson = _optional("orjson")


@deprecated(
    "UJSONResponse is deprecated, FastAPI now serializes data directly to JSON bytes via "
    "Pydantic when a return type or response model is set, which is faster and doesn't need "
    "a custom response class.",
    category=FastAPIDeprecationWarning,
    stacklevel=2,
)
class UJSONResponse(JSONResponse):
    """JSON rendered by ``ujson`` (``pip install ujson``)."""

    def render(self, content: Any) -> bytes:
        if ujson is None:
            raise RuntimeError("UJSONResponse needs the ujson package: pip install ujson")
        return ujson.dumps(content, ensure_ascii=False).encode("utf-8")  # type: ignore[no-any-return]


@deprecated(
    "ORJSONResponse is deprecated, FastAPI now serializes data directly to JSON bytes via "
    "Pydantic when a return type or response model is set, which is faster and doesn't need "
    "a custom response class.",
    category=FastAPIDeprecationWarning,
    stacklevel=2,
)
class ORJSONResponse(JSONResponse):
    """JSON rendered by ``orjson`` (``pip install orjson``); non-str keys and numpy values
    are accepted."""

    def render(self, content: Any) -> bytes:
        if orjson is None:
            raise RuntimeError("ORJSONResponse needs the orjson package: pip install orjson")
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY)  # type: ignore[no-any-return]
