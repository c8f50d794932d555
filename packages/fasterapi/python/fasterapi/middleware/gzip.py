# SPDX-License-Identifier: MIT
"""Starlette's GZipMiddleware."""

from starlette.middleware.gzip import GZipMiddleware as GZipMiddleware
