# SPDX-License-Identifier: MIT
"""The base class of security schemes."""

from __future__ import annotations

from typing import Any


class SecurityBase:
    """A security scheme dependency: ``model`` is its OpenAPI description (a
    :mod:`fasterapi.openapi.models` security scheme) and ``scheme_name`` its name in the
    document's ``securitySchemes``."""

    model: Any
    scheme_name: str
