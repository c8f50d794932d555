# SPDX-License-Identifier: MIT
"""Security schemes and SecurityScopes."""

from .scopes import SecurityScopes as SecurityScopes
