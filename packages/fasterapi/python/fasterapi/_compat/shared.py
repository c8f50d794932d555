# SPDX-License-Identifier: MIT
# fasterapi/_compat/shared.py: annotation tests that code written against FastAPI imports
"""``fastapi._compat.shared``'s annotation helpers, on fasterapi's own type analysis."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args

from ..dependencies.utils import (
    _is_sequence,
    _is_union,
    _is_upload_file,
    _strip_annotated,
    lenient_issubclass,
)


def _sequence_of(annotation: Any, member: Callable[[Any], bool]) -> bool:
    annotation = _strip_annotated(annotation)
    if _is_union(annotation):
        return any(_sequence_of(arg, member) for arg in get_args(annotation))
    return _is_sequence(annotation) and any(member(arg) for arg in get_args(annotation))


def is_bytes_sequence_annotation(annotation: Any) -> bool:
    """``list[bytes]`` (also inside a union or ``Annotated``)."""
    return _sequence_of(annotation, lambda arg: lenient_issubclass(_strip_annotated(arg), bytes))


def is_uploadfile_sequence_annotation(annotation: Any) -> bool:
    """``list[UploadFile]`` (also inside a union or ``Annotated``)."""
    return _sequence_of(annotation, _is_upload_file)
