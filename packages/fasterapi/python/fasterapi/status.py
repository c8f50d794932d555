# SPDX-License-Identifier: MIT
"""HTTP and WebSocket status codes (Starlette's constants)."""

from starlette.status import *  # noqa: F403
