# SPDX-License-Identifier: MIT
"""Middleware declarations (Starlette's ``Middleware``)."""

from starlette.middleware import Middleware as Middleware
