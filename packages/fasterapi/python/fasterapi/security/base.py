# SPDX-License-Identifier: MIT
"""The base classes of security schemes."""

from __future__ import annotations

from typing import Any

from starlette.requests import HTTPConnection
from starlette.status import HTTP_401_UNAUTHORIZED

from ..exceptions import HTTPException


class SecurityBase:
    """A security scheme dependency: ``model`` is its OpenAPI description (a
    :mod:`fasterapi.openapi.models` security scheme) and ``scheme_name`` its name in the
    document's ``securitySchemes``."""

    model: Any
    scheme_name: str


class AuthorizationHeaderScheme(SecurityBase):
    """A scheme that hands over the whole ``Authorization`` header (OAuth2, OpenID
    Connect); a missing header is a 401 challenging for a bearer token, unless
    ``auto_error`` is off (then the dependency gives None)."""

    auto_error: bool

    def make_not_authenticated_error(self) -> HTTPException:
        return HTTPException(
            status_code=HTTP_401_UNAUTHORIZED,
            detail="Not authenticated",
            headers={"WWW-Authenticate": "Bearer"},
        )

    async def __call__(self, request: HTTPConnection) -> str | None:
        authorization = request.headers.get("Authorization")
        if not authorization:
            if self.auto_error:
                raise self.make_not_authenticated_error()
            return None
        return authorization
