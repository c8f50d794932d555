# SPDX-License-Identifier: MIT
# fasterapi/dependencies/models.py: what analysing an endpoint's signature produces
"""The dependency tree of an endpoint: each :class:`Dependant` is a callable with the request
values it reads (:class:`ModelField`) and the dependencies it calls."""

from __future__ import annotations

import functools
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
    alias: str = ""  # empty: the field info's alias, else the name
    mode: Literal["validation", "serialization"] = "validation"

    def __post_init__(self) -> None:
        if not self.alias:
            object.__setattr__(self, "alias", self.field_info.alias or self.name)

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
        if not isinstance(info, params.Param):
            return "body"
        return info.in_.value if info.in_ is not None else "query"

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
        """Results are shared within a request by callable, scopes (only when the
        dependency looks at them) and ``yield`` scope."""
        if self.cache_key_override is not None:
            return self.cache_key_override
        scopes = tuple(sorted(set(self.oauth_scopes))) if self.uses_scopes else ()
        return (self.call, scopes, self.computed_scope or "")

    @property
    def uses_scopes(self) -> bool:
        """Whether OAuth2 scopes can change what this dependency (or one below it) does."""
        if self.own_oauth_scopes or self.security_scopes_param_name is not None:
            return True
        from ..security.base import SecurityBase

        if isinstance(_unwrap(self.call), SecurityBase):
            return True
        return any(sub.uses_scopes for sub in self.dependencies)

    @property
    def computed_scope(self) -> str | None:
        """The declared scope; a ``yield`` dependency without one lives for the request."""
        if self.scope:
            return self.scope
        return "request" if self.is_gen_callable or self.is_async_gen_callable else None

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


def _unwrap(call: Any) -> Any:
    """*call* without ``functools.partial`` layers and ``__wrapped__`` decorators."""
    while isinstance(call, functools.partial):
        call = call.func
    return inspect.unwrap(call)


def _impartial(call: Any) -> Any:
    while isinstance(call, functools.partial):
        call = call.func
    return call


def _unwrapped_check(call: Any, check: Any) -> bool:
    """*check* on the callable as called and as unwrapped (``functools.partial``,
    ``__wrapped__``), then on its ``__call__`` (instances), the way FastAPI classifies
    dependencies."""
    if call is None:
        return False
    if _routine_check(_impartial(call), check) or _routine_check(_unwrap(call), check):
        return True
    if inspect.isclass(_unwrap(call)):
        return False
    for target in (_impartial(call), _unwrap(call)):
        dunder_call = getattr(target, "__call__", None)  # noqa: B004
        if dunder_call is not None and (
            _routine_check(_impartial(dunder_call), check)
            or _routine_check(_unwrap(dunder_call), check)
        ):
            return True
    return False


def _routine_check(target: Any, check: Any) -> bool:
    if check is inspect.iscoroutinefunction:
        return inspect.isroutine(target) and bool(check(target))
    return bool(check(target))
