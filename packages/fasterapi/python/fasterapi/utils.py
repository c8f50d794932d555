# SPDX-License-Identifier: MIT
# fasterapi/utils.py: small helpers shared by routing and OpenAPI generation
"""Helpers: status codes that allow a body, operation ids, dict merging."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .datastructures import DefaultPlaceholder

if TYPE_CHECKING:
    from .routing import APIRoute

# OpenAPI's status code ranges, which stand for codes that may have a body.
_STATUS_RANGES = frozenset({"default", "1XX", "2XX", "3XX", "4XX", "5XX"})


def is_body_allowed_for_status_code(status_code: int | str | None) -> bool:
    """False for 1xx, 204, 205 and 304, whose responses have no body."""
    if status_code is None or status_code in _STATUS_RANGES:
        return True
    code = int(status_code)
    return not (code < 200 or code in {204, 205, 304})


def get_path_param_names(path: str) -> set[str]:
    """The parameter names in a path pattern (``{name}`` or ``{name:convertor}``)."""
    return {name.split(":")[0] for name in re.findall("{(.*?)}", path)}


def generate_unique_id(route: APIRoute) -> str:
    """The default operation id: route name, path and first method, non-word characters
    replaced by ``_``."""
    operation_id = re.sub(r"\W", "_", f"{route.name}{route.path_format}")
    return f"{operation_id}_{next(iter(route.methods)).lower()}"


def deep_dict_update(main: dict[Any, Any], update: dict[Any, Any]) -> None:
    """Merge *update* into *main*: dicts recursively, lists concatenated, the rest
    replaced."""
    for key, value in update.items():
        current = main.get(key)
        if key in main and isinstance(current, dict) and isinstance(value, dict):
            deep_dict_update(current, value)
        elif key in main and isinstance(current, list) and isinstance(value, list):
            main[key] = current + value
        else:
            main[key] = value


def get_value_or_default(first: Any, *others: Any) -> Any:
    """The first item that is not a :class:`DefaultPlaceholder`, else *first*."""
    for item in (first, *others):
        if not isinstance(item, DefaultPlaceholder):
            return item
    return first
