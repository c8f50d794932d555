# SPDX-License-Identifier: MIT
"""Starlette's TrustedHostMiddleware."""

from starlette.middleware.trustedhost import TrustedHostMiddleware as TrustedHostMiddleware
