# SPDX-License-Identifier: MIT
# fasterapi/_forms.py: read form fields and form models out of a parsed form
"""Form bodies as FastAPI reads them: each field under the first of its names the form has;
lists from every value; an empty string or an empty file upload counts as absent; ``bytes``
files read (without moving the upload's position, so another parameter can read it too);
a form model gets its fields plus every other form value (its extra policy decides)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_args

from pydantic import BaseModel
from starlette.datastructures import FormData, UploadFile

from ._aliases import model_field_config, param_aliases
from .dependencies.utils import _is_sequence, _strip_annotated, lenient_issubclass
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
        many=_is_sequence(annotation),
        read_bytes=isinstance(info, File) and _mentions_bytes(annotation),
    )


def form_model_fields(model: type[BaseModel]) -> list[FormField]:
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


async def read_model(
    fields: list[FormField], form: FormData, *, optional: bool, extra_strict: bool
) -> Any:
    """A form model's input, or Undefined for an optional model nobody filled in."""
    names = {alias for field in fields for alias in field.aliases}
    if optional and not (names.intersection(form.keys()) or (extra_strict and len(form))):
        return Undefined
    data: dict[str, Any] = {}
    for field in fields:
        alias, value = await read_field(field, form)
        if value is not Undefined:
            data[alias] = value
    grouped: dict[str, list[Any]] = {}
    for key, value in form.multi_items():
        if key not in names:
            grouped.setdefault(key, []).append(value)
    for key, values in grouped.items():
        data[key] = values[0] if len(values) == 1 else values
    return data
