# SPDX-License-Identifier: MIT
"""Starlette's request classes, as FastAPI re-exports them."""

from starlette.requests import HTTPConnection as HTTPConnection
from starlette.requests import Request as Request
