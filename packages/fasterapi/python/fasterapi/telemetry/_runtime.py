# SPDX-License-Identifier: MIT
# fasterapi/telemetry/_runtime.py: OTLP exporters from the environment, added at startup
"""With ``auto_configure`` (or ``FASTAPI_OTEL_AUTO_CONFIGURE=true``), startup adds an OTLP
over HTTP exporter for each enabled signal whose endpoint the standard variables name
(``OTEL_EXPORTER_OTLP_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT``).

Existing providers and their exporters are kept: where the global provider is still the API's
placeholder, an SDK provider is installed; otherwise the exporter is added to the provider in
place. Each provider gets our exporter once. What we create we flush at shutdown and shut down
at process exit; providers the application passed in are never shut down.
"""

from __future__ import annotations

import atexit
import os
import threading
from typing import Any
from urllib.parse import urlsplit

from anyio.to_thread import run_sync
from opentelemetry import _logs, metrics, trace
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..exceptions import FasterAPIError
from ..logger import logger
from ._api import TelemetryConfig, _unconfigured

_lock = threading.RLock()
# Providers and export components we created (flushed at shutdown, shut down at exit).
_owned: list[Any] = []
# (signal, provider) pairs that already have our exporter.
_configured: list[tuple[str, Any]] = []

_TURN_OFF = "pass telemetry={'auto_configure': False} to FastAPI()"


def _flush() -> None:
    for component in tuple(_owned):
        try:
            component.force_flush()
        except Exception:
            logger.exception("FastAPI telemetry cleanup failed")


def _shutdown() -> None:
    with _lock:
        owned = tuple(_owned)
        _owned.clear()
    for component in owned:
        try:
            component.shutdown()
        except Exception:
            logger.exception("FastAPI telemetry cleanup failed")


atexit.register(_shutdown)


def _export_endpoint(signal: str) -> str | None:
    """The OTLP/HTTP URL for *signal* (TRACES, METRICS, LOGS), or None when not exported.
    Raises FasterAPIError for an exporter, protocol or URL we cannot set up."""
    exporter = (os.getenv(f"OTEL_{signal}_EXPORTER") or "otlp").strip().lower()
    endpoint = os.getenv(f"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT")
    if not endpoint:
        base = os.getenv("OTEL_EXPORTER_OTLP_ENDPOINT")
        # The shared endpoint gets the signal's path; a signal's own endpoint is used as is.
        endpoint = f"{base.removesuffix('/')}/v1/{signal.lower()}" if base else None
    if not endpoint or exporter == "none":
        return None
    if exporter != "otlp":
        raise FasterAPIError(
            f"FastAPI automatic telemetry supports OTEL_{signal}_EXPORTER=otlp or none. "
            f"Configure other exporters explicitly and {_TURN_OFF}."
        )
    protocol = (
        os.getenv(f"OTEL_EXPORTER_OTLP_{signal}_PROTOCOL")
        or os.getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
        or "http/protobuf"
    )
    if protocol != "http/protobuf":
        raise FasterAPIError(
            "FastAPI automatic telemetry requires the OTLP http/protobuf protocol. "
            f"Configure other transports explicitly and {_TURN_OFF}."
        )
    parsed = urlsplit(endpoint)
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        raise FasterAPIError(
            f"Invalid OTLP {signal.lower()} endpoint. Use an absolute HTTP or HTTPS URL."
        )
    return endpoint


def _registration_provider(provider: Any) -> Any:
    """Where to register an exporter: older Logfire meter wrappers cannot take a reader
    themselves, their SDK provider can (measurements still go through the wrapper)."""
    cls = type(provider)
    if (
        cls.__module__ == "logfire._internal.metrics"
        and cls.__name__ == "ProxyMeterProvider"
        and not hasattr(provider, "add_metric_reader")
    ):
        return provider.provider
    return provider


class _Exporters:
    """The SDK pieces for each signal (imported only when something is exported)."""

    def __init__(self) -> None:
        try:
            from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
            from opentelemetry.exporter.otlp.proto.http.metric_exporter import (
                OTLPMetricExporter,
            )
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            from opentelemetry.sdk._logs import LoggerProvider
            from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
            from opentelemetry.sdk.metrics import MeterProvider
            from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
            from opentelemetry.sdk.trace import TracerProvider
            from opentelemetry.sdk.trace.export import BatchSpanProcessor
        except ImportError as exc:
            raise FasterAPIError(
                "Automatic OpenTelemetry export requires opentelemetry-sdk and "
                "opentelemetry-exporter-otlp-proto-http: install fasterapi[opentelemetry] "
                "(as fastapi[opentelemetry] does for FastAPI), configure providers "
                f"yourself, or {_TURN_OFF}."
            ) from exc
        self.span_exporter = OTLPSpanExporter
        self.metric_exporter = OTLPMetricExporter
        self.log_exporter = OTLPLogExporter
        self.tracer_provider = TracerProvider
        self.meter_provider = MeterProvider
        self.logger_provider = LoggerProvider
        self.span_processor = BatchSpanProcessor
        self.metric_reader = PeriodicExportingMetricReader
        self.log_processor = BatchLogRecordProcessor

    def component(self, signal: str, endpoint: str) -> Any:
        if signal == "TRACES":
            return self.span_processor(self.span_exporter(endpoint=endpoint))
        if signal == "METRICS":
            return self.metric_reader(self.metric_exporter(endpoint=endpoint))
        return self.log_processor(self.log_exporter(endpoint=endpoint))

    def install_provider(self, signal: str, component: Any) -> Any:
        """A new SDK provider with *component*, made the global one (returned)."""
        provider: Any
        if signal == "TRACES":
            provider = self.tracer_provider(shutdown_on_exit=False)
            provider.add_span_processor(component)
            trace.set_tracer_provider(provider)
        elif signal == "METRICS":
            provider = self.meter_provider(metric_readers=[component], shutdown_on_exit=False)
            metrics.set_meter_provider(provider)
        else:
            provider = self.logger_provider(shutdown_on_exit=False)
            provider.add_log_record_processor(component)
            _logs.set_logger_provider(provider)
        return provider


# Per signal: the API module, the provider's kind, and the SDK method that adds an exporter.
_SIGNALS: dict[str, tuple[Any, str, str]] = {
    "TRACES": (trace, "tracer", "add_span_processor"),
    "METRICS": (metrics, "meter", "add_metric_reader"),
    "LOGS": (_logs, "logger", "add_log_record_processor"),
}


def _global_provider(signal: str) -> Any:
    # Looked up on the module at call time, so a replaced getter is honoured.
    module, kind, _ = _SIGNALS[signal]
    return getattr(module, f"get_{kind}_provider")()


def _configure_from_environment(config: TelemetryConfig) -> None:
    """Add the OTLP exporters the environment names to the selected providers (see the
    module's docstring); called before the application's startup."""
    if not config["auto_configure"] or os.getenv("OTEL_SDK_DISABLED", "").lower() == "true":
        return
    with _lock:
        signals = [
            ("TRACES", config["tracing"], config["tracer_provider"]),
            ("METRICS", config["metrics"], config["meter_provider"]),
            ("LOGS", config["logs"], config["logger_provider"]),
        ]
        requested = [
            (signal, explicit, endpoint)
            for signal, enabled, explicit in signals
            if enabled and (endpoint := _export_endpoint(signal)) is not None
        ]
        if not requested:
            return
        exporters = _Exporters()
        for signal, explicit, endpoint in requested:
            _attach_exporter(exporters, signal, explicit, endpoint)


def _attach_exporter(exporters: _Exporters, signal: str, explicit: Any, endpoint: str) -> None:
    _, name, register_method = _SIGNALS[signal]
    provider = _registration_provider(
        explicit if explicit is not None else _global_provider(signal)
    )
    if any(s == signal and p is provider for s, p in _configured):
        return
    if explicit is None and _unconfigured(provider):
        installed = exporters.install_provider(signal, exporters.component(signal, endpoint))
        current = _global_provider(signal)
        if current is installed:
            _configured.append((signal, installed))
            _owned.append(installed)
            return
        # Someone else installed a global provider meanwhile: drop ours, join theirs.
        installed.shutdown()
        provider = _registration_provider(current)
    # Vendor wrappers may offer the SDK's registration method without being SDK classes.
    register = getattr(provider, register_method, None)
    if not callable(register):
        raise FasterAPIError(
            f"The configured OpenTelemetry {name} provider does not support adding an OTLP "
            f"exporter. Configure environment export through that provider and {_TURN_OFF}."
        )
    component = exporters.component(signal, endpoint)
    try:
        register(component)
    except Exception:
        component.shutdown()
        raise
    _configured.append((signal, provider))
    _owned.append(component)


async def lifespan(
    *, config: TelemetryConfig, app: ASGIApp, scope: Scope, receive: Receive, send: Send
) -> None:
    """Run the application's lifespan with exporters set up before startup and flushed
    when it ends."""

    async def receive_configuring() -> Message:
        message = await receive()
        if message["type"] == "lifespan.startup":
            try:
                _configure_from_environment(config)
            except Exception as exc:
                # Telemetry is optional: a bad setup is reported, startup goes on.
                logger.warning("FastAPI automatic telemetry configuration failed: %s", exc)
        return message

    async def send_flushing(message: Message) -> None:
        ends = {"lifespan.shutdown.complete", "lifespan.shutdown.failed", "lifespan.startup.failed"}
        if message["type"] in ends and _owned:
            await run_sync(_flush)
        await send(message)

    await app(scope, receive_configuring, send_flushing)
