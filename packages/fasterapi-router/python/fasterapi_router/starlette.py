# SPDX-License-Identifier: MIT
# fasterapi_router/starlette.py: compile a Starlette/FastAPI app's routes into the native tree
"""Speed up route matching of an existing Starlette or FastAPI application.

Example::

    from fastapi import FastAPI
    from fasterapi_router.starlette import accelerate

    app = FastAPI()

    @app.get("/items/{item_id}")
    async def read_item(item_id: int): ...

    accelerate(app)   # same routes, same behaviour, native matching

Starlette's semantics are kept exactly where they differ from :class:`~fasterapi_router.Router`'s
defaults: the first registered route wins (the tree runs in ``"registration"`` order on the
decoded ``scope["path"]``), a path that matches with another method gives the first such
route (Starlette answers 405 from it), mounts and their ``root_path`` work as before,
``redirect_slashes`` redirects as before, and ``url_path_for`` is Starlette's own.

Routes the tree cannot express keep Starlette's own matching for the whole router: ``Host``
routes, route classes that override ``matches()``, custom convertors, and patterns the tree
refuses (e.g. a ``{name:path}`` parameter before the end). Routes added after
:func:`accelerate` are picked up on the next request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette._utils import get_route_path
from starlette.datastructures import URL
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Mount, Route, Router, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import RoutePatternError
from .router import Router as Tree

__all__ = ["TreeDispatch", "accelerate", "same_matching"]

_ROUTE, _WEBSOCKET, _MOUNT = 0, 1, 2

# matches() implementations whose behaviour the tree reproduces, by the kind it is.
_KNOWN_MATCHES: dict[Callable[..., Any], int] = {
    Route.matches: _ROUTE,
    WebSocketRoute.matches: _WEBSOCKET,
    Mount.matches: _MOUNT,
}


def same_matching(route_class: type[BaseRoute], like: type[BaseRoute]) -> None:
    """Declare that *route_class* matches exactly as *like* (``Route``, ``WebSocketRoute``
    or ``Mount``) does, so the tree can serve it: for a subclass whose ``matches`` only adds
    to the child scope what the tree's dispatch sets anyway (``scope["route"]``)."""
    _KNOWN_MATCHES[route_class.matches] = _KNOWN_MATCHES[like.matches]


def accelerate(app: Any) -> None:
    """Make *app* (a Starlette or FastAPI application, or a Starlette ``Router``) match its
    routes with the native tree, in place; mounted routers and applications are accelerated
    too."""
    router = app if isinstance(app, Router) else getattr(app, "router", None)
    if not isinstance(router, Router):
        raise TypeError(
            f"cannot accelerate {type(app).__name__!r}: expected a Starlette application "
            "or starlette.routing.Router"
        )
    dispatch = TreeDispatch(router)
    if not _replace_in_stack(router, router.app, dispatch):
        raise TypeError(
            f"cannot accelerate {type(app).__name__!r}: its router was already replaced"
        )
    for route in router.routes:
        if isinstance(route, Mount):
            inner = getattr(route, "_base_app", route.app)
            if isinstance(inner, Router) or isinstance(getattr(inner, "router", None), Router):
                accelerate(inner)


def _replace_in_stack(router: Router, old: ASGIApp, new: TreeDispatch) -> bool:
    # Router(middleware=...) wraps router.app in middleware; swap the innermost app.
    if router.middleware_stack == old:
        router.middleware_stack = new
        return True
    layer: Any = router.middleware_stack
    while layer is not None:
        if getattr(layer, "app", None) == old:
            layer.app = new
            return True
        layer = getattr(layer, "app", None)
    return False


class _Compiled:
    """The routes of one router compiled into two trees (HTTP and WebSocket).

    ``usable`` is False when some route needs Starlette's own matching.
    """

    def __init__(self, routes: list[BaseRoute]) -> None:
        self.route_count = len(routes)
        self.http = Tree(paths="decoded", order="registration")
        self.websocket = Tree(paths="decoded", order="registration")
        self.usable = True
        try:
            for route in routes:
                self._add(route)
        except (RoutePatternError, _Unsupported):
            self.usable = False

    def _add(self, route: Any) -> None:
        kind = _KNOWN_MATCHES.get(type(route).matches)
        # Each tree value is what match_scope needs, ready to unpack: (kind, route, endpoint).
        if kind == _ROUTE:
            methods = sorted(route.methods) if route.methods else "*"
            self.http.add(methods, route.path, (kind, route, route.endpoint))
        elif kind == _WEBSOCKET:
            self.websocket.add("*", route.path, (kind, route, route.endpoint))
        elif kind == _MOUNT:
            pattern = route.path + "/{path:path}"
            self.http.add("*", pattern, (kind, route, route.app))
            self.websocket.add("*", pattern, (kind, route, route.app))
        else:
            raise _Unsupported


class _Unsupported(Exception):
    """A route whose matching only Starlette knows."""


class TreeDispatch:
    """Stands in for ``Router.app``: the same steps, with the tree in place of the scan.

    A Router subclass that dispatches through the tree itself passes Starlette's own
    ``Router.app`` as *fallback* (used for lifespan and for routes the tree cannot express).
    *on_route*, when given, is called as ``on_route(scope, route)`` with the route chosen to
    answer (for a slash redirect: the route redirected to), before it runs; tracing uses it
    to name the request after the route.
    """

    def __init__(
        self,
        router: Router,
        fallback: Callable[[Scope, Receive, Send], Awaitable[None]] | None = None,
        on_route: Callable[[Scope, BaseRoute], None] | None = None,
    ) -> None:
        self._router = router
        self._on_route = on_route
        # Starlette's own matching, for routers the tree cannot express.
        self._scan: Callable[[Scope, Receive, Send], Awaitable[None]] = fallback or router.app
        self._compiled = _Compiled(router.routes)

    def refresh(self) -> None:
        """Recompile the routes (done automatically when their number changes)."""
        self._compiled = _Compiled(self._router.routes)

    def match_scope(self, scope: Scope) -> tuple[BaseRoute, dict[str, Any]] | None:
        """The route Starlette would pick for *scope* (its first full match, else its first
        path-only match) and the child scope it would add, or None."""
        compiled = self._compiled
        if scope["type"] == "http":
            tree, method = compiled.http, scope["method"]
        else:
            tree, method = compiled.websocket, "GET"
        route_path = get_route_path(scope) if scope.get("root_path") else scope["path"]
        found = tree.resolve(method, route_path)
        if found is None:
            return None
        (kind, route, endpoint), params, _full = found
        inherited = scope.get("path_params")
        if kind != _MOUNT:
            # Route.matches / WebSocketRoute.matches: the scope's params, updated.
            if inherited:
                params = {**inherited, **params}
            return route, {"endpoint": endpoint, "path_params": params}
        return route, _mount_scope(endpoint, scope, route_path, params, inherited)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        router = self._router
        if len(router.routes) != self._compiled.route_count:
            self.refresh()
        scope_type = scope["type"]
        if not self._compiled.usable or scope_type == "lifespan":
            await self._scan(scope, receive, send)
            return
        if "router" not in scope:
            scope["router"] = router

        found = self.match_scope(scope)
        if found is not None:
            route, child_scope = found
            scope["route"] = route
            scope.update(child_scope)
            if self._on_route is not None:
                self._on_route(scope, route)
            await route.handle(scope, receive, send)
            return

        route_path = get_route_path(scope)
        if scope_type == "http" and router.redirect_slashes and route_path != "/":
            redirect_scope = dict(scope)
            if route_path.endswith("/"):
                redirect_scope["path"] = redirect_scope["path"].rstrip("/")
            else:
                redirect_scope["path"] = redirect_scope["path"] + "/"
            redirect_path = get_route_path(redirect_scope)
            redirect_to = self._compiled.http.resolve(scope["method"], redirect_path)
            if redirect_to is not None:
                if self._on_route is not None:
                    self._on_route(scope, redirect_to[0][1])
                response = RedirectResponse(url=str(URL(scope=redirect_scope)))
                await response(scope, receive, send)
                return
        await router.default(scope, receive, send)


def _mount_scope(
    app: Any,
    scope: Scope,
    route_path: str,
    params: dict[str, Any],
    inherited: dict[str, Any] | None,
) -> dict[str, Any]:
    # What Mount.matches puts in the child scope, built from the tree's match.
    remaining_path = "/" + params.pop("path")
    matched_path = route_path[: -len(remaining_path)]
    if inherited:
        params = {**inherited, **params}
    root_path = scope.get("root_path", "")
    return {
        "path_params": params,
        "app_root_path": scope.get("app_root_path", root_path),
        "root_path": root_path + matched_path,
        "endpoint": app,
    }
