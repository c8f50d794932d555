# SPDX-License-Identifier: MIT
# fasterapi_router/__init__.py: the public API of fasterapi-router
"""Radix-tree HTTP route matching with a C++ core.

Example::

    >>> from fasterapi_router import Router
    >>> router = Router()
    >>> router.add("GET", "/items/{item_id:int}", "read_item")
    >>> router.match("GET", "/items/3")
    ('read_item', {'item_id': 3})
"""

from ._version import __version__
from .errors import RouteConflictError, RoutePatternError, RouterError, URLPathError
from .router import Route, Router

__all__ = [
    "Route",
    "RouteConflictError",
    "RoutePatternError",
    "Router",
    "RouterError",
    "URLPathError",
    "__version__",
]
