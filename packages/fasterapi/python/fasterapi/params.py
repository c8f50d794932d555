# SPDX-License-Identifier: MIT
# fasterapi/params.py: what a parameter declares about where its value comes from
"""Parameter markers: ``Path``, ``Query``, ``Header``, ``Cookie``, ``Body``, ``Form``,
``File`` (pydantic ``FieldInfo`` subclasses, so constraints and documentation work as in
pydantic) and ``Depends`` / ``Security``.

Use them through :mod:`fasterapi.param_functions` (``from fasterapi import Query``)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from .concurrency import DependencyConcurrency
from .exceptions import FastAPIDeprecationWarning

Undefined: Any = PydanticUndefined


class _UnsetType:
    """Marks an argument the caller did not pass (distinct from an explicit ``None``)."""

    def __repr__(self) -> str:
        return "<unset>"

    def __bool__(self) -> bool:
        return False


_Unset: Any = _UnsetType()

# FieldInfo keyword arguments our markers pass through when the caller gave them.
_FIELD_KEYWORDS = (
    "default_factory",
    "annotation",
    "alias",
    "alias_priority",
    "validation_alias",
    "serialization_alias",
    "title",
    "description",
    "discriminator",
    "strict",
    "validate_default",
    "union_mode",
    "fail_fast",
    "multiple_of",
    "allow_inf_nan",
    "max_digits",
    "decimal_places",
    "examples",
    "deprecated",
    "json_schema_extra",
)
# Constraint keywords whose "not given" value is None.
_CONSTRAINT_KEYWORDS = ("gt", "ge", "lt", "le", "min_length", "max_length")


_KNOWN_OPTIONS = {*_FIELD_KEYWORDS, *_CONSTRAINT_KEYWORDS, "pattern", "example", "regex"}


class ParamTypes(Enum):
    query = "query"
    header = "header"
    path = "path"
    cookie = "cookie"


def _field_kwargs(default: Any, options: dict[str, Any]) -> dict[str, Any]:
    """The FieldInfo arguments for a marker's options: unset ones left out, deprecated ones
    warned about and mapped to their replacements."""
    if options.get("example", _Unset) is not _Unset:
        warnings.warn(
            "`example` has been deprecated, please use `examples` instead",
            category=FastAPIDeprecationWarning,
            stacklevel=5,
        )
    regex = options.get("regex")
    if regex is not None:
        warnings.warn(
            "`regex` has been deprecated, please use `pattern` instead",
            category=FastAPIDeprecationWarning,
            stacklevel=5,
        )
    unknown = set(options) - _KNOWN_OPTIONS
    if unknown:
        raise TypeError(f"unexpected parameter option(s): {', '.join(sorted(unknown))}")
    kwargs: dict[str, Any] = {"default": default}
    for key in _FIELD_KEYWORDS:
        value = options.get(key, _Unset)
        if value is not _Unset:
            kwargs[key] = value
    for key in _CONSTRAINT_KEYWORDS:
        kwargs[key] = options.get(key)
    kwargs["pattern"] = options.get("pattern") or regex
    alias = options.get("alias", _Unset)
    if options.get("serialization_alias", _Unset) in (_Unset, None) and isinstance(alias, str):
        kwargs["serialization_alias"] = alias
    if options.get("validation_alias", _Unset) in (_Unset, None) and alias is not _Unset:
        kwargs["validation_alias"] = alias
    return kwargs


class Param(FieldInfo):  # type: ignore[misc]
    """A parameter read from the path, the query string, a header or a cookie."""

    in_: ParamTypes | None = None

    def __init__(
        self,
        default: Any = Undefined,
        *,
        example: Any = _Unset,
        openapi_examples: dict[str, Any] | None = None,
        include_in_schema: bool = True,
        regex: str | None = None,
        **options: Any,
    ) -> None:
        self.example = example
        self.include_in_schema = include_in_schema
        self.openapi_examples = openapi_examples
        super().__init__(**_field_kwargs(default, {**options, "example": example, "regex": regex}))

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.default})"


class Path(Param):  # type: ignore[misc]
    in_ = ParamTypes.path

    def __init__(self, default: Any = ..., **options: Any) -> None:
        if default is not ...:
            raise AssertionError("Path parameters cannot have a default value")
        super().__init__(default, **options)


class Query(Param):  # type: ignore[misc]
    in_ = ParamTypes.query


class Header(Param):  # type: ignore[misc]
    in_ = ParamTypes.header

    def __init__(
        self, default: Any = Undefined, *, convert_underscores: bool = True, **options: Any
    ):
        self.convert_underscores = convert_underscores
        super().__init__(default, **options)


class Cookie(Param):  # type: ignore[misc]
    in_ = ParamTypes.cookie


class Body(FieldInfo):  # type: ignore[misc]
    """A value read from the request body (JSON by default)."""

    def __init__(
        self,
        default: Any = Undefined,
        *,
        embed: bool | None = None,
        media_type: str = "application/json",
        example: Any = _Unset,
        openapi_examples: dict[str, Any] | None = None,
        include_in_schema: bool = True,
        regex: str | None = None,
        **options: Any,
    ) -> None:
        self.embed = embed
        self.media_type = media_type
        self.example = example
        self.include_in_schema = include_in_schema
        self.openapi_examples = openapi_examples
        super().__init__(**_field_kwargs(default, {**options, "example": example, "regex": regex}))

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.default})"


class Form(Body):  # type: ignore[misc]
    def __init__(
        self,
        default: Any = Undefined,
        *,
        media_type: str = "application/x-www-form-urlencoded",
        **options: Any,
    ) -> None:
        super().__init__(default, media_type=media_type, **options)


class File(Form):  # type: ignore[misc]
    def __init__(
        self, default: Any = Undefined, *, media_type: str = "multipart/form-data", **options: Any
    ) -> None:
        super().__init__(default, media_type=media_type, **options)


@dataclass(frozen=True)
class Depends:
    """A dependency: *dependency* is called per request (results cached within the request
    unless ``use_cache=False``) and its result passed in. ``scope="function"`` closes a
    ``yield`` dependency before the response is sent instead of after.
    ``max_concurrency=N`` lets at most N calls of this declaration run at once (per event
    loop); a ``yield`` dependency holds its slot until it exits."""

    dependency: Callable[..., Any] | None = None
    use_cache: bool = True
    scope: Literal["function", "request"] | None = None
    max_concurrency: int | None = field(default=None, kw_only=True)
    # The declaration's own limiter: identity keeps independent declarations apart (and
    # stops typing.Annotated from merging equal ones); dataclasses.replace keeps it.
    _concurrency: DependencyConcurrency | None = field(default=None, repr=False, kw_only=True)

    def __post_init__(self) -> None:
        if self.scope not in (None, "function", "request"):
            raise ValueError(
                f"Depends(scope=...) must be 'function' or 'request', not {self.scope!r}"
            )
        if self.max_concurrency is None:
            object.__setattr__(self, "_concurrency", None)
            return
        if type(self.max_concurrency) is not int or self.max_concurrency < 1:
            raise ValueError("max_concurrency must be a positive integer or None")
        if self._concurrency is None or self._concurrency.max_concurrency != self.max_concurrency:
            object.__setattr__(self, "_concurrency", DependencyConcurrency(self.max_concurrency))


@dataclass(frozen=True)
class Security(Depends):
    """A dependency that also declares OAuth2 *scopes* (collected into ``SecurityScopes``)."""

    scopes: Sequence[str] | None = None
