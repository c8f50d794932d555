# SPDX-License-Identifier: MIT
# fasterapi/security/oauth2.py: OAuth2 flows and the password request form
"""OAuth2 schemes: :class:`OAuth2PasswordBearer` and :class:`OAuth2AuthorizationCodeBearer`
give the bearer token (401 with ``WWW-Authenticate: Bearer`` when missing);
:class:`OAuth2PasswordRequestForm` reads the token request's form.

Example::

    oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")

    @app.post("/token")
    async def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]):
        ...

    @app.get("/users/me")
    async def me(token: Annotated[str, Depends(oauth2_scheme)]):
        ...
"""

from __future__ import annotations

from typing import Annotated, Any, cast

from starlette.requests import HTTPConnection

from ..openapi.models import OAuth2 as OAuth2Model
from ..openapi.models import OAuthFlows as OAuthFlowsModel
from ..param_functions import Form
from .base import AuthorizationHeaderScheme
from .scopes import SecurityScopes as SecurityScopes
from .utils import get_authorization_scheme_param


class OAuth2PasswordRequestForm:
    """The form of an OAuth2 password-flow token request: ``username``, ``password``,
    optional ``grant_type`` (``password``), ``scope`` (space-separated, as ``scopes``),
    ``client_id``, ``client_secret``."""

    def __init__(
        self,
        *,
        grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
        username: Annotated[str, Form()],
        password: Annotated[str, Form(json_schema_extra={"format": "password"})],
        scope: Annotated[str, Form()] = "",
        client_id: Annotated[str | None, Form()] = None,
        client_secret: Annotated[str | None, Form(json_schema_extra={"format": "password"})] = None,
    ) -> None:
        self.grant_type = grant_type
        self.username = username
        self.password = password
        self.scopes = scope.split()
        self.client_id = client_id
        self.client_secret = client_secret


class OAuth2PasswordRequestFormStrict(OAuth2PasswordRequestForm):
    """The same form with ``grant_type=password`` required, as the specification says."""

    def __init__(
        self,
        grant_type: Annotated[str, Form(pattern="^password$")],
        username: Annotated[str, Form()],
        password: Annotated[str, Form()],
        scope: Annotated[str, Form()] = "",
        client_id: Annotated[str | None, Form()] = None,
        client_secret: Annotated[str | None, Form()] = None,
    ) -> None:
        super().__init__(
            grant_type=grant_type,
            username=username,
            password=password,
            scope=scope,
            client_id=client_id,
            client_secret=client_secret,
        )


class OAuth2(AuthorizationHeaderScheme):
    """An OAuth2 scheme with the given *flows*; gives the whole ``Authorization`` header."""

    def __init__(
        self,
        *,
        flows: OAuthFlowsModel | dict[str, dict[str, Any]] = OAuthFlowsModel(),
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.model = OAuth2Model(flows=cast(OAuthFlowsModel, flows), description=description)
        self.scheme_name = scheme_name or type(self).__name__
        self.auto_error = auto_error

    def _bearer_token(self, request: HTTPConnection) -> str | None:
        authorization = request.headers.get("Authorization")
        scheme, param = get_authorization_scheme_param(authorization)
        if not authorization or scheme.lower() != "bearer":
            if self.auto_error:
                raise self.make_not_authenticated_error()
            return None
        return param


class OAuth2PasswordBearer(OAuth2):
    """The password flow, tokens from *tokenUrl*; gives the bearer token."""

    def __init__(
        self,
        tokenUrl: str,  # the OpenAPI field's name
        scheme_name: str | None = None,
        scopes: dict[str, str] | None = None,
        description: str | None = None,
        auto_error: bool = True,
        refreshUrl: str | None = None,
    ) -> None:
        flow = {"tokenUrl": tokenUrl, "refreshUrl": refreshUrl, "scopes": scopes or {}}
        super().__init__(
            flows=OAuthFlowsModel(password=cast(Any, flow)),
            scheme_name=scheme_name,
            description=description,
            auto_error=auto_error,
        )

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self._bearer_token(request)


class OAuth2AuthorizationCodeBearer(OAuth2):
    """The authorization code flow; gives the bearer token."""

    def __init__(
        self,
        authorizationUrl: str,  # the OpenAPI field's name
        tokenUrl: str,
        refreshUrl: str | None = None,
        scheme_name: str | None = None,
        scopes: dict[str, str] | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        flow = {
            "authorizationUrl": authorizationUrl,
            "tokenUrl": tokenUrl,
            "refreshUrl": refreshUrl,
            "scopes": scopes or {},
        }
        super().__init__(
            flows=OAuthFlowsModel(authorizationCode=cast(Any, flow)),
            scheme_name=scheme_name,
            description=description,
            auto_error=auto_error,
        )

    async def __call__(self, request: HTTPConnection) -> str | None:
        return self._bearer_token(request)
