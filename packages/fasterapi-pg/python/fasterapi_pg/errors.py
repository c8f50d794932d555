# SPDX-License-Identifier: MIT
# fasterapi_pg/errors.py: every exception fasterapi_pg raises, and the SQLSTATE lookup
"""Exceptions of :mod:`fasterapi_pg`: the DB-API hierarchy under :class:`Error`, and one
class per SQLSTATE (generated from PostgreSQL's list) under :class:`PostgresError`."""

from __future__ import annotations

from typing import Any

from ._errors_base import *  # noqa: F403
from ._errors_base import PostgresError
from ._errors_base import __all__ as _base_names
from ._sqlstate import *  # noqa: F403
from ._sqlstate import BY_SQLSTATE
from ._sqlstate import __all__ as _sqlstate_names

__all__ = [*_base_names, *_sqlstate_names]


def _from_fields(fields: dict[str, Any]) -> PostgresError:
    """The exception for a server error (called by the native module)."""
    details = dict(fields)
    message = details.pop("message", "")
    state = details.get("sqlstate", "")
    cls = BY_SQLSTATE.get(state) or BY_SQLSTATE.get(state[:2] + "000") or PostgresError
    return cls(message, **details)
