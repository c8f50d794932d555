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
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket

from .telemetry._asgi import _exception as observe_exception

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

    # Answers unhandled exceptions with a 500 when set (see ServerErrorBoundary).
    server_errors: ServerErrorMiddleware | None = None

    def __init__(self, app: ASGIApp, handlers: dict[Any, Any], status_handlers: dict[int, Any]):
        self.app = app
        self._next = app  # what requests go to
        self.handlers = (handlers, status_handlers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self._next(scope, receive, send)
            return
        scope[HANDLERS_SCOPE_KEY] = self.handlers
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] in ("http.response.start", "websocket.accept"):
                started = True
            await send(message)

        try:
            await self._next(scope, receive, tracking_send)
        except Exception as error:
            if self.server_errors is None or kind != "http":
                await handle_exception(_connection(scope, receive, send), error, started)
                return
            try:
                await handle_exception(_connection(scope, receive, send), error, started)
            except Exception as unhandled:
                observe_exception(scope=scope, exc=unhandled)  # before the 500 ends the request
                await self._server_error(scope, receive, send, unhandled, started)
                raise

    async def _server_error(
        self, scope: Scope, receive: Receive, send: Send, error: Exception, started: bool
    ) -> None:
        """What ServerErrorMiddleware answers: the debug page, the 500 handler's response
        or a plain 500 (sent only when no response has started)."""
        middleware = self.server_errors
        assert middleware is not None
        handler: Any = middleware.handler
        request = Request(scope)
        if middleware.debug:
            response = await run_in_threadpool(middleware.debug_response, request, error)
        elif handler is None:
            response = middleware.error_response(request, error)
        elif inspect.iscoroutinefunction(handler):
            response = await handler(request, error)
        else:
            response = await run_in_threadpool(handler, request, error)
        if not started:
            await response(scope, receive, send)


class ServerErrorBoundary(ExceptionBoundary, ServerErrorMiddleware):
    """Starlette's ServerErrorMiddleware and an ExceptionBoundary in one layer, for
    applications without middleware: the same answers (the 500 response, then the exception
    re-raised for the server) in one call instead of two.

    It is a ServerErrorMiddleware whose ``app`` is the ExceptionBoundary a two-layer stack
    would hold, so a tool that rebuilds the stack around that inner app (as
    opentelemetry-instrumentation-fastapi does) gets the usual shape.
    """

    def __init__(
        self,
        app: ASGIApp,
        handlers: dict[Any, Any],
        status_handlers: dict[int, Any],
        handler: Any,
        debug: bool,
    ) -> None:
        super().__init__(app, handlers, status_handlers)
        self.handler = handler
        self.debug = debug
        self.server_errors = self
        self.app = ExceptionBoundary(app, handlers, status_handlers)


def _connection(scope: Scope, receive: Receive, send: Send) -> Any:
    return (
        Request(scope, receive, send)
        if scope["type"] == "http"
        else WebSocket(scope, receive, send)
    )
