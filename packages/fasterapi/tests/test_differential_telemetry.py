# SPDX-License-Identifier: MIT
"""OpenTelemetry, side by side: the same application on FastAPI and on fasterapi, each
recording into in-memory exporters, must produce the same spans (names, kinds, parents,
attributes, status), the same metric points and the same log records."""

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Annotated, Any

import pytest
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from pydantic import BaseModel
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

Build = Callable[[ModuleType, dict[str, Any]], Any]
Request = tuple[str, str, dict[str, Any]]


class Recorders:
    """One set of in-memory exporters and the telemetry configuration that feeds them."""

    def __init__(self) -> None:
        self.spans = InMemorySpanExporter()
        self.tracer_provider = TracerProvider(shutdown_on_exit=False)
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.spans))
        self.metrics = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.metrics], shutdown_on_exit=False)
        self.logs = InMemoryLogRecordExporter()
        self.logger_provider = LoggerProvider(shutdown_on_exit=False)
        self.logger_provider.add_log_record_processor(SimpleLogRecordProcessor(self.logs))

    def config(self) -> dict[str, Any]:
        return {
            "tracer_provider": self.tracer_provider,
            "meter_provider": self.meter_provider,
            "logger_provider": self.logger_provider,
        }

    def close(self) -> None:
        self.tracer_provider.shutdown()
        self.meter_provider.shutdown()
        self.logger_provider.shutdown()


def _neutral(value: Any) -> Any:
    # Names that differ only by the package they come from (code.function.name holds the
    # test module's functions, error.type may hold a framework class).
    if isinstance(value, str):
        return value.replace("fasterapi", "fastapi")
    return value


def _attributes(attributes: Any) -> dict[str, Any]:
    return {key: _neutral(value) for key, value in dict(attributes or {}).items()}


def recorded(recorders: Recorders) -> dict[str, Any]:
    """What the exporters hold, in a form that does not depend on ids or timings."""
    spans = recorders.spans.get_finished_spans()
    ids = {span.context.span_id: index for index, span in enumerate(spans)}
    metric_data = recorders.metrics.get_metrics_data()
    points = []
    if metric_data is not None:
        for resource in metric_data.resource_metrics:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    for point in metric.data.data_points:
                        count = getattr(point, "count", None)
                        value = getattr(point, "value", None)
                        points.append(
                            (
                                scope.scope.name,
                                metric.name,
                                _attributes(point.attributes),
                                count,
                                value,
                            )
                        )
    logs = [
        (
            log.log_record.event_name,
            log.log_record.severity_text,
            log.log_record.body,
            _attributes(
                {
                    k: v
                    for k, v in (log.log_record.attributes or {}).items()
                    if k != "exception.stacktrace"
                }
            ),
        )
        for log in recorders.logs.get_finished_logs()
    ]
    return {
        "spans": [
            {
                "name": span.name,
                "kind": span.kind,
                "scope": span.instrumentation_scope.name if span.instrumentation_scope else None,
                "parent": ids.get(span.parent.span_id) if span.parent else None,
                "status": span.status.status_code,
                "attributes": _attributes(span.attributes),
                "events": [event.name for event in span.events],
            }
            for span in spans
        ],
        "metrics": sorted(points, key=repr),
        "logs": logs,
    }


def run_both(build: Build, requests: list[Request], **config: Any) -> tuple[Any, Any]:
    """Build the app on both frameworks, send *requests*, return both recordings."""
    results = []
    for name in ("fastapi", "fasterapi"):
        recorders = Recorders()
        try:
            app = build(importlib.import_module(name), {**recorders.config(), **config})
            with TestClient(app, raise_server_exceptions=False) as client:
                for method, url, options in requests:
                    client.request(method, url, **options)
            results.append(recorded(recorders))
        finally:
            recorders.close()
    return results[0], results[1]


class Item(BaseModel):
    name: str
    price: float


def _rest_app(fw: ModuleType, config: dict[str, Any]) -> Any:
    app = fw.FastAPI(telemetry=config)
    router = fw.APIRouter(prefix="/shop")

    def current_user(token: str | None = None) -> str:
        if token == "bad":
            raise fw.HTTPException(status_code=401, detail="bad token")
        return token or "anonymous"

    @router.get("/items/{item_id}")
    async def read_item(item_id: int, user: Annotated[str, fw.Depends(current_user)]):
        return {"item_id": item_id, "user": user}

    @router.post("/items/", status_code=201)
    def create_item(item: Item, background_tasks: fw.BackgroundTasks):
        background_tasks.add_task(lambda: None)
        return item

    @app.get("/boom")
    async def boom():
        raise ValueError("exploded")

    app.include_router(router)
    return app


JSON = {"content-type": "application/json"}
REST_REQUESTS: list[Request] = [
    ("GET", "/shop/items/3?token=alice&sig=secret", {"headers": {"host": "example.com:8443"}}),
    ("GET", "/shop/items/x", {}),
    ("GET", "/shop/items/3?token=bad", {}),
    ("POST", "/shop/items/", {"json": {"name": "pen", "price": 1.5}}),
    (
        "POST",
        "/shop/items/",
        {"content": b"{not json", "headers": {"content-type": "application/json"}},
    ),
    ("GET", "/shop/items/3/", {}),
    ("GET", "/missing", {}),
    ("GET", "/boom", {}),
    ("BREW", "/shop/items/3", {}),
]


def test_spans_metrics_and_logs_match_fastapi():
    expected, actual = run_both(_rest_app, REST_REQUESTS)
    assert actual["spans"] == expected["spans"]
    assert actual["metrics"] == expected["metrics"]
    assert actual["logs"] == expected["logs"]
    # The comparison is not vacuous: every kind of record is there.
    names = {span["name"] for span in actual["spans"]}
    assert {"GET /shop/items/{item_id}", "fastapi.endpoint", "fastapi.background_task"} <= names
    assert any(log[0] == "fastapi.validation.failed" for log in actual["logs"])
    assert any(log[0] == "http.server.request.exception" for log in actual["logs"])


@pytest.mark.parametrize(
    "config",
    [{"operation_spans": False}, {"metrics": False, "logs": False}, {"tracing": False}],
)
def test_partial_configurations_match_fastapi(config):
    expected, actual = run_both(_rest_app, REST_REQUESTS[:4], **config)
    assert actual == expected


def test_excluded_requests_match_fastapi():
    expected, actual = run_both(
        _rest_app,
        REST_REQUESTS[:4],
        exclude=lambda scope: scope["path"].startswith("/shop/items/3"),
    )
    assert actual == expected
    paths = [span["attributes"].get("url.path") for span in actual["spans"]]
    assert "/shop/items/x" in paths
    assert "/shop/items/3" not in paths


def _websocket_and_mount_app(fw: ModuleType, config: dict[str, Any]) -> Any:
    app = fw.FastAPI(telemetry=config)
    child = fw.FastAPI()

    @child.get("/things/{thing}")
    def thing(thing: str):
        return thing

    @app.websocket("/ws/{room}")
    async def chat(websocket: fw.WebSocket, room: int):
        await websocket.accept()
        await websocket.send_text(str(room))
        await websocket.close()

    app.mount("/tenants/{tenant}", child)
    return app


def test_websockets_and_mounts_match_fastapi():
    results = []
    for name in ("fastapi", "fasterapi"):
        recorders = Recorders()
        try:
            app = _websocket_and_mount_app(importlib.import_module(name), recorders.config())
            with TestClient(app, raise_server_exceptions=False) as client:
                assert client.get("/tenants/acme/things/7").json() == "7"
                with client.websocket_connect("/ws/5") as websocket:
                    assert websocket.receive_text() == "5"
                with (
                    pytest.raises(WebSocketDisconnect),  # a room that is not a number
                    client.websocket_connect("/ws/not-a-number") as websocket,
                ):
                    websocket.receive_text()
            results.append(recorded(recorders))
        finally:
            recorders.close()
    expected, actual = results
    assert actual == expected
    assert {"GET /tenants/{tenant}/things/{thing}", "WS /ws/{room}"} <= {
        span["name"] for span in actual["spans"]
    }


def test_nothing_is_recorded_without_providers():
    fw = importlib.import_module("fasterapi")
    app = fw.FastAPI()

    @app.get("/")
    async def root():
        from fasterapi.telemetry import get_telemetry_data

        return get_telemetry_data() is None

    with TestClient(app) as client:
        assert client.get("/").json() is True
