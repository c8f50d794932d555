# SPDX-License-Identifier: MIT
# fasterapi/param_functions.py: the functions endpoints use to declare parameters
"""``Path``, ``Query``, ``Header``, ``Cookie``, ``Body``, ``Form``, ``File``, ``Depends``
and ``Security``, as in FastAPI.

Example::

    from typing import Annotated
    from fasterapi import FastAPI, Query

    app = FastAPI()

    @app.get("/items/")
    async def list_items(q: Annotated[str | None, Query(max_length=50)] = None):
        return {"q": q}

The value options are pydantic's ``Field`` options (``alias``, ``title``, ``description``,
``gt``/``ge``/``lt``/``le``, ``min_length``/``max_length``, ``pattern``, ``examples``,
``deprecated``, ...) plus ``openapi_examples`` and ``include_in_schema``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

from . import params
from .params import Undefined


def Path(default: Any = ..., **options: Any) -> Any:
    """A path parameter (always required)."""
    return params.Path(default, **options)


def Query(default: Any = Undefined, **options: Any) -> Any:
    """A query-string parameter."""
    return params.Query(default, **options)


def Header(default: Any = Undefined, *, convert_underscores: bool = True, **options: Any) -> Any:
    """A request header; ``user_agent`` reads ``User-Agent`` unless
    ``convert_underscores=False``."""
    return params.Header(default, convert_underscores=convert_underscores, **options)


def Cookie(default: Any = Undefined, **options: Any) -> Any:
    """A cookie."""
    return params.Cookie(default, **options)


def Body(
    default: Any = Undefined,
    *,
    embed: bool | None = None,
    media_type: str = "application/json",
    **options: Any,
) -> Any:
    """A value from the JSON body; ``embed=True`` expects it under its name."""
    return params.Body(default, embed=embed, media_type=media_type, **options)


def Form(
    default: Any = Undefined,
    *,
    media_type: str = "application/x-www-form-urlencoded",
    **options: Any,
) -> Any:
    """A form field (needs ``python-multipart``)."""
    return params.Form(default, media_type=media_type, **options)


def File(
    default: Any = Undefined, *, media_type: str = "multipart/form-data", **options: Any
) -> Any:
    """An uploaded file, as ``bytes`` or ``UploadFile`` (needs ``python-multipart``)."""
    return params.File(default, media_type=media_type, **options)


def Depends(
    dependency: Callable[..., Any] | None = None,
    *,
    use_cache: bool = True,
    scope: Literal["function", "request"] | None = None,
    max_concurrency: int | None = None,
) -> Any:
    """A dependency, called per request; its result becomes the parameter's value.
    ``max_concurrency=N`` lets at most N calls of this declaration run at once."""
    return params.Depends(
        dependency=dependency, use_cache=use_cache, scope=scope, max_concurrency=max_concurrency
    )


def Security(
    dependency: Callable[..., Any] | None = None,
    *,
    scopes: Sequence[str] | None = None,
    use_cache: bool = True,
    scope: Literal["function", "request"] | None = None,
    max_concurrency: int | None = None,
) -> Any:
    """A dependency that declares OAuth2 scopes."""
    return params.Security(
        dependency=dependency,
        scopes=scopes,
        use_cache=use_cache,
        scope=scope,
        max_concurrency=max_concurrency,
    )
