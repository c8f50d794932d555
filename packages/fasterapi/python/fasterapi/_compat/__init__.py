# SPDX-License-Identifier: MIT
"""Version facts and sentinels that code written against FastAPI's ``_compat`` reads."""

from pydantic.version import VERSION as PYDANTIC_VERSION
from pydantic_core import PydanticUndefined

PYDANTIC_VERSION_MINOR_TUPLE = tuple(int(part) for part in PYDANTIC_VERSION.split(".")[:2])
Undefined = PydanticUndefined
RequiredParam = PydanticUndefined
