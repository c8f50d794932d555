# SPDX-License-Identifier: MIT
# fasterapi/openapi/_body.py: a route's request body as one field, for the document
"""The request body of a route as one :class:`ModelField`: the body parameter itself when
there is one, not embedded; otherwise a ``Body_<operation id>`` model of all of them.

Form models are documented the way browsers send them: a form model's fields appear as
the body's own properties (under the names the form uses), an optional form model is
"absent unless one of its fields is sent", and several form parameters are combined with
``allOf``."""

from __future__ import annotations

from copy import copy, deepcopy
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any, get_args

from pydantic import AliasChoices, BaseModel, GetJsonSchemaHandler, GetPydanticSchema, create_model
from pydantic_core import CoreSchema

from .. import params
from .._aliases import lookup_alias, model_field_config, param_aliases
from .._forms import form_models
from ..dependencies.models import Dependant, ModelField
from ..dependencies.utils import _strip_annotated

if TYPE_CHECKING:
    from .._plan import RoutePlan


def _aliases(name: str, info: Any, config: Any = None) -> list[str]:
    return [alias for alias, _ in param_aliases(name, info, config=config)]


def _form_model_schema(
    model: type[BaseModel], schema: CoreSchema, handler: GetJsonSchemaHandler
) -> dict[str, Any]:
    """A form model's schema with its properties under the names the form is read by
    (several names: any one of them is required)."""
    json_schema = handler(schema)
    model_schema = handler.resolve_ref_schema(json_schema)
    properties = model_schema.get("properties", {})
    required = model_schema.get("required", [])
    renamed: dict[str, list[str]] = {}
    for name, info in model.model_fields.items():
        validation_alias = info.validation_alias
        schema_name = (
            validation_alias.choices[0]
            if isinstance(validation_alias, AliasChoices)
            else lookup_alias(name, info)
        )
        names = _aliases(name, info, model_field_config(model, info))
        if (
            isinstance(schema_name, str)
            and schema_name in properties
            and (names[0] != schema_name or (len(names) > 1 and schema_name in required))
        ):
            renamed[schema_name] = names
    if not renamed:
        return json_schema
    # Only this form's view changes; the shared model schema stays as it is.
    model_schema = deepcopy(model_schema)
    model_schema["properties"] = {
        renamed.get(name, [name])[0]: value for name, value in model_schema["properties"].items()
    }
    model_schema["required"] = []
    for name in required:
        names = renamed.get(name, [name])
        if len(names) == 1:
            model_schema["required"].append(names[0])
        else:
            model_schema.setdefault("allOf", []).append(
                {"anyOf": [{"required": [choice]} for choice in names]}
            )
    return model_schema


def _apply_form_body_schema(body_params: list[ModelField], schema: dict[str, Any]) -> None:
    """The combined form body: plain fields as properties, each form model as a condition
    (an optional one: "absent, or valid")."""
    parameter_schemas = schema.pop("properties")
    schema.pop("required", None)
    properties: dict[str, Any] = {}
    required: list[str] = []
    conditions: list[dict[str, Any]] = []
    for index, param in enumerate(body_params):
        field_schema = parameter_schemas[f"field_{index}"]
        models = form_models(param.field_info)
        if not models:
            alias = _aliases(param.name, param.field_info)[0]
            if alias in properties:
                conditions.append({"properties": {alias: field_schema}})
            else:
                properties[alias] = field_schema
            if param.field_info.is_required() and alias not in required:
                required.append(alias)
            continue
        field_schema.pop("default", None)
        if type(None) in get_args(_strip_annotated(param.field_info.annotation)):
            # An optional form model is left out by sending none of its fields.
            field_schema["anyOf"] = [
                choice for choice in field_schema["anyOf"] if choice.get("type") != "null"
            ]
            absent: dict[str, Any]
            if any(model.model_config.get("extra") in ("allow", "forbid") for model in models):
                absent = {"maxProperties": 0}
            else:
                names = sorted(
                    {
                        alias
                        for model in models
                        for name, info in model.model_fields.items()
                        for alias in _aliases(name, info, model_field_config(model, info))
                    }
                )
                absent = (
                    {"not": {"anyOf": [{"required": [name]} for name in names]}} if names else {}
                )
            if param.field_info.is_required():
                conditions.append({"not": absent})
            else:
                field_schema = {"anyOf": [absent, field_schema]}
        conditions.append(field_schema)
    if properties:
        schema["properties"] = properties
    if required:
        schema["required"] = required
    schema["allOf"] = conditions


def _single_model(info: Any) -> type[BaseModel] | None:
    models = form_models(info)
    return models[0] if len(models) == 1 else None


def get_body_field(flat: Dependant, name: str, plan: RoutePlan) -> ModelField | None:
    body_params = flat.body_params
    if not body_params:
        return None
    embed = plan.body.embed if plan.body is not None else False
    first = body_params[0]
    nullable_form_model = any(
        form_models(f.field_info)
        and type(None) in get_args(_strip_annotated(f.field_info.annotation))
        for f in body_params
    )
    if not embed and not nullable_form_model:
        return first
    fields = body_params
    config: Any = None
    if any(form_models(f.field_info) for f in body_params):
        fields = []
        for index, field in enumerate(body_params):
            info = copy(field.field_info)
            model = _single_model(field.field_info)
            if model is not None:
                documented: Any = Annotated[
                    model,
                    GetPydanticSchema(get_pydantic_json_schema=partial(_form_model_schema, model)),
                ]
                info.annotation = documented if info.annotation is model else documented | None
            key = f"field_{index}"
            info.alias = info.validation_alias = info.serialization_alias = key
            info.title = info.title or field.name.replace("_", " ").title()
            fields.append(ModelField(name=key, field_info=info, alias=key))
        config = {"json_schema_extra": partial(_apply_form_body_schema, body_params)}
    body_model: Any = create_model(  # type: ignore[call-overload]
        f"Body_{name}",
        __config__=config,
        **{f.name: (f.field_info.annotation, f.field_info) for f in fields},
    )
    if not embed:
        info = copy(first.field_info)
        info.annotation = body_model
        # The form field itself carries the validation metadata.
        info.metadata = []
        info.discriminator = None
        return ModelField(name=first.name, field_info=info, alias=first.alias)
    required = any(f.field_info.is_required() for f in body_params)
    options: dict[str, Any] = {"annotation": body_model, "alias": "body"}
    marker: type[params.Body]
    if any(isinstance(f.field_info, params.File) for f in body_params):
        marker = params.File
    elif any(isinstance(f.field_info, params.Form) for f in body_params):
        marker = params.Form
    else:
        marker = params.Body
    if marker is not params.File:
        media_types = [
            f.field_info.media_type for f in body_params if isinstance(f.field_info, marker)
        ]
        if marker is params.Form and "multipart/form-data" in media_types:
            options["media_type"] = "multipart/form-data"
        elif len(set(media_types)) == 1:
            options["media_type"] = media_types[0]
    default = None if not required else ...
    return ModelField(name="body", field_info=marker(default, **options), alias="body")
