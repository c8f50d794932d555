# SPDX-License-Identifier: MIT
# fasterapi/_plan.py: compile a route's dependency tree into a flat plan, once
"""The route plan: everything FastAPI decides per request, decided once at startup.

A :class:`RoutePlan` says where every parameter comes from (:class:`ParamSlot`), validates
all path/query/header/cookie parameters of the endpoint and its dependencies with one
pydantic validator, reads the body as :class:`BodyPlan` says, and calls the dependencies and
the endpoint as a flat list of :class:`Step` in FastAPI's order (depth first, each
dependency before the one that needs it). :mod:`fasterapi._run` executes it.

Errors come out as FastAPI reports them: ``loc`` = (location, alias, ...), ``input`` None for
a missing value, dependencies' errors before the endpoint's, parameters before the body.
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, cast, get_args

from pydantic import BaseModel, Field, TypeAdapter
from pydantic.fields import FieldInfo
from typing_extensions import TypedDict

from . import params
from ._aliases import model_field_config, param_aliases
from ._forms import FormField, form_field, form_models
from .dependencies.models import Dependant, ModelField
from .dependencies.utils import (
    _is_sequence,
    _strip_annotated,
    apply_overrides,
    is_json_field,
    lenient_issubclass,
    param_model_type,
)

# Argument sources of a step (what each parameter of a callable is filled with).
ARG_PARAM, ARG_BODY, ARG_STEP, ARG_REQUEST, ARG_WEBSOCKET, ARG_CONNECTION = range(6)
ARG_RESPONSE, ARG_BACKGROUND, ARG_SCOPES = 6, 7, 8

# How a step's callable is run.
CALL_ASYNC, CALL_SYNC, CALL_ASYNC_GEN, CALL_SYNC_GEN = range(4)

_IMMUTABLE_DEFAULTS = (type(None), str, bytes, int, float, bool, complex, enum.Enum, frozenset)


def validation_annotation(field_info: FieldInfo) -> Any:
    """The type with its constraints, without name, alias or default: what a value of the
    field is validated against."""
    extra: list[Any] = list(field_info.metadata)
    if field_info.discriminator is not None:
        extra.append(Field(discriminator=field_info.discriminator))
    if not extra:
        return field_info.annotation
    return cast(Any, Annotated)[(field_info.annotation, *extra)]


@dataclass(eq=False)
class GroupField:
    """A field of a parameter model: the names it is read under."""

    name: str
    aliases: tuple[tuple[str, str], ...]
    many: bool


@dataclass(eq=False)
class ModelGroup:
    """A parameter model (``Annotated[Filters, Query()]``): how its input is gathered."""

    fields: list[GroupField]
    own_names: frozenset[str]  # request keys of its fields (lower-cased for headers)
    optional: bool  # ``Filters | None``: absent when none of its values was sent
    extra_strict: bool  # extra="allow"/"forbid": any value counts as sent
    loc_by_alias: bool


@dataclass(eq=False)
class ParamSlot:
    """One parameter occurrence: where to read it, how to default it, whom it belongs to."""

    key: str  # key in the validator's input (unique per occurrence)
    field: ModelField
    location: str  # path, query, header, cookie
    aliases: tuple[tuple[str, str], ...]  # (validation alias, request key), in order
    owner: int  # index of the step (occurrence) that declares it
    many: bool  # read every value (getlist), not the last one
    group: ModelGroup | None  # a parameter model: every value of its location, validated
    required: bool
    default: Any
    copy_default: bool
    validate_default: bool

    def default_value(self) -> Any:
        if self.field.field_info.default_factory is not None:
            return self.field.field_info.get_default(call_default_factory=True)
        return copy.deepcopy(self.default) if self.copy_default else self.default


@dataclass(eq=False)
class BodySlot:
    """One body field occurrence."""

    key: int  # its value's key (two dependencies may use the same parameter name)
    field: ModelField
    owner: int
    adapter: TypeAdapter[Any]
    required: bool
    aliases: tuple[str, ...]  # names it is read under (JSON object keys, form fields)
    is_form: bool
    form_field: FormField | None  # a plain form field
    form_models: list[Any]  # the model (or the union's models) a form parameter reads
    optional_model: bool  # ``Model | None``: absent when none of its fields was sent


@dataclass(eq=False)
class BodyPlan:
    """How the request body is read: JSON (embedded under names or whole) or a form."""

    slots: list[BodySlot]
    embed: bool
    is_form: bool
    # The single, not embedded JSON body validated straight from the request bytes.
    json_adapter: TypeAdapter[Any] | None


@dataclass(eq=False)
class Step:
    """A call of a dependency or of the endpoint, with the sources of its arguments."""

    index: int
    dependant: Dependant
    call: Callable[..., Any]
    kind: int
    args: list[tuple[str, int, Any]]  # (parameter name, ARG_*, source detail)
    subtree: frozenset[int]  # steps whose errors prevent this call (itself included)
    use_cache: bool
    cache_key: Any
    function_scope: bool
    concurrency: Any  # the declaration's DependencyConcurrency, or None


@dataclass(eq=False)
class RoutePlan:
    dependant: Dependant
    slots: list[ParamSlot]
    validator: TypeAdapter[Any] | None
    body: BodyPlan | None
    steps: list[Step]
    needs_request: bool
    needs_response: bool
    needs_background: bool
    sources: frozenset[str] = field(default_factory=frozenset)
    # yield dependencies or a form body need exit stacks (cleanups, closing files).
    needs_exit_stack: bool = False
    # Nothing to read or call before the endpoint, which takes no arguments.
    trivial: bool = False


class PlanCache:
    """A dependant's plan, compiled once — and once per distinct set of dependency
    overrides, so overriding in tests costs a compilation, not one per request."""

    _MAX_OVERRIDE_PLANS = 64

    def __init__(self, dependant: Dependant) -> None:
        self.dependant = dependant
        self.plan = compile_plan(dependant)
        self._overridden: dict[Any, RoutePlan] = {}

    def current(self, provider: Any) -> RoutePlan:
        """The plan under *provider*'s ``dependency_overrides`` (the app's, usually)."""
        overrides = getattr(provider, "dependency_overrides", None)
        if not overrides:
            return self.plan
        key = tuple((id(original), id(override)) for original, override in overrides.items())
        plan = self._overridden.get(key)
        if plan is None:
            if len(self._overridden) > self._MAX_OVERRIDE_PLANS:
                self._overridden.clear()
            plan = compile_plan(apply_overrides(self.dependant, overrides))
            self._overridden[key] = plan
        return plan


def should_embed_body(fields: list[ModelField]) -> bool:
    """FastAPI's rule: several body parameters, ``embed=True``, a plain form field, or form
    models of different types are read from under their names; a single body (or form
    model) is the whole body."""
    if not fields:
        return False
    if len({f.name for f in fields}) > 1:
        return True
    first = fields[0].field_info
    if form_models(first) and any(
        not form_models(f.field_info) or f.field_info.annotation is not first.annotation
        for f in fields[1:]
    ):
        return True
    if getattr(first, "embed", None):
        return True
    return (
        isinstance(first, params.Form)
        and not lenient_issubclass(first.annotation, BaseModel)
        and not form_models(first)
    )


def compile_plan(dependant: Dependant, *, embed_body_fields: bool | None = None) -> RoutePlan:
    """Flatten *dependant* (an endpoint's tree) into a :class:`RoutePlan`."""
    builder = _Builder()
    builder.visit(dependant)
    body_fields = [slot.field for slot in builder.body_slots]
    embed = should_embed_body(body_fields) if embed_body_fields is None else embed_body_fields
    return RoutePlan(
        dependant=dependant,
        slots=builder.slots,
        validator=_param_validator(builder.slots),
        body=_body_plan(builder.body_slots, embed) if builder.body_slots else None,
        steps=builder.steps,
        needs_request=builder.needs_request,
        needs_response=builder.needs_response,
        needs_background=builder.needs_background,
        sources=frozenset(slot.location for slot in builder.slots),
        needs_exit_stack=any(step.kind in (CALL_ASYNC_GEN, CALL_SYNC_GEN) for step in builder.steps)
        or any(slot.is_form for slot in builder.body_slots),
        trivial=not builder.slots
        and not builder.body_slots
        and len(builder.steps) == 1
        and not builder.steps[0].args,
    )


class _Builder:
    def __init__(self) -> None:
        self.slots: list[ParamSlot] = []
        self.body_slots: list[BodySlot] = []
        self.steps: list[Step] = []
        self.needs_request = False
        self.needs_response = False
        self.needs_background = False

    def visit(self, dependant: Dependant) -> int:
        """Add the steps of *dependant*'s subtree, post-order; returns its step index."""
        args: list[tuple[str, int, Any]] = []
        subtree: set[int] = set()
        for sub in dependant.dependencies:
            index = self.visit(sub)
            subtree |= self.steps[index].subtree
            if sub.name is not None:  # a route's dependencies=[...] entries pass nothing
                args.append((sub.name, ARG_STEP, index))
        owner = len(self.steps)  # the index this dependant's step will get
        for model_field in dependant.params_in_order:
            slot = self._param_slot(model_field, owner)
            self.slots.append(slot)
            args.append((model_field.name, ARG_PARAM, slot.key))
        for model_field in dependant.body_params:
            body_slot = _body_slot(model_field, owner, key=len(self.body_slots))
            self.body_slots.append(body_slot)
            args.append((model_field.name, ARG_BODY, body_slot.key))
        args.extend(self._injected(dependant))
        subtree.add(owner)
        self.steps.append(
            Step(
                index=owner,
                dependant=dependant,
                call=dependant.call,
                kind=_call_kind(dependant),
                args=args,
                subtree=frozenset(subtree),
                use_cache=dependant.use_cache,
                cache_key=dependant.cache_key,
                function_scope=dependant.scope == "function",
                concurrency=dependant.concurrency,
            )
        )
        return owner

    def _injected(self, dependant: Dependant) -> list[tuple[str, int, Any]]:
        injected: list[tuple[str, int, Any]] = []
        if dependant.request_param_name:
            self.needs_request = True
            injected.append((dependant.request_param_name, ARG_REQUEST, None))
        if dependant.websocket_param_name:
            injected.append((dependant.websocket_param_name, ARG_WEBSOCKET, None))
        if dependant.http_connection_param_name:
            self.needs_request = True
            injected.append((dependant.http_connection_param_name, ARG_CONNECTION, None))
        if dependant.response_param_name:
            self.needs_response = True
            injected.append((dependant.response_param_name, ARG_RESPONSE, None))
        if dependant.background_tasks_param_name:
            self.needs_background = True
            injected.append((dependant.background_tasks_param_name, ARG_BACKGROUND, None))
        if dependant.security_scopes_param_name:
            scopes = dependant.oauth_scopes
            injected.append((dependant.security_scopes_param_name, ARG_SCOPES, scopes))
        return injected

    def _param_slot(self, model_field: ModelField, owner: int) -> ParamSlot:
        info = model_field.field_info
        location = info.in_.value  # type: ignore[attr-defined]
        default = info.default
        json = is_json_field(info)
        model = None if json else param_model_type(info.annotation)
        return ParamSlot(
            key=str(len(self.slots)),
            field=model_field,
            location=location,
            aliases=tuple(param_aliases(model_field.name, info)),
            owner=owner,
            many=location != "cookie" and not json and _is_sequence(info.annotation),
            group=_model_group(model, info, location) if model is not None else None,
            required=info.is_required(),
            default=default,
            copy_default=not isinstance(default, _IMMUTABLE_DEFAULTS),
            validate_default=bool(info.validate_default),
        )


def _model_group(model: type[Any], info: FieldInfo, location: str) -> ModelGroup:
    header = location == "header"
    default_convert = getattr(info, "convert_underscores", True)
    fields = []
    own_names: set[str] = set()
    for name, field_info in model.model_fields.items():
        convert = header and getattr(field_info, "convert_underscores", default_convert)
        aliases = param_aliases(
            name,
            field_info,
            config=model_field_config(model, field_info),
            convert_underscores=convert,
        )
        own_names.update(key.lower() if header else key for _, key in aliases)
        fields.append(
            GroupField(name=name, aliases=tuple(aliases), many=_is_sequence(field_info.annotation))
        )
    return ModelGroup(
        fields=fields,
        own_names=frozenset(own_names),
        optional=info.annotation is not model,
        extra_strict=model.model_config.get("extra") in ("allow", "forbid"),
        loc_by_alias=model.model_config.get("loc_by_alias", True),
    )


def _body_slot(model_field: ModelField, owner: int, key: int) -> BodySlot:
    info = model_field.field_info
    is_form = isinstance(info, params.Form)
    models = form_models(info)
    return BodySlot(
        key=key,
        field=model_field,
        owner=owner,
        adapter=TypeAdapter(validation_annotation(info)),
        required=info.is_required(),
        aliases=tuple(alias for alias, _ in param_aliases(model_field.name, info)),
        is_form=is_form,
        form_field=form_field(model_field.name, info) if is_form and not models else None,
        form_models=models,
        optional_model=bool(models) and type(None) in get_args(_strip_annotated(info.annotation)),
    )


def _call_kind(dependant: Dependant) -> int:
    if dependant.is_async_gen_callable:
        return CALL_ASYNC_GEN
    if dependant.is_gen_callable:
        return CALL_SYNC_GEN
    if dependant.is_coroutine_callable:
        return CALL_ASYNC
    return CALL_SYNC


def _param_validator(slots: list[ParamSlot]) -> TypeAdapter[Any] | None:
    """One validator for every parameter: a TypedDict keyed by slot key, so one call
    validates them all and each error's first ``loc`` item names its slot."""
    if not slots:
        return None
    fields = {slot.key: validation_annotation(slot.field.field_info) for slot in slots}
    schema = cast(Any, TypedDict)("Parameters", fields, total=False)
    return TypeAdapter(schema)


def _body_plan(slots: list[BodySlot], embed: bool) -> BodyPlan:
    is_form = any(slot.is_form for slot in slots)
    json_adapter = None
    if len(slots) == 1 and not embed and not is_form:
        json_adapter = slots[0].adapter
    return BodyPlan(slots=slots, embed=embed, is_form=is_form, json_adapter=json_adapter)
