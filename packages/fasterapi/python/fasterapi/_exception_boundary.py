# SPDX-License-Identifier: MIT
# fasterapi/_exception_boundary.py: answer exceptions with the application's handlers
"""Exception handling as Starlette's ``ExceptionMiddleware`` does it — handlers looked up by
status code for HTTP exceptions, else by the exception's class hierarchy; sync handlers run
in the thread pool; an exception after the response started cannot be answered — without
building a Request for every request that raises nothing."""

from __future__ import annotations

import inspect
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket

HANDLERS_SCOPE_KEY = "starlette.exception_handlers"


def find_handler(scope: Scope, error: Exception) -> Any:
    handlers, status_handlers = scope.get(HANDLERS_SCOPE_KEY, ({}, {}))
    if isinstance(error, HTTPException):
        handler = status_handlers.get(error.status_code)
        if handler is not None:
            return handler
    for cls in type(error).__mro__:
        if cls in handlers:
            return handlers[cls]
    return None


async def handle_exception(connection: Any, error: Exception, started: bool) -> None:
    """Answer *error* on *connection* (a Request or WebSocket) with its handler; re-raise
    it when there is none."""
    handler = find_handler(connection.scope, error)
    if handler is None:
        raise error
    if started:
        raise RuntimeError("Caught handled exception, but response already started.") from error
    if inspect.iscoroutinefunction(handler):
        response = await handler(connection, error)
    else:
        response = await run_in_threadpool(handler, connection, error)
    if response is not None:
        await response(connection.scope, connection.receive, connection._send)


class ExceptionBoundary:
    """The innermost layer of the application: publishes the handlers in the scope (routes
    answer their own exceptions with them) and answers what escapes routing (404, 405)."""

    def __init__(
        self, app: ASGIApp, handlers: dict[Any, Any], status_handlers: dict[int, Any]
    ) -> None:
        self.app = app
        self.handlers = (handlers, status_handlers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        scope[HANDLERS_SCOPE_KEY] = self.handlers
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] in ("http.response.start", "websocket.accept"):
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            connection = (
                Request(scope, receive, send) if kind == "http" else WebSocket(scope, receive, send)
            )
            await handle_exception(connection, error, started)
