# SPDX-License-Identifier: MIT
# fasterapi/_body_limit.py: body limits that hold through middleware and mounted apps
"""Starlette's ``RequestBodyLimitMiddleware`` signals an exceeded ``max_body_size`` with an
exception raised where the body is read (an ``HTTPException(413)``) or, once it has sent
the 413 itself, with a marker exception. Two things hide those signals, and are undone here:

* ``BaseHTTPMiddleware`` (``@app.middleware("http")``) reads the body in a task group, so the
  signal arrives wrapped in an ``ExceptionGroup``;
* a mounted application shares its parent's byte counter, and its own 500 handler would
  answer the signal before the parent could turn it into the 413.
"""

from __future__ import annotations

import sys
from typing import Any

from starlette.exceptions import HTTPException
from starlette.middleware import body_limit
from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY, RequestBodyLimitMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .exception_handlers import http_exception_handler

if sys.version_info >= (3, 11):
    from builtins import BaseExceptionGroup
else:  # pragma: no cover (anyio brings the backport on 3.10)
    from exceptiongroup import BaseExceptionGroup

# Starlette exposes no public types for these signals; an unknown exception keeps its
# normal handling.
_RESPONSE_SENT: tuple[type[BaseException], ...] = tuple(
    cls for cls in (getattr(body_limit, "_RequestBodyLimitResponseSent", None),) if cls
)
_LIMIT_SIGNALS: tuple[type[BaseException], ...] = (
    tuple(cls for cls in (getattr(body_limit, "_RequestBodyTooLarge", None),) if cls)
    + _RESPONSE_SENT
)


def body_limit_error(error: BaseException) -> BaseException | None:
    """The body-limit signal *error* is or wraps, else None. A group counts only when every
    exception in it is such a signal (a group that also holds another error is left as is)."""
    if isinstance(error, BaseExceptionGroup):
        _, others = error.split(_LIMIT_SIGNALS)
        if others is not None:
            return None
        # When Starlette has already sent the 413, let that response finish.
        found: BaseException = (error.subgroup(_RESPONSE_SENT) if _RESPONSE_SENT else None) or error
        while isinstance(found, BaseExceptionGroup):
            found = found.exceptions[0]
        error = found
    return error if isinstance(error, _LIMIT_SIGNALS) else None


def limit_in_scope(scope: Scope) -> bool:
    return MAX_BODY_SIZE_SCOPE_KEY in scope


class _UnwrapLimitSignals:
    """Re-raises a body-limit signal that a task group wrapped, as itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except BaseExceptionGroup as group:
            signal = body_limit_error(group) if scope["type"] == "http" else None
            if signal is None:
                raise
            raise signal from group


class AppBodyLimit:
    """The application's body limit (None: only a parent's applies): counts the bytes,
    unwraps the signals, and for a mounted application answers the 413 of the shared
    counter itself when no response has started."""

    def __init__(self, app: ASGIApp, max_body_size: int | None) -> None:
        inner: Any = app
        if max_body_size is not None:
            inner = RequestBodyLimitMiddleware(
                _UnwrapLimitSignals(app), max_body_size=max_body_size
            )
        self.app = inner

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not limit_in_scope(scope):
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            signal = body_limit_error(error)
            if started or not isinstance(signal, HTTPException):
                raise
            response = await http_exception_handler(Request(scope, receive), signal)
            await response(scope, receive, send)
