# SPDX-License-Identifier: MIT
"""Starlette's HTTPSRedirectMiddleware."""

from starlette.middleware.httpsredirect import HTTPSRedirectMiddleware as HTTPSRedirectMiddleware
