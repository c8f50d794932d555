# SPDX-License-Identifier: MIT
# fasterapi/_route.py: APIRoute, one compiled path operation
"""An :class:`APIRoute` analyses its endpoint once, compiles a
:class:`~fasterapi._plan.RoutePlan`, and answers a request by running the plan: validate,
call the dependencies and the endpoint, serialize the result (see fasterapi._sending and
fasterapi._streaming). Import it from :mod:`fasterapi.routing`."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine, Sequence
from contextlib import AsyncExitStack
from enum import Enum
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic.errors import PydanticSchemaGenerationError
from pydantic.fields import FieldInfo
from starlette import routing
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.body_limit import RequestBodyLimitResponder
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, compile_path
from starlette.types import Receive, Scope, Send

from . import params
from ._exception_boundary import handle_exception
from ._limits import validate_form_limits, validate_max_body_size
from ._observed import (
    DependenciesObserver,
    call_endpoint_observed,
    serialize_observed,
    solve_observed,
)
from ._plan import CALL_ASYNC, PlanCache, RoutePlan
from ._pydantic_v1 import check_annotation as check_pydantic_v1
from ._run import Solved, body_value, call_step, solve
from ._sending import BytesResponse, actual_class, plain_content_type, render_json
from ._streaming import (
    JSONL,
    RAW,
    SSE,
    ItemSerializer,
    event_stream,
    is_generator_function,
    json_lines,
    raw_stream,
    stream_item_type,
)
from .datastructures import Default, DefaultPlaceholder
from .dependencies.models import ModelField
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
)
from .sse import EventSourceResponse, ServerSentEvent
from .telemetry._api import _RequestTelemetry, _validation_failed, current_request_telemetry
from .utils import generate_unique_id, is_body_allowed_for_status_code

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
        check_pydantic_v1(annotation, f"response model {name!r}")
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
        is_generator = is_generator_function(endpoint)
        self.is_sse_stream = is_generator and lenient_issubclass(
            actual_class(response_class), EventSourceResponse
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
            item_type = stream_item_type(annotation)
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
        self._strict_content_type = bool(actual_class(strict_content_type))
        # What solve() needs from the route besides the request.
        self._solve_options: dict[str, Any] = {
            "form_limits": self._form_limits,
            "strict_content_type": self._strict_content_type,
        }
        self.tags = tags or []
        self.responses = responses or {}
        self.status_code = status_code
        unique_id_function = actual_class(generate_unique_id_function)
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
        self._plans = PlanCache(self.dependant)
        self.plan: RoutePlan = self._plans.plan
        self.body_field = _body_field(self)
        self._endpoint_context = _endpoint_context(endpoint)
        self._json_fast = (
            isinstance(response_class, DefaultPlaceholder) and response_class.value is JSONResponse
        )
        self._text_content_type = plain_content_type(actual_class(response_class))
        self._default_status = self.status_code or getattr(
            actual_class(response_class), "status_code", None
        )
        # A subclass that overrides get_route_handler (FastAPI's customization point) gets
        # its handler called with a Request; the others run the plan directly.
        self._custom_handler = type(self).get_route_handler is not APIRoute.get_route_handler
        self._route_handler: Callable[[Request], Any] | None = None
        self.app = self.handle

    # --- request handling ------------------------------------------------------------------

    def current_plan(self) -> RoutePlan:
        """The plan, recompiled (once per distinct set) when dependency overrides apply."""
        return self._plans.current(self.dependency_overrides_provider)

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
        record = current_request_telemetry()
        if record is not None:
            solved = await self._solve_observed(
                record, plan, request, request_stack, function_stack
            )
        elif plan.trivial:
            solved = _NOTHING_SOLVED
        else:
            solved = await solve(
                plan, request, request_stack, function_stack, **self._solve_options
            )
        if solved.errors:
            error = RequestValidationError(
                solved.errors,
                body=body_value(solved.body),
                endpoint_ctx=self._error_context(request),
            )
            if record is not None:
                _validation_failed(error)
            raise error
        endpoint_step = plan.steps[-1]
        if self._stream_kind is not None:
            return await self._stream(endpoint_step, solved, request, request_stack)
        if record is None:
            raw = await call_step(endpoint_step, solved.arguments, request_stack)
        else:
            raw = await call_endpoint_observed(
                endpoint_step, solved.arguments, request_stack, self.endpoint
            )
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
        serializing = self._serialize(raw, status, is_coroutine, request, plain)
        response = await (
            serializing if record is None else serialize_observed(self.endpoint, serializing)
        )
        if not plain:
            response.background = solved.background
        if sub_response is not None:
            response.headers.raw.extend(sub_response.headers.raw)
        return response

    async def _solve_observed(
        self,
        record: _RequestTelemetry,
        plan: RoutePlan,
        request: Request,
        request_stack: AsyncExitStack | None,
        function_stack: AsyncExitStack | None,
    ) -> Solved:
        if record.data is not None:
            record.data.request = request

        async def solving(observer: DependenciesObserver) -> Solved:
            if plan.trivial:
                observer.body_read(None)
                return _NOTHING_SOLVED
            return await solve(
                plan,
                request,
                request_stack,
                function_stack,
                **self._solve_options,
                observer=observer,
            )

        return await solve_observed(record, self.endpoint, solving)

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
            response = raw_stream(generator, actual_class(self.response_class), args)
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
                    return BytesResponse(content, status or 200)
                response = Response(content=content, media_type="application/json", **args)
            else:
                data = field.adapter.dump_python(value, mode="json", **options)
                response = actual_class(self.response_class)(data, **args)
        elif self._json_fast:
            content = render_json(raw)
            if plain and is_body_allowed_for_status_code(status):
                return BytesResponse(content, status or 200)
            response = Response(content=content, media_type="application/json", **args)
        elif (
            plain
            and self._text_content_type is not None
            and type(raw) is str
            and is_body_allowed_for_status_code(status)
        ):
            return BytesResponse(raw.encode("utf-8"), status or 200, self._text_content_type)
        else:
            response = actual_class(self.response_class)(jsonable_encoder(raw), **args)
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


def _body_field(route: APIRoute) -> ModelField | None:
    """The request body as one field, for the OpenAPI document."""
    from .openapi._body import get_body_field

    return get_body_field(route._flat_dependant, route.unique_id, route.plan)
