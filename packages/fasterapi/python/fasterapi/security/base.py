# SPDX-License-Identifier: MIT
"""The base class of security schemes: an OpenAPI model and a scheme name."""

from __future__ import annotations

from typing import Any


class SecurityBase:
    """A security scheme dependency; ``model`` is its OpenAPI description and
    ``scheme_name`` its name in the document."""

    model: Any
    scheme_name: str
