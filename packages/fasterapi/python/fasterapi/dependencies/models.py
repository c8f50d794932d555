# SPDX-License-Identifier: MIT
# fasterapi/dependencies/models.py: what analysing an endpoint's signature produces
"""The dependency tree of an endpoint: each :class:`Dependant` is a callable with the request
values it reads (:class:`ModelField`) and the dependencies it calls."""

from __future__ import annotations

import inspect
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any, Literal, cast

from pydantic import Field, TypeAdapter
from pydantic.fields import FieldInfo

from .. import params

# FieldInfo attributes that shape a field's JSON schema.
_SCHEMA_ATTRIBUTES = (
    "default",
    "default_factory",
    "alias",
    "alias_priority",
    "validation_alias",
    "serialization_alias",
    "title",
    "field_title_generator",
    "description",
    "examples",
    "exclude",
    "exclude_if",
    "discriminator",
    "deprecated",
    "json_schema_extra",
    "frozen",
    "validate_default",
    "repr",
    "init",
    "init_var",
    "kw_only",
)


@dataclass(eq=False)
class ModelField:
    """One value an endpoint or dependency reads from the request: its parameter *name*,
    where it comes from (*field_info*: a Path/Query/Header/Cookie/Body/Form/File marker),
    the name on the wire (*alias*) and its type."""

    name: str
    field_info: FieldInfo
    alias: str
    mode: Literal["validation", "serialization"] = "validation"

    @property
    def annotation(self) -> Any:
        return self.field_info.annotation

    @property
    def required(self) -> bool:
        return self.field_info.is_required()

    @property
    def default(self) -> Any:
        return self.field_info.get_default(call_default_factory=True)

    @property
    def location(self) -> str:
        """``path``, ``query``, ``header``, ``cookie`` or ``body``."""
        info = self.field_info
        return info.in_.value if isinstance(info, params.Param) else "body"

    @cached_property
    def type_adapter(self) -> TypeAdapter[Any]:
        """The field alone as pydantic sees it (type, constraints, title, description,
        examples...): used for its JSON schema."""
        info = self.field_info
        attributes = {name: getattr(info, name) for name in _SCHEMA_ATTRIBUTES}
        with warnings.catch_warnings():
            # Attributes such as alias mean nothing to a TypeAdapter; pydantic says so.
            warnings.simplefilter("ignore")
            annotated = cast(Any, Annotated)[(info.annotation, *info.metadata, Field(**attributes))]
            return TypeAdapter(annotated)

    def __hash__(self) -> int:
        return id(self)


@dataclass(eq=False)
class Dependant:
    """A callable (endpoint or dependency) and everything it takes from the request."""

    call: Any = None
    name: str | None = None
    path: str | None = None
    path_params: list[ModelField] = field(default_factory=list)
    query_params: list[ModelField] = field(default_factory=list)
    header_params: list[ModelField] = field(default_factory=list)
    cookie_params: list[ModelField] = field(default_factory=list)
    body_params: list[ModelField] = field(default_factory=list)
    dependencies: list[Dependant] = field(default_factory=list)
    request_param_name: str | None = None
    websocket_param_name: str | None = None
    http_connection_param_name: str | None = None
    response_param_name: str | None = None
    background_tasks_param_name: str | None = None
    security_scopes_param_name: str | None = None
    own_oauth_scopes: list[str] = field(default_factory=list)
    parent_oauth_scopes: list[str] = field(default_factory=list)
    use_cache: bool = True
    scope: Literal["function", "request"] | None = None
    # The Security/Depends marker this dependant came from (None for an endpoint).
    marker: params.Depends | None = None
    # An overriding dependency shares the cache entry of the one it replaces.
    cache_key_override: Any = None
    # Depends(max_concurrency=N)'s limiter (a DependencyConcurrency), or None.
    concurrency: Any = None

    @property
    def oauth_scopes(self) -> list[str]:
        """Scopes of this dependant and the ones above it, without repeats."""
        return list(dict.fromkeys([*self.parent_oauth_scopes, *self.own_oauth_scopes]))

    @property
    def cache_key(self) -> Any:
        """Results are shared within a request by callable and scopes."""
        if self.cache_key_override is not None:
            return self.cache_key_override
        return (self.call, tuple(sorted(set(self.oauth_scopes))))

    @property
    def params_in_order(self) -> list[ModelField]:
        """Path, query, header, cookie parameters: the order they are validated in."""
        return [*self.path_params, *self.query_params, *self.header_params, *self.cookie_params]

    @cached_property
    def is_gen_callable(self) -> bool:
        return _unwrapped_check(self.call, inspect.isgeneratorfunction)

    @cached_property
    def is_async_gen_callable(self) -> bool:
        return _unwrapped_check(self.call, inspect.isasyncgenfunction)

    @cached_property
    def is_coroutine_callable(self) -> bool:
        return _unwrapped_check(self.call, inspect.iscoroutinefunction)


def _unwrapped_check(call: Any, check: Any) -> bool:
    """*check* on the callable, its ``__call__`` (instances), through ``functools.partial``
    and decorators that set ``__wrapped__``."""
    if call is None:
        return False
    target = inspect.unwrap(call)
    while hasattr(target, "func") and hasattr(target, "args"):  # functools.partial
        target = inspect.unwrap(target.func)
    if check(target):
        return True
    if inspect.isclass(target):
        return False
    dunder_call = getattr(target, "__call__", None)  # noqa: B004
    return dunder_call is not None and check(inspect.unwrap(dunder_call))
