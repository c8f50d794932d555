# SPDX-License-Identifier: MIT
# fasterapi/_aliases.py: which request keys a parameter (or a parameter model's field) reads
"""The names a value is looked up under, with FastAPI's rules: the validation alias if it
is a string, else the alias; header names with ``_`` turned into ``-`` unless
``convert_underscores=False``; each choice of an ``AliasChoices``; the field name too when
the model validates by name."""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, AliasPath, BaseModel
from pydantic.fields import FieldInfo

from . import params


def lookup_alias(name: str, info: FieldInfo) -> str:
    """The name validation reads: a string validation alias, else the alias, else *name*."""
    validation_alias = info.validation_alias
    if isinstance(validation_alias, str) and validation_alias:
        return validation_alias
    return info.alias or name


def param_aliases(
    name: str,
    info: FieldInfo,
    *,
    config: Any = None,
    convert_underscores: bool = False,
) -> list[tuple[str, str]]:
    """(validation alias, request key) pairs, in the order they are tried."""
    alias = lookup_alias(name, info)
    request_alias = alias.replace("_", "-") if convert_underscores and alias == name else alias
    validation_alias = info.validation_alias
    if isinstance(info, params.Path) or isinstance(validation_alias, AliasPath):
        return [(alias, request_alias)]
    aliases = [(alias, request_alias)]
    if isinstance(validation_alias, AliasChoices):
        if any(isinstance(choice, AliasPath) for choice in validation_alias.choices):
            return aliases
        # Explicit choices are literal names, underscores in headers included.
        aliases = [(str(choice), str(choice)) for choice in validation_alias.choices]
    config = config or {}
    by_name = config.get("validate_by_name", config.get("populate_by_name", False))
    if config.get("validate_by_alias") is False or by_name:
        request_name = name.replace("_", "-") if convert_underscores else name
        if config.get("validate_by_alias") is False:
            return [(name, request_name)]
        if name not in [choice for choice, _ in aliases]:
            aliases.append((name, request_name))
    return aliases


def model_field_config(model: type[BaseModel], info: FieldInfo) -> Any:
    """The config a model's field validates with (nested models and dicts bring their
    own)."""
    import dataclasses

    from .dependencies.utils import lenient_issubclass

    annotation = info.annotation
    if lenient_issubclass(annotation, (BaseModel, dict)) or dataclasses.is_dataclass(annotation):
        return None
    return model.model_config
