# SPDX-License-Identifier: MIT
"""``SecurityScopes``: the OAuth2 scopes the dependencies above a security scheme require."""

from __future__ import annotations


class SecurityScopes:
    """Declare a parameter of this type in a security dependency to read the scopes that the
    ``Security(..., scopes=[...])`` declarations above it require.

    Example::

        async def get_current_user(scopes: SecurityScopes, token: str = Depends(oauth2)):
            for scope in scopes.scopes:
                ...
    """

    def __init__(self, scopes: list[str] | None = None) -> None:
        self.scopes: list[str] = scopes or []
        self.scope_str: str = " ".join(self.scopes)
