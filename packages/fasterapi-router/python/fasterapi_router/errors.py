# SPDX-License-Identifier: MIT
# fasterapi_router/errors.py: the exceptions of fasterapi_router (raised by the native core too)
"""Exceptions raised by :mod:`fasterapi_router`; all derive from :class:`RouterError`."""

from __future__ import annotations

__all__ = ["RouteConflictError", "RoutePatternError", "RouterError", "URLPathError"]


class RouterError(Exception):
    """Base class of every error the router raises."""

    __module__ = "fasterapi_router"


class RoutePatternError(RouterError, ValueError):
    """A route pattern (or method name) is malformed.

    The message quotes the pattern and points at the offending position::

        cannot parse route pattern '/users/{id': '{' is never closed at position 7
            /users/{id
                   ^
    """

    __module__ = "fasterapi_router"


class RouteConflictError(RouterError, ValueError):
    """A route overlaps one already added (same shape, an overlapping method).

    Raised only by routers in ``"specificity"`` order; the message names both routes.
    """

    __module__ = "fasterapi_router"


class URLPathError(RouterError, ValueError):
    """Reverse routing failed: no route of that name, a missing or extra parameter, or a
    value the parameter's convertor does not accept."""

    __module__ = "fasterapi_router"
