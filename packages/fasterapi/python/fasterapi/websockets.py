# SPDX-License-Identifier: MIT
"""Starlette's WebSocket classes, as FastAPI re-exports them."""

from starlette.websockets import WebSocket as WebSocket
from starlette.websockets import WebSocketDisconnect as WebSocketDisconnect
from starlette.websockets import WebSocketState as WebSocketState
