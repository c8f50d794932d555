# SPDX-License-Identifier: MIT
"""OpenTelemetry for every request, as FastAPI does it: a server span per HTTP request or
WebSocket connection (named ``GET /items/{item_id}``, with the semantic-convention
attributes), operation spans for dependencies, the endpoint, serialization and background
tasks, the ``http.server.request.duration`` and ``http.server.active_requests`` metrics, and
log records for validation failures and unhandled exceptions.

Nothing is recorded until a provider is configured (globally, or passed in the
configuration). Example::

    from opentelemetry.sdk.trace import TracerProvider

    app = FastAPI(telemetry={"tracer_provider": TracerProvider(), "metrics": False})

The instrumentation scope is named ``fastapi``, so dashboards and processors written for
FastAPI see the same names.
"""

from ._api import TelemetryConfig as TelemetryConfig
from ._api import TelemetryData as TelemetryData
from ._api import get_telemetry_data as get_telemetry_data
