# SPDX-License-Identifier: MIT
# fasterapi/_pydantic_v1.py: refusing pydantic.v1 models, clearly, where FastAPI does
"""pydantic.v1 models are not supported (as in FastAPI): using one as a parameter, body or
response model, or encoding one, raises :class:`~fasterapi.exceptions.PydanticV1NotSupportedError`.

A program that has a v1 model has imported ``pydantic.v1``; until then the checks cost a dict
lookup.
"""

from __future__ import annotations

import sys
from typing import Any, get_args

from .exceptions import PydanticV1NotSupportedError


def _v1_base() -> type[Any] | None:
    v1 = sys.modules.get("pydantic.v1")
    return getattr(v1, "BaseModel", None) if v1 is not None else None


def annotation_is_pydantic_v1(annotation: Any) -> bool:
    """A pydantic.v1 model, or a union / container / Annotated with one inside."""
    base = _v1_base()
    if base is None:
        return False

    def contains_v1(candidate: Any) -> bool:
        if isinstance(candidate, type) and issubclass(candidate, base):
            return True
        return any(contains_v1(arg) for arg in get_args(candidate))

    return contains_v1(annotation)


def check_annotation(annotation: Any, where: str) -> None:
    if annotation_is_pydantic_v1(annotation):
        raise PydanticV1NotSupportedError(
            f"pydantic.v1 models are not supported ({where}: {annotation!r}); use pydantic v2 "
            "models (`from pydantic import BaseModel`)"
        )


def check_instance(obj: Any) -> None:
    base = _v1_base()
    if base is not None and isinstance(obj, base):
        raise PydanticV1NotSupportedError(
            f"cannot encode a pydantic.v1 model ({type(obj).__name__}); pydantic.v1 models are "
            "not supported, use pydantic v2 models"
        )
