# SPDX-License-Identifier: MIT
# fasterapi/_extraction.py: FastAPI's parameter and body extraction helpers, on plans
"""``request_params_to_args`` and ``request_body_to_args``, the helpers FastAPI exposes in
``fastapi.dependencies.utils`` (libraries call them to validate values the way an endpoint
would). Here they compile the fields into a plan and run the same readers and validators a
request goes through, so the answers (values, errors, their ``loc``) are the endpoint's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from starlette.datastructures import FormData, Headers

from ._params import validate_sources
from ._plan import ARG_BODY, ARG_PARAM, RoutePlan, compile_plan
from ._run import Solved, _validate_form, _validate_received
from .dependencies.models import Dependant, ModelField


def _accept_anything(**_: Any) -> None:
    """The endpoint of the plans compiled here (never called)."""


def _by_name(plan: RoutePlan, source: int, values: Mapping[Any, Any]) -> dict[str, Any]:
    """Values keyed by slot, keyed again by the parameter name the endpoint would see."""
    return {
        name: values[key]
        for name, kind, key in plan.steps[-1].args
        if kind == source and key in values
    }


def _as_lists(received: Any, header: bool) -> dict[str, list[Any]]:
    """One location's values, key -> every value (header keys in lower case), read in one
    pass."""
    if isinstance(received, Headers):
        pairs: Any = (
            (key.decode("latin-1").lower(), value.decode("latin-1")) for key, value in received.raw
        )
    elif hasattr(received, "multi_items"):
        pairs = received.multi_items()
    else:
        pairs = received.items()
    lists: dict[str, list[Any]] = {}
    for key, value in pairs:
        lists.setdefault(key.lower() if header else key, []).append(value)
    return lists


def request_params_to_args(
    fields: Sequence[ModelField], received_params: Mapping[str, Any] | Headers
) -> tuple[dict[str, Any], list[Any]]:
    """Validate *fields* (parameters of one location: path, query, header or cookie)
    against *received_params*; returns (values by parameter name, errors)."""
    if not fields:
        return {}, []
    location = fields[0].field_info.in_.value  # type: ignore[attr-defined]
    dependant = Dependant(call=_accept_anything)
    setattr(dependant, f"{location}_params", list(fields))
    plan = compile_plan(dependant)
    sources = {location: _as_lists(received_params, header=location == "header")}
    errors: list[Any] = []
    values = validate_sources(plan, sources, errors)
    return _by_name(plan, ARG_PARAM, values), [error for _, _, error in errors]


async def request_body_to_args(
    body_fields: list[ModelField], received_body: Any, embed_body_fields: bool
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Validate the body *body_fields* against *received_body* (a parsed JSON value, bytes
    or FormData; ``Undefined`` when there was no body); returns (values by parameter name,
    errors)."""
    if not body_fields:
        return {}, []
    plan = compile_plan(
        Dependant(call=_accept_anything, body_params=list(body_fields)),
        embed_body_fields=embed_body_fields,
    )
    assert plan.body is not None
    solved = Solved()
    if isinstance(received_body, FormData):
        values = await _validate_form(plan.body, received_body, solved)
    else:
        values = _validate_received(plan.body, received_body, solved)
    errors = [error for _, _, error in solved.errors]
    first = plan.body.slots[0]
    if len(body_fields) == 1 and not plan.body.embed and not first.form_models:
        # The whole body is the one field: its value, None when it failed (as FastAPI).
        return {body_fields[0].name: values.get(first.key)}, errors
    return _by_name(plan, ARG_BODY, values), errors
