# SPDX-License-Identifier: MIT
# fasterapi/_params.py: read and validate a request's path, query, header and cookie values
"""Per request: read every parameter slot of a plan from the request (under the names
:mod:`fasterapi._aliases` gives, parameter models from all of their location's values),
fill defaults, and validate all of them with the plan's one validator. Errors carry
FastAPI's ``loc`` (location, the name the value was read under, ...)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from pydantic import ValidationError
from starlette.requests import cookie_parser

from ._plan import ModelGroup, ParamSlot, RoutePlan
from .params import Undefined

PARAM_ERROR = 0


def missing_error(loc: tuple[Any, ...]) -> dict[str, Any]:
    return {"type": "missing", "loc": loc, "msg": "Field required", "input": None}


def _query_lists(scope: Any) -> dict[str, list[str]]:
    """The query string as Starlette's QueryParams reads it (``parse_qsl``, blank values
    kept), by key."""
    lists: dict[str, list[str]] = {}
    query_string = scope.get("query_string", b"")
    if not query_string:
        return lists
    text = query_string.decode("latin-1")
    if "%" in text or "+" in text:
        pairs = parse_qsl(text, keep_blank_values=True)
    else:
        # Nothing to unquote: splitting is all parse_qsl would do.
        pairs = [piece.partition("=")[::2] for piece in text.split("&") if piece]
    for key, value in pairs:
        lists.setdefault(key, []).append(value)
    return lists


def _header_lists(scope: Any) -> dict[str, list[str]]:
    lists: dict[str, list[str]] = {}
    for key, value in scope["headers"]:
        lists.setdefault(key.decode("latin-1").lower(), []).append(value.decode("latin-1"))
    return lists


def _cookie_lists(scope: Any) -> dict[str, list[str]]:
    cookie_header = ""
    for key, value in scope["headers"]:
        if key == b"cookie":
            cookie_header = value.decode("latin-1")
            break
    return {key: [value] for key, value in cookie_parser(cookie_header).items()}


def _sources(plan: RoutePlan, scope: Any) -> dict[str, dict[str, list[Any]]]:
    sources: dict[str, dict[str, list[Any]]] = {}
    if "path" in plan.sources:
        sources["path"] = {key: [value] for key, value in scope.get("path_params", {}).items()}
    if "query" in plan.sources:
        sources["query"] = _query_lists(scope)
    if "header" in plan.sources:
        sources["header"] = _header_lists(scope)
    if "cookie" in plan.sources:
        sources["cookie"] = _cookie_lists(scope)
    return sources


def _pick(
    pairs: tuple[tuple[str, str], ...], values: dict[str, list[Any]], header: bool
) -> tuple[str, str]:
    """The first (validation alias, request key) pair whose key the request has."""
    for pair in pairs:
        if (pair[1].lower() if header else pair[1]) in values:
            return pair
    return pairs[0]


def _value(found: list[Any] | None, many: bool, location: str) -> Any:
    if not found:
        return Undefined
    if many:
        return found
    # A repeated query key keeps its last value, a repeated header its first.
    return found[0] if location == "header" else found[-1]


def _read_group(
    group: ModelGroup, location: str, values: dict[str, list[Any]]
) -> tuple[Any, dict[str, str]]:
    """A parameter model's input: its fields' values under their validation aliases and
    every other value of the location (the model's extra policy decides about those); and
    the header names to report instead of field names."""
    header = location == "header"
    data: dict[str, Any] = {}
    processed: set[str] = set()
    header_aliases: dict[str, str] = {}
    for model_field in group.fields:
        alias, request_alias = _pick(model_field.aliases, values, header)
        key = request_alias.lower() if header else request_alias
        value = _value(values.get(key), model_field.many and location != "cookie", location)
        if value is not Undefined:
            data[alias] = value
        processed.add(key)
        if header:
            processed.update(va.lower() for va, ha in model_field.aliases if va != ha)
            if alias != request_alias:
                header_aliases[model_field.name] = request_alias
    for key, found in values.items():
        if key not in processed:
            data[key] = found[0] if len(found) == 1 else list(found)
    if group.optional:
        supplied = any(name in values for name in group.own_names)
        if not (supplied or (group.extra_strict and data)):
            return Undefined, header_aliases
    return data, header_aliases


def validate_params(plan: RoutePlan, scope: Any, errors: list[Any]) -> dict[str, Any]:
    """The validated parameter values by slot key; problems appended to *errors* as
    (owner step, PARAM_ERROR, error)."""
    return validate_sources(plan, _sources(plan, scope), errors)


def validate_sources(
    plan: RoutePlan, sources: dict[str, dict[str, list[Any]]], errors: list[Any]
) -> dict[str, Any]:
    """:func:`validate_params` on values already read: location -> key -> values (header
    keys in lower case)."""
    inputs: dict[str, Any] = {}
    values: dict[str, Any] = {}
    read_as: dict[str, str] = {}
    renamed: dict[str, dict[str, str]] = {}
    for slot in plan.slots:
        found = sources[slot.location]
        if slot.group is not None:
            raw, header_aliases = _read_group(slot.group, slot.location, found)
            if header_aliases and slot.group.loc_by_alias:
                renamed[slot.key] = header_aliases
        else:
            _, request_alias = _pick(slot.aliases, found, slot.location == "header")
            read_as[slot.key] = request_alias
            lookup = request_alias.lower() if slot.location == "header" else request_alias
            raw = _value(found.get(lookup), slot.many, slot.location)
        if raw is not Undefined:
            inputs[slot.key] = raw
        elif slot.required:
            errors.append((slot.owner, PARAM_ERROR, missing_error(_loc(slot, read_as))))
        elif slot.validate_default:
            inputs[slot.key] = slot.default_value()
        else:
            values[slot.key] = slot.default_value()
    if not inputs:
        return values
    validator = plan.validator
    assert validator is not None
    try:
        values.update(validator.validate_python(inputs, from_attributes=True))
    except ValidationError as error:
        failed: set[str] = set()
        by_key = {slot.key: slot for slot in plan.slots}
        for item in error.errors(include_url=False):
            first, *rest = item["loc"]
            slot = by_key[str(first)]
            failed.add(slot.key)
            aliases = renamed.get(slot.key)
            if aliases and rest and rest[0] in aliases:
                rest[0] = aliases[rest[0]]
            item["loc"] = (*_loc(slot, read_as), *rest)
            errors.append((slot.owner, PARAM_ERROR, item))
        good = {key: value for key, value in inputs.items() if key not in failed}
        if good:
            values.update(validator.validate_python(good, from_attributes=True))
    return values


def _loc(slot: ParamSlot, read_as: dict[str, str]) -> tuple[Any, ...]:
    if slot.group is not None:
        return (slot.location,)
    return (slot.location, read_as.get(slot.key, slot.aliases[0][1]))
