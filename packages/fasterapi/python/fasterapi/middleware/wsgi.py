# SPDX-License-Identifier: MIT
"""Starlette's WSGIMiddleware (mount a WSGI application)."""

from starlette.middleware.wsgi import WSGIMiddleware as WSGIMiddleware
