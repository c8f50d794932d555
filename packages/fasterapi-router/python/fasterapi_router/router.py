# SPDX-License-Identifier: MIT
# fasterapi_router/router.py: the public Router (native matching, Python conveniences)
"""The :class:`Router` class and its :class:`Route` records."""

from __future__ import annotations

import math
import uuid
from typing import Any, NamedTuple, TypeVar

from . import _router

__all__ = ["Route", "Router"]

PathT = TypeVar("PathT", str, bytes)


class Route(NamedTuple):
    """One route as added: its methods (empty for any method), pattern, name and value."""

    methods: frozenset[str]
    path: str
    name: str | None
    value: Any


class Router(_router.Router):
    """A radix-tree route table.

    Example::

        >>> router = Router()
        >>> router.add("GET", "/users/me", "me")
        >>> router.add("GET", "/users/{user_id:int}", "user", name="user")
        >>> router.match("GET", "/users/42")
        ('user', {'user_id': 42})
        >>> router.match("GET", "/users/me")
        ('me', {})
        >>> router.allowed_methods("/users/42")
        frozenset({'GET'})
        >>> router.url_path_for("user", user_id=7)
        '/users/7'

    ``paths="raw"`` (the default) expects paths as sent on the wire (ASGI's ``raw_path``):
    parameter values are percent-decoded after matching, so ``%2F`` never splits one.
    ``paths="decoded"`` expects already-decoded paths (ASGI's ``path``) and decodes nothing.

    ``order="specificity"`` (the default) lets static segments beat typed parameters, typed
    beat ``{name}``, and ``{name}`` beat a ``{name:path}`` catch-all, and refuses overlapping
    routes with :class:`~fasterapi_router.RouteConflictError`. ``order="registration"``
    makes the earliest added route win, as Starlette does, and allows overlaps.
    """

    def url_path_for(self, name: str, /, **params: object) -> str:
        """Build the path of the route called *name* from parameter values.

        Values may be ``int``, ``float``, ``uuid.UUID`` or ``str``; they are checked against
        the parameter's convertor and percent-encoded (``/`` is kept only in ``path``
        parameters). Raises :class:`~fasterapi_router.URLPathError` naming what is missing,
        unexpected or invalid.
        """
        return self._build_path(name, {key: _as_text(key, value) for key, value in params.items()})

    def routes(self) -> list[Route]:
        """The routes in the order they were added."""
        return [Route(*entry) for entry in self._route_table()]

    def redirect_slash(self, method: str | bytes, path: PathT) -> PathT | None:
        """Return the other form of *path* (with or without its trailing ``/``) when *path*
        itself does not match but that form does, for any method; else ``None``.

        The router never redirects by itself: ``/items`` and ``/items/`` are different
        paths. A server uses this to answer with a redirect, as Starlette's
        ``redirect_slashes`` does.
        """
        if self.match(method, path) is not None:
            return None
        slash = "/" if isinstance(path, str) else b"/"
        if path.endswith(slash):
            if len(path) == 1:
                return None
            other = path[:-1]
        else:
            other = path + slash
        return other if self.resolve(method, other) is not None else None


def _as_text(key: str, value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, uuid.UUID)):
        raise TypeError(
            f"cannot build a path: parameter {key!r} must be int, float, str or UUID, "
            f"not {type(value).__name__}"
        )
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)  # refused by the float convertor with a clear message
        # Fixed-point, as Starlette writes floats: no exponent, no trailing zeros.
        return (f"{value:0.20f}").rstrip("0").rstrip(".")
    return str(value)
