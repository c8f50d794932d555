# SPDX-License-Identifier: MIT
# fasterapi/exceptions.py: the errors fasterapi raises and the ones endpoints raise
"""Exceptions. :class:`FasterAPIError` is the base of the errors fasterapi raises for a
mistake in an application (``FastAPIError`` is the same class under FastAPI's name);
:class:`HTTPException` is what endpoints raise to answer with an error status."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.exceptions import WebSocketException as StarletteWebSocketException
from typing_extensions import TypedDict


class EndpointContext(TypedDict, total=False):
    """Where an endpoint is defined, for readable validation errors."""

    function: str
    path: str
    file: str
    line: int


class HTTPException(StarletteHTTPException):
    """Raise it in an endpoint or dependency to answer with *status_code* and a JSON body
    ``{"detail": detail}``.

    Example::

        @app.get("/items/{item_id}")
        async def read_item(item_id: str):
            if item_id not in items:
                raise HTTPException(status_code=404, detail="Item not found")
            return items[item_id]
    """

    def __init__(
        self,
        status_code: int,
        detail: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status_code, detail=detail, headers=headers)


class WebSocketException(StarletteWebSocketException):
    """Raise it in a WebSocket endpoint to close the connection with *code*."""

    def __init__(self, code: int, reason: str | None = None) -> None:
        super().__init__(code=code, reason=reason)


class FasterAPIError(RuntimeError):
    """An application is built wrongly (a bad endpoint signature, a bad response model)."""


FastAPIError = FasterAPIError


class RouterInclusionError(FasterAPIError, AssertionError):
    """``include_router`` was asked for something that cannot work: a router into itself, or a
    malformed prefix. Also an ``AssertionError``, which is what FastAPI raises for these."""


class PydanticV1NotSupportedError(FasterAPIError):
    """A pydantic.v1 model is used, which is not supported (use pydantic v2 models)."""


class DependencyScopeError(FasterAPIError):
    """A dependency depends on another one with a narrower scope."""


class FastAPIDeprecationWarning(UserWarning):
    """A deprecated FastAPI feature is used."""


class ValidationException(Exception):
    """Data did not validate; :meth:`errors` lists what was wrong, as pydantic reports it."""

    def __init__(
        self, errors: Sequence[Any], *, endpoint_ctx: EndpointContext | None = None
    ) -> None:
        self._errors = errors
        self.endpoint_ctx = endpoint_ctx
        context = endpoint_ctx or {}
        self.endpoint_function = context.get("function")
        self.endpoint_path = context.get("path")
        self.endpoint_file = context.get("file")
        self.endpoint_line = context.get("line")

    def errors(self) -> Sequence[Any]:
        return self._errors

    def _endpoint_lines(self) -> str:
        if self.endpoint_file and self.endpoint_line and self.endpoint_function:
            where = (
                f'\n  File "{self.endpoint_file}", line {self.endpoint_line}, '
                f"in {self.endpoint_function}"
            )
            return where + (f"\n    {self.endpoint_path}" if self.endpoint_path else "")
        return f"\n  Endpoint: {self.endpoint_path}" if self.endpoint_path else ""

    def __str__(self) -> str:
        count = len(self._errors)
        lines = [f"{count} validation error{'s' if count != 1 else ''}:"]
        lines += [f"  {error}" for error in self._errors]
        return ("\n".join(lines) + "\n" + self._endpoint_lines()).rstrip()


class RequestValidationError(ValidationException):
    """The request's parameters or body are invalid (answered with 422)."""

    def __init__(
        self,
        errors: Sequence[Any],
        *,
        body: Any = None,
        endpoint_ctx: EndpointContext | None = None,
    ) -> None:
        super().__init__(errors, endpoint_ctx=endpoint_ctx)
        self.body = body


class WebSocketRequestValidationError(ValidationException):
    """A WebSocket's parameters are invalid (the connection is closed with 1008)."""


class ResponseValidationError(ValidationException):
    """An endpoint returned data that does not match its response model (a server error)."""

    def __init__(
        self,
        errors: Sequence[Any],
        *,
        body: Any = None,
        endpoint_ctx: EndpointContext | None = None,
    ) -> None:
        super().__init__(errors, endpoint_ctx=endpoint_ctx)
        self.body = body
