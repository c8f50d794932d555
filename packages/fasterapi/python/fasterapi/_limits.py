# SPDX-License-Identifier: MIT
# fasterapi/_limits.py: request body size limits and form parsing limits
"""Limits a client cannot exceed: ``max_body_size`` (bytes of request body; 413 beyond it,
counted on the bytes actually received, not the announced length) and ``form_limits``
(``max_fields``, ``max_files``, ``max_part_size`` for form parsing; 400 beyond them).

Both can be set on the application, a router, ``include_router`` and a route; the most
specific setting wins (a route's over its router's over the including call's over the
parent's). Form limits merge key by key."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, NonNegativeInt, TypeAdapter, with_config
from typing_extensions import TypedDict


@with_config(ConfigDict(strict=True, extra="forbid"))
class FormLimits(TypedDict, total=False):
    """Limits for parsing form bodies."""

    max_fields: Annotated[NonNegativeInt, "Maximum number of non-file form fields."]
    max_files: Annotated[NonNegativeInt, "Maximum number of files in a multipart form."]
    max_part_size: Annotated[NonNegativeInt, "Maximum size of a non-file field, in bytes."]


_form_limits_adapter = TypeAdapter(FormLimits)

# The form limits of the routers a request went through, outermost first (a route's own
# limits win over them): routes a router did not add itself (``routes=``, a mounted
# application) get them from here.
FORM_LIMITS_SCOPE_KEY = "fasterapi.form_limits"


def scoped_form_limits(scope: Any, own: dict[str, int] | None) -> dict[str, int] | None:
    """*own* limits over those the enclosing routers put in *scope*."""
    enclosing = scope.get(FORM_LIMITS_SCOPE_KEY)
    if not enclosing:
        return own
    return {**enclosing, **(own or {})}


def validate_form_limits(limits: Any) -> dict[str, int]:
    """The limits checked (known keys, non-negative ints), ``{}`` for None."""
    if limits is None:
        return {}
    checked: dict[str, int] = dict(_form_limits_adapter.validate_python(limits))  # type: ignore[arg-type]
    return checked


def validate_max_body_size(max_body_size: Any) -> int | None:
    if max_body_size is None:
        return None
    if isinstance(max_body_size, bool) or not isinstance(max_body_size, int) or max_body_size < 0:
        raise ValueError("max_body_size must be a non-negative integer or None")
    return max_body_size


def first_set(*limits: int | None) -> int | None:
    """The most specific limit: the first one that is set."""
    for limit in limits:
        if limit is not None:
            return limit
    return None
