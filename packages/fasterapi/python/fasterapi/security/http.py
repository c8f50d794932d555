# SPDX-License-Identifier: MIT
# fasterapi/security/http.py: HTTP authentication schemes (Basic, Bearer, Digest)
"""HTTP ``Authorization`` schemes. A missing or wrong-scheme header raises 401 with a
``WWW-Authenticate`` challenge, unless ``auto_error=False`` (then the dependency gives None).

Example::

    security = HTTPBasic()

    @app.get("/me")
    def me(credentials: Annotated[HTTPBasicCredentials, Depends(security)]):
        return {"username": credentials.username}
"""

from __future__ import annotations

import binascii
from base64 import b64decode

from pydantic import BaseModel
from starlette.requests import HTTPConnection
from starlette.status import HTTP_401_UNAUTHORIZED

from ..exceptions import HTTPException
from ..openapi.models import HTTPBase as HTTPBaseModel
from ..openapi.models import HTTPBearer as HTTPBearerModel
from .base import SecurityBase
from .utils import get_authorization_scheme_param


class HTTPBasicCredentials(BaseModel):
    """The username and password of HTTP Basic authentication."""

    username: str
    password: str


class HTTPAuthorizationCredentials(BaseModel):
    """The scheme and credentials of an ``Authorization`` header."""

    scheme: str
    credentials: str


class HTTPBase(SecurityBase):
    """An HTTP authentication scheme named *scheme*."""

    model: HTTPBaseModel

    def __init__(
        self,
        *,
        scheme: str,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.model = HTTPBaseModel(scheme=scheme, description=description)
        self.scheme_name = scheme_name or type(self).__name__
        self.auto_error = auto_error

    def make_authenticate_headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": self.model.scheme.title()}

    def make_not_authenticated_error(self) -> HTTPException:
        return HTTPException(
            status_code=HTTP_401_UNAUTHORIZED,
            detail="Not authenticated",
            headers=self.make_authenticate_headers(),
        )

    def _credentials(
        self, request: HTTPConnection, required_scheme: str | None
    ) -> HTTPAuthorizationCredentials | None:
        authorization = request.headers.get("Authorization")
        scheme, credentials = get_authorization_scheme_param(authorization)
        valid = bool(authorization and scheme and credentials)
        if valid and required_scheme is not None and scheme.lower() != required_scheme:
            valid = False
        if not valid:
            if self.auto_error:
                raise self.make_not_authenticated_error()
            return None
        return HTTPAuthorizationCredentials(scheme=scheme, credentials=credentials)

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        return self._credentials(request, None)


class HTTPBasic(HTTPBase):
    """HTTP Basic: gives :class:`HTTPBasicCredentials`; *realm* goes into the challenge."""

    def __init__(
        self,
        *,
        scheme_name: str | None = None,
        realm: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(
            scheme="basic", scheme_name=scheme_name, description=description, auto_error=auto_error
        )
        self.realm = realm

    def make_authenticate_headers(self) -> dict[str, str]:
        if self.realm:
            return {"WWW-Authenticate": f'Basic realm="{self.realm}"'}
        return {"WWW-Authenticate": "Basic"}

    async def __call__(self, request: HTTPConnection) -> HTTPBasicCredentials | None:  # type: ignore[override]
        authorization = request.headers.get("Authorization")
        scheme, param = get_authorization_scheme_param(authorization)
        if not authorization or scheme.lower() != "basic":
            if self.auto_error:
                raise self.make_not_authenticated_error()
            return None
        try:
            data = b64decode(param).decode("ascii")
        except (ValueError, UnicodeDecodeError, binascii.Error) as error:
            raise self.make_not_authenticated_error() from error
        username, separator, password = data.partition(":")
        if not separator:
            raise self.make_not_authenticated_error()
        return HTTPBasicCredentials(username=username, password=password)


class HTTPBearer(HTTPBase):
    """HTTP Bearer: gives the token as :class:`HTTPAuthorizationCredentials`."""

    def __init__(
        self,
        *,
        bearerFormat: str | None = None,  # the OpenAPI field's name
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.model = HTTPBearerModel(bearerFormat=bearerFormat, description=description)
        self.scheme_name = scheme_name or type(self).__name__
        self.auto_error = auto_error

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        return self._credentials(request, "bearer")


class HTTPDigest(HTTPBase):
    """HTTP Digest: gives the header's credentials (checking them is the application's)."""

    def __init__(
        self,
        *,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(
            scheme="digest", scheme_name=scheme_name, description=description, auto_error=auto_error
        )

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        return self._credentials(request, "digest")
