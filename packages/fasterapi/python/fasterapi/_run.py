# SPDX-License-Identifier: MIT
# fasterapi/_run.py: execute a RoutePlan for one request
"""Per-request work of a compiled route: read the parameters, validate them in one call,
read the body, call the dependencies in order (with the per-request cache and ``yield``
cleanups on exit stacks) and return the endpoint's arguments or the validation errors."""

from __future__ import annotations

import copy
import json
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any

from anyio import CancelScope
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from ._body_limit import body_limit_error, limit_in_scope
from ._forms import read_field, read_model
from ._limits import scoped_form_limits
from ._params import PARAM_ERROR, missing_error, validate_params
from ._plan import (
    ARG_BACKGROUND,
    ARG_BODY,
    ARG_CONNECTION,
    ARG_PARAM,
    ARG_REQUEST,
    ARG_RESPONSE,
    ARG_SCOPES,
    ARG_STEP,
    ARG_WEBSOCKET,
    CALL_ASYNC,
    CALL_ASYNC_GEN,
    CALL_SYNC,
    BodyPlan,
    RoutePlan,
    Step,
)
from .background import BackgroundTasks
from .concurrency import contextmanager_in_threadpool, holding, shielded_exit
from .exceptions import HTTPException, RequestValidationError
from .params import Undefined
from .security.scopes import SecurityScopes

if TYPE_CHECKING:
    from ._observed import DependenciesObserver

# Errors are kept as (owner step, 0 = parameter / 1 = body, error) until reported, so they can
# be put in FastAPI's order: dependencies before dependants, parameters before the body.
_BODY_ERROR = PARAM_ERROR + 1


class Solved:
    """What solving a request produced: the endpoint's keyword arguments, the sub-response
    (headers/status set through a ``Response`` parameter), background tasks, errors."""

    __slots__ = ("arguments", "background", "body", "errors", "response")

    def __init__(self) -> None:
        self.arguments: dict[str, Any] = {}
        self.response: Response | None = None
        self.background: BackgroundTasks | None = None
        self.errors: list[Any] = []
        self.body: Any = Undefined


# --- body ------------------------------------------------------------------------------------


_STARLETTE_BODY = Request.body


async def read_request_body(request: Request) -> bytes:
    """``await request.body()``, without the async generator Starlette reads it through:
    the same messages consumed, the same errors, and the body cached on the request for
    whoever asks again (an endpoint, an exception handler)."""
    cached: bytes | None = getattr(request, "_body", None)
    if cached is not None:
        return cached
    if request._stream_consumed:
        raise RuntimeError("Stream consumed")
    chunks: list[bytes] = []
    receive = request.receive
    while True:
        message = await receive()
        if message["type"] == "http.request":
            chunk = message.get("body", b"")
            if chunk:
                chunks.append(chunk)
            if not message.get("more_body", False):
                break
        elif message["type"] == "http.disconnect":
            request._is_disconnected = True
            raise ClientDisconnect()
    request._stream_consumed = True
    body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    request._body = body
    return body


def _content_type(scope: Any) -> str | None:
    for key, value in scope["headers"]:
        if key == b"content-type":
            return value.decode("latin-1")  # type: ignore[no-any-return]
    return None


def _is_json_content_type(content_type: str | None) -> bool:
    if not content_type:
        return False
    main = content_type.partition(";")[0]
    kind, _, subtype = main.strip().lower().partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


def _json_decode_error(raw: bytes) -> RequestValidationError | None:
    """FastAPI's error for a body that is not JSON (``loc`` = body, position), or None when
    Python's parser accepts it."""
    try:
        json.loads(raw)
    except json.JSONDecodeError as error:
        return RequestValidationError(
            [
                {
                    "type": "json_invalid",
                    "loc": ("body", error.pos),
                    "msg": "JSON decode error",
                    "input": {},
                    "ctx": {"error": error.msg},
                }
            ],
            body=error.doc,
        )
    return None


async def read_body(
    body_plan: BodyPlan,
    request: Request,
    solved: Solved,
    stack: AsyncExitStack | None,
    form_limits: dict[str, int] | None = None,
    strict_content_type: bool = True,
) -> dict[int, Any]:
    """The body fields' validated values by parameter name; errors into *solved*."""
    if body_plan.is_form:
        form = await request.form(**(scoped_form_limits(request.scope, form_limits) or {}))
        assert stack is not None, "a form body is read with an exit stack"
        stack.push_async_callback(form.close)
        solved.body = form
        return await _validate_form(body_plan, form, solved)
    try:
        # A Request subclass may transform the body (e.g. decompress it), and instrumentation
        # may patch Request.body: ask it then.
        plain = type(request) is Request and Request.body is _STARLETTE_BODY
        raw = await (read_request_body(request) if plain else request.body())
    except StarletteHTTPException:  # e.g. 413 from a body size limit
        raise
    except Exception as error:
        if limit_in_scope(request.scope) and (signal := body_limit_error(error)) is not None:
            raise signal from error  # wrapped by a task group on its way here
        raise HTTPException(
            status_code=400, detail="There was an error parsing the body"
        ) from error
    received: Any = Undefined
    if raw:
        content_type = _content_type(request.scope)
        # Without a content type the body is JSON only when the route is not strict.
        if _is_json_content_type(content_type) or (not content_type and not strict_content_type):
            if body_plan.json_adapter is not None:
                return _validate_json_fast(body_plan, raw, solved)
            try:
                received = json.loads(raw)
            except json.JSONDecodeError:
                decode_error = _json_decode_error(raw)
                assert decode_error is not None
                raise decode_error from None
        else:
            received = raw
    solved.body = received
    return _validate_received(body_plan, received, solved)


def _validate_json_fast(body_plan: BodyPlan, raw: bytes, solved: Solved) -> dict[int, Any]:
    """The single, not embedded JSON body: validated straight from the bytes."""
    adapter = body_plan.json_adapter
    assert adapter is not None
    try:
        value = adapter.validate_json(raw)
    except ValidationError as error:
        if any(item["type"] == "json_invalid" for item in error.errors(include_url=False)):
            decode_error = _json_decode_error(raw)
            if decode_error is not None:
                raise decode_error from None
        # Report what FastAPI reports: Python-mode validation of the parsed document (JSON
        # mode words some errors differently).
        received = json.loads(raw)
        solved.body = received
        return _validate_received(body_plan, received, solved)
    solved.body = _LazyJson(raw)
    return _for_every_slot(body_plan, value)


def _for_every_slot(body_plan: BodyPlan, value: Any) -> dict[int, Any]:
    """A whole (not embedded) body: the one value for every parameter that declares it (an
    endpoint and its dependencies may each take ``item: Item``; FastAPI reads it once)."""
    return {slot.key: value for slot in body_plan.slots}


class _LazyJson:
    """The parsed body, parsed only if someone asks (validation errors carry the body)."""

    __slots__ = ("raw",)

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def load(self) -> Any:
        return json.loads(self.raw)


def body_value(body: Any) -> Any:
    """The received body as FastAPI passes it on (None when there was none)."""
    if body is Undefined:
        return None
    return body.load() if isinstance(body, _LazyJson) else body


def _validate_value(slot: Any, value: Any, loc: tuple[Any, ...], solved: Solved) -> Any:
    if value is Undefined:
        if slot.required:
            solved.errors.append((slot.owner, _BODY_ERROR, missing_error(loc)))
            return Undefined
        info = slot.field.field_info
        if info.default_factory is not None:
            value = info.get_default(call_default_factory=True)
        else:
            value = copy.deepcopy(info.default)
        if not info.validate_default:
            return value
    try:
        return slot.adapter.validate_python(value, from_attributes=True)
    except ValidationError as error:
        for item in error.errors(include_url=False):
            item["loc"] = (*loc, *item["loc"])
            solved.errors.append((slot.owner, _BODY_ERROR, item))
        return Undefined


def _validate_received(body_plan: BodyPlan, received: Any, solved: Solved) -> dict[int, Any]:
    values: dict[int, Any] = {}
    if not body_plan.embed:
        value = _validate_value(body_plan.slots[0], received, ("body",), solved)
        return values if value is Undefined else _for_every_slot(body_plan, value)
    for slot in body_plan.slots:
        loc: tuple[Any, ...] = ("body", slot.aliases[0])
        value = Undefined
        if received is not Undefined and not isinstance(received, bytes):
            if not isinstance(received, dict):
                # Embedded fields need an object, not a list, a scalar or null.
                solved.errors.append((slot.owner, _BODY_ERROR, missing_error(loc)))
                continue
            for alias in slot.aliases:
                if alias in received:
                    value, loc = received[alias], ("body", alias)
                    break
        value = _validate_value(slot, value, loc, solved)
        if value is not Undefined:
            values[slot.key] = value
    return values


async def _validate_form(body_plan: BodyPlan, form: FormData, solved: Solved) -> dict[int, Any]:
    values: dict[int, Any] = {}
    for slot in body_plan.slots:
        loc: tuple[Any, ...]
        if slot.form_models:
            value: Any = await read_model(slot.form_models, form, optional=slot.optional_model)
            loc = ("body",)
        else:
            assert slot.form_field is not None
            alias, value = await read_field(slot.form_field, form)
            loc = ("body", alias)
        value = _validate_value(slot, value, loc, solved)
        if value is not Undefined:
            values[slot.key] = value
    return values


# --- dependencies ----------------------------------------------------------------------------


async def solve(
    plan: RoutePlan,
    request: Any,
    request_stack: AsyncExitStack | None,
    function_stack: AsyncExitStack | None,
    *,
    websocket: Any = None,
    form_limits: dict[str, int] | None = None,
    strict_content_type: bool = True,
    observer: DependenciesObserver | None = None,
) -> Solved:
    """Validate the request against *plan* and call every dependency; the endpoint's
    arguments end up in ``solved.arguments`` unless ``solved.errors``."""
    solved = Solved()
    scope = request.scope if websocket is None else websocket.scope
    errors = solved.errors
    values = validate_params(plan, scope, errors) if plan.slots else {}
    body_values = (
        await read_body(
            plan.body, request, solved, function_stack, form_limits, strict_content_type
        )
        if plan.body
        else {}
    )
    if observer is not None:
        observer.body_read(body_value(solved.body))
    if plan.needs_response:
        response = Response()
        del response.headers["content-length"]
        response.status_code = None  # type: ignore[assignment]
        solved.response = response
    if plan.needs_background:
        solved.background = BackgroundTasks()
    steps = plan.steps
    results: list[Any] = [None] * len(steps)
    failed = {owner for owner, _, _ in errors}
    cache: dict[Any, Any] = {}
    connection = websocket if websocket is not None else request
    cleanup = CleanupScope(request_stack) if plan.needs_exit_stack else None
    for step in steps:
        if failed and not failed.isdisjoint(step.subtree):
            continue
        arguments = _arguments(step, values, body_values, results, connection, solved)
        if step is steps[-1]:
            solved.arguments = arguments
            break
        if step.use_cache and step.cache_key in cache:
            results[step.index] = cache[step.cache_key]
            continue
        stack = function_stack if step.function_scope else request_stack
        result = await call_step(step, arguments, stack, cleanup)
        results[step.index] = result
        cache.setdefault(step.cache_key, result)
    if errors:
        errors.sort(key=lambda entry: (entry[0], entry[1]))
        solved.errors = [error for _, _, error in errors]
    return solved


def _arguments(
    step: Step,
    values: dict[str, Any],
    body_values: dict[int, Any],
    results: list[Any],
    connection: Any,
    solved: Solved,
) -> dict[str, Any]:
    arguments: dict[str, Any] = {}
    for name, source, detail in step.args:
        if source == ARG_PARAM:
            arguments[name] = values[detail]
        elif source == ARG_STEP:
            arguments[name] = results[detail]
        elif source == ARG_BODY:
            if detail in body_values:
                arguments[name] = body_values[detail]
        elif source in (ARG_REQUEST, ARG_WEBSOCKET, ARG_CONNECTION):
            arguments[name] = connection
        elif source == ARG_RESPONSE:
            arguments[name] = solved.response
        elif source == ARG_BACKGROUND:
            arguments[name] = solved.background
        elif source == ARG_SCOPES:
            arguments[name] = SecurityScopes(scopes=list(detail))
    return arguments


class CleanupScope:
    """One cancel scope per request, entered on the request's exit stack before the first
    async ``yield`` dependency; each such dependency's exit runs with it shielded."""

    __slots__ = ("scope", "stack")

    def __init__(self, stack: AsyncExitStack | None) -> None:
        self.stack = stack
        self.scope: CancelScope | None = None

    def get(self) -> CancelScope:
        if self.scope is None:
            assert self.stack is not None, "yield dependencies run with an exit stack"
            self.scope = self.stack.enter_context(CancelScope())
        return self.scope


async def call_step(
    step: Step,
    arguments: dict[str, Any],
    stack: AsyncExitStack | None,
    cleanup: CleanupScope | None = None,
) -> Any:
    kind = step.kind
    concurrency = step.concurrency
    if kind == CALL_ASYNC:
        if concurrency is None:
            return await step.call(**arguments)
        async with concurrency.get_semaphore():
            return await step.call(**arguments)
    if kind == CALL_SYNC:
        if concurrency is None:
            return await run_in_threadpool(step.call, **arguments)
        async with concurrency.get_semaphore():
            return await run_in_threadpool(step.call, **arguments)
    assert stack is not None, "yield dependencies run with an exit stack"
    context: Any
    if kind == CALL_ASYNC_GEN:
        context = asynccontextmanager(step.call)(**arguments)
        if cleanup is not None:
            context = shielded_exit(context, cleanup.get())
    else:
        context = contextmanager_in_threadpool(contextmanager(step.call)(**arguments))
    if concurrency is not None:
        context = holding(context, concurrency.get_semaphore())
    return await stack.enter_async_context(context)
