# SPDX-License-Identifier: MIT
# fasterapi/applications.py: the application class
"""``FasterAPI`` (also importable as ``FastAPI``): a Starlette application whose router is an
:class:`~fasterapi.routing.APIRouter`, with the OpenAPI document and the docs pages.

Example::

    from fasterapi import FasterAPI

    app = FasterAPI(title="Inventory")

    @app.get("/items/{item_id}")
    async def read_item(item_id: int, q: str | None = None):
        return {"item_id": item_id, "q": q}
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import State
from starlette.exceptions import HTTPException, WebSocketException
from starlette.middleware import Middleware
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Lifespan, Receive, Scope, Send

from . import params, routing
from ._body_limit import AppBodyLimit
from ._exception_boundary import ExceptionBoundary, ServerErrorBoundary
from ._limits import validate_max_body_size
from .datastructures import Default
from .exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
    websocket_exception_handler,
    websocket_request_validation_exception_handler,
)
from .exceptions import (
    FastAPIDeprecationWarning,
    FasterAPIError,
    RequestValidationError,
    WebSocketRequestValidationError,
)
from .openapi.docs import _REDOC_JS as _CDN_REDOC_JS
from .openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from .openapi.utils import get_openapi
from .telemetry import TelemetryConfig
from .telemetry._asgi import ExceptionTelemetryMiddleware, NativeTelemetry, _legacy_otel
from .telemetry._runtime import lifespan as telemetry_lifespan
from .utils import generate_unique_id


class FasterAPI(Starlette):
    """The application: routes, dependencies, middleware, exception handlers, lifespan and
    the OpenAPI document (served at *openapi_url*, with Swagger UI at *docs_url* and ReDoc
    at *redoc_url*)."""

    def __init__(
        self,
        *,
        debug: bool = False,
        routes: list[BaseRoute] | None = None,
        title: str = "FastAPI",
        summary: str | None = None,
        description: str = "",
        version: str = "0.1.0",
        openapi_url: str | None = "/openapi.json",
        openapi_tags: list[dict[str, Any]] | None = None,
        servers: list[dict[str, Any]] | None = None,
        dependencies: Sequence[params.Depends] | None = None,
        default_response_class: type[Response] = Default(JSONResponse),
        redirect_slashes: bool = True,
        docs_url: str | None = "/docs",
        redoc_url: str | None = "/redoc",
        swagger_ui_oauth2_redirect_url: str | None = "/docs/oauth2-redirect",
        swagger_ui_init_oauth: dict[str, Any] | None = None,
        middleware: Sequence[Middleware] | None = None,
        exception_handlers: dict[Any, Callable[[Request, Any], Any]] | None = None,
        on_startup: Sequence[Callable[[], Any]] | None = None,
        on_shutdown: Sequence[Callable[[], Any]] | None = None,
        lifespan: Lifespan[Any] | None = None,
        terms_of_service: str | None = None,
        contact: dict[str, str | Any] | None = None,
        license_info: dict[str, str | Any] | None = None,
        openapi_prefix: str = "",
        root_path: str = "",
        root_path_in_servers: bool = True,
        responses: dict[int | str, dict[str, Any]] | None = None,
        callbacks: list[BaseRoute] | None = None,
        webhooks: routing.APIRouter | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        swagger_ui_parameters: dict[str, Any] | None = None,
        generate_unique_id_function: Callable[[routing.APIRoute], str] = Default(
            generate_unique_id
        ),
        separate_input_output_schemas: bool = True,
        openapi_external_docs: dict[str, Any] | None = None,
        strict_content_type: bool = Default(True),
        docs_assets: str = "bundled",
        max_body_size: int | None = None,
        form_limits: dict[str, int] | None = None,
        telemetry: TelemetryConfig | None = None,
        **extra: Any,
    ) -> None:
        if docs_assets not in ("bundled", "cdn"):
            raise ValueError(f"docs_assets must be 'bundled' or 'cdn', not {docs_assets!r}")
        self.debug = debug
        self.title = title
        self.summary = summary
        self.description = description
        self.version = version
        self.terms_of_service = terms_of_service
        self.contact = contact
        self.license_info = license_info
        self.openapi_url = openapi_url
        self.openapi_tags = openapi_tags
        self.root_path_in_servers = root_path_in_servers
        self.docs_url = docs_url
        self.redoc_url = redoc_url
        self.swagger_ui_oauth2_redirect_url = swagger_ui_oauth2_redirect_url
        self.swagger_ui_init_oauth = swagger_ui_init_oauth
        self.swagger_ui_parameters = swagger_ui_parameters
        self.servers = servers or []
        self.separate_input_output_schemas = separate_input_output_schemas
        self.openapi_external_docs = openapi_external_docs
        self.docs_assets = docs_assets
        self.max_body_size = validate_max_body_size(max_body_size)
        self.extra = extra
        self.openapi_version = "3.1.0"
        self.openapi_schema: dict[str, Any] | None = None
        self._openapi_route_count = -1
        if self.openapi_url and not self.openapi_url.startswith("/"):
            raise FasterAPIError(f"openapi_url must start with '/': {self.openapi_url!r}")
        if self.openapi_url:
            if not self.title:
                raise FasterAPIError("A title must be provided for OpenAPI, e.g.: 'My API'")
            if not self.version:
                raise FasterAPIError("A version must be provided for OpenAPI, e.g.: '2.1.0'")
        if root_path:
            warnings.warn(
                "The `root_path` parameter is deprecated. Configure the server's root path "
                "instead, for example with `fastapi run --root-path /api/v1`.",
                FastAPIDeprecationWarning,
                stacklevel=2,
            )
        if openapi_prefix:
            warnings.warn(
                '"openapi_prefix" has been deprecated in favor of "root_path", which '
                "follows more closely the ASGI standard, is simpler, and more automatic.",
                FastAPIDeprecationWarning,
                stacklevel=2,
            )
        self.root_path = root_path or openapi_prefix
        self.state: State = State()
        self.dependency_overrides: dict[Callable[..., Any], Callable[..., Any]] = {}
        self.webhooks = webhooks or routing.APIRouter()
        self.router: routing.APIRouter = routing.APIRouter(
            routes=routes,
            redirect_slashes=redirect_slashes,
            dependency_overrides_provider=self,
            on_startup=on_startup,
            on_shutdown=on_shutdown,
            lifespan=lifespan,
            default_response_class=default_response_class,
            dependencies=dependencies,
            callbacks=callbacks,
            deprecated=deprecated,
            include_in_schema=include_in_schema,
            responses=responses,
            generate_unique_id_function=generate_unique_id_function,
            strict_content_type=strict_content_type,
            max_body_size=self.max_body_size,
            form_limits=form_limits,
        )
        self.exception_handlers: dict[
            Any, Callable[[Request, Any], Response | Awaitable[Response]]
        ] = {} if exception_handlers is None else dict(exception_handlers)
        self.exception_handlers.setdefault(HTTPException, http_exception_handler)
        self.exception_handlers.setdefault(
            RequestValidationError, request_validation_exception_handler
        )
        self.exception_handlers.setdefault(
            WebSocketException,
            websocket_exception_handler,  # type: ignore[arg-type]
        )
        self.exception_handlers.setdefault(
            WebSocketRequestValidationError,
            websocket_request_validation_exception_handler,  # type: ignore[arg-type]
        )
        self._telemetry: TelemetryConfig = {
            "tracer_provider": None,
            "meter_provider": None,
            "logger_provider": None,
            "tracing": True,
            "metrics": True,
            "logs": True,
            "operation_spans": True,
            "auto_configure": os.getenv("FASTAPI_OTEL_AUTO_CONFIGURE", "").lower() == "true",
            "exclude": None,
            **(telemetry or {}),
        }
        self._native_telemetry = NativeTelemetry(self._telemetry)
        # Whether opentelemetry-instrumentation-asgi wraps the stack, found once per stack.
        self._legacy_otel: tuple[ASGIApp | None, bool] = (None, False)
        self.user_middleware: list[Middleware] = list(middleware or [])
        self.middleware_stack: ASGIApp | None = None
        self.setup()

    def build_middleware_stack(self) -> ASGIApp:
        error_handler = None
        handlers: dict[Any, Any] = {}
        status_handlers: dict[int, Any] = {}
        for key, value in self.exception_handlers.items():
            if key in (500, Exception):
                error_handler = value
            elif isinstance(key, int):
                status_handlers[key] = value
            else:
                handlers[key] = value
        if not self.user_middleware and self.max_body_size is None:
            # One layer does both jobs (see ServerErrorBoundary).
            return ServerErrorBoundary(
                self.router, handlers, status_handlers, handler=error_handler, debug=self.debug
            )
        layers = [
            Middleware(ServerErrorMiddleware, handler=error_handler, debug=self.debug),
            Middleware(ExceptionTelemetryMiddleware),
            Middleware(AppBodyLimit, max_body_size=self.max_body_size),
            *self.user_middleware,
            Middleware(ExceptionBoundary, handlers=handlers, status_handlers=status_handlers),
        ]
        app: ASGIApp = self.router
        for cls, args, kwargs in reversed(layers):
            app = cls(app, *args, **kwargs)
        return app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.root_path:
            scope["root_path"] = self.root_path
        scope["app"] = self
        if self.middleware_stack is None:
            self.middleware_stack = self.build_middleware_stack()
        kind = scope["type"]
        if kind == "lifespan":
            await telemetry_lifespan(
                config=self._telemetry,
                app=self.middleware_stack,
                scope=scope,
                receive=receive,
                send=send,
            )
            return
        if (
            kind not in ("http", "websocket")
            or "fastapi.telemetry" in scope  # an enclosing application records it
            or not self._native_telemetry.enabled()
        ):
            await self.middleware_stack(scope, receive, send)
            return
        await self._native_telemetry(
            app=self.middleware_stack,
            scope=scope,
            receive=receive,
            send=send,
            legacy_otel=self._instrumented_elsewhere(self.middleware_stack),
        )

    def _instrumented_elsewhere(self, stack: ASGIApp) -> bool:
        known, answer = self._legacy_otel
        if known is not stack:
            answer = _legacy_otel(stack)
            self._legacy_otel = (stack, answer)
        return answer

    # --- OpenAPI and docs ------------------------------------------------------------------

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI document, generated on first use (and again when routes were added
        since)."""
        if not self.openapi_schema or self._openapi_route_count != len(self.routes):
            self.openapi_schema = get_openapi(
                title=self.title,
                version=self.version,
                openapi_version=self.openapi_version,
                summary=self.summary,
                description=self.description,
                terms_of_service=self.terms_of_service,
                contact=self.contact,
                license_info=self.license_info,
                routes=self.routes,
                webhooks=self.webhooks.routes,
                tags=self.openapi_tags,
                servers=self.servers,
                separate_input_output_schemas=self.separate_input_output_schemas,
                external_docs=self.openapi_external_docs,
            )
            self._openapi_route_count = len(self.routes)
        return self.openapi_schema

    def setup(self) -> None:
        if self.openapi_url:
            self.add_route(self.openapi_url, self._openapi_endpoint, include_in_schema=False)
        if self.openapi_url and self.docs_url:
            self.add_route(self.docs_url, self._swagger_ui_endpoint, include_in_schema=False)
            if self.swagger_ui_oauth2_redirect_url:
                self.add_route(
                    self.swagger_ui_oauth2_redirect_url,
                    self._swagger_ui_redirect_endpoint,
                    include_in_schema=False,
                )
        if self.openapi_url and self.redoc_url:
            self.add_route(self.redoc_url, self._redoc_endpoint, include_in_schema=False)
        if self.docs_assets == "bundled" and self.openapi_url and (self.docs_url or self.redoc_url):
            from .openapi.assets import DOCS_ASSETS_PATH, docs_assets_app

            self.mount(DOCS_ASSETS_PATH, docs_assets_app(), name="fasterapi-docs-assets")

    async def _openapi_endpoint(self, request: Request) -> JSONResponse:
        root_path = request.scope.get("root_path", "").rstrip("/")
        schema = self.openapi()
        if root_path and self.root_path_in_servers:
            server_urls = {server.get("url") for server in schema.get("servers", [])}
            if root_path not in server_urls:
                schema = {**schema, "servers": [{"url": root_path}, *schema.get("servers", [])]}
        return JSONResponse(schema)

    def _asset_urls(self, root_path: str) -> dict[str, str]:
        if self.docs_assets == "cdn":
            return {}
        from .openapi.assets import asset_urls

        return asset_urls(root_path)

    async def _swagger_ui_endpoint(self, request: Request) -> HTMLResponse:
        root_path = request.scope.get("root_path", "").rstrip("/")
        redirect_url = self.swagger_ui_oauth2_redirect_url
        return get_swagger_ui_html(
            openapi_url=root_path + (self.openapi_url or ""),
            title=f"{self.title} - Swagger UI",
            oauth2_redirect_url=root_path + redirect_url if redirect_url else None,
            init_oauth=self.swagger_ui_init_oauth,
            swagger_ui_parameters=self.swagger_ui_parameters,
            **{
                key: url
                for key, url in self._asset_urls(root_path).items()
                if key.startswith("swagger_")
            },
        )

    async def _swagger_ui_redirect_endpoint(self, request: Request) -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    async def _redoc_endpoint(self, request: Request) -> HTMLResponse:
        root_path = request.scope.get("root_path", "").rstrip("/")
        urls = self._asset_urls(root_path)
        return get_redoc_html(
            openapi_url=root_path + (self.openapi_url or ""),
            title=f"{self.title} - ReDoc",
            redoc_js_url=urls.get("redoc_js_url", _CDN_REDOC_JS),
        )

    # --- routes ----------------------------------------------------------------------------

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        self.router.add_api_route(path, endpoint, **options)

    def api_route(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        return self.router.api_route(path, **options)

    def add_api_websocket_route(
        self, path: str, endpoint: Callable[..., Any], name: str | None = None, **options: Any
    ) -> None:
        self.router.add_api_websocket_route(path, endpoint, name=name, **options)

    def websocket(
        self, path: str, name: str | None = None, **options: Any
    ) -> Callable[[Callable[..., Any]], Any]:
        return self.router.websocket(path, name=name, **options)

    def frontend(self, path: str, **options: Any) -> None:
        """Serve a frontend build under *path* (see :meth:`APIRouter.frontend`)."""
        self.router.frontend(path, **options)

    def include_router(self, router: routing.APIRouter, **options: Any) -> None:
        self.router.include_router(router, **options)

    def get(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        return self.router.get(path, **options)

    def put(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        return self.router.put(path, **options)

    def post(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        return self.router.post(path, **options)

    def delete(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        return self.router.delete(path, **options)

    def options(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        return self.router.options(path, **options)

    def head(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        return self.router.head(path, **options)

    def patch(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        return self.router.patch(path, **options)

    def trace(self, path: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
        return self.router.trace(path, **options)

    def websocket_route(
        self, path: str, name: str | None = None
    ) -> Callable[[Callable[..., Any]], Any]:
        return self.router.websocket_route(path, name=name)

    def on_event(self, event_type: str) -> Callable[[Callable[..., Any]], Any]:
        return self.router.on_event(event_type)

    def add_event_handler(self, event_type: str, func: Callable[..., Any]) -> None:
        self.router.add_event_handler(event_type, func)

    def middleware(self, middleware_type: str) -> Callable[[Callable[..., Any]], Any]:
        """``@app.middleware("http")``: a function ``(request, call_next) -> response``."""
        from starlette.middleware.base import BaseHTTPMiddleware

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            self.add_middleware(BaseHTTPMiddleware, dispatch=func)
            return func

        return decorator

    def exception_handler(
        self, exc_class_or_status_code: int | type[Exception]
    ) -> Callable[[Callable[..., Any]], Any]:
        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            self.add_exception_handler(exc_class_or_status_code, func)
            return func

        return decorator


FastAPI = FasterAPI
