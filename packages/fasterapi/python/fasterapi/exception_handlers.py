# SPDX-License-Identifier: MIT
# fasterapi/exception_handlers.py: the default answers to HTTP and validation errors
"""The default exception handlers; call them from your own handlers to keep the default
response and add something (logging, headers)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.status import WS_1008_POLICY_VIOLATION
from starlette.websockets import WebSocket

from .encoders import jsonable_encoder
from .exceptions import RequestValidationError, WebSocketRequestValidationError
from .utils import is_body_allowed_for_status_code


async def http_exception_handler(request: Request, exc: HTTPException) -> Response:
    """``{"detail": ...}`` with the exception's status and headers (no body for statuses
    that allow none)."""
    headers = getattr(exc, "headers", None)
    if not is_body_allowed_for_status_code(exc.status_code):
        return Response(status_code=exc.status_code, headers=headers)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)


async def request_validation_exception_handler(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    """422 with ``{"detail": [errors]}``."""
    return JSONResponse(status_code=422, content={"detail": jsonable_encoder(exc.errors())})


async def websocket_request_validation_exception_handler(
    websocket: WebSocket, exc: WebSocketRequestValidationError
) -> None:
    """Close the WebSocket with 1008 (policy violation) and the errors as the reason."""
    await websocket.close(code=WS_1008_POLICY_VIOLATION, reason=jsonable_encoder(exc.errors()))


async def websocket_exception_handler(websocket: WebSocket, exc: Exception) -> None:
    """Close the WebSocket with the exception's code and reason (Starlette's default)."""
    code = getattr(exc, "code", WS_1008_POLICY_VIOLATION)
    await websocket.close(code=code, reason=getattr(exc, "reason", None))
