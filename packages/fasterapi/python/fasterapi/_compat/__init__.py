# SPDX-License-Identifier: MIT
"""Version facts and sentinels that code written against FastAPI's ``_compat`` reads."""

from pydantic.version import VERSION as PYDANTIC_VERSION
from pydantic_core import PydanticUndefined

PYDANTIC_VERSION_MINOR_TUPLE = tuple(int(part) for part in PYDANTIC_VERSION.split(".")[:2])
Undefined = PydanticUndefined
RequiredParam = PydanticUndefined


def __getattr__(name: str) -> object:
    # The annotation helpers live in .shared (importing them here eagerly would be circular:
    # they build on fasterapi.dependencies, which imports this module).
    if name in ("is_bytes_sequence_annotation", "is_uploadfile_sequence_annotation"):
        from . import shared

        return getattr(shared, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
