# SPDX-License-Identifier: MIT
# fasterapi/openapi/utils.py: the OpenAPI 3.1 document of an application
"""``get_openapi``: the document FastAPI generates for the same routes — operations,
parameters, request bodies, responses, security schemes, and one JSON schema per model
(pydantic generates them together, so shared models get one definition and models that
differ between input and output get ``-Input`` / ``-Output`` variants)."""

from __future__ import annotations

import copy
import functools
import http.client
import inspect
import warnings
from collections.abc import Sequence
from enum import Enum
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic.json_schema import GenerateJsonSchema as PydanticGenerateJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute

from .._aliases import model_field_config, param_aliases
from ..datastructures import DefaultPlaceholder
from ..dependencies.models import Dependant, ModelField
from ..dependencies.utils import lenient_issubclass
from ..encoders import jsonable_encoder
from ..params import _Unset
from ..sse import _SSE_EVENT_SCHEMA
from ..utils import deep_dict_update, is_body_allowed_for_status_code
from .constants import METHODS_WITH_BODY, REF_PREFIX, REF_TEMPLATE
from .models import OpenAPI

validation_error_definition = {
    "title": "ValidationError",
    "type": "object",
    "properties": {
        "loc": {
            "title": "Location",
            "type": "array",
            "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        },
        "msg": {"title": "Message", "type": "string"},
        "type": {"title": "Error Type", "type": "string"},
        "input": {"title": "Input"},
        "ctx": {"title": "Context", "type": "object"},
    },
    "required": ["loc", "msg", "type"],
}

validation_error_response_definition = {
    "title": "HTTPValidationError",
    "type": "object",
    "properties": {
        "detail": {
            "title": "Detail",
            "type": "array",
            "items": {"$ref": REF_PREFIX + "ValidationError"},
        }
    },
}

status_code_ranges = {
    "1XX": "Information",
    "2XX": "Success",
    "3XX": "Redirection",
    "4XX": "Client Error",
    "5XX": "Server Error",
    "DEFAULT": "Default Response",
}

FieldMapping = dict[tuple[ModelField, Literal["validation", "serialization"]], JsonSchemaValue]


class GenerateJsonSchema(PydanticGenerateJsonSchema):
    """pydantic's generator, with bytes as OpenAPI 3.1 binary strings."""

    def bytes_schema(self, schema: CoreSchema) -> JsonSchemaValue:
        json_schema: dict[str, Any] = {
            "type": "string",
            "contentMediaType": "application/octet-stream",
        }
        bytes_mode = (
            self._config.ser_json_bytes
            if self.mode == "serialization"
            else self._config.val_json_bytes
        )
        if bytes_mode == "base64":
            json_schema["contentEncoding"] = "base64"
        self.update_with_validations(json_schema, schema, self.ValidationsMapping.bytes)
        return json_schema


# --- models and definitions ------------------------------------------------------------------


def _flat_models(annotation: Any, known: set[Any]) -> None:
    """Every model and enum reachable from *annotation*, into *known*."""
    if lenient_issubclass(annotation, BaseModel):
        if annotation in known:
            return
        known.add(annotation)
        for info in annotation.model_fields.values():
            _flat_models(info.annotation, known)
    elif lenient_issubclass(annotation, Enum):
        known.add(annotation)
    elif get_origin(annotation) is not None:
        for arg in get_args(annotation):
            _flat_models(arg, known)


def get_definitions(
    fields: Sequence[ModelField], separate_input_output_schemas: bool = True
) -> tuple[FieldMapping, dict[str, dict[str, Any]]]:
    """Generate every field's schema and the shared definitions in one pydantic pass."""
    generator = GenerateJsonSchema(ref_template=REF_TEMPLATE)
    model_fields: list[ModelField] = []
    for mode in ("validation", "serialization"):
        known: set[Any] = set()
        for field in fields:
            if field.mode == mode:
                _flat_models(field.field_info.annotation, known)
        model_fields += [
            ModelField(
                name=model.__name__,
                field_info=FieldInfo(annotation=model),
                alias=model.__name__,
                mode=mode,
            )
            for model in known
        ]
    input_types = {field.field_info.annotation for field in fields}
    extra = [field for field in model_fields if field.field_info.annotation not in input_types]
    inputs = [
        (
            field,
            field.mode
            if (separate_input_output_schemas or _has_computed_fields(field))
            else "validation",
            field.type_adapter.core_schema,
        )
        for field in [*fields, *extra]
    ]
    mapping, definitions = generator.generate_definitions(inputs=inputs)
    for definition in definitions.values():
        if "description" in definition:
            definition["description"] = definition["description"].split("\f")[0]
    return mapping, definitions  # type: ignore[return-value]


def _has_computed_fields(field: ModelField) -> bool:
    def has(annotation: Any, seen: set[Any]) -> bool:
        if lenient_issubclass(annotation, BaseModel):
            if annotation in seen:
                return False
            seen.add(annotation)
            return bool(annotation.model_computed_fields) or any(
                has(info.annotation, seen) for info in annotation.model_fields.values()
            )
        return any(has(arg, seen) for arg in get_args(annotation))

    core = field.type_adapter.core_schema
    if core.get("schema", {}).get("computed_fields", []):
        return True
    return has(field.field_info.annotation, set())


def get_schema_from_model_field(
    field: ModelField,
    mapping: FieldMapping,
    separate_input_output_schemas: bool = True,
    field_alias: str | None = None,
) -> dict[str, Any]:
    mode: Any = field.mode
    if not separate_input_output_schemas and not _has_computed_fields(field):
        mode = "validation"
    if field_alias is None:
        info = field.field_info
        alias = info.validation_alias if field.mode == "validation" else info.serialization_alias
        field_alias = alias if isinstance(alias, str) and alias else field.alias
    schema = dict(mapping[(field, mode)])
    if "$ref" not in schema:
        schema["title"] = field.field_info.title or field_alias.title().replace("_", " ")
    return schema


# --- operations ------------------------------------------------------------------------------


def _dependency_data(
    dependant: Dependant,
) -> tuple[list[list[ModelField]], list[tuple[Dependant, list[str]]]]:
    """The parameters by location (each dependency once) and the security dependencies
    with their scopes."""
    groups: list[list[ModelField]] = [[], [], [], []]
    security: list[tuple[Dependant, list[str]]] = []
    visited: list[Any] = []
    pending: list[tuple[Dependant, list[str], bool]] = [(dependant, [], True)]
    while pending:
        current, parent_scopes, is_root = pending.pop()
        key = current.cache_key
        if key in visited:
            continue
        visited.append(key)
        groups[0].extend(current.path_params)
        groups[1].extend(current.query_params)
        groups[2].extend(current.header_params)
        groups[3].extend(current.cookie_params)
        scopes = list(parent_scopes)
        for scope in current.own_oauth_scopes:
            if scope not in scopes:
                scopes.append(scope)
        if not is_root and _security_scheme(current) is not None:
            security.append((current, scopes))
        pending.extend((sub, scopes, False) for sub in reversed(current.dependencies))
    return groups, security


def _security_scheme(dependant: Dependant) -> Any:
    from ..security.base import SecurityBase

    call = dependant.call
    return call if isinstance(call, SecurityBase) else None


def _security_definitions(
    security: list[tuple[Dependant, list[str]]],
) -> tuple[dict[str, Any], list[dict[str, list[str]]]]:
    definitions: dict[str, Any] = {}
    scopes_by_name: dict[str, list[str]] = {}
    for dependant, scopes in security:
        scheme = _security_scheme(dependant)
        definitions[scheme.scheme_name] = jsonable_encoder(
            scheme.model, by_alias=True, exclude_none=True
        )
        merged = scopes_by_name.setdefault(scheme.scheme_name, [])
        merged.extend(scope for scope in scopes if scope not in merged)
    return definitions, [{name: scopes} for name, scopes in scopes_by_name.items()]


def _flat_param_fields(fields: list[ModelField]) -> list[tuple[ModelField, ModelField]]:
    """(parameter, parent) pairs, parameter models expanded into their fields."""
    flat: list[tuple[ModelField, ModelField]] = []
    for parent in fields:
        model = _param_model(parent)
        if model is None:
            flat.append((parent, parent))
        else:
            flat.extend((field, parent) for field in _model_param_fields(model))
    return flat


@functools.lru_cache(maxsize=1024)
def _model_param_fields(model: type[BaseModel]) -> tuple[ModelField, ...]:
    """The fields of a parameter model, one ModelField each (cached: the schema mapping is
    keyed by field identity)."""
    return tuple(
        ModelField(name=name, field_info=info, alias=info.alias or name)
        for name, info in model.model_fields.items()
    )


def _param_model(field: ModelField) -> type[BaseModel] | None:
    from ..dependencies.utils import is_json_field, param_model_type

    if is_json_field(field.field_info):  # Json[Model]: one parameter carrying JSON text
        return None
    return param_model_type(field.field_info.annotation)


_LOCATIONS = ("path", "query", "header", "cookie")


def _operation_parameters(
    groups: list[list[ModelField]], mapping: FieldMapping, separate: bool
) -> list[dict[str, Any]]:
    parameters = []
    for location, group in zip(_LOCATIONS, groups, strict=True):
        for parent in group:
            if not getattr(parent.field_info, "include_in_schema", True):
                continue
            model = _param_model(parent)
            optional_model = (
                model is not None
                and parent.field_info.annotation is not model
                and not parent.field_info.is_required()
            )
            for param, _ in _flat_param_fields([parent]):
                info = param.field_info
                convert = location == "header" and getattr(
                    info,
                    "convert_underscores",
                    getattr(parent.field_info, "convert_underscores", True),
                )
                alias, name = param_aliases(
                    param.name,
                    info,
                    # A parameter model's own config decides (validate_by_alias=False: names).
                    config=model_field_config(model, info) if model is not None else None,
                    convert_underscores=bool(convert and model is not None),
                )[0]
                schema = get_schema_from_model_field(param, mapping, separate, field_alias=alias)
                parameter: dict[str, Any] = {
                    "name": name,
                    "in": location,
                    "required": info.is_required() and not optional_model,
                    "schema": schema,
                }
                if info.description:
                    parameter["description"] = info.description
                openapi_examples = getattr(info, "openapi_examples", None)
                example = getattr(info, "example", _Unset)
                if openapi_examples:
                    parameter["examples"] = jsonable_encoder(openapi_examples)
                elif example is not _Unset:
                    parameter["example"] = jsonable_encoder(example)
                if getattr(info, "deprecated", None):
                    parameter["deprecated"] = True
                parameters.append(parameter)
    return parameters


def _request_body(
    body_field: ModelField | None, mapping: FieldMapping, separate: bool
) -> dict[str, Any] | None:
    if body_field is None:
        return None
    schema = get_schema_from_model_field(body_field, mapping, separate)
    info: Any = body_field.field_info
    body: dict[str, Any] = {}
    if info.is_required():
        body["required"] = True
    content: dict[str, Any] = {"schema": schema}
    if info.openapi_examples:
        content["examples"] = jsonable_encoder(info.openapi_examples)
    elif info.example is not _Unset:
        content["example"] = jsonable_encoder(info.example)
    body["content"] = {info.media_type: content}
    return body


def _default_status_code(response_class: Any) -> str | None:
    parameter = inspect.signature(response_class.__init__).parameters.get("status_code")
    if parameter is not None and isinstance(parameter.default, int):
        return str(parameter.default)
    return None


def get_openapi_path(
    route: Any, operation_ids: set[str], mapping: FieldMapping, separate: bool
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The path item of *route*, the security schemes and extra definitions it needs."""
    from ..routing import APIRoute

    path: dict[str, Any] = {}
    schemes: dict[str, Any] = {}
    definitions: dict[str, Any] = {}
    if not route.include_in_schema:
        return path, schemes, definitions
    response_class = route.response_class
    if isinstance(response_class, DefaultPlaceholder):
        response_class = response_class.value
    media_type = response_class.media_type
    groups, security = _dependency_data(route.dependant)
    has_params = any(group for group in groups)
    for method in route.methods:
        operation = _operation_metadata(route, operation_ids)
        security_definitions, operation_security = _security_definitions(security)
        if operation_security:
            operation.setdefault("security", []).extend(operation_security)
        schemes.update(security_definitions)
        parameters = _operation_parameters(groups, mapping, separate)
        if parameters:
            unique = {(p["in"], p["name"]): p for p in parameters}
            unique.update({(p["in"], p["name"]): p for p in parameters if p.get("required")})
            operation["parameters"] = list(unique.values())
        if method in METHODS_WITH_BODY:
            body = _request_body(route.body_field, mapping, separate)
            if body:
                operation["requestBody"] = body
        if route.callbacks:
            callbacks = {}
            for callback in route.callbacks:
                if isinstance(callback, APIRoute):
                    callback_path, _, _ = get_openapi_path(
                        callback, operation_ids, mapping, separate
                    )
                    callbacks[callback.name] = {callback.path: callback_path}
            operation["callbacks"] = callbacks
        if route.status_code is not None:
            status_code = str(route.status_code)
        else:
            status_code = _default_status_code(response_class)  # type: ignore[assignment]
        responses = operation.setdefault("responses", {})
        responses.setdefault(status_code, {})["description"] = route.response_description
        if is_body_allowed_for_status_code(route.status_code) and (
            route.is_json_stream or route.is_sse_stream
        ):
            content = responses[status_code].setdefault("content", {})
            item_field = route.stream_item_field
            item_schema = (
                get_schema_from_model_field(item_field, mapping, separate) if item_field else None
            )
            if route.is_json_stream:
                content["application/jsonl"] = {"itemSchema": item_schema or {}}
            else:
                event_schema = copy.deepcopy(_SSE_EVENT_SCHEMA)
                if item_schema is not None:
                    event_schema["required"] = ["data"]
                    event_schema["properties"]["data"] = {
                        "type": "string",
                        "contentMediaType": "application/json",
                        "contentSchema": item_schema,
                    }
                content["text/event-stream"] = {"itemSchema": event_schema}
        elif media_type and is_body_allowed_for_status_code(route.status_code):
            schema: dict[str, Any] = {"type": "string"}
            if lenient_issubclass(response_class, JSONResponse):
                schema = (
                    get_schema_from_model_field(route.response_field.model_field, mapping, separate)
                    if route.response_field
                    else {}
                )
            responses[status_code].setdefault("content", {}).setdefault(media_type, {})[
                "schema"
            ] = schema
        if route.responses:
            _additional_responses(route, responses, media_type, mapping, separate)
        if (has_params or route.body_field) and not any(
            status in responses for status in ("422", "4XX", "default")
        ):
            responses["422"] = {
                "description": "Validation Error",
                "content": {
                    "application/json": {"schema": {"$ref": REF_PREFIX + "HTTPValidationError"}}
                },
            }
            definitions["ValidationError"] = validation_error_definition
            definitions["HTTPValidationError"] = validation_error_response_definition
        if route.openapi_extra:
            deep_dict_update(operation, route.openapi_extra)
        path[method.lower()] = operation
    return path, schemes, definitions


def _operation_metadata(route: Any, operation_ids: set[str]) -> dict[str, Any]:
    operation: dict[str, Any] = {}
    if route.tags:
        operation["tags"] = route.tags
    operation["summary"] = route.summary or route.name.replace("_", " ").title()
    if route.description:
        operation["description"] = route.description
    operation_id = route.operation_id or route.unique_id
    if operation_id in operation_ids:
        endpoint_name = getattr(route.endpoint, "__name__", "<unnamed_endpoint>")
        message = f"Duplicate Operation ID {operation_id} for function {endpoint_name}"
        file_name = getattr(route.endpoint, "__globals__", {}).get("__file__")
        if file_name:
            message += f" at {file_name}"
        warnings.warn(message, stacklevel=1)
    operation_ids.add(operation_id)
    operation["operationId"] = operation_id
    if route.deprecated:
        operation["deprecated"] = route.deprecated
    return operation


def _additional_responses(
    route: Any,
    responses: dict[str, Any],
    media_type: str | None,
    mapping: FieldMapping,
    separate: bool,
) -> None:
    for code, additional in route.responses.items():
        response = copy.deepcopy(additional)
        response.pop("model", None)
        key = str(code).upper()
        if key == "DEFAULT":
            key = "default"
        openapi_response = responses.setdefault(key, {})
        field = route.response_fields.get(code)
        if field is not None:
            field_schema = get_schema_from_model_field(field, mapping, separate)
            target = (
                response.setdefault("content", {})
                .setdefault(media_type or "application/json", {})
                .setdefault("schema", {})
            )
            deep_dict_update(target, field_schema)
        # A key that is neither a status code nor a range raises ValueError, as in FastAPI.
        status_text = status_code_ranges.get(str(code).upper()) or http.client.responses.get(
            int(code)
        )
        description = (
            response.get("description")
            or openapi_response.get("description")
            or status_text
            or "Additional Response"
        )
        deep_dict_update(openapi_response, response)
        openapi_response["description"] = description


def _route_fields(routes: Sequence[BaseRoute]) -> list[ModelField]:
    from ..routing import APIRoute

    bodies: list[ModelField] = []
    responses: list[ModelField] = []
    requests: list[ModelField] = []
    callbacks: list[ModelField] = []
    for route in routes:
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        if route.body_field is not None:
            bodies.append(route.body_field)
        if route.response_field is not None:
            responses.append(route.response_field.model_field)
        responses.extend(route.response_fields.values())
        if route.stream_item_field is not None:
            responses.append(route.stream_item_field)
        if route.callbacks:
            callbacks.extend(_route_fields(route.callbacks))
        groups, _ = _dependency_data(route.dependant)
        for group in groups:
            requests.extend(field for field, _ in _flat_param_fields(group))
    return [*callbacks, *bodies, *responses, *requests]


def get_openapi(
    *,
    title: str,
    version: str,
    openapi_version: str = "3.1.0",
    summary: str | None = None,
    description: str | None = None,
    routes: Sequence[BaseRoute],
    webhooks: Sequence[BaseRoute] | None = None,
    tags: list[dict[str, Any]] | None = None,
    servers: list[dict[str, Any]] | None = None,
    terms_of_service: str | None = None,
    contact: dict[str, Any] | None = None,
    license_info: dict[str, Any] | None = None,
    separate_input_output_schemas: bool = True,
    external_docs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The OpenAPI document of *routes* (and *webhooks*)."""
    info: dict[str, Any] = {"title": title, "version": version}
    if summary:
        info["summary"] = summary
    if description:
        info["description"] = description
    if terms_of_service:
        info["termsOfService"] = terms_of_service
    if contact:
        info["contact"] = contact
    if license_info:
        info["license"] = license_info
    output: dict[str, Any] = {"openapi": openapi_version, "info": info}
    if servers:
        output["servers"] = servers
    components: dict[str, dict[str, Any]] = {}
    operation_ids: set[str] = set()
    all_fields = _route_fields([*routes, *(webhooks or [])])
    mapping, definitions = get_definitions(all_fields, separate_input_output_schemas)
    paths: dict[str, dict[str, Any]] = {}
    webhook_paths: dict[str, dict[str, Any]] = {}
    from ..routing import APIRoute

    for target, group in ((paths, routes), (webhook_paths, webhooks or [])):
        for route in group:
            if not isinstance(route, APIRoute):
                continue
            path, schemes, path_definitions = get_openapi_path(
                route, operation_ids, mapping, separate_input_output_schemas
            )
            if path:
                target.setdefault(route.path_format, {}).update(path)
            if schemes:
                components.setdefault("securitySchemes", {}).update(schemes)
            definitions.update(path_definitions)
    if definitions:
        components["schemas"] = {key: definitions[key] for key in sorted(definitions)}
    if components:
        output["components"] = components
    output["paths"] = paths
    if webhook_paths:
        output["webhooks"] = webhook_paths
    if tags:
        output["tags"] = tags
    if external_docs:
        output["externalDocs"] = external_docs
    # Through the models: validates what the user added (openapi_extra, responses=...) and
    # puts every object's keys in the specification's order, as FastAPI's output has them.
    return jsonable_encoder(OpenAPI(**output), by_alias=True, exclude_none=True)  # type: ignore[no-any-return]
