# SPDX-License-Identifier: MIT
# fasterapi/_forms.py: read form fields and form models out of a parsed form
"""Form bodies as FastAPI reads them: each field under the first of its names the form has;
lists from every value; an empty string or an empty file upload counts as absent; ``bytes``
files read (without moving the upload's position, so another parameter can read it too);
a form model gets its fields plus every other form value (its extra policy decides)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args

from pydantic import BaseModel
from starlette.datastructures import FormData, UploadFile

from ._aliases import model_field_config, param_aliases
from .dependencies.utils import (
    _is_sequence,
    _strip_annotated,
    is_json_field,
    lenient_issubclass,
)
from .params import File, Undefined


@dataclass(eq=False)
class FormField:
    """One form value to read: the names it may come under, and its shape."""

    aliases: tuple[str, ...]
    many: bool
    read_bytes: bool  # a File declared as bytes (or a list of bytes): read the upload


def form_field(name: str, info: Any, config: Any = None) -> FormField:
    annotation = info.annotation
    return FormField(
        aliases=tuple(alias for alias, _ in param_aliases(name, info, config=config)),
        many=not is_json_field(info) and _is_sequence(annotation),
        read_bytes=isinstance(info, File) and _mentions_bytes(annotation),
    )


@functools.lru_cache(maxsize=1024)
def form_model_fields(model: type[BaseModel]) -> list[FormField]:
    """The fields a form model reads (cached: forms are read per request, models are
    fixed)."""
    return [
        form_field(name, info, model_field_config(model, info))
        for name, info in model.model_fields.items()
    ]


def _mentions_bytes(annotation: Any) -> bool:
    annotation = _strip_annotated(annotation)
    if lenient_issubclass(annotation, bytes):
        return True
    return any(_mentions_bytes(arg) for arg in get_args(annotation))


def _is_empty_file(value: Any) -> bool:
    # Browsers send an empty filename and content when no file is selected.
    return isinstance(value, UploadFile) and value.filename == "" and value.size == 0


def _raw_value(field: FormField, form: FormData, alias: str) -> Any:
    if field.many:
        value: Any = [item for item in form.getlist(alias) if not _is_empty_file(item)]
        return value or Undefined
    value = form.get(alias)
    if value is None or value == "" or _is_empty_file(value):
        return Undefined
    return value


async def _read_bytes(upload: UploadFile) -> bytes:
    position = upload.file.tell()
    try:
        return await upload.read()
    finally:
        await upload.seek(position)


async def read_field(field: FormField, form: FormData) -> tuple[str, Any]:
    """(the name it was found under, the value) — the first name and Undefined if absent."""
    for alias in field.aliases:
        value = _raw_value(field, form, alias)
        if value is Undefined:
            continue
        if field.read_bytes:
            if isinstance(value, list):
                value = [await _read_bytes(v) if isinstance(v, UploadFile) else v for v in value]
            elif isinstance(value, UploadFile):
                value = await _read_bytes(value)
        return alias, value
    return field.aliases[0], Undefined


def _grouped_extras(form: FormData, names: set[str]) -> dict[str, Any]:
    grouped: dict[str, list[Any]] = {}
    for key, value in form.multi_items():
        if key not in names:
            grouped.setdefault(key, []).append(value)
    return {key: values[0] if len(values) == 1 else values for key, values in grouped.items()}


def _supplied(models: list[type[BaseModel]], form: FormData) -> bool:
    """Whether the form carries any value for one of *models* (an optional form model is
    absent otherwise)."""
    for model in models:
        names = {alias for field in form_model_fields(model) for alias in field.aliases}
        if names.intersection(form.keys()):
            return True
        if model.model_config.get("extra") in ("allow", "forbid") and len(form):
            return True
    return False


async def read_model(models: list[type[BaseModel]], form: FormData, *, optional: bool) -> Any:
    """A form model's input (for a union of models, every form value: each branch picks
    its fields while validating), or Undefined for an optional model nobody filled in."""
    if optional and not _supplied(models, form):
        return Undefined
    fields = form_model_fields(models[0]) if len(models) == 1 else []
    data: dict[str, Any] = {}
    tried: set[str] = set()
    for field in fields:
        alias, value = await read_field(field, form)
        # The names tried up to the one found (all of them when none was); a later alias
        # choice counts as an extra value (which a model with extra="forbid" refuses).
        if value is Undefined:
            tried.update(field.aliases)
        else:
            tried.update(field.aliases[: field.aliases.index(alias) + 1])
            data[alias] = value
    data.update(_grouped_extras(form, tried))
    return data


def form_models(info: Any) -> list[type[BaseModel]]:
    """The model(s) a form parameter is read as: ``Annotated[Model, Form()]``,
    ``Model | None``, or a union of models; [] for a plain form field."""
    from .dependencies.utils import _is_union, param_model_type
    from .params import Form

    if not isinstance(info, Form) or info.embed:
        return []
    model = None if is_json_field(info) else param_model_type(info.annotation)
    if model is not None:
        return [model]
    annotation = _strip_annotated(info.annotation)
    if not _is_union(annotation):
        return []
    models = []
    for arg in get_args(annotation):
        if arg is type(None):
            continue
        arg = _strip_annotated(arg)
        if not lenient_issubclass(arg, BaseModel):
            return []
        models.append(arg)
    return models if len(models) > 1 else []


def normalize_for(model: type[BaseModel]) -> Callable[[Any], Any]:
    """A before-validator for one branch of a union of form models: from all the form's
    values, the ones this model reads, under the names it reads them."""
    fields = form_model_fields(model)

    def normalize(value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        form = FormData(
            [
                (key, item)
                for key, items in value.items()
                for item in (items if isinstance(items, list) else [items])
            ]
        )
        normalized: dict[str, Any] = {}
        tried: set[str] = set()
        for field in fields:
            for alias in field.aliases:
                tried.add(alias)
                found = _raw_value(field, form, alias)
                if found is not Undefined:
                    normalized[alias] = found
                    break
        normalized.update(_grouped_extras(form, tried))
        # Values no browser sends but a validator may supply.
        for key, item in value.items():
            if item is None or (isinstance(item, list) and not item):
                normalized[key] = item
        return normalized

    return normalize
