# SPDX-License-Identifier: MIT
# fasterapi/openapi/_body.py: a route's request body as one field, for the document
"""The request body of a route as one :class:`ModelField`: the body parameter itself when
there is one, not embedded; otherwise a ``Body_<operation id>`` model of all of them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import create_model

from .. import params
from ..dependencies.models import Dependant, ModelField

if TYPE_CHECKING:
    from .._plan import RoutePlan


def get_body_field(flat: Dependant, name: str, plan: RoutePlan) -> ModelField | None:
    body_params = flat.body_params
    if not body_params:
        return None
    embed = plan.body.embed if plan.body is not None else False
    first = body_params[0]
    if not embed:
        return first
    fields = {f.name: (f.field_info.annotation, f.field_info) for f in body_params}
    body_model: Any = create_model(f"Body_{name}", **fields)  # type: ignore[call-overload]
    required = any(f.field_info.is_required() for f in body_params)
    options: dict[str, Any] = {"annotation": body_model, "alias": "body"}
    if not required:
        options["default"] = None
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
    default = options.pop("default", ...)
    return ModelField(name="body", field_info=marker(default, **options), alias="body")
