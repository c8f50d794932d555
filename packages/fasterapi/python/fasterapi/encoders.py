# SPDX-License-Identifier: MIT
# fasterapi/encoders.py: turn any returned value into JSON-compatible data
"""``jsonable_encoder``: pydantic models, dataclasses, dates, UUIDs, decimals, enums,
sets, paths and plain objects become dicts, lists, strings and numbers.

Example::

    >>> import datetime
    >>> jsonable_encoder({"when": datetime.date(2024, 1, 2), "tags": {"a"}})
    {'when': '2024-01-02', 'tags': ['a']}
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import deque
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from ipaddress import (
    IPv4Address,
    IPv4Interface,
    IPv4Network,
    IPv6Address,
    IPv6Interface,
    IPv6Network,
)
from pathlib import PurePath
from re import Pattern
from types import GeneratorType
from typing import Any
from uuid import UUID

from pydantic import AnyUrl, BaseModel, NameEmail, SecretBytes, SecretStr
from pydantic_core import PydanticUndefinedType, Url

from ._pydantic_v1 import check_instance as check_pydantic_v1_instance

IncEx = set[int] | set[str] | dict[int, Any] | dict[str, Any]


def decimal_encoder(value: Decimal) -> int | float:
    """A Decimal without fractional digits becomes an int (so ``Numeric(x, 0)`` ids
    round-trip), any other one a float."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= 0:
        return int(value)
    return float(value)


def _isoformat(value: datetime.date | datetime.time) -> str:
    return value.isoformat()


ENCODERS_BY_TYPE: dict[type[Any], Callable[[Any], Any]] = {
    bytes: lambda value: value.decode(),
    datetime.date: _isoformat,
    datetime.datetime: _isoformat,
    datetime.time: _isoformat,
    datetime.timedelta: lambda value: value.total_seconds(),
    Decimal: decimal_encoder,
    Enum: lambda value: value.value,
    frozenset: list,
    deque: list,
    GeneratorType: list,
    IPv4Address: str,
    IPv4Interface: str,
    IPv4Network: str,
    IPv6Address: str,
    IPv6Interface: str,
    IPv6Network: str,
    NameEmail: str,
    PurePath: str,
    Pattern: lambda value: value.pattern,
    SecretBytes: str,
    SecretStr: str,
    set: list,
    UUID: str,
    Url: str,
    AnyUrl: str,
}

# Colors are matched by module and name rather than imported: pydantic.color is deprecated and
# pydantic_extra_types is optional.
_COLOR_MODULES = frozenset({"pydantic.color", "pydantic_extra_types.color"})

# Subclass lookups, in ENCODERS_BY_TYPE's order, for types not found by exact type.
_ENCODERS_BY_BASES = tuple(ENCODERS_BY_TYPE.items())
_SEQUENCES = (list, set, frozenset, GeneratorType, tuple, deque)


def jsonable_encoder(
    obj: Any,
    include: IncEx | None = None,
    exclude: IncEx | None = None,
    by_alias: bool = True,
    exclude_unset: bool = False,
    exclude_defaults: bool = False,
    exclude_none: bool = False,
    custom_encoder: dict[Any, Callable[[Any], Any]] | None = None,
    sqlalchemy_safe: bool = True,
) -> Any:
    """Convert *obj* to data ``json.dumps`` accepts.

    *include* / *exclude* filter the keys of a model or dict at the top level;
    *custom_encoder* maps types to conversion functions and is tried first. Keys starting
    with ``_sa`` (SQLAlchemy's instance state) are skipped unless *sqlalchemy_safe* is
    False.
    """
    if custom_encoder:
        if type(obj) in custom_encoder:
            return custom_encoder[type(obj)](obj)
        for encoder_type, encoder in custom_encoder.items():
            if isinstance(obj, encoder_type):
                return encoder(obj)
    if include is not None and not isinstance(include, (set, dict)):
        include = set(include)
    if exclude is not None and not isinstance(exclude, (set, dict)):
        exclude = set(exclude)
    options: dict[str, Any] = {
        "by_alias": by_alias,
        "exclude_unset": exclude_unset,
        "exclude_defaults": exclude_defaults,
        "exclude_none": exclude_none,
        "custom_encoder": custom_encoder,
        "sqlalchemy_safe": sqlalchemy_safe,
    }
    if isinstance(obj, BaseModel):
        data = obj.model_dump(
            mode="json",
            include=include,
            exclude=exclude,
            by_alias=by_alias,
            exclude_unset=exclude_unset,
            exclude_none=exclude_none,
            exclude_defaults=exclude_defaults,
        )
        # Only these options reach the second pass, as in FastAPI: the dump applied the rest.
        return jsonable_encoder(
            data,
            exclude_none=exclude_none,
            exclude_defaults=exclude_defaults,
            sqlalchemy_safe=sqlalchemy_safe,
        )
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return jsonable_encoder(
            dataclasses.asdict(obj), include=include, exclude=exclude, **options
        )
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, PurePath):
        return str(obj)
    if obj is None or isinstance(obj, (str, int, float)):
        return obj
    if isinstance(obj, PydanticUndefinedType):
        return None
    if isinstance(obj, dict):
        return _encode_dict(obj, include, exclude, options)
    if isinstance(obj, _SEQUENCES):
        return [jsonable_encoder(item, include=include, exclude=exclude, **options) for item in obj]
    type_encoder = ENCODERS_BY_TYPE.get(type(obj))
    if type_encoder is not None:
        return type_encoder(obj)
    for base, base_encoder in _ENCODERS_BY_BASES:
        if isinstance(obj, base):
            return base_encoder(obj)
    if type(obj).__name__ == "Color" and type(obj).__module__ in _COLOR_MODULES:
        return str(obj)  # pydantic's (deprecated) and pydantic_extra_types' colors, by name
    check_pydantic_v1_instance(obj)
    return jsonable_encoder(_as_dict(obj), include=include, exclude=exclude, **options)


def _encode_dict(
    obj: dict[Any, Any], include: Any, exclude: Any, options: dict[str, Any]
) -> dict[Any, Any]:
    allowed = set(obj.keys())
    if include is not None:
        allowed &= set(include)
    if exclude is not None:
        allowed -= set(exclude)
    skip_sa = options["sqlalchemy_safe"]
    exclude_none = options["exclude_none"]
    encoded = {}
    for key, value in obj.items():
        if skip_sa and isinstance(key, str) and key.startswith("_sa"):
            continue
        if (value is None and exclude_none) or key not in allowed:
            continue
        encoded[jsonable_encoder(key, **options)] = jsonable_encoder(value, **options)
    return encoded


def _as_dict(obj: Any) -> dict[Any, Any]:
    """An unknown object as a dict: ``dict(obj)``, else its ``vars()``."""
    errors: list[Exception] = []
    try:
        return dict(obj)
    except Exception as error:
        errors.append(error)
    try:
        return dict(vars(obj))
    except Exception as error:
        errors.append(error)
        raise ValueError(errors) from error
