# SPDX-License-Identifier: MIT
# fasterapi/_compat/v2.py: the names code written against fastapi._compat.v2 imports
"""``fastapi._compat.v2``'s field type (fasterapi's :class:`ModelField`) and its sequence
helper."""

import collections
import collections.abc
import types
import typing
from typing import Any, Union, get_args, get_origin

from ..dependencies.models import ModelField

__all__ = ["ModelField", "serialize_sequence_value"]

# The concrete type a value of each sequence annotation is built as.
_SEQUENCE_TYPES: dict[Any, type] = {
    list: list,
    tuple: tuple,
    set: set,
    frozenset: frozenset,
    collections.deque: collections.deque,
    collections.abc.Sequence: list,
    collections.abc.MutableSequence: list,
    collections.abc.Set: set,
    collections.abc.MutableSet: set,
    typing.Sequence: list,
}


def serialize_sequence_value(*, field: ModelField, value: Any) -> Any:
    """*value* (an iterable) built as the sequence type *field* declares: ``list[str]``
    gives a list, ``set[int] | None`` a set, ``tuple[bytes, ...]`` a tuple."""
    annotation = field.field_info.annotation
    origin = get_origin(annotation) or annotation
    if origin is Union or origin is types.UnionType:
        # An optional sequence: the first member that is not None.
        member = next(arg for arg in get_args(annotation) if arg is not type(None))
        origin = get_origin(member) or member
    build = _SEQUENCE_TYPES.get(origin)
    if build is None:
        raise TypeError(
            f"field {field.name!r} is not a sequence: its annotation is {annotation!r} "
            f"(allowed: list, tuple, set, frozenset, deque and their abstract types)"
        )
    return build(value)
