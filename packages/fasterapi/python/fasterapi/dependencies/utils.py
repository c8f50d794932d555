# SPDX-License-Identifier: MIT
# fasterapi/dependencies/utils.py: read an endpoint's signature into a dependency tree
"""Signature analysis: :func:`get_dependant` turns an endpoint (or dependency) into a
:class:`~fasterapi.dependencies.models.Dependant`, deciding for each parameter where its
value comes from, with FastAPI's rules:

* ``Depends(...)`` / ``Security(...)`` (as default or in ``Annotated``): a sub-dependency;
* ``Request``, ``WebSocket``, ``HTTPConnection``, ``Response``, ``BackgroundTasks``,
  ``SecurityScopes`` annotations: injected objects;
* an explicit marker (``Query()``, ``Header()``, ``Body()``, ...): that source;
* a name that appears in the path: a path parameter;
* ``UploadFile``: a file; other non-scalar types (models, lists, dicts): the body;
* anything else: a query parameter.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from copy import copy
from typing import Annotated, Any, ForwardRef, Union, get_args, get_origin

from pydantic import AliasChoices, BaseModel, Json
from pydantic.fields import FieldInfo
from starlette.background import BackgroundTasks as StarletteBackgroundTasks
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from .. import params
from .._pydantic_v1 import check_annotation as check_pydantic_v1
from ..datastructures import UploadFile
from ..exceptions import FasterAPIError
from ..params import Undefined
from ..security.scopes import SecurityScopes
from ..utils import get_path_param_names
from .models import _SCHEMA_ATTRIBUTES as _FIELD_ATTRIBUTES
from .models import Dependant, ModelField

try:  # Python 3.10+: X | Y unions
    from types import UnionType

    _UNION_TYPES: tuple[Any, ...] = (Union, UnionType)
except ImportError:  # pragma: no cover
    _UNION_TYPES = (Union,)

_SEQUENCE_TYPES = (list, set, frozenset, tuple, deque, Sequence)
_INJECTED_TYPES = (
    Request,
    WebSocket,
    HTTPConnection,
    Response,
    StarletteBackgroundTasks,
    SecurityScopes,
)


class EndpointSignatureError(FasterAPIError, AssertionError):
    """An endpoint or dependency declares a parameter FastAPI's rules do not allow.

    Also an ``AssertionError``, which is what FastAPI raises for these mistakes."""


def _fail(call: Any, param_name: str, problem: str) -> EndpointSignatureError:
    where = getattr(call, "__qualname__", None) or getattr(type(call), "__qualname__", repr(call))
    return EndpointSignatureError(f"{problem} (parameter {param_name!r} of {where})")


# --- what kind of type an annotation is ----------------------------------------------------


def lenient_issubclass(cls: Any, bases: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, bases)


def _strip_annotated(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def _is_union(annotation: Any) -> bool:
    return get_origin(annotation) in _UNION_TYPES


def _is_sequence(annotation: Any) -> bool:
    annotation = _strip_annotated(annotation)
    if _is_union(annotation):
        return any(_is_sequence(arg) for arg in get_args(annotation))
    if lenient_issubclass(annotation, (str, bytes)):
        return False
    return lenient_issubclass(annotation, _SEQUENCE_TYPES) or lenient_issubclass(
        get_origin(annotation), _SEQUENCE_TYPES
    )


def _is_complex(annotation: Any) -> bool:
    annotation = _strip_annotated(annotation)
    if _is_union(annotation):
        return any(_is_complex(arg) for arg in get_args(annotation))
    origin = get_origin(annotation)
    return (
        lenient_issubclass(annotation, (BaseModel, Mapping, UploadFile))
        or lenient_issubclass(origin, Mapping)
        or _is_sequence(annotation)
        or dataclasses.is_dataclass(annotation)
    )


def field_annotation_is_scalar(annotation: Any) -> bool:
    """True for types a single query/path/header value can hold."""
    return annotation is Ellipsis or not _is_complex(annotation)


def field_annotation_is_scalar_sequence(annotation: Any) -> bool:
    """``list[int]``, ``set[str] | None``...: several values of one scalar type."""
    annotation = _strip_annotated(annotation)
    if _is_union(annotation):
        members = [arg for arg in get_args(annotation) if arg is not type(None)]
        has_sequence = False
        for arg in members:
            if field_annotation_is_scalar_sequence(arg):
                has_sequence = True
            elif not field_annotation_is_scalar(arg):
                return False
        return has_sequence
    return _is_sequence(annotation) and all(
        field_annotation_is_scalar(arg) for arg in get_args(annotation)
    )


def _is_upload_file(annotation: Any) -> bool:
    annotation = _strip_annotated(annotation)
    if _is_union(annotation):
        return any(_is_upload_file(arg) for arg in get_args(annotation))
    if lenient_issubclass(annotation, UploadFile):
        return True
    return _is_sequence(annotation) and any(_is_upload_file(a) for a in get_args(annotation))


def is_json_field(info: Any) -> bool:
    """``Json[...]``: one value carrying JSON text, whatever type the JSON decodes to (never a
    list of values, never a parameter model)."""
    return any(type(item) is Json for item in getattr(info, "metadata", ()))


def param_model_type(annotation: Any) -> type[BaseModel] | None:
    """The model of a parameter model (``Annotated[Filters, Query()]``, also
    ``Filters | None``), else None."""
    annotation = _strip_annotated(annotation)
    if _is_union(annotation):
        args = get_args(annotation)
        if len(args) == 2 and type(None) in args:
            annotation = _strip_annotated(next(arg for arg in args if arg is not type(None)))
    return annotation if lenient_issubclass(annotation, BaseModel) else None


# --- signatures ------------------------------------------------------------------------------


def get_typed_signature(call: Callable[..., Any]) -> inspect.Signature:
    """The signature with string annotations evaluated in the callable's module (the ones
    that cannot be evaluated yet stay forward references)."""
    signature = inspect.signature(call)
    target = inspect.unwrap(call)
    if inspect.isclass(target):
        target = target.__init__
    elif not (inspect.isfunction(target) or inspect.ismethod(target)):
        target = getattr(target, "__call__", target)  # noqa: B004
    namespace = getattr(inspect.unwrap(target), "__globals__", {})
    parameters = [
        param.replace(annotation=_evaluate(param.annotation, namespace))
        for param in signature.parameters.values()
    ]
    return inspect.Signature(parameters)


def get_typed_annotation(annotation: Any, globalns: dict[str, Any]) -> Any:
    """*annotation*, a string or ForwardRef evaluated in *globalns* ("None" gives None)."""
    return _evaluate(annotation, globalns)


def _evaluate(annotation: Any, namespace: dict[str, Any]) -> Any:
    if isinstance(annotation, str):
        annotation = ForwardRef(annotation)
    if isinstance(annotation, ForwardRef):
        try:
            return eval(annotation.__forward_arg__, namespace)
        except Exception:
            return annotation
    return annotation


def get_typed_return_annotation(call: Callable[..., Any]) -> Any:
    """The return annotation, evaluated; None when absent."""
    annotation = inspect.signature(call).return_annotation
    if annotation is inspect.Signature.empty:
        return None
    namespace = getattr(inspect.unwrap(call), "__globals__", {})
    return _evaluate(annotation, namespace)


# --- analysis --------------------------------------------------------------------------------


def _merged_field_info(marker: FieldInfo, annotation: Any) -> FieldInfo:
    """A copy of *marker* carrying the type, constraints and field attributes (alias,
    title, ...) of everything in *annotation* (e.g. a ``Field(alias=...)`` next to it)."""
    merged = type(marker).from_annotation(annotation)
    field_info = copy(marker)
    for name in _FIELD_ATTRIBUTES:
        setattr(field_info, name, getattr(merged, name))
    field_info._attributes_set = dict(merged._attributes_set)
    field_info.metadata = merged.metadata
    field_info.annotation = merged.annotation
    return field_info


def _is_type_alias(annotation: Any) -> bool:
    """A PEP 695 ``type X = ...`` alias (``typing.TypeAliasType`` or typing_extensions')."""
    return type(annotation).__name__ == "TypeAliasType" and hasattr(annotation, "__value__")


def _analyze_param(
    call: Any, name: str, annotation: Any, value: Any, path_params: set[str]
) -> tuple[Any, params.Depends | None, FieldInfo | None]:
    """(type, dependency, field info) of one parameter."""
    is_path_param = name in path_params
    empty = inspect.Signature.empty
    if _is_type_alias(annotation):  # `type Value = Annotated[int, Depends(...)]` (PEP 695)
        annotation = annotation.__value__
    use_annotation = Any if annotation is empty else annotation
    type_annotation = use_annotation
    field_info: FieldInfo | None = None
    depends: params.Depends | None = None
    if get_origin(use_annotation) is Annotated:
        type_annotation = get_args(use_annotation)[0]
        markers = [
            arg
            for arg in get_args(use_annotation)[1:]
            if isinstance(arg, (params.Param, params.Body, params.Depends))
        ]
        marker = markers[-1] if markers else None
        if isinstance(marker, FieldInfo):
            field_info = _merged_field_info(marker, use_annotation)
            if marker.default is not Undefined and marker.default is not Ellipsis:
                raise _fail(
                    call,
                    name,
                    f"`{type(marker).__name__}` default value cannot be set in `Annotated` "
                    f"for {name!r}. Set the default value with `=` instead.",
                )
            if value is not empty:
                if is_path_param:
                    raise _fail(call, name, "Path parameters cannot have default values")
                field_info.default = value
            else:
                field_info.default = Undefined
        elif isinstance(marker, params.Depends):
            depends = marker
    if isinstance(value, params.Depends):
        if depends is not None:
            raise _fail(
                call,
                name,
                f"Cannot specify `Depends` in `Annotated` and default value together for {name!r}",
            )
        if field_info is not None:
            raise _fail(
                call,
                name,
                "Cannot specify a FastAPI annotation in `Annotated` and `Depends` as a "
                f"default value together for {name!r}",
            )
        depends = value
    elif isinstance(value, FieldInfo):
        if field_info is not None:
            raise _fail(
                call,
                name,
                "Cannot specify FastAPI annotations in `Annotated` and default value "
                f"together for {name!r}",
            )
        field_info = value
        field_info.annotation = type_annotation
    if depends is not None and depends.dependency is None:
        depends = dataclasses.replace(depends, dependency=type_annotation)
    if depends is None and lenient_issubclass(type_annotation, _INJECTED_TYPES):
        if field_info is not None:
            raise _fail(
                call, name, f"Cannot specify FastAPI annotation for type {type_annotation!r}"
            )
        return type_annotation, None, None
    if field_info is None and depends is None:
        default = Undefined if value is empty else value
        if is_path_param:
            field_info = params.Path(annotation=use_annotation)
        elif _is_upload_file(type_annotation):
            field_info = params.File(default, annotation=use_annotation)
        elif not field_annotation_is_scalar(type_annotation):
            field_info = params.Body(default, annotation=use_annotation)
        else:
            field_info = params.Query(default, annotation=use_annotation)
        if get_origin(use_annotation) is Annotated:
            inferred_default = field_info.default
            field_info = _merged_field_info(field_info, use_annotation)
            field_info.default = inferred_default
            if is_path_param:
                field_info.default_factory = None
    if field_info is not None:
        validation_alias = field_info.validation_alias
        if (
            isinstance(field_info, params.Path)
            and isinstance(validation_alias, AliasChoices)
            and all(isinstance(choice, str) for choice in validation_alias.choices)
        ):
            # The choice the route's path names is the one the value is read under.
            for choice in validation_alias.choices:
                if choice in path_params:
                    field_info = copy(field_info)
                    field_info.validation_alias = choice
                    break
        if isinstance(field_info, params.Param) and getattr(field_info, "in_", None) is None:
            # A bare Param() marker reads the query string.
            field_info.in_ = params.ParamTypes.query
        if is_path_param and not isinstance(field_info, params.Path):
            raise _fail(
                call, name, f"Cannot use `{type(field_info).__name__}` for path param {name!r}"
            )
        if isinstance(field_info, params.Form):
            ensure_multipart_is_installed()
            _add_form_union_normalizers(field_info)
    return type_annotation, depends, field_info


def _add_form_union_normalizers(field_info: FieldInfo) -> None:
    """A union of form models validates each branch from the fields that branch reads: a
    before-validator per branch picks them out of all the form's values."""
    from pydantic import BeforeValidator, Tag

    from .._forms import form_models, normalize_for

    models = form_models(field_info)
    if len(models) < 2:
        return
    choices: list[Any] = []
    for choice in get_args(_strip_annotated(field_info.annotation)):
        if choice is type(None):
            choices.append(choice)
            continue
        model, *metadata = get_args(choice) if get_origin(choice) is Annotated else (choice,)
        # Keep a discriminator's own tags; else name the branch after its model.
        tag = next((item for item in reversed(metadata) if isinstance(item, Tag)), None)
        tag = tag or Tag(model.__name__)
        choices.append(Annotated[choice, BeforeValidator(normalize_for(model)), tag])
    field_info.annotation = Union[tuple(choices)]  # type: ignore[assignment]  # noqa: UP007


multipart_not_installed_error = (
    'Form data requires "python-multipart" to be installed. \n'
    'You can install "python-multipart" with: \n\n'
    "pip install python-multipart\n"
)
multipart_incorrect_install_error = (
    'Form data requires "python-multipart" to be installed. '
    'It seems you installed "multipart" instead. \n'
    'You can remove "multipart" with: \n\n'
    "pip uninstall multipart\n\n"
    'And then install "python-multipart" with: \n\n'
    "pip install python-multipart\n"
)


def ensure_multipart_is_installed() -> None:
    """Forms need python-multipart (newer than 0.0.12); the unrelated "multipart" package
    is a common mix-up. Raises RuntimeError saying which, when a route declares a form."""
    try:
        from python_multipart import __version__

        if __version__ > "0.0.12":
            return
    except ImportError:
        pass
    try:
        # The old name of python-multipart, or the unrelated package of that name.
        from multipart import __version__ as legacy_version  # type: ignore[import-untyped]
    except ImportError:
        raise RuntimeError(multipart_not_installed_error) from None
    if not legacy_version:
        raise RuntimeError(multipart_not_installed_error)
    try:
        # Only python-multipart has it (and ships no type information for this path).
        from multipart.multipart import parse_options_header  # type: ignore[import-untyped]
    except ImportError:
        raise RuntimeError(multipart_incorrect_install_error) from None
    if parse_options_header is None:
        raise RuntimeError(multipart_incorrect_install_error)


def _make_field(call: Any, name: str, field_info: FieldInfo, is_path_param: bool) -> ModelField:
    if not field_info.alias and getattr(field_info, "convert_underscores", None):
        alias = name.replace("_", "-")
    else:
        alias = field_info.alias or name
    field_info.alias = alias
    annotation = field_info.annotation
    check_pydantic_v1(annotation, f"parameter {name!r}")
    field = ModelField(name=name, field_info=field_info, alias=alias)
    if is_path_param and not field_annotation_is_scalar(annotation):
        raise _fail(call, name, "Path params must be of one of the supported types")
    if isinstance(field_info, params.Query) and not (
        field_annotation_is_scalar(annotation)
        or field_annotation_is_scalar_sequence(annotation)
        or param_model_type(annotation) is not None
    ):
        raise _fail(call, name, f"Query parameter {name!r} must be one of the supported types")
    return field


def get_parameterless_sub_dependant(*, depends: params.Depends, path: str) -> Dependant:
    """The dependant of a ``dependencies=[Depends(...)]`` entry (its value is unused)."""
    if not callable(depends.dependency):
        raise FasterAPIError(
            "A parameter-less dependency must have a callable dependency, "
            f"got {depends.dependency!r}"
        )
    return get_dependant(
        path=path,
        call=depends.dependency,
        own_oauth_scopes=getattr(depends, "scopes", None),
        use_cache=depends.use_cache,
        scope=depends.scope,
        marker=depends,
        concurrency=depends._concurrency,
    )


def get_dependant(
    *,
    path: str,
    call: Callable[..., Any],
    name: str | None = None,
    own_oauth_scopes: list[str] | None = None,
    parent_oauth_scopes: list[str] | None = None,
    use_cache: bool = True,
    scope: Any = None,
    marker: params.Depends | None = None,
    concurrency: Any = None,
) -> Dependant:
    """Analyse *call*'s signature (see the module docstring) into a :class:`Dependant`."""
    dependant = Dependant(
        call=call,
        name=name,
        path=path,
        use_cache=use_cache,
        scope=scope,
        own_oauth_scopes=list(own_oauth_scopes or []),
        parent_oauth_scopes=list(parent_oauth_scopes or []),
        marker=marker,
        concurrency=concurrency,
    )
    path_params = get_path_param_names(path)
    current_scopes = dependant.oauth_scopes
    for param_name, param in get_typed_signature(call).parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        type_annotation, depends, field_info = _analyze_param(
            call, param_name, param.annotation, param.default, path_params
        )
        if depends is not None:
            if (
                (dependant.is_gen_callable or dependant.is_async_gen_callable)
                and (scope or "request") == "request"
                and depends.scope == "function"
            ):
                from ..exceptions import DependencyScopeError

                raise DependencyScopeError(
                    f'The dependency "{getattr(call, "__name__", "<unnamed_callable>")}" has a '
                    'scope of "request", it cannot depend on dependencies with scope "function".'
                )
            dependant.dependencies.append(
                get_dependant(
                    path=path,
                    call=depends.dependency,  # type: ignore[arg-type]
                    name=param_name,
                    own_oauth_scopes=getattr(depends, "scopes", None),
                    parent_oauth_scopes=current_scopes,
                    use_cache=depends.use_cache,
                    scope=depends.scope,
                    marker=depends,
                    concurrency=depends._concurrency,
                )
            )
            continue
        if field_info is None:
            _add_injected(dependant, param_name, type_annotation)
            continue
        field = _make_field(call, param_name, field_info, param_name in path_params)
        if isinstance(field_info, params.Body):
            dependant.body_params.append(field)
        else:
            location = getattr(field_info, "in_").value  # noqa: B009
            getattr(dependant, f"{location}_params").append(field)
    return dependant


def _add_injected(dependant: Dependant, name: str, annotation: Any) -> None:
    if lenient_issubclass(annotation, Request):
        dependant.request_param_name = name
    elif lenient_issubclass(annotation, WebSocket):
        dependant.websocket_param_name = name
    elif lenient_issubclass(annotation, HTTPConnection):
        dependant.http_connection_param_name = name
    elif lenient_issubclass(annotation, Response):
        dependant.response_param_name = name
    elif lenient_issubclass(annotation, StarletteBackgroundTasks):
        dependant.background_tasks_param_name = name
    else:
        dependant.security_scopes_param_name = name


def get_flat_dependant(dependant: Dependant, *, skip_repeats: bool = False) -> Dependant:
    """All parameters of *dependant* and its dependencies in one Dependant (for OpenAPI)."""
    flat = Dependant(call=dependant.call, path=dependant.path)
    seen: set[Any] = set()

    def visit(node: Dependant) -> None:
        for field_list in ("path_params", "query_params", "header_params", "cookie_params"):
            getattr(flat, field_list).extend(getattr(node, field_list))
        flat.body_params.extend(node.body_params)
        for sub in node.dependencies:
            if skip_repeats and sub.cache_key in seen:
                continue
            seen.add(sub.cache_key)
            visit(sub)

    visit(dependant)
    return flat


def apply_overrides(dependant: Dependant, overrides: dict[Any, Any]) -> Dependant:
    """A copy of *dependant*'s tree with overridden dependencies replaced (each keeps the
    cache key of the dependency it replaces, as in FastAPI)."""
    clone = copy(dependant)
    clone.dependencies = []
    for sub in dependant.dependencies:
        replacement = overrides.get(sub.call)
        if replacement is not None:
            new_sub = get_dependant(
                path=sub.path or "",
                call=replacement,
                name=sub.name,
                own_oauth_scopes=sub.own_oauth_scopes,
                parent_oauth_scopes=sub.parent_oauth_scopes,
                use_cache=sub.use_cache,
                scope=sub.scope,
                concurrency=sub.concurrency,
            )
            new_sub.cache_key_override = sub.cache_key
            clone.dependencies.append(apply_overrides(new_sub, overrides))
        else:
            clone.dependencies.append(apply_overrides(sub, overrides))
    return clone


def __getattr__(name: str) -> Any:
    # FastAPI's name for reading a File parameter's bytes without consuming the upload (the
    # form reader lives in fasterapi._forms, which imports this module).
    if name == "_read_file_bytes":
        from .._forms import _read_bytes

        return _read_bytes
    # FastAPI's extraction helpers, built on plans (which import this module).
    if name in ("request_params_to_args", "request_body_to_args"):
        from .. import _extraction

        return getattr(_extraction, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
