# SPDX-License-Identifier: MIT
# fasterapi/telemetry/_api.py: the configuration, the per-request record, and the hooks the
# request pipeline calls (route selected, operation spans, validation failures)
"""What an application configures (:class:`TelemetryConfig`), what processors may read while
a request runs (:class:`TelemetryData`), and the hooks routing and the route handlers call.

The per-request record lives in the OpenTelemetry context, so a sync endpoint in the thread
pool and a mounted sub-application see the request they belong to. The hooks cost one
integer test per request while no telemetry-enabled request is running anywhere.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from time import time_ns
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry._logs import Logger, LoggerProvider, SeverityNumber
from opentelemetry.context import Context
from opentelemetry.metrics import MeterProvider
from opentelemetry.trace import Span, StatusCode, Tracer, TracerProvider
from starlette.exceptions import HTTPException, WebSocketException
from starlette.requests import Request
from starlette.websockets import WebSocket, WebSocketDisconnect
from typing_extensions import TypedDict

from ..exceptions import RequestValidationError, WebSocketRequestValidationError

# The methods reported as themselves; any other becomes "_OTHER" (semantic conventions).
# OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS replaces the set.
_HTTP_METHODS = frozenset(
    {"CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY", "TRACE"}
)


class TelemetryConfig(TypedDict, total=False):
    """``FasterAPI(telemetry={...})``; every key is optional.

    * ``tracer_provider`` / ``meter_provider`` / ``logger_provider``: used instead of the
      global providers (never shut down by the application).
    * ``tracing`` (True): a server span per request or WebSocket connection.
    * ``metrics`` (True): ``http.server.request.duration`` and
      ``http.server.active_requests``.
    * ``logs`` (True): log records for validation failures and unhandled exceptions (with
      the exception's message and stack trace).
    * ``operation_spans`` (True): child spans for dependencies, the endpoint,
      serialization and background tasks.
    * ``auto_configure`` (False unless ``FASTAPI_OTEL_AUTO_CONFIGURE=true``): at startup,
      add OTLP/HTTP exporters named by the standard ``OTEL_EXPORTER_OTLP_*`` variables.
    * ``exclude``: ``exclude(scope) -> bool``; True skips telemetry for that request.
    """

    tracer_provider: TracerProvider | None
    meter_provider: MeterProvider | None
    logger_provider: LoggerProvider | None
    tracing: bool
    metrics: bool
    logs: bool
    operation_spans: bool
    auto_configure: bool
    exclude: Callable[[MutableMapping[str, Any]], bool] | None


@dataclass(kw_only=True)
class TelemetryData:
    """What a synchronous span or log processor may read about the request being handled
    (``get_telemetry_data()``), filled in as the request goes along. Treat it as
    read-only, and redact before exporting any of it."""

    request: Request | None = None
    """The request, once its route handler starts."""
    websocket: WebSocket | None = None
    """The WebSocket, once its route handler starts."""
    body: Any = None
    """The body as read, before validation."""
    values: dict[str, Any] | None = None
    """The endpoint's arguments, once the dependencies are solved."""
    errors: Sequence[Any] | None = None
    """The validation errors (with the input values that failed)."""


@dataclass(kw_only=True)
class _RequestTelemetry:
    """One request's telemetry state; ``data`` is dropped when the request ends."""

    span: Span | None
    span_method: str
    tracer: Tracer | None = None  # set only when operation spans are on
    logger: Logger | None = None
    route: str | None = None
    status_code: int | None = None
    data: TelemetryData | None = field(default_factory=TelemetryData)
    _mount_prefix: str = ""
    _exceptions: list[BaseException] = field(default_factory=list, repr=False)


_REQUEST_TELEMETRY_KEY = otel_context.create_key("fastapi.request")
_NO_OPERATION = nullcontext()

# How many requests with telemetry are being handled right now, in this process. While it is
# zero no context can hold a request record, and the hot path skips the context lookup.
_requests_in_flight = [0]


def _get_request_telemetry(context: Context | None = None) -> _RequestTelemetry | None:
    value = otel_context.get_value(_REQUEST_TELEMETRY_KEY, context)
    return value if isinstance(value, _RequestTelemetry) else None


def current_request_telemetry() -> _RequestTelemetry | None:
    """The record of the request this code runs for, or None (cheaply, when none runs)."""
    if not _requests_in_flight[0]:
        return None
    return _get_request_telemetry()


def get_telemetry_data(context: Context | None = None) -> TelemetryData | None:
    """The :class:`TelemetryData` of the request running in *context* (default: the current
    one; a log processor passes ``record.context``). None outside a request, and once the
    request has finished, even for a context kept from it."""
    record = _get_request_telemetry(context)
    return record.data if record is not None else None


def _validation_failed(exc: RequestValidationError | WebSocketRequestValidationError) -> None:
    """Record a validation failure on the current request: its data, and a WARN log."""
    record = current_request_telemetry()
    if record is None:
        return
    errors = exc.errors()
    if record.data is not None:
        if isinstance(exc, RequestValidationError):
            record.data.body = exc.body
        record.data.errors = errors
    if record.logger is None:
        return
    attributes: dict[str, Any] = {"fastapi.validation.error_count": len(errors)}
    if record.route is not None:
        attributes["http.route"] = record.route
    record.logger.emit(
        event_name="fastapi.validation.failed",
        timestamp=time_ns(),
        severity_number=SeverityNumber.WARN,
        severity_text="WARN",
        body="Request validation failed",
        attributes=attributes,
    )


def _exception_type(exc: BaseException) -> str:
    """``error.type``: the class's qualified name, with its module unless a builtin."""
    cls = type(exc)
    if cls.__module__ == "builtins":
        return cls.__qualname__
    return f"{cls.__module__}.{cls.__qualname__}"


def _normal_websocket_disconnect(exc: BaseException) -> bool:
    return isinstance(exc, WebSocketDisconnect) and exc.code in (1000, 1001)


# Exceptions that are answers, not failures: an operation they leave is not marked failed.
_ANSWERS = (
    HTTPException,
    RequestValidationError,
    WebSocketException,
    WebSocketRequestValidationError,
)


def _operation(
    *, name: str, function: Callable[..., Any] | None = None
) -> AbstractContextManager[None]:
    """A ``fastapi.<name>`` span around one step of the current request (a no-op context
    when the request is not traced or operation spans are off)."""
    record = current_request_telemetry()
    if record is None or record.tracer is None:
        return _NO_OPERATION
    return _traced_operation(record.tracer, name, function)


def _code_function_name(function: Callable[..., Any]) -> str:
    module = getattr(function, "__module__", type(function).__module__)
    qualname = getattr(function, "__qualname__", type(function).__qualname__)
    return f"{module}.{qualname}"


@contextmanager
def _traced_operation(
    tracer: Tracer, name: str, function: Callable[..., Any] | None
) -> Iterator[None]:
    attributes = {} if function is None else {"code.function.name": _code_function_name(function)}
    with tracer.start_as_current_span(
        f"fastapi.{name}",
        attributes=attributes,
        record_exception=False,  # the exception is logged once, by the request
        set_status_on_exception=False,
    ) as span:
        try:
            yield
        except Exception as exc:
            # A background task has no one to answer: any exception there is a failure.
            answered = isinstance(exc, _ANSWERS) or _normal_websocket_disconnect(exc)
            if name == "background_task" or not answered:
                span.set_attribute("error.type", _exception_type(exc))
                span.set_status(StatusCode.ERROR)
            raise


def _run_sync_endpoint(*, function: Callable[..., Any], arguments: dict[str, Any]) -> Any:
    """Call a sync endpoint in its worker thread, inside its operation span (so the span is
    current where the endpoint runs)."""
    with _operation(name="endpoint", function=function):
        return function(**arguments)


def _route_selected(
    *, scope: MutableMapping[str, Any], path: str | None, mount: bool = False
) -> None:
    """Name the request's span after the route that will answer it (``http.route``). A mount
    adds its prefix; the route matched inside it completes the name."""
    record = scope.get("fastapi.telemetry")
    if not isinstance(record, _RequestTelemetry) or path is None:
        return
    if mount:
        # A mount's path format ends in "/{path}"; the application inside adds its own.
        record._mount_prefix += path.removesuffix("/{path}")
        record.route = record._mount_prefix + "/{path}"
    else:
        record.route = record._mount_prefix + path
    if record.span is not None:
        record.span.set_attribute("http.route", record.route)
        record.span.update_name(f"{record.span_method} {record.route}")


# The API package's stand-ins that record nothing until an SDK provider is installed.
_DEFERRED_PROVIDERS = frozenset(
    {
        ("opentelemetry.trace", "ProxyTracerProvider"),
        ("opentelemetry.metrics._internal", "_ProxyMeterProvider"),
        ("opentelemetry._logs._internal", "ProxyLoggerProvider"),
    }
)


def _unconfigured(provider: Any) -> bool:
    """True for the API's own placeholder providers (the API has no "is configured" query;
    SDK and vendor providers are never taken for unconfigured)."""
    cls = type(provider)
    return (cls.__module__, cls.__name__) in _DEFERRED_PROVIDERS


class _GlobalProviders:
    """The three global providers (tracer, meter, logger), as the API's getters give them.

    While nothing is configured, each getter reads the environment on every call (about
    2 µs), so :meth:`untouched` answers the common case ("nothing configured") from the
    API's module state: no provider set, the getters the API's own (not replaced), and no
    provider named by the environment when this was made.
    """

    _GETTERS = ("get_tracer_provider", "get_meter_provider", "get_logger_provider")

    def __init__(self) -> None:
        from opentelemetry import _logs, metrics, trace
        from opentelemetry._logs import _internal as logs_internal
        from opentelemetry.metrics import _internal as metrics_internal

        self._modules = (trace, metrics, _logs)
        # Where each getter is looked up (tests and vendors replace them there) and the
        # module variables the API keeps the configured providers in.
        self._trace, self._metrics, self._logs = (module.__dict__ for module in self._modules)
        self._set_trace = trace.__dict__
        self._set_metrics = metrics_internal.__dict__
        self._set_logs = logs_internal.__dict__
        self._original = tuple(
            getattr(module, name) for module, name in zip(self._modules, self._GETTERS, strict=True)
        )
        self._env_named = any(
            name in os.environ
            for name in (
                "OTEL_PYTHON_TRACER_PROVIDER",
                "OTEL_PYTHON_METER_PROVIDER",
                "OTEL_PYTHON_LOGGER_PROVIDER",
            )
        )

    def untouched(self) -> bool:
        original = self._original
        return (
            self._set_trace.get("_TRACER_PROVIDER", _UNKNOWN) is None
            and self._set_metrics.get("_METER_PROVIDER", _UNKNOWN) is None
            and self._set_logs.get("_LOGGER_PROVIDER", _UNKNOWN) is None
            and self._trace.get("get_tracer_provider") is original[0]
            and self._metrics.get("get_meter_provider") is original[1]
            and self._logs.get("get_logger_provider") is original[2]
            and not self._env_named
        )

    def unconfigured(self, index: int) -> bool:
        """Whether provider *index* (0 tracer, 1 meter, 2 logger) is the placeholder."""
        return _unconfigured(getattr(self._modules[index], self._GETTERS[index])())


_UNKNOWN = object()
