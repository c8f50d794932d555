# SPDX-License-Identifier: MIT
"""OpenID Connect discovery scheme; gives the whole ``Authorization`` header."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection
from starlette.status import HTTP_401_UNAUTHORIZED

from ..openapi.models import OpenIdConnect as OpenIdConnectModel
from .base import SecurityBase


class OpenIdConnect(SecurityBase):
    """OpenID Connect with discovery at *openIdConnectUrl*."""

    def __init__(
        self,
        *,
        openIdConnectUrl: str,  # the OpenAPI field's name
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.model = OpenIdConnectModel(openIdConnectUrl=openIdConnectUrl, description=description)
        self.scheme_name = scheme_name or type(self).__name__
        self.auto_error = auto_error

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
