# SPDX-License-Identifier: MIT
# fasterapi/routing.py: APIRouter (routes on the native tree), WebSocket routes, APIRoute
"""Routes and routers, as in FastAPI.

An :class:`APIRoute` analyses its endpoint once and compiles a
:class:`~fasterapi._plan.RoutePlan`; handling a request runs the plan (no per-request
signature work). An :class:`APIRouter` matches paths with ``fasterapi-router``'s radix tree
(Starlette's first-match semantics kept), and ``include_router`` copies routes with prefixes,
tags and dependencies as FastAPI does.

Example::

    router = APIRouter(prefix="/items", tags=["items"])

    @router.get("/{item_id}")
    async def read_item(item_id: int):
        return {"item_id": item_id}

    app.include_router(router)
"""

from __future__ import annotations

import inspect
import os
import warnings
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from enum import Enum
from typing import Any, Literal

from starlette import routing
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Match, compile_path
from starlette.routing import Mount as Mount  # FastAPI's routing module exports it
from starlette.types import ASGIApp, Lifespan, Receive, Scope, Send
from starlette.websockets import WebSocket

from fasterapi_router.starlette import TreeDispatch, same_matching

from . import params
from ._frontend import FrontendRoute, best_match, join_paths, normalize_path, resolve_check_dir
from ._limits import (
    FORM_LIMITS_SCOPE_KEY,
    first_set,
    validate_form_limits,
    validate_max_body_size,
)
from ._observed import call_endpoint_observed, solve_observed
from ._plan import PlanCache
from ._route import APIRoute as APIRoute
from ._route import ResponseField as ResponseField
from ._route import _endpoint_context
from ._run import call_step, solve
from .datastructures import Default, DefaultPlaceholder
from .dependencies.utils import (
    get_dependant,
    get_parameterless_sub_dependant,
)
from .exceptions import (
    FasterAPIError,
    RouterInclusionError,
    WebSocketRequestValidationError,
)
from .sse import _PING_INTERVAL as _PING_INTERVAL  # here, as in FastAPI (tests patch it)
from .telemetry._api import _route_selected, _validation_failed, current_request_telemetry
from .utils import generate_unique_id, get_value_or_default


class APIWebSocketRoute(routing.WebSocketRoute):
    """A WebSocket endpoint whose parameters and dependencies work as for HTTP routes."""

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        name: str | None = None,
        dependencies: Sequence[params.Depends] | None = None,
        dependency_overrides_provider: Any = None,
    ) -> None:
        self.path = path
        self.endpoint = endpoint
        self.name = routing.get_name(endpoint) if name is None else name
        self.dependencies = list(dependencies or [])
        self.path_regex, self.path_format, self.param_convertors = compile_path(path)
        self.dependant = get_dependant(path=self.path_format, call=self.endpoint)
        for depends in self.dependencies[::-1]:
            self.dependant.dependencies.insert(
                0, get_parameterless_sub_dependant(depends=depends, path=self.path_format)
            )
        self.dependency_overrides_provider = dependency_overrides_provider
        self._plans = PlanCache(self.dependant)
        self.plan = self._plans.plan
        self.app = self._session

    async def _session(self, scope: Scope, receive: Receive, send: Send) -> None:
        websocket = WebSocket(scope, receive, send)
        plan = self._plans.current(self.dependency_overrides_provider)
        record = current_request_telemetry()
        if record is not None and record.data is not None:
            record.data.websocket = websocket
        async with AsyncExitStack() as request_stack, AsyncExitStack() as function_stack:
            if record is None:
                solved = await solve(
                    plan, websocket, request_stack, function_stack, websocket=websocket
                )
            else:
                solved = await solve_observed(
                    record,
                    self.endpoint,
                    lambda observer: solve(
                        plan,
                        websocket,
                        request_stack,
                        function_stack,
                        websocket=websocket,
                        observer=observer,
                    ),
                )
            if solved.errors:
                context = dict(_endpoint_context(self.endpoint))
                mount_path = scope.get("root_path", "").rstrip("/")
                context["path"] = f"WS {mount_path}{self.path_format}"
                error = WebSocketRequestValidationError(
                    solved.errors,
                    endpoint_ctx=context,  # type: ignore[arg-type]
                )
                if record is not None:
                    _validation_failed(error)
                raise error
            endpoint_step = plan.steps[-1]
            if record is None:
                await call_step(endpoint_step, solved.arguments, request_stack)
            else:
                await call_endpoint_observed(
                    endpoint_step, solved.arguments, request_stack, self.endpoint
                )

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match != Match.NONE:
            child_scope["route"] = self
        return match, child_scope


# Its matches() adds the route to the child scope, which the tree's dispatch does too.
same_matching(APIWebSocketRoute, routing.WebSocketRoute)


def _name_request_after(scope: Scope, route: BaseRoute) -> None:
    """The router's choice, for a request that telemetry records (the span's name)."""
    if scope.get("fastapi.telemetry") is not None:
        _route_selected(
            scope=scope,
            path=getattr(route, "path_format", None),
            mount=isinstance(route, routing.Mount),
        )


class APIRouter(routing.Router):
    """A group of path operations with shared prefix, tags, dependencies and responses."""

    def __init__(
        self,
        *,
        prefix: str = "",
        tags: list[str | Enum] | None = None,
        dependencies: Sequence[params.Depends] | None = None,
        default_response_class: type[Response] = Default(JSONResponse),
        responses: dict[int | str, dict[str, Any]] | None = None,
        callbacks: list[BaseRoute] | None = None,
        routes: list[BaseRoute] | None = None,
        redirect_slashes: bool = True,
        default: ASGIApp | None = None,
        dependency_overrides_provider: Any = None,
        route_class: type[APIRoute] = APIRoute,
        on_startup: Sequence[Callable[[], Any]] | None = None,
        on_shutdown: Sequence[Callable[[], Any]] | None = None,
        lifespan: Lifespan[Any] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        generate_unique_id_function: Callable[[APIRoute], str] = Default(generate_unique_id),
        strict_content_type: bool = Default(True),
        max_body_size: int | None = None,
        form_limits: dict[str, int] | None = None,
    ) -> None:
        self.max_body_size = validate_max_body_size(max_body_size)
        self.form_limits = validate_form_limits(form_limits)
        super().__init__(
            routes=routes,
            redirect_slashes=redirect_slashes,
            default=default,
            lifespan=lifespan,
        )
        if prefix:
            if not prefix.startswith("/"):
                raise FasterAPIError(f"A path prefix must start with '/': {prefix!r}")
            if prefix.endswith("/"):
                raise FasterAPIError(
                    f"A path prefix must not end with '/', as the routes will start with '/': "
                    f"{prefix!r}"
                )
        self.on_startup = list(on_startup or [])
        self.on_shutdown = list(on_shutdown or [])
        self.prefix = prefix
        self.tags: list[str | Enum] = tags or []
        self.dependencies = list(dependencies or [])
        self.deprecated = deprecated
        self.include_in_schema = include_in_schema
        self.responses = responses or {}
        self.callbacks = callbacks or []
        self.dependency_overrides_provider = dependency_overrides_provider
        self.route_class = route_class
        self.default_response_class = default_response_class
        self.generate_unique_id_function = generate_unique_id_function
        self.strict_content_type = strict_content_type
        if lifespan is None:
            self.lifespan_context = _EventHandlersLifespan(self)
        # Frontends are tried after every route (and slash redirect), before the 404.
        self.frontend_routes: list[FrontendRoute] = []
        self._not_found = self.default
        self.default = self._frontend_or_default
        self._tree = TreeDispatch(self, fallback=super().app, on_route=_name_request_after)

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.form_limits and scope["type"] == "http":
            scope[FORM_LIMITS_SCOPE_KEY] = {
                **scope.get(FORM_LIMITS_SCOPE_KEY, {}),
                **self.form_limits,
            }
        await self._tree(scope, receive, send)

    async def _frontend_or_default(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.frontend_routes and scope["type"] == "http":
            _, route, child_scope = best_match(self.frontend_routes, scope)
            if route is not None:
                scope.update(child_scope)
                if scope.get("fastapi.telemetry") is not None:
                    _route_selected(scope=scope, path=route.path.rstrip("/") + "/{path}")
                await route.handle(scope, receive, send)
                return
        await self._not_found(scope, receive, send)

    def frontend(
        self,
        path: str,
        *,
        directory: str | os.PathLike[str],
        fallback: Literal["auto", "index.html", "404.html"] | None = "auto",
        check_dir: bool | Literal["auto"] = "auto",
    ) -> None:
        """Serve the frontend build in *directory* under *path*, after every other route
        (see :mod:`fasterapi._frontend`); this router's dependencies run first."""
        self.frontend_routes.append(
            FrontendRoute(
                join_paths(self.prefix, normalize_path(path)),
                directory=directory,
                fallback=fallback,
                check_dir=resolve_check_dir(directory, check_dir),
                dependencies=self.dependencies,
                dependency_overrides_provider=self.dependency_overrides_provider,
            )
        )

    # --- adding routes ---------------------------------------------------------------------

    def add_api_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        response_model: Any = Default(None),
        status_code: int | None = None,
        tags: list[str | Enum] | None = None,
        dependencies: Sequence[params.Depends] | None = None,
        summary: str | None = None,
        description: str | None = None,
        response_description: str = "Successful Response",
        responses: dict[int | str, dict[str, Any]] | None = None,
        deprecated: bool | None = None,
        methods: set[str] | list[str] | None = None,
        operation_id: str | None = None,
        response_model_include: Any = None,
        response_model_exclude: Any = None,
        response_model_by_alias: bool = True,
        response_model_exclude_unset: bool = False,
        response_model_exclude_defaults: bool = False,
        response_model_exclude_none: bool = False,
        include_in_schema: bool = True,
        response_class: type[Response] | DefaultPlaceholder = Default(JSONResponse),
        name: str | None = None,
        route_class_override: type[APIRoute] | None = None,
        callbacks: list[BaseRoute] | None = None,
        openapi_extra: dict[str, Any] | None = None,
        generate_unique_id_function: Callable[[APIRoute], str] | DefaultPlaceholder = Default(
            generate_unique_id
        ),
        strict_content_type: bool | DefaultPlaceholder = Default(True),
        max_body_size: int | None = None,
        form_limits: dict[str, int] | None = None,
        inherited_form_limits: dict[str, int] | None = None,
    ) -> None:
        route_class = route_class_override or self.route_class
        responses = responses or {}
        combined_responses = {**self.responses, **responses}
        current_response_class = get_value_or_default(response_class, self.default_response_class)
        current_tags = [*self.tags, *(tags or [])]
        current_dependencies = [*self.dependencies, *(dependencies or [])]
        current_callbacks = [*self.callbacks, *(callbacks or [])]
        current_generate_unique_id = get_value_or_default(
            generate_unique_id_function, self.generate_unique_id_function
        )
        route = route_class(
            self.prefix + path,
            endpoint=endpoint,
            response_model=response_model,
            status_code=status_code,
            tags=current_tags,
            dependencies=current_dependencies,
            summary=summary,
            description=description,
            response_description=response_description,
            responses=combined_responses,
            deprecated=deprecated or self.deprecated,
            methods=methods,
            operation_id=operation_id,
            response_model_include=response_model_include,
            response_model_exclude=response_model_exclude,
            response_model_by_alias=response_model_by_alias,
            response_model_exclude_unset=response_model_exclude_unset,
            response_model_exclude_defaults=response_model_exclude_defaults,
            response_model_exclude_none=response_model_exclude_none,
            include_in_schema=include_in_schema and self.include_in_schema,
            response_class=current_response_class,
            name=name,
            dependency_overrides_provider=self.dependency_overrides_provider,
            callbacks=current_callbacks,
            openapi_extra=openapi_extra,
            generate_unique_id_function=current_generate_unique_id,
            strict_content_type=get_value_or_default(strict_content_type, self.strict_content_type),
            max_body_size=first_set(validate_max_body_size(max_body_size), self.max_body_size),
            form_limits=form_limits,
            inherited_form_limits={**self.form_limits, **(inherited_form_limits or {})},
        )
        self.routes.append(route)

    def api_route(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        """Decorator form of :meth:`add_api_route`."""

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            self.add_api_route(path, func, **options)
            return func

        return decorator

    def add_api_websocket_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        name: str | None = None,
        *,
        dependencies: Sequence[params.Depends] | None = None,
    ) -> None:
        route = APIWebSocketRoute(
            self.prefix + path,
            endpoint=endpoint,
            name=name,
            dependencies=[*self.dependencies, *(dependencies or [])],
            dependency_overrides_provider=self.dependency_overrides_provider,
        )
        self.routes.append(route)

    def websocket(
        self,
        path: str,
        name: str | None = None,
        *,
        dependencies: Sequence[params.Depends] | None = None,
    ) -> Callable[[Callable[..., Any]], Any]:
        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            self.add_api_websocket_route(path, func, name=name, dependencies=dependencies)
            return func

        return decorator

    def websocket_route(
        self, path: str, name: str | None = None
    ) -> Callable[[Callable[..., Any]], Any]:
        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            self.add_websocket_route(path, func, name=name)
            return func

        return decorator

    def route(
        self,
        path: str,
        methods: list[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> Callable[[Callable[..., Any]], Any]:
        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            self.add_route(
                path, func, methods=methods, name=name, include_in_schema=include_in_schema
            )
            return func

        return decorator

    def get(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        return self.api_route(path, methods=["GET"], **options)

    def put(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        return self.api_route(path, methods=["PUT"], **options)

    def post(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        return self.api_route(path, methods=["POST"], **options)

    def delete(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        return self.api_route(path, methods=["DELETE"], **options)

    def options(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        return self.api_route(path, methods=["OPTIONS"], **options)

    def head(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        return self.api_route(path, methods=["HEAD"], **options)

    def patch(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        return self.api_route(path, methods=["PATCH"], **options)

    def trace(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        return self.api_route(path, methods=["TRACE"], **options)

    # --- composing routers -----------------------------------------------------------------

    def include_router(
        self,
        router: APIRouter,
        *,
        prefix: str = "",
        tags: list[str | Enum] | None = None,
        dependencies: Sequence[params.Depends] | None = None,
        default_response_class: type[Response] = Default(JSONResponse),
        responses: dict[int | str, dict[str, Any]] | None = None,
        callbacks: list[BaseRoute] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        generate_unique_id_function: Callable[[APIRoute], str] = Default(generate_unique_id),
        max_body_size: int | None = None,
        form_limits: dict[str, int] | None = None,
    ) -> None:
        """Copy *router*'s routes into this one under *prefix*, adding *tags*,
        *dependencies* and *responses* to each."""
        if router is self:
            raise RouterInclusionError(
                "Cannot include the same APIRouter instance into itself. "
                "Did you mean to include a different router?"
            )
        include_limit = validate_max_body_size(max_body_size)
        include_form_limits = validate_form_limits(form_limits)
        if prefix:
            if not prefix.startswith("/"):
                raise RouterInclusionError(f"A path prefix must start with '/': {prefix!r}")
            if prefix.endswith("/"):
                raise RouterInclusionError(
                    f"A path prefix must not end with '/', as the routes will start with '/': "
                    f"{prefix!r}"
                )
        else:
            for route in router.routes:
                path = getattr(route, "path", None)
                name = getattr(route, "name", "unknown")
                if path is not None and not path:
                    raise FasterAPIError(
                        f"Prefix and path cannot be both empty (path operation: {name})"
                    )
        responses = responses or {}
        for route in router.routes:
            if isinstance(route, APIRoute):
                combined_responses = {**responses, **route.responses}
                use_response_class = get_value_or_default(
                    route.response_class,
                    router.default_response_class,
                    default_response_class,
                    self.default_response_class,
                )
                self.add_api_route(
                    prefix + route.path,
                    route.endpoint,
                    response_model=route._declared_response_model,
                    status_code=route.status_code,
                    tags=[*(tags or []), *route.tags],
                    dependencies=[*(dependencies or []), *route.dependencies],
                    summary=route.summary,
                    description=route.description,
                    response_description=route.response_description,
                    responses=combined_responses,
                    deprecated=route.deprecated or deprecated or self.deprecated,
                    methods=route.methods,
                    operation_id=route.operation_id,
                    response_model_include=route.response_model_include,
                    response_model_exclude=route.response_model_exclude,
                    response_model_by_alias=route.response_model_by_alias,
                    response_model_exclude_unset=route.response_model_exclude_unset,
                    response_model_exclude_defaults=route.response_model_exclude_defaults,
                    response_model_exclude_none=route.response_model_exclude_none,
                    include_in_schema=route.include_in_schema
                    and self.include_in_schema
                    and include_in_schema,
                    response_class=use_response_class,
                    name=route.name,
                    route_class_override=type(route),
                    callbacks=[*(callbacks or []), *(route.callbacks or [])],
                    openapi_extra=route.openapi_extra,
                    generate_unique_id_function=get_value_or_default(
                        route.generate_unique_id_function,
                        router.generate_unique_id_function,
                        generate_unique_id_function,
                        self.generate_unique_id_function,
                    ),
                    strict_content_type=get_value_or_default(
                        route.strict_content_type,
                        router.strict_content_type,
                        self.strict_content_type,
                    ),
                    max_body_size=first_set(route.max_body_size, include_limit),
                    form_limits=route.form_limits,
                    inherited_form_limits={**include_form_limits, **route.inherited_form_limits},
                )
            elif isinstance(route, routing.Route):
                self.add_route(
                    prefix + route.path,
                    route.endpoint,
                    methods=list(route.methods or []),
                    include_in_schema=route.include_in_schema,
                    name=route.name,
                )
            elif isinstance(route, APIWebSocketRoute):
                self.add_api_websocket_route(
                    prefix + route.path,
                    route.endpoint,
                    name=route.name,
                    dependencies=[*(dependencies or []), *route.dependencies],
                )
            elif isinstance(route, routing.WebSocketRoute):
                self.add_websocket_route(prefix + route.path, route.endpoint, name=route.name)
            elif isinstance(route, routing.Mount) and (prefix or include_limit is not None):
                mount = routing.Mount(prefix + route.path, route.app, name=route.name)
                if include_limit is not None:
                    # Wrapped after construction: the mount's routes stay the app's own.
                    mount.app = RequestBodyLimitMiddleware(mount.app, max_body_size=include_limit)
                self.routes.append(mount)
            else:
                self.routes.append(route)
        for frontend in router.frontend_routes:
            self.frontend_routes.append(
                frontend.with_prefix(
                    prefix,
                    [*self.dependencies, *(dependencies or [])],
                    self.dependency_overrides_provider,
                )
            )
        for handler in router.on_startup:
            self.add_event_handler("startup", handler)
        for handler in router.on_shutdown:
            self.add_event_handler("shutdown", handler)
        self.lifespan_context = _merge_lifespans(self.lifespan_context, router.lifespan_context)

    def add_event_handler(self, event_type: str, func: Callable[[], Any]) -> None:
        if event_type not in ("startup", "shutdown"):
            raise ValueError(f"event_type must be 'startup' or 'shutdown', not {event_type!r}")
        (self.on_startup if event_type == "startup" else self.on_shutdown).append(func)

    def on_event(self, event_type: str) -> Callable[[Callable[..., Any]], Any]:
        """Deprecated: use a lifespan instead (as in FastAPI)."""
        warnings.warn(
            "on_event is deprecated, use lifespan event handlers instead.",
            DeprecationWarning,
            stacklevel=2,
        )

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            self.add_event_handler(event_type, func)
            return func

        return decorator

    async def startup(self) -> None:
        for handler in self.on_startup:
            if inspect.iscoroutinefunction(handler):
                await handler()
            else:
                handler()

    async def shutdown(self) -> None:
        for handler in self.on_shutdown:
            if inspect.iscoroutinefunction(handler):
                await handler()
            else:
                handler()


class _EventHandlersLifespan:
    """The lifespan of a router without one: runs its startup and shutdown handlers."""

    def __init__(self, router: APIRouter) -> None:
        self._router = router

    async def __aenter__(self) -> None:
        await self._router.startup()

    async def __aexit__(self, *exc_info: object) -> None:
        await self._router.shutdown()

    def __call__(self, app: object) -> _EventHandlersLifespan:
        return self


def _merge_lifespans(outer: Any, inner: Any) -> Any:
    """A lifespan that runs *outer* around *inner* (an included router's), merging the
    state they yield."""
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def merged(app: Any) -> Any:
        async with outer(app) as outer_state, inner(app) as inner_state:
            if outer_state is None and inner_state is None:
                yield None
            else:
                yield {**(inner_state or {}), **(outer_state or {})}

    return merged
