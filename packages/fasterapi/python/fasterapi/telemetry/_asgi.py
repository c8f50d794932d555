# SPDX-License-Identifier: MIT
# fasterapi/telemetry/_asgi.py: the per-request telemetry around the application
""":class:`NativeTelemetry` wraps each HTTP request and WebSocket connection: it extracts the
propagated context, starts the server span, counts the active requests, watches the response
for its status and end, and records the duration when the response is complete (or failed).
:class:`ExceptionTelemetryMiddleware` sees exceptions before the error handlers answer them.
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from time import perf_counter, time_ns
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from opentelemetry import _logs, metrics, propagate, trace
from opentelemetry import context as otel_context
from opentelemetry._logs import SeverityNumber
from opentelemetry.metrics import Histogram, UpDownCounter
from opentelemetry.propagators.textmap import Getter
from opentelemetry.trace import SpanKind, StatusCode
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__  # set before the package imports its modules
from ._api import (
    _HTTP_METHODS,
    _REQUEST_TELEMETRY_KEY,
    TelemetryConfig,
    _exception_type,
    _GlobalProviders,
    _normal_websocket_disconnect,
    _requests_in_flight,
    _RequestTelemetry,
    _unconfigured,
)

# Seconds; the buckets the HTTP semantic conventions advise for request durations.
_DURATION_BUCKETS = (
    0.005,
    0.01,
    0.025,
    0.05,
    0.075,
    0.1,
    0.25,
    0.5,
    0.75,
    1.0,
    2.5,
    5.0,
    7.5,
    10.0,
)
_SCHEMA_URL = "https://opentelemetry.io/schemas/1.44.0"
# Query parameters that carry credentials: their values are replaced in url.query.
_SENSITIVE_QUERY_PARAMETERS = frozenset(
    {"X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token", "sig", "X-Goog-Signature"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


class _HeadersGetter(Getter[Headers]):
    """Propagators read request headers through this: every value of a repeated header."""

    def get(self, carrier: Headers, key: str) -> list[str] | None:
        values = carrier.getlist(key)
        if not values:
            return None
        if key.lower() == "baggage":
            return [",".join(values)]  # the baggage propagator reads only the first value
        return values

    def keys(self, carrier: Headers) -> list[str]:
        return carrier.keys()


_HEADERS_GETTER = _HeadersGetter()


def _legacy_otel(stack: Any) -> bool:
    """True when opentelemetry-instrumentation-asgi already wraps the application: it records
    the server span and metrics, so they are not recorded twice."""
    seen: set[int] = set()
    while stack is not None and id(stack) not in seen:
        seen.add(id(stack))
        cls = type(stack)
        if (
            cls.__module__ == "opentelemetry.instrumentation.asgi"
            and cls.__name__ == "OpenTelemetryMiddleware"
        ):
            return True
        stack = getattr(stack, "app", None)
    return False


def _exception(*, scope: Scope, exc: BaseException) -> None:
    """Remember an exception the request raised (once), and log it."""
    is_websocket = scope["type"] == "websocket"
    if is_websocket and _normal_websocket_disconnect(exc):
        return
    record = scope.get("fastapi.telemetry")
    if not isinstance(record, _RequestTelemetry):
        return
    if any(previous is exc for previous in record._exceptions):
        return
    record._exceptions.append(exc)
    if record.logger is None or not isinstance(exc, Exception):
        return
    record.logger.emit(
        exception=exc,
        event_name="fastapi.websocket.exception"
        if is_websocket
        else "http.server.request.exception",
        timestamp=time_ns(),
        severity_number=SeverityNumber.ERROR,
        severity_text="ERROR",
        body="Unhandled exception in FastAPI WebSocket connection"
        if is_websocket
        else "Unhandled exception in FastAPI request",
        attributes={"http.route": record.route} if record.route else None,
    )


def _server_attributes(scope: Scope) -> dict[str, Any]:
    """``server.address`` / ``server.port`` from the Host header (HTTP/2 and /3 authority
    arrive as Host too), else from the server the ASGI server reports."""
    authority = Headers(scope=scope).get("host")
    if authority is None:
        address, port = scope.get("server") or (None, None)
    else:
        try:
            url = urlsplit("//" + authority)
            address, port = url.hostname, url.port
        except ValueError:
            return {}  # a malformed Host must not stop the request
        if url.username is not None or url.path or url.query or url.fragment:
            return {}
        if port is None:
            port = _DEFAULT_PORTS.get(scope.get("scheme", "http"))
    if address is None:
        return {}
    attributes: dict[str, Any] = {"server.address": address}
    if port is not None:
        attributes["server.port"] = port
    return attributes


def _redacted_query(query_string: bytes) -> str:
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return urlencode(
        [(key, "REDACTED" if key in _SENSITIVE_QUERY_PARAMETERS else value) for key, value in pairs]
    )


class ExceptionTelemetryMiddleware:
    """Sees exceptions before the error handlers turn them into responses."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            _exception(scope=scope, exc=exc)
            raise


def _in_use(enabled: bool, explicit: Any, current: Any, no_op: type) -> bool:
    """A signal records when enabled and its provider is explicit or configured globally,
    and is not the API's no-op provider."""
    if not enabled:
        return False
    provider = explicit if explicit is not None else current
    if explicit is None and _unconfigured(provider):
        return False
    return not isinstance(provider, no_op)


class _Outcome:
    """Ends one request's telemetry exactly once: attributes, status, duration, span."""

    def __init__(
        self,
        *,
        record: _RequestTelemetry,
        attributes: dict[str, Any],
        active_attributes: dict[str, Any],
        is_websocket: bool,
        duration: Histogram | None,
        active: UpDownCounter | None,
    ) -> None:
        self.record = record
        self.attributes = attributes
        self.active_attributes = active_attributes
        self.is_websocket = is_websocket
        self.duration = duration
        self.active = active
        self.started = perf_counter()
        self.finished = False

    def finish(self, error: BaseException | None = None) -> None:
        if self.finished:
            return
        self.finished = True
        record, attributes = self.record, self.attributes
        if record.route is not None:
            attributes["http.route"] = record.route
        if record.status_code is not None:
            attributes["http.response.status_code"] = record.status_code
        # A WebSocket fails only by an exception; a request also by a 5xx or no response.
        failed = error is not None or (
            not self.is_websocket and (record.status_code is None or record.status_code >= 500)
        )
        if failed:
            failure = error or (record._exceptions[-1] if record._exceptions else None)
            attributes["error.type"] = (
                _exception_type(failure)
                if failure
                else str(record.status_code or "incomplete_response")
            )
        span = record.span
        if span is not None:
            span.set_attributes(attributes)
            if failed:
                span.set_status(StatusCode.ERROR)
        # Recorded while the span is current, so exemplars can point at it.
        if self.duration is not None:
            self.duration.record(max(0.0, perf_counter() - self.started), attributes)
        if self.active is not None:
            self.active.add(-1, self.active_attributes)
        if span is not None:
            span.end()


class NativeTelemetry:
    """The application's telemetry: decides per request what is recorded, and records it."""

    def __init__(self, config: TelemetryConfig) -> None:
        self.config = config
        known = os.getenv("OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS", "").strip()
        self._known_methods = (
            frozenset(method.strip() for method in known.split(",") if method.strip())
            if known
            else _HTTP_METHODS
        )
        self._globals = _GlobalProviders()
        self._meter_provider: metrics.MeterProvider | None = None
        self._duration: Histogram | None = None
        self._active: UpDownCounter | None = None
        self._tracer_provider: trace.TracerProvider | None = None
        self._tracer: trace.Tracer | None = None

    def enabled(self) -> bool:
        """Whether any signal could record (a provider is given or configured globally)."""
        config = self.config
        explicit = (config["tracer_provider"], config["meter_provider"], config["logger_provider"])
        if explicit == (None, None, None) and self._globals.untouched():
            return False  # the common case, answered without the getters
        switches = (config["tracing"], config["metrics"], config["logs"])
        return any(
            switch and (provider is not None or not self._globals.unconfigured(index))
            for index, (switch, provider) in enumerate(zip(switches, explicit, strict=True))
        )

    def _instruments(self) -> tuple[Histogram, UpDownCounter]:
        provider = self.config["meter_provider"] or metrics.get_meter_provider()
        if provider is not self._meter_provider:
            meter = provider.get_meter("fastapi", __version__, schema_url=_SCHEMA_URL)
            self._duration = meter.create_histogram(
                "http.server.request.duration",
                unit="s",
                description="Duration of HTTP server requests.",
                explicit_bucket_boundaries_advisory=_DURATION_BUCKETS,
            )
            self._active = meter.create_up_down_counter(
                "http.server.active_requests",
                unit="{request}",
                description="Number of active HTTP server requests.",
            )
            self._meter_provider = provider
        assert self._duration is not None
        assert self._active is not None
        return self._duration, self._active

    def _get_tracer(self, provider: trace.TracerProvider) -> trace.Tracer:
        if provider is not self._tracer_provider:
            self._tracer = provider.get_tracer("fastapi", __version__, schema_url=_SCHEMA_URL)
            self._tracer_provider = provider
        assert self._tracer is not None
        return self._tracer

    async def _excluded(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        # None (not absent) keeps mounted applications from recording it either, and the
        # context entry hides an enclosing in-process request's record.
        scope["fastapi.telemetry"] = None
        token = otel_context.attach(otel_context.set_value(_REQUEST_TELEMETRY_KEY, None))
        try:
            await app(scope, receive, send)
        finally:
            otel_context.detach(token)
            scope.pop("fastapi.telemetry", None)

    async def __call__(
        self,
        *,
        app: ASGIApp,
        scope: Scope,
        receive: Receive,
        send: Send,
        legacy_otel: bool = False,
    ) -> None:
        config = self.config
        if config["exclude"] is not None and config["exclude"](scope):
            await self._excluded(app, scope, receive, send)
            return
        is_websocket = scope["type"] == "websocket"
        tracer_provider = config["tracer_provider"] or trace.get_tracer_provider()
        tracing = not legacy_otel and _in_use(
            config["tracing"], config["tracer_provider"], tracer_provider, trace.NoOpTracerProvider
        )
        metering = (
            not legacy_otel
            and not is_websocket
            and _in_use(
                config["metrics"],
                config["meter_provider"],
                config["meter_provider"] or metrics.get_meter_provider(),
                metrics.NoOpMeterProvider,
            )
        )
        logging = not legacy_otel and _in_use(
            config["logs"],
            config["logger_provider"],
            config["logger_provider"] or _logs.get_logger_provider(),
            _logs.NoOpLoggerProvider,
        )
        if not (tracing or metering or logging):
            await app(scope, receive, send)
            return

        original_method = scope.get("method", "")
        method = original_method if original_method in self._known_methods else "_OTHER"
        span_method = "WS" if is_websocket else "HTTP" if method == "_OTHER" else method
        attributes: dict[str, Any] = {
            "url.scheme": scope.get("scheme", "ws" if is_websocket else "http")
        }
        if is_websocket:
            attributes["network.protocol.name"] = "websocket"
        else:
            attributes["http.request.method"] = method
            if scope.get("http_version"):
                attributes["network.protocol.version"] = scope["http_version"]
        active_attributes = {
            key: value for key, value in attributes.items() if key != "network.protocol.version"
        }
        duration, active = self._instruments() if metering else (None, None)
        if active is not None:
            active.add(1, active_attributes)

        span = None
        tracer = None
        parent_token = None
        if tracing:
            parent = propagate.extract(Headers(scope=scope), getter=_HEADERS_GETTER)
            parent_token = otel_context.attach(parent)
            tracer = self._get_tracer(tracer_provider)
            span_attributes = {**attributes, **_server_attributes(scope)}
            if not is_websocket:
                span_attributes["url.path"] = scope["path"]
                if scope.get("query_string"):
                    span_attributes["url.query"] = _redacted_query(scope["query_string"])
                if original_method != method:
                    span_attributes["http.request.method_original"] = original_method
            span = tracer.start_span(
                span_method, context=parent, kind=SpanKind.SERVER, attributes=span_attributes
            )
        record = _RequestTelemetry(
            span=span,
            span_method=span_method,
            tracer=tracer if config["operation_spans"] else None,
            logger=_logs.get_logger(
                "fastapi", __version__, config["logger_provider"], schema_url=_SCHEMA_URL
            )
            if logging
            else None,
            _mount_prefix=scope.get("app_root_path", scope.get("root_path", "")).rstrip("/"),
        )
        outcome = _Outcome(
            record=record,
            attributes=attributes,
            active_attributes=active_attributes,
            is_websocket=is_websocket,
            duration=duration,
            active=active,
        )
        scope["fastapi.telemetry"] = record
        token = otel_context.attach(otel_context.set_value(_REQUEST_TELEMETRY_KEY, record))
        _requests_in_flight[0] += 1
        try:
            with (
                trace.use_span(
                    span, end_on_exit=False, record_exception=False, set_status_on_exception=False
                )
                if span is not None
                else nullcontext()
            ):
                await self._run(app, scope, receive, send, outcome)
        finally:
            _requests_in_flight[0] -= 1
            record.data = None
            record._exceptions.clear()
            otel_context.detach(token)
            scope.pop("fastapi.telemetry", None)
            if parent_token is not None:
                otel_context.detach(parent_token)

    async def _run(
        self, app: ASGIApp, scope: Scope, receive: Receive, send: Send, outcome: _Outcome
    ) -> None:
        record = outcome.record
        is_websocket = outcome.is_websocket
        trailers = False
        disconnected = False

        async def observed_send(message: Message) -> None:
            nonlocal trailers
            kind = message["type"]
            if kind == "http.response.start":
                record.status_code = message["status"]
                trailers = message.get("trailers", False)
            await send(message)
            # The request ends with the last body part (or the last trailers).
            if (
                (
                    kind == "http.response.body"
                    and not message.get("more_body", False)
                    and not trailers
                )
                or (kind == "http.response.trailers" and not message.get("more_trailers", False))
                or kind == "http.response.pathsend"
            ):
                outcome.finish()

        async def observed_receive() -> Message:
            nonlocal disconnected
            message = await receive()
            if message["type"] == "http.disconnect":
                disconnected = True
            return message

        try:
            if is_websocket:
                await app(scope, receive, send)
            else:
                await app(scope, observed_receive, observed_send)
        except BaseException as exc:
            _exception(scope=scope, exc=exc)
            outcome.finish(None if is_websocket and _normal_websocket_disconnect(exc) else exc)
            raise
        finally:
            if not outcome.finished:
                if is_websocket:
                    outcome.finish()
                elif disconnected:
                    outcome.finish(ConnectionError("Client disconnected"))
                else:
                    outcome.finish(RuntimeError("Incomplete ASGI response"))
