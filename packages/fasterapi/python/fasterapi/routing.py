# SPDX-License-Identifier: MIT
# fasterapi/routing.py: APIRoute (a compiled endpoint), APIRouter (routes on the native tree)
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

import collections.abc
import functools
import inspect
import json
import os
import typing
import warnings
from collections.abc import Callable, Coroutine, Sequence
from contextlib import AsyncExitStack
from enum import Enum
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError
from pydantic.errors import PydanticSchemaGenerationError
from pydantic.fields import FieldInfo
from starlette import routing
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.body_limit import RequestBodyLimitResponder
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Match, compile_path
from starlette.types import ASGIApp, Lifespan, Receive, Scope, Send
from starlette.websockets import WebSocket

from fasterapi_router.starlette import TreeDispatch

from . import params
from ._exception_boundary import handle_exception
from ._frontend import FrontendRoute, best_match, join_paths, normalize_path, resolve_check_dir
from ._limits import first_set, validate_form_limits, validate_max_body_size
from ._plan import CALL_ASYNC, RoutePlan, compile_plan
from ._run import Solved, body_value, call_step, solve
from ._streaming import JSONL, RAW, SSE, ItemSerializer, event_stream, json_lines, raw_stream
from .datastructures import Default, DefaultPlaceholder
from .dependencies.models import Dependant, ModelField
from .dependencies.utils import (
    get_dependant,
    get_flat_dependant,
    get_parameterless_sub_dependant,
    get_typed_return_annotation,
    lenient_issubclass,
)
from .encoders import jsonable_encoder
from .exceptions import (
    EndpointContext,
    FasterAPIError,
    RequestValidationError,
    ResponseValidationError,
    WebSocketRequestValidationError,
)
from .sse import EventSourceResponse, ServerSentEvent
from .utils import generate_unique_id, get_value_or_default, is_body_allowed_for_status_code

_NO_BODY_RESPONSE = b""
# Where a customized route handler finds the request's exit stacks (FastAPI's keys, which
# code written for FastAPI may read).
REQUEST_STACK_KEY = "fastapi_inner_astack"
FUNCTION_STACK_KEY = "fastapi_function_astack"
# What solving gives an endpoint without parameters or dependencies.
_NOTHING_SOLVED = Solved()


def _endpoint_context(call: Any) -> EndpointContext:
    """Where the endpoint is defined, for error messages (best effort)."""
    context: EndpointContext = {}
    try:
        context["function"] = call.__name__
        context["file"] = inspect.getsourcefile(call) or ""
        context["line"] = inspect.getsourcelines(call)[1]
    except Exception:
        pass
    return context


class ResponseField:
    """Validates and serializes an endpoint's return value against its response model."""

    def __init__(self, name: str, annotation: Any) -> None:
        self.name = name
        self.annotation = annotation
        # The same field as the OpenAPI generator sees it.
        self.model_field = ModelField(
            name=name, field_info=FieldInfo(annotation=annotation), alias=name, mode="serialization"
        )
        try:
            self.adapter: TypeAdapter[Any] = TypeAdapter(annotation)
        except PydanticSchemaGenerationError as error:
            raise FasterAPIError(
                "Invalid args for response field! Hint: check that "
                f"{annotation} is a valid Pydantic field type. If you are using a return "
                "type annotation that is not a valid Pydantic field (e.g. Union[Response, "
                "dict, None]) you can disable generating the response model from the type "
                "annotation with the path operation decorator parameter response_model=None."
            ) from error

    def validate(self, value: Any, context: Callable[[], EndpointContext]) -> Any:
        """The validated value; ResponseValidationError (with *context()*, where the
        endpoint is) when it does not match."""
        try:
            return self.adapter.validate_python(value, from_attributes=True)
        except ValidationError as error:
            errors = [
                {**item, "loc": ("response", *item["loc"])}
                for item in error.errors(include_url=False)
            ]
            raise ResponseValidationError(errors, body=value, endpoint_ctx=context()) from None


class APIRoute(routing.Route):
    """One path operation: the endpoint, its compiled plan and its OpenAPI metadata."""

    def __init__(
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
        name: str | None = None,
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
        dependency_overrides_provider: Any = None,
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
        self.path = path
        self.endpoint = endpoint
        self.max_body_size = validate_max_body_size(max_body_size)
        # The route's own form limits, and the ones its routers set (its own win).
        self.form_limits = validate_form_limits(form_limits)
        self.inherited_form_limits = dict(inherited_form_limits or {})
        self._form_limits = {**self.inherited_form_limits, **self.form_limits}
        self.name = routing.get_name(endpoint) if name is None else name
        self.path_regex, self.path_format, self.param_convertors = compile_path(path)
        self.methods: set[str] = {method.upper() for method in (methods or ["GET"])}
        # As given (possibly the Default placeholder): include_router passes it on, so the
        # copy infers from the return annotation exactly as the original did.
        self._declared_response_model = response_model
        is_generator = _is_generator_function(endpoint)
        self.is_sse_stream = is_generator and lenient_issubclass(
            _actual(response_class), EventSourceResponse
        )
        self.is_json_stream = is_generator and isinstance(response_class, DefaultPlaceholder)
        self._stream_kind = (
            (SSE if self.is_sse_stream else JSONL if self.is_json_stream else RAW)
            if is_generator
            else None
        )
        self.stream_item_type: Any = None
        if isinstance(response_model, DefaultPlaceholder):
            annotation = get_typed_return_annotation(endpoint)
            item_type = _stream_item_type(annotation)
            if lenient_issubclass(annotation, Response):
                response_model = None
            elif item_type is not None and is_generator:
                if (self.is_json_stream or self.is_sse_stream) and not lenient_issubclass(
                    item_type, ServerSentEvent
                ):
                    self.stream_item_type = item_type
                response_model = None
            else:
                response_model = annotation
        self.response_model = response_model
        self.summary = summary
        self.response_description = response_description
        self.deprecated = deprecated
        self.operation_id = operation_id
        self.response_model_include = response_model_include
        self.response_model_exclude = response_model_exclude
        self.response_model_by_alias = response_model_by_alias
        self.response_model_exclude_unset = response_model_exclude_unset
        self.response_model_exclude_defaults = response_model_exclude_defaults
        self.response_model_exclude_none = response_model_exclude_none
        self.include_in_schema = include_in_schema
        self.response_class = response_class
        self.dependency_overrides_provider = dependency_overrides_provider
        self.callbacks = callbacks
        self.openapi_extra = openapi_extra
        self.generate_unique_id_function = generate_unique_id_function
        self.strict_content_type = strict_content_type
        self._strict_content_type = bool(_actual(strict_content_type))
        self.tags = tags or []
        self.responses = responses or {}
        self.status_code = status_code
        unique_id_function = _actual(generate_unique_id_function)
        self.unique_id = self.operation_id or unique_id_function(self)
        if isinstance(status_code, Enum):
            self.status_code = int(status_code.value)
        if self.response_model:
            if not is_body_allowed_for_status_code(self.status_code):
                raise FasterAPIError(f"Status code {status_code} must not have a response body")
            self.response_field: ResponseField | None = ResponseField(
                "Response_" + self.unique_id, self.response_model
            )
        else:
            self.response_field = None
        self._stream_item: ResponseField | None = None
        if self.stream_item_type is not None:
            self._stream_item = ResponseField("StreamItem_" + self.unique_id, self.stream_item_type)
        self.stream_item_field = self._stream_item.model_field if self._stream_item else None
        self.dependencies = list(dependencies or [])
        self.description = description or inspect.cleandoc(self.endpoint.__doc__ or "")
        self.description = self.description.split("\f")[0].strip()
        self.response_fields: dict[int | str, ModelField] = {}
        for code, response in self.responses.items():
            if not isinstance(response, dict):
                raise FasterAPIError(f"An additional response must be a dict (status {code!r})")
            model = response.get("model")
            if model:
                if not is_body_allowed_for_status_code(code):
                    raise FasterAPIError(f"Status code {code} must not have a response body")
                self.response_fields[code] = ResponseField(
                    f"Response_{code}_{self.unique_id}", model
                ).model_field
        self.dependant = get_dependant(path=self.path_format, call=self.endpoint, scope="function")
        for depends in self.dependencies[::-1]:
            self.dependant.dependencies.insert(
                0, get_parameterless_sub_dependant(depends=depends, path=self.path_format)
            )
        self._flat_dependant = get_flat_dependant(self.dependant)
        self.plan: RoutePlan = compile_plan(self.dependant)
        self._override_plans: dict[Any, RoutePlan] = {}
        self.body_field = _body_field(self)
        self._endpoint_context = _endpoint_context(endpoint)
        self._json_fast = (
            isinstance(response_class, DefaultPlaceholder) and response_class.value is JSONResponse
        )
        self._text_content_type = _plain_content_type(_actual(response_class))
        self._default_status = self.status_code or getattr(
            _actual(response_class), "status_code", None
        )
        # A subclass that overrides get_route_handler (FastAPI's customization point) gets
        # its handler called with a Request; the others run the plan directly.
        self._custom_handler = type(self).get_route_handler is not APIRoute.get_route_handler
        self._route_handler: Callable[[Request], Any] | None = None
        self.app = self.handle

    # --- request handling ------------------------------------------------------------------

    def current_plan(self) -> RoutePlan:
        """The plan, recompiled (once per distinct set) when dependency overrides apply."""
        provider = self.dependency_overrides_provider
        overrides = getattr(provider, "dependency_overrides", None)
        if not overrides:
            return self.plan
        key = tuple((id(k), id(v)) for k, v in overrides.items())
        plan = self._override_plans.get(key)
        if plan is None:
            if len(self._override_plans) > 64:
                self._override_plans.clear()
            plan = compile_plan(apply_overrides(self.dependant, overrides))
            self._override_plans[key] = plan
        return plan

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.max_body_size is not None:
            # Starlette's responder counts the bytes received; an enclosing limit (the
            # application's) is replaced by this one for the rest of the request.
            limited = RequestBodyLimitResponder(self._handle, self.max_body_size)
            await limited(scope, receive, send)
            return
        await self._handle(scope, receive, send)

    async def _handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in self.methods:
            headers = {"Allow": ", ".join(self.methods)}
            if "app" in scope:
                raise StarletteHTTPException(status_code=405, headers=headers)
            await PlainTextResponse("Method Not Allowed", status_code=405, headers=headers)(
                scope, receive, send
            )
            return
        if self._custom_handler:
            await self._handle_with_route_handler(scope, receive, send)
            return
        request = Request(scope, receive, send)
        plan = self.current_plan()
        started = False
        try:
            if not plan.needs_exit_stack and self._stream_kind != SSE:
                response = await self._respond(plan, request, None, None)
                started = True
                await response(scope, receive, send)
                return
            response = None
            async with AsyncExitStack() as request_stack:
                async with AsyncExitStack() as function_stack:
                    response = await self._respond(plan, request, request_stack, function_stack)
                started = True
                await response(scope, receive, send)
            if response is None:
                raise FasterAPIError(
                    "Response not awaited. There's a high chance that the application code "
                    "is raising an exception and a dependency with yield has a block with a "
                    "bare except, or a block with except Exception, and is not raising the "
                    "exception again."
                )
        except Exception as error:
            await handle_exception(request, error, started)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The function that answers a request: ``await handler(request)`` gives the
        Response. Override it to customize requests or responses for a route class::

            class TimedRoute(APIRoute):
                def get_route_handler(self):
                    handler = super().get_route_handler()

                    async def timed(request):
                        response = await handler(request)
                        response.headers["X-Elapsed"] = "..."
                        return response

                    return timed
        """

        async def route_handler(request: Request) -> Response:
            scope = request.scope
            response = await self._respond(
                self.current_plan(),
                request,
                scope.get(REQUEST_STACK_KEY),
                scope.get(FUNCTION_STACK_KEY),
                light=False,
            )
            return response  # type: ignore[no-any-return]

        return route_handler

    async def _handle_with_route_handler(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._route_handler is None:
            self._route_handler = self.get_route_handler()
        request = Request(scope, receive, send)
        started = False
        try:
            async with AsyncExitStack() as request_stack:
                scope[REQUEST_STACK_KEY] = request_stack
                async with AsyncExitStack() as function_stack:
                    scope[FUNCTION_STACK_KEY] = function_stack
                    response = await self._route_handler(request)
                started = True
                await response(scope, receive, send)
        except Exception as error:
            await handle_exception(request, error, started)

    async def _respond(
        self,
        plan: RoutePlan,
        request: Request,
        request_stack: AsyncExitStack | None,
        function_stack: AsyncExitStack | None,
        light: bool = True,
    ) -> Any:
        solved = (
            _NOTHING_SOLVED
            if plan.trivial
            else await solve(
                plan,
                request,
                request_stack,
                function_stack,
                form_limits=self._form_limits,
                strict_content_type=self._strict_content_type,
            )
        )
        if solved.errors:
            raise RequestValidationError(
                solved.errors,
                body=body_value(solved.body),
                endpoint_ctx=self._error_context(request),
            )
        endpoint_step = plan.steps[-1]
        if self._stream_kind is not None:
            return await self._stream(endpoint_step, solved, request, request_stack)
        raw = await call_step(endpoint_step, solved.arguments, request_stack)
        if isinstance(raw, Response):
            if raw.background is None:
                raw.background = solved.background
            return raw
        status = self._default_status
        sub_response = solved.response
        if sub_response is not None and sub_response.status_code:
            status = sub_response.status_code
        is_coroutine = endpoint_step.kind == CALL_ASYNC
        plain = light and solved.background is None and sub_response is None
        response = await self._serialize(raw, status, is_coroutine, request, plain)
        if not plain:
            response.background = solved.background
        if sub_response is not None:
            response.headers.raw.extend(sub_response.headers.raw)
        return response

    async def _stream(
        self,
        endpoint_step: Any,
        solved: Solved,
        request: Request,
        request_stack: AsyncExitStack | None,
    ) -> Response:
        """The streaming response of a generator endpoint (see fasterapi._streaming)."""
        generator = endpoint_step.call(**solved.arguments)
        args: dict[str, Any] = {"background": solved.background}
        status = self._default_status
        sub_response = solved.response
        if sub_response is not None and sub_response.status_code:
            status = sub_response.status_code
        if status is not None:
            args["status_code"] = status
        response: Response
        if self._stream_kind == SSE:
            assert request_stack is not None
            serializer = self._item_serializer(request)
            response = await event_stream(generator, serializer, args, request_stack)
        elif self._stream_kind == JSONL:
            response = json_lines(generator, self._item_serializer(request), args)
        else:
            response = raw_stream(generator, _actual(self.response_class), args)
        if sub_response is not None:
            response.headers.raw.extend(sub_response.headers.raw)
        return response

    def _item_serializer(self, request: Request) -> ItemSerializer:
        item = self._stream_item
        if item is None:
            return ItemSerializer(None, None)
        context = functools.partial(self._error_context, request)
        options = self._dump_options()
        return ItemSerializer(
            lambda value: item.validate(value, context),
            lambda value: item.adapter.dump_json(value, **options),
        )

    async def _serialize(
        self, raw: Any, status: int | None, is_coroutine: bool, request: Request, plain: bool
    ) -> Any:
        """The response for *raw*; *plain* allows the light JSON response (no background
        tasks, no headers to add)."""
        field = self.response_field
        args: dict[str, Any] = {} if status is None else {"status_code": status}
        if field is not None:
            context = functools.partial(self._error_context, request)
            if is_coroutine:
                value = field.validate(raw, context)
            else:
                value = await run_in_threadpool(field.validate, raw, context)
            options = self._dump_options()
            if self._json_fast:
                content = field.adapter.dump_json(value, **options)
                if plain and is_body_allowed_for_status_code(status):
                    return _BytesResponse(content, status or 200)
                response = Response(content=content, media_type="application/json", **args)
            else:
                data = field.adapter.dump_python(value, mode="json", **options)
                response = _actual(self.response_class)(data, **args)
        elif self._json_fast:
            content = _render_json(raw)
            if plain and is_body_allowed_for_status_code(status):
                return _BytesResponse(content, status or 200)
            response = Response(content=content, media_type="application/json", **args)
        elif (
            plain
            and self._text_content_type is not None
            and type(raw) is str
            and is_body_allowed_for_status_code(status)
        ):
            return _BytesResponse(raw.encode("utf-8"), status or 200, self._text_content_type)
        else:
            response = _actual(self.response_class)(jsonable_encoder(raw), **args)
        if not is_body_allowed_for_status_code(response.status_code):
            response.body = _NO_BODY_RESPONSE
        return response

    def _dump_options(self) -> dict[str, Any]:
        return {
            "include": self.response_model_include,
            "exclude": self.response_model_exclude,
            "by_alias": self.response_model_by_alias,
            "exclude_unset": self.response_model_exclude_unset,
            "exclude_defaults": self.response_model_exclude_defaults,
            "exclude_none": self.response_model_exclude_none,
        }

    def _error_context(self, request: Request) -> EndpointContext:
        context = dict(self._endpoint_context)
        mount_path = request.scope.get("root_path", "").rstrip("/")
        context["path"] = f"{request.method} {mount_path}{self.path_format}"
        return context  # type: ignore[return-value]


# JSONResponse's rendering, with the encoder built once.
_JSON_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _render_json(raw: Any) -> bytes:
    """What JSONResponse(jsonable_encoder(raw)) renders, skipping the encoder walk when
    *raw* is plain JSON data (dicts, lists, strings, numbers), for which it changes
    nothing."""
    try:
        return _JSON_ENCODER.encode(raw).encode("utf-8")
    except (TypeError, ValueError):
        return JSONResponse(jsonable_encoder(raw)).body  # type: ignore[return-value]


_JSON_CONTENT_TYPE = b"application/json"


class _BytesResponse:
    """A body already rendered, sent as Starlette would send it (no background tasks, no
    extra headers): the two ASGI messages without a Response object."""

    __slots__ = ("body", "content_type", "status_code")

    def __init__(self, body: bytes, status_code: int, content_type: bytes = _JSON_CONTENT_TYPE):
        self.body = body
        self.status_code = status_code
        self.content_type = content_type

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [
            (b"content-length", str(len(self.body)).encode("latin-1")),
            (b"content-type", self.content_type),
        ]
        await send({"type": "http.response.start", "status": self.status_code, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})


def _is_generator_function(call: Any) -> bool:
    from .dependencies.models import _unwrapped_check

    return _unwrapped_check(call, inspect.isasyncgenfunction) or _unwrapped_check(
        call, inspect.isgeneratorfunction
    )


_STREAM_ORIGINS = {
    collections.abc.AsyncIterable,
    collections.abc.AsyncIterator,
    collections.abc.AsyncGenerator,
    collections.abc.Iterable,
    collections.abc.Iterator,
    collections.abc.Generator,
}


def _stream_item_type(annotation: Any) -> Any:
    """``Item`` of an ``AsyncIterator[Item]``-like return annotation (Any when bare)."""
    origin = typing.get_origin(annotation)
    if origin is not None and origin in _STREAM_ORIGINS:
        args = typing.get_args(annotation)
        return args[0] if args else Any
    return None


def _plain_content_type(response_class: Any) -> bytes | None:
    """The content-type header of a response class that renders and sets headers exactly
    as Starlette's base Response does (PlainTextResponse, HTMLResponse...), so a str result
    can be sent without building one; None for any other class."""
    if not isinstance(response_class, type) or not issubclass(response_class, Response):
        return None
    same = (
        response_class.__init__ is Response.__init__
        and response_class.render is Response.render
        and response_class.init_headers is Response.init_headers
        and response_class.__call__ is Response.__call__
        and response_class.charset == "utf-8"
    )
    media_type = response_class.media_type
    if not same or media_type is None:
        return None
    if media_type.startswith("text/") and "charset=" not in media_type.lower():
        media_type += "; charset=utf-8"
    return media_type.encode("latin-1")


def _actual(response_class: Any) -> Any:
    return (
        response_class.value if isinstance(response_class, DefaultPlaceholder) else response_class
    )


def apply_overrides(dependant: Dependant, overrides: dict[Any, Any]) -> Dependant:
    """A copy of *dependant*'s tree with overridden dependencies replaced (each keeps the
    cache key of the dependency it replaces, as in FastAPI)."""
    from copy import copy

    clone = copy(dependant)
    clone.dependencies = []
    for sub in dependant.dependencies:
        replacement = overrides.get(sub.call)
        if replacement is not None:
            new_sub = get_dependant(
                path=sub.path or "",
                call=replacement,
                name=sub.name,
                own_oauth_scopes=sub.own_oauth_scopes,
                parent_oauth_scopes=sub.parent_oauth_scopes,
                use_cache=sub.use_cache,
                scope=sub.scope,
                concurrency=sub.concurrency,
            )
            new_sub.cache_key_override = sub.cache_key
            clone.dependencies.append(apply_overrides(new_sub, overrides))
        else:
            clone.dependencies.append(apply_overrides(sub, overrides))
    return clone


def _body_field(route: APIRoute) -> ModelField | None:
    """The request body as one field, for the OpenAPI document."""
    from .openapi._body import get_body_field

    return get_body_field(route._flat_dependant, route.unique_id, route.plan)


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
        self.plan = compile_plan(self.dependant)
        self.app = self._session

    async def _session(self, scope: Scope, receive: Receive, send: Send) -> None:
        websocket = WebSocket(scope, receive, send)
        overrides = getattr(self.dependency_overrides_provider, "dependency_overrides", None)
        plan = compile_plan(apply_overrides(self.dependant, overrides)) if overrides else self.plan
        async with AsyncExitStack() as request_stack, AsyncExitStack() as function_stack:
            solved = await solve(
                plan, websocket, request_stack, function_stack, websocket=websocket
            )
            if solved.errors:
                context = dict(_endpoint_context(self.endpoint))
                mount_path = scope.get("root_path", "").rstrip("/")
                context["path"] = f"WS {mount_path}{self.path_format}"
                raise WebSocketRequestValidationError(
                    solved.errors,
                    endpoint_ctx=context,  # type: ignore[arg-type]
                )
            await call_step(plan.steps[-1], solved.arguments, request_stack)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match != Match.NONE:
            child_scope["route"] = self
        return match, child_scope


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
        self._tree = TreeDispatch(self, fallback=super().app)

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._tree(scope, receive, send)

    async def _frontend_or_default(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.frontend_routes and scope["type"] == "http":
            _, route, child_scope = best_match(self.frontend_routes, scope)
            if route is not None:
                scope.update(child_scope)
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
        include_limit = validate_max_body_size(max_body_size)
        include_form_limits = validate_form_limits(form_limits)
        if prefix:
            if not prefix.startswith("/"):
                raise FasterAPIError(f"A path prefix must start with '/': {prefix!r}")
            if prefix.endswith("/"):
                raise FasterAPIError(
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
