# SPDX-License-Identifier: MIT
"""Differential testing: every app is defined once, as a function of the framework module,
and built twice, on ``fastapi`` and on ``fasterapi``; the same requests must get the same
answers and the two OpenAPI documents must be equal."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import Any

import pytest
from starlette.testclient import TestClient

# Response headers whose values must match (the rest, e.g. date, legitimately differ).
COMPARED_HEADERS = (
    "content-type",
    "content-length",
    "location",
    "allow",
    "www-authenticate",
    "x-custom",
    "set-cookie",
    "access-control-allow-origin",
    "content-encoding",
)

_MODULES = (
    "",
    ".responses",
    ".security",
    ".encoders",
    ".middleware.cors",
    ".middleware.gzip",
    ".staticfiles",
    ".exception_handlers",
    ".exceptions",
    ".routing",
    ".sse",
)


def framework(name: str) -> SimpleNamespace:
    """The framework's public modules in one namespace: ``fw.FastAPI``, ``fw.responses``..."""
    package = importlib.import_module(name)
    space = SimpleNamespace(**{key: getattr(package, key) for key in dir(package)})
    for suffix in _MODULES[1:]:
        module = importlib.import_module(name + suffix)
        setattr(space, suffix.rsplit(".", 1)[-1], module)
    return space


Request = tuple[str, str, dict[str, Any]]


def answers(app: Any, requests: Iterable[Request]) -> list[dict[str, Any]]:
    results = []
    with TestClient(app, raise_server_exceptions=False) as client:
        for method, url, options in requests:
            response = client.request(method, url, **options)
            headers = {key: response.headers.get(key) for key in COMPARED_HEADERS}
            results.append(
                {
                    "request": f"{method} {url}",
                    "status": response.status_code,
                    "headers": headers,
                    "body": response.content,
                }
            )
    return results


@pytest.fixture
def compare() -> Callable[..., None]:
    """``compare(build, requests)``: build the app on both frameworks and compare answers
    and OpenAPI documents."""

    def run(build: Callable[[SimpleNamespace], Any], requests: Iterable[Request]) -> None:
        requests = list(requests)
        reference_app = build(framework("fastapi"))
        our_app = build(framework("fasterapi"))
        expected = answers(reference_app, requests)
        actual = answers(our_app, requests)
        for want, got in zip(expected, actual, strict=True):
            assert got == want, want["request"]
        # Byte for byte: same content and the same key order.
        assert json.dumps(our_app.openapi()) == json.dumps(reference_app.openapi())

    return run
