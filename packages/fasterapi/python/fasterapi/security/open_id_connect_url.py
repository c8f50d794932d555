# SPDX-License-Identifier: MIT
"""OpenID Connect discovery scheme; gives the whole ``Authorization`` header."""

from __future__ import annotations

from ..openapi.models import OpenIdConnect as OpenIdConnectModel
from .base import AuthorizationHeaderScheme


class OpenIdConnect(AuthorizationHeaderScheme):
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
