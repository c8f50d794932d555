# SPDX-License-Identifier: MIT
"""Helpers of the security schemes."""


def get_authorization_scheme_param(authorization_header_value: str | None) -> tuple[str, str]:
    """``"Bearer abc"`` → ``("Bearer", "abc")``; ``("", "")`` for a missing header."""
    if not authorization_header_value:
        return "", ""
    scheme, _, param = authorization_header_value.partition(" ")
    return scheme, param.strip()
