# SPDX-License-Identifier: MIT
# fasterapi/_observed.py: the request pipeline's steps, recorded for telemetry
"""The route handlers take these paths only for a request that telemetry records (see
:mod:`fasterapi.telemetry`): the same steps as the plain path, each inside its operation span
(``fastapi.dependencies``, ``fastapi.endpoint``, ``fastapi.serialization``), with the
request's :class:`~fasterapi.telemetry.TelemetryData` filled in as they go."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager, AsyncExitStack
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

from ._plan import CALL_SYNC, Step
from ._run import Solved, call_step
from .exceptions import RequestValidationError
from .telemetry._api import _operation, _RequestTelemetry, _run_sync_endpoint, _validation_failed

T = TypeVar("T")


class DependenciesObserver:
    """The dependencies span of one request. ``solve()`` opens it once the body is read, as
    FastAPI reads (and rejects a malformed) body before it solves the dependencies."""

    __slots__ = ("_span", "endpoint", "record")

    def __init__(self, record: _RequestTelemetry, endpoint: Callable[..., Any]) -> None:
        self.record = record
        self.endpoint = endpoint
        self._span: AbstractContextManager[None] | None = None

    def body_read(self, body: Any) -> None:
        if self.record.data is not None:
            self.record.data.body = body  # processors see it while dependencies run
        self._span = _operation(name="dependencies", function=self.endpoint)
        self._span.__enter__()

    def close(self, error: BaseException | None) -> None:
        if self._span is None:
            return
        if error is None:
            self._span.__exit__(None, None, None)
        else:
            self._span.__exit__(type(error), error, error.__traceback__)


async def solve_observed(
    record: _RequestTelemetry,
    endpoint: Callable[..., Any],
    solve: Callable[[DependenciesObserver], Awaitable[Solved]],
) -> Solved:
    """``solve(observer)`` (the request's dependencies), inside the dependencies span; the
    request's data gets the endpoint's arguments and the validation errors."""
    observer = DependenciesObserver(record, endpoint)
    try:
        solved = await solve(observer)
    except RequestValidationError as error:  # a body that is not JSON
        observer.close(error)
        _validation_failed(error)
        raise
    except BaseException as error:
        observer.close(error)
        raise
    if record.data is not None:
        record.data.values = solved.arguments
        record.data.errors = solved.errors
    observer.close(None)
    return solved


async def call_endpoint_observed(
    step: Step,
    arguments: dict[str, Any],
    stack: AsyncExitStack | None,
    endpoint: Callable[..., Any],
) -> Any:
    """Call the endpoint inside its span; a sync endpoint's span starts in its worker thread,
    where the endpoint runs (so the span is current there)."""
    if step.kind != CALL_SYNC:
        with _operation(name="endpoint", function=endpoint):
            return await call_step(step, arguments, stack)
    if step.concurrency is None:
        return await run_in_threadpool(_run_sync_endpoint, function=step.call, arguments=arguments)
    async with step.concurrency.get_semaphore():
        return await run_in_threadpool(_run_sync_endpoint, function=step.call, arguments=arguments)


async def serialize_observed(endpoint: Callable[..., Any], serializing: Awaitable[T]) -> T:
    with _operation(name="serialization", function=endpoint):
        return await serializing
